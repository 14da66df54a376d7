"""Yes/no questions: whether a question asks for a yes or a no, and what the facts say.

The verdict is read off the facts that answer the question, never guessed: "yes" when the
best fact states what was asked; "no" when it states the opposite (a negation the question
does not have, or a measure only discussed, proposed, threatened or lifted when the
question asks whether it was imposed); "the documents don't say" when nothing answers
confidently.
"""

from __future__ import annotations

import re
from enum import StrEnum

from facts.model import Fact, SanctionDetails, SanctionStatus


class Polarity(StrEnum):
    """The opening of the reply to a yes/no question."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"  # the documents don't say


_YES_NO = re.compile(
    r"^\s*(?:did|does|do|is|was|were|are|has|have|had|can|could|will|would|should|may|might"
    r"|didn'?t|doesn'?t|isn'?t|wasn'?t|weren'?t|aren'?t|hasn'?t|haven'?t)\b"
    r"|(?:^|\s)(?:ли|ці)(?:\s|$|[?,])|^\s*(?:правда ли|верно ли|ці праўда|праўда што)\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\b(?:not|no|never|neither|nor|none|nobody|without|refused|denied|n't)\b|n't\b"
    r"|(?:^|\s)(?:не|ни|нет|никто|ніхто|няма|без)(?:\s|$)",
    re.IGNORECASE,
)
_IMPOSED = re.compile(r"impos|sanction(?:ed|s)?\b|санкц|ввел|ввёл|ўвёў|увёў|ввела|увяла|ўвяла")
_NOT_IMPOSED = frozenset(
    {
        SanctionStatus.DISCUSSED,
        SanctionStatus.PROPOSED,
        SanctionStatus.THREATENED,
        SanctionStatus.LIFTED,
    }
)


def asks_yes_no(question: str) -> bool:
    """True when ``question`` asks for a yes or a no ("Did the EU…", "Ввёл ли…", "Ці…")."""
    return _YES_NO.search(question) is not None


def _negated(text: str) -> bool:
    return _NEGATION.search(text) is not None


def verdict(question: str, best: Fact | None) -> Polarity:
    """What the best confidently answering fact (None: nothing answers) says to a yes/no
    question."""
    if best is None:
        return Polarity.UNKNOWN
    d = best.details
    if (
        isinstance(d, SanctionDetails)
        and d.status in _NOT_IMPOSED
        and _IMPOSED.search(question.casefold())
    ):
        return Polarity.NO
    # The question without its opening auxiliary ("Didn't the EU…" asks the same as "Did").
    body = _YES_NO.sub(" ", question, count=1)
    if _negated(best.text) != _negated(body):
        return Polarity.NO
    return Polarity.YES
