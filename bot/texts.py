"""Every user-facing string, in one place (ready for translation).

Strings here are HTML for Telegram: placeholders are filled with already-escaped data.
"""

from __future__ import annotations

from typing import Final

from bot.i18n import N_, NP_

START: Final = N_(
    "<b>Belarus human-rights fact bot</b>\n"
    "I answer questions about the human-rights crisis in Belarus after the presidential "
    "election of 9 August 2020 — detentions and political prisoners, sanctions, statements "
    "by governments and international bodies, and the people involved.\n"
    "Every answer comes from a curated fact base and names its source, with the quote it "
    "rests on. I do not guess: if the base does not hold an answer, I say so."
)
START_SOURCES_HEADER: Final = NP_(
    "<b>Where the facts come from</b> ({count} document):",
    "<b>Where the facts come from</b> ({count} documents):",
)
START_NEXT: Final = N_(
    "Ask a question in plain words, e.g. <i>How many political prisoners are there?</i>, "
    "or try /numbers, /sanctions, /timeline, /who. /help lists every command."
)
#: Unanswered questions are recorded for the editors (their text only): the line says so.
PRIVACY_UNANSWERED_KEPT: Final = N_(
    "🔒 <b>Privacy:</b> this bot stores no names or usernames. The text of a question it "
    "cannot answer is kept — never who asked — so that editors can fill the gap: leave "
    "names and places you want private out of questions. "
    "If you /subscribe or choose a /language, it stores this chat's id with your topics "
    "or language only; /forget deletes them at once (/privacy has the details). "
    "Telegram itself can see messages sent to any bot, and inline queries."
)

HELP_HEADER: Final = N_("<b>Commands</b> (examples in italics):")
HELP_MORE_HEADER: Final = N_("<b>Notifications and privacy</b>:")
#: (command, example, description) for public commands outside the menu, shown by /help
#: unless bot.commands.COMMANDS already lists them.
HELP_MORE: Final[list[tuple[str, str, str]]] = [
    ("subscribe", "/subscribe sanctions", N_("A short message when facts on a topic change")),
    ("subscriptions", "/subscriptions", N_("Your topics and how they are delivered")),
    ("unsubscribe", "/unsubscribe sanctions", N_("Stop one topic, or all with /unsubscribe")),
    ("privacy", "/privacy", N_("What this bot stores about you, and what it does not")),
    ("forget", "/forget", N_("Delete everything the bot keeps about this chat")),
]
HELP_ADMIN_EXTRA: Final = N_(
    "/adminhelp — these admin commands on their own\n    <i>/adminhelp</i>"
)
HELP_FOOTER: Final = N_(
    "Or just write a question in this chat. In groups, mention me: "
    "<i>@{username} how many political prisoners?</i>\n"
    "Inline: type <i>@{username} sanctions</i> in any chat to share a fact card."
)

UNKNOWN_COMMAND: Final = N_(
    "I don't know the command <code>{command}</code>. /help lists what I can do."
)
DID_YOU_MEAN_COMMAND: Final = N_("Did you mean /{command}?")
NOT_TEXT: Final = N_("I read text only: type a question in words, or a command — /help lists them.")
ERROR: Final = N_("Sorry, something went wrong on my side. Please try again in a moment.")
ERROR_CALLBACK: Final = N_("Sorry, something went wrong. Please try again.")
NOT_SAVED: Final = N_(
    "Sorry, that could not be saved: the bot cannot write to its disk just now. "
    "Nothing was changed; please try again later."
)

# --- facts ---------------------------------------------------------------------------------
FACT_USAGE: Final = N_(
    "Which fact? Give its id, e.g. <code>/fact {example}</code>. "
    "Ids are shown at the bottom of each fact; /search finds facts by words."
)
FACT_BAD_ID: Final = N_(
    "<code>{fact_id}</code> is not a fact id: ids are lower-case words joined by hyphens."
)
FACT_NOT_FOUND: Final = N_("There is no fact with the id <code>{fact_id}</code>.")
FACT_SUPERSEDED: Final = N_(
    "ℹ️ Fact <code>{old_id}</code> has been superseded; the current fact is shown below."
)
FACT_RETRACTED: Final = N_(
    "⚠️ Fact <code>{fact_id}</code> was retracted and is no longer part of the base.\n"
    "Reason: {reason}"
)
FACT_GONE: Final = N_("This fact is no longer in the base.")
DID_YOU_MEAN: Final = N_("Did you mean one of these?")

# --- search --------------------------------------------------------------------------------
SEARCH_USAGE: Final = N_("What should I search for? E.g. <code>/search political prisoners</code>.")
SEARCH_HEADER: Final = N_("<b>Facts matching “{query}”</b> — tap a number to open one:")
SEARCH_NONE: Final = N_(
    "Nothing in the base matches “{query}”. Try other words, or /numbers, /sanctions, "
    "/timeline, /who."
)
QUERY_TOO_LONG: Final = N_(
    "That is too long for a search — please use a few words (at most {limit})."
)

# --- questions -----------------------------------------------------------------------------
ANSWER_HEADER: Final = N_("From the fact base:")
ANSWER_MORE: Final = N_("Related facts — tap to open:")
#: The opening of a reply to a yes/no question, by what the facts say.
YES: Final = N_("<b>Yes</b>, according to the sources:")
NO: Final = N_("<b>No</b> — the sources say otherwise:")
NOT_SAID: Final = N_("<b>The documents don't say.</b>")
HEDGED: Final = N_("I am not sure this answers your question. <b>This may answer it:</b>")
FRESHNESS: Final = N_(
    "⏳ The latest figure in the base is as of <b>{date}</b> — about {age}. "
    "It may have changed since."
)
AGE_YEARS: Final = NP_("{years} year ago", "{years} years ago")
#: "3 years and 7 months ago": the whole years and the months beyond them, each in its own
#: plural form (YEARS, MONTHS).
AGE_YEARS_MONTHS: Final = N_("{years} and {months} ago")
YEARS: Final = NP_("{years} year", "{years} years")
MONTHS: Final = NP_("{months} month", "{months} months")
AGE_MONTHS: Final = NP_("{months} month ago", "{months} months ago")
AGE_RECENT: Final = N_("less than a month ago")
ALSO_REPORTED: Final = N_("Also stated by: {sources}")
#: Replies to messages that are not questions: never "I could not find".
SMALL_TALK: Final = {
    "greeting": N_(
        "Hello! Ask me about political prisoners, sanctions, events or people in Belarus "
        "since the 2020 election — e.g. <i>how many political prisoners are there?</i> "
        "/help lists the commands."
    ),
    "thanks": N_("You're welcome. Ask another question any time, or see /help."),
    "farewell": N_("Goodbye! Ask again any time."),
    "ack": N_("Ask me a question about Belarus since the 2020 election, or see /help."),
    "emoji": N_("Ask me a question in words — e.g. <i>who is Tsikhanouskaya?</i> — or see /help."),
    "number": N_(
        "A number alone is not a question I can answer. Try "
        "<i>how many political prisoners are there?</i> or see /help."
    ),
}
FOLLOW_NO_PREVIOUS: Final = N_(
    "That sounds like a follow-up, but I have no previous question from this chat (I keep "
    "it for 10 minutes). Please ask the whole question."
)
FOLLOW_SPEAKER: Final = N_("Who said it — {who}:")
FOLLOW_SOURCE: Final = N_("Where it comes from:")
FOLLOW_NO_MORE: Final = N_("That was everything I have on it.")
FOLLOW_MORE: Final = N_("More on it:")
NO_ANSWER: Final = N_(
    "I could not find a fact that answers this, and I would rather say so than guess. "
    "The base covers Belarus after the 9 August 2020 election: detentions and political "
    "prisoners, sanctions, official statements and the people involved."
)
NO_ANSWER_SUGGEST: Final = N_("Close matches — they may not answer your question:")
NO_ANSWER_COMMANDS: Final = N_("Try /search with other words, or {commands}.")
DEFAULT_COMMANDS: Final = N_("/numbers, /sanctions, /timeline, /who")
GROUP_EMPTY_MENTION: Final = N_(
    "Ask me something after the mention, e.g. <i>@{username} sanctions</i>."
)

# --- sanctions -----------------------------------------------------------------------------
SANCTIONS_HEADER: Final = N_("<b>Restrictive measures</b> ({count}), newest first:")
SANCTIONS_FILTER_HEADER: Final = N_(
    "<b>Restrictive measures involving “{who}”</b> ({count}), newest first:"
)
PAGE_POSITION: Final = N_("Page {page} of {pages}; ◀ and ▶ turn the pages.")
SANCTIONS_NONE: Final = N_("The base holds no restrictive measures.")
SANCTIONS_NONE_FOR: Final = N_(
    "The base holds no restrictive measures that name “{who}” as who imposed them or as "
    "their target.\nMeasures were imposed by: {imposers}.\nTry <code>/sanctions</code> for "
    "all of them."
)

# --- timeline ------------------------------------------------------------------------------
TIMELINE_USAGE: Final = N_(
    "Give a year, a month or a range: <code>/timeline 2020</code>, "
    "<code>/timeline September 2020</code>, <code>/timeline 2020-08 2020-12</code>, "
    "<code>/timeline 2020-08-09 2021</code>."
)
TIMELINE_BAD_DATE: Final = N_(
    "<code>{value}</code> is not a date: use 2020, September 2020, 2020-08 or 2020-08-09."
)
TIMELINE_BAD_ORDER: Final = N_("The range ends before it starts: {start} … {end}.")
TIMELINE_HEADER: Final = N_("<b>Timeline{span}</b> — {first}–{last} of {total}:")
TIMELINE_NONE: Final = N_(
    "No dated events in the base. Statements and figures are reached with /who, "
    "/search and /numbers."
)
TIMELINE_NONE_IN: Final = N_(
    "The base has no dated events for {span}. Statements and figures are reached with "
    "/who, /search and /numbers."
)
TIMELINE_WHICH_YEAR: Final = N_("{month} of which year? {choices}")
TIMELINE_NO_MONTH: Final = N_(
    "The base has no dated events in {month} of any year. <code>/timeline</code> lists them all."
)
TIMELINE_PREV: Final = N_("◀ Earlier")
TIMELINE_NEXT: Final = N_("Later ▶")

# --- who -----------------------------------------------------------------------------------
WHO_LIST_HEADER: Final = N_(
    "<b>People and organisations in the base</b> ({count}) — tap one, or type "
    "<code>/who name</code>:"
)
WHO_NONE_KNOWN: Final = N_("The base holds no people or organisations yet.")
WHO_NOT_FOUND: Final = N_(
    "Nobody called “{name}” is in the base. /who without a name lists everyone known."
)
WHO_CHOOSE: Final = N_("Several people match “{name}” — which one?")
WHO_ACTIVITY: Final = N_("<b>What they did or said</b>, newest first:")
WHO_NO_ACTIVITY: Final = N_("<i>No other facts about them in the base.</i>")
WHO_GONE: Final = N_("That person is no longer in the base. /who lists everyone known.")
WHO_MENTIONED: Final = N_("<b>Mentioned in</b>")
PAGE_PREV: Final = N_("◀ Back")
PAGE_NEXT: Final = N_("More ▶")
PAGE_RANGE: Final = N_("{first}–{last} of {total}")
PAGE_EXPIRED: Final = N_("This list has expired — send the command again.")

# --- numbers & sources ---------------------------------------------------------------------
NUMBERS_HEADER: Final = N_(
    "<b>Key figures</b> — each as of the date shown; tap a button to open one in full "
    "with its quotes:"
)
NUMBERS_NONE: Final = N_("The base holds no figures yet.")
SOURCES_HEADER: Final = N_("<b>Source documents</b> ({count}):")
SOURCES_NONE: Final = N_("The base lists no source documents yet.")

# --- inline --------------------------------------------------------------------------------
INLINE_BUTTON: Final = N_("Open the fact bot")
INLINE_NOTHING: Final = N_("No matching facts — open the bot")
INLINE_OPEN: Final = N_("Open in @{username}")

# --- odd input -----------------------------------------------------------------------------
ARGS_TOO_LONG: Final = N_(
    "That is longer than I can use — please keep it under {limit} characters."
)

# --- claim check (/check, forwarded posts) --------------------------------------------------
CHECK_HEADER: Final = NP_(
    "🔎 <b>Checking the claims in this post</b> against the fact base: {count} claim.",
    "🔎 <b>Checking the claims in this post</b> against the fact base: {count} claims.",
)
CHECK_NO_CLAIMS: Final = N_(
    "🔎 <b>Checking the claims in this post</b>: I found no claim to check — a checkable "
    "claim is a statement about a person, an organisation, a number, a date or an event."
)
CHECK_SUPPORT: Final = N_("✅ The sources support it.")
CHECK_CONTRADICT: Final = N_("❌ The sources contradict it")
CHECK_CONTEXT: Final = N_(
    "ℹ️ The sources add context: they record this as someone's claim or statement."
)
CHECK_CONTEXT_FIGURE: Final = N_(
    "ℹ️ The sources add context: they give a figure of their own, which neither confirms nor "
    "denies this one."
)
CHECK_NOTHING: Final = N_("▫️ Nothing in the fact base on this.")
#: Why the sources contradict a claim, by facts.claims.Conflict value.
CHECK_CONFLICT: Final[dict[str, str]] = {
    "negation": N_("(they say the opposite)."),
    "number": N_("(another figure)."),
    "date": N_("(another date)."),
    "place": N_("(another place)."),
    "list": N_("(not among those the sources list)."),
    "assessment": N_("(the opposite assessment)."),
}
CHECK_SET_ASIDE: Final = N_(
    "Set aside, not checkable (opinions, questions, slogans, greetings and other small talk): "
    "{items}"
)
CHECK_LIMIT: Final = NP_(
    "Only the first {limit} claims were checked; {count} more was not: {items}.",
    "Only the first {limit} claims were checked; {count} more were not: {items}.",
)
CHECK_FOOTER: Final = N_(
    "Each finding is about one claim, from the fact base only — not a verdict on the whole "
    "post. Nothing of this post is stored."
)
CHECK_USAGE: Final = N_(
    "Send /check with the text of a post, e.g. <i>/check Nobody was detained after the "
    "election.</i>, or reply /check to a message (also in groups). In a private chat you "
    "can simply forward a post to me."
)
PRIVACY_CHECK: Final = N_(
    "• Posts you forward, send with /check or paste here are checked in memory and "
    "forgotten: not their text, not who sent or forwarded them, not where they came from "
    "is stored."
)
