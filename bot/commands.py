"""The command menu: set with setMyCommands, listed by /help, checked against the README."""

from __future__ import annotations

from typing import Final

from bot.i18n import N_

#: (command, description) in menu order; descriptions are ≤ 256 characters, translated
#: when the menu is published (one menu per language).
COMMANDS: Final[list[tuple[str, str]]] = [
    ("start", N_("What this bot is and where its facts come from")),
    ("help", N_("Every command with an example")),
    ("search", N_("Search the fact base: /search political prisoners")),
    ("who", N_("A person or organisation: /who Tsikhanouskaya")),
    ("sanctions", N_("Restrictive measures, by or against whom: /sanctions EU")),
    ("timeline", N_("Dated events in order: /timeline 2020")),
    ("numbers", N_("Key figures with their as-of dates")),
    ("fact", N_("One fact in full with its quotes: /fact <id>")),
    ("sources", N_("The source documents the facts come from")),
    ("check", N_("Check each claim of a post against the facts: /check TEXT")),
    ("subscribe", N_("Hear when facts on a topic change: /subscribe sanctions")),
    ("subscriptions", N_("Your topics and how they are delivered")),
    ("unsubscribe", N_("Stop one topic, or all: /unsubscribe sanctions")),
    ("privacy", N_("What this bot stores about you, and what it does not")),
    ("forget", N_("Delete everything the bot keeps about this chat")),
    ("language", N_("The bot's language: English, Russian or Belarusian")),
]

#: Example calls for each command, shown by /help; those with words are translated (an
#: example in Russian searches in Russian: "/search политзаключённые").
EXAMPLES: Final[dict[str, list[str]]] = {
    "start": ["/start"],
    "help": ["/help"],
    "search": [N_("/search political prisoners"), N_("/search OSCE report")],
    "who": ["/who", N_("/who Lukashenka"), N_("/who Tikhanovskaya")],
    "sanctions": ["/sanctions", N_("/sanctions EU"), N_("/sanctions Lukashenko")],
    "timeline": [
        "/timeline",
        "/timeline 2020",
        N_("/timeline September 2020"),
        "/timeline 2020-08 2020-12",
    ],
    "numbers": ["/numbers"],
    "fact": [N_("/fact <id> (the id is at the bottom of each fact opened with its button)")],
    "sources": ["/sources"],
    "check": [
        N_("/check Nobody was detained after the election."),
        N_("/check (as a reply to a message; or forward a post to me)"),
    ],
    "subscribe": ["/subscribe", N_("/subscribe sanctions"), N_("/subscribe prisoners daily")],
    "subscriptions": ["/subscriptions"],
    "unsubscribe": [N_("/unsubscribe sanctions"), N_("/unsubscribe all")],
    "privacy": ["/privacy"],
    "forget": ["/forget"],
    "language": ["/language", "/language be"],
}
