"""Factories for sources, facts and bundles, and a store opened on a temporary directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from facts.model import Bundle, Fact, Source
from facts.store import FactStore

SOURCE_ID = "test-source-2020-11"


def make_source(source_id: str = SOURCE_ID, **overrides: Any) -> Source:
    """A valid source; keyword arguments replace fields."""
    record: dict[str, Any] = {
        "id": source_id,
        "file": f"{source_id}.txt",
        "title": f"Test document {source_id}",
        "date_basis": "stated",
        "date_note": "Stated in the text.",
        "published": {"date": "2025-06-30"},
    }
    record.update(overrides)
    return Source.model_validate(record)


def make_fact(fact_id: str, kind: str = "event", **overrides: Any) -> Fact:
    """A valid fact of ``kind`` citing the test source; keyword arguments replace fields.

    ``date`` sets the date of any dated kind; ``name`` and ``aliases`` the person's names.
    """
    date = overrides.pop("date", "2020-08-09")
    details: dict[str, Any]
    if kind == "event":
        details = {"kind": "event", "date": {"date": date}, "place": "Minsk"}
    elif kind == "statistic":
        value = overrides.pop("value", 1486)
        # The claim states the value and the qualifier (the store's rule).
        overrides.setdefault("text", f"At least {value:,} political prisoners ({fact_id}).")
        details = {
            "kind": "statistic",
            "value": value,
            "unit": "political prisoners",
            "qualifier": "at least",
            "as_of": {"date": date},
        }
    elif kind == "sanction":
        details = {
            "kind": "sanction",
            "imposed_by": ["European Union"],
            "targets": ["officials"],
            "measures": ["asset freeze"],
            "date": {"date": date},
            "status": "imposed",
        }
    elif kind == "statement":
        details = {"kind": "statement", "speaker": "Jane Doe", "date": {"date": date}}
    elif kind == "person":
        details = {
            "kind": "person",
            "name": overrides.pop("name", "Jane Doe"),
            "aliases": overrides.pop("aliases", []),
        }
    else:
        raise ValueError(kind)
    record: dict[str, Any] = {
        "id": fact_id,
        "kind": kind,
        "text": overrides.pop("text", f"Claim {fact_id} about Belarus after the election."),
        "details": details,
        "citations": [{"source": SOURCE_ID, "quote": f"quote supporting {fact_id}"}],
        "topics": ["election"],
    }
    record.update(overrides)
    return Fact.model_validate(record)


def make_bundle(facts: list[Fact] | None = None, sources: list[Source] | None = None) -> Bundle:
    """A bundle of the test source and a few facts of every kind."""
    if facts is None:
        facts = [
            make_fact("protest-minsk", text="Tens of thousands protested in Minsk."),
            make_fact("prisoners-2023", "statistic", date="2020-11", topics=["prisoners"]),
            make_fact("eu-sanctions", "sanction", date="2020-10-02", topics=["sanctions"]),
            make_fact("doe-speech", "statement", date="2020-11", related=["jane-doe"]),
            make_fact("jane-doe", "person", name="Jane Doe", aliases=["J. Doe"], topics=[]),
        ]
    return Bundle(sources=sources or [make_source()], facts=facts)


@pytest.fixture
def seed() -> Bundle:
    """The small bundle every test store starts from."""
    return make_bundle()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """Where the test store keeps its files."""
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path, seed: Bundle) -> Iterator[FactStore]:
    """A store seeded with the small bundle, closed after the test."""
    opened = FactStore.open(data_dir, seed=seed)
    yield opened
    opened.close()
