"""Start-up, /start (and its deep links), /help and unknown commands, end to end."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from telegram.ext import CommandHandler, ConversationHandler

from bot import admin_texts
from bot import texts as bot_texts
from bot.commands import COMMANDS, EXAMPLES
from bot.context import services_of
from facts.store import FactStore
from tests.bot.cases import source_label_of, statistic
from tests.bot.harness import ADMIN_ID, GROUP, Harness, plain, sent_texts


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
    state = services_of(harness.application).admin
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
