"""Lists a page at a time: one message per reply, paged in place, nothing out of reach."""

from __future__ import annotations

import re

import pytest

from bot import texts as bot_texts
from bot.context import services_of
from bot.fakeapi import ChatMessage
from bot.handlers import pages, search, who
from bot.handlers.pages import PAGE_SIZE
from bot.memory import KEYS_KEPT, PageKeys
from bot.ops.settings import Settings
from bot.render import CALLBACK_DATA_LIMIT, MESSAGE_LIMIT
from bot.render import plain_text as plain
from bot.services import Services
from bot.splitting import visible_length
from facts.model import Fact, Kind, SanctionDetails
from facts.store import FactStore
from facts.terms import without_stale_terms
from tests.bot.harness import USER_ID, Harness, texts


def opens(message: ChatMessage) -> list[str]:
    """The callback data of the message's fact buttons, in order."""
    return [
        b["callback_data"] for row in message.buttons for b in row if b["callback_data"][:2] == "f:"
    ]


def pager(message: ChatMessage) -> dict[str, str]:
    """The message's pager row: label → callback data."""
    return {
        b["text"]: b["callback_data"]
        for row in message.buttons
        for b in row
        if b["callback_data"].startswith(("pg:", "noop"))
    }


async def test_a_long_list_is_one_message_paged_in_place(
    harness: Harness, store: FactStore
) -> None:
    total = len(store.facts(kind=Kind.SANCTION))
    assert total > PAGE_SIZE, "the seed needs more sanctions than fit a page"
    calls = await harness.ask("/sanctions")
    assert [c.method for c in calls] == ["sendMessage"]
    first = harness.last()
    first_text, first_opens = first.text, opens(first)  # the fake edits messages in place
    assert f"1–{PAGE_SIZE} of {total}" in plain(first_text)
    labels = [b["text"] for row in first.buttons[:PAGE_SIZE] for b in row]
    assert [label.split(" · ")[0] for label in labels] == [str(n) for n in range(1, 6)]
    assert len(opens(first)) == PAGE_SIZE
    assert set(pager(first)) == {f"1/{-(-total // PAGE_SIZE)}", bot_texts.PAGE_NEXT}

    turned = await harness.press(first, pager(first)[bot_texts.PAGE_NEXT])
    assert [c.method for c in turned] == ["answerCallbackQuery", "editMessageText"]
    assert turned[-1].params["message_id"] == first.message_id
    second = harness.last()
    assert second.message_id == first.message_id
    assert f"{PAGE_SIZE + 1}–" in plain(second.text)
    # Numbering and buttons go on from the first page; no fact is on both.
    assert f"{PAGE_SIZE + 1}. " in plain(second.text)
    assert not set(opens(second)) & set(first_opens)
    assert bot_texts.PAGE_PREV in pager(second)

    back = await harness.press(second, pager(second)[bot_texts.PAGE_PREV])
    assert back[-1].method == "editMessageText"
    assert harness.last().text == first_text
    assert harness.api.unanswered_callback_queries() == []


async def test_every_fact_is_on_some_page_and_pages_fit(harness: Harness, store: FactStore) -> None:
    text = await harness.read_all("/numbers")
    figures = store.facts(kind=Kind.STATISTIC)
    seen = {
        button["callback_data"].removeprefix("f:")
        for call in harness.api.sent
        for row in (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
        for button in row
    }
    assert {f.id for f in figures} <= seen
    assert plain(text).count(" — as of ") >= len(figures)
    edits = [c for c in harness.api.sent if c.method in ("sendMessage", "editMessageText")]
    assert all(visible_length(c.text or "") <= MESSAGE_LIMIT for c in edits)


async def test_a_double_tap_on_a_stale_button_changes_nothing(harness: Harness) -> None:
    await harness.ask("/numbers")
    first = harness.last()
    more = pager(first)[bot_texts.PAGE_NEXT]
    # Two taps before the first edit arrives: the second edit changes nothing, which
    # Telegram refuses ("message is not modified"); the bot must stay quiet about it.
    harness.api.press(first, more)
    await harness.settle(harness.api.press(first, more))
    edits = [c for c in harness.api.sent if c.method == "editMessageText"]
    assert len(edits) == 2 and not edits[1].ok and "not modified" in str(edits[1].error)
    assert harness.errors == []
    assert harness.api.unanswered_callback_queries() == []


async def test_a_long_query_pages_by_digest_and_expires_cleanly(
    harness: Harness, store: FactStore
) -> None:
    query = "political prisoners torture detentions sanctions election protests Belarus"
    assert len(query.encode()) > CALLBACK_DATA_LIMIT
    hits = [h for h in store.search(query, limit=search.RESULTS) if h.fact.is_current]
    assert len(hits) > PAGE_SIZE, "the query should match more than a page"
    await harness.ask(f"/search {query}")
    first = harness.last()
    data = pager(first)[bot_texts.PAGE_NEXT]
    assert re.fullmatch(r"pg:q:1:#[0-9a-f]{16}", data)
    assert query not in data

    turned = await harness.press(first, data)
    assert turned[-1].method == "editMessageText"
    assert "6. " in plain(harness.last().text)

    services_of(harness.application).page_keys.clear()  # what a restart does to them
    before = harness.last().text
    expired = await harness.press(harness.last(), pager(harness.last())[bot_texts.PAGE_PREV])
    assert [c.method for c in expired] == ["answerCallbackQuery"]
    assert expired[0].params.get("text") == bot_texts.PAGE_EXPIRED
    assert expired[0].params.get("show_alert") is True
    assert harness.last().text == before


async def test_a_profile_pages_what_they_did_or_said(harness: Harness, store: FactStore) -> None:
    person = next(
        p for p in store.facts(kind=Kind.PERSON) if len(who.activity(store, p)) > PAGE_SIZE
    )
    await harness.press(await _who_list(harness), f"who:{person.id}")
    profile = harness.last()
    profile_first = profile.text  # the fake edits messages in place
    assert "What they did or said" in profile.text
    data = pager(profile)[bot_texts.PAGE_NEXT]
    assert data == f"pg:p:1:{person.id}"
    await harness.press(profile, data)
    page = plain(harness.last().text)
    # The heading (name, roles, citation) stays on every page.
    assert plain(profile_first).split("\n")[0] == page.split("\n")[0]
    # In the order of facts.profiles.activity: the second page goes on from the sixth.
    shown = who.activity(store, person)
    assert shown[0].text[:40] in plain(profile_first)
    assert shown[PAGE_SIZE].text[:40] in page


async def _who_list(harness: Harness) -> ChatMessage:
    await harness.ask("/who")
    return harness.last()


async def test_a_retracted_person_s_pager_says_so(harness: Harness, store: FactStore) -> None:
    person = next(
        p for p in store.facts(kind=Kind.PERSON) if len(who.activity(store, p)) > PAGE_SIZE
    )
    await harness.press(await _who_list(harness), f"who:{person.id}")
    profile = harness.last()
    store.retract(person.id, by="test", reason="test")
    calls = await harness.press(profile, pager(profile)[bot_texts.PAGE_NEXT])
    assert texts(calls) == [bot_texts.WHO_GONE]


def test_a_page_past_the_end_shows_the_last(store: FactStore) -> None:
    person = _busiest(store)
    total = len(who.activity(store, store.get(person)))
    text, markup = who.profile_page(store, person, 9999)
    assert f"–{total} of {total}" in plain(text)
    assert markup is not None
    labels = [b.text for row in markup.inline_keyboard for b in row]
    assert bot_texts.PAGE_NEXT not in labels and bot_texts.PAGE_PREV in labels


def _busiest(store: FactStore) -> str:
    return max(store.facts(kind=Kind.PERSON), key=lambda p: len(who.activity(store, p))).id


@pytest.mark.parametrize(
    "key", ["", "EU", "#EU", "x" * 54, "x" * 55, "й" * 300, "a:b:c", "person-" + "z" * 60]
)
def test_keys_round_trip_within_64_bytes(key: str) -> None:
    keys = PageKeys()
    token = pages.key_token(key)
    pages.remember(keys, key)
    data = pages.page_data("q", 9999, token)
    assert len(data.encode()) <= CALLBACK_DATA_LIMIT
    assert re.match(pages.pattern("q"), data)
    page, parsed = pages.parse_page_data(data)
    assert page == 9999 and pages.key_of(keys, parsed) == key
    assert (token == key) == (len(f"pg:x:9999:{key}".encode()) <= 64 and not key.startswith("#"))


def test_remembered_keys_are_bounded() -> None:
    keys = PageKeys()
    first = pages.key_token("q" * 100)
    pages.remember(keys, "q" * 100)
    for n in range(KEYS_KEPT):
        pages.remember(keys, f"{n:0100d}")
    assert pages.key_of(keys, first) is None
    pages.remember(keys, "q" * 100)
    assert pages.key_of(keys, pages.key_token("q" * 100)) == "q" * 100


async def test_two_bots_never_share_remembered_keys(
    harness: Harness, settings: Settings, store: FactStore
) -> None:
    query = "political prisoners " * 4
    await harness.ask(f"/search {query}")
    token = pages.parse_page_data(pager(harness.last())[bot_texts.PAGE_NEXT])[1]
    assert token.startswith("#")
    assert pages.key_of(services_of(harness.application).page_keys, token) == query.strip()
    other = Services.create(settings, store)
    assert pages.key_of(other.page_keys, token) is None


async def test_pages_of_huge_facts_still_fit_one_message(
    harness: Harness, store: FactStore
) -> None:
    # A sanction on dozens of named targets renders far past 4,096 characters for five of
    # them; the page must still go out, shortened, as one message.
    base = next(
        f for f in store.facts(kind=Kind.SANCTION) if isinstance(f.details, SanctionDetails)
    )
    assert isinstance(base.details, SanctionDetails)
    targets = [f"Member {n} of the Central Election Commission of Belarus" for n in range(16)]
    for n in range(PAGE_SIZE + 1):
        store.add_fact(
            # Without the terms of the targets it no longer has (a store rule).
            without_stale_terms(
                base.model_copy(
                    update={
                        "id": f"sanction-huge-{n}",
                        "details": base.details.model_copy(update={"targets": targets}),
                    }
                )
            ),
            by="test",
            reason="test",
        )
    text = await harness.read_all("/sanctions Central Election Commission")
    assert harness.errors == []
    sent = [c for c in harness.api.sent if c.method in ("sendMessage", "editMessageText")]
    assert len(sent) == 2 and all(c.ok for c in sent)
    assert all(visible_length(c.text or "") <= MESSAGE_LIMIT for c in sent)
    assert f"{PAGE_SIZE}. " in plain(text)  # a full first page, shortened to fit


def test_fit_shortens_only_long_claims(store: FactStore) -> None:
    short, long = _fact(store, "A short claim."), _fact(store, "A long claim. " * 400)
    text = pages.fit("<b>Head</b>", [short, long], lambda facts: [f.text for f in facts])
    assert visible_length(text) <= MESSAGE_LIMIT
    assert "A short claim.\n" in text + "\n" and "A short claim.…" not in text
    assert text.endswith("…")


def test_fit_falls_back_to_a_plain_heading_and_short_lines(store: FactStore) -> None:
    head = "<b>Name</b>\n" + "Role: <i>something long</i>\n" * 400
    facts = [_fact(store, f"Claim {n} " * 30) for n in range(PAGE_SIZE)]
    text = pages.fit(head, facts, lambda fs: [f"<b>{f.text}</b>" for f in fs], first=6)
    assert visible_length(text) <= MESSAGE_LIMIT
    assert "<i>" not in text and "6. Claim 0" in text and "10. Claim 4" in text


def _fact(store: FactStore, text: str) -> Fact:
    return store.facts(kind=Kind.STATEMENT)[0].model_copy(update={"text": text})


@pytest.mark.parametrize(
    ("command", "label"),
    [
        ("/numbers", bot_texts.PAGE_NEXT),
        ("/timeline", bot_texts.TIMELINE_NEXT),
        ("/who", bot_texts.PAGE_NEXT),
    ],
)
async def test_a_pager_tap_on_an_inaccessible_message_says_the_list_expired(
    harness: Harness, command: str, label: str
) -> None:
    await harness.ask(command)
    first = harness.last()
    data = next(b["callback_data"] for row in first.buttons for b in row if b["text"] == label)
    # Telegram sends date 0 for a message the bot can no longer access.
    payload = {"chat": first.chat, "message_id": first.message_id, "date": 0}
    query = {
        "id": "77",
        "from": {"id": first.chat_id, "is_bot": False, "first_name": "U"},
        "message": payload,
        "chat_instance": "1",
        "data": data,
    }
    harness.api._callback_queries["77"] = False
    calls = await harness._answer(lambda: harness.api.raw_update("callback_query", query))
    assert [c.method for c in calls] == ["answerCallbackQuery"]
    assert calls[0].params.get("text") == bot_texts.PAGE_EXPIRED


async def test_the_page_position_answers_where_the_list_is(harness: Harness) -> None:
    harness.api.user_languages[USER_ID] = "ru"
    await harness.ask("/sanctions")
    first = harness.last()
    position = next(label for label in pager(first) if "/" in label)
    calls = await harness.press(first, pager(first)[position])
    answers = [c for c in calls if c.method == "answerCallbackQuery"]
    assert len(answers) == 1 and answers[0].params.get("text", "").startswith("Страница 1 из ")
    assert not answers[0].params.get("show_alert")
    assert [c.method for c in calls] == ["answerCallbackQuery"]  # the list is unchanged
    assert harness.api.unanswered_callback_queries() == []


async def test_a_profile_names_the_fact_that_lists_every_spelling(
    harness: Harness, store: FactStore
) -> None:
    harness.api.user_languages[USER_ID] = "ru"
    reply = plain(await harness.reply("/who Лукашенко"))
    found = re.search(r"\+ ещё \d+: /fact ([a-z0-9-]+)", reply)
    assert found is not None, reply
    assert store.get(found.group(1)).kind is Kind.PERSON
