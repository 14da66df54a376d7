"""Search latency at scale: a SearchIndex of N synthetic facts built from the seed.

Usage: .venv/bin/python bench/bench_search.py [N]   (default 10000)

Each synthetic fact is a seed fact with a new id, a shuffled and extended claim (words
drawn from the whole seed plus made-up words, so the vocabulary grows with N) and, for
people, a made-up surname, so the names index grows too. Queries are the quality-set
questions, their keywords and name spellings. Prints p50/p99/max per operation in ms,
wall-clock and CPU time.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from facts.model import Fact, PersonDetails
from facts.search import SearchIndex
from facts.seed import load_seed

ROOT = Path(__file__).resolve().parents[1]
SYLLABLES = [
    "ka",
    "lo",
    "vi",
    "sen",
    "ra",
    "tu",
    "mi",
    "shen",
    "ko",
    "va",
    "de",
    "lin",
    "or",
    "ba",
    "zu",
    "che",
    "nik",
    "ov",
    "ska",
    "ya",
]


def made_up_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def synthetic_facts(n: int, rng: random.Random) -> list[Fact]:
    seed = [f for f in load_seed().facts if f.is_current]
    vocabulary = sorted({w for f in seed for w in f.text.split()})
    invented = [made_up_word(rng) for _ in range(max(n // 2, 100))]
    out: list[Fact] = []
    for i in range(n):
        base = rng.choice(seed)
        words = base.text.split()
        rng.shuffle(words)
        extra = rng.sample(vocabulary, 8) + rng.sample(invented, 4)
        text = " ".join(words[:40] + extra)[:1000]
        data = base.model_dump(mode="json")
        data.update(id=f"{base.id[:48].rstrip('-')}-{i}", text=text, related=[], status="current")
        data.pop("superseded_by", None)
        data.pop("retraction_reason", None)
        if isinstance(base.details, PersonDetails):
            surname = made_up_word(rng).capitalize()
            first = base.details.name.split()[0]
            data["details"]["name"] = f"{first} {surname}"
            data["details"]["aliases"] = [surname, f"{first[0]}. {surname}"]
        out.append(Fact.model_validate(data))
    return out


def queries() -> tuple[list[str], list[str]]:
    dev = ROOT / "tests" / "quality" / "dev_en.json"
    questions = [q["question"] for q in json.loads(dev.read_text())]
    names = [
        "Lukashenko",
        "Lukashenka",
        "Lukashenk",
        "Tikhanovskaya",
        "Tsikhanouskaya",
        "Tikhanovskaja",
        "Kalesnikava",
        "Kolesnikova",
        "Pompeo",
        "Pompeio",
        "Benedek",
        "Wolfgang Benedek",
        "Carpenter",
        "Carpent",
        "Hervé Ascensio",
        "Macron",
        "coordination council",
        "OSCE",
    ]
    return questions, names


Samples = tuple[list[float], list[float]]


def timed(op: Callable[[str], object], inputs: list[str], rounds: int) -> Samples:
    """Wall-clock and CPU milliseconds of each call (CPU time is what the call costs
    when other processes compete for the processor)."""
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(rounds):
        for text in inputs:
            start, start_cpu = time.perf_counter(), time.process_time()
            op(text)
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def report(label: str, samples: Samples) -> None:
    parts = []
    for name, values in zip(("wall", "cpu"), samples, strict=True):
        ordered = sorted(values)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        parts.append(
            f"{name} p50={statistics.median(values):.3f} p99={p99:.3f} max={ordered[-1]:.3f}"
        )
    print(f"{label:<18} n={len(samples[0]):<5} " + " | ".join(parts) + " (ms)")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rng = random.Random(20201026)
    facts = synthetic_facts(n, rng)
    index = SearchIndex()
    start = time.perf_counter()
    for f in facts:
        index.add(f)
    build = time.perf_counter() - start
    print(f"{n} facts indexed in {build:.2f}s ({build / n * 1000:.3f} ms per add)")
    questions, names = queries()
    timed(index.search, questions, 1)  # warm the caches
    report("search(question)", timed(index.search, questions, 5))
    keywords = [" ".join(q.split()[-3:]) for q in questions]
    report("search(keywords)", timed(index.search, keywords, 5))
    report("names()", timed(index.names, names, 20))
    sample = rng.sample(facts, 500)
    report("remove()", timed(lambda i: index.remove(i), [f.id for f in sample], 1))
    by_id = {f.id: f for f in sample}
    report("add()", timed(lambda i: index.add(by_id[i]), list(by_id), 1))


if __name__ == "__main__":
    main()
