"""The fact store on real files: opening, seeding, reads, durability, snapshots and the
cached search index (its writes: test_store_writes.py; import: test_store_import.py)."""

from __future__ import annotations

import gc
import json
import logging
import os
import pickle
import random
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from tinydb import Query, TinyDB

import facts.store as store_module
from facts.errors import (
    NotFoundError,
    StoreCorrupted,
    StoreLocked,
    ValidationFailed,
)
from facts.model import Action, Bundle, Kind, Status
from facts.seed import load_seed
from facts.storage import (
    INDEX_NAME,
    JOURNAL_NAME,
    LOCK_NAME,
    SNAPSHOT_NAME,
    AtomicJSONStorage,
    digest,
)
from facts.store import FactStore
from tests.facts.conftest import make_bundle, make_fact, make_source

WHO = {"by": "tester", "reason": "a test"}


def ids(facts: list[object]) -> list[str]:
    return [f.id for f in facts]  # type: ignore[attr-defined]


# --- opening, seeding, reopening --------------------------------------------------------------


def test_first_open_loads_the_seed_as_seeded_revisions(store: FactStore, seed: Bundle) -> None:
    assert sorted(ids(store.facts())) == sorted(f.id for f in seed.facts)
    (revision,) = store.history("protest-minsk")
    assert revision.action is Action.SEEDED
    assert revision.by == "seed"
    assert revision.revision == 1
    assert revision.at.tzinfo is not None
    assert store.sources() == seed.sources


def test_seed_is_ignored_once_data_exists(data_dir: Path, seed: Bundle) -> None:
    FactStore.open(data_dir, seed=seed).close()
    other = make_bundle([make_fact("something-else")])
    with FactStore.open(data_dir, seed=other) as reopened:
        assert "something-else" not in reopened
        assert "protest-minsk" in reopened


def test_open_without_seed_gives_an_empty_store(data_dir: Path) -> None:
    with FactStore.open(data_dir) as store:
        assert store.facts() == []
        store.add_source(make_source(), by="tester", reason="first source")
    with FactStore.open(data_dir, seed=make_bundle()) as reopened:
        assert reopened.facts() == []
        assert [s.id for s in reopened.sources()] == [make_source().id]


def test_reopen_returns_the_same_base(data_dir: Path, seed: Bundle) -> None:
    with FactStore.open(data_dir, seed=seed) as store:
        store.add_fact(make_fact("added-later"), **WHO)
        store.retract("protest-minsk", by="tester", reason="wrong date")
        before = store.export_bundle()
        history = store.history("protest-minsk")
    with FactStore.open(data_dir) as reopened:
        assert reopened.export_bundle() == before
        assert reopened.history("protest-minsk") == history


def test_second_open_of_the_same_directory_is_refused(store: FactStore, data_dir: Path) -> None:
    with pytest.raises(StoreLocked, match="in use"):
        FactStore.open(data_dir)


def test_lock_is_released_on_close(data_dir: Path) -> None:
    FactStore.open(data_dir).close()
    FactStore.open(data_dir).close()


# --- reads ------------------------------------------------------------------------------------


def test_get_returns_any_status_and_unknown_ids_raise(store: FactStore) -> None:
    store.retract("protest-minsk", by="tester", reason="wrong")
    assert store.get("protest-minsk").status is Status.RETRACTED
    with pytest.raises(NotFoundError, match="nope"):
        store.get("nope")
    with pytest.raises(NotFoundError):
        store.get_source("nope")


def test_current_version_follows_the_chain_to_a_current_fact(store: FactStore) -> None:
    first = store.get("protest-minsk")
    assert store.current_version(first.id) == (first, first)
    second = store.supersede(first.id, make_fact("protest-minsk-2"), **WHO)
    third = store.supersede(second.id, make_fact("protest-minsk-3"), **WHO)
    assert store.current_version(first.id) == (store.get(first.id), third)
    assert store.current_version(second.id)[1] == third
    store.retract(third.id, **WHO)
    assert store.current_version(first.id) == (store.get(first.id), None)
    assert store.current_version("nope") == (None, None)


def test_facts_by_kind_and_topic_hold_only_current_facts(store: FactStore) -> None:
    assert ids(store.facts(kind=Kind.EVENT)) == ["protest-minsk"]
    assert ids(store.facts(topic="sanctions")) == ["eu-sanctions"]
    assert ids(store.facts(kind=Kind.SANCTION, topic="sanctions")) == ["eu-sanctions"]
    assert store.facts(kind=Kind.EVENT, topic="sanctions") == []
    assert store.facts(topic="unknown-topic") == []
    store.retract("eu-sanctions", by="tester", reason="wrong")
    assert store.facts(topic="sanctions") == []
    assert ids(store.facts(topic="sanctions", include_inactive=True)) == ["eu-sanctions"]
    assert "eu-sanctions" not in ids(store.facts())


def test_listing_is_refreshed_after_an_edit(store: FactStore) -> None:
    assert ids(store.facts(kind=Kind.EVENT)) == ["protest-minsk"]
    edited = make_fact("protest-minsk", text="Over 100,000 protested in Minsk.")
    store.update_fact(edited, **WHO)
    (listed,) = store.facts(kind=Kind.EVENT)
    assert listed.text == "Over 100,000 protested in Minsk."
    store.update_fact(make_fact("protest-minsk", topics=["protests"]), **WHO)
    assert store.facts(topic="election", kind=Kind.EVENT) == []
    assert ids(store.facts(topic="protests")) == ["protest-minsk"]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (None, None, ["y2019", "y2020", "d2020-01-01", "m2020-10", "d2020-10-31", "d2020-11-30"]),
        ("2020", "2020", ["y2020", "d2020-01-01", "m2020-10", "d2020-10-31", "d2020-11-30"]),
        ("2020-10", "2020-11", ["m2020-10", "d2020-10-31", "d2020-11-30"]),
        ("2020-10", "2020-10", ["m2020-10", "d2020-10-31"]),
        ("2020-10-31", None, ["d2020-10-31", "d2020-11-30"]),
        (None, "2019", ["y2019"]),
        ("2021", None, []),
    ],
)
def test_dated_ranges_are_inclusive_of_partial_dates(
    data_dir: Path, start: str | None, end: str | None, expected: list[str]
) -> None:
    dates = ["2019", "2020", "2020-01-01", "2020-10", "2020-10-31", "2020-11-30"]
    prefix = {1: "y", 2: "m", 3: "d"}
    facts = [make_fact(f"{prefix[len(d.split('-'))]}{d}", date=d) for d in dates]
    facts.append(make_fact("nobody", "person"))
    with FactStore.open(data_dir, seed=make_bundle(facts)) as store:
        assert ids(store.dated(start, end)) == expected


def test_dated_rejects_a_bad_date(store: FactStore) -> None:
    with pytest.raises(ValidationFailed, match="start"):
        store.dated("2020-13")


def test_dated_skips_inactive_facts_and_follows_edits(store: FactStore) -> None:
    store.retract("eu-sanctions", by="tester", reason="wrong")
    assert "eu-sanctions" not in ids(store.dated("2020"))
    store.update_fact(make_fact("protest-minsk", date="2021-03-25"), **WHO)
    assert ids(store.dated("2021", "2021")) == ["protest-minsk"]
    assert "protest-minsk" not in ids(store.dated("2020", "2020"))


def test_search_and_find_people_return_current_facts(store: FactStore) -> None:
    (hit,) = store.search("thousands Minsk")
    assert hit.fact.id == "protest-minsk" and hit.score > 0
    assert ids([h.fact for h in store.find_people("doe")]) == ["jane-doe"]
    store.retract("protest-minsk", by="tester", reason="wrong")
    assert store.search("thousands Minsk") == []
    assert store.search("claim", kinds=[Kind.PERSON])[0].fact.id == "jane-doe"


# --- writes -----------------------------------------------------------------------------------


# --- history ----------------------------------------------------------------------------------


def test_facts_as_of_answers_what_we_said_then(store: FactStore) -> None:
    before_seed = datetime.now(UTC) - timedelta(days=1)
    assert store.facts_as_of(before_seed) == []
    original = store.get("protest-minsk")
    after_seed = datetime.now(UTC)
    store.update_fact(make_fact("protest-minsk", text="Edited later."), **WHO)
    store.add_fact(make_fact("added-later"), **WHO)
    then = {f.id: f for f in store.facts_as_of(after_seed)}
    assert then["protest-minsk"] == original
    assert "added-later" not in then
    now = {f.id: f for f in store.facts_as_of(datetime.now(UTC) + timedelta(seconds=1))}
    assert now["protest-minsk"].text == "Edited later."
    naive = after_seed.replace(tzinfo=None)
    assert {f.id for f in store.facts_as_of(naive)} == set(then)


def test_facts_as_of_survives_reopening(data_dir: Path, seed: Bundle) -> None:
    with FactStore.open(data_dir, seed=seed) as store:
        after_seed = datetime.now(UTC)
        store.retract("protest-minsk", by="tester", reason="wrong")
    with FactStore.open(data_dir) as reopened:
        then = {f.id: f for f in reopened.facts_as_of(after_seed)}
        assert then["protest-minsk"].is_current
        assert not reopened.get("protest-minsk").is_current


# --- export and import ------------------------------------------------------------------------


# --- durability and recovery ------------------------------------------------------------------


def test_many_writes_survive_compaction_and_journal_replay(data_dir: Path, seed: Bundle) -> None:
    store = FactStore.open(data_dir, seed=seed)
    store.compact_every = 7
    for n in range(40):
        store.add_fact(make_fact(f"fact-{n}"), **WHO)
        if n % 3 == 0:
            store.update_fact(make_fact(f"fact-{n}", text=f"Edited {n}."), **WHO)
    expected = store.export_bundle()
    journal = data_dir / JOURNAL_NAME
    assert journal.stat().st_size > 0  # some writes are only in the journal
    # Leave without compacting, as a crash would.
    store._release()
    with FactStore.open(data_dir) as reopened:
        assert reopened.export_bundle() == expected
        assert reopened.get("fact-3").revision == 2
    assert journal.stat().st_size == 0  # close compacted
    with FactStore.open(data_dir) as again:
        assert again.export_bundle() == expected


def test_journal_entries_older_than_the_snapshot_are_skipped(data_dir: Path, seed: Bundle) -> None:
    store = FactStore.open(data_dir, seed=seed)
    store.add_fact(make_fact("once"), **WHO)
    journal = (data_dir / JOURNAL_NAME).read_bytes()
    store.close()
    # As if the process died between writing the snapshot and emptying the journal.
    (data_dir / JOURNAL_NAME).write_bytes(journal)
    with FactStore.open(data_dir) as reopened:
        assert len(reopened.history("once")) == 1
        reopened.add_fact(make_fact("twice"), **WHO)
    with FactStore.open(data_dir) as again:
        assert {"once", "twice"} <= {f.id for f in again.facts()}


@pytest.mark.parametrize("tail", [b'{"seq": 99, "revis', b"\x00\x00\x00", b"garbage\n"])
def test_a_torn_journal_tail_is_ignored(data_dir: Path, seed: Bundle, tail: bytes) -> None:
    store = FactStore.open(data_dir, seed=seed)
    store.add_fact(make_fact("acknowledged"), **WHO)
    store._release()
    journal = data_dir / JOURNAL_NAME
    with journal.open("ab") as f:
        f.write(tail)
    with FactStore.open(data_dir) as reopened:
        assert "acknowledged" in reopened
        reopened.add_fact(make_fact("after-the-tear"), **WHO)
        reopened._release()
    with FactStore.open(data_dir) as again:
        assert {"acknowledged", "after-the-tear"} <= {f.id for f in again.facts()}


def test_a_damaged_line_before_intact_ones_is_corruption(data_dir: Path, seed: Bundle) -> None:
    store = FactStore.open(data_dir, seed=seed)
    store.add_fact(make_fact("one"), **WHO)
    store.add_fact(make_fact("two"), **WHO)
    store._release()
    journal = data_dir / JOURNAL_NAME
    lines = journal.read_bytes().split(b"\n")
    journal.write_bytes(b"\n".join([lines[0][:10], *lines[1:]]))
    with pytest.raises(StoreCorrupted, match=JOURNAL_NAME):
        FactStore.open(data_dir)


@pytest.mark.parametrize(
    "content",
    [b'{"revisions": {"1": {"fact_id": ', b"[]", b'{"revisions": {"1": {"x": 1}}}', b""],
)
def test_a_corrupted_snapshot_is_reported_naming_the_file(
    data_dir: Path, seed: Bundle, content: bytes
) -> None:
    FactStore.open(data_dir, seed=seed).close()
    (data_dir / SNAPSHOT_NAME).write_bytes(content)
    with pytest.raises(StoreCorrupted, match=SNAPSHOT_NAME) as info:
        FactStore.open(data_dir, seed=seed)
    assert "backup" in str(info.value)
    # The failed open let go of the directory.
    with pytest.raises(StoreCorrupted):
        FactStore.open(data_dir)


def test_a_missing_snapshot_with_a_later_journal_is_corruption(
    data_dir: Path, seed: Bundle
) -> None:
    store = FactStore.open(data_dir, seed=seed)
    store.add_fact(make_fact("one"), **WHO)
    store._release()
    (data_dir / SNAPSHOT_NAME).unlink()
    with pytest.raises(StoreCorrupted, match="missing"):
        FactStore.open(data_dir, seed=seed)


def test_stray_temporary_files_are_removed(data_dir: Path, seed: Bundle) -> None:
    FactStore.open(data_dir, seed=seed).close()
    stray = data_dir / f".{SNAPSHOT_NAME}.tmp-deadbeef"
    stray.write_bytes(b'{"half": ')
    with FactStore.open(data_dir) as store:
        assert "protest-minsk" in store
    assert not stray.exists()


def test_backup_is_a_snapshot_another_store_opens(store: FactStore, tmp_path: Path) -> None:
    store.add_fact(make_fact("in-backup"), **WHO)
    path = store.backup(tmp_path / "backups" / "2024-01-01")
    assert path.name == SNAPSHOT_NAME
    file_path = store.backup(tmp_path / "backups" / "copy.json")
    assert file_path.name == "copy.json"
    with FactStore.open(path.parent) as restored:
        assert restored.export_bundle() == store.export_bundle()
        assert restored.history("in-backup") == store.history("in-backup")
        restored.add_fact(make_fact("after-restore"), **WHO)


def test_snapshot_is_a_tinydb_database(store: FactStore) -> None:
    store.close()
    tables = json.loads((store.data_dir / SNAPSHOT_NAME).read_text("utf-8"))
    assert {"revisions", "sources", "store"} <= set(tables)
    first = tables["revisions"]["1"]
    assert first["fact_id"] and first["fact"]["id"] == first["fact_id"]


def test_tinydb_can_query_the_snapshot(store: FactStore) -> None:
    store.update_fact(make_fact("protest-minsk", text="Edited."), **WHO)
    store.compact()
    db = TinyDB(store.snapshot_path, storage=AtomicJSONStorage)
    found = db.table("revisions").search(Query().fact_id == "protest-minsk")
    assert [doc["revision"] for doc in found] == [1, 2]
    assert db.table("store").all()[0]["journal_seq"] >= 1


def test_a_lost_snapshot_is_not_mistaken_for_a_new_store(data_dir: Path, seed: Bundle) -> None:
    FactStore.open(data_dir, seed=seed).close()  # close compacts: the journal is empty
    (data_dir / SNAPSHOT_NAME).unlink()
    with pytest.raises(StoreCorrupted, match="missing"):
        FactStore.open(data_dir, seed=seed)


def test_a_snapshot_without_a_journal_opens(data_dir: Path, seed: Bundle) -> None:
    FactStore.open(data_dir, seed=seed).close()
    (data_dir / JOURNAL_NAME).unlink()
    with FactStore.open(data_dir) as store:
        store.add_fact(make_fact("after"), **WHO)
    with FactStore.open(data_dir) as store:
        assert "after" in store


def test_a_failed_compaction_keeps_the_write(
    data_dir: Path, seed: Bundle, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = FactStore.open(data_dir, seed=seed)
    store.compact_every = 1

    def disk_full(path: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("facts.storage.atomic_write", disk_full)
    added = store.add_fact(make_fact("kept"), **WHO)
    assert store.get("kept") == added
    monkeypatch.undo()
    store._release()
    with FactStore.open(data_dir) as reopened:
        assert reopened.get("kept") == added


def test_a_failed_journal_write_changes_nothing(
    data_dir: Path, seed: Bundle, monkeypatch: pytest.MonkeyPatch
) -> None:
    import facts.journal

    store = FactStore.open(data_dir, seed=seed)
    real_write_all = facts.journal.write_all

    def half_then_fail(fd: int, data: bytes) -> None:
        real_write_all(fd, data[: len(data) // 2])
        raise OSError(5, "I/O error")

    monkeypatch.setattr(facts.journal, "write_all", half_then_fail)
    with pytest.raises(Exception, match="not saved"):
        store.add_fact(make_fact("lost"), **WHO)
    monkeypatch.undo()
    assert "lost" not in store
    store.add_fact(make_fact("saved"), **WHO)
    store._release()
    with FactStore.open(data_dir) as reopened:
        assert "saved" in reopened and "lost" not in reopened


def test_a_damaged_old_revision_is_reported_when_read(data_dir: Path, seed: Bundle) -> None:
    with FactStore.open(data_dir, seed=seed) as store:
        store.update_fact(make_fact("protest-minsk", text="Edited."), **WHO)
    tables = json.loads((data_dir / SNAPSHOT_NAME).read_text("utf-8"))
    for doc in tables["revisions"].values():
        if doc["fact_id"] == "protest-minsk" and doc["revision"] == 1:
            doc["by"] = ""
    (data_dir / SNAPSHOT_NAME).write_text(json.dumps(tables), "utf-8")
    with FactStore.open(data_dir) as store:
        assert store.get("protest-minsk").text == "Edited."
        with pytest.raises(StoreCorrupted, match="revision 1 of fact 'protest-minsk'"):
            store.history("protest-minsk")


# --- the cached search index ------------------------------------------------------------------

LOADED = "loaded from the cache"
BUILT = "built in"
REAL_SEED_QUERIES = [
    "protest Minsk",
    "political prisoners",
    "Lukashenka",
    "Tsikhanouskaya",
    "sanctions European Union",
    "journalists detained 2020",
    "Kolesnikova prison",
    "United States sanctions",
    "election fraud",
    "Viasna",
]


def open_logged(
    data_dir: Path, caplog: pytest.LogCaptureFixture, seed: Bundle | None = None
) -> tuple[FactStore, str]:
    """Open the store; return it and what it logged about its search index."""
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="facts.store"):
        opened = FactStore.open(data_dir, seed=seed)
    return opened, caplog.text


def rebuilt_copy(data_dir: Path, tmp_path: Path) -> FactStore:
    """The same files opened elsewhere without the cache: the index built from the facts."""
    copy = tmp_path / "rebuilt"
    shutil.copytree(data_dir, copy, ignore=shutil.ignore_patterns(INDEX_NAME, LOCK_NAME))
    return FactStore.open(copy)


def same_results(one: FactStore, other: FactStore, queries: list[str]) -> None:
    """Both stores hold the same facts and rank alike, and their search indexes are equal."""
    assert list(one._facts.items()) == list(other._facts.items())
    assert one._export_tables() == other._export_tables()
    assert one._search.export() == other._search.export()
    for query in queries:
        assert one.search(query, limit=20) == other.search(query, limit=20)
        assert one.find_people(query) == other.find_people(query)
        assert one.count_matching(query, cap=50) == other.count_matching(query, cap=50)


def test_closing_caches_the_index_and_opening_uses_it(
    data_dir: Path, seed: Bundle, caplog: pytest.LogCaptureFixture
) -> None:
    first, log_text = open_logged(data_dir, caplog, seed)
    assert BUILT in log_text
    first.close()
    assert (data_dir / INDEX_NAME).exists()
    second, log_text = open_logged(data_dir, caplog)
    assert LOADED in log_text and BUILT not in log_text
    (hit,) = second.search("thousands Minsk")
    assert hit.fact.id == "protest-minsk"
    assert ids([h.fact for h in second.find_people("doe")]) == ["jane-doe"]
    # Nothing changed: closing leaves the cache as it is.
    before = (data_dir / INDEX_NAME).stat().st_mtime_ns
    second.close()
    assert (data_dir / INDEX_NAME).stat().st_mtime_ns == before


def test_after_a_crash_the_journal_is_applied_to_the_cached_index(
    data_dir: Path, seed: Bundle, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    FactStore.open(data_dir, seed=seed).close()
    store = FactStore.open(data_dir)
    store.update_fact(make_fact("protest-minsk", text="A zebracorn parade in Grodno."), **WHO)
    store.add_fact(make_fact("new-one", text="Quokkas marched in Brest."), **WHO)
    store.retract("jane-doe", **WHO)
    store._release()  # a crash: the snapshot and its cached index are one write behind
    reopened, log_text = open_logged(data_dir, caplog)
    with reopened:
        assert LOADED in log_text
        assert ids([h.fact for h in reopened.search("zebracorn parade")]) == ["protest-minsk"]
        assert "protest-minsk" not in ids([h.fact for h in reopened.search("thousands")])
        assert ids([h.fact for h in reopened.search("quokkas")]) == ["new-one"]
        assert reopened.find_people("doe") == []
        with rebuilt_copy(data_dir, tmp_path) as rebuilt:
            same_results(reopened, rebuilt, ["zebracorn", "Minsk", "quokkas Brest", "doe"])


def test_a_cache_of_another_snapshot_is_never_served(
    data_dir: Path, seed: Bundle, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = FactStore.open(data_dir, seed=seed)
    backup = store.backup(tmp_path / "backup.json")
    store.add_fact(make_fact("newer", text="Quokkas marched in Brest."), **WHO)
    store.close()  # the cache now holds "newer"
    # Restore the older snapshot as facts.restore.restore does: facts.json replaced,
    # the journal moved away, other files (the cache) left where they are.
    (data_dir / SNAPSHOT_NAME).write_bytes(backup.read_bytes())
    (data_dir / JOURNAL_NAME).unlink()
    restored, log_text = open_logged(data_dir, caplog)
    with restored:
        assert LOADED not in log_text and BUILT in log_text
        assert "not used" in log_text and "WARNING" not in log_text
        assert restored.search("quokkas") == []
        assert "newer" not in restored


def test_a_compaction_after_the_cache_makes_it_stale(
    data_dir: Path, seed: Bundle, caplog: pytest.LogCaptureFixture
) -> None:
    FactStore.open(data_dir, seed=seed).close()
    store = FactStore.open(data_dir)
    store.add_fact(make_fact("newer", text="Quokkas marched in Brest."), **WHO)
    store.compact()  # the journal is emptied, the cache on disk is of the old snapshot
    store._release()
    reopened, log_text = open_logged(data_dir, caplog)
    with reopened:
        assert LOADED not in log_text and BUILT in log_text
        assert ids([h.fact for h in reopened.search("quokkas")]) == ["newer"]


def test_an_index_built_by_other_code_is_not_used(
    data_dir: Path, seed: Bundle, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    FactStore.open(data_dir, seed=seed).close()
    monkeypatch.setattr(store_module, "code_fingerprint", lambda: "changed analysis")
    reopened, log_text = open_logged(data_dir, caplog)
    reopened.close()
    assert LOADED not in log_text and BUILT in log_text


def _damage_payload(data: bytes) -> bytes:
    return data[:-100] + bytes(b ^ 0xFF for b in data[-100:])


def _truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _code_in_payload(data: bytes) -> bytes:
    """A payload that would run code if unpickled normally, with a matching digest."""
    header = json.loads(data.split(b"\n")[1])
    payload = pickle.dumps(os.getpid)  # a global: the cache's unpickler must refuse it
    header["payload"] = digest(payload)
    return b"factbot search index\n" + json.dumps(header).encode() + b"\n" + payload


def _wrong_revisions(data: bytes) -> bytes:
    """A well-formed cache under the right key whose facts are not the snapshot's."""
    header = json.loads(data.split(b"\n")[1])
    state = pickle.loads(data.split(b"\n", 2)[2])
    state["revisions"]["protest-minsk"] += 1
    payload = pickle.dumps(state)
    header["payload"] = digest(payload)
    return b"factbot search index\n" + json.dumps(header).encode() + b"\n" + payload


def _foreign_class_in_payload(data: bytes) -> bytes:
    """A payload holding an instance of a class that is not a fact model."""
    header = json.loads(data.split(b"\n")[1])
    state = pickle.loads(data.split(b"\n", 2)[2])
    state["facts"][0] = Path("/etc/passwd")
    payload = pickle.dumps(state)
    header["payload"] = digest(payload)
    return b"factbot search index\n" + json.dumps(header).encode() + b"\n" + payload


def _facts_of_another_revision(data: bytes) -> bytes:
    """A well-formed cache under the right key whose fact models are not the snapshot's."""
    header = json.loads(data.split(b"\n")[1])
    state = pickle.loads(data.split(b"\n", 2)[2])
    state["facts"][0] = state["facts"][0].model_copy(update={"revision": 7})
    payload = pickle.dumps(state)
    header["payload"] = digest(payload)
    return b"factbot search index\n" + json.dumps(header).encode() + b"\n" + payload


@pytest.mark.parametrize(
    "damage",
    [
        _damage_payload,
        _truncate,
        lambda data: b"",
        lambda data: b"\x00" * 64,
        _code_in_payload,
        _wrong_revisions,
        _foreign_class_in_payload,
        _facts_of_another_revision,
    ],
)
def test_a_damaged_cache_is_rebuilt_with_a_warning(
    data_dir: Path,
    seed: Bundle,
    caplog: pytest.LogCaptureFixture,
    damage: Callable[[bytes], bytes],
) -> None:
    FactStore.open(data_dir, seed=seed).close()
    cache = data_dir / INDEX_NAME
    cache.write_bytes(damage(cache.read_bytes()))
    reopened, log_text = open_logged(data_dir, caplog)
    with reopened:
        assert "WARNING" in log_text and BUILT in log_text
        (hit,) = reopened.search("thousands Minsk")
        assert hit.fact.id == "protest-minsk"
    # Closing wrote a good cache again.
    again, log_text = open_logged(data_dir, caplog)
    again.close()
    assert LOADED in log_text


def test_a_valid_cache_spares_validating_the_facts_again(
    data_dir: Path, seed: Bundle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    FactStore.open(data_dir, seed=seed).close()

    def validate_facts(self: FactStore) -> None:
        raise AssertionError("validated the facts of a snapshot the cache vouches for")

    real_restore = FactStore._restore_tables
    restored: list[bool] = []

    def restore_tables(self: FactStore, tables: dict[str, Any]) -> bool:
        restored.append(real_restore(self, tables))
        return restored[-1]

    with monkeypatch.context() as patch:
        patch.setattr(FactStore, "_validate_facts", validate_facts)
        patch.setattr(FactStore, "_restore_tables", restore_tables)
        cached = FactStore.open(data_dir)
    assert restored == [True], "the indexes the cache holds were not taken"
    with cached, rebuilt_copy(data_dir, tmp_path) as rebuilt:
        same_results(cached, rebuilt, ["thousands Minsk", "doe"])


def test_loading_leaves_no_object_frozen_and_frozen_ones_frozen(
    data_dir: Path, seed: Bundle
) -> None:
    FactStore.open(data_dir, seed=seed).close()
    FactStore.open(data_dir).close()
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    gc.freeze()  # as factbot run does once its base is loaded
    try:
        frozen = gc.get_freeze_count()
        FactStore.open(data_dir).close()
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()


def test_cached_and_rebuilt_indexes_rank_alike_on_the_real_seed(
    data_dir: Path, tmp_path: Path
) -> None:
    real = load_seed()
    store = FactStore.open(data_dir, seed=real)
    # Edits before closing: the cached index is normalised as a fresh build would be.
    first = real.facts[0]
    store.update_fact(first.model_copy(update={"text": first.text + " Edited."}), **WHO)
    store.retract(real.facts[1].id, **WHO)
    store.close()
    queries = REAL_SEED_QUERIES + [f.text.split(".")[0] for f in real.facts[::7]]
    with FactStore.open(data_dir) as cached, rebuilt_copy(data_dir, tmp_path) as rebuilt:
        same_results(cached, rebuilt, queries)


def test_cached_and_rebuilt_indexes_rank_alike_on_synthetic_facts(
    data_dir: Path, seed: Bundle, tmp_path: Path
) -> None:
    rng = random.Random(7)
    words = [
        "protest",
        "prison",
        "sanction",
        "torture",
        "election",
        "journalist",
        "march",
        "council",
        "report",
    ]
    places = ["Minsk", "Vitebsk", "Grodno", "Brest", "Gomel", "Mogilev"]
    store = FactStore.open(data_dir, seed=seed)
    for n in range(300):
        text = f"Fact {n}: {' '.join(rng.sample(words, 3))} in {rng.choice(places)}."
        store.add_fact(make_fact(f"synthetic-{n}", text=text), **WHO)
    store.close()
    store = FactStore.open(data_dir)
    for n in range(0, 300, 9):
        store.update_fact(make_fact(f"synthetic-{n}", text=f"Edited {n}: quokkas."), **WHO)
    store._release()  # crash: the journal is applied to the cached index on opening
    queries = [f"{a} {b}" for a in words for b in places[:3]] + ["quokkas", "Fact 12"]
    with FactStore.open(data_dir) as cached, rebuilt_copy(data_dir, tmp_path) as rebuilt:
        same_results(cached, rebuilt, queries)


def test_backups_hold_the_snapshot_only(store: FactStore, tmp_path: Path) -> None:
    store.close()
    backups = tmp_path / "backups"
    FactStore.open(store.data_dir).backup(backups / "b.json")
    assert [p.name for p in backups.iterdir()] == ["b.json"]
