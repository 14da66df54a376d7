"""The record store on real files: typed tables, batches, reopening, recovery and the lock."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

from facts.errors import NotFoundError, StoreCorrupted, StoreLocked
from facts.records import RecordStore
from facts.storage import AtomicJSONStorage
from facts.store import FactStore
from tests.facts.conftest import make_bundle


class Pet(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    legs: int = 4


class Note(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str


@pytest.fixture
def records(tmp_path: Path) -> Iterator[RecordStore]:
    opened = RecordStore.open(tmp_path, "test")
    yield opened
    opened.close()


def test_put_get_delete_return_models(records: RecordStore) -> None:
    pets = records.table("pets", Pet)
    assert pets.get("a") is None
    stored = pets.put("a", Pet(name="Rex"))
    assert pets.get("a") == stored == Pet(name="Rex")
    assert isinstance(pets.require("a"), Pet)
    assert "a" in pets and len(pets) == 1
    assert pets.keys() == ["a"] and pets.items() == [("a", Pet(name="Rex"))]
    assert pets.delete("a") is True
    assert pets.delete("a") is False
    with pytest.raises(NotFoundError, match="no record 'a'"):
        pets.require("a")


def test_put_refuses_other_models_and_bad_keys(records: RecordStore) -> None:
    pets = records.table("pets", Pet)
    with pytest.raises(TypeError, match="expected a Pet"):
        pets.put("a", Note(text="x"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="non-empty"):
        pets.put("", Pet(name="Rex"))
    with pytest.raises(ValueError, match="already declared"):
        records.table("pets", Note)
    assert len(pets) == 0


def test_every_write_survives_a_crash_without_close(tmp_path: Path) -> None:
    store = RecordStore.open(tmp_path, "test")
    pets = store.table("pets", Pet)
    pets.put("a", Pet(name="Rex"))
    pets.put("b", Pet(name="Tweety", legs=2))
    pets.delete("a")
    # Simulate a crash: release the lock and the file without the closing snapshot.
    store._release()
    assert not (tmp_path / "test.json").exists()
    reopened = RecordStore.open(tmp_path, "test")
    assert reopened.table("pets", Pet).items() == [("b", Pet(name="Tweety", legs=2))]
    reopened.close()


def test_close_writes_a_tinydb_snapshot_and_empties_the_journal(tmp_path: Path) -> None:
    with RecordStore.open(tmp_path, "test") as store:
        store.table("pets", Pet).put("a", Pet(name="Rex"))
        store.table("notes", Note).put("n1", Note(text="hello"))
    assert (tmp_path / "test.journal.jsonl").read_bytes() == b""
    tables = AtomicJSONStorage(tmp_path / "test.json").read()
    assert tables is not None
    assert tables["pets"] == {"1": {"key": "a", "value": {"name": "Rex", "legs": 4}}}
    with RecordStore.open(tmp_path, "test") as again:
        assert again.table("notes", Note).require("n1").text == "hello"


def test_undeclared_tables_are_kept_as_they_are(tmp_path: Path) -> None:
    with RecordStore.open(tmp_path, "test") as store:
        store.table("pets", Pet).put("a", Pet(name="Rex"))
        store.table("notes", Note).put("n1", Note(text="hello"))
    with RecordStore.open(tmp_path, "test") as store:
        store.table("pets", Pet).put("b", Pet(name="Tom"))  # notes never declared
    with RecordStore.open(tmp_path, "test") as store:
        assert store.table("notes", Note).require("n1").text == "hello"
        assert store.table("pets", Pet).keys() == ["a", "b"]


def test_batch_is_one_entry_and_nothing_if_the_block_raises(tmp_path: Path) -> None:
    store = RecordStore.open(tmp_path, "test")
    pets, notes = store.table("pets", Pet), store.table("notes", Note)
    pets.put("a", Pet(name="Rex"))
    with store.batch() as batch:
        batch.put(pets, "b", Pet(name="Tom"))
        batch.delete(pets, "a")
        batch.put(notes, "n", Note(text="swapped"))
    lines = (tmp_path / "test.journal.jsonl").read_text().splitlines()
    assert len(lines) == 2
    with pytest.raises(RuntimeError), store.batch() as batch:
        batch.put(pets, "c", Pet(name="Lost"))
        raise RuntimeError("changed my mind")
    assert "c" not in pets
    assert len((tmp_path / "test.journal.jsonl").read_text().splitlines()) == 2
    store._release()
    with RecordStore.open(tmp_path, "test") as again:
        assert again.table("pets", Pet).keys() == ["b"]
        assert again.table("notes", Note).require("n").text == "swapped"


def test_a_torn_last_journal_line_is_dropped(tmp_path: Path) -> None:
    store = RecordStore.open(tmp_path, "test")
    store.table("pets", Pet).put("a", Pet(name="Rex"))
    store._release()
    with (tmp_path / "test.journal.jsonl").open("ab") as f:
        f.write(b'{"seq":2,"ops":[["put","pets","b",{"na')
    with RecordStore.open(tmp_path, "test") as again:
        assert again.table("pets", Pet).keys() == ["a"]


def test_compaction_keeps_everything(tmp_path: Path) -> None:
    store = RecordStore.open(tmp_path, "test")
    store.compact_every = 3
    pets = store.table("pets", Pet)
    for n in range(7):
        pets.put(str(n), Pet(name=f"pet {n}"))
    assert len((tmp_path / "test.journal.jsonl").read_text().splitlines()) == 1
    store._release()
    with RecordStore.open(tmp_path, "test") as again:
        assert len(again.table("pets", Pet)) == 7


def test_records_that_no_longer_fit_the_model_are_reported(tmp_path: Path) -> None:
    with RecordStore.open(tmp_path, "test") as store:
        store.table("pets", Pet).put("a", Pet(name="Rex"))
    with RecordStore.open(tmp_path, "test") as store, pytest.raises(StoreCorrupted, match="'a'"):
        store.table("pets", Note)


def test_damaged_snapshot_is_reported_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "test.json").write_text("{not json")
    with pytest.raises(StoreCorrupted, match="backup"):
        RecordStore.open(tmp_path, "test")
    assert (tmp_path / "test.json").read_text() == "{not json"
    # The failed open released its lock.
    (tmp_path / "test.json").write_text(json.dumps({"_store": {"1": {"format": 9}}}))
    with pytest.raises(StoreCorrupted, match="format"):
        RecordStore.open(tmp_path, "test")


def test_a_second_open_is_refused_by_the_lock(records: RecordStore, tmp_path: Path) -> None:
    with pytest.raises(StoreLocked):
        RecordStore.open(tmp_path, "test")


def test_names_that_would_collide_are_refused(tmp_path: Path) -> None:
    for name in ("facts", "journal", "Bad Name", "", "../x"):
        with pytest.raises(ValueError, match="store name"):
            RecordStore.open(tmp_path, name)


def test_lives_beside_the_fact_store(tmp_path: Path) -> None:
    facts = FactStore.open(tmp_path, seed=make_bundle())
    with RecordStore.open(tmp_path, "admin") as store:
        store.table("pets", Pet).put("a", Pet(name="Rex"))
        # Stray temporary files of the fact store are not ours to remove.
        stray = tmp_path / ".facts.json.tmp-1234"
        stray.write_text("{}")
    with RecordStore.open(tmp_path, "admin") as store:
        assert stray.exists()
        assert store.table("pets", Pet).keys() == ["a"]
    assert len(facts) == len(make_bundle().facts)
    facts.close()


def test_writes_after_close_fail_clearly(tmp_path: Path) -> None:
    store = RecordStore.open(tmp_path, "test")
    pets = store.table("pets", Pet)
    store.close()
    assert store.closed
    with pytest.raises(Exception, match="closed"):
        pets.put("a", Pet(name="Rex"))
