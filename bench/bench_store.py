"""Benchmark the fact store against a plain dict of the same facts; prints markdown tables.

Usage: ``.venv/bin/python bench/bench_store.py [--sizes 1000,10000,100000] [--clock cpu]``.
Start-up is timed three ways: loading the cached search index (the usual open), building
the index (no cache, or a stale one: after a crash, a restore, new code) and without any
index (the store's own share). On a busy machine ``--clock cpu``
gives steadier figures (durable edits are always wall time: they wait for the disk).

Synthetic facts are variations of the real seed facts (new ids, shifted years, extra
words and topics), so texts, kinds and shapes stay realistic. The plain dict is the
floor: the same operation done the naive way on ``dict[id, Fact]`` in memory, with no
durability and no index (a list by kind is a scan, a search a substring scan).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import facts.store as store_module
import facts.store_indexes as indexes_module
from facts.model import Bundle, Fact, Kind
from facts.seed import load_seed
from facts.storage import INDEX_NAME
from facts.store import FactStore


class _NoIndex:
    """Stands in for the search index to time the store without it."""

    def add(self, fact: Fact) -> None:
        """Index nothing."""

    def add_many(self, facts: Iterable[Fact]) -> None:
        """Index nothing."""

    def remove(self, fact_id: str) -> None:
        """Forget nothing."""


@contextmanager
def no_search_index() -> Iterator[None]:
    """Open stores with a do-nothing search index (neither read from nor written to the
    cache), to time the store's own share."""
    real_index = getattr(store_module, "SearchIndex")  # noqa: B009 - not re-exported
    real_load, real_save = FactStore._load_index_cache, FactStore._save_index_cache
    setattr(store_module, "SearchIndex", _NoIndex)  # noqa: B010 - not re-exported
    # The indexes are built where they are kept (facts/store_indexes.py).
    setattr(indexes_module, "SearchIndex", _NoIndex)  # noqa: B010 - not re-exported
    # No cache: the facts are validated from the snapshot, no index is read.
    FactStore._load_index_cache = FactStore._validated_without_cache  # type: ignore[method-assign]
    FactStore._save_index_cache = lambda self: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        setattr(store_module, "SearchIndex", real_index)  # noqa: B010 - not re-exported
        setattr(indexes_module, "SearchIndex", real_index)  # noqa: B010 - not re-exported
        FactStore._load_index_cache = real_load  # type: ignore[method-assign]
        FactStore._save_index_cache = real_save  # type: ignore[method-assign]


EXTRA_TOPICS = [f"topic-{n}" for n in range(40)]
KINDS = list(Kind)


def synthetic_bundle(size: int, rng: random.Random) -> Bundle:
    """``size`` facts varied from the seed's, citing the seed's sources."""
    seed = load_seed()
    templates = [f.model_dump(mode="json", exclude_none=True) for f in seed.facts]
    words = sorted({w for f in seed.facts for w in f.text.split() if w.isalpha() and len(w) > 3})
    facts = []
    for n in range(size):
        record: dict[str, Any] = json.loads(json.dumps(templates[n % len(templates)]))
        record["id"] = f"{record['id'][:44].rstrip('-')}-v{n}"
        record["text"] = f"{record['text'][:880]} {' '.join(rng.sample(words, 4))}."
        record["status"] = "current"
        for key in ("superseded_by", "retraction_reason", "related"):
            record.pop(key, None)
        record["topics"] = sorted({*record.get("topics", []), rng.choice(EXTRA_TOPICS)})
        record["revision"] = 1
        for key in ("date", "as_of"):
            when = record["details"].get(key)
            if when:
                # Never later than the template's own date: a date after the citing source's
                # publication breaks a store rule.
                latest = int(when["date"][:4])
                year = rng.randint(min(2015, latest), latest)
                when["date"] = str(year) + when["date"][4:]
                if when["date"].endswith("-02-29"):
                    when["date"] = when["date"][:-2] + "28"
        facts.append(Fact.model_validate(record))
    return Bundle(sources=seed.sources, facts=facts)


#: The clock every figure is read on except durable edits (``--clock``).
clock_ns: Callable[[], int] = time.perf_counter_ns


def timed(
    fn: Callable[[], object], repeat: int, clock: Callable[[], int] | None = None
) -> list[float]:
    """Milliseconds per call of ``fn``, one figure per call."""
    read = clock or clock_ns
    out = []
    for _ in range(repeat):
        start = read()
        fn()
        out.append((read() - start) / 1e6)
    return out


def per_op(fn: Callable[[], object], calls: int) -> float:
    """Mean milliseconds per call over ``calls`` back-to-back calls (for tiny operations)."""
    start = clock_ns()
    for _ in range(calls):
        fn()
    return (clock_ns() - start) / 1e6 / calls


def p99(values: list[float]) -> float:
    """The 99th percentile."""
    return (
        statistics.quantiles(values, n=100, method="inclusive")[98]
        if len(values) > 1
        else values[0]
    )


def cycle(items: list[Any]) -> Iterator[Any]:
    """Loop over ``items`` forever."""
    while True:
        yield from items


def bench_size(size: int, rng: random.Random) -> dict[str, tuple[float, float | None]]:
    """Figures for one size: operation -> (store ms, plain dict ms or None)."""
    results: dict[str, tuple[float, float | None]] = {}
    bundle = synthetic_bundle(size, rng)
    ids = [f.id for f in bundle.facts]
    plain = {f.id: f for f in bundle.facts}
    queries = [" ".join(rng.sample(f.text.split(), 2)) for f in rng.sample(bundle.facts, 300)]
    names = [n.split()[-1] for f in bundle.facts[:500] for n in f.names][:100] or ["Lukashenko"]
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        with no_search_index():
            start = clock_ns() / 1e9
            FactStore.open(data_dir, seed=bundle).close()
            seeding = (clock_ns() / 1e9 - start) * 1000
        results["first open: seed + snapshot (no search index)"] = (seeding, None)
        snapshot_mb = (data_dir / "facts.json").stat().st_size / 1e6

        # Floor for start-up: read one JSON file of the facts and validate them into a dict.
        plain_file = Path(tmp) / "plain.json"
        plain_file.write_text(json.dumps([f.model_dump(mode="json") for f in bundle.facts]))

        def load_plain() -> None:
            gc.disable()  # as the store does while loading
            try:
                loaded = json.loads(plain_file.read_bytes())
                {d["id"]: Fact.model_validate(d) for d in loaded}
            finally:
                gc.enable()

        gc.collect()
        # First the open with a do-nothing search index: the store's own share.
        with no_search_index():
            bare = timed(lambda: FactStore.open(data_dir).close(), 1 if size > 20000 else 3)
        # Then the first real open, which finds no cached search index and builds it, and
        # its close, which caches it; then opens that load the cache. The last open is the
        # one the operations below use.
        start = clock_ns() / 1e9
        first = FactStore.open(data_dir)
        rebuilt = (clock_ns() / 1e9 - start) * 1000
        closing = timed(first.close, 1)
        opens = timed(lambda: FactStore.open(data_dir).close(), 1 if size > 20000 else 2)
        start = clock_ns() / 1e9
        store = FactStore.open(data_dir)
        opens.append((clock_ns() / 1e9 - start) * 1000)
        plain_load = min(timed(load_plain, 1))
        results["start-up load (open)"] = (min(opens), plain_load)
        results["… without the search index"] = (min(bare), plain_load)
        results["… building the index (no valid cache)"] = (rebuilt, plain_load)
        results["close writing the index cache"] = (closing[0], None)
        results["index cache size, MB"] = ((data_dir / INDEX_NAME).stat().st_size / 1e6, None)
        try:
            some = [rng.choice(ids) for _ in range(1000)]
            it = cycle(some)
            results["get by id"] = (
                per_op(lambda: store.get(next(it)), 20000),
                per_op(lambda: plain[next(it)], 20000),
            )
            kinds = cycle(KINDS)
            topics = cycle(EXTRA_TOPICS)

            def plain_kind() -> list[Fact]:
                kind = next(kinds)
                return sorted((f for f in plain.values() if f.kind == kind), key=lambda f: f.id)

            def plain_topic() -> list[Fact]:
                topic = next(topics)
                return sorted((f for f in plain.values() if topic in f.topics), key=lambda f: f.id)

            results["list by kind"] = (
                per_op(lambda: store.facts(kind=next(kinds)), 200),
                per_op(plain_kind, 20),
            )
            results["list by topic"] = (
                per_op(lambda: store.facts(topic=next(topics)), 200),
                per_op(plain_topic, 20),
            )

            def list_after_edit() -> None:
                fact = store.get(rng.choice(ids))
                store._by_kind[fact.kind].listing = None  # what an edit of a fact does
                store.facts(kind=fact.kind)

            results["list by kind, first after an edit"] = (
                statistics.mean(timed(list_after_edit, 50)),
                None,
            )
            results["dated range (one year)"] = (
                statistics.mean(timed(lambda: store.dated("2020", "2020"), 50)),
                statistics.mean(
                    timed(
                        lambda: sorted(
                            (f for f in plain.values() if f.date and f.date.date[:4] == "2020"),
                            key=lambda f: f.date.date if f.date else "",
                        ),
                        5,
                    )
                ),
            )
            qs = cycle(queries)

            def naive_search() -> None:
                words = next(qs).casefold().split()
                [f for f in plain.values() if all(w in f.text.casefold() for w in words)][:10]

            store_search = timed(lambda: store.search(next(qs)), len(queries))
            results["text search p50"] = (statistics.median(store_search), None)
            naive = timed(naive_search, 20 if size > 20000 else 100)
            results["text search p99"] = (p99(store_search), p99(naive))
            ns = cycle(names)
            people = timed(lambda: store.find_people(next(ns)), 200)
            results["find_people p99"] = (p99(people), None)

            edits = [rng.choice(ids) for _ in range(200)]
            ei = cycle(edits)

            def edit() -> None:
                fact = store.get(next(ei))
                changed = fact.model_copy(update={"text": fact.text + " (edited)"})
                store.update_fact(changed, by="bench", reason="benchmark edit")

            def plain_edit() -> None:
                fact = plain[next(ei)]
                plain[fact.id] = fact.model_copy(update={"text": fact.text + " (edited)"})

            store.compact_every = 10**9  # compaction is timed on its own below
            # Always wall time: an edit is mostly waiting for the disk, not computing.
            edit_times = timed(edit, len(edits), time.perf_counter_ns)
            results["durable edit, mean"] = (
                statistics.mean(edit_times),
                statistics.mean(timed(plain_edit, len(edits))),
            )
            results["durable edit, p99"] = (p99(edit_times), None)
            results["compaction (snapshot write)"] = (min(timed(store.compact, 2)), None)
            start = clock_ns() / 1e9
            store.facts_as_of(store.history(ids[0])[0].at)
            results["facts_as_of (whole base)"] = ((clock_ns() / 1e9 - start) * 1000, None)
        finally:
            store.close()
    results["snapshot size, MB"] = (snapshot_mb, None)
    return results


def fmt(ms: float) -> str:
    """A figure in ms with sensible precision."""
    if ms >= 100:
        return f"{ms:,.0f}"
    if ms >= 1:
        return f"{ms:.1f}"
    if ms >= 0.01:
        return f"{ms:.3f}"
    return f"{ms:.5f}"


def ratio(value: float) -> str:
    """A ratio with two significant digits (``0.013×``, ``1.7×``, ``260×``)."""
    return f"{value:,.0f}×" if value >= 100 else f"{value:.2g}×"


TARGETS = {
    "start-up load (open)": 1000.0,
    "… without the search index": 1000.0,
    "get by id": 0.1,
    "list by kind": 1.0,
    "list by topic": 1.0,
    "text search p99": 5.0,
    "durable edit, mean": 50.0,
    "durable edit, p99": 50.0,
}


def main() -> None:
    """Run the sizes asked for and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--clock",
        choices=["wall", "cpu"],
        default="wall",
        help="cpu: process CPU time, steadier on a busy machine (durable edits stay wall)",
    )
    args = parser.parse_args()
    global clock_ns
    clock_ns = time.process_time_ns if args.clock == "cpu" else time.perf_counter_ns
    sizes = [int(s) for s in args.sizes.split(",")]
    rng = random.Random(args.seed)
    all_results = {}
    for size in sizes:
        start = time.perf_counter()
        all_results[size] = bench_size(size, rng)
        print(f"… {size:,} facts done in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    ops = list(all_results[sizes[0]])
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"Times in ms ({args.clock} clock; durable edits wall) except size;")
    print("cell = store / plain dict (store ÷ dict).")
    print(f"{os.cpu_count()} CPUs, load average at the end {load}.\n")
    print("| operation | " + " | ".join(f"{s:,} facts" for s in sizes) + " |")
    print("|---|" + "---|" * len(sizes))
    for op in ops:
        cells = []
        for size in sizes:
            mine, floor = all_results[size][op]
            cells.append(
                fmt(mine)
                if floor is None
                else f"{fmt(mine)} / {fmt(floor)} ({ratio(mine / floor)})"
            )
        print(f"| {op} | " + " | ".join(cells) + " |")
    if 10000 in all_results:
        print("\nTargets at 10,000 facts:\n")
        print("| operation | target ms | measured ms | met |")
        print("|---|---|---|---|")
        for op, target in TARGETS.items():
            mine = all_results[10000][op][0]
            print(f"| {op} | < {target:g} | {fmt(mine)} | {'yes' if mine < target else 'NO'} |")


if __name__ == "__main__":
    main()
