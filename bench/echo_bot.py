"""The stock PTB echo bot on the fake Bot API: the benchmark's baseline (bench_bot.py)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.context import AnyApplication
from bot.fakeapi import FakeBotApi
from bot.transport import JsonRequest


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a text with the same text."""
    if update.effective_message is not None and update.effective_message.text:
        await update.effective_message.reply_text(update.effective_message.text)


def echo_application(
    api: FakeBotApi, token: str = "123456:ECHO-not-a-real-token", *, json_bodies: bool = False
) -> AnyApplication:
    """A bare PTB echo bot polling ``api``: PTB's stock request class over httpx, or with
    ``json_bodies`` factbot's transport (JSON over aiohttp)."""
    builder = ApplicationBuilder().token(token).base_url(api.base_url)
    if json_bodies:
        builder = builder.request(JsonRequest(connection_pool_size=256))
        builder = builder.get_updates_request(JsonRequest())
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    return application
