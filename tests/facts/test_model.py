"""The fact model accepts good records and rejects bad ones, naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from facts.model import Fact, Precision, When


def statistic(**overrides: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": "political-prisoners-2023-05",
        "kind": "statistic",
        "text": "There were at least 1,486 political prisoners in Belarus.",
        "details": {
            "kind": "statistic",
            "value": 1486,
            "unit": "political prisoners",
            "qualifier": "at least",
            "as_of": {"date": "2023-05"},
        },
        "citations": [{"source": "turan-carpenter-2023-05-12", "quote": "at least 1,486"}],
    }
    record.update(overrides)
    return record


def test_good_statistic_keeps_int_value_and_precision() -> None:
    fact = Fact.model_validate(statistic())
    assert fact.details.kind == "statistic"
    assert fact.date is not None and fact.date.precision is Precision.MONTH
    assert fact.model_dump()["details"]["value"] == 1486


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"id": "Bad Id"}, "id"),
        ({"citations": []}, "citations"),
        ({"kind": "event"}, "kind"),
        ({"status": "superseded"}, "superseded_by"),
        ({"status": "retracted"}, "retraction_reason"),
        ({"unexpected": 1}, "unexpected"),
    ],
)
def test_bad_records_are_rejected_naming_the_field(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        Fact.model_validate(statistic(**overrides))
    assert field in str(info.value)


@pytest.mark.parametrize("bad", ["2020-13", "2020-02-30", "20", "2020/10/02", "yesterday"])
def test_bad_dates_are_rejected(bad: str) -> None:
    with pytest.raises(ValidationError):
        When(date=bad)
