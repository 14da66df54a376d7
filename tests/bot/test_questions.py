"""Plain questions end to end: small talk, follow-ups, yes/no, freshness, hedging, and
answers in the question's language — through the real application and the fake Bot API."""

from __future__ import annotations

import pytest

from bot import texts as bot_texts
from bot.context import services_of
from bot.i18n import translator
from facts.answer import answer
from facts.model import Kind, Qualifier, StatisticDetails
from facts.store import FactStore
from tests.bot.cases import add_like, source_label_of
from tests.bot.harness import USER_ID, Harness, plain, sent_texts

RU = translator("ru")
BE = translator("be")


def _unanswered(harness: Harness) -> list[str]:
    state = services_of(harness.application).admin
    assert state is not None and state.store is not None
    return [q.text for q in state.store.unanswered()]


@pytest.mark.parametrize(
    ("text", "kind"),
    [("hello", "greeting"), ("🙂", "emoji"), ("7", "number"), ("thanks!", "thanks")],
)
async def test_small_talk_gets_a_pointer_and_is_not_kept(
    harness: Harness, text: str, kind: str
) -> None:
    reply = await harness.reply(text)
    assert reply == bot_texts.SMALL_TALK[kind]
    assert "could not find" not in reply
    assert "/help" in reply or kind == "farewell"
    assert text not in _unanswered(harness)


async def test_a_follow_up_year_asks_the_previous_question_again(harness: Harness) -> None:
    first = plain(await harness.reply("how many people were detained in 2020?"))
    assert bot_texts.ANSWER_HEADER in first and "thousands" in first.casefold()
    # "How many people were detained in 2023?": the base holds no such count, and the 2020
    # figure is not given as if it answered.
    again = plain(await harness.reply("and in 2023?"))
    assert bot_texts.ANSWER_HEADER not in again
    assert plain(bot_texts.NO_ANSWER) in again


async def test_follow_ups_source_speaker_and_more(harness: Harness, store: FactStore) -> None:
    await harness.reply("What did Pompeo say about the election?")
    source = plain(await harness.reply("source?"))
    assert bot_texts.FOLLOW_SOURCE in source
    assert "“" in source  # the quote itself, as /fact shows it
    speaker = plain(await harness.reply("who said that?"))
    assert "Pompeo" in speaker
    first_more = plain(await harness.reply("more"))
    assert bot_texts.FOLLOW_MORE in first_more or bot_texts.FOLLOW_NO_MORE in first_more


async def test_a_follow_up_without_a_previous_question_says_so(harness: Harness) -> None:
    assert await harness.reply("source?") == bot_texts.FOLLOW_NO_PREVIOUS


async def test_a_refining_follow_up_without_a_previous_question_says_so(harness: Harness) -> None:
    # Not answered as a question of its own ("2020" alone would list unrelated facts).
    assert await harness.reply("and in 2020?") == bot_texts.FOLLOW_NO_PREVIOUS
    assert await harness.reply("а в 2020?") == RU.gettext(bot_texts.FOLLOW_NO_PREVIOUS)


async def test_a_follow_up_with_a_topic_and_no_previous_question_is_a_question(
    harness: Harness,
) -> None:
    # In a group (no memory) or as a first message: "and Kent?" asks about Kent.
    reply = plain(await harness.reply("what about Kent?"))
    assert reply != plain(bot_texts.FOLLOW_NO_PREVIOUS)
    assert "Kent" in reply


async def test_thanks_before_a_question_still_answers_it(harness: Harness) -> None:
    plain_reply = plain(await harness.reply("who is Kent?"))
    assert "Kent" in plain_reply and plain(bot_texts.NO_ANSWER) not in plain_reply
    assert plain(await harness.reply("thanks, who is Kent?")) == plain_reply
    russian = plain(await harness.reply("кто такой Кент?"))
    assert plain(await harness.reply("спасибо, а кто такой Кент?")) == russian


async def test_forget_drops_the_previous_question(harness: Harness) -> None:
    await harness.reply("how many political prisoners are there?")
    memory = services_of(harness.application).memory
    assert memory.recall(USER_ID) is not None
    await harness.ask("/forget")
    await harness.press(harness.last(), "forget:yes")
    assert memory.recall(USER_ID) is None
    assert await harness.reply("source?") == bot_texts.FOLLOW_NO_PREVIOUS


async def test_a_question_about_now_says_how_old_the_figure_is(harness: Harness) -> None:
    reply = plain(await harness.reply("how many political prisoners are there now?"))
    assert "1,486" in reply
    assert "The latest figure in the base is as of May 2023" in reply
    assert "years" in reply and "ago" in reply  # test_question_replies: the exact age


async def test_a_yes_no_question_opens_with_the_verdict(harness: Harness) -> None:
    reply = plain(await harness.reply("Did the EU sanction Lukashenko?"))
    assert reply.startswith("Yes, according to the sources")
    not_imposed = plain(await harness.reply("Did the UK sanction Belarus?"))
    assert not_imposed.startswith(("No", "The documents don't say"))


async def test_a_russian_question_is_answered_in_russian(harness: Harness) -> None:
    reply = plain(await harness.reply("сколько политзаключённых в Беларуси?"))
    assert RU.gettext(bot_texts.ANSWER_HEADER) in reply
    assert "1 486" in reply  # the Russian translation of the claim, Russian number format


async def test_a_belarusian_question_is_answered_in_belarusian(harness: Harness) -> None:
    reply = plain(await harness.reply("колькі палітвязняў у Беларусі?"))
    assert BE.gettext(bot_texts.ANSWER_HEADER) in reply
    assert "палітвязняў" in reply


async def test_a_refusal_and_small_talk_in_the_question_s_language(harness: Harness) -> None:
    refusal = plain(await harness.reply("какая погода в Минске завтра?"))
    assert plain(RU.gettext(bot_texts.NO_ANSWER)) in refusal
    assert await harness.reply("Прывітанне!") == BE.gettext(bot_texts.SMALL_TALK["greeting"])


async def test_cyrillic_without_a_mark_of_either_language_is_read_in_the_chat_s_language(
    harness: Harness,
) -> None:
    # "дзякуй" has no letter or word only Belarusian or only Russian has: a chat that
    # chose Belarusian gets its thanks back in Belarusian, one that chose Russian in Russian.
    await harness.reply("/language be")
    assert await harness.reply("дзякуй") == BE.gettext(bot_texts.SMALL_TALK["thanks"])
    await harness.reply("/language ru")
    assert await harness.reply("дзякуй") == RU.gettext(bot_texts.SMALL_TALK["thanks"])


async def test_a_russian_follow_up(harness: Harness) -> None:
    await harness.reply("Что сказал Помпео о выборах?")
    reply = plain(await harness.reply("источник?"))
    assert RU.gettext(bot_texts.FOLLOW_SOURCE) in reply


# --- answered from the base, or refused honestly ---------------------------------------------
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
            add_like(
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


async def test_a_short_follow_up_answers_in_its_question_s_language(
    harness: Harness, store: FactStore
) -> None:
    """ "source?" says nothing of its language: after a Russian question, the heading and
    the fact itself come in Russian, whatever the chat's language."""
    question = "Что сказал Помпео о выборах?"
    shown = answer(question, store).facts[0]
    await harness.reply(question)
    reply = plain(await harness.reply("source?"))
    assert RU.gettext(bot_texts.FOLLOW_SOURCE) in reply
    assert shown.translations["ru"].text[:40] in reply
