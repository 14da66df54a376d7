"""The outbox on real files: queueing, digests, progress marks, checkpoints, resume, forget."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from facts.errors import NotFoundError
from facts.notifications import Change, Item, Notification, NotificationKind
from facts.outbox import MARKS_NAME, PAST_END, Outbox, rebase
from facts.subscribers import Mode, Subscriber, SubTopic

S, P, A = SubTopic.SANCTIONS, SubTopic.PRISONERS, SubTopic.ALL


def item(fact_id: str = "eu-sanctions", *match: SubTopic) -> Item:
    return Item(
        fact_id=fact_id,
        change=Change.NEW,
        match=frozenset({A, *match}),
        text=f"<b>New fact</b> {fact_id}",
        line=f"• {fact_id}",
    )


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    opened = Outbox.open(tmp_path)
    yield opened
    opened.close()


def next_of(*subscribed: int) -> Callable[[int], int | None]:
    """SubscriptionStore.next_id over the chats ``subscribed``."""
    return lambda start: min((c for c in subscribed if c >= start), default=None)


def files_of(directory: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file())


def crash(outbox: Outbox) -> None:
    """Drop the outbox without closing it, as a killed process would."""
    assert outbox._sync is not None and outbox._marks_fd is not None
    outbox._sync.close()
    os.close(outbox._marks_fd)
    outbox._marks_fd = None
    outbox._records._release()


def test_enqueue_is_durable_and_ordered(tmp_path: Path) -> None:
    with Outbox.open(tmp_path) as outbox:
        first = outbox.enqueue(item("a", S))
        second = outbox.enqueue(item("b", P))
        assert [n.id for n in outbox.pending()] == [first.id, second.id] == [1, 2]
        assert first.kind is NotificationKind.CHANGE and first.items[0].fact_id == "a"
        crash(outbox)
    with Outbox.open(tmp_path) as again:
        assert [n.items[0].fact_id for n in again.pending()] == ["a", "b"]
        assert [i.fact_id for i in again.digest_pool()] == ["a", "b"]


def test_ids_are_never_reused(outbox: Outbox) -> None:
    first = outbox.enqueue(item("a"))
    outbox.complete(first.id)
    assert outbox.enqueue(item("b")).id == first.id + 1
    with pytest.raises(NotFoundError):
        outbox.get(first.id)


def test_items_for_a_subscriber() -> None:
    change = item("a", S)
    sanctions = Subscriber(1, frozenset({S}), Mode.IMMEDIATE, True)
    prisoners = Subscriber(2, frozenset({P}), Mode.IMMEDIATE, True)
    digest = Subscriber(3, frozenset({A}), Mode.DIGEST, True)
    inactive = Subscriber(4, frozenset({A}), Mode.IMMEDIATE, False)
    now = datetime.now(UTC)
    n = Notification(id=1, kind=NotificationKind.CHANGE, created=now, items=(change,))
    assert n.items_for(sanctions) == [change]
    assert n.items_for(prisoners) == [] and n.items_for(digest) == []
    assert n.items_for(inactive) == []
    d = Notification(id=2, kind=NotificationKind.DIGEST, created=now, items=(change,))
    assert d.items_for(digest) == [change] and d.items_for(sanctions) == []


def test_digest_takes_the_pool_and_an_empty_day_gives_nothing(outbox: Outbox) -> None:
    assert outbox.build_digest() is None
    outbox.enqueue(item("a"))
    outbox.enqueue(item("b"), digest=False)
    outbox.enqueue(item("c"))
    digest = outbox.build_digest()
    assert digest is not None and digest.kind is NotificationKind.DIGEST
    assert [i.fact_id for i in digest.items] == ["a", "c"]
    assert outbox.digest_pool() == [] and outbox.build_digest() is None


def test_marks_survive_a_crash_without_checkpoint(tmp_path: Path) -> None:
    with Outbox.open(tmp_path) as outbox:
        n = outbox.enqueue(item()).id
        for chat in (5, 3, 9):
            outbox.mark(n, chat)
        outbox.mark(n, 11, durable=False)
        assert not outbox.progress(n).handled(11)
        outbox.checkpoint()
        assert b'"done":[3,5,9]' in (tmp_path / "outbox.journal.jsonl").read_bytes()
        crash(outbox)
    with Outbox.open(tmp_path) as again:
        progress = again.progress(n)
        assert progress.done == {3, 5, 9} and progress.lower is None
        assert progress.handled(5) and not progress.handled(4) and not progress.handled(11)


def test_checkpoint_moves_the_bound_and_empties_the_marks(tmp_path: Path) -> None:
    marks = tmp_path / MARKS_NAME
    with Outbox.open(tmp_path) as outbox:
        n = outbox.enqueue(item()).id
        for chat in (1, 2, 3, 7, 9):
            outbox.mark(n, chat)
        assert marks.read_bytes().count(b"\n") == 5
        outbox.checkpoint({n: 5})  # 1..4 handled; 7 and 9 done above the bound
        assert marks.read_bytes() == b""
        progress = outbox.progress(n)
        assert progress.lower == 5 and progress.done == {7, 9}
        outbox.mark(n, 6)
        crash(outbox)
    with Outbox.open(tmp_path) as again:
        progress = again.progress(n)
        assert progress.lower == 5 and progress.done == {6, 7, 9}
        assert progress.handled(4) and not progress.handled(5) and progress.handled(6)


def test_stale_marks_of_completed_notifications_are_ignored(tmp_path: Path) -> None:
    with Outbox.open(tmp_path) as outbox:
        first = outbox.enqueue(item("a")).id
        outbox.mark(first, 1)
        # A crash between completing and emptying the marks file leaves its marks behind.
        outbox._progress.pop(first)
        with outbox._records.batch() as batch:
            batch.delete(outbox._notifications, f"{first:012d}")
        second = outbox.enqueue(item("b")).id
        crash(outbox)
    with Outbox.open(tmp_path) as again:
        assert again.progress(second).done == set()


def test_forget_rewrites_the_progress_without_the_chat(tmp_path: Path) -> None:
    target = 912_345_678
    with Outbox.open(tmp_path) as outbox:
        n = outbox.enqueue(item()).id
        outbox.mark(n, target)
        outbox.checkpoint({n: None})
        outbox.mark(n, target + 1)
        outbox.checkpoint({n: target + 1})  # an older checkpoint line still lists target
        outbox.mark(n, target + 5)
        files = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
        assert str(target).encode() in files
        outbox.forget(target, next_of(target + 1, target + 5))
        files = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
        assert str(target).encode() not in files
        assert outbox.progress(n).handled(target + 5)
    with Outbox.open(tmp_path) as again:
        assert again.progress(n).handled(target + 5)


def test_rebase_moves_a_bound_up_to_the_next_subscriber() -> None:
    subscribed = next_of(10, 20)
    assert rebase(None, subscribed) is None
    assert rebase(10, subscribed) == 10 and rebase(11, subscribed) == 20
    assert rebase(21, subscribed) == PAST_END


@pytest.mark.parametrize("bound", [0, 1], ids=["oldest-in-flight", "last-visited+1"])
def test_forget_leaves_no_bound_derived_from_the_chat(tmp_path: Path, bound: int) -> None:
    target, before, after = 923_456_780, 923_456_700, 923_456_799
    with Outbox.open(tmp_path) as outbox:
        n = outbox.enqueue(item()).id
        outbox.mark(n, before)
        outbox.mark(n, target)
        outbox.checkpoint({n: target + bound})
        # A bound is the chat id or the id + 1: either names the chat.
        assert str(target + bound).encode() in files_of(tmp_path)
        outbox.forget(target, next_of(before, after))  # target already unsubscribed
        for derived in (target, target + 1):
            assert str(derived).encode() not in files_of(tmp_path)
        progress = outbox.progress(n)
        assert progress.lower == after
        assert progress.handled(before) and not progress.handled(after)
    with Outbox.open(tmp_path) as again:
        progress = again.progress(n)
        assert progress.lower == after and not progress.handled(after)
        assert progress.handled(before)
    for derived in (target, target + 1):
        assert str(derived).encode() not in files_of(tmp_path)


def test_forget_of_the_last_subscriber_passes_the_end(tmp_path: Path) -> None:
    target = 934_567_890
    with Outbox.open(tmp_path) as outbox:
        n = outbox.enqueue(item()).id
        outbox.mark(n, target)
        outbox.checkpoint({n: target + 1})
        outbox.forget(target, next_of(5, 7))
        assert outbox.progress(n).lower == PAST_END and outbox.progress(n).handled(7)
        assert str(target + 1).encode() not in files_of(tmp_path)


def test_complete_drops_the_served_chats_from_the_files(tmp_path: Path) -> None:
    served = [945_678_901, 945_678_902, 945_678_903]
    with Outbox.open(tmp_path) as outbox:
        n = outbox.enqueue(item()).id
        later = outbox.enqueue(item("b")).id
        outbox.mark(n, served[0])
        outbox.checkpoint()
        outbox.mark(n, served[1])
        outbox.checkpoint({n: served[1]})
        outbox.mark(n, served[2])  # in outbox.marks only
        assert all(str(c).encode() in files_of(tmp_path) for c in served)
        outbox.complete(n)
        assert not any(str(c).encode() in files_of(tmp_path) for c in served)
        assert [p.id for p in outbox.pending()] == [later]
    with Outbox.open(tmp_path) as again:
        assert [p.id for p in again.pending()] == [later]


def test_many_marks_cost_one_line_each_and_fsync_in_groups(outbox: Outbox) -> None:
    n = outbox.enqueue(item()).id
    for chat in range(5000):
        outbox.mark(n, chat)
    assert outbox.unsaved_marks == 5000
    outbox.checkpoint({n: 5000})
    assert outbox.progress(n).done == set()
    assert outbox.marks_path.stat().st_size == 0
