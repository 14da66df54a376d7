"""Scoring answers against labelled questions, strictly.

A question set is a JSON list of ``{"question": …, "accept": [fact ids]}``: the facts
acceptable as the FIRST answer, or none when the base cannot answer it. Scoring is strict:

- top-1: the reply is a confident answer (not a hedged "this may answer it", not a
  refusal) and its first fact is one of ``accept``;
- honest refusal: for an unanswerable question, the reply is not a confident answer (a
  refusal, or a clearly labelled "this may answer it").

Lenient top-1 (the right fact first, hedged or not) is reported beside it, never instead.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from facts.answer import Answer, FactSource, answer, ranked
from facts.model import Fact


@dataclass(frozen=True, slots=True)
class Question:
    """A question and the fact ids acceptable as its first answer (none: unanswerable)."""

    text: str
    accept: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Report:
    """Strict scores of one answerer on one question set."""

    top1: float
    lenient_top1: float
    refusal: float
    answerable: int
    unanswerable: int
    failures: list[str] = field(default_factory=list)

    def figures(self) -> str:
        """The scores alone (all that may be shown of a held-out set)."""
        return (
            f"strict top-1 {self.top1:.3f} on {self.answerable} answerable "
            f"(lenient {self.lenient_top1:.3f})\n"
            f"honest refusal {self.refusal:.3f} on {self.unanswerable} unanswerable"
        )

    def summary(self) -> str:
        """The scores and every failure, one a line."""
        return "\n".join([self.figures(), *self.failures])


def load_questions(path: Path) -> list[Question]:
    """The questions of a set file."""
    records = json.loads(path.read_text("utf-8"))
    return [Question(r["question"], tuple(r["accept"])) for r in records]


def evaluate(questions: Iterable[Question], ask: Callable[[str], Answer]) -> Report:
    """Run every question through ``ask`` and score it strictly."""
    right = lenient = refused = answerable = unanswerable = 0
    failures: list[str] = []
    for q in questions:
        got = ask(q.text)
        first = got.facts[0].id if got.found and got.facts else None
        offered = first or (got.maybe.id if got.maybe else None)
        if q.accept:
            answerable += 1
            lenient += offered in q.accept
            if first in q.accept:
                right += 1
            else:
                mode = "WRONG" if got.found else "MAYBE" if got.maybe else "REFUSED"
                failures.append(f"{mode:8} {q.text!r}: got {offered}, want one of {list(q.accept)}")
        else:
            unanswerable += 1
            if not got.found:
                refused += 1
            else:
                failures.append(f"ANSWERED {q.text!r}: got {[f.id for f in got.facts]}")
    return Report(
        top1=right / answerable if answerable else 1.0,
        lenient_top1=lenient / answerable if answerable else 1.0,
        refusal=refused / unanswerable if unanswerable else 1.0,
        answerable=answerable,
        unanswerable=unanswerable,
        failures=failures,
    )


class PlainBM25:
    """A plain BM25 ranking over facts (claim and its translations, names, quotes;
    lower-cased words, no stemming): the baseline an engine must beat. It answers with
    its top hit whenever any word matches, and refuses otherwise."""

    _WORD = re.compile(r"\w+")
    _K1 = 1.2
    _B = 0.75

    def __init__(self, facts: Iterable[Fact]) -> None:
        self._facts = [f for f in facts if f.is_current]
        self._docs = [Counter(self._words(self._text(f))) for f in self._facts]
        self._lengths = [sum(d.values()) for d in self._docs]
        self._average = sum(self._lengths) / max(1, len(self._lengths))
        df: Counter[str] = Counter()
        for doc in self._docs:
            df.update(doc.keys())
        n = len(self._docs)
        self._idf = {w: math.log(1 + (n - c + 0.5) / (c + 0.5)) for w, c in df.items()}

    @classmethod
    def _words(cls, text: str) -> list[str]:
        return cls._WORD.findall(text.casefold())

    @staticmethod
    def _text(fact: Fact) -> str:
        translations = [t.text for t in fact.translations.values()]
        return " ".join([*fact.names, fact.text, *translations, *(c.quote for c in fact.citations)])

    def ask(self, question: str) -> Answer:
        """The top-ranked fact as a confident answer, or a refusal when nothing matches."""
        words = [w for w in self._words(question) if w in self._idf]
        best: tuple[float, int] | None = None
        for i, doc in enumerate(self._docs):
            score = 0.0
            norm = self._K1 * (1 - self._B + self._B * self._lengths[i] / self._average)
            for w in words:
                tf = doc.get(w, 0)
                if tf:
                    score += self._idf[w] * tf * (self._K1 + 1) / (tf + norm)
            if score > 0 and (best is None or score > best[0]):
                best = (score, i)
        if best is None:
            return Answer(question, False, [], 0.0)
        return Answer(question, True, [self._facts[best[1]]], 1.0)


def engine(store: FactSource) -> Callable[[str], Answer]:
    """The bot's own answerer over ``store``."""
    return lambda text: answer(text, store)


@dataclass(frozen=True, slots=True)
class Decomposition:
    """Where one set's answers are lost: in the ranking, or in the decision to answer.

    Counted over the questions answering decides by ranking and judging candidates (not
    comparisons, profiles or questions about articles, which are answered another way)."""

    #: Answerable questions decided by the ranking.
    ranked: int
    #: Of those, the ones whose right fact is the engine's first candidate.
    first_right: int
    #: Of those, the ones not answered confidently with it (refused, hedged or other).
    gate_losses: int
    #: Unanswerable questions decided by the ranking.
    unanswerable: int
    #: Of those, the ones answered confidently anyway.
    gate_leaks: int

    def row(self) -> str:
        """``first right % | gate losses | gate leaks`` for a markdown table."""
        share = self.first_right / self.ranked if self.ranked else 1.0
        return (
            f"{100 * share:.1f} % of {self.ranked} | {self.gate_losses} "
            f"| {self.gate_leaks} of {self.unanswerable}"
        )


def decompose(questions: Iterable[Question], store: FactSource) -> Decomposition:
    """How many answerable questions have the right fact first in the engine's order, how
    many of those the decision then loses, and how many unanswerable ones it answers."""
    ranked_count = first_right = losses = unanswerable = leaks = 0
    for q in questions:
        pool = ranked(q.text, store)
        if pool is None:
            continue
        got = answer(q.text, store)
        first = got.facts[0].id if got.found and got.facts else None
        if q.accept:
            ranked_count += 1
            if pool and pool[0].fact.id in q.accept:
                first_right += 1
                losses += first != pool[0].fact.id
        else:
            unanswerable += 1
            leaks += got.found
    return Decomposition(ranked_count, first_right, losses, unanswerable, leaks)
