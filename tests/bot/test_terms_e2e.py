"""Structured values in the reader's language, through the real application and the fake
Bot API: who imposed what on whom, roles, who said or counted it, outlets — translated in
Russian and Belarusian from the facts' terms, English where a term is missing."""

from __future__ import annotations

from bot.context import services_of
from bot.render import plain_text
from facts.model import Fact, StatementDetails
from facts.store import FactStore
from facts.terms import structured_strings, term
from tests.bot.admin_helpers import FACT_ID, confirm, say
from tests.bot.harness import USER_ID, Harness
from tests.bot.test_notify_fakes import wait_until

RU = 9_200_000_001
BE = 9_200_000_002
EN = 9_200_000_003
DISCUSSED = "sanction-us-canada-uk-discussed-2020-09"
JOINT_EVENT = "event-un-joint-statement-belarus-2020-10-26"
GILMORE = "statement-gilmore-report-shocking"


def _readers(harness: Harness) -> None:
    harness.api.user_languages[RU] = "ru"
    harness.api.user_languages[BE] = "be"


def _labels(harness: Harness, chat_id: int) -> list[str]:
    return [b["text"] for row in harness.last(chat_id).buttons for b in row]


async def test_sanctions_name_imposers_targets_and_measures_in_the_readers_language(
    harness: Harness,
) -> None:
    _readers(harness)
    ru = plain_text(await harness.reply("/sanctions", user_id=RU))
    assert "Соединённые Штаты, Канада и Великобритания → правительство Беларуси: санкции" in ru
    assert "Европейский союз → Александр Лукашенко и другие государственные чиновники" in ru
    assert "Голос Америки, Русская служба (в переводе на английский), 6 ноября 2020" in ru
    assert "United States" not in ru and "European Union" not in ru
    assert "4 · Соединённые Штаты, Канада и…" in _labels(harness, RU)
    be = plain_text(await harness.reply("/sanctions", user_id=BE))
    assert "Злучаныя Штаты, Канада і Вялікабрытанія → урад Беларусі: санкцыі" in be
    assert "1 · Еўрапейскі саюз → Аляксандр Лукашэнка…" in _labels(harness, BE)
    en = plain_text(await harness.reply("/sanctions", user_id=EN))
    assert "United States, Canada and United Kingdom → the Belarusian government: sanctions" in en
    assert "Voice of America, Russian Service (English translation), 6 November 2020" in en
    assert "Соединённые" not in en


async def test_sanctions_filter_by_a_name_as_the_reader_writes_it(harness: Harness) -> None:
    _readers(harness)
    ru = plain_text(await harness.reply("/sanctions Канада", user_id=RU))
    assert "Канада и Великобритания → правительство Беларуси" in ru
    assert "Европейский союз →" not in ru
    be = plain_text(await harness.reply("/sanctions Вялікабрытанія", user_id=BE))
    assert "Злучаныя Штаты, Канада і Вялікабрытанія → урад Беларусі" in be


async def test_a_profile_lists_roles_in_the_readers_language(harness: Harness) -> None:
    _readers(harness)
    ru = plain_text(await harness.reply("/who Помпео", user_id=RU))
    assert "Роль: государственный секретарь США, Госдепартамент США" in ru
    be = plain_text(await harness.reply("/who Ціханоўская", user_id=BE))
    assert "лідарка беларускай апазіцыі" in be
    assert "opposition leader" not in be
    en = plain_text(await harness.reply("/who Pompeo", user_id=EN))
    assert "Role: U.S. Secretary of State, U.S. Department of State" in en


async def test_a_citation_line_names_who_counted_and_the_outlet_in_the_readers_language(
    harness: Harness,
) -> None:
    _readers(harness)
    ru = plain_text(await harness.reply("/numbers", user_id=RU))
    assert (
        "— докладчик по Московскому механизму ОБСЕ Эрве Асенсио, сообщает "
        "Информационное агентство «Туран», 12 мая 2023" in ru
    )
    be = plain_text(await harness.reply(f"/fact {FACT_ID}", user_id=BE))
    assert "дакладчык па Маскоўскім механізме АБСЕ Эрвэ Асэнсіа" in be
    assert "Інфармацыйнае агенцтва «Туран»" in be
    assert "Hervé" not in be and "Turan Information Agency" not in be


async def test_who_said_that_names_the_speaker_in_the_questions_language(
    harness: Harness, store: FactStore
) -> None:
    memory = services_of(harness.application).memory
    for question, follow_up, lang in (
        ("что сказали 52 страны в совместном заявлении о выборах?", "кто это сказал?", "ru"),
        ("ці былі выбары ў Беларусі свабоднымі?", "хто гэта сказаў?", "be"),
    ):
        await harness.reply(question)
        turn = memory.recall(USER_ID)
        assert turn is not None
        first = store.get(turn.fact_ids[0])
        reply = plain_text(await harness.reply(follow_up))
        head = reply.splitlines()[0]
        if isinstance(first.details, StatementDetails):
            speaker = term(first, first.details.speaker, lang)
            assert speaker != first.details.speaker
            assert head.endswith(f" — {speaker}:"), reply
        # Whoever the answer's first fact names (should the engine rank another first), it
        # names them in the reader's language.
        english = [v for v in structured_strings(first) if term(first, v, lang) != v]
        assert not any(v in head for v in english), reply


async def test_a_value_without_a_term_is_shown_in_english(
    harness: Harness, store: FactStore
) -> None:
    fact: Fact = store.get(DISCUSSED)
    ru = fact.translations["ru"]
    terms = {k: v for k, v in ru.terms.items() if k != "Canada"}
    store.update_fact(
        fact.model_copy(
            update={
                "translations": {
                    **fact.translations,
                    "ru": ru.model_copy(update={"terms": terms}),
                }
            }
        ),
        by="test",
        reason="a term missing",
    )
    _readers(harness)
    ru_text = plain_text(await harness.reply("/sanctions", user_id=RU))
    assert "Соединённые Штаты, Canada и Великобритания → правительство Беларуси" in ru_text
    card = plain_text(await harness.reply(f"/fact {DISCUSSED}", user_id=RU))
    assert "Соединённые Штаты, Canada и Великобритания" in card
    be_text = plain_text(await harness.reply("/sanctions", user_id=BE))
    assert "Злучаныя Штаты, Канада і Вялікабрытанія" in be_text


async def test_the_full_fact_gives_every_structured_value_translated(harness: Harness) -> None:
    _readers(harness)
    card = plain_text(await harness.reply(f"/fact {DISCUSSED}", user_id=BE))
    assert "Увялі: Злучаныя Штаты, Канада і Вялікабрытанія" in card
    assert "У дачыненні да: урад Беларусі" in card and "Меры: санкцыі" in card
    event = plain_text(await harness.reply(f"/fact {JOINT_EVENT}", user_id=RU))
    assert "Место: Нью-Йорк (Миссия США при ООН)" in event
    assert "Соединённые Штаты, Албания, Австралия, Австрия" in event
    assert "Маршалловы Острова" in event and "Северная Македония" in event
    statement = plain_text(await harness.reply(f"/fact {GILMORE}", user_id=RU))
    assert "Джеймс Гилмор" in statement
    assert "журналисты на телефонном брифинге" in statement


async def test_a_notification_names_who_counted_in_the_subscribers_language(
    harness: Harness,
) -> None:
    _readers(harness)
    await say(harness, "/subscribe prisoners", user_id=RU)
    await say(harness, "/subscribe prisoners", user_id=EN)
    notifier = services_of(harness.application).notifier
    await say(harness, f"/retract {FACT_ID} misquoted in the source")
    await confirm(harness)
    await wait_until(lambda: not notifier.outbox.pending())
    ru = harness.chat(RU)[-1].text or ""
    en = harness.chat(EN)[-1].text or ""
    assert "докладчик по Московскому механизму ОБСЕ Эрве Асенсио" in ru
    assert "OSCE Moscow Mechanism rapporteur Hervé Ascensio" in en
