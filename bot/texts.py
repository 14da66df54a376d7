"""Every user-facing string, in one place (ready for translation).

Strings here are HTML for Telegram: placeholders are filled with already-escaped data.
"""

from __future__ import annotations

from typing import Final

START: Final = (
    "<b>Belarus human-rights fact bot</b>\n"
    "I answer questions about the human-rights crisis in Belarus after the presidential "
    "election of 9 August 2020 — detentions and political prisoners, sanctions, statements "
    "by governments and international bodies, and the people involved.\n"
    "Every answer comes from a curated fact base and names its source, with the quote it "
    "rests on. I do not guess: if the base does not hold an answer, I say so."
)
START_SOURCES_HEADER: Final = "<b>Where the facts come from</b> ({count} documents):"
START_NEXT: Final = (
    "Ask a question in plain words, e.g. <i>How many political prisoners are there?</i>, "
    "or try /numbers, /sanctions, /timeline, /who. /help lists every command."
)
PRIVACY: Final = (
    "🔒 <b>Privacy:</b> this bot stores no names, usernames or message texts. "
    "If you /subscribe, it stores this chat's id and your topics only; /forget deletes "
    "them at once (/privacy has the details). "
    "Telegram itself can see messages sent to any bot, and inline queries."
)
#: Used instead of PRIVACY while unanswered questions are recorded for the editors.
PRIVACY_UNANSWERED_KEPT: Final = (
    "🔒 <b>Privacy:</b> this bot stores no names or usernames. The text of a question it "
    "cannot answer is kept — never who asked — so that editors can fill the gap: leave "
    "names and places you want private out of questions. "
    "If you /subscribe, it stores this chat's id and your topics only; /forget deletes "
    "them at once (/privacy has the details). "
    "Telegram itself can see messages sent to any bot, and inline queries."
)

HELP_HEADER: Final = "<b>Commands</b> (examples in italics):"
HELP_MORE_HEADER: Final = "<b>Notifications and privacy</b>:"
#: (command, example, description) for public commands outside the menu, shown by /help
#: unless bot.commands.COMMANDS already lists them.
HELP_MORE: Final[list[tuple[str, str, str]]] = [
    ("subscribe", "/subscribe sanctions", "A short message when facts on a topic change"),
    ("subscriptions", "/subscriptions", "Your topics and how they are delivered"),
    ("unsubscribe", "/unsubscribe sanctions", "Stop one topic, or all with /unsubscribe"),
    ("privacy", "/privacy", "What this bot stores about you, and what it does not"),
    ("forget", "/forget", "Delete everything the bot keeps about this chat"),
]
HELP_ADMIN_EXTRA: Final = "/adminhelp — these admin commands on their own\n    <i>/adminhelp</i>"
HELP_FOOTER: Final = (
    "Or just write a question in this chat. In groups, mention me: "
    "<i>@{username} how many political prisoners?</i>\n"
    "Inline: type <i>@{username} sanctions</i> in any chat to share a fact card."
)

UNKNOWN_COMMAND: Final = (
    "I don't know the command <code>{command}</code>. /help lists what I can do."
)
DID_YOU_MEAN_COMMAND: Final = "Did you mean /{command}?"
ERROR: Final = "Sorry, something went wrong on my side. Please try again in a moment."
ERROR_CALLBACK: Final = "Sorry, something went wrong. Please try again."

# --- facts ---------------------------------------------------------------------------------
FACT_USAGE: Final = (
    "Which fact? Give its id, e.g. <code>/fact {example}</code>. "
    "Ids are shown at the bottom of each fact; /search finds facts by words."
)
FACT_BAD_ID: Final = (
    "<code>{fact_id}</code> is not a fact id: ids are lower-case words joined by hyphens."
)
FACT_NOT_FOUND: Final = "There is no fact with the id <code>{fact_id}</code>."
FACT_SUPERSEDED: Final = (
    "ℹ️ Fact <code>{old_id}</code> has been superseded; the current fact is shown below."
)
FACT_RETRACTED: Final = (
    "⚠️ Fact <code>{fact_id}</code> was retracted and is no longer part of the base.\n"
    "Reason: {reason}"
)
FACT_GONE: Final = "This fact is no longer in the base."
DID_YOU_MEAN: Final = "Did you mean one of these?"

# --- search --------------------------------------------------------------------------------
SEARCH_USAGE: Final = "What should I search for? E.g. <code>/search political prisoners</code>."
SEARCH_HEADER: Final = "<b>Facts matching “{query}”</b> — tap a number to open one:"
SEARCH_NONE: Final = (
    "Nothing in the base matches “{query}”. Try other words, or /numbers, /sanctions, "
    "/timeline, /who."
)
QUERY_TOO_LONG: Final = "That is too long for a search — please use a few words (at most {limit})."

# --- questions -----------------------------------------------------------------------------
ANSWER_HEADER: Final = "From the fact base:"
ANSWER_MORE: Final = "Related facts — tap to open:"
NO_ANSWER: Final = (
    "I could not find a fact that answers this, and I would rather say so than guess. "
    "The base covers Belarus after the 9 August 2020 election: detentions and political "
    "prisoners, sanctions, official statements and the people involved."
)
NO_ANSWER_SUGGEST: Final = "Close matches — they may not answer your question:"
NO_ANSWER_COMMANDS: Final = "Try /search with other words, or {commands}."
DEFAULT_COMMANDS: Final = "/numbers, /sanctions, /timeline, /who"
GROUP_EMPTY_MENTION: Final = (
    "Ask me something after the mention, e.g. <i>@{username} sanctions</i>."
)

# --- sanctions -----------------------------------------------------------------------------
SANCTIONS_HEADER: Final = "<b>Restrictive measures</b> ({count}), newest first:"
SANCTIONS_FILTER_HEADER: Final = (
    "<b>Restrictive measures involving “{who}”</b> ({count}), newest first:"
)
SANCTIONS_NONE: Final = "The base holds no restrictive measures."
SANCTIONS_NONE_FOR: Final = (
    "The base holds no restrictive measures imposed by or on “{who}”.\n"
    "Imposed by: {imposers}.\nTry <code>/sanctions</code> for all of them."
)

# --- timeline ------------------------------------------------------------------------------
TIMELINE_USAGE: Final = (
    "Give a year or a range: <code>/timeline 2020</code>, "
    "<code>/timeline 2020-08 2020-12</code>, <code>/timeline 2020-08-09 2021</code>."
)
TIMELINE_BAD_DATE: Final = "<code>{value}</code> is not a date: use 2020, 2020-08 or 2020-08-09."
TIMELINE_BAD_ORDER: Final = "The range ends before it starts: {start} … {end}."
TIMELINE_HEADER: Final = "<b>Timeline{span}</b> — {first}–{last} of {total}:"
TIMELINE_NONE: Final = (
    "No dated events{span} in the base. Statements and figures are reached with /who, "
    "/search and /numbers."
)
TIMELINE_PREV: Final = "◀ Earlier"
TIMELINE_NEXT: Final = "Later ▶"

# --- who -----------------------------------------------------------------------------------
WHO_LIST_HEADER: Final = (
    "<b>People and organisations in the base</b> ({count}) — tap one, or type "
    "<code>/who name</code>:"
)
WHO_NONE_KNOWN: Final = "The base holds no people or organisations yet."
WHO_NOT_FOUND: Final = (
    "Nobody called “{name}” is in the base. /who without a name lists everyone known."
)
WHO_CHOOSE: Final = "Several people match “{name}” — which one?"
WHO_ACTIVITY: Final = "<b>What they did or said</b>, newest first:"
WHO_NO_ACTIVITY: Final = "<i>No other facts about them in the base.</i>"
WHO_GONE: Final = "That person is no longer in the base. /who lists everyone known."
WHO_MENTIONED: Final = "<b>Mentioned in</b>"
PAGE_PREV: Final = "◀ Back"
PAGE_NEXT: Final = "More ▶"
PAGE_RANGE: Final = "{first}–{last} of {total}"
PAGE_EXPIRED: Final = "This list has expired — send the command again."

# --- numbers & sources ---------------------------------------------------------------------
NUMBERS_HEADER: Final = (
    "<b>Key figures</b> — each as of the date shown; tap a button to open one in full "
    "with its quotes:"
)
NUMBERS_NONE: Final = "The base holds no figures yet."
SOURCES_HEADER: Final = "<b>Source documents</b> ({count}):"
SOURCES_NONE: Final = "The base lists no source documents yet."

# --- inline --------------------------------------------------------------------------------
INLINE_BUTTON: Final = "Open the fact bot"
INLINE_NOTHING: Final = "No matching facts — open the bot"
INLINE_OPEN: Final = "Open in @{username}"

# --- odd input -----------------------------------------------------------------------------
ARGS_TOO_LONG: Final = "That is longer than I can use — please keep it under {limit} characters."
