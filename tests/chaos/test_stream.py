"""The chaos stream: hostile updates mixed into ordinary ones, through the real BotRunner
polling the fake Bot API on 127.0.0.1 (bot.polling, the update processor, every handler), in
rounds of one getUpdates batch each; then a restart.

Bounded: a fixed seed, about 640 updates, a 30 s budget (it takes a few seconds). What must
hold, the issue's three assertions:

- 0 unhandled exceptions: nothing reaches the error handlers, nothing is logged as an error
  or with a traceback;
- 0 silent private messages: every private message the handlers saw got a message back in
  its chat while it was handled (every button press and inline query was answered too);
- nothing lost: every write the bot acknowledged ("✅": a subscription, a language, an
  admin's edit and grant) is on disk after the restart, and a chat that was forgotten is not.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.fakeapi import ChatMessage, FakeBotApi
from bot.handlers import language
from bot.i18n import translator
from bot.ops.logs import RedactingFormatter
from facts.admin_store import AdminStore
from facts.model import Status
from facts.store import FactStore
from facts.subscribers import SubTopic
from facts.subscriptions import SubscriptionStore
from tests.bot.admin_helpers import EDITOR_ID, FACT_ID, fact_json
from tests.chaos.hostile import (
    FORGED,
    NOT_TEXT,
    ODD_TEXTS,
    OLD_POLL_ANSWER,
    POISON,
    SECRET_TEXT,
    nested,
    private_message,
)
from tests.chaos.observer import Observer
from tests.ops.conftest import make_ops, running, wait_until

SEED = 15
OWNER = 4242
READERS = [61_000_001 + n for n in range(8)]
FORGETTER = READERS[-1]
#: Hostile updates dealt into each round, beside one ordinary step per reader and the owner.
HOSTILE_PER_ROUND = 40
BUDGET = 30.0

QUESTIONS = [
    "how many political prisoners?",
    "/help",
    "/numbers",
    "/search Lukashenko",
    "/sanctions",
    "/who Tsikhanouskaya",
    "what happened on 9 August 2020?",
    "/timeline",
    "/subscriptions",
    "/privacy",
    "Сколько политзаключённых в Беларуси?",
]
NEW_FACT = fact_json("chaos-event-2023-05-01")


def latest_button(api: FakeBotApi, chat_id: int, wanted: str) -> tuple[ChatMessage, str]:
    """The chat's latest message with a button labelled ``wanted`` or whose data is
    ``wanted``, and that button's data (notifications may have come in since)."""
    for message in reversed(api.messages(chat_id)):
        for row in message.buttons:
            for button in row:
                if wanted in (button.get("text"), button.get("callback_data")):
                    return message, str(button["callback_data"])
    raise AssertionError(f"no button {wanted!r} in chat {chat_id}")


async def test_a_hostile_stream_stops_nothing_silences_nothing_and_loses_nothing(
    api: FakeBotApi, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    rng = random.Random(SEED)
    chats = [*READERS, OWNER]
    for chat in chats:
        api.register_chat(chat)
    #: What the bot acknowledged, to find on disk after the restart.
    topics: dict[int, set[SubTopic]] = {}
    languages: dict[int, str] = {}
    acknowledged: list[str] = []
    unparsable = 0
    all_queued: list[int] = []

    async with running(api, data_dir, make_ops(), admin_ids=[OWNER]) as runner:
        observer = Observer(runner, api)

        async def settle(queued: list[int]) -> None:
            """Wait until the round's batch is fetched and every update of it processed."""
            all_queued.extend(queued)
            delivered = [u for u in queued if u not in api.dropped()]
            await api.wait_delivered(max(delivered), timeout=10)
            await wait_until(lambda: runner.pending_updates() == 0, timeout=20, what="the round")

        async def round_of(steps: list[Callable[[], int]]) -> list[int]:
            queued = [step() for step in steps]
            await settle(queued)
            return queued

        async with asyncio.timeout(BUDGET):
            # Ordinary start: everyone has a message with buttons to forge presses on.
            await round_of([lambda c=c: api.user_message("/start", user_id=c) for c in chats])
            await round_of([lambda c=c: api.user_message("/timeline", user_id=c) for c in chats])
            targets = {c: api.messages(c)[-1] for c in chats}

            # The hostile deck, dealt out in random order across the rounds.
            deck: list[Callable[[], int]] = []
            for text in ODD_TEXTS:
                chat = rng.choice(chats)
                deck.append(lambda t=text, c=chat: api.user_message(t, user_id=c))
                deck.append(lambda t=text, c=chat: api.inline_query(t[:256], user_id=c))
            for content in NOT_TEXT.values():
                chat = rng.choice(chats)
                deck.append(
                    lambda m=content, c=chat: api.raw_update("message", private_message(c, **m))
                )
            caption = {"caption": "/start", "caption_entities": [
                {"type": "bot_command", "offset": 0, "length": 6}]}  # fmt: skip
            deck.append(
                lambda: api.raw_update(
                    "message", private_message(READERS[0], **caption, **NOT_TEXT["photo"])
                )
            )
            for kind, payload in POISON:
                deck.append(lambda k=kind, p=payload: api.raw_update(k, p))
                unparsable += 1
            deck.append(lambda: api.raw_update("poll_answer", OLD_POLL_ANSWER))
            deck.append(lambda: api.user_message("/start", user_id=READERS[1], chat_type="group"))
            for data in FORGED:
                chat = rng.choice(chats)
                deck.append(lambda d=data, c=chat: api.forged_press(targets[c], d, user_id=c))
            rng.shuffle(deck)

            # The owner's script, one step a round: edits and a grant to keep; nested JSON.
            def owner(text: str) -> Callable[[], int]:
                return lambda: api.user_message(text, user_id=OWNER)

            def confirm() -> int:
                return api.press(*latest_button(api, OWNER, "✅ Confirm"))

            nested_file = nested(50_000)
            owner_steps: list[tuple[str, Callable[[], int]]] = [
                ("add", owner("/addjson " + json.dumps(NEW_FACT))),
                ("confirm add", confirm),
                ("grant", owner(f"/grant {EDITOR_ID}")),
                ("confirm grant", confirm),
                ("import", owner("/import")),
                ("nested file", lambda: api.user_document(nested_file, "x.json", user_id=OWNER)),
                ("nested text", owner("/addjson " + "[" * 3000)),
                ("retract", owner(f"/retract {FACT_ID} chaos test")),
                ("confirm retract", confirm),
            ]
            pending_language: dict[int, str] = {}
            subscribe_steps: dict[int, tuple[int, SubTopic]] = {}
            language_steps: dict[int, tuple[int, str]] = {}
            rounds = 0
            while deck or owner_steps:
                rounds += 1
                steps: list[Callable[[], int]] = []
                labels: dict[int, str] = {}
                subscribe_steps.clear()
                language_steps.clear()
                for chat in READERS:
                    if chat in pending_language:
                        choice = pending_language.pop(chat)
                        press = latest_button(api, chat, f"lang:{choice}")
                        steps.append(lambda p=press: api.press(*p))
                        language_steps[len(steps) - 1] = (chat, choice)
                        continue
                    roll = rng.random()
                    if roll < 0.2:
                        topic = rng.choice(list(SubTopic))
                        steps.append(
                            lambda c=chat, t=topic: api.user_message(f"/subscribe {t}", user_id=c)
                        )
                        subscribe_steps[len(steps) - 1] = (chat, topic)
                    elif roll < 0.3 and chat != FORGETTER:
                        steps.append(lambda c=chat: api.user_message("/language", user_id=c))
                        pending_language[chat] = rng.choice(["ru", "be"])
                    else:
                        question = rng.choice(QUESTIONS)
                        steps.append(lambda c=chat, q=question: api.user_message(q, user_id=c))
                if owner_steps:
                    label, step = owner_steps.pop(0)
                    labels[len(steps)] = label
                    steps.append(step)
                hostile, deck = deck[:HOSTILE_PER_ROUND], deck[HOSTILE_PER_ROUND:]
                order = list(range(len(steps)))
                # Hostile updates in between the ordinary ones, in one getUpdates batch.
                mixed = [*((n, s) for n, s in zip(order, steps, strict=True)),
                         *((None, h) for h in hostile)]  # fmt: skip
                rng.shuffle(mixed)
                # Ordinary updates last, so the round ends with one that is delivered.
                mixed.sort(key=lambda item: item[0] is not None)
                ids: dict[int, int] = {}
                queued = []
                for index, step in mixed:
                    update_id = step()
                    queued.append(update_id)
                    if index is not None:
                        ids[index] = update_id
                await settle(queued)
                for index, (chat, topic) in subscribe_steps.items():
                    if observer.acknowledged(ids[index]):
                        topics.setdefault(chat, set()).add(topic)
                for index, label in labels.items():
                    if label.startswith("confirm") and observer.acknowledged(ids[index]):
                        acknowledged.append(label)
                    if label.startswith("nested"):
                        said = " ".join(c.text or "" for c in observer.calls_for(ids[index]))
                        assert "nested too deeply" in said, said
                for index, (chat, lang) in language_steps.items():
                    chosen = translator(lang).gettext(language.CHOSEN)
                    if any(chosen in (c.text or "") for c in observer.calls_for(ids[index])):
                        languages[chat] = lang

            # Last: one reader asks to be forgotten.
            await round_of([lambda: api.user_message("/subscribe all", user_id=FORGETTER)])
            await round_of([lambda: api.user_message("/forget", user_id=FORGETTER)])
            (forget,) = await round_of(
                [lambda: api.press(*latest_button(api, FORGETTER, "forget:yes"))]
            )
            assert any("keeps nothing" in (c.text or "") for c in observer.calls_for(forget))
            topics.pop(FORGETTER, None)

        # 0 unhandled exceptions.
        assert observer.errors == []
        assert runner.metrics.errors.value == 0
        assert not [r.getMessage() for r in caplog.records
                    if r.levelno >= logging.ERROR or r.exc_info]  # fmt: skip
        # 0 silent private messages; every press and inline query answered.
        private = [s for s in observer.seen if s.private_message]
        assert len(private) > 100
        assert observer.silent() == []
        assert api.unanswered_callback_queries() == []
        inline = [s for s in observer.seen if s.chat_id is None]
        answered = api.calls("answerInlineQuery")
        assert len(inline) == len(ODD_TEXTS) and len(answered) == len(inline)
        # Poison: skipped, counted, one line each with the id and type only; no user text.
        assert runner.metrics.unparsable_updates.value == unparsable
        skipped = [r for r in caplog.records if "could not be parsed" in r.getMessage()]
        assert len(skipped) == unparsable
        assert SECRET_TEXT not in caplog.text
        # The bot's own text format gives one line per record, whatever was sent.
        text_format = RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
        assert [r for r in caplog.records if "\n" in text_format.format(r)] == []
        assert not [c for c in api.sent if c.error and "parse entities" in c.error.description]
        # Bounded and mixed: the whole deck went through, with the ordinary traffic.
        # Every update reached the handlers but the unparsable ones and the one of a type
        # the bot does not ask for (never delivered).
        assert len(observer.seen) == len(all_queued) - unparsable - len(api.dropped())
        assert rounds >= 10 and len(all_queued) > 600
        assert sorted(acknowledged) == ["confirm add", "confirm grant", "confirm retract"]
        assert topics and languages

    # Nothing lost: what was acknowledged is on disk after the stop.
    check_on_disk(data_dir, topics, languages)


def check_on_disk(
    data_dir: Path, topics: dict[int, set[SubTopic]], languages: dict[int, str]
) -> None:
    """Every acknowledged write is in the data files; the forgotten chat is nowhere."""
    with SubscriptionStore.open(data_dir) as subscriptions:
        for chat, wanted in topics.items():
            subscriber = subscriptions.get(chat)
            assert subscriber is not None and wanted <= subscriber.topics, chat
        for chat, lang in languages.items():
            assert subscriptions.language(chat) == lang
        assert subscriptions.get(FORGETTER) is None
    with FactStore.open(data_dir) as store:
        assert store.get(NEW_FACT["id"]).revision == 1
        assert store.get(FACT_ID).status is Status.RETRACTED
    with AdminStore.open(data_dir) as admin:
        assert EDITOR_ID in [e.user_id for e in admin.editors()]
    on_disk = b"".join(p.read_bytes() for p in data_dir.iterdir() if p.is_file())
    assert str(FORGETTER).encode() not in on_disk
