"""/timeline: argument parsing, page fitting (a page is edited in place: it cannot split),
and end to end, paging by editing the one message."""

from __future__ import annotations

import pytest

from bot import texts as bot_texts
from bot.handlers.timeline import (
    PAGE_SIZE,
    TimelineArgsError,
    events,
    parse_range,
    render_page,
    years_of_month,
)
from bot.render import MESSAGE_LIMIT
from bot.splitting import visible_length
from facts.lang import month_table
from facts.model import Fact, Kind, When
from facts.store import FactStore
from tests.bot.cases import add_like
from tests.bot.harness import USER_ID, Harness, buttons, plain


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
        ("2020 2021 2022", "Give a year, a month or a range"),
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


# --- end to end: the real application over the fake Bot API ----------------------------------
async def test_timeline_pages_edit_the_same_message(harness: Harness, store: FactStore) -> None:
    dated = events(store)
    assert len(dated) > 5, "the seed needs more than one page of dated facts"
    first = await harness.ask("/timeline")
    assert [c.method for c in first] == ["sendMessage"]
    page = harness.last()
    assert plain(dated[0].text) in plain(page.text or "")
    later = await harness.press(page, page.button_data(bot_texts.TIMELINE_NEXT))
    assert [c.method for c in later] == ["answerCallbackQuery", "editMessageText"]
    assert later[1].params["message_id"] == page.message_id
    edited = harness.last()
    assert edited.message_id == page.message_id
    assert dated[5].text in plain(edited.text or "")
    assert len(harness.chat()) == 1  # paging never sends new messages
    back = await harness.press(edited, edited.button_data(bot_texts.TIMELINE_PREV))
    assert back[1].method == "editMessageText"
    assert dated[0].text in plain(harness.last().text or "")
    for _, data in buttons(harness.last()):
        assert len(data.encode()) <= 64


async def test_timeline_for_a_year_shows_only_that_year(harness: Harness, store: FactStore) -> None:
    year = "2023"
    expected = events(store, year, year)
    assert expected, "the seed has dated events in 2023: the case this test needs"
    text = plain(await harness.reply(f"/timeline {year}"))
    assert expected[0].text in text
    # A year without any says so.
    assert not events(store, "2001", "2001")
    assert "The base has no dated events for 2001." in plain(await harness.reply("/timeline 2001"))
    outside = events(store, "2020", "2020")
    assert outside and outside[0].text not in text


async def test_timeline_lists_only_dated_events_and_sanctions(
    harness: Harness, store: FactStore
) -> None:
    in_2020 = store.dated("2020", "2020")
    events = [f for f in in_2020 if f.kind in {Kind.EVENT, Kind.SANCTION}]
    assert len(events) < len(in_2020), "the seed has 2020 statements or figures"
    text = plain(await harness.reply("/timeline 2020"))
    assert f"of {len(events)}:" in text
    # Walk every page: exactly the events and sanctions, in date order, nothing else.
    seen: list[str] = []
    page = harness.last()
    while True:
        seen += [d.removeprefix("f:") for _, d in buttons(page) if d.startswith("f:")]
        later = [d for label, d in buttons(page) if label == bot_texts.TIMELINE_NEXT]
        if not later:
            break
        await harness.press(page, later[0])
        page = harness.last()
    assert seen == [f.id for f in events]
    statement = next(f for f in in_2020 if f.kind is Kind.STATEMENT)
    assert statement.id not in seen


async def test_timeline_range_and_odd_arguments(harness: Harness) -> None:
    assert "Timeline" in plain(await harness.reply("/timeline 2020-08 2020-12"))
    assert "is not a date" in plain(await harness.reply("/timeline yesterday"))
    assert "ends before it starts" in plain(await harness.reply("/timeline 2021 2020"))
    assert "Give a year, a month or a range" in plain(
        await harness.reply("/timeline 2020 2021 2022")
    )
    assert "The base has no dated events for 1999." in plain(await harness.reply("/timeline 1999"))


@pytest.mark.parametrize(
    ("language", "command", "said"),
    [
        ("en", "/timeline March 2021", "The base has no dated events for March 2021. "),
        ("ru", "/timeline март 2021", "За март 2021\u202fг. в базе нет событий с датой. "),
        ("be", "/timeline сакавік 2021", "За сакавік 2021 у базе няма падзей з датай. "),
    ],
)
async def test_no_events_in_a_month_reads_as_a_sentence(
    harness: Harness, language: str, command: str, said: str
) -> None:
    harness.api.user_languages[USER_ID] = language
    reply = plain(await harness.reply(command))
    assert reply.startswith(said) and ".." not in reply


async def test_a_month_without_a_year_takes_the_bases_years(
    harness: Harness, store: FactStore
) -> None:
    harness.api.user_languages[USER_ID] = "ru"
    years = {m: years_of_month(store, m) for m in range(1, 13)}
    single = next(m for m, y in years.items() if len(y) == 1)
    name = month_table("ru", "stand-alone", "wide")[single]
    reply = plain(await harness.reply(f"/timeline {name}"))
    assert reply.startswith(f"Хронология {name} {years[single][0]}"), reply
    empty = next(m for m, y in years.items() if not y)
    reply = plain(
        await harness.reply(f"/timeline {month_table('ru', 'stand-alone', 'wide')[empty]}")
    )
    assert "Ни за один год в базе нет событий" in reply
    # With the month in two years, the bot asks which, with the commands to send.
    # (a year earlier than the seed's: a date is never after its source's publication)
    earlier = f"{int(years[single][0]) - 1}-{single:02d}"
    add_like(store, Kind.EVENT, "test-event-earlier", "A test event.", date=When(date=earlier))
    several = single
    name = month_table("ru", "stand-alone", "wide")[several]
    reply = plain(await harness.reply(f"/timeline {name}"))
    assert "какого года?" in reply
    for year in years_of_month(store, several):
        assert f"/timeline {name} {year}" in reply
