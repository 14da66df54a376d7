"""Export and import of bundles (facts/store_import.py): lossless, reported, all or
nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from facts.errors import ValidationFailed
from facts.model import Action, Bundle
from facts.store import FactStore
from facts.store_import import ImportReport
from tests.facts.conftest import make_bundle, make_fact, make_source

WHO = {"by": "tester", "reason": "a test"}


def ids(facts: list[object]) -> list[str]:
    return [f.id for f in facts]  # type: ignore[attr-defined]


def test_export_import_export_is_lossless(store: FactStore, tmp_path: Path) -> None:
    store.update_fact(make_fact("protest-minsk", text="Edited."), **WHO)
    store.supersede("prisoners-2023", make_fact("prisoners-2024", "statistic"), **WHO)
    store.retract("doe-speech", by="tester", reason="wrong")
    exported = store.export_bundle()
    again = store.import_bundle(exported, **WHO)
    assert again.added == again.changed == again.superseded == []
    assert store.export_bundle() == exported
    with FactStore.open(tmp_path / "other") as other:
        report = other.import_bundle(exported, **WHO)
        assert report.added == [f.id for f in exported.facts]
        copied = other.export_bundle()
    # Revision numbers belong to each store; everything else comes across.
    assert copied.sources == exported.sources
    assert [f.model_copy(update={"revision": 1}) for f in copied.facts] == [
        f.model_copy(update={"revision": 1}) for f in exported.facts
    ]
    assert json.loads(copied.model_dump_json())["facts"][0]["text"] == "Edited."


def test_import_reports_added_changed_superseded_unchanged(store: FactStore) -> None:
    bundle = make_bundle(
        [
            make_fact("protest-minsk", text="Tens of thousands protested in Minsk.", revision=5),
            make_fact("eu-sanctions", "sanction", date="2020-10-03", topics=["sanctions"]),
            make_fact("prisoners-2024", "statistic"),
            make_fact(
                "prisoners-2023",
                "statistic",
                date="2023-05",
                topics=["prisoners"],
                status="superseded",
                superseded_by="prisoners-2024",
            ),
        ],
        sources=[make_source(), make_source("new-source")],
    )
    dry = store.import_bundle(bundle, dry_run=True, **WHO)
    assert dry == ImportReport(
        added=["prisoners-2024"],
        changed=["eu-sanctions"],
        superseded=["prisoners-2023"],
        unchanged=["protest-minsk"],
        sources_added=["new-source"],
    )
    assert "prisoners-2024" not in store
    assert store.import_bundle(bundle, **WHO) == dry
    assert store.get("prisoners-2023").superseded_by == "prisoners-2024"
    assert store.get("protest-minsk").revision == 1
    assert store.get("eu-sanctions").revision == 2
    assert store.history("eu-sanctions")[-1].action is Action.IMPORTED
    assert store.history("prisoners-2023")[-1].action is Action.SUPERSEDED
    assert store.get_source("new-source").id == "new-source"


def test_import_is_all_or_nothing(store: FactStore) -> None:
    before = store.export_bundle()
    bad = make_fact("bad-one", citations=[{"source": "nowhere", "quote": "a quote"}])
    good = make_fact("good-one")
    with pytest.raises(ValidationFailed) as info:
        store.import_bundle(
            Bundle.model_construct(sources=[make_source()], facts=[good, bad]), **WHO
        )
    assert "'bad-one'" in str(info.value) and "citations.0.source" in str(info.value)
    assert store.export_bundle() == before
    assert "good-one" not in store


def test_import_may_refer_to_stored_facts_but_not_change_sources(store: FactStore) -> None:
    referring = make_fact("about-jane", related=["jane-doe"])
    bundle = Bundle.model_construct(sources=[], facts=[referring])
    assert store.import_bundle(bundle, **WHO).added == ["about-jane"]
    changed_source = Bundle.model_construct(sources=[make_source(title="Another title")], facts=[])
    with pytest.raises(ValidationFailed, match="differs"):
        store.import_bundle(changed_source, **WHO)
