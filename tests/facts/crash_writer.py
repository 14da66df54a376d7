"""Helper process for the crash test: writes to a store in a loop until it is killed.

Usage: ``python -m tests.facts.crash_writer DATA_DIR ROUND COMPACT_EVERY``. After each
write returns (is acknowledged) it prints one line and flushes stdout:
``add ID``, ``update ID REVISION``, ``supersede OLD NEW`` or ``retract ID``. On stderr it
marks the start and end of each compaction, so the test can tell where kills landed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from facts.model import Bundle
from facts.store import FactStore
from tests.facts.conftest import make_fact, make_source

SEED_SIZE = 2000
BY = "crash-writer"


class _MarkedStore(FactStore):
    """A store that says on stderr when it compacts."""

    def compact(self) -> None:
        sys.stderr.write("compact-start\n")
        sys.stderr.flush()
        super().compact()
        sys.stderr.write("compact-end\n")
        sys.stderr.flush()


def seed() -> Bundle:
    """A base big enough that writing a snapshot takes a while."""
    facts = [
        make_fact(f"seed-{n}", text=f"Seed claim number {n} about detentions in Minsk.")
        for n in range(SEED_SIZE)
    ]
    return Bundle(sources=[make_source()], facts=facts)


def ack(line: str) -> None:
    """Report an acknowledged write."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> None:
    """Write until killed."""
    data_dir, round_no, compact_every = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    store = _MarkedStore.open(data_dir, seed=seed())
    store.compact_every = compact_every
    ack("ready")
    n = 0
    while True:
        n += 1
        fact_id = f"w{round_no}-{n}"
        store.add_fact(make_fact(fact_id), by=BY, reason="crash test")
        ack(f"add {fact_id}")
        if n % 3 == 0:
            # A superseded fact is left alone (an edit would make it current again); its
            # successor is edited instead.
            target = f"w{round_no}-{n - 1}" + ("-new" if (n - 1) % 5 == 0 else "")
            edited = make_fact(target, text=f"Edited in round {round_no}.")
            revision = store.update_fact(edited, by=BY, reason="crash test").revision
            ack(f"update {edited.id} {revision}")
        if n % 5 == 0:
            new_id = f"w{round_no}-{n}-new"
            store.supersede(fact_id, make_fact(new_id), by=BY, reason="crash test")
            ack(f"supersede {fact_id} {new_id}")
        if n % 7 == 0 and n // 7 < 100:
            # Seed facts are split between rounds so that no two rounds retract the same one.
            target = f"seed-{round_no * 100 + n // 7}"
            store.retract(target, by=BY, reason="crash test")
            ack(f"retract {target}")


if __name__ == "__main__":
    main()
