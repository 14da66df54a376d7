"""/timeline argument parsing and page fitting (a page is edited in place: it cannot split)."""

from __future__ import annotations

import pytest

from bot.handlers.timeline import (
    PAGE_SIZE,
    TimelineArgsError,
    events,
    parse_range,
    render_page,
)
from bot.render import MESSAGE_LIMIT, visible_length
from facts.model import Fact, Kind
from facts.store import FactStore


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", (None, None)),
        ("2020", ("2020", "2020")),
        ("2020 2021", ("2020", "2021")),
        ("2020-2021", ("2020", "2021")),
        ("2020..2021", ("2020", "2021")),
        ("2020 – 2022", ("2020", "2022")),
        ("from 2020-08 to 2020-12", ("2020-08", "2020-12")),
        ("2020-08-09 until 2021", ("2020-08-09", "2021")),
        ("2020-08 2020-08-31", ("2020-08", "2020-08-31")),
    ],
)
def test_ranges_people_type(text: str, expected: tuple[str | None, str | None]) -> None:
    assert parse_range(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("yesterday", "is not a date"),
        ("2020-13", "is not a date"),
        ("2020-02-30", "is not a date"),
        ("2021 2020", "ends before it starts"),
        ("2020-09 2020-08", "ends before it starts"),
        ("2020 2021 2022", "Give a year or a range"),
        ("<b>", "is not a date"),
    ],
)
def test_odd_ranges_get_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(TimelineArgsError) as exc:
        parse_range(text)
    assert message in str(exc.value)


def test_user_text_in_the_error_is_escaped() -> None:
    with pytest.raises(TimelineArgsError) as exc:
        parse_range("<b>")
    assert "&lt;b&gt;" in str(exc.value)


def _long_event(n: int) -> Fact:
    return Fact.model_validate(
        {
            "id": f"long-event-{n}",
            "kind": "event",
            "text": f"Event {n}: " + "a long account of what happened " * 30,
            "details": {
                "kind": "event",
                "date": {"date": f"1999-01-0{n + 1}"},
                "participants": ["Somebody"] * 3,
            },
            "citations": [{"source": "turan-carpenter-2023-05-12", "quote": "There are currently"}],
        }
    )


def test_a_page_of_long_facts_still_fits_one_message(store: FactStore) -> None:
    for n in range(PAGE_SIZE + 2):
        store.add_fact(_long_event(n), by="test", reason="long texts")
    text, markup = render_page(store, "1999", "1999", 0)
    assert visible_length(text) <= MESSAGE_LIMIT
    assert "Event 0:" in text and f"Event {PAGE_SIZE - 1}:" in text
    assert markup is not None
    last_row = markup.inline_keyboard[-1]
    assert any(b.callback_data == "tl:1999:1999:1" for b in last_row)


def test_pages_past_the_end_show_the_last_page(store: FactStore) -> None:
    total = len(events(store))
    last = (total - 1) // PAGE_SIZE
    text, _ = render_page(store, None, None, 10_000)
    assert text == render_page(store, None, None, last)[0]


def test_statements_and_figures_stay_off_the_timeline(store: FactStore) -> None:
    listed = events(store)
    assert listed and all(f.kind in {Kind.EVENT, Kind.SANCTION} for f in listed)
    assert all(f.date is not None for f in listed)
    dated = store.dated()
    assert any(f.kind is Kind.STATEMENT for f in dated)
    assert any(f.kind is Kind.STATISTIC for f in dated)
    text, _ = render_page(store, None, None, 0)
    assert f"of {len(listed)}:" in text
