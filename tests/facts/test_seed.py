"""The shipped seed base: valid, complete enough, and every quote verbatim in its document."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from facts.model import Bundle, Kind, PersonDetails
from facts.seed import load_seed
from facts.verify import quote_problems
from tests.sources import shared_sources, write_documents

SHARED_SOURCES = shared_sources()


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


def test_the_quote_check_passes_documents_holding_every_quote(seed: Bundle, tmp_path: Path) -> None:
    assert quote_problems(seed, write_documents(seed, tmp_path / "sources")) == []


def test_quote_check_catches_an_altered_quote(seed: Bundle, tmp_path: Path) -> None:
    sources = write_documents(seed, tmp_path / "sources")
    fact = seed.facts[0]
    altered = fact.model_copy(
        update={"citations": [fact.citations[0].model_copy(update={"quote": "won 99% of it"})]}
    )
    tampered = Bundle(sources=seed.sources, facts=[altered, *seed.facts[1:]])
    assert quote_problems(tampered, sources) == [
        f"fact {fact.id!r}: citations.0.quote is not verbatim in {fact.citations[0].source!r}"
    ]


def test_quote_check_names_a_missing_document(seed: Bundle, tmp_path: Path) -> None:
    sources = write_documents(seed, tmp_path / "sources")
    gone = seed.sources[0]
    (sources / gone.file).unlink()
    assert quote_problems(seed, sources) == [
        f"source {gone.id!r}: file {gone.file!r} is not in {sources}"
    ]


# The one check about the real documents (not shipped with the repository): the seed's
# quotes are verbatim in what they cite. It runs wherever shared/sources is above the
# repository (the main checkout and its worktrees); the checks above run everywhere.
@pytest.mark.skipif(SHARED_SOURCES is None, reason="no shared/sources above the repository")
def test_every_quote_is_verbatim_in_the_shared_documents(seed: Bundle) -> None:
    assert SHARED_SOURCES is not None
    assert quote_problems(seed, SHARED_SOURCES) == []


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
