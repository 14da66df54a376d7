"""/subscribe, /unsubscribe, /subscriptions, /forget, /privacy and /broadcasts (admins).

Subscriptions are for private chats only: the chat id is then the user's own, nothing
about a group's members is involved, and Telegram's per-chat limit is one message a
second. Callback data: ``sub:t:<topic>`` toggles a topic, ``sub:m:<mode>`` sets the
mode, ``forget:yes`` / ``forget:no`` answer the /forget question.
"""

from __future__ import annotations

import contextlib
from typing import Any, Final

from telegram import (
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import notify, texts
from bot.admin_state import AdminState, Role
from bot.context import BotContext
from bot.handlers.admin_core import (
    admin_command,
)
from bot.i18n import DEFAULT_LANGUAGE, N_, Translator, language_of
from bot.render import EN, esc
from facts.subscriptions import Mode, Subscriber, SubTopic

# --- texts (user-facing; HTML) --------------------------------------------------------------
TOPIC_LABELS: Final = {
    SubTopic.SANCTIONS: N_("Sanctions"),
    SubTopic.PRISONERS: N_("Political prisoners (figures)"),
    SubTopic.TIMELINE: N_("Timeline of events"),
    SubTopic.ALL: N_("Everything"),
}
MODE_LABELS: Final = {
    Mode.IMMEDIATE: N_("As it happens"),
    Mode.DIGEST: N_("Daily digest"),
}
#: Words accepted after /subscribe and /unsubscribe, beside the topic names.
TOPIC_ALIASES: Final = {
    "sanction": SubTopic.SANCTIONS,
    "prisoner": SubTopic.PRISONERS,
    "political-prisoners": SubTopic.PRISONERS,
    "statistics": SubTopic.PRISONERS,
    "events": SubTopic.TIMELINE,
    "everything": SubTopic.ALL,
}
#: Words after /subscribe that choose the delivery mode.
MODE_WORDS: Final = {
    "daily": Mode.DIGEST,
    "digest": Mode.DIGEST,
    "immediate": Mode.IMMEDIATE,
    "instant": Mode.IMMEDIATE,
}
STORED: Final = N_(
    "Stored for a subscription: this chat's id, the topics you chose, how you want them "
    "(as it happens or a daily digest), whether delivery still works and, if not "
    "English, the language of the messages — nothing else."
)
PRIVATE_ONLY: Final = N_("Subscriptions work in a private chat with me only.")
CHOOSE: Final = N_(
    "<b>Notifications</b> — when a fact is added, updated or retracted, I send one short "
    "message with its source. Tap topics to switch them on or off:\n<i>{stored}</i>"
)
STATUS: Final = N_("<b>Your subscription</b>\nTopics: {topics}\nDelivery: {mode}{inactive}")
NOT_SUBSCRIBED: Final = N_("You have no subscription. /subscribe shows the topics.")
INACTIVE: Final = N_(
    "\n<i>Paused: a message could not be delivered. Subscribing again resumes it.</i>"
)
SUBSCRIBED: Final = N_(
    "✅ Subscribed to: {topics} — {mode}.\n<i>{stored}</i>\n/subscriptions to change."
)
UNKNOWN_TOPIC: Final = N_(
    "I don't know the topic <code>{topic}</code>. Topics: {topics}; add <code>daily</code> "
    "for one digest a day. E.g. <code>/subscribe sanctions</code>."
)
UNSUBSCRIBED_ALL: Final = N_(
    "🔕 Unsubscribed. /forget also wipes this chat's id from the data files at once."
)
UNSUBSCRIBED_SOME: Final = N_("🔕 Removed: {removed}. Still subscribed to: {topics}.")
NOTHING_TO_REMOVE: Final = N_("You were not subscribed to that.")
PICK_TOPIC_FIRST: Final = N_("Choose a topic first.")
FORGET_ASK: Final = N_(
    "Delete everything this bot keeps about this chat — your subscription and delivery "
    "records — from memory and from the data files, now? This cannot be undone."
)
FORGET_YES: Final = N_("Yes, delete everything")
FORGET_NO: Final = N_("Cancel")
FORGET_DONE: Final = N_(
    "🗑 Done. The bot keeps nothing about this chat any more. Messages already in this "
    "chat are Telegram's: delete the chat to remove them."
)
FORGET_CANCELLED: Final = N_("Nothing was deleted.")
PRIVACY: Final = N_(
    "🔒 <b>Privacy</b>\n"
    "• Without a subscription, nothing about you is stored. Questions the bot cannot "
    "answer are counted by their text only, never with who asked. Recent questions and "
    "search words are also held in memory, never with who asked and never on disk, to "
    "answer repeats quickly and to turn the pages of a list; a restart clears them.\n"
    '• So that a follow-up ("and in 2020?", "source?") can be understood, this chat\'s '
    "last question is held in memory for 10 minutes — never on disk; /forget or a "
    "restart drops it.\n"
    "• With a subscription: this chat's id and the topics you chose, the delivery mode "
    "and whether delivery works. No name, username, phone number or message "
    "text; not even when you subscribed. While a notification is being sent, the outbox "
    "notes which chats already got it, so that nobody gets it twice.\n"
    "• A language, only if you chose one with /language or subscribed in Russian or "
    "Belarusian (so that notifications come in it): this chat's id and the language code. "
    "Otherwise replies follow your Telegram language, which is not stored.\n"
    "• /unsubscribe stops notifications; /forget deletes this chat's id from memory and "
    "from the data files at once, with its subscription and language.\n"
    "• Telegram itself sees every message sent to or by any bot. Messages in this chat "
    "stay until you delete them."
)
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

SUBSCRIBE_PREFIX = "sub"
FORGET_PREFIX = "forget"
_MESSAGE = filters.UpdateType.MESSAGE


# --- helpers --------------------------------------------------------------------------------
def _topics_text(topics: frozenset[SubTopic], tr: Translator) -> str:
    named = [tr.gettext(TOPIC_LABELS[t]) for t in SubTopic if t in topics]
    return ", ".join(named) or tr.gettext("none")


def _status_text(subscriber: Subscriber | None, tr: Translator) -> str:
    if subscriber is None:
        return tr.gettext(NOT_SUBSCRIBED)
    return tr.gettext(
        STATUS,
        topics=esc(_topics_text(subscriber.topics, tr)),
        mode=esc(tr.gettext(MODE_LABELS[subscriber.mode])),
        inactive="" if subscriber.active else tr.gettext(INACTIVE),
    )


def keyboard(subscriber: Subscriber | None, tr: Translator = EN) -> InlineKeyboardMarkup:
    """A button per topic (✅ when on) and a row for the delivery mode."""
    topics = subscriber.topics if subscriber else frozenset()
    rows = [
        [
            InlineKeyboardButton(
                f"{'✅' if topic in topics else '▫️'} {tr.gettext(TOPIC_LABELS[topic])}",
                callback_data=f"{SUBSCRIBE_PREFIX}:t:{topic.value}",
            )
        ]
        for topic in SubTopic
    ]
    mode = subscriber.mode if subscriber else None
    rows.append(
        [
            InlineKeyboardButton(
                f"{'🔘' if m is mode else '⚪'} {tr.gettext(MODE_LABELS[m])}",
                callback_data=f"{SUBSCRIBE_PREFIX}:m:{m.value}",
            )
            for m in Mode
        ]
    )
    return InlineKeyboardMarkup(rows)


def _menu_text(subscriber: Subscriber | None, tr: Translator) -> str:
    return (
        tr.gettext(CHOOSE, stored=esc(tr.gettext(STORED))) + "\n\n" + _status_text(subscriber, tr)
    )


def _remember_language(context: BotContext, chat_id: int) -> None:
    """Subscribing in Russian or Belarusian keeps that language for the notifications
    (said in STORED and /privacy); English needs nothing stored."""
    if context.chosen_language() is None and context.tr.language != DEFAULT_LANGUAGE:
        context.subscriptions.set_language(chat_id, context.tr.language)


def parse_topics(
    words: list[str], *, modes: bool = False
) -> tuple[list[SubTopic], Mode | None, str | None]:
    """Topics (and, with ``modes``, a delivery mode) named by ``words``; the first unknown
    word, if any."""
    found: list[SubTopic] = []
    mode: Mode | None = None
    for word in words:
        key = word.strip().lower().lstrip("#")
        if modes and key in MODE_WORDS:
            mode = MODE_WORDS[key]
            continue
        topic = TOPIC_ALIASES.get(key) or (SubTopic(key) if key in set(SubTopic) else None)
        if topic is None:
            return [], None, word
        found.append(topic)
    return found, mode, None


async def _private(update: Update, context: BotContext) -> tuple[Message, int] | None:
    """The message and chat id of a private chat; tells groups to use a private chat."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return None
    if chat.type != ChatType.PRIVATE:
        await message.reply_text(context.tr.gettext(PRIVATE_ONLY))
        return None
    return message, chat.id


# --- commands -------------------------------------------------------------------------------
async def subscribe(update: Update, context: BotContext) -> None:
    """/subscribe [topic…]: subscribe at once, or show the topic buttons."""
    private = await _private(update, context)
    if private is None:
        return
    message, chat_id = private
    tr = context.tr
    subscriptions = context.subscriptions
    if not context.args:
        subscriber = subscriptions.get(chat_id)
        await message.reply_text(_menu_text(subscriber, tr), reply_markup=keyboard(subscriber, tr))
        return
    topics, mode, unknown = parse_topics(context.args, modes=True)
    if unknown is not None:
        await message.reply_text(_unknown(unknown, tr))
        return
    current = subscriptions.get(chat_id)
    if not topics and (current is None or not current.active):
        topics = [SubTopic.ALL]  # "/subscribe daily": a digest of everything
    subscriber = subscriptions.subscribe(chat_id, topics) if topics else current
    assert subscriber is not None
    if mode is not None and mode is not subscriber.mode:
        subscriber = subscriptions.set_mode(chat_id, mode)
    _remember_language(context, chat_id)
    await message.reply_text(
        tr.gettext(
            SUBSCRIBED,
            topics=esc(_topics_text(subscriber.topics, tr)),
            mode=esc(tr.gettext(MODE_LABELS[subscriber.mode]).lower()),
            stored=esc(tr.gettext(STORED)),
        )
    )


def _unknown(word: str, tr: Translator) -> str:
    names = ", ".join(f"<code>{t.value}</code>" for t in SubTopic)
    return tr.gettext(UNKNOWN_TOPIC, topic=esc(word[:40]), topics=names)


async def unsubscribe(update: Update, context: BotContext) -> None:
    """/unsubscribe [topic…]: drop those topics, or (no topic, or ``all``) everything."""
    private = await _private(update, context)
    if private is None:
        return
    message, chat_id = private
    tr = context.tr
    subscriptions = context.subscriptions
    current = subscriptions.get(chat_id)
    if current is None:
        await message.reply_text(tr.gettext(NOT_SUBSCRIBED))
        return
    words = [w.lower() for w in context.args or []]
    if not words or words in (["all"], ["everything"]):
        subscriptions.unsubscribe(chat_id)
        await message.reply_text(tr.gettext(UNSUBSCRIBED_ALL))
        return
    topics, _, unknown = parse_topics(context.args or [])
    if unknown is not None:
        await message.reply_text(_unknown(unknown, tr))
        return
    removed = current.topics & frozenset(topics)
    if not removed:
        await message.reply_text(tr.gettext(NOTHING_TO_REMOVE))
        return
    remaining = subscriptions.unsubscribe(chat_id, removed)
    if remaining is None:
        await message.reply_text(tr.gettext(UNSUBSCRIBED_ALL))
        return
    await message.reply_text(
        tr.gettext(
            UNSUBSCRIBED_SOME,
            removed=esc(_topics_text(removed, tr)),
            topics=esc(_topics_text(remaining.topics, tr)),
        )
    )


async def subscriptions_command(update: Update, context: BotContext) -> None:
    """/subscriptions: what this chat is subscribed to, with the buttons to change it."""
    private = await _private(update, context)
    if private is None:
        return
    message, chat_id = private
    subscriber = context.subscriptions.get(chat_id)
    await message.reply_text(
        _menu_text(subscriber, context.tr), reply_markup=keyboard(subscriber, context.tr)
    )


async def subscription_button(update: Update, context: BotContext) -> None:
    """A topic or mode button: change the subscription and redraw the menu."""
    query = update.callback_query
    chat = update.effective_chat
    if query is None or query.data is None or chat is None or chat.type != ChatType.PRIVATE:
        return
    _, what, value = query.data.split(":")
    subscriptions = context.subscriptions
    before = subscriptions.get(chat.id)
    if what == "t":
        topic = SubTopic(value)
        if before is not None and before.active and topic in before.topics:
            after = subscriptions.set_topics(chat.id, before.topics - {topic})
        else:
            after = subscriptions.subscribe(chat.id, [topic])
            _remember_language(context, chat.id)
    else:
        if before is None:
            await query.answer(context.tr.gettext(PICK_TOPIC_FIRST), show_alert=True)
            return
        after = subscriptions.set_mode(chat.id, Mode(value))
    await query.answer()
    if after != before and isinstance(query.message, Message):
        tr = context.tr
        try:
            await query.message.edit_text(_menu_text(after, tr), reply_markup=keyboard(after, tr))
        except BadRequest as exc:
            if "not modified" not in str(exc):
                raise


async def forget(update: Update, context: BotContext) -> None:
    """/forget: ask before deleting everything about this chat."""
    private = await _private(update, context)
    if private is None:
        return
    message, _ = private
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    context.tr.gettext(FORGET_YES), callback_data=f"{FORGET_PREFIX}:yes"
                ),
                InlineKeyboardButton(
                    context.tr.gettext(FORGET_NO), callback_data=f"{FORGET_PREFIX}:no"
                ),
            ]
        ]
    )
    await message.reply_text(context.tr.gettext(FORGET_ASK), reply_markup=buttons)


async def forget_button(update: Update, context: BotContext) -> None:
    """The answer to /forget: delete everything now, or nothing."""
    query = update.callback_query
    chat = update.effective_chat
    if query is None or chat is None or chat.type != ChatType.PRIVATE:
        return
    if query.data == f"{FORGET_PREFIX}:yes":
        context.notifier.forget(chat.id)
        context.memory.forget(chat.id)
        # PTB's in-memory per-chat and per-user dicts (never persisted here) go too.
        context.application.drop_chat_data(chat.id)
        if query.from_user is not None:
            context.application.drop_user_data(query.from_user.id)
        # The chosen language went too: the confirmation follows Telegram's again.
        text = context.use_language(language_of(context.language_code)).gettext(FORGET_DONE)
        # A chat menu is Telegram's; the language choice is gone from our files anyway.
        with contextlib.suppress(TelegramError):
            await context.bot.delete_my_commands(scope=BotCommandScopeChat(chat.id))
    else:
        text = context.tr.gettext(FORGET_CANCELLED)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(text)


async def privacy(update: Update, context: BotContext) -> None:
    """/privacy: what the bot stores, and how to delete it."""
    message = update.effective_message
    if message is not None:
        tr = context.tr
        await message.reply_text(f"{tr.gettext(PRIVACY)}\n{tr.gettext(texts.PRIVACY_CHECK)}")


@admin_command("/broadcasts", owners_only=True)
async def broadcasts(
    update: Update, context: BotContext, state: AdminState, role: Role, message: Message
) -> None:
    """/broadcasts (owners only, as /adminhelp says; in a private chat):
    subscribers, the queue, the worker's progress and counters."""
    service = context.notifier
    subs = service.subscriptions
    worker = service.worker
    stats = worker.stats if worker else notify.WorkerStats()
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


# --- wiring ---------------------------------------------------------------------------------
def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    """The handlers, in order (the notifier is ``context.notifier``, see bot.services)."""
    return [
        CommandHandler("subscribe", subscribe, filters=_MESSAGE),
        CommandHandler("unsubscribe", unsubscribe, filters=_MESSAGE),
        CommandHandler("subscriptions", subscriptions_command, filters=_MESSAGE),
        CommandHandler("forget", forget, filters=_MESSAGE),
        CommandHandler("privacy", privacy, filters=_MESSAGE),
        CommandHandler("broadcasts", broadcasts, filters=_MESSAGE),
        CallbackQueryHandler(
            subscription_button,
            pattern=rf"^{SUBSCRIBE_PREFIX}:(?:t:(?:{'|'.join(SubTopic)})|m:(?:{'|'.join(Mode)}))$",
        ),
        CallbackQueryHandler(forget_button, pattern=rf"^{FORGET_PREFIX}:(?:yes|no)$"),
    ]
