"""Caches belong to the store that computed them: two stores never share an entry."""

from __future__ import annotations

from pathlib import Path

from facts.answer import IndexedFacts, answer
from facts.memo import Memo, VersionedMemo
from facts.store import FactStore
from tests.facts.conftest import make_bundle, make_fact


def test_memo_computes_once_per_key_and_starts_afresh_when_full() -> None:
    memo = Memo(2)
    calls: list[str] = []

    def compute(value: str) -> str:
        calls.append(value)
        return value

    assert memo.get("a", lambda: compute("a")) == "a"
    assert memo.get("a", lambda: compute("again")) == "a"
    assert memo.get("b", lambda: compute("b")) == "b"
    assert memo.get("c", lambda: compute("c")) == "c"
    assert len(memo) == 1
    assert calls == ["a", "b", "c"]


def test_versioned_memo_forgets_at_another_version() -> None:
    memo = VersionedMemo(8)
    assert memo.at(1, "k", lambda: "first") == "first"
    assert memo.at(1, "k", lambda: "other") == "first"
    assert memo.at(2, "k", lambda: "second") == "second"


def test_a_store_reopened_never_sees_another_stores_replies(tmp_path: Path) -> None:
    first = FactStore.open(tmp_path / "one", seed=make_bundle())
    assert first.per_version("reply", lambda: "from the first store") == "from the first store"
    version = first.version
    first.close()
    del first
    # Same seed, so the same version number: only ownership keeps the entries apart.
    second = FactStore.open(tmp_path / "two", seed=make_bundle())
    try:
        assert second.version == version
        assert second.per_version("reply", lambda: "from the second") == "from the second"
    finally:
        second.close()


def test_a_store_forgets_its_replies_when_it_changes(tmp_path: Path) -> None:
    store = FactStore.open(tmp_path / "data", seed=make_bundle())
    try:
        assert store.per_version("count", lambda: len(store.facts())) == 5
        store.add_fact(
            make_fact("protest-gomel", text="Thousands protested in Gomel."),
            by="admin",
            reason="a new report",
        )
        assert store.per_version("count", lambda: len(store.facts())) == 6
    finally:
        store.close()


def test_two_sources_with_the_same_fact_id_and_revision_keep_their_own_names() -> None:
    jane = make_fact("person-x", "person", name="Jane Doe", text="Jane Doe is a lawyer.", topics=[])
    anna = make_fact(
        "person-x", "person", name="Anna Smith", text="Anna Smith is a lawyer.", topics=[]
    )
    assert (jane.id, jane.revision) == (anna.id, anna.revision)
    first, second = IndexedFacts([jane]), IndexedFacts([anna])
    assert answer("Who is Jane Doe?", first).best == jane
    assert answer("Who is Anna Smith?", second).best == anna
    assert answer("Who is Jane Doe?", second).best is None
