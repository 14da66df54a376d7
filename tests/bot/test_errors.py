"""Failures end to end: the error handler apologises, logs without token or text, and a
blocked user is not an error."""

from __future__ import annotations

import logging

import pytest

from bot import texts as bot_texts
from tests.bot.harness import TEST_TOKEN, USER_ID, Harness, plain


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


@pytest.mark.parametrize("command", ["/fact", "/who", "/sanctions", "/timeline"])
async def test_an_argument_over_the_limit_is_refused_politely(
    harness: Harness, command: str
) -> None:
    calls = await harness.ask(f"{command} {'a' * 301}")
    sent = [c for c in calls if c.method == "sendMessage"]
    assert len(sent) == 1
    assert plain(sent[0].text or "") == bot_texts.ARGS_TOO_LONG.format(limit=300)
    # At the limit the argument is taken (whatever the command then answers).
    calls = await harness.ask(f"{command} {'a' * 300}")
    assert all(
        plain(c.text or "") != bot_texts.ARGS_TOO_LONG.format(limit=300)
        for c in calls
        if c.method == "sendMessage"
    )
