"""Answer quality, strictly scored, on the development and the held-out question sets.

    .venv/bin/python bench/bench_answers.py [--failures SET]

Prints one markdown table: for each set in ``tests/quality/`` (development sets, which the
engine may be tuned on, and held-out sets, which it never is), strict top-1 on the
answerable questions (a confident answer whose first fact is acceptable), lenient top-1
(the right fact first, hedged or not) and honest refusals on the unanswerable ones; and a
plain BM25 baseline over the same facts on every set. ``--failures heldout3_en`` lists that
set's misses (read them to understand, never to tune: see tests/quality/README.md).
``--dev`` runs the development sets only, and adds where their answers are lost: how
often the right fact is the engine's first candidate, how many of those the decision to
answer then loses, and how many unanswerable questions it answers anyway.
``--speed N`` also times answering every question of the development sets (three languages)
once, in a store of N synthetic facts, in CPU time (the machine is shared): with the facts
analysed ahead, as the bot runs, and without; ``--against TREE`` times another checkout's
code (``git worktree add TREE main``) in the same run, the runs taking turns
(``--rounds``), so that the figures compare on one loaded machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

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
        "--against",
        type=Path,
        metavar="TREE",
        help="with --speed: time the code of another checkout too, in turns with this one",
    )
    parser.add_argument("--rounds", type=int, default=1, help="with --speed: runs of each")
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
                tuning = args.failures is not None and not args.failures.startswith("heldout")
                if (args.dev or tuning) and not path.stem.startswith("dev"):
                    continue  # listing a development set's misses is tuning: held-out stays out
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
        print(speed(args.speed, against=args.against, rounds=args.rounds))


#: One timing run, in a process of its own over the code of a tree (this one, or the one
#: ``--against`` names): only interfaces both have are used. Arguments: the tree, the size,
#: the mode ("prepared": every fact analysed first, as ``factbot run`` does after loading;
#: "cold": nothing analysed ahead), a data directory; the questions come on stdin.
_TIMING_RUN = r"""
import gc, json, random, sys, time
from pathlib import Path
tree, size, mode, data = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
sys.path[:0] = [str(tree), str(tree / "bench")]
from bench_store import synthetic_bundle
from facts.answer import answer
from facts.store import FactStore
questions = json.load(sys.stdin)
store = FactStore.open(data, seed=synthetic_bundle(size, random.Random(20200809)))
out = {"prepare_ms": None}
gc.collect()
gc.freeze()  # the base lives as long as the process (factbot run does the same)
if mode == "prepared" and hasattr(store, "fact_texts"):
    start = time.process_time_ns()
    store.fact_texts().prepare(store.facts())
    out["prepare_ms"] = (time.process_time_ns() - start) / 1e6
    gc.collect()
    gc.freeze()
for language, texts in questions.items():
    answer(texts[0], store)  # warm the caches of the store, not of the questions
    times = []
    for text in texts:
        start = time.process_time_ns()
        answer(text, store)
        times.append((time.process_time_ns() - start) / 1e6)
    out[language] = times
store.close()
print(json.dumps(out))
"""


def _timing_run(
    tree: Path, size: int, mode: str, questions: dict[str, list[str]]
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            [sys.executable, "-c", _TIMING_RUN, str(tree), str(size), mode, tmp],
            input=json.dumps(questions),
            capture_output=True,
            text=True,
            check=True,
            cwd=tree,
        )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _figures(times: list[float]) -> str:
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"{statistics.median(ordered):.2f} / {p99:.2f} / {ordered[-1]:.2f}"


def speed(size: int, *, against: Path | None = None, rounds: int = 1) -> str:
    """p50 / p99 / max CPU milliseconds of answer() per language at ``size`` facts, every
    development question asked once (never seen before), with the facts analysed ahead
    ("prepared", as the bot runs) and without ("cold", the first seconds after start-up);
    with ``against``, the code of that tree too, its runs taking turns with these."""
    questions = {
        language: [q.text for q in load_questions(SETS / f"dev_{language}.json")]
        for language in ("en", "ru", "be")
    }
    runs: list[tuple[str, Path, str]] = [
        ("this code", ROOT, "prepared"),
        ("this code", ROOT, "cold"),
    ]
    if against is not None:
        runs += [("against", against.resolve(), "prepared"), ("against", against.resolve(), "cold")]
    times: dict[tuple[str, str], dict[str, list[float]]] = {}
    prepared_ms: dict[tuple[str, str], list[float]] = {}
    for round_ in range(rounds):
        # Rotated each round, so that a busy moment of the machine falls on all alike.
        for name, tree, mode in runs[round_ % len(runs) :] + runs[: round_ % len(runs)]:
            result = _timing_run(tree, size, mode, questions)
            if mode == "prepared" and result["prepare_ms"] is None:
                continue  # that code has nothing to analyse ahead
            for language in questions:
                times.setdefault((name, mode), {}).setdefault(language, []).extend(result[language])
            if result["prepare_ms"] is not None:
                prepared_ms.setdefault((name, mode), []).append(result["prepare_ms"])
    columns = list(times)
    rows = [
        f"\nanswer() at {size:,} facts, every development question once, CPU ms "
        f"p50 / p99 / max ({rounds} round{'s' * (rounds > 1)} taking turns)\n",
        "| language | questions | " + " | ".join(f"{n}, {m}" for n, m in columns) + " |",
        "|---|---:|" + "---:|" * len(columns),
    ]
    for language, texts in questions.items():
        cells = " | ".join(_figures(times[column][language]) for column in columns)
        rows.append(f"| {language} | {len(texts)} | {cells} |")
    for (name, _), values in prepared_ms.items():
        rows.append(
            f"\n{name}: analysing every fact ahead took {statistics.median(values):,.0f} ms CPU"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    main()
