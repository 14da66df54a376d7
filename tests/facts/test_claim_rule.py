"""The rule "claim states the value" (facts/claim_rule.py) on its own: numbers read in the
usual formats, a claim rewritten for a new value (the store holds every write to the
rule: see test_rules.py)."""

from __future__ import annotations

import pytest

from facts.claim_rule import claim_for_value, claim_with_value, numbers_in
from tests.facts.conftest import make_fact


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("at least 1,486 prisoners", 1486),
        ("at least 1486 prisoners", 1486),
        ("at least 1 486 prisoners", 1486),
        ("at least 1\u202f486 prisoners", 1486),
        ("at least 1.486 prisoners", 1486),
        ("about 1.5 million people", 1_500_000),
        ("about 35 thousand people", 35_000),
        ("eight officials", 8),
        ("won 80% of the vote", 80),
        ("66.7 percent", 66.7),
        ("3,5 percent", 3.5),
    ],
)
def test_usual_number_formats_are_read(text: str, value: float) -> None:
    assert value in numbers_in(text)


def test_a_year_is_not_read_as_a_small_count() -> None:
    assert 2 not in numbers_in("in 2020")


def test_claim_rewritten_for_a_new_value_keeps_the_format() -> None:
    assert claim_with_value("At least 1,486 held.", 1486, 1510) == "At least 1,510 held."
    assert claim_with_value("At least 1486 held.", 1486, 1510) == "At least 1510 held."
    assert claim_with_value("No number here.", 1486, 1510) is None


def test_the_claim_is_offered_rewritten_only_when_the_value_changed_and_it_no_longer_fits() -> None:
    old = make_fact("count", "statistic", value=1486)
    assert old.text == "At least 1,486 political prisoners (count)."
    new = old.model_copy(update={"details": old.details.model_copy(update={"value": 1510})})
    assert claim_for_value(old, new) == "At least 1,510 political prisoners (count)."
    assert claim_for_value(old, old) is None  # the value did not change
    fits = new.model_copy(update={"text": "At least 1,510 political prisoners."})
    assert claim_for_value(old, fits) is None  # the claim already states the new value
    event = make_fact("an-event")
    assert claim_for_value(event, event) is None  # only a statistic has a value
