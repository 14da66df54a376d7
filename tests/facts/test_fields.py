"""Admins' typed values parsed (facts.fields) and ids for new facts and sources
(facts.edits): each rule and its fix-it message."""

from __future__ import annotations

import pytest

from facts.edits import (
    slugify,
    source_from_form,
    split_json_and_reason,
    successor_id,
    unique_id,
)
from facts.fields import (
    InputError,
    parse_date,
    parse_list,
    parse_number,
    parse_quote,
    parse_topics,
)
from tests.facts.conftest import make_fact


@pytest.mark.parametrize(
    ("raw", "value"),
    [("1486", 1486), ("1,486", 1486), ("1 486", 1486), ("12.5", 12.5), ("1,234,567", 1234567)],
)
def test_numbers_with_thousands_commas(raw: str, value: float) -> None:
    assert parse_number(raw) == value


@pytest.mark.parametrize("raw", ["1,48", "12,5", "abc", "", "1.2.3"])
def test_bad_numbers_say_how_to_write_them(raw: str) -> None:
    with pytest.raises(InputError, match="commas only between thousands"):
        parse_number(raw)


@pytest.mark.parametrize("raw", ["2020", "2020-08", "2020-08-09"])
def test_partial_dates(raw: str) -> None:
    assert parse_date(raw) == {"date": raw}


@pytest.mark.parametrize(
    ("raw", "problem"),
    [("2020-13", "not a real date"), ("2020-02-30", "not a real date"), ("9 Aug", "not a date")],
)
def test_bad_dates_name_the_format(raw: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem) as caught:
        parse_date(raw)
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in str(caught.value)


def test_quotes_lists_topics() -> None:
    with pytest.raises(InputError, match="exact words"):
        parse_quote("  ")
    with pytest.raises(InputError, match="limit is 2000"):
        parse_quote("x" * 2001)
    assert parse_list("EU; United Kingdom\nCanada") == ["EU", "United Kingdom", "Canada"]
    assert parse_topics("Prisoners, osce osce") == ["prisoners", "osce"]
    with pytest.raises(InputError, match="not a topic"):
        parse_topics("human rights!")


def test_ids() -> None:
    assert slugify("Лукашенко said: «No!» 2020") == "said-no-2020"
    assert unique_id("a-b", {"a-b", "a-b-2"}) == "a-b-3"
    old = make_fact("prisoners-2023-05", "statistic", date="2023-05")
    assert successor_id(old, "2024-05", set()) == "prisoners-2024-05"


def test_json_with_a_reason_and_sources_in_one_message() -> None:
    assert split_json_and_reason('{"a": 1} | because') == ({"a": 1}, "because")
    with pytest.raises(InputError, match="line 1, column"):
        split_json_and_reason('{"a": ')
    source = source_from_form("A report | Outlet | 2024-05 | https://example.org/r", set())
    assert (source.id, source.outlet, source.date_basis.value) == (
        "a-report-2024-05",
        "Outlet",
        "stated",
    )
    with pytest.raises(InputError, match="title \\| outlet"):
        source_from_form("a | b | c | d | e", set())
