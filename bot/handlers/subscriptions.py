"""/subscribe, /unsubscribe and /subscriptions (/forget and /privacy are
:mod:`bot.handlers.privacy`; /broadcasts :mod:`bot.handlers.broadcasts`).

Subscriptions are for private chats only: the chat id is then the user's own, nothing
about a group's members is involved, and Telegram's per-chat limit is one message a
second. Callback data: ``sub:t:<topic>`` toggles a topic, ``sub:m:<mode>`` sets the mode.
"""

from __future__ import annotations

from typing import Any, Final

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext
from bot.i18n import DEFAULT_LANGUAGE, N_, Translator
from bot.render import EN, esc
from facts.lang import has_cyrillic, slavic_stem
from facts.subscribers import Mode, Subscriber, SubTopic

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
#: Each topic's word in a command, per language (shown to the user, and accepted).
TOPIC_WORDS: Final = {
    "en": {t: t.value for t in SubTopic},
    "ru": {
        SubTopic.SANCTIONS: "санкции",
        SubTopic.PRISONERS: "политзаключённые",
        SubTopic.TIMELINE: "хронология",
        SubTopic.ALL: "всё",
    },
    "be": {
        SubTopic.SANCTIONS: "санкцыі",
        SubTopic.PRISONERS: "палітвязні",
        SubTopic.TIMELINE: "храналогія",
        SubTopic.ALL: "усё",
    },
}
#: The daily-digest word shown in each language.
DAILY_WORDS: Final = {"en": "daily", "ru": "ежедневно", "be": "штодня"}
#: Russian and Belarusian words for topics and modes, matched by stem ("санкциям").
_SLAVIC_WORDS: Final[dict[SubTopic | Mode, tuple[str, ...]]] = {
    SubTopic.SANCTIONS: ("санкции", "санкцыі"),
    SubTopic.PRISONERS: (
        "политзаключённые",
        "заключённые",
        "узники",
        "палітвязні",
        "вязні",
        "статистика",
        "статыстыка",
        "цифры",
        "лічбы",
    ),
    SubTopic.TIMELINE: ("хронология", "храналогія", "хроника", "хроніка", "события", "падзеі"),
    SubTopic.ALL: ("всё", "усё"),
    Mode.DIGEST: ("ежедневно", "сводка", "дайджест", "штодня", "зводка"),
    Mode.IMMEDIATE: ("сразу", "немедленно", "адразу"),
}
_SLAVIC_STEMS: Final = {slavic_stem(w): key for key, ws in _SLAVIC_WORDS.items() for w in ws}
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
    "I don't know the topic <code>{topic}</code>. Topics: {topics}; add <code>{daily}</code> "
    "for one digest a day. E.g. <code>{example}</code>."
)
UNSUBSCRIBED_ALL: Final = N_(
    "🔕 Unsubscribed. /forget also wipes this chat's id from the data files at once."
)
UNSUBSCRIBED_SOME: Final = N_("🔕 Removed: {removed}. Still subscribed to: {topics}.")
NOTHING_TO_REMOVE: Final = N_("You were not subscribed to that.")
PICK_TOPIC_FIRST: Final = N_("Choose a topic first.")

SUBSCRIBE_PREFIX = "sub"
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
        slavic = _SLAVIC_STEMS.get(slavic_stem(key)) if has_cyrillic(key) else None
        if modes and isinstance(slavic, Mode):
            mode = slavic
            continue
        topic = (
            TOPIC_ALIASES.get(key)
            or (SubTopic(key) if key in set(SubTopic) else None)
            or (slavic if isinstance(slavic, SubTopic) else None)
        )
        if topic is None:
            return [], None, word
        found.append(topic)
    return found, mode, None


async def private_chat(update: Update, context: BotContext) -> tuple[Message, int] | None:
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
    private = await private_chat(update, context)
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
    words = TOPIC_WORDS.get(tr.language, TOPIC_WORDS["en"])
    names = ", ".join(f"<code>{esc(words[t])}</code>" for t in SubTopic)
    return tr.gettext(
        UNKNOWN_TOPIC,
        topic=esc(word[:40]),
        topics=names,
        daily=esc(DAILY_WORDS.get(tr.language, "daily")),
        example=esc(f"/subscribe {words[SubTopic.SANCTIONS]}"),
    )


async def unsubscribe(update: Update, context: BotContext) -> None:
    """/unsubscribe [topic…]: drop those topics, or (no topic, or ``all``) everything."""
    private = await private_chat(update, context)
    if private is None:
        return
    message, chat_id = private
    tr = context.tr
    subscriptions = context.subscriptions
    current = subscriptions.get(chat_id)
    if current is None:
        await message.reply_text(tr.gettext(NOT_SUBSCRIBED))
        return
    topics, _, unknown = parse_topics(context.args or [])
    if unknown is not None:
        await message.reply_text(_unknown(unknown, tr))
        return
    if not topics or topics == [SubTopic.ALL]:
        subscriptions.unsubscribe(chat_id)
        await message.reply_text(tr.gettext(UNSUBSCRIBED_ALL))
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
    private = await private_chat(update, context)
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


# --- wiring ---------------------------------------------------------------------------------
def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    """The handlers, in order (the notifier is ``context.notifier``, see bot.services)."""
    return [
        CommandHandler("subscribe", subscribe, filters=_MESSAGE),
        CommandHandler("unsubscribe", unsubscribe, filters=_MESSAGE),
        CommandHandler("subscriptions", subscriptions_command, filters=_MESSAGE),
        CallbackQueryHandler(
            subscription_button,
            pattern=rf"^{SUBSCRIBE_PREFIX}:(?:t:(?:{'|'.join(SubTopic)})|m:(?:{'|'.join(Mode)}))$",
        ),
    ]
