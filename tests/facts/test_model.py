"""The fact model accepts good records and rejects bad ones, naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from facts.model import Fact, Precision, When, visible_text


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


# --- visible_text: the fast path decides as the rule does -------------------------------------

_CHARACTERS = (
    "aZ09 \n\t\r"
    "\x00\x01\x08\x0b\x0c\x0e\x1f\x7f"  # controls (refused) beside line breaks and tabs
    "\u202a\u202e\u2066\u2069\u200e"  # direction overrides (refused) and a mark (allowed)
    "\u200b\u200d\u2060\ufeff\u00ad"  # zero-width and format characters: not visible
    "\u0301\u0483\u0488"  # combining marks (Mn invisible, Me visible)
    "\u00a0\u3000"  # spaces
    "Ёёяўі€«»—"  # visible, outside the fast path's letters but for Ёё and я
)


def _rule(text: str) -> bool:
    """visible_text's rule, character by character (what the fast path must agree with)."""
    import unicodedata

    if any(
        (ch < " " and ch not in "\n\t\r")
        or ch == "\x7f"
        or "\u202a" <= ch <= "\u202e"
        or "\u2066" <= ch <= "\u2069"
        for ch in text
    ):
        return False
    return any(not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Mn") for ch in text)


@given(st.text(alphabet=_CHARACTERS, max_size=8))
@settings(max_examples=2000, deadline=None)
def test_visible_text_decides_as_its_rule(text: str) -> None:
    try:
        visible_text(text)
        accepted = True
    except ValueError:
        accepted = False
    assert accepted == _rule(text)
