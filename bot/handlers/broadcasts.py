"""/broadcasts (owners): subscribers by topic, the queue, delivery progress and the worker's
counters since start."""

from __future__ import annotations

from typing import Any, Final

from telegram import (
    Message,
    Update,
)
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.admin_state import AdminState, Role
from bot.context import BotContext
from bot.delivery import WorkerStats
from bot.handlers.admin_auth import (
    admin_command,
)
from bot.handlers.subscriptions import TOPIC_LABELS
from bot.i18n import N_
from bot.render import esc
from facts.subscribers import Mode, SubTopic

_MESSAGE = filters.UpdateType.MESSAGE
BROADCASTS: Final = N_(
    "<b>Broadcasts</b>\n"
    "Subscribers: {active} active ({immediate} as it happens, {digest} digest), "
    "{inactive} paused\n"
    "By topic: {topics}\n"
    "Queued notifications: {queued}\n"
    "{current}"
    "Worker: {worker}; rate {rate:g}/s, {in_flight} in flight at most\n"
    "Since start: {sent} sent, {deactivated} deactivated, {refused} refused, "
    "{given_up} given up, {rate_limited}× rate-limited, {network_errors} network errors, "
    "{failures} worker failure(s){last_failure}\n"
    "Digest pool: {pool} change(s) for the next digest at {digest_time} UTC"
)
CURRENT: Final = N_("Now sending #{id} ({kind}, queued {created}): about {position} of {total}\n")


@admin_command("/broadcasts", owners_only=True)
async def broadcasts(
    update: Update, context: BotContext, state: AdminState, role: Role, message: Message
) -> None:
    """/broadcasts (owners only, as /adminhelp says; in a private chat):
    subscribers, the queue, the worker's progress and counters."""
    service = context.notifier
    subs = service.subscriptions
    worker = service.worker
    stats = worker.stats if worker else WorkerStats()
    pending = service.outbox.pending()
    current = ""
    if stats.current is not None:
        now = next((n for n in pending if n.id == stats.current), None)
        if now is not None:
            current = context.tr.gettext(
                CURRENT,
                id=now.id,
                kind=now.kind.value,
                created=now.created.strftime("%Y-%m-%d %H:%M UTC"),
                position=stats.current_position,
                total=len(subs),
            )
    tr = context.tr
    topics = ", ".join(f"{tr.gettext(TOPIC_LABELS[t])} {subs.count({t})}" for t in SubTopic)
    await message.reply_text(
        tr.gettext(
            BROADCASTS,
            active=subs.count(),
            immediate=subs.count(mode=Mode.IMMEDIATE),
            digest=subs.count(mode=Mode.DIGEST),
            inactive=subs.count(active=False),
            topics=esc(topics),
            queued=len(pending),
            current=current,
            worker=tr.gettext("running") if worker and worker.running else tr.gettext("stopped"),
            rate=service.settings.rate,
            in_flight=service.settings.max_in_flight,
            sent=stats.sent,
            deactivated=stats.deactivated,
            refused=stats.refused,
            given_up=stats.given_up,
            rate_limited=stats.rate_limited,
            network_errors=stats.network_errors,
            failures=stats.failures,
            last_failure=tr.gettext(" (last: {failure})", failure=esc(stats.last_failure))
            if stats.last_failure
            else "",
            pool=len(service.outbox.digest_pool()),
            digest_time=service.settings.digest_time.strftime("%H:%M"),
        )
    )


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    """The handlers, in order."""
    return [CommandHandler("broadcasts", broadcasts, filters=_MESSAGE)]
