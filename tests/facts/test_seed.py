"""The shipped seed base: valid, complete enough, and every quote verbatim in its document."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from facts.model import Bundle, Kind, PersonDetails
from facts.seed import load_seed
from facts.verify import quote_problems

SOURCES_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "sources"


@pytest.fixture(scope="module")
def seed() -> Bundle:
    return load_seed()


def test_seed_is_valid_and_large(seed: Bundle) -> None:
    kinds = Counter(f.kind for f in seed.facts)
    assert len(seed.sources) == 5
    assert len(seed.facts) >= 100, kinds
    assert set(kinds) == set(Kind), f"every kind is represented: {kinds}"


def test_every_source_is_cited(seed: Bundle) -> None:
    cited = {c.source for f in seed.facts for c in f.citations}
    assert cited == {s.id for s in seed.sources}


@pytest.mark.skipif(not SOURCES_DIR.is_dir(), reason="shared/sources is not beside the repo")
def test_every_quote_is_verbatim_in_its_document(seed: Bundle) -> None:
    assert quote_problems(seed, SOURCES_DIR) == []


@pytest.mark.skipif(not SOURCES_DIR.is_dir(), reason="shared/sources is not beside the repo")
def test_quote_check_catches_an_altered_quote(seed: Bundle) -> None:
    fact = seed.facts[0]
    altered = fact.model_copy(
        update={"citations": [fact.citations[0].model_copy(update={"quote": "won 99% of it"})]}
    )
    tampered = Bundle(sources=seed.sources, facts=[altered, *seed.facts[1:]])
    assert quote_problems(tampered, SOURCES_DIR) == [
        f"fact {fact.id!r}: citations.0.quote is not verbatim in {fact.citations[0].source!r}"
    ]


def test_people_are_unique_by_name(seed: Bundle) -> None:
    names: Counter[str] = Counter()
    for fact in seed.facts:
        if isinstance(fact.details, PersonDetails):
            names[fact.details.name.casefold()] += 1
    assert [n for n, count in names.items() if count > 1] == []


@pytest.mark.parametrize(
    "spelling",
    ["Lukashenko", "Lukashenka", "Tikhanovskaya", "Tsikhanouskaya", "Kalesnikava", "Kolesnikova"],
)
def test_spellings_users_type_are_aliases(seed: Bundle, spelling: str) -> None:
    known = {n.casefold() for f in seed.facts for n in f.names}
    assert any(spelling.casefold() in name for name in known), spelling
