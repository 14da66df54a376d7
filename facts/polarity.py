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
from facts.names import fold
from facts.search import stem


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
#: Verbs of imposing (not the noun "sanctions": "did the EU consider sanctions?" asks
#: something else).
_IMPOSED = re.compile(
    r"impos|\bsanction(?:ed)?\b|\bslap|ввел|ввёл|ввела|ввели|увёў|ўвёў|увяла|ўвяла|увялі|ўвялі"
    r"|наложил"
)
#: How close before a question word a negation must stand to deny it ("neither free nor
#: fair", "did not impose").
_NEAR = 3
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


def negated(text: str) -> bool:
    """True when ``text`` holds a negation (not, no, never, neither, не, ні…)."""
    return _NEGATION.search(text) is not None


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _key(word: str) -> str:
    """A word's stem, spelling variants folded (recognise / recognize, legitimate /
    legitimately)."""
    folded = fold(word).replace("ise", "ize")
    return stem(folded)[:7]


def _denies(fact_text: str, question: str) -> bool:
    """True when the fact negates what the question asks: a negation within a few words
    before a word the question also uses ("called the election neither free nor fair"
    against "did Pompeo call the election free and fair?"). A negation elsewhere in the
    claim says nothing about the question."""
    asked = {_key(w) for w in _WORD.findall(question) if len(w) > 3}
    words = [w.casefold() for w in _WORD.findall(fact_text)]
    for i, word in enumerate(words):
        if _key(word) in asked and any(
            _NEGATION.fullmatch(w) or w.endswith("n't") for w in words[max(0, i - _NEAR) : i]
        ):
            return True
    return False


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
    if negated(body):
        # A negated question ("Wasn't…") is not read for a verdict: the facts follow.
        return Polarity.UNKNOWN
    if _denies(best.text, body):
        return Polarity.NO
    return Polarity.YES
