"""An admin change applied or checked: the store's one write, nothing repeated around it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from facts.admin_store import Draft, DraftAction
from facts.changes import apply_change, check_change
from facts.documents import document_id
from facts.errors import ConflictError, NotFoundError, ValidationFailed
from facts.store import FactStore
from facts.violations import RuleViolation
from tests.facts.conftest import make_fact, make_source


def draft(action: DraftAction, fact_id: str, **fields: object) -> Draft:
    return Draft.model_validate(
        {
            "id": "d1",
            "action": action,
            "fact_id": fact_id,
            "reason": "test",
            "by": 1,
            "at": datetime.now(UTC),
            **fields,
        }
    )


def test_a_check_writes_nothing_and_returns_the_fact_as_it_would_be(store: FactStore) -> None:
    version = store.version
    edited = store.get("protest-minsk").model_copy(update={"text": "Thousands protested."})
    change = draft(DraftAction.EDIT, "protest-minsk", fact=edited, base_revision=1)
    checked = check_change(store, change)
    assert checked.text == "Thousands protested." and checked.revision == 2
    assert store.version == version
    assert store.get("protest-minsk").revision == 1
    written = apply_change(store, change, by="tg:1")
    assert written == store.get("protest-minsk") and written.revision == 2


def test_a_change_made_against_an_older_revision_is_refused(store: FactStore) -> None:
    edited = store.get("protest-minsk").model_copy(update={"text": "Thousands protested."})
    change = draft(DraftAction.EDIT, "protest-minsk", fact=edited, base_revision=1)
    store.retract("protest-minsk", by="other", reason="Meanwhile.")
    version = store.version
    with pytest.raises(ConflictError, match="changed since the preview"):
        apply_change(store, change, by="tg:1")
    assert store.version == version


def test_a_refused_fact_writes_its_new_source_neither(store: FactStore) -> None:
    source = make_source("fresh-source-2020")
    fact = make_fact("protest-minsk", citations=[{"source": source.id, "quote": "a quote"}])
    change = draft(DraftAction.ADD, fact.id, fact=fact, source=source)
    version = store.version
    # The store's own check (the id exists) refuses the fact, and with it the source.
    with pytest.raises(ConflictError, match="already exists"):
        apply_change(store, change, by="tg:1")
    assert source.id not in {s.id for s in store.sources()}
    assert store.version == version


def test_a_revert_needs_its_revision(store: FactStore) -> None:
    with pytest.raises(NotFoundError, match="which revision"):
        check_change(store, draft(DraftAction.REVERT, "protest-minsk"))


def test_a_new_sources_document_is_checked_in_memory_and_stored_only_by_the_write(
    store: FactStore,
) -> None:
    text = "The report says that tens of thousands protested in Minsk on Sunday."
    source = make_source("report-2020-08").model_copy(update={"document": document_id(text)})
    fact = make_fact(
        "sunday-protest", citations=[{"source": source.id, "quote": "tens of thousands protested"}]
    )
    change = draft(DraftAction.ADD, fact.id, fact=fact, source=source)
    check_change(store, change, document=text)
    assert not store.documents.has(source.document or "")
    wrong = fact.model_copy(
        update={"citations": [fact.citations[0].model_copy(update={"quote": "nobody came"})]}
    )
    with pytest.raises(RuleViolation, match="quotes occur in the document"):
        apply_change(store, change.model_copy(update={"fact": wrong}), by="tg:1", document=text)
    assert not store.documents.has(source.document or "")
    with pytest.raises(ValidationFailed, match="not the one the new source names"):
        check_change(store, change, document=text + " More.")
    apply_change(store, change, by="tg:1", document=text)
    assert store.documents.get(source.document or "") == text
    assert store.get_source(source.id) == source
