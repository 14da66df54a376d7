"""The rules every fact in the base obeys, checked by the store on every write.

A refusal names the rule, what is wrong and how to fix the input
(:class:`RuleViolation`, a :class:`facts.errors.ValidationFailed`), as a typed reason
(:class:`Violation`: the record, the rule, a :class:`Reason` and its values) that the bot
renders in the admin's language; ``str()`` gives the English. The store checks the
facts a write changes against the base as it would be after the write, and nothing is
written when any rule fails; :func:`base_problems` checks a whole base (``factbot facts
check``, restore, tests).

The rules:

- **claim states the value**: a statistic's claim states its value, in any usual number
  format ("1,486", "1486", "1 486", "1.5 million", "eight", "80%"), or the source's own
  wording of it (``value_text``, "thousands"), and its qualifier ("at least", "more
  than"…); a vague wording carries its qualifier in itself.
- **a quote states the figure**: a statistic's value is stated by one of its citations'
  quotes, when any of them states a figure at all (:mod:`facts.figure_rule`; a quote that
  words its number, "thousands", binds nothing).
- **dates not after the source**: the as-of date of a statistic, the date of an event,
  sanction or statement and the as-of dates of a person's roles are not after the
  publication of the newest source citing the fact, unless the date is marked approximate
  and says why (``resolved_from``).
- **quotes occur in the document**: for a source that has its document, every quote citing
  it occurs in it (white space, quotation marks, apostrophes and dashes normalised); the
  refusal shows the closest passage. Quotes of sources without a document are accepted and
  shown as not checked.
- **one current fact per chain**: facts linked by ``superseded_by`` form chains that end in
  one fact; only that fact may be current (it is not current when it was retracted), the
  links never loop, and a fact once superseded does not become current again while the
  chain it was superseded into still has a current fact.
- **no dangling references**: cited sources, related facts and ``superseded_by`` exist, and
  so does the document a source names.
- **terms translate the fact's values**: every term of a translation
  (``FactTranslation.terms``) is keyed by one of the fact's structured values
  (:func:`facts.terms.structured_strings`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from facts.errors import ValidationFailed
from facts.figure_rule import unstated_figure
from facts.model import (
    Fact,
    PersonDetails,
    Qualifier,
    Source,
    StatisticDetails,
    Status,
    When,
)
from facts.quotes import closest_passage, quote_in
from facts.terms import unknown_terms

RULE_CLAIM = "claim states the value"
RULE_FIGURE = "a quote states the figure"
RULE_DATES = "dates not after the source"
RULE_QUOTES = "quotes occur in the document"
RULE_CHAIN = "one current fact per chain"
RULE_REFERENCES = "no dangling references"
RULE_TERMS = "terms translate the fact's values"
RULES = (RULE_CLAIM, RULE_FIGURE, RULE_DATES, RULE_QUOTES, RULE_CHAIN, RULE_REFERENCES, RULE_TERMS)


class Reason(StrEnum):
    """Why a rule fails; :data:`REASONS` words each one in English."""

    CLAIM_LACKS_WORDING = "claim-lacks-wording"
    CLAIM_LACKS_VALUE = "claim-lacks-value"
    CLAIM_LACKS_QUALIFIER = "claim-lacks-qualifier"
    TRANSLATION_LACKS_VALUE = "translation-lacks-value"
    FIGURE_NOT_IN_QUOTES = "figure-not-in-quotes"
    DATE_AFTER_SOURCE = "date-after-source"
    QUOTE_NOT_IN_DOCUMENT = "quote-not-in-document"
    UNKNOWN_SOURCE = "unknown-source"
    UNKNOWN_SUCCESSOR = "unknown-successor"
    UNKNOWN_RELATED = "unknown-related"
    DOCUMENT_NOT_STORED = "document-not-stored"
    CHAIN_LOOPS = "chain-loops"
    CURRENT_IN_ITS_SUCCESSORS_CHAIN = "current-in-its-successors-chain"
    PREDECESSOR_CURRENT_AGAIN = "predecessor-current-again"
    UNKNOWN_TERM = "unknown-term"


#: Each reason's problem and fix in English, ``{placeholders}`` filled from the violation's
#: values (ids and quoted words as they are shown, quotes included).
REASONS: dict[Reason, tuple[str, str]] = {
    Reason.CLAIM_LACKS_WORDING: (
        "the claim does not say {wording}, the source's wording of the value",
        "put {wording} in the claim, or change the value's wording",
    ),
    Reason.CLAIM_LACKS_VALUE: (
        "the claim does not state the value {value}",
        "write the number in the claim (any usual format: {value}, {plain}…), or correct the value",
    ),
    Reason.CLAIM_LACKS_QUALIFIER: (
        "the claim does not say the qualifier {qualifier}",
        "say {word} (or {others}) before the number in the claim, or change the qualifier",
    ),
    Reason.TRANSLATION_LACKS_VALUE: (
        "the {lang} translation of the claim does not state the value {value}",
        "update that translation or clear it",
    ),
    Reason.FIGURE_NOT_IN_QUOTES: (
        'no quote states the value {value}; the quote says: "{quote}"',
        "give the value the quote states, or quote the passage of a source that states "
        "{value} (a new figure from a new source is a supersession)",
    ),
    Reason.DATE_AFTER_SOURCE: (
        "{field} {date} is after the publication of its source(s) ({published}): a source "
        "cannot report what had not happened yet",
        "correct the date, cite a source published on or after it, or mark the date "
        "approximate and say in resolved_from why it is later",
    ),
    Reason.QUOTE_NOT_IN_DOCUMENT: (
        "citations.{n}.quote is not in the document of source {source}; the closest "
        'passage is: "{passage}"',
        "copy the quote exactly from the document (the passage above, or another)",
    ),
    Reason.UNKNOWN_SOURCE: (
        "citations.{n}.source {source} is not a known source",
        "cite an existing source or add the source first",
    ),
    Reason.UNKNOWN_SUCCESSOR: (
        "superseded_by {successor} is not a known fact",
        "name the fact that replaces it, or supersede it",
    ),
    Reason.UNKNOWN_RELATED: (
        "related.{n} {related} is not a known fact",
        "name an existing fact or remove it from related",
    ),
    Reason.DOCUMENT_NOT_STORED: (
        "its document {digest}… is not stored",
        "attach the document again or include it in the file",
    ),
    Reason.CHAIN_LOOPS: (
        "its superseded_by links loop back to it",
        "make the chain end in one newer fact",
    ),
    Reason.CURRENT_IN_ITS_SUCCESSORS_CHAIN: (
        "it was superseded by {successor}, and {head} is current in that chain: both would "
        "be shown as current",
        "to bring this value back, supersede {head} with it; to undo the replacement, "
        "retract {head} first",
    ),
    Reason.PREDECESSOR_CURRENT_AGAIN: (
        "it superseded {earlier}, which is current again: both would be shown as current",
        "retract one of them, or supersede {earlier} with this value",
    ),
    Reason.UNKNOWN_TERM: (
        "the {lang} term for {term} translates nothing: the fact has no such value",
        "key the term by a value exactly as the fact gives it, or drop the term",
    ),
}


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule: the record (a fact or a source, by id), the rule, and why — a
    :class:`Reason` with the values its wording is filled with."""

    #: "fact" or "source".
    kind: str
    record_id: str
    rule: str
    reason: Reason
    values: Mapping[str, str] = field(default_factory=dict)

    @property
    def record(self) -> str:
        """The record as the English wording names it: ``fact 'x'``."""
        return f"{self.kind} {self.record_id!r}"

    @property
    def problem(self) -> str:
        """What is wrong, in English."""
        return REASONS[self.reason][0].format(**self.values)

    @property
    def fix(self) -> str:
        """How to fix it, in English."""
        return REASONS[self.reason][1].format(**self.values)

    def __str__(self) -> str:
        return f"{self.record}: rule '{self.rule}': {self.problem}. Fix: {self.fix}"


def fact_violation(fact_id: str, rule: str, reason: Reason, **values: object) -> Violation:
    """A violation by the fact ``fact_id`` (values shown as ``str()`` gives them)."""
    return Violation("fact", fact_id, rule, reason, {k: str(v) for k, v in values.items()})


class RuleViolation(ValidationFailed):
    """A write refused because a rule would not hold after it; nothing was written."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        super().__init__([str(v) for v in violations])


# --- a statistic's claim ---------------------------------------------------------------------
#: How each qualifier may be worded in a claim.
QUALIFIER_WORDS: dict[Qualifier, tuple[str, ...]] = {
    Qualifier.EXACTLY: (),
    Qualifier.AT_LEAST: ("at least", "no fewer than", "not less than", "a minimum of"),
    Qualifier.MORE_THAN: ("more than", "over", "in excess of", "upwards of", "above"),
    Qualifier.ABOUT: (
        "about",
        "around",
        "approximately",
        "roughly",
        "some",
        "nearly",
        "almost",
        "an estimated",
        "estimated",
        "close to",
        "circa",
        "~",
    ),
    Qualifier.UP_TO: ("up to", "as many as", "at most", "no more than"),
    Qualifier.SEVERAL: ("several",),
}
_SMALL_NUMBERS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]
_WORD_NUMBERS: dict[str, int] = {
    **{word: n for n, word in enumerate(_SMALL_NUMBERS)},
    **dict(
        zip(
            ["thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"],
            range(30, 91, 10),
            strict=False,
        )
    ),
    "hundred": 100,
    "a hundred": 100,
    "one hundred": 100,
    "dozen": 12,
    "a dozen": 12,
    "a thousand": 1000,
    "one thousand": 1000,
}
_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
}
# Digits, possibly grouped by thousands (comma, dot, space, thin or non-breaking space,
# apostrophe) and with a decimal part, then an optional scale word.
_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[,.\u00a0\u202f\u2009 '’]\d{3})+|\d+)([.,]\d+)?"
    r"(?:\s*(thousand|million|billion|mln|bn|k|m|b)\b)?",
    re.IGNORECASE,
)
_WORD_NUMBER = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, _WORD_NUMBERS), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


def numbers_in(text: str) -> set[float]:
    """Every value a number written in ``text`` can stand for, in the usual formats."""
    found: set[float] = set()
    for match in _NUMBER.finditer(text):
        whole, fraction, scale = match.group(1), match.group(2), match.group(3)
        factor = _SCALES[scale.lower()] if scale else 1.0
        digits = re.sub(r"\D", "", whole)
        readings = [float(digits)]
        if fraction:
            # "1,5" and "1.5" are a decimal; "1.486" may also be a thousands group.
            readings.append(float(f"{digits}.{fraction[1:]}"))
            if len(fraction) == 4:
                readings.append(float(digits + fraction[1:]))
        if re.fullmatch(r"\d{1,3}[.,]\d{3}", whole):
            readings.append(float(whole.replace(",", ".")))
        found.update(r * factor for r in readings)
    for match in _WORD_NUMBER.finditer(text):
        found.add(float(_WORD_NUMBERS[match.group(1).lower()]))
    return found


def _same_number(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9) or (
        # A claim rounds a decimal value the usual way ("66.7" for 66.67).
        abs(a - b) <= 0.051 and not a.is_integer()
    )


def _has_phrase(text: str, phrase: str) -> bool:
    pattern = (
        r"(?<!\w)" + re.escape(phrase) + r"(?!\w)" if phrase[0].isalnum() else re.escape(phrase)
    )
    return re.search(pattern, text, re.IGNORECASE) is not None


def _format_value(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def claim_problems(fact: Fact) -> list[Violation]:
    """A statistic whose claim does not state its value or qualifier."""
    details = fact.details
    if not isinstance(details, StatisticDetails):
        return []
    text = fact.text
    if details.value_text:
        if not _has_phrase(text, details.value_text):
            return [
                fact_violation(
                    fact.id,
                    RULE_CLAIM,
                    Reason.CLAIM_LACKS_WORDING,
                    wording=repr(details.value_text),
                )
            ]
        # A vague wording ("thousands", "several") carries its own qualifier.
        return []
    problems: list[Violation] = []
    if not any(_same_number(n, float(details.value)) for n in numbers_in(text)):
        shown = _format_value(details.value)
        plain = shown.replace(",", "")
        problems.append(
            fact_violation(fact.id, RULE_CLAIM, Reason.CLAIM_LACKS_VALUE, value=shown, plain=plain)
        )
    words = QUALIFIER_WORDS[details.qualifier]
    if words and not any(_has_phrase(text, w) for w in words):
        problems.append(
            fact_violation(
                fact.id,
                RULE_CLAIM,
                Reason.CLAIM_LACKS_QUALIFIER,
                qualifier=repr(details.qualifier.value),
                word=repr(words[0]),
                others=", ".join(repr(w) for w in words[1:3]),
            )
        )
    return problems


def _states_value(text: str, value: float) -> bool:
    return any(_same_number(n, float(value)) for n in numbers_in(text))


def translation_problems(fact: Fact) -> list[Violation]:
    """Translations of a statistic's claim that do not state its value (a translation
    still stating an old figure would tell its readers something the base no longer says)."""
    details = fact.details
    if not isinstance(details, StatisticDetails) or details.value_text:
        return []
    shown = _format_value(details.value)
    return [
        fact_violation(fact.id, RULE_CLAIM, Reason.TRANSLATION_LACKS_VALUE, lang=lang, value=shown)
        for lang, translation in fact.translations.items()
        if not _states_value(translation.text, details.value)
    ]


def translations_for_value(old: Fact, new: Fact) -> Fact:
    """``new`` with each translated claim rewritten for a changed value, in the same number
    format; a translation that cannot be rewritten is dropped (shown in English instead)."""
    before, after = old.details, new.details
    if (
        not isinstance(before, StatisticDetails)
        or not isinstance(after, StatisticDetails)
        or before.value == after.value
        or after.value_text
    ):
        return new
    kept = {}
    for lang, translation in new.translations.items():
        if _states_value(translation.text, after.value):
            kept[lang] = translation
            continue
        rewritten = claim_with_value(translation.text, before.value, after.value)
        if rewritten is not None:
            kept[lang] = translation.model_copy(update={"text": rewritten})
    return new.model_copy(update={"translations": kept})


def figure_problems(fact: Fact) -> list[Violation]:
    """A statistic whose value none of its quotes states, though they state figures."""
    quotes = unstated_figure(fact)
    if quotes is None or not isinstance(fact.details, StatisticDetails):
        return []
    return [
        fact_violation(
            fact.id,
            RULE_FIGURE,
            Reason.FIGURE_NOT_IN_QUOTES,
            value=_format_value(fact.details.value),
            quote=quotes[0],
        )
    ]


# --- dates and sources ------------------------------------------------------------------------
def _end(when: When) -> dt.date:
    """The last day a partial date can stand for."""
    start = when.start()
    if len(when.date) == 4:
        return dt.date(start.year, 12, 31)
    if len(when.date) == 7:
        following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return start


def fact_dates(fact: Fact) -> list[tuple[str, When]]:
    """Every date of ``fact`` the date rule applies to, with its field name."""
    details = fact.details
    if isinstance(details, PersonDetails):
        return [
            (f"details.roles.{n}.as_of", role.as_of)
            for n, role in enumerate(details.roles)
            if role.as_of is not None
        ]
    when = fact.date
    if when is None:
        return []
    name = "details.as_of" if isinstance(details, StatisticDetails) else "details.date"
    return [(name, when)]


def date_problems(fact: Fact, sources: Mapping[str, Source]) -> list[Violation]:
    """Dates after the publication of every source citing ``fact`` (unless approximate
    with a reason)."""
    cited = [sources.get(c.source) for c in fact.citations]
    published = [s.published for s in cited if s is not None]
    if not published or len(published) < len(cited) or any(p is None for p in published):
        # A source of unknown date (or a missing one, reported elsewhere) cannot be compared.
        return []
    latest = max(_end(p) for p in published if p is not None)
    problems = []
    for name, when in fact_dates(fact):
        if when.start() <= latest:
            continue
        if when.approximate and when.resolved_from:
            continue
        problems.append(
            fact_violation(
                fact.id,
                RULE_DATES,
                Reason.DATE_AFTER_SOURCE,
                field=name,
                date=when.date,
                published=latest.isoformat(),
            )
        )
    return problems


# --- quotes -----------------------------------------------------------------------------------
#: A source id → the source's normalised document text (None: the source has none).
DocumentLookup = Callable[[str], str | None]


def quote_problems(fact: Fact, document_of: DocumentLookup) -> list[Violation]:
    """Quotes not found in their source's document, each with the closest passage."""
    problems = []
    for n, citation in enumerate(fact.citations):
        document = document_of(citation.source)
        if document is None or quote_in(citation.quote, document):
            continue
        passage = closest_passage(citation.quote, document)
        problems.append(
            fact_violation(
                fact.id,
                RULE_QUOTES,
                Reason.QUOTE_NOT_IN_DOCUMENT,
                n=n,
                source=repr(citation.source),
                passage=passage,
            )
        )
    return problems


def unchecked_citations(fact: Fact, sources: Mapping[str, Source]) -> list[int]:
    """Indexes of the citations whose source has no document to check the quote against."""
    return [
        n
        for n, c in enumerate(fact.citations)
        if (s := sources.get(c.source)) is None or s.document is None
    ]


# --- references --------------------------------------------------------------------------------
def reference_problems(
    fact: Fact, has_source: Callable[[str], bool], has_fact: Callable[[str], bool]
) -> list[Violation]:
    """Citations, related facts and the successor of ``fact`` that point nowhere."""
    problems = [
        fact_violation(fact.id, RULE_REFERENCES, Reason.UNKNOWN_SOURCE, n=n, source=repr(c.source))
        for n, c in enumerate(fact.citations)
        if not has_source(c.source)
    ]
    if fact.superseded_by is not None and not has_fact(fact.superseded_by):
        problems.append(
            fact_violation(
                fact.id,
                RULE_REFERENCES,
                Reason.UNKNOWN_SUCCESSOR,
                successor=repr(fact.superseded_by),
            )
        )
    problems += [
        fact_violation(fact.id, RULE_REFERENCES, Reason.UNKNOWN_RELATED, n=n, related=repr(r))
        for n, r in enumerate(fact.related)
        if r != fact.id and not has_fact(r)
    ]
    return problems


def source_problems(source: Source, has_document: Callable[[str], bool]) -> list[Violation]:
    """A source naming a document that is not stored."""
    if source.document is None or has_document(source.document):
        return []
    return [
        Violation(
            "source",
            source.id,
            RULE_REFERENCES,
            Reason.DOCUMENT_NOT_STORED,
            {"digest": source.document[:12]},
        )
    ]


# --- supersession chains --------------------------------------------------------------------------
def chain_head(fact_id: str, get: Callable[[str], Fact | None]) -> tuple[str, bool]:
    """The last fact of the chain from ``fact_id`` and False when the links loop."""
    seen = {fact_id}
    current = fact_id
    while True:
        fact = get(current)
        if fact is None or fact.superseded_by is None:
            return current, True
        current = fact.superseded_by
        if current in seen:
            return current, False
        seen.add(current)


def chain_problems(
    fact: Fact, get: Callable[[str], Fact | None], earlier_successors: Iterable[str]
) -> list[Violation]:
    """Chain problems of ``fact`` as it would be stored: a loop, or being current again
    while a chain it was superseded into (``earlier_successors``) has a current fact."""
    if fact.superseded_by is not None:
        _, ends = chain_head(fact.id, get)
        if not ends:
            return [fact_violation(fact.id, RULE_CHAIN, Reason.CHAIN_LOOPS)]
        return []
    if fact.status is not Status.CURRENT:
        return []
    problems = []
    for successor in dict.fromkeys(earlier_successors):
        head, ends = chain_head(successor, get)
        if not ends or head == fact.id:
            continue
        newest = get(head)
        if newest is not None and newest.is_current:
            problems.append(
                fact_violation(
                    fact.id,
                    RULE_CHAIN,
                    Reason.CURRENT_IN_ITS_SUCCESSORS_CHAIN,
                    successor=repr(successor),
                    head=repr(head),
                    head_id=head,
                )
            )
    return problems


def content_problems(
    fact: Fact, sources: Mapping[str, Source], document_of: DocumentLookup
) -> list[Violation]:
    """The rules on a fact's own content: claim, dates, quotes."""
    return [
        *claim_problems(fact),
        *translation_problems(fact),
        *figure_problems(fact),
        *date_problems(fact, sources),
        *quote_problems(fact, document_of),
        *term_problems(fact),
    ]


def term_problems(fact: Fact) -> list[Violation]:
    """Terms keyed by something that is not one of the fact's structured values."""
    return [
        fact_violation(
            fact.id, RULE_TERMS, Reason.UNKNOWN_TERM, lang=lang, term=repr(key), english=key
        )
        for lang, key in unknown_terms(fact)
    ]


def claim_with_value(text: str, old: float, new: float) -> str | None:
    """``text`` with the number that states ``old`` rewritten as ``new`` in the same format
    ("1,486" → "1,500", "1486" → "1500"); None when the claim does not state ``old``."""
    for match in _NUMBER.finditer(text):
        if not any(_same_number(n, float(old)) for n in numbers_in(match.group(0))):
            continue
        whole, fraction, scale = match.group(1), match.group(2), match.group(3)
        factor = _SCALES[scale.lower()] if scale else 1.0
        value = float(new) / factor
        grouping = re.search(r"\d([,.\u00a0\u202f\u2009 '’])\d{3}(?!\d)", whole + (fraction or ""))
        decimals = len(fraction) - 1 if fraction and not (grouping and len(fraction) == 4) else 0
        if not value.is_integer() and decimals == 0:
            decimals = 1
        shown = f"{value:,.{decimals}f}"
        if grouping is None:
            shown = shown.replace(",", "")
        elif grouping.group(1) != ",":
            shown = shown.replace(",", grouping.group(1))
        if scale:
            shown += text[match.end(2) if fraction else match.end(1) : match.end()]
        return text[: match.start()] + shown + text[match.end() :]
    return None
