"""Claim check end to end: forwarded posts, /check with text, /check as a reply in a group,
long posts in a private chat, each finding, and nothing of a post kept."""

from __future__ import annotations

import sys
from pathlib import Path

from bot import texts as bot_texts
from bot.context import BotApplication, services_of
from bot.render import plain_text
from facts.claims import MAX_CLAIMS
from tests.bot.harness import USER_ID, ApiCall, Harness
from tests.bot.harness import texts as sent_texts


def texts(calls: list[ApiCall]) -> list[str]:
    """What the user reads: each message's text without its HTML."""
    return [plain_text(t) for t in sent_texts(calls)]


ISSUE_POST = (
    "Lukashenko won 80 percent of the vote in a free and fair election, and international "
    "observers confirmed it. Nobody was detained."
)
#: One claim of each finding, in this order: support, contradict, context, nothing.
EVERY_FINDING = (
    "At least 1,486 political prisoners were held in Belarus as of May 2023. "
    "The OSCE Moscow Mechanism was introduced in 2011. "
    "Tikhanovskaya won two thirds of the vote. "
    "The national football team lost to Norway on Saturday."
)
CHANNEL = {
    "type": "channel",
    "chat": {"id": -1001234567890, "type": "channel", "title": "Pro-government news"},
    "message_id": 4321,
    "date": 1700000000,
}
HIDDEN_USER = {"type": "hidden_user", "sender_user_name": "Someone", "date": 1700000000}

SUPPORT = "✅ The sources support it."
CONTRADICT = "❌ The sources contradict it"
CONTEXT = "ℹ️ The sources add context"
NOTHING = "▫️ Nothing in the fact base on this."
HEADER = "Checking the claims in this post"


async def _reply(harness: Harness, text: str) -> str:
    return "\n\n".join(texts(await harness.ask(text)))


def _claims(reply: str) -> list[str]:
    """The numbered claim blocks of a check reply."""
    return [b for b in reply.split("\n\n") if b.startswith(("1.", "2.", "3.", "4.", "5."))]


async def test_a_forwarded_post_is_checked_claim_by_claim(harness: Harness) -> None:
    calls = await harness.ask(ISSUE_POST, forward_origin=CHANNEL)
    sent = texts(calls)
    assert len(sent) == 1, "one message"
    reply = sent[0]
    assert HEADER in reply
    blocks = _claims(reply)
    assert [b.split("»")[0] for b in blocks] == [
        "1. «Lukashenko won 80 percent of the vote",
        "2. «in a free and fair election",
        "3. «international observers confirmed it",
        "4. «Nobody was detained",
    ]
    assert CONTEXT in blocks[0]
    assert "government claimed" in blocks[0]
    assert CONTRADICT in blocks[1] and "(the opposite assessment)" in blocks[1]
    assert CONTRADICT in blocks[2] and "absence of" in blocks[2]
    assert CONTRADICT in blocks[3] and "(they say the opposite)" in blocks[3]
    assert "not a verdict on the whole post" in reply
    # A button per fact cited, each opening it.
    page = harness.last()
    buttons = [b for row in page.buttons for b in row]
    assert len(buttons) == reply.count("\n[")
    opened = texts(await harness.press(page, buttons[0]["callback_data"]))
    assert "80" in opened[0]


async def test_a_post_forwarded_from_a_hidden_user_is_checked_too(harness: Harness) -> None:
    reply = "\n\n".join(
        texts(await harness.ask("Nobody was detained.", forward_origin=HIDDEN_USER))
    )
    assert HEADER in reply
    assert CONTRADICT in reply


async def test_check_with_text_gives_each_finding(harness: Harness) -> None:
    reply = await _reply(harness, f"/check {EVERY_FINDING}")
    assert "4 claims" in reply
    blocks = _claims(reply)
    assert len(blocks) == 4
    assert SUPPORT in blocks[0] and "1,486" in blocks[0]
    assert CONTRADICT in blocks[1] and "(another date)" in blocks[1] and "1991" in blocks[1]
    assert CONTEXT in blocks[2] and "claimed" in blocks[2]
    assert NOTHING in blocks[3] and "\n[" not in blocks[3]


async def test_a_figure_the_sources_neither_state_nor_deny_is_context_of_its_own_kind(
    harness: Harness,
) -> None:
    reply = await _reply(harness, "/check There are at least 5,000 political prisoners in Belarus.")
    (block,) = _claims(reply)
    assert plain_text(bot_texts.CHECK_CONTEXT_FIGURE) in block and "1,486" in block
    assert "someone's claim" not in block  # the sources count otherwise


async def test_check_as_a_reply_in_a_group(harness: Harness) -> None:
    group = -100777
    # Someone posts a claim in the group: the bot, not mentioned, says nothing.
    said = await harness.ask(
        "The EU never imposed any sanctions on Lukashenko personally.",
        user_id=501,
        chat_id=group,
        chat_type="group",
    )
    assert texts(said) == []
    post = harness.api.messages(group, include_user=True)[-1]
    reply = "\n\n".join(
        texts(
            await harness.ask(
                "/check", user_id=502, chat_id=group, chat_type="group", reply_to=post
            )
        )
    )
    assert HEADER in reply
    assert CONTRADICT in reply
    assert "6 November 2020" in reply
    assert harness.last(group).buttons


async def test_a_post_with_nothing_checkable(harness: Harness) -> None:
    reply = await _reply(harness, "/check Long live Belarus! Why is nobody talking about this?")
    assert "I found no claim to check" in reply
    assert "Set aside" in reply
    assert "«Long live Belarus!»" in reply and "«Why is nobody talking about this?»" in reply
    assert harness.last().buttons == []


async def test_opinions_and_slogans_are_set_aside_beside_the_claims(harness: Harness) -> None:
    reply = await _reply(
        harness,
        "/check At least 1,486 political prisoners were held in Belarus as of May 2023. "
        "Free them all! I think the regime will fall soon.",
    )
    assert "1 claim." in reply
    assert SUPPORT in reply
    assert "Set aside" in reply and "«Free them all!»" in reply
    assert "I think the regime will fall soon" in reply.split("Set aside")[1]


async def test_greetings_and_thanks_in_a_post_are_set_aside_as_small_talk(
    harness: Harness,
) -> None:
    reply = await _reply(
        harness,
        "/check Hi all. At least 1,486 political prisoners were held in Belarus as of May "
        "2023. Thanks for sharing!",
    )
    assert "1 claim." in reply and SUPPORT in reply
    aside = reply.split("Set aside")[1]
    assert "greetings and other small talk" in aside
    assert "«Hi all.»" in aside and "«Thanks for sharing!»" in aside


async def test_the_set_aside_line_names_small_talk_in_russian_and_belarusian(
    harness: Harness,
) -> None:
    ru = await _reply(
        harness,
        "/check Всем привет. Не менее 1486 политзаключённых содержались в Беларуси в мае "
        "2023 года. Спасибо!",
    )
    assert "Отложено" in ru and "приветствия" in ru and "«Всем привет.»" in ru
    be = await _reply(
        harness,
        "/check Прывітанне ўсім. Не менш за 1486 палітвязняў утрымліваліся ў Беларусі ў "
        "траўні 2023 года. Дзякуй!",
    )
    assert "Адкладзена" in be and "прывітанні" in be and "«Прывітанне ўсім.»" in be


async def test_check_alone_explains_itself(harness: Harness) -> None:
    reply = await _reply(harness, "/check")
    assert "/check" in reply and "forward" in reply


async def test_a_long_multi_sentence_message_in_private_is_a_post(harness: Harness) -> None:
    reply = await _reply(harness, EVERY_FINDING)
    assert HEADER in reply
    # A question is still a question.
    answer = await _reply(harness, "How many political prisoners are there?")
    assert HEADER not in answer
    assert "1,486" in answer


async def test_statements_ending_in_a_question_and_a_short_post_are_posts(
    harness: Harness,
) -> None:
    posts = [
        "Lukashenko won 80 percent of the vote in a free and fair election. Nobody was "
        "detained after the election, and the West keeps lying about political prisoners. "
        "Why is nobody talking about this?",
        "В Беларуси нет политзаключённых. Евросоюз ввёл санкции против Лукашенко в 2021 "
        "году. Китай осудил выборы.",
    ]
    english, russian = [await _reply(harness, post) for post in posts]
    assert HEADER in english
    assert "Why is nobody talking about this?" in english  # set aside as a question
    assert "Проверяю утверждения этого поста" in russian
    state = services_of(harness.application).admin
    assert state is not None and state.store is not None
    assert state.store.unanswered() == []


async def test_a_russian_post_is_answered_in_russian(harness: Harness) -> None:
    reply = "\n\n".join(
        texts(
            await harness.ask(
                "Лукашенко набрал 80 процентов голосов на честных и свободных выборах. "
                "Никого не задерживали после выборов, заявили по телевизору.",
                forward_origin=CHANNEL,
            )
        )
    )
    assert "Проверяю утверждения этого поста" in reply
    assert "Источники добавляют контекст" in reply
    assert "Источники это опровергают" in reply


async def test_nothing_of_a_post_is_stored(
    harness: Harness, bot: BotApplication, tmp_path: Path
) -> None:
    marker = "Zyxwvut"
    post = f"Nobody was detained in {marker} after the election. The rain in {marker} stopped."
    await harness.ask(post, forward_origin=CHANNEL)
    await _reply(harness, f"/check {post}")
    await _reply(harness, f"{post} It rained all day in {marker}, and nobody came out at all.")
    state = services_of(harness.application).admin
    assert state is not None and state.store is not None
    assert state.store.unanswered() == []
    assert services_of(bot).memory.recall(USER_ID) is None
    stored = [p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()]  # noqa: ASYNC240
    assert stored
    assert not [s for s in stored if marker.encode() in s]
    # Nor in memory: the store's reply memo holds nothing of the post (it is for replies
    # made of the base alone), and no handler module keeps a reply cache of its own.
    store = services_of(bot).facts
    assert store is not None
    assert marker not in repr(store._per_version._values)
    modules = [m for name, m in sys.modules.items() if name.startswith("bot.handlers.")]
    assert len(modules) > 10
    assert not [
        f"{m.__name__}.{name}"
        for m in modules
        for name, value in vars(m).items()
        if hasattr(value, "cache_info") and getattr(value, "__module__", "") == m.__name__
    ]


async def test_check_is_in_help_the_menu_and_privacy(harness: Harness) -> None:
    assert "/check" in await _reply(harness, "/help")
    menu = harness.api.commands()
    assert "check" in [c["command"] for c in menu]
    privacy = await _reply(harness, "/privacy")
    assert "checked in memory and forgotten" in privacy
    assert bot_texts.PRIVACY_CHECK.split(":")[0].lstrip("• ") in privacy


async def test_a_post_of_more_claims_than_are_checked_names_the_ones_left_out(
    harness: Harness,
) -> None:
    extra = 2
    post = " ".join(
        f"Claim number {n} says the river rose by {n} metres." for n in range(MAX_CLAIMS + extra)
    )
    reply = await _reply(harness, f"/check {post}")
    assert f"{MAX_CLAIMS} claims" in reply
    assert f"Only the first {MAX_CLAIMS} claims were checked; {extra} more were not" in reply
    for n in range(MAX_CLAIMS, MAX_CLAIMS + extra):
        assert f"Claim number {n} says" in reply.split("were not")[1]
    assert f"Claim number {MAX_CLAIMS - 1} says" not in reply.split("were not")[1]
