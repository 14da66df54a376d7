"""Answer quality on the seed: top-1 accuracy and honest refusal over tests/questions.json.

Each question lists the fact ids acceptable as the FIRST answer, or none when the base
cannot answer it and the bot must say so. The bar: top-1 accuracy ≥ 0.90 on answerable
questions and every unanswerable question refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from facts.answer import Answer, FactSource, answer
from facts.model import Bundle
from facts.seed import load_seed
from facts.store import FactStore

QUESTIONS = Path(__file__).resolve().parents[1] / "quality" / "dev_en.json"
MIN_TOP1 = 0.90
MIN_REFUSAL = 1.0


@dataclass(frozen=True)
class Question:
    text: str
    accept: list[str]


@dataclass(frozen=True)
class Report:
    top1: float
    refusal: float
    answerable: int
    unanswerable: int
    failures: list[str]

    def summary(self) -> str:
        lines = [
            f"top-1 accuracy {self.top1:.3f} on {self.answerable} answerable questions",
            f"honest refusal {self.refusal:.3f} on {self.unanswerable} unanswerable questions",
            *self.failures,
        ]
        return "\n".join(lines)


def load_questions() -> list[Question]:
    records = json.loads(QUESTIONS.read_text("utf-8"))
    return [Question(r["question"], r["accept"]) for r in records]


def evaluate(questions: list[Question], ask: Callable[[str], Answer]) -> Report:
    """Run every question through ``ask`` and score the first answers and the refusals."""
    right = refused = 0
    failures: list[str] = []
    answerable = [q for q in questions if q.accept]
    unanswerable = [q for q in questions if not q.accept]
    for q in answerable:
        got = ask(q.text)
        first = got.facts[0].id if got.found and got.facts else None
        if first in q.accept:
            right += 1
        else:
            failures.append(f"WRONG   {q.text!r}: got {first}, want one of {q.accept}")
    for q in unanswerable:
        got = ask(q.text)
        if not got.found:
            refused += 1
        else:
            failures.append(f"ANSWERED {q.text!r}: got {[f.id for f in got.facts]}")
    return Report(
        top1=right / len(answerable),
        refusal=refused / len(unanswerable),
        answerable=len(answerable),
        unanswerable=len(unanswerable),
        failures=failures,
    )


@pytest.fixture(scope="module")
def seed() -> Bundle:
    return load_seed()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, seed: Bundle) -> Iterator[FactStore]:
    opened = FactStore.open(tmp_path_factory.mktemp("quality") / "data", seed=seed)
    yield opened
    opened.close()


def test_question_set_is_large_and_names_real_facts(seed: Bundle) -> None:
    questions = load_questions()
    known = {f.id for f in seed.facts}
    unknown = sorted({i for q in questions for i in q.accept} - known)
    assert not unknown, f"questions.json accepts ids the seed does not hold: {unknown}"
    assert len(questions) >= 60
    assert sum(1 for q in questions if not q.accept) >= 12
    assert len({q.text.casefold() for q in questions}) == len(questions)


def test_answers_meet_the_quality_bar(store: FactStore) -> None:
    source: FactSource = store
    report = evaluate(load_questions(), lambda text: answer(text, source))
    print("\n" + report.summary())
    assert report.top1 >= MIN_TOP1, report.summary()
    assert report.refusal >= MIN_REFUSAL, report.summary()


def test_the_bar_rejects_an_answerer_that_never_refuses(store: FactStore) -> None:
    """The measure can fail: the top search hit, always shown, misses the bar."""

    def first_hit(text: str) -> Answer:
        hits = store.search(text, limit=1)
        return Answer(text, bool(hits), [h.fact for h in hits], 1.0 if hits else 0.0)

    report = evaluate(load_questions(), first_hit)
    assert report.refusal < MIN_REFUSAL or report.top1 < MIN_TOP1
