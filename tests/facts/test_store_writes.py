"""Every write of the fact store (facts/store_writes.py) on real files: who and why,
revisions, supersession, retraction, revert, sources, meta, history."""

from __future__ import annotations

from pathlib import Path

import pytest

from facts.errors import ConflictError, NotFoundError, ValidationFailed
from facts.model import Action, Kind, Status
from facts.storage import JOURNAL_NAME
from facts.store import FactStore
from tests.facts.conftest import make_bundle, make_fact, make_source

WHO = {"by": "tester", "reason": "a test"}


def ids(facts: list[object]) -> list[str]:
    return [f.id for f in facts]  # type: ignore[attr-defined]


def test_add_fact_assigns_revision_one_and_records_who_and_why(store: FactStore) -> None:
    added = store.add_fact(make_fact("new-fact", revision=7), by="anna", reason="new report")
    assert added.revision == 1
    (revision,) = store.history("new-fact")
    assert (revision.action, revision.by, revision.reason) == (
        Action.CREATED,
        "anna",
        "new report",
    )
    assert revision.fact == added == store.get("new-fact")


def test_add_fact_rejects_an_existing_id(store: FactStore) -> None:
    with pytest.raises(ConflictError, match="protest-minsk"):
        store.add_fact(make_fact("protest-minsk"), **WHO)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"citations": [{"source": "no-such-source", "quote": "a quote"}]}, "citations.0.source"),
        ({"related": ["jane-doe", "no-such-fact"]}, "related.1"),
    ],
)
def test_add_fact_rejects_unknown_references_naming_fact_and_field(
    store: FactStore, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationFailed) as info:
        store.add_fact(make_fact("bad-refs", **overrides), **WHO)
    assert "'bad-refs'" in str(info.value) and field in str(info.value)
    assert "bad-refs" not in store


@pytest.mark.parametrize(("by", "reason"), [("", "why"), ("who", "  "), ("who", "x" * 1001)])
def test_every_write_needs_who_and_why(store: FactStore, by: str, reason: str) -> None:
    with pytest.raises(ValidationFailed):
        store.add_fact(make_fact("no-reason"), by=by, reason=reason)


def test_update_fact_numbers_revisions_and_keeps_the_previous_one(store: FactStore) -> None:
    store.update_fact(make_fact("protest-minsk", text="Version two.", revision=1), **WHO)
    updated = store.update_fact(make_fact("protest-minsk", text="Version three."), **WHO)
    assert updated.revision == 3
    history = store.history("protest-minsk")
    assert [r.revision for r in history] == [1, 2, 3]
    assert [r.action for r in history] == [Action.SEEDED, Action.EDITED, Action.EDITED]
    assert history[1].fact.text == "Version two."


def test_update_fact_of_an_unknown_id_raises(store: FactStore) -> None:
    with pytest.raises(NotFoundError):
        store.update_fact(make_fact("nope"), **WHO)


def test_supersede_marks_the_old_fact_in_one_write(store: FactStore) -> None:
    journal = store.data_dir / JOURNAL_NAME
    lines_before = journal.read_bytes().count(b"\n")
    new = store.supersede(
        "prisoners-2023", make_fact("prisoners-2024", "statistic", value=1400), **WHO
    )
    assert journal.read_bytes().count(b"\n") == lines_before + 1
    old = store.get("prisoners-2023")
    assert (old.status, old.superseded_by, old.revision) == (
        Status.SUPERSEDED,
        "prisoners-2024",
        2,
    )
    assert store.history("prisoners-2023")[-1].action is Action.SUPERSEDED
    assert new.revision == 1 and store.get("prisoners-2024").is_current
    assert ids(store.facts(kind=Kind.STATISTIC)) == ["prisoners-2024"]


def test_supersede_errors(store: FactStore) -> None:
    with pytest.raises(NotFoundError):
        store.supersede("nope", make_fact("x-new"), **WHO)
    with pytest.raises(ConflictError):
        store.supersede("protest-minsk", make_fact("eu-sanctions"), **WHO)
    with pytest.raises(ConflictError):
        store.supersede("protest-minsk", make_fact("protest-minsk"), **WHO)
    store.retract("protest-minsk", by="tester", reason="wrong")
    with pytest.raises(ConflictError, match="retracted"):
        store.supersede("protest-minsk", make_fact("x-new"), **WHO)
    assert "x-new" not in store


def test_retract_keeps_the_fact_and_refuses_twice(store: FactStore) -> None:
    retracted = store.retract("doe-speech", by="editor", reason="misattributed")
    assert retracted.status is Status.RETRACTED
    assert retracted.retraction_reason == "misattributed"
    assert store.history("doe-speech")[-1].action is Action.RETRACTED
    with pytest.raises(ConflictError, match="already retracted"):
        store.retract("doe-speech", **WHO)
    with pytest.raises(NotFoundError):
        store.retract("nope", **WHO)


def test_revert_restores_content_and_status_as_a_new_revision(store: FactStore) -> None:
    store.update_fact(make_fact("protest-minsk", text="Edited."), **WHO)
    store.retract("protest-minsk", by="tester", reason="wrong")
    reverted = store.revert("protest-minsk", 1, by="editor", reason="the retraction was wrong")
    assert reverted.revision == 4
    assert reverted.status is Status.CURRENT
    assert reverted.text == "Tens of thousands protested in Minsk."
    assert store.history("protest-minsk")[-1].action is Action.REVERTED
    assert store.search("thousands")[0].fact == reverted
    with pytest.raises(NotFoundError):
        store.revert("protest-minsk", 9, **WHO)
    with pytest.raises(NotFoundError):
        store.revert("nope", 1, **WHO)


def test_add_source(store: FactStore) -> None:
    source = make_source("second-source")
    assert store.add_source(source, **WHO) == source
    assert store.get_source("second-source") == source
    with pytest.raises(ConflictError):
        store.add_source(source, **WHO)
    store.add_fact(
        make_fact("cites-second", citations=[{"source": "second-source", "quote": "it says"}]),
        **WHO,
    )


def test_a_failed_write_changes_nothing(store: FactStore) -> None:
    before = store.export_bundle()
    journal = (store.data_dir / JOURNAL_NAME).read_bytes()
    with pytest.raises(ValidationFailed):
        store.add_fact(make_fact("bad", related=["missing"]), **WHO)
    assert store.export_bundle() == before
    assert (store.data_dir / JOURNAL_NAME).read_bytes() == journal


def test_writes_after_close_are_refused(data_dir: Path) -> None:
    store = FactStore.open(data_dir, seed=make_bundle())
    assert not store.closed
    store.close()
    store.close()
    assert store.closed
    with pytest.raises(Exception, match="closed"):
        store.add_fact(make_fact("late"), **WHO)


def test_meta_values_are_durable(data_dir: Path) -> None:
    with FactStore.open(data_dir) as store:
        assert store.get_meta("backup", "none") == "none"
        store.set_meta("backup", {"last": "2024-01-01", "files": [1, 2]})
        store.set_meta("gone", 1)
        store.set_meta("gone", None)
    with FactStore.open(data_dir) as store:
        assert store.get_meta("backup") == {"last": "2024-01-01", "files": [1, 2]}
        assert store.get_meta("gone") is None


def test_history_of_an_unknown_fact_raises(store: FactStore) -> None:
    with pytest.raises(NotFoundError):
        store.history("nope")


def test_add_fact_with_a_new_source_is_one_write(store: FactStore) -> None:
    source = store.sources()[0].model_copy(update={"id": "fresh-source-2024"})
    fact = store.facts()[0]
    cited = fact.model_copy(
        update={
            "id": "fresh-fact-2024",
            "citations": [fact.citations[0].model_copy(update={"source": source.id})],
            "related": [],
        }
    )
    version = store.version
    store.add_fact(cited, by="t", reason="test", new_sources=[source])
    assert store.version == version + 1
    assert store.get_source(source.id) == source
    assert store.get(cited.id).citations[0].source == source.id
