"""The command menu: set with setMyCommands, listed by /help, checked against the README."""

from __future__ import annotations

from typing import Final

#: (command, description) in menu order; descriptions are ≤ 256 characters.
COMMANDS: Final[list[tuple[str, str]]] = [
    ("start", "What this bot is and where its facts come from"),
    ("help", "Every command with an example"),
    ("search", "Search the fact base: /search political prisoners"),
    ("who", "A person or organisation: /who Tsikhanouskaya"),
    ("sanctions", "Restrictive measures, by or against whom: /sanctions EU"),
    ("timeline", "Dated events in order: /timeline 2020"),
    ("numbers", "Key figures with their as-of dates"),
    ("fact", "One fact in full with its quotes: /fact <id>"),
    ("sources", "The source documents the facts come from"),
    ("subscribe", "Hear when facts on a topic change: /subscribe sanctions"),
    ("subscriptions", "Your topics and how they are delivered"),
    ("unsubscribe", "Stop one topic, or all: /unsubscribe sanctions"),
    ("privacy", "What this bot stores about you, and what it does not"),
    ("forget", "Delete everything the bot keeps about this chat"),
]

#: An example call for each command, shown by /help.
EXAMPLES: Final[dict[str, list[str]]] = {
    "start": ["/start"],
    "help": ["/help"],
    "search": ["/search political prisoners", "/search OSCE report"],
    "who": ["/who", "/who Lukashenka", "/who Tikhanovskaya"],
    "sanctions": ["/sanctions", "/sanctions EU", "/sanctions Lukashenko"],
    "timeline": ["/timeline", "/timeline 2020", "/timeline 2020-08 2020-12"],
    "numbers": ["/numbers"],
    "fact": ["/fact <id> (the id is at the bottom of each fact opened with its button)"],
    "sources": ["/sources"],
    "subscribe": ["/subscribe", "/subscribe sanctions", "/subscribe prisoners daily"],
    "subscriptions": ["/subscriptions"],
    "unsubscribe": ["/unsubscribe sanctions", "/unsubscribe all"],
    "privacy": ["/privacy"],
    "forget": ["/forget"],
}
