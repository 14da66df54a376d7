"""Claim check quality on the seed (facts/claims_quality.py), guarded set by set.

Both post sets in tests/quality/posts/ are checked through the real store. Each has a
floor a little under the figure measured when the floor was set (README, "Claim check"),
and a ceiling on findings given to claims the base has nothing about. The floors are never
a target to tune to; the held-out set is only measured.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from facts.claims import Finding, check_post
from facts.claims_quality import TUNED_SETS, evaluate, load_posts
from facts.model import Bundle
from facts.seed import load_seed
from facts.store import FactStore

SETS = Path(__file__).resolve().parents[1] / "quality" / "posts"
#: (claims right, most "nothing" claims given support or contradict).
FLOORS: dict[str, tuple[float, int]] = {
    "posts_dev": (0.94, 0),
    "posts_dev2": (0.97, 0),
    "posts_dev3": (0.85, 0),
    "posts_dev4": (0.68, 2),
    "posts_dev_h1": (0.75, 0),
    "posts_dev_h2": (0.58, 1),
    "posts_heldout3": (0.66, 1),
    "posts_heldout4": (0.73, 1),
    "posts_heldout5": (0.70, 4),
}


@pytest.fixture(scope="module")
def seed() -> Bundle:
    return load_seed()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, seed: Bundle) -> Iterator[FactStore]:
    opened = FactStore.open(tmp_path_factory.mktemp("claims") / "data", seed=seed)
    yield opened
    opened.close()


def test_every_set_has_a_floor_and_names_real_facts(seed: Bundle) -> None:
    known = {f.id for f in seed.facts}
    assert {p.stem for p in SETS.glob("*.json")} == set(FLOORS)
    for name in FLOORS:
        posts = load_posts(SETS / f"{name}.json")
        assert len(posts) >= 40
        assert {p.lang for p in posts} == {"en", "ru", "be"}
        for post in posts:
            for claim in post.claims:
                assert set(claim.facts) <= known, claim.facts
                assert (claim.label is Finding.NOTHING) == (not claim.facts), claim.text
            for piece in post.set_aside:
                assert piece in post.text


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_claim_checks_stay_above_the_floor(store: FactStore, name: str) -> None:
    report = evaluate(load_posts(SETS / f"{name}.json"), lambda text: check_post(text, store))
    floor, most_false = FLOORS[name]
    # Plain numbers only: the report itself (its misses) must not reach the failure message,
    # and a set rules are not chosen on (TUNED_SETS) says only that it dropped.
    accuracy, false_findings = report.accuracy, report.false_findings
    misses = "\n".join(report.failures) if name in TUNED_SETS else "(misses not shown)"
    del report
    assert accuracy >= floor, misses
    assert false_findings <= most_false, misses
