"""Every command end to end: the real Application polling the fake Bot API over HTTP.

Assertions are on what the bot sent (texts, buttons, edits), never on mocks. Fact ids are
picked from the seeded store, so the tests follow the seed as it grows.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from html import unescape

import pytest
from telegram.ext import CommandHandler, ConversationHandler

from bot import admin_texts
from bot import texts as bot_texts
from bot.commands import COMMANDS, EXAMPLES
from bot.fakeapi import ApiCall, ChatMessage
from bot.handlers import admin_core, numbers, timeline, who
from bot.handlers.pages import PAGE_SIZE
from bot.render import esc, fmt_number
from facts.model import (
    Fact,
    Kind,
    PersonDetails,
    Qualifier,
    SanctionDetails,
    StatisticDetails,
)
from facts.store import FactStore
from tests.bot.harness import ADMIN_ID, TEST_TOKEN, USER_ID, Harness, texts

GROUP = -100123
MEMBER = 777


def plain(html: str) -> str:
    """What the user reads: tags dropped, entities decoded."""
    import re

    return unescape(re.sub(r"<[^>]*>", "", html))


def sent_texts(calls: list[ApiCall]) -> str:
    return "\n\n".join(texts(calls))


def statistic(store: FactStore) -> Fact:
    """A seed statistic with a plain numeric value (prefers one counted by someone)."""
    facts = [
        f
        for f in store.facts(kind=Kind.STATISTIC)
        if isinstance(f.details, StatisticDetails) and not f.details.value_text
    ]
    facts.sort(key=lambda f: (not f.details.counted_by, f.id))  # type: ignore[union-attr]
    assert facts, "the seed has no numeric statistic"
    return facts[0]


def source_label_of(store: FactStore, fact: Fact) -> str:
    source = store.get_source(fact.citations[0].source)
    return source.outlet or source.title[:40]


def buttons(message: ChatMessage) -> list[tuple[str, str]]:
    return [(b["text"], b.get("callback_data", "")) for row in message.buttons for b in row]


# --- start-up, /start, /help --------------------------------------------------------------
async def test_command_menu_is_published_at_start_up(harness: Harness) -> None:
    menu = harness.api.commands()
    assert [(c["command"], c["description"]) for c in menu] == COMMANDS


async def test_start_says_what_where_and_privacy(harness: Harness, store: FactStore) -> None:
    text = plain(await harness.reply("/start"))
    assert "9 August 2020" in text
    assert "stores no names" in text
    for source in store.sources():
        assert (source.outlet or source.title[:30]) in text
    assert f"({len(store.sources())} documents)" in text


async def test_privacy_line_stays_true_when_unanswered_questions_are_kept(
    harness: Harness,
) -> None:
    question = "Where is the quokka sanctuary of Vitebsk zoo?"
    await harness.ask(question)
    state = admin_core._STATES.get(harness.application)
    kept = (
        state is not None
        and state.store is not None
        and any("quokka" in q.text for q in state.store.unanswered())
    )
    text = plain(await harness.reply("/start"))
    if kept:
        assert "never who asked" in text
        assert "stores no names or usernames" in text
        assert "message texts" not in text
    else:
        assert "stores no names, usernames or message texts" in text


async def test_start_deep_link_opens_the_fact(harness: Harness, store: FactStore) -> None:
    fact = statistic(store)
    text = plain(await harness.reply(f"/start fact_{fact.id}"))
    assert fact.text in text
    assert fact.citations[0].quote in text
    assert source_label_of(store, fact) in text


async def test_start_with_an_unknown_payload_is_the_normal_welcome(harness: Harness) -> None:
    text = plain(await harness.reply("/start inline"))
    assert "stores no names" in text


async def test_help_lists_every_command_with_an_example(harness: Harness) -> None:
    text = plain(await harness.reply("/help"))
    for command, _ in COMMANDS:
        assert f"/{command} — " in text
        assert EXAMPLES[command][0] in text


def registered_commands(harness: Harness) -> set[str]:
    """Every command any handler of the running application answers, conversations too."""

    def walk(handlers: Sequence[object]) -> Iterator[str]:
        for handler in handlers:
            if isinstance(handler, CommandHandler):
                yield from handler.commands
            elif isinstance(handler, ConversationHandler):
                yield from walk(handler.entry_points)
                for state in handler.states.values():
                    yield from walk(state)
                yield from walk(handler.fallbacks)

    return {c for group in harness.application.handlers.values() for c in walk(group)}


async def test_help_lists_every_registered_command_admin_ones_to_admins_only(
    harness: Harness,
) -> None:
    registered = registered_commands(harness)
    admin_only = {c for c, _, _ in admin_texts.ADMIN_COMMANDS} | {"adminhelp", "skip"}
    assert {"subscribe", "add", "numbers"} <= registered
    public = registered - admin_only
    reader = plain(await harness.reply("/help"))
    for command in sorted(public):
        assert re.search(rf"(?m)^/{command} — ", reader), command
    for command in sorted(admin_only - public):
        assert not re.search(rf"/{command}\b", reader), command
    admin = plain(await harness.reply("/help", user_id=ADMIN_ID))
    for command in sorted(registered):
        assert re.search(rf"/{command}\b", admin), command
    for command, example, _ in admin_texts.ADMIN_COMMANDS:
        assert f"/{command} — " in admin and example in admin
    for _command, example, _ in bot_texts.HELP_MORE:
        assert example in reader
    # Not in a group, even for an admin.
    group = plain(
        sent_texts(
            await harness.ask(
                f"/help@{harness.api.bot_username}",
                chat_id=GROUP,
                chat_type="supergroup",
                user_id=ADMIN_ID,
            )
        )
    )
    assert "/numbers — " in group and "/retract" not in group


async def test_unknown_command_gets_a_helpful_reply(harness: Harness) -> None:
    text = plain(await harness.reply("/frobnicate now"))
    assert "/frobnicate" in text
    assert "/help" in text
    assert "Did you mean" in plain(await harness.reply("/timelime 2020"))


# --- /fact ----------------------------------------------------------------------------------
async def test_fact_in_full_with_quotes_and_history(harness: Harness, store: FactStore) -> None:
    fact = next(f for f in store.facts() if len(f.citations) > 1)
    text = plain(await harness.reply(f"/fact {fact.id}"))
    assert fact.text in text
    for citation in fact.citations:
        assert citation.quote in text
    assert "History" in text and "seeded" in text
    assert f"Id: {fact.id}" in text


async def test_fact_shows_value_as_of_and_counter(harness: Harness, store: FactStore) -> None:
    fact = statistic(store)
    details = fact.details
    assert isinstance(details, StatisticDetails)
    text = plain(await harness.reply(f"/fact {fact.id}"))
    assert fmt_number(details.value) in text
    assert "As of:" in text
    if details.counted_by:
        assert details.counted_by in text


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("", "Which fact?"),
        ("NOT AN ID!", "is not a fact id"),
        ("no-such-fact-anywhere", "There is no fact with the id"),
    ],
)
async def test_fact_odd_arguments(harness: Harness, args: str, expected: str) -> None:
    text = plain(await harness.reply(f"/fact {args}".strip()))
    assert expected in text


async def test_superseded_fact_is_never_shown_as_current(
    harness: Harness, store: FactStore
) -> None:
    old = statistic(store)
    assert isinstance(old.details, StatisticDetails)
    new = old.model_copy(
        update={
            "id": f"{old.id}-v2"[:58],
            "text": "A newer count of 99,999 of the same thing, for the test.",
            # The old translations state the old figure: the store refuses to carry them.
            "translations": {},
            "details": old.details.model_copy(
                update={"value": 99999, "value_text": None, "qualifier": Qualifier.EXACTLY}
            ),
        }
    )
    store.supersede(old.id, new, by="test", reason="newer figure")
    text = plain(await harness.reply(f"/fact {old.id}"))
    assert "superseded" in text
    assert new.text in text
    assert "99,999" in text
    # Lists show only the current figure.
    listed = plain(await harness.reply("/numbers"))
    assert "99,999" in listed
    data = [d for _, d in buttons(harness.last())]
    assert f"f:{new.id}" in data and f"f:{old.id}" not in data


async def test_retracted_fact_shows_only_its_retraction(harness: Harness, store: FactStore) -> None:
    fact = statistic(store)
    store.retract(fact.id, by="test", reason="the source was misread")
    text = plain(await harness.reply(f"/fact {fact.id}"))
    assert "retracted" in text
    assert "the source was misread" in text
    assert fact.text not in text
    await harness.ask("/numbers")
    assert f"f:{fact.id}" not in [d for _, d in buttons(harness.last())]


# --- /search and the open buttons -----------------------------------------------------------
async def test_search_ranks_matches_with_buttons_that_open_facts(
    harness: Harness, store: FactStore
) -> None:
    fact = statistic(store)
    words = " ".join(fact.text.split()[:6])
    calls = await harness.ask(f"/search {words}")
    text = plain(sent_texts(calls))
    assert fact.text in text
    results = harness.last()
    labels = [label for label, data in buttons(results) if data.startswith("f:")]
    # Each button says which fact it opens: "1 · short title".
    assert [label.split(" · ")[0] for label in labels] == [
        str(n) for n in range(1, len(labels) + 1)
    ]
    assert all(len(label.split(" · ", 1)[1]) >= 3 for label in labels)
    data = next(d for _, d in buttons(results) if d == f"f:{fact.id}")
    opened = await harness.press(results, data)
    assert [c.method for c in opened] == ["answerCallbackQuery", "sendMessage"]
    assert fact.citations[0].quote in plain(sent_texts(opened))
    assert harness.api.unanswered_callback_queries() == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [("", "What should I search for?"), ("zzqx wvvk", "Nothing in the base matches")],
)
async def test_search_odd_arguments(harness: Harness, query: str, expected: str) -> None:
    assert expected in plain(await harness.reply(f"/search {query}".strip()))


async def test_search_escapes_what_the_user_typed(harness: Harness) -> None:
    calls = await harness.ask('/search <b>&"zzqx"')
    assert all(c.ok for c in calls)
    assert "&lt;b&gt;&amp;&quot;zzqx&quot;" in sent_texts(calls)


# --- /timeline ------------------------------------------------------------------------------
async def test_timeline_pages_edit_the_same_message(harness: Harness, store: FactStore) -> None:
    dated = timeline.events(store)
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
    expected = timeline.events(store, year, year)
    text = plain(await harness.reply(f"/timeline {year}"))
    if not expected:
        assert "No dated events" in text
        return
    assert expected[0].text in text
    outside = timeline.events(store, "2020", "2020")
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
    assert "Give a year or a range" in plain(await harness.reply("/timeline 2020 2021 2022"))
    assert "No dated events" in plain(await harness.reply("/timeline 1999"))


# --- /who -----------------------------------------------------------------------------------
def _person(store: FactStore, name: str) -> Fact:
    hits = store.find_people(name, limit=1)
    assert hits, f"the seed has no {name}"
    return hits[0].fact


def _add_like(store: FactStore, kind: Kind, fact_id: str, text: str, **details: object) -> Fact:
    """Add the case a test needs: a copy of the first current fact of ``kind`` under a new
    id and claim, with ``details`` changed (its citations stay, so the store accepts it)."""
    model = store.facts(kind=kind)[0]
    fact = Fact.model_validate(
        {
            **model.model_dump(mode="json"),
            "id": fact_id,
            "text": text,
            "details": model.details.model_copy(update=details).model_dump(mode="json"),
            "related": [],
            "translations": {},
            "questions": [],
            "revision": 1,
        }
    )
    return store.add_fact(fact, by="test", reason="the case this test needs")


@pytest.mark.parametrize(
    "spelling", ["Tsikhanouskaya", "Tikhanovskaya", "Tikhanovskya", "Тихановская"]
)
async def test_who_finds_people_under_every_spelling(
    harness: Harness, store: FactStore, spelling: str
) -> None:
    person = _person(store, "Tikhanovskaya")
    assert isinstance(person.details, PersonDetails)
    text = plain(await harness.reply(f"/who {spelling}"))
    assert person.details.name in text
    assert "What they did or said" in text
    assert source_label_of(store, person) in text


async def test_who_profile_lists_roles_and_statements(harness: Harness, store: FactStore) -> None:
    person = _person(store, "Lukashenka")
    assert isinstance(person.details, PersonDetails)
    text = plain(await harness.read_all("/who Lukashenka"))
    for role in person.details.roles:
        assert role.title in text
    activity = who.activity(store, person)
    related = [f for f in store.facts() if person.id in f.related and f.kind is not Kind.PERSON]
    assert related and {f.id for f in related} <= {f.id for f in activity}
    # Other people's profiles are not something this person did or said.
    assert all(f.kind is not Kind.PERSON for f in activity)
    # Every fact is on some page, and the pages say where the reader is.
    assert all(f.text in text for f in activity)
    assert len(activity) > PAGE_SIZE and f"1–{PAGE_SIZE} of {len(activity)}" in text


async def test_who_without_a_name_lists_people_as_buttons(
    harness: Harness, store: FactStore
) -> None:
    await harness.ask("/who")
    listing = harness.last()
    people = store.facts(kind=Kind.PERSON)
    assert f"({len(people)})" in (listing.text or "")
    person_buttons = [(label, data) for label, data in buttons(listing) if data.startswith("who:")]
    assert person_buttons
    label, data = person_buttons[0]
    profile = await harness.press(listing, data)
    assert label in plain(sent_texts(profile))
    more = [d for _, d in buttons(listing) if d.startswith("wl:")]
    if more:  # a second page exists: it replaces the first in place
        paged = await harness.press(listing, more[0])
        assert paged[-1].method == "editMessageText"
        assert paged[-1].params["message_id"] == listing.message_id


async def test_who_with_several_matches_offers_a_choice(harness: Harness, store: FactStore) -> None:
    # Whatever the seed holds, there are at least two Michaels.
    _add_like(
        store,
        Kind.PERSON,
        "person-michael-testerson",
        "Michael Testerson is a lawyer in Minsk.",
        name="Michael Testerson",
        aliases=[],
        roles=[],
    )
    hits = store.find_people("Michael", limit=8)
    assert len(hits) >= 2
    text = plain(await harness.reply("/who Michael"))
    assert "Several people match" in text
    choice = harness.last()
    data = [d for _, d in buttons(choice)]
    assert {f"who:{h.fact.id}" for h in hits} >= set(data) and len(data) >= 2
    picked = await harness.press(choice, data[0])
    assert "What they did or said" in plain(sent_texts(picked))


async def test_who_unknown_name(harness: Harness) -> None:
    assert "Nobody called" in plain(await harness.reply("/who Qwzx Vbnmk"))


# --- /numbers, /sources, /sanctions ---------------------------------------------------------
async def test_numbers_one_line_each_most_important_first(
    harness: Harness, store: FactStore
) -> None:
    calls = await harness.ask("/numbers")
    listing = harness.last()
    text = plain(sent_texts(calls))
    figures = store.facts(kind=Kind.STATISTIC)
    shown = numbers.ordered(figures)[:PAGE_SIZE]
    # One button per figure, in list order, labelled with its number and a short title.
    opens = [(label, data) for label, data in buttons(listing) if data.startswith("f:")]
    assert [data for _, data in opens] == [f"f:{f.id}" for f in shown]
    assert [label.split(" · ")[0] for label, _ in opens] == [
        str(n) for n in range(1, len(shown) + 1)
    ]
    assert all(len(label) <= 44 for label, _ in opens)
    for n, fact in enumerate(shown, start=1):
        details = fact.details
        assert isinstance(details, StatisticDetails)
        # Compact: the claim sentence is not repeated under the value.
        assert fact.text not in text
        line = next(x for x in text.splitlines() if x.startswith(f"{n}. "))
        assert " — as of " in line and " · " in line, line
        if details.counted_by:
            assert details.counted_by in line
    # Prisoners first, then torture, then detentions: what readers come for.
    topics = [numbers.importance(f) for f in shown]
    assert topics == sorted(topics)
    prisoners = [f for f in shown if "prisoners" in f.topics]
    if prisoners:
        assert shown[0].topics and "prisoners" in shown[0].topics
        assert "political prisoners" in opens[0][0]
    fact = statistic(store)
    assert isinstance(fact.details, StatisticDetails)
    assert fmt_number(fact.details.value) in text


async def test_sources_list_title_outlet_author_and_date_basis(
    harness: Harness, store: FactStore
) -> None:
    text = plain(await harness.reply("/sources"))
    for source in store.sources():
        assert source.title in text
        assert source.date_note in text
        if source.outlet:
            assert source.outlet in text
        if source.author:
            assert source.author in text


def _sanctions(store: FactStore) -> list[tuple[Fact, SanctionDetails]]:
    return [
        (f, f.details)
        for f in store.facts(kind=Kind.SANCTION)
        if isinstance(f.details, SanctionDetails)
    ]


async def test_sanctions_all_with_status_and_citation(harness: Harness, store: FactStore) -> None:
    text = plain(await harness.read_all("/sanctions"))
    for fact, details in _sanctions(store):
        assert fact.text in text
        assert details.status.value in text
    assert f"({len(_sanctions(store))})" in text


async def test_sanctions_filtered_by_target_under_any_spelling(
    harness: Harness, store: FactStore
) -> None:
    person = _person(store, "Lukashenko")
    # Whatever the seed holds, one sanction names him as its target.
    _add_like(
        store,
        Kind.SANCTION,
        "sanction-test-on-lukashenko",
        f"A test ban on entry imposed on {person.names[0]}.",
        targets=[person.names[0]],
        imposed_by=["Iceland"],
    )
    names = [n.casefold() for n in person.names]
    on_him = [
        f for f, d in _sanctions(store) if any(n in t.casefold() for t in d.targets for n in names)
    ]
    others = [f for f, _ in _sanctions(store) if f not in on_him]
    assert on_him
    text = plain(await harness.read_all("/sanctions Lukashenko"))
    for fact in on_him:
        assert fact.text in text
    for fact in others:
        if not any(n in fact.text.casefold() for n in names):
            assert fact.text not in text


async def test_sanctions_filtered_by_imposer_alias(harness: Harness, store: FactStore) -> None:
    # Whatever the seed holds, one sanction is the EU's.
    _add_like(
        store,
        Kind.SANCTION,
        "sanction-test-by-the-eu",
        "A test asset freeze the European Union imposed on officials.",
        imposed_by=["European Union"],
        targets=["officials"],
    )
    by_eu = [f for f, d in _sanctions(store) if "European Union" in d.imposed_by]
    assert by_eu
    text = plain(await harness.read_all("/sanctions EU"))
    for fact in by_eu:
        assert fact.text in text
    not_eu = [f for f, d in _sanctions(store) if "European Union" not in d.imposed_by]
    for fact in not_eu:
        assert fact.text not in text


async def test_sanctions_for_nobody_known(harness: Harness) -> None:
    text = plain(await harness.reply("/sanctions Atlantis"))
    assert "no restrictive measures" in text
    assert "Imposed by:" in text


# --- plain-text questions and groups --------------------------------------------------------
async def test_question_is_answered_with_the_fact_and_its_citation(
    harness: Harness, store: FactStore
) -> None:
    prisoners = [
        f
        for f in store.facts(kind=Kind.STATISTIC)
        if isinstance(f.details, StatisticDetails) and "political prisoners" in f.details.unit
    ]
    if not prisoners:  # a seed without the figure: the test brings its own
        prisoners = [
            _add_like(
                store,
                Kind.STATISTIC,
                "stat-test-political-prisoners",
                "At least 1,234 political prisoners were held in Belarus.",
                value=1234,
                value_text=None,
                unit="political prisoners",
                qualifier=Qualifier.AT_LEAST,
                counted_by=None,
            )
        ]
    text = plain(await harness.reply("How many political prisoners are there in Belarus?"))
    assert "From the fact base" in text
    assert prisoners[0].text in text
    assert source_label_of(store, prisoners[0]) in text


async def test_unanswerable_question_is_refused_honestly(harness: Harness) -> None:
    calls = await harness.ask("What will the weather be in Lisbon tomorrow?")
    text = plain(sent_texts(calls))
    assert "could not find a fact that answers this" in text
    assert "From the fact base" not in text
    assert "/search" in text


async def test_group_messages_are_ignored_unless_command_or_mention(harness: Harness) -> None:
    username = harness.api.bot_username
    ignored = await harness.ask(
        "how many political prisoners are there?",
        chat_id=GROUP,
        chat_type="supergroup",
        user_id=MEMBER,
    )
    assert ignored == []
    other_bot = await harness.ask(
        "/frobnicate@some_other_bot", chat_id=GROUP, chat_type="supergroup", user_id=MEMBER
    )
    assert other_bot == []
    unaddressed = await harness.ask(
        "/frobnicate", chat_id=GROUP, chat_type="supergroup", user_id=MEMBER
    )
    assert unaddressed == []
    asked = await harness.ask(
        f"@{username} how many political prisoners are there?",
        chat_id=GROUP,
        chat_type="supergroup",
        user_id=MEMBER,
    )
    assert asked and asked[0].params["chat_id"] == GROUP
    assert "From the fact base" in plain(sent_texts(asked))
    command = await harness.ask(
        f"/sources@{username}", chat_id=GROUP, chat_type="supergroup", user_id=MEMBER
    )
    assert "Source documents" in plain(sent_texts(command))
    empty = await harness.ask(f"@{username}", chat_id=GROUP, chat_type="supergroup", user_id=MEMBER)
    assert "Ask me something" in plain(sent_texts(empty))


# --- inline mode ----------------------------------------------------------------------------
async def test_inline_offers_fact_cards_with_deep_links(harness: Harness, store: FactStore) -> None:
    calls = await harness.inline("sanctions")
    assert [c.method for c in calls] == ["answerInlineQuery"]
    assert calls[0].ok
    results = calls[0].params["results"]
    assert 0 < len(results) <= 50
    ids = [r["id"] for r in results]
    assert len(ids) == len(set(ids))
    username = harness.api.bot_username
    for result in results:
        fact = store.get(result["id"])
        card = result["input_message_content"]["message_text"]
        assert esc(fact.text) in card
        assert f"https://t.me/{username}?start=fact_{fact.id}" in card
        assert result["description"]  # the compact citation, as plain text
        assert "<" not in result["title"] and "<" not in result["description"]


async def test_inline_empty_query_offers_key_figures(harness: Harness, store: FactStore) -> None:
    calls = await harness.inline("")
    ids = {r["id"] for r in calls[0].params["results"]}
    assert ids and ids <= {f.id for f in store.facts(kind=Kind.STATISTIC)}


async def test_inline_with_no_match_answers_empty(harness: Harness) -> None:
    calls = await harness.inline("zzqx wvvk")
    assert calls[0].ok and calls[0].params["results"] == []


# --- failures -------------------------------------------------------------------------------
async def test_a_failing_handler_apologises_and_logs_without_token_or_text(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    harness.raise_errors = False
    harness.api.fail_next("sendMessage", 400, "Bad Request: injected failure")
    secret_question = "zebra-secret-question-4711 how many political prisoners?"
    with caplog.at_level(logging.INFO):
        calls = await harness.ask(secret_question)
    assert [c.ok for c in calls if c.method == "sendMessage"] == [False, True]
    assert plain(calls[-1].text or "") == bot_texts.ERROR
    ours = [r for r in caplog.records if r.name.startswith("bot.")]
    logged = "\n".join(logging.Formatter().format(r) for r in ours)
    assert "BadRequest" in logged and "Traceback" in logged
    assert "zebra-secret-question" not in logged
    assert TEST_TOKEN not in logged
    # (httpx logs URLs with the token at INFO; production configure_logging() silences it.)


async def test_a_blocked_user_is_not_an_error_worth_an_apology(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    harness.raise_errors = False
    harness.api.block_chat(USER_ID)
    with caplog.at_level(logging.INFO):
        calls = await harness.ask("/numbers")
    assert all(not c.ok for c in calls if c.method == "sendMessage")
    assert len([c for c in calls if c.method == "sendMessage"]) == 1  # no apology attempt
    assert "cannot write to this chat" in caplog.text


async def test_a_failing_button_apologises_in_the_chat(harness: Harness) -> None:
    harness.raise_errors = False
    await harness.ask("/timeline")
    page = harness.last()
    harness.api.fail_next("editMessageText", 400, "Bad Request: injected failure")
    calls = await harness.press(page, page.button_data(bot_texts.TIMELINE_NEXT))
    methods = [(c.method, c.ok) for c in calls]
    # Answered before the edit failed, so the apology cannot ride on the query: it is sent.
    assert methods == [
        ("answerCallbackQuery", True),
        ("editMessageText", False),
        ("answerCallbackQuery", False),
        ("sendMessage", True),
    ]
    assert plain(calls[-1].text or "") == bot_texts.ERROR
    assert harness.api.unanswered_callback_queries() == []
