"""Answer quality, strictly scored, on the development and the held-out question sets.

    .venv/bin/python bench/bench_answers.py [--failures SET]

Prints one markdown table: for each set in ``tests/quality/`` (development sets, which the
engine may be tuned on, and held-out sets, which it never is), strict top-1 on the
answerable questions (a confident answer whose first fact is acceptable), lenient top-1
(the right fact first, hedged or not) and honest refusals on the unanswerable ones; and a
plain BM25 baseline over the same facts on every set. ``--failures heldout_en`` lists that
set's misses (read them to understand, never to tune: see tests/quality/README.md).
``--dev`` runs the development sets only, and adds where their answers are lost: how
often the right fact is the engine's first candidate, how many of those the decision to
answer then loses, and how many unanswerable questions it answers anyway.
``--speed N`` also times answering every question of the development sets (three languages)
in a store of N synthetic facts, in CPU time (the machine is shared), uncached.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from facts.answer import answer  # noqa: E402
from facts.quality import (  # noqa: E402
    PlainBM25,
    Report,
    decompose,
    engine,
    evaluate,
    load_questions,
)
from facts.seed import load_seed  # noqa: E402
from facts.store import FactStore  # noqa: E402

SETS = ROOT / "tests" / "quality"


def _row(name: str, who: str, report: Report) -> str:
    return (
        f"| {name} | {who} | {report.answerable} | {100 * report.top1:.1f} % | "
        f"{100 * report.lenient_top1:.1f} % | {report.unanswerable} | "
        f"{100 * report.refusal:.1f} % |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", metavar="SET", help="list the misses of one set")
    parser.add_argument(
        "--dev", action="store_true", help="development sets only (while working on the engine)"
    )
    parser.add_argument("--speed", type=int, metavar="N", help="time answers at N facts")
    parser.add_argument(
        "--finished",
        action="store_true",
        help="allow --failures on a held-out set: only once a change is finished and measured",
    )
    args = parser.parse_args()
    if args.failures and args.failures.startswith("heldout") and not args.finished:
        parser.error(
            "held-out misses are for reading after a change is finished, never for tuning: "
            "add --finished (see tests/quality/README.md)"
        )
    seed = load_seed()
    baseline = PlainBM25(seed.facts)
    print(
        "| set | answerer | answerable | strict top-1 | lenient top-1 | unanswerable "
        "| honest refusals |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        store = FactStore.open(Path(tmp) / "data", seed=seed)
        try:
            ask = engine(store)
            paths = sorted(SETS.glob("*.json"), key=lambda p: (p.stem.split("_")[1], p.stem))
            for path in paths:
                if args.dev and not path.stem.startswith("dev"):
                    continue
                questions = load_questions(path)
                report = evaluate(questions, ask)
                print(_row(path.stem, "factbot", report))
                print(_row(path.stem, "plain BM25", evaluate(questions, baseline.ask)))
                if args.failures == path.stem:
                    print("\n".join(report.failures), file=sys.stderr)
            if args.dev:
                print(
                    "\nWhere answers are lost (questions decided by ranking and judging "
                    "candidates)\n\n| set | right fact first in the engine's order "
                    "| gate losses (right first, not answered with it) "
                    "| gate leaks (unanswerable answered) |\n|---|---:|---:|---:|"
                )
                for path in paths:
                    if path.stem.startswith("dev"):
                        split = decompose(load_questions(path), store)
                        print(f"| {path.stem} | {split.row()} |")
        finally:
            store.close()
        if args.speed:
            print(speed(Path(tmp) / "speed", args.speed))


def speed(data_dir: Path, size: int) -> str:
    """p50 / p99 / max CPU milliseconds of answer() per language at ``size`` facts."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_store import synthetic_bundle

    store = FactStore.open(data_dir, seed=synthetic_bundle(size, random.Random(20200809)))
    rows = [
        f"\nanswer() at {size:,} facts, CPU ms (uncached)\n",
        "| language | questions | p50 | p99 | max |",
        "|---|---:|---:|---:|---:|",
    ]
    try:
        for language in ("en", "ru", "be"):
            questions = [q.text for q in load_questions(SETS / f"dev_{language}.json")]
            answer(questions[0], store)  # warm the caches of the store, not of the question
            times = []
            for text in questions:
                start = time.process_time_ns()
                answer(text, store)
                times.append((time.process_time_ns() - start) / 1e6)
            times.sort()
            p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
            rows.append(
                f"| {language} | {len(times)} | {statistics.median(times):.2f} | {p99:.2f} "
                f"| {times[-1]:.2f} |"
            )
    finally:
        store.close()
    return "\n".join(rows)


if __name__ == "__main__":
    main()
