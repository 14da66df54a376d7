"""Conversations in Russian and Belarusian through the real application and the fake Bot
API: facts in the reader's language (translations marked, quotes verbatim), dates and
numbers, refusals, inline cards and notifications."""

from __future__ import annotations

from bot.context import services_of
from bot.render import plain_text
from facts.model import FactTranslation
from facts.store import FactStore
from tests.bot.admin_helpers import FACT_ID, confirm, say
from tests.bot.harness import ADMIN_ID, USER_ID, Harness
from tests.bot.test_notify_fakes import wait_until

RU_READER = 9_100_000_001
BE_READER = 9_100_000_002
EN_READER = 9_100_000_003


def _ru(harness: Harness, *users: int) -> None:
    for user in users:
        harness.api.user_languages[user] = "ru"


async def test_a_fact_in_russian_is_the_translation_marked_with_the_quote_verbatim(
    harness: Harness, store: FactStore
) -> None:
    fact = store.get(FACT_ID)
    translation = fact.translations["ru"]
    _ru(harness, USER_ID)
    text = plain_text(await harness.reply(f"/fact {FACT_ID}"))
    assert translation.text in text
    assert "Перевод с английского" in text
    assert fact.citations[0].quote in text  # verbatim, in the document's language
    assert "1 486" in text  # the figure, as Russian writes numbers
    assert "мая 2023" in text  # the document's date, in Russian
    assert "Источник" in text and "Source" not in text


async def test_a_fact_without_a_translation_is_english_with_a_note(
    harness: Harness, store: FactStore
) -> None:
    fact = store.get(FACT_ID)
    bare = fact.model_copy(update={"translations": {}})
    store.update_fact(bare, by="test", reason="drop the translations")
    harness.api.user_languages[USER_ID] = "be"
    text = plain_text(await harness.reply(f"/fact {FACT_ID}"))
    assert fact.text in text
    assert "Яшчэ не перакладзена: паказана па-англійску." in text
    listing = plain_text(await harness.reply("/numbers"))
    assert "па-англійску: перакладу пакуль няма" in listing


async def test_a_quote_translation_is_labelled_as_one(harness: Harness, store: FactStore) -> None:
    fact = store.get(FACT_ID)
    ru = fact.translations.get("ru") or FactTranslation(text="Перевод.")
    quoted = ru.model_copy(update={"quotes": ["Перевод цитаты для проверки."]})
    store.update_fact(
        fact.model_copy(update={"translations": {**fact.translations, "ru": quoted}}),
        by="test",
        reason="a quote translation",
    )
    _ru(harness, USER_ID)
    text = plain_text(await harness.reply(f"/fact {FACT_ID}"))
    assert fact.citations[0].quote in text
    assert "Перевод цитаты: Перевод цитаты для проверки." in text


async def test_lists_read_in_each_language(harness: Harness) -> None:
    _ru(harness, RU_READER)
    harness.api.user_languages[BE_READER] = "be"
    ru = plain_text(await harness.reply("/sanctions", user_id=RU_READER))
    assert "Ограничительные меры" in ru and "сначала новые" in ru
    be = plain_text(await harness.reply("/timeline 2020", user_id=BE_READER))
    assert "Храналогія" in be and "жніўня 2020" in be
    en = plain_text(await harness.reply("/timeline 2020", user_id=EN_READER))
    assert "Timeline" in en and "August 2020" in en
    page = harness.last(BE_READER)
    labels = [b["text"] for row in page.buttons for b in row]
    assert "Пазней ▶" in labels
    assert "Документы-источники" in plain_text(await harness.reply("/sources", user_id=RU_READER))
    assert "Ключавыя лічбы" in plain_text(await harness.reply("/numbers", user_id=BE_READER))


async def test_a_refusal_in_the_questions_language(harness: Harness) -> None:
    _ru(harness, USER_ID)
    reply = plain_text(await harness.reply("какая погода будет на Марсе завтра?"))
    assert "Я не нашёл факта, который отвечает на это" in reply
    assert "I could not find" not in reply
    # A question in English is answered in English, whatever the chat's language.
    reply = plain_text(await harness.reply("what is the weather on Mars tomorrow?"))
    assert "I could not find" in reply
    harness.api.user_languages[BE_READER] = "be"
    reply = plain_text(
        await harness.reply("якое надвор'е будзе на Марсе заўтра?", user_id=BE_READER)
    )
    assert "Я не знайшоў факта" in reply


async def test_inline_cards_are_in_the_readers_language(harness: Harness) -> None:
    harness.api.user_languages[USER_ID] = "be"
    calls = await harness.inline("political prisoners")
    [answer] = [c for c in calls if c.method == "answerInlineQuery"]
    results = answer.params["results"]
    assert results
    card = results[0]["input_message_content"]["message_text"]
    assert "Факт цалкам з цытатамі" in card
    assert answer.params.get("is_personal") is True


async def test_a_notification_goes_out_in_each_subscribers_language(harness: Harness) -> None:
    _ru(harness, RU_READER)
    harness.api.user_languages[BE_READER] = "be"
    await say(harness, "/subscribe prisoners", user_id=RU_READER)
    await say(harness, "/subscribe prisoners", user_id=BE_READER)
    await say(harness, "/subscribe prisoners", user_id=EN_READER)
    service = services_of(harness.application).notifier
    # Subscribing in Russian or Belarusian keeps the language; English stores nothing.
    assert service.subscriptions.language(RU_READER) == "ru"
    assert service.subscriptions.language(BE_READER) == "be"
    assert service.subscriptions.language(EN_READER) is None
    await say(harness, f"/retract {FACT_ID} misquoted in the source")
    await confirm(harness)
    await wait_until(lambda: not service.outbox.pending())
    news = {user: harness.chat(user)[-1].text or "" for user in (RU_READER, BE_READER, EN_READER)}
    assert "Отозвано" in news[RU_READER] and "/fact" in news[RU_READER]
    assert "Адклікана" in news[BE_READER]
    assert "Retracted" in news[EN_READER]
    # The reason is the admin's words, shown as written.
    assert all("misquoted in the source" in text for text in news.values())


async def test_the_admin_side_speaks_the_admins_language(harness: Harness) -> None:
    harness.api.user_languages[ADMIN_ID] = "ru"
    harness.api.user_languages[USER_ID] = "be"
    assert "Прабачце, гэтая каманда толькі для адміністратараў бота." in await harness.reply(
        "/grant 5"
    )
    assert "Команды администратора" in await say(harness, "/adminhelp")
    assert "какого вида это утверждение" in await say(harness, "/add")
    prompt = await say(harness, "/cancel")
    assert "Отменено" in prompt
    # The Russian claim of a statistic must state its value (a store rule).
    claim = "Новый текст: не менее 1 486 политзаключённых."
    reply = await say(harness, f"/edit {FACT_ID} claim-ru {claim} | уточнение")
    assert "Предпросмотр" in reply and claim in reply
    await say(harness, "/cancel")
    reply = await say(harness, f"/edit {FACT_ID} value 1,48 | why")
    assert "'1,48' — не число" in reply and "запятые только между тысячами" in reply
