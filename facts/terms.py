"""A fact's structured values in the reader's language.

The structured strings of a fact — a statistic's unit, wording and counter, a sanction's
imposers, targets and measures, an event's place and participants, a role's title and
organisation, a statement's speaker and audience — are English data. Each translation of
the fact may give them in its language (``FactTranslation.terms``: English → translation);
a value without one is shown in English. A source's outlet is translated with its title
(``SourceTranslation.outlet``).
"""

from __future__ import annotations

from collections.abc import Mapping

from facts.model import (
    EventDetails,
    Fact,
    FactTranslation,
    PersonDetails,
    SanctionDetails,
    Source,
    SourceTranslation,
    StatementDetails,
    StatisticDetails,
)


def structured_strings(fact: Fact) -> list[str]:
    """Every structured English string of ``fact``, once each, in the order of its fields."""
    d = fact.details
    found: list[str | None] = []
    if isinstance(d, StatisticDetails):
        found += [d.unit, d.value_text, d.counted_by]
    elif isinstance(d, SanctionDetails):
        found += [*d.imposed_by, *d.targets, *d.measures]
    elif isinstance(d, EventDetails):
        found += [d.place, *d.participants]
    elif isinstance(d, PersonDetails):
        for role in d.roles:
            found += [role.title, role.organisation]
    elif isinstance(d, StatementDetails):
        found += [d.speaker, d.audience]
    return list(dict.fromkeys(s for s in found if s))


def terms_in(fact: Fact, lang: str) -> Mapping[str, str]:
    """The translations of ``fact``'s structured strings into ``lang`` (empty when none)."""
    translation: FactTranslation | None = fact.translations.get(lang)  # type: ignore[call-overload]
    return translation.terms if translation is not None else {}


def term(fact: Fact, english: str, lang: str) -> str:
    """How the structured value ``english`` of ``fact`` reads in ``lang``: its
    translation when the fact gives one, else the English."""
    return terms_in(fact, lang).get(english, english)


def terms(fact: Fact, values: list[str], lang: str) -> list[str]:
    """:func:`term` of each of ``values``."""
    given = terms_in(fact, lang)
    return [given.get(v, v) for v in values]


def unknown_terms(fact: Fact) -> list[tuple[str, str]]:
    """(language, key) for every term whose key is not a structured string of ``fact``."""
    known = set(structured_strings(fact))
    return [
        (lang, key)
        for lang, translation in fact.translations.items()
        for key in translation.terms
        if key not in known
    ]


def without_stale_terms(fact: Fact) -> Fact:
    """``fact`` without the terms of values it no longer has (after its details changed:
    "Canada" → "Canada (government)" leaves the term for "Canada" nothing to translate)."""
    if not unknown_terms(fact):
        return fact
    known = set(structured_strings(fact))
    kept = {
        lang: t.model_copy(update={"terms": {k: v for k, v in t.terms.items() if k in known}})
        for lang, t in fact.translations.items()
    }
    return fact.model_copy(update={"translations": kept})


def outlet(source: Source, lang: str) -> str | None:
    """The source's outlet as ``lang`` writes it, else in English (None: not named)."""
    translation: SourceTranslation | None = source.translations.get(lang)  # type: ignore[call-overload]
    if source.outlet and translation is not None and translation.outlet:
        return translation.outlet
    return source.outlet
