"""A broken rule as a typed reason: the rules' names, why a rule fails (:class:`Reason`,
worded in English by :data:`REASONS`), one broken rule (:class:`Violation`) and the
refusal of a write (:class:`RuleViolation`). The rules themselves are in facts/rules.py;
the bot words a violation in the admin's language (bot/rule_texts.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from facts.errors import ValidationFailed

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
