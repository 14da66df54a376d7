"""The rules every fact in the base obeys, checked by the store on every write.

A refusal names the rule, what is wrong and how to fix the input
(:class:`facts.violations.RuleViolation`, a :class:`facts.errors.ValidationFailed`), as a
typed reason (:class:`facts.violations.Violation`: the record, the rule, a reason and its
values, all in facts/violations.py) that the bot
renders in the admin's language; ``str()`` gives the English. The store checks the
facts a write changes against the base as it would be after the write, and nothing is
written when any rule fails; :func:`base_problems` checks a whole base (``factbot facts
check``, restore, tests).

The rules (the first in facts/claim_rule.py, the second in facts/figure_rule.py, the others
here):

- **claim states the value**: a statistic's claim states its value, in any usual number
  format ("1,486", "1486", "1 486", "1.5 million", "eight", "80%"), or the source's own
  wording of it (``value_text``, "thousands"), and its qualifier ("at least", "more
  than"…); a vague wording carries its qualifier in itself.
- **a quote states the figure**: a statistic's value is stated by one of its citations'
  quotes, when any of them states a figure in digits at all (a quote that words its
  number, "thousands", binds nothing).
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
from collections.abc import Callable, Iterable, Mapping

from facts.claim_rule import claim_problems, translation_problems
from facts.figure_rule import figure_problems
from facts.model import Fact, PersonDetails, Source, StatisticDetails, Status, When
from facts.quotes import closest_passage, quote_in
from facts.terms import unknown_terms
from facts.violations import (
    RULE_CHAIN,
    RULE_DATES,
    RULE_QUOTES,
    RULE_REFERENCES,
    RULE_TERMS,
    Reason,
    Violation,
    fact_violation,
)


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
