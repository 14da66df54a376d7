"""The one place where the Telegram application is wired: services, handlers, hooks.

:func:`build_application` is handed the :class:`bot.services.Services` (built with
``Services.create(settings, fact_store)``), puts them on ``bot_data`` where the typed
context reads them, registers every handler in one ordered block, and sets the
application's three hooks: post_init (the command menu, the services open, the daily
digest is scheduled), post_stop (delivery stops while the bot is still connected) and
post_shutdown (the services close). With ``prepare_answers`` (``factbot run``), every
fact is analysed for answering in the background once the application runs.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import logging
import time

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import (
    ApplicationBuilder,
    BaseRateLimiter,
    BaseUpdateProcessor,
    ContextTypes,
    Defaults,
)
from telegram.request import BaseRequest

from bot import texts
from bot.context import AnyApplication, BotApplication, BotContext, BotData, services_of
from bot.handlers import (
    admin,
    broadcasts,
    buttons,
    check,
    fact,
    inline,
    language,
    numbers,
    privacy,
    questions,
    sanctions,
    search,
    sources,
    start_help,
    subscriptions,
    timeline,
    who,
)
from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, translator
from bot.services import Services
from bot.transport import JsonRequest
from facts.errors import NotSaved

log = logging.getLogger(__name__)

#: The update types some handler below answers: the only ones asked of Telegram
#: (getUpdates / setWebhook ``allowed_updates``), so nothing else is ever delivered.
HANDLED_UPDATE_TYPES: tuple[str, ...] = ("message", "callback_query", "inline_query")


#: The daily digest's job in the application's job queue.
DIGEST_JOB = "notify-digest"


#: The one-off job that analyses every fact for answering after start-up.
PREPARE_JOB = "prepare-answers"


#: Facts analysed between two turns of the event loop (about 5 ms of CPU), so that an
#: update arriving meanwhile waits at most that long.
PREPARE_SLICE = 5
#: How long the analysis pauses, again and again, while updates are queued or handled.
PREPARE_PAUSE = 0.02


async def post_init(application: AnyApplication) -> None:
    """Publish the command menu once the bot knows who it is (English for everyone, and
    the Russian and Belarusian menus for users whose Telegram speaks those languages),
    then open the services, start delivering notifications and schedule the daily
    digest."""
    for lang in LANGUAGES:
        code = None if lang == DEFAULT_LANGUAGE else lang
        await application.bot.set_my_commands(language.menu(translator(lang)), language_code=code)
    services = services_of(application)
    await services.start(application.bot)
    jobs = application.job_queue
    if jobs is not None and not jobs.get_jobs_by_name(DIGEST_JOB):
        at = services.notifier.settings.digest_time
        jobs.run_daily(
            digest_job, time=at if at.tzinfo else at.replace(tzinfo=dt.UTC), name=DIGEST_JOB
        )


def updates_waiting(application: AnyApplication) -> bool:
    """True while updates are queued or being handled."""
    return (
        not application.update_queue.empty()
        or application.update_processor.current_concurrent_updates > 0
    )


async def prepare_answers_job(context: BotContext) -> None:
    """Analyse every fact for answering before a question needs it
    (:meth:`facts.fact_text.FactTexts.prepare`: a question asked for the first time then
    finds its candidate facts analysed), a small slice at a time, and only while no update
    is queued or being handled: updates come first, the analysis is what the bot does
    when idle. Stops when the application does. In a process that moved its base out of
    the garbage collector's reach after loading it (``factbot run``), what was computed
    follows: a full collection walking it would stall some update."""
    store, application = context.facts, context.application
    facts = store.facts()
    started = time.process_time()
    for start in range(0, len(facts), PREPARE_SLICE):
        # PTB offers no event for "no update queued or in hand": polled, as rarely as that.
        while updates_waiting(application) and application.running:  # noqa: ASYNC110
            await asyncio.sleep(PREPARE_PAUSE)
        if not application.running:
            return
        store.fact_texts().prepare(facts[start : start + PREPARE_SLICE])
        await asyncio.sleep(0)
    if gc.get_freeze_count():
        gc.freeze()
    log.info(
        "%d facts analysed for answering in %.1f s of CPU",
        len(facts),
        time.process_time() - started,
    )


async def digest_job(context: BotContext) -> None:
    """Queue the daily digest of the changes since the last one (nothing on an empty day)."""
    notification = context.notifier.build_digest()
    log.info("daily digest: %s", "queued" if notification else "nothing changed")


async def post_stop(application: AnyApplication) -> None:
    """Let notifications in flight finish while the bot is still connected."""
    await services_of(application).stop()


async def post_shutdown(application: AnyApplication) -> None:
    """Close every service opened in post_init."""
    await services_of(application).close()


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure with its traceback (never the update: it holds users' text) and
    tell the user briefly that it failed."""
    kind = type(context.error).__name__
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(context.error, Forbidden):
        # The user blocked the bot or left the chat: nothing to fix, nothing to tell them.
        log.info("update %s: %s (the bot cannot write to this chat)", update_id, kind)
        return
    if isinstance(context.error, NotSaved):
        # A full or read-only disk: the write was refused whole, so nothing changed; the
        # operator gets one line (no traceback), the user a clear reason.
        log.warning("update %s: not saved: %s", update_id, context.error)
        short = long = context.tr.gettext(texts.NOT_SAVED)
    else:
        log.error("update %s failed with %s", update_id, kind, exc_info=context.error)
        short, long = context.tr.gettext(texts.ERROR_CALLBACK), context.tr.gettext(texts.ERROR)
    if not isinstance(update, Update):
        return
    if update.callback_query is not None:
        try:
            await update.callback_query.answer(short, show_alert=True)
            return
        except TelegramError:
            pass  # already answered before the failure: apologise in the chat instead
    if update.effective_chat is None:
        return  # an inline query: there is no chat to write to
    try:
        await update.effective_chat.send_message(long)
    except TelegramError as exc:  # the apology failing must not raise into PTB again
        log.warning("could not send the apology for update %s: %s", update_id, type(exc).__name__)


def build_application(
    services: Services,
    *,
    request: BaseRequest | None = None,
    rate_limiter: BaseRateLimiter | None = None,  # type: ignore[type-arg]
    update_processor: BaseUpdateProcessor | None = None,
    update_queue: asyncio.Queue[object] | None = None,
    prepare_answers: bool = False,
) -> BotApplication:
    """Build (not start) the application on ``services``: defaults, typed context,
    handlers, error handler, hooks. ``prepare_answers`` analyses every fact for answering
    once the application runs (:func:`prepare_answers_job`), as ``factbot run`` does."""
    settings = services.settings
    builder = (
        ApplicationBuilder()
        .token(settings.bot_token.get_secret_value())
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                # A reply to a message deleted meanwhile still goes out, unthreaded.
                allow_sending_without_reply=True,
            )
        )
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
    )
    if settings.bot_api_base_url:
        builder = builder.base_url(settings.bot_api_base_url)
        # Files come from the same server: ".../bot" -> ".../file/bot" (as on Telegram).
        base = settings.bot_api_base_url
        head, sep, tail = base.rpartition("/bot")
        file_url = f"{head}/file/bot{tail}" if sep else f"{base.rstrip('/')}/file/bot"
        builder = builder.base_file_url(file_url)
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    else:
        # JSON bodies (bot.transport); pool sizes and timeouts as PTB's builder would set.
        builder = builder.request(JsonRequest(connection_pool_size=256)).get_updates_request(
            JsonRequest(connection_pool_size=1)
        )
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    if update_processor is not None:
        builder = builder.concurrent_updates(update_processor)
    if update_queue is not None:
        builder = builder.update_queue(update_queue)
    application = builder.build()
    application.bot_data.services = services

    # Order matters: PTB runs the first matching handler of a group. Commands come first;
    # the unknown-command fallback must follow every CommandHandler; plain text (questions)
    # comes last so that it never swallows a command. Posts to check (forwards, long
    # multi-sentence texts) come before plain questions, which would read them as one.
    application.add_handlers(
        [
            *start_help.HANDLERS,
            *search.HANDLERS,
            *who.HANDLERS,
            *sanctions.HANDLERS,
            *timeline.HANDLERS,
            *numbers.HANDLERS,
            *fact.HANDLERS,
            *sources.HANDLERS,
            *inline.HANDLERS,
            *subscriptions.handlers(),
            *privacy.handlers(),
            *broadcasts.handlers(),
            *language.HANDLERS,
            *admin.handlers(),
            *check.HANDLERS,
            *start_help.FALLBACK_HANDLERS,
            *questions.HANDLERS,
            *buttons.FALLBACK_HANDLERS,
        ]
    )
    # Before everything: button data no handler may see (empty, control characters).
    application.add_handlers(buttons.GUARD_HANDLERS, group=-1)
    application.add_error_handler(on_error)
    if prepare_answers and application.job_queue is not None:
        # Runs once the application does, however late that is (no misfire limit).
        application.job_queue.run_once(
            prepare_answers_job,
            when=0,
            name=PREPARE_JOB,
            job_kwargs={"misfire_grace_time": None},
        )
    return application
