"""The interface in Russian and Belarusian through the real application: dates, the admin
commands' texts and buttons, /help's examples, inline cards in the chosen language."""

from __future__ import annotations

from datetime import UTC, datetime

from bot import admin_texts as at
from bot import texts as bot_texts
from bot.commands import EXAMPLES
from bot.i18n import translator
from bot.render import plain_text, shorten
from facts.store import FactStore
from tests.bot.admin_helpers import FACT_ID, confirm, press, say
from tests.bot.harness import ADMIN_ID, USER_ID, Harness


async def test_belarusian_may_is_travien_not_the_russian_mai(harness: Harness) -> None:
    harness.api.user_languages[USER_ID] = "be"
    text = plain_text(await harness.reply(f"/fact {FACT_ID}"))
    assert "травень 2023" in text  # the fact's date, a month standing alone
    assert "12 траўня 2023" in text  # the source's date, a day of the month
    assert "май" not in text and "мая" not in text


async def test_about_a_month_names_the_month_as_the_preposition_governs(harness: Harness) -> None:
    harness.api.user_languages[USER_ID] = "ru"
    ru = plain_text(await harness.reply("санкции против Беларуси"))
    assert "около сентября 2020\u202fг." in ru and "около сентябрь" not in ru
    harness.api.user_languages[USER_ID] = "be"
    be = plain_text(await harness.reply("санкцыі супраць Беларусі"))
    assert "каля лістапада 2020" in be and "каля лістапад " not in be
    harness.api.user_languages[USER_ID] = "en"
    en = plain_text(await harness.reply("sanctions against Belarus"))
    assert "about September 2020" in en


async def test_adminhelp_is_in_the_admins_language(harness: Harness) -> None:
    for language, owner in (("ru", "вы владелец"), ("be", "вы ўладальнік")):
        harness.api.user_languages[ADMIN_ID] = language
        text = plain_text(await harness.reply("/adminhelp", user_id=ADMIN_ID))
        assert owner in text and "owner" not in text
        for _, _, description in at.ADMIN_COMMANDS:
            assert translator(language).gettext(description) in text
            assert description not in text


async def test_unanswered_page_buttons_are_in_the_admins_language(harness: Harness) -> None:
    for n in range(7):
        await say(harness, f"zzxq wobble frobnicate number {n}", user_id=USER_ID)
    harness.api.user_languages[ADMIN_ID] = "ru"
    ru = translator("ru")
    await say(harness, "/unanswered")
    await press(harness, ru.gettext(bot_texts.PAGE_NEXT))
    labels = [b["text"] for row in harness.last(ADMIN_ID).buttons for b in row]
    assert ru.gettext(bot_texts.PAGE_PREV) in labels
    assert bot_texts.PAGE_PREV not in labels and bot_texts.PAGE_NEXT not in labels


async def test_history_names_status_action_and_day_in_the_admins_language(
    harness: Harness,
) -> None:
    harness.api.user_languages[ADMIN_ID] = "ru"
    today = datetime.now(UTC).date()  # the seed's revision is written when the store opens
    text = plain_text(await say(harness, f"/history {FACT_ID}"))
    assert "сейчас действующий" in text and "1. из исходной базы ·" in text
    assert translator("ru").date(today.isoformat()) in text
    for english in ("current", "seeded", today.strftime("%B")):
        assert english not in text
    harness.api.user_languages[ADMIN_ID] = "be"
    text = plain_text(await say(harness, f"/history {FACT_ID}"))
    assert "цяпер дзейны" in text and "1. з зыходнай базы ·" in text


async def test_help_examples_are_in_the_readers_language_and_work(harness: Harness) -> None:
    for language in ("ru", "be"):
        tr = translator(language)
        harness.api.user_languages[USER_ID] = language
        text = plain_text(await harness.reply("/help"))
        for examples in EXAMPLES.values():
            for example in examples:
                assert tr.gettext(example) in text
                if tr.gettext(example) != example:
                    assert example not in text
        assert "/search политзаключённые" in text or "/search палітвязні" in text
        for example in EXAMPLES["search"]:
            query = tr.gettext(example).removeprefix("/search ")
            reply = await harness.reply(f"/search {query}")
            assert tr.gettext(bot_texts.SEARCH_HEADER, query=query) in reply
        for example in EXAMPLES["who"][1:]:
            name = tr.gettext(example).removeprefix("/who ")
            reply = await harness.reply(f"/who {name}")
            assert tr.gettext(bot_texts.WHO_NOT_FOUND, name=name) not in reply
        for example in EXAMPLES["sanctions"][1:]:
            who = tr.gettext(example).removeprefix("/sanctions ")
            reply = await harness.reply(f"/sanctions {who}")
            assert (
                tr.gettext(bot_texts.SANCTIONS_FILTER_HEADER, who=who, count="").split("(")[0]
                in reply
            )

    harness.api.user_languages[ADMIN_ID] = "ru"
    admin = plain_text(await harness.reply("/adminhelp", user_id=ADMIN_ID))
    assert "/grant <id пользователя>" in admin
    assert "/edit ID или /edit ID ПОЛЕ ЗНАЧЕНИЕ | ПРИЧИНА" in admin


async def test_unanswered_attach_offers_facts_in_the_admins_language(
    harness: Harness, store: FactStore
) -> None:
    await say(harness, "how many are locked up in zhodino for their politics", user_id=USER_ID)
    harness.api.user_languages[ADMIN_ID] = "ru"
    ru = translator("ru")
    listing = plain_text(await say(harness, "/unanswered"))
    today = datetime.now(UTC).date().isoformat()
    assert f"(последний раз {ru.date(today)})" in listing and today not in listing
    await press(harness, "📎 1")
    offered = plain_text(harness.last(ADMIN_ID).text or "")
    fact = store.get(FACT_ID)
    line = next(line for line in offered.splitlines() if FACT_ID in line)
    assert shorten(fact.translations["ru"].text, 140) in line
    assert line.endswith("· перевод с английского")
    assert shorten(fact.text, 140) not in offered


async def test_an_edit_lists_only_fields_whose_value_changes(harness: Harness) -> None:
    preview = plain_text(await say(harness, f"/edit {FACT_ID} claim-ru - | no Russian yet"))
    assert "translations.ru.text" in preview and "translations.ru.quotes" in preview
    assert "aliases" not in preview  # none before, none after: no change
    await confirm(harness)
    history = plain_text(await say(harness, f"/history {FACT_ID}"))
    assert "translations.ru.text" in history and "aliases" not in history


async def test_timeline_takes_a_month_by_name_in_each_language(harness: Harness) -> None:
    for language, months in {
        "en": ["September 2020", "Sept 2020", "september 2020"],
        "ru": ["сентябрь 2020", "сентября 2020", "Сентябрь 2020", "в сентябре 2020"],
        "be": ["верасень 2020", "верасня 2020", "у верасні 2020"],
    }.items():
        harness.api.user_languages[USER_ID] = language
        iso = await harness.reply("/timeline 2020-09")
        assert translator(language).date("2020-09") in iso
        for month in months:
            assert await harness.reply(f"/timeline {month}") == iso, month
    harness.api.user_languages[USER_ID] = "ru"
    assert await harness.reply("/timeline с сентября 2020 по декабрь 2020") == (
        await harness.reply("/timeline 2020-09 2020-12")
    )
    assert await harness.reply("/timeline 12 траўня 2023") == (
        await harness.reply("/timeline 2023-05-12")
    )
    bad = plain_text(await harness.reply("/timeline Foo 2020"))
    assert bad.startswith("Foo — не дата") and "сентябрь 2020" in bad


async def test_inline_cards_follow_the_language_chosen_in_the_private_chat(
    harness: Harness,
) -> None:
    harness.api.user_languages[USER_ID] = "en"
    await harness.reply("/language be")
    [answer] = [
        c for c in await harness.inline("political prisoners") if c.method == "answerInlineQuery"
    ]
    card = answer.params["results"][0]["input_message_content"]["message_text"]
    assert "Факт цалкам з цытатамі" in card
    assert answer.params["button"]["text"] == translator("be").gettext(bot_texts.INLINE_BUTTON)
    # Another user, who chose nothing, gets their Telegram language.
    [other] = [
        c
        for c in await harness.inline("political prisoners", user_id=ADMIN_ID)
        if c.method == "answerInlineQuery"
    ]
    assert "Факт цалкам" not in other.params["results"][0]["input_message_content"]["message_text"]
