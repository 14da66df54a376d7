"""The subscriber store on real files: topics, modes, paging, counts, durability, forget."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from facts.errors import NotFoundError
from facts.subscribers import Mode, Subscriber, SubTopic, decode, encode, fact_topics
from facts.subscriptions import BUCKETS, SubscriptionStore
from tests.facts.conftest import make_fact

S, P, T, A = SubTopic.SANCTIONS, SubTopic.PRISONERS, SubTopic.TIMELINE, SubTopic.ALL


@pytest.fixture
def subs(tmp_path: Path) -> Iterator[SubscriptionStore]:
    opened = SubscriptionStore.open(tmp_path)
    yield opened
    opened.close()


def data_files(directory: Path) -> bytes:
    """Every byte of every file in ``directory`` (what a search of the disk would see)."""
    return b"".join(p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file())


def test_subscribe_merges_topics_and_keeps_only_what_delivery_needs(
    subs: SubscriptionStore,
) -> None:
    assert subs.get(5) is None
    first = subs.subscribe(5, [S])
    assert first == Subscriber(5, frozenset({S}), Mode.IMMEDIATE, True)
    assert subs.subscribe(5, [P]).topics == {S, P}
    assert subs.get(5) == Subscriber(5, frozenset({S, P}), Mode.IMMEDIATE, True)
    assert 5 in subs and len(subs) == 1
    with pytest.raises(ValueError, match="at least one"):
        subs.subscribe(6, [])


def test_unsubscribe_drops_topics_then_the_record(subs: SubscriptionStore) -> None:
    subs.subscribe(5, [S, P])
    remaining = subs.unsubscribe(5, [S])
    assert remaining is not None and remaining.topics == {P}
    assert subs.unsubscribe(5, [P]) is None
    assert 5 not in subs
    subs.subscribe(5, [S, T])
    assert subs.unsubscribe(5) is None and len(subs) == 0
    assert subs.unsubscribe(99) is None


def test_mode_and_deactivation(subs: SubscriptionStore) -> None:
    with pytest.raises(NotFoundError):
        subs.set_mode(5, Mode.DIGEST)
    subs.subscribe(5, [A])
    assert subs.set_mode(5, Mode.DIGEST).mode is Mode.DIGEST
    assert subs.deactivate(5) is True
    assert subs.deactivate(5) is False
    stored = subs.get(5)
    assert stored is not None and not stored.active and stored.mode is Mode.DIGEST
    # Subscribing again (the user came back) reactivates, keeping the mode.
    back = subs.subscribe(5, [S])
    assert back.active and back.mode is Mode.DIGEST and back.topics == {A, S}


def test_flags_round_trip() -> None:
    for flags in range(64):
        topics, mode, active = decode(flags)
        assert encode(topics, mode, active) == flags


def test_wants() -> None:
    everything = Subscriber(1, frozenset({A}), Mode.IMMEDIATE, True)
    sanctions = Subscriber(2, frozenset({S}), Mode.IMMEDIATE, True)
    assert everything.wants({A})
    assert sanctions.wants({A, S}) and not sanctions.wants({A, P})


def test_fact_topics() -> None:
    sanction = make_fact("eu-sanction", "sanction")
    assert fact_topics(sanction) == {A, S, T}  # a dated sanction is on the timeline too
    prisoners = make_fact("count", "statistic", topics=["prisoners"])
    assert P in fact_topics(prisoners)
    undated = make_fact("someone", "person")
    assert fact_topics(undated) == {A}
    tagged = make_fact("someone-else", "person", topics=["timeline", "sanctions"])
    assert fact_topics(tagged) == {A, S, T}


def test_page_walks_in_chat_id_order_across_changes(subs: SubscriptionStore) -> None:
    for chat in (30, -7, 10, 20, 5000):
        subs.subscribe(chat, [A])
    assert [s.chat_id for s in subs.page(None, 2)] == [-7, 10]
    assert [s.chat_id for s in subs.page(11, 2)] == [20, 30]
    subs.unsubscribe(20)
    subs.subscribe(25, [S])
    assert [s.chat_id for s in subs.page(11)] == [25, 30, 5000]
    assert subs.position(25) == 2 and subs.position(None) == 0


def test_counts_by_topic_mode_and_activity(subs: SubscriptionStore) -> None:
    subs.subscribe(1, [S])
    subs.subscribe(2, [P])
    subs.subscribe(3, [A])
    subs.subscribe(4, [S, T])
    subs.set_mode(4, Mode.DIGEST)
    subs.subscribe(5, [S])
    subs.deactivate(5)
    assert subs.count({A, S}) == 3  # 1, 3 and 4 (5 is inactive)
    assert subs.count({A, S}, mode=Mode.IMMEDIATE) == 2
    assert subs.count({A, P}) == 2
    assert subs.count() == 4
    assert subs.count(active=False) == 1
    assert subs.count(active=None) == 5


def test_every_write_survives_reopening(tmp_path: Path) -> None:
    with SubscriptionStore.open(tmp_path) as subs:
        subs.subscribe(1, [S])
        subs.subscribe(1 + BUCKETS, [P])  # the same bucket
        subs.set_mode(1 + BUCKETS, Mode.DIGEST)
        subs.subscribe(2, [A])
        subs.deactivate(2)
        subs.subscribe(3, [T])
        subs.unsubscribe(3)
        expected = [subs.get(c) for c in (1, 1 + BUCKETS, 2, 3)]
        # No close(): as after a crash, only the journal holds these writes.
        subs._records._release()
    with SubscriptionStore.open(tmp_path) as again:
        assert [again.get(c) for c in (1, 1 + BUCKETS, 2, 3)] == expected
        assert again.count(active=None) == 3
        assert [s.chat_id for s in again.page(None)] == [1, 2, 1 + BUCKETS]


def test_compaction_keeps_the_journal_short(tmp_path: Path) -> None:
    with SubscriptionStore.open(tmp_path) as subs:
        subs.compact_every = 10
        for chat in range(25):
            subs.subscribe(chat, [A])
        journal = tmp_path / "subscriptions.journal.jsonl"
        assert journal.read_bytes().count(b"\n") == 5
    with SubscriptionStore.open(tmp_path) as again:
        assert len(again) == 25


def test_forget_leaves_no_trace_in_the_data_files(tmp_path: Path) -> None:
    target = 777_000_001
    neighbour = target + BUCKETS  # shares the bucket, so its writes carried the target too
    with SubscriptionStore.open(tmp_path) as subs:
        subs.subscribe(target, [S])
        subs.compact()
        subs.subscribe(neighbour, [P])
        subs.set_mode(target, Mode.DIGEST)
        assert str(target).encode() in data_files(tmp_path)
        assert subs.forget(target) is True
        assert str(target).encode() not in data_files(tmp_path)
        assert subs.get(target) is None and subs.get(neighbour) is not None
        assert subs.forget(target) is False
    with SubscriptionStore.open(tmp_path) as again:
        assert again.get(target) is None and again.get(neighbour) is not None
    assert str(target).encode() not in data_files(tmp_path)


def test_forget_after_unsubscribe_still_purges_the_journal(tmp_path: Path) -> None:
    target = 888_000_002
    with SubscriptionStore.open(tmp_path) as subs:
        subs.subscribe(target, [S])
        subs.unsubscribe(target)
        assert str(target).encode() in data_files(tmp_path)  # the journal still has it
        assert subs.forget(target) is False
        assert str(target).encode() not in data_files(tmp_path)


def test_forget_after_a_restart_purges_the_replayed_journal(tmp_path: Path) -> None:
    target = 999_000_003
    with SubscriptionStore.open(tmp_path) as subs:
        subs.subscribe(target, [S])
        subs.unsubscribe(target)
        # Killed: no close(), so the journal lines stay and are replayed on opening.
        subs._records._release()
    with SubscriptionStore.open(tmp_path) as again:
        assert str(target).encode() in data_files(tmp_path)
        assert again.forget(target) is False
        assert str(target).encode() not in data_files(tmp_path)
    assert str(target).encode() not in data_files(tmp_path)


def test_forget_purges_journal_lines_a_snapshot_already_holds(tmp_path: Path) -> None:
    # A crash between writing a snapshot and emptying the journal leaves lines the snapshot
    # holds; they are skipped on opening but still on disk.
    target = 999_000_004
    with SubscriptionStore.open(tmp_path) as subs:
        subs.subscribe(target, [S])
        subs.unsubscribe(target)
        journal = (tmp_path / "subscriptions.journal.jsonl").read_bytes()
        subs.compact()
        subs._records._release()
    (tmp_path / "subscriptions.journal.jsonl").write_bytes(journal)
    with SubscriptionStore.open(tmp_path) as again:
        assert str(target).encode() in data_files(tmp_path)
        assert again.forget(target) is False
        assert str(target).encode() not in data_files(tmp_path)


def test_load_adds_many_in_one_write(tmp_path: Path) -> None:
    with SubscriptionStore.open(tmp_path) as subs:
        subs.subscribe(3, [S])
        many = [Subscriber(c, frozenset({A}), Mode.IMMEDIATE, True) for c in range(5000, 0, -1)]
        assert subs.load(many) == 5000
        assert len(subs) == 5000 and subs.get(3) == many[-3]
        assert [s.chat_id for s in subs.page(None, 3)] == [1, 2, 3]
        assert subs.count({S}) == 5000 and subs.load([]) == 0
    with SubscriptionStore.open(tmp_path) as again:
        assert len(again) == 5000 and again.count() == 5000
