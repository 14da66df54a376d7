"""Replies to plain questions that a review found wrong, end to end through the real
application: a Russian or Belarusian yes/no question answered "yes" against its facts, or
not read as one without "ли"; a statement shown twice; a follow-up that lost the question's
date; a figure's age rounded down to whole years; a fact without a Russian translation no longer
found by a Russian question."""

from __future__ import annotations

import datetime as dt

import pytest

from bot import texts as bot_texts
from bot.handlers.questions import age_text
from bot.i18n import translator
from facts.freshness import Age, age
from facts.store import FactStore
from tests.bot.harness import Harness, plain

US_OCTOBER = "the United States imposed sanctions on eight Belarusian officials"
RU = translator("ru")
BE = translator("be")


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        ("были ли выборы свободными?", RU.gettext(bot_texts.NO)),
        ("были ли выборы честными?", RU.gettext(bot_texts.NO)),
        ("ці былі выбары свабоднымі і сумленнымі?", BE.gettext(bot_texts.NO)),
        # Not "yes": the facts shown are about the same people, not about recognition.
        ("признают ли США Лукашенко?", None),
        # Asked without "ли".
        ("ЕС вводил санкции против Лукашенко?", RU.gettext(bot_texts.YES)),
        ("правда что Помпео встречался с Лукашенко?", RU.gettext(bot_texts.YES)),
    ],
)
async def test_a_slavic_yes_no_question_gets_the_verdict_its_facts_give(
    harness: Harness, question: str, opening: str | None
) -> None:
    reply = plain(await harness.reply(question))
    if opening is None:
        assert not reply.startswith(plain(RU.gettext(bot_texts.YES)))
        assert reply.startswith(
            (plain(RU.gettext(bot_texts.NO)), plain(RU.gettext(bot_texts.NOT_SAID)))
        )
    else:
        assert reply.startswith(plain(opening))


async def test_a_statement_the_base_holds_twice_is_shown_once(harness: Harness) -> None:
    reply = plain(await harness.reply("who imposed sanctions in October 2020?"))
    assert reply.count(US_OCTOBER) == 1
    assert "sanctions on 8 (eight) Belarusian officials" not in reply
    russian = plain(await harness.reply("были ли задержания?"))
    assert russian.count("протестовали против задержания коллег") == 1


async def test_a_follow_up_keeps_the_date_of_the_question(harness: Harness) -> None:
    await harness.reply("who imposed sanctions in October 2020?")
    reply = plain(await harness.reply("what about the US?"))
    assert US_OCTOBER in reply
    assert "2006" not in reply
    assert "February 2020" not in reply


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (Age(3, 7), "en", "3 years and 7 months ago"),
        (Age(1, 1), "en", "1 year and 1 month ago"),
        (Age(2, 0), "en", "2 years ago"),
        (Age(0, 5), "en", "5 months ago"),
        (Age(3, 7), "ru", "3 года и 7 месяцев назад"),
        (Age(5, 1), "ru", "5 лет и 1 месяц назад"),
        (Age(3, 2), "be", "3 гады і 2 месяцы таму"),
        (Age(21, 11), "be", "21 год і 11 месяцаў таму"),
    ],
)
def test_an_age_reads_in_years_and_months(value: Age, language: str, expected: str) -> None:
    assert age_text(value, translator(language)) == expected


async def test_a_figure_s_age_is_not_rounded_down_to_years(
    harness: Harness, store: FactStore
) -> None:
    value = age(store.get("political-prisoners-2023-05"), dt.date.today())
    assert value is not None
    reply = plain(await harness.reply("how many political prisoners are there now?"))
    years = f"{value.years} year" + ("s" if value.years != 1 else "")
    months = f"{value.months} month" + ("s" if value.months != 1 else "")
    expected = f"{years} and {months} ago" if value.months else f"{years} ago"
    assert f"about {expected}" in reply


async def test_a_fact_without_a_russian_translation_is_found_in_english(
    harness: Harness, store: FactStore
) -> None:
    fact = store.get("political-prisoners-2023-05")
    untranslated = fact.model_copy(
        update={"translations": {k: v for k, v in fact.translations.items() if k != "ru"}}
    )
    store.update_fact(untranslated, by="test", reason="the Russian translation removed")
    await harness.reply("/language ru")
    reply = plain(await harness.reply("сколько политзаключённых?"))
    assert reply.startswith(plain(RU.gettext(bot_texts.ANSWER_HEADER)))
    assert fact.text in reply  # shown in English …
    assert RU.gettext("in English: no translation yet") in reply  # … and said to be
