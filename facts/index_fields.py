"""What of a fact the search index reads: four fields (names, claim, details, quotes),
and the Russian and Belarusian names and claims beside them."""

from __future__ import annotations

from facts.glossary import stand_in
from facts.lang import month_names
from facts.model import (
    EventDetails,
    Fact,
    PersonDetails,
    SanctionDetails,
    StatementDetails,
    StatisticDetails,
    When,
)

_MONTHS = month_names("en")


def _date_words(when: When | None) -> str:
    if when is None:
        return ""
    parts = when.date.split("-")
    words = [parts[0]]
    if len(parts) > 1:
        words.append(_MONTHS[int(parts[1]) - 1])
    return " ".join(words)


def details_text(fact: Fact, *, topics: bool = True) -> str:
    """The structured details (and topics, unless asked not to) of ``fact`` as plain words."""
    d = fact.details
    parts: list[str] = [" ".join(t.replace("-", " ") for t in fact.topics)] if topics else []
    if isinstance(d, StatisticDetails):
        parts += [d.unit, d.value_text or "", d.counted_by or "", _date_words(d.as_of)]
    elif isinstance(d, SanctionDetails):
        parts += [*d.imposed_by, *d.targets, *d.measures, d.status.value, _date_words(d.date)]
    elif isinstance(d, EventDetails):
        parts += [d.place or "", *d.participants, _date_words(d.date)]
    elif isinstance(d, PersonDetails):
        parts.append(d.entity.value)
        for role in d.roles:
            parts += [role.title, role.organisation or ""]
    elif isinstance(d, StatementDetails):
        parts += [d.speaker, d.audience or "", _date_words(d.date)]
    return " ".join(p for p in parts if p)


def fact_fields(fact: Fact) -> tuple[str, str, str, str]:
    """The four indexed fields of ``fact``: names, claim, details, quotes."""
    english_names = (
        [fact.details.name, *fact.details.aliases]
        if isinstance(fact.details, PersonDetails)
        else []
    )
    return (
        " ".join(english_names),
        " ".join([fact.text, *fact.questions]),
        details_text(fact),
        " ".join(c.quote for c in fact.citations),
    )


def translation_fields(fact: Fact) -> tuple[str, str]:
    """The Russian and Belarusian names and claims of ``fact`` (indexed as names and claim);
    for a language it is not translated into yet, that language's words for the terms of
    its English claim (:mod:`facts.glossary`)."""
    names = [n for t in fact.translations.values() for n in (t.name, *t.aliases) if n]
    texts = [t.text for t in fact.translations.values()]
    texts += [stand_in(fact.text, lang) for lang in ("ru", "be") if lang not in fact.translations]
    return " ".join(names), " ".join(t for t in texts if t)
