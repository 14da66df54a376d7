"""The bot in three languages: Telegram's language_code, /language, the menu, /forget."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import i18n
from bot.commands import COMMANDS
from bot.context import services_of
from facts.subscriptions import SubscriptionStore

from .harness import USER_ID, Harness

RU, BE, EN = 501, 502, 503


async def test_replies_follow_the_telegram_language(harness: Harness) -> None:
    harness.api.user_languages.update({RU: "ru", BE: "be-BY", EN: "de"})
    assert "политзаключённые" in await harness.reply("/start", user_id=RU)
    assert "палітвязні" in await harness.reply("/start", user_id=BE)
    assert "political prisoners" in await harness.reply("/start", user_id=EN)
    assert "Все команды с примерами" in await harness.reply("/help", user_id=RU)
    assert "Я не ведаю каманды" in await harness.reply("/nonsense", user_id=BE)
    # Nothing was stored for anyone: no choice was made.
    languages = services_of(harness.application).notifier.subscriptions
    assert [languages.language(u) for u in (RU, BE, EN)] == [None, None, None]


async def test_the_menu_is_published_in_each_language(harness: Harness) -> None:
    english = [(c["command"], c["description"]) for c in harness.api.commands()]
    assert english == COMMANDS
    for lang in ("ru", "be"):
        menu = harness.api.commands(language_code=lang)
        tr = i18n.translator(lang)
        assert [(c["command"], c["description"]) for c in menu] == [
            (c, tr.gettext(d)) for c, d in COMMANDS
        ]
        assert all(c["description"] != d for c, (_, d) in zip(menu, COMMANDS, strict=True))


async def test_language_buttons_choose_store_and_forget(harness: Harness) -> None:
    harness.api.user_languages[USER_ID] = "ru"
    calls = await harness.ask("/language")
    assert "сейчас — Русский" in calls[0].text
    page = harness.last()
    calls = await harness.press(page, "lang:be")
    edited = calls[-1].text
    assert "па-беларуску" in edited
    service = services_of(harness.application).notifier
    assert service.subscriptions.language(USER_ID) == "be"
    # The chat's own menu is in Belarusian now.
    chat_menu = harness.api.commands({"type": "chat", "chat_id": USER_ID})
    assert chat_menu[0]["description"] == i18n.translator("be").gettext(COMMANDS[0][1])
    # Replies follow the choice, not Telegram's Russian.
    assert "Каманды" in await harness.reply("/help")
    # "As in Telegram" removes the choice.
    await harness.ask("/language")
    calls = await harness.press(harness.last(), "lang:auto")
    assert "языку вашего Telegram" in calls[-1].text
    assert service.subscriptions.language(USER_ID) is None
    assert "Команды" in await harness.reply("/help")
    assert harness.api.commands({"type": "chat", "chat_id": USER_ID}) == []
    # A typed choice, then /forget removes it (from memory and, see below, from disk).
    assert "English" in await harness.reply("/language en")
    assert service.subscriptions.language(USER_ID) == "en"
    assert "Commands" in await harness.reply("/help")
    await harness.ask("/forget")
    await harness.press(harness.last(), "forget:yes")
    assert service.subscriptions.language(USER_ID) is None
    assert "Команды" in await harness.reply("/help")


async def test_an_unknown_language_is_refused_and_changes_nothing(harness: Harness) -> None:
    harness.api.user_languages[USER_ID] = "be"
    reply = await harness.reply("/language fr")
    assert "Я не ведаю мовы <code>fr</code>" in reply
    assert services_of(harness.application).notifier.subscriptions.language(USER_ID) is None


def test_a_chosen_language_survives_a_restart_and_forget_wipes_the_files(
    tmp_path: Path,
) -> None:
    gone, kept = 7_700_077, 8_800_088
    with SubscriptionStore.open(tmp_path) as subs:
        subs.set_language(gone, "be")
        subs.set_language(kept, "ru")
    with SubscriptionStore.open(tmp_path) as subs:
        assert (subs.language(gone), subs.language(kept)) == ("be", "ru")
        assert subs.forget(gone) is False  # it had no subscription, but its language goes
        assert subs.language(gone) is None
    on_disk = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert str(gone).encode() not in on_disk
    assert str(kept).encode() in on_disk
    with SubscriptionStore.open(tmp_path) as subs:
        assert subs.language(gone) is None and subs.language(kept) == "ru"


@pytest.mark.parametrize(
    ("language", "asked", "done"),
    [
        ("ru", "язык, выбранный в /language", "🗑 Готово"),
        ("be", "мову, абраную ў /language", "🗑 Гатова"),
    ],
)
async def test_forget_lists_the_language_and_confirms_in_the_chosen_language(
    harness: Harness, language: str, asked: str, done: str
) -> None:
    # Telegram says English; the user chose Russian or Belarusian.
    harness.api.user_languages[USER_ID] = "en"
    await harness.reply(f"/language {language}")
    question = await harness.reply("/forget")
    assert asked in question and "Delete" not in question
    calls = await harness.press(harness.last(), "forget:yes")
    assert calls[-1].text is not None and calls[-1].text.startswith(done), calls[-1].text
    assert services_of(harness.application).notifier.subscriptions.language(USER_ID) is None
    assert "Commands" in await harness.reply("/help")


async def test_the_language_menu_names_telegrams_language_in_the_chosen_one(
    harness: Harness,
) -> None:
    harness.api.user_languages[USER_ID] = "en"
    await harness.reply("/language ru")
    menu = await harness.reply("/language")
    assert "(сейчас английский)" in menu and "English)" not in menu
