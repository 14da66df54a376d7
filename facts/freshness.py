"""How old a figure is, for questions that ask for the current state of things.

"How many political prisoners are there now?" can only be answered with the latest figure
the base holds: the reply says so, with its as-of date and how long ago that was, counted
from today's date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from facts.model import Fact

_NOW = re.compile(
    r"\b(?:now|nowadays|current(?:ly)?|latest|today|at (?:the|this) moment|these days|still"
    r"|as of (?:today|now)|at present|presently|right now|most recent|up to date)\b"
    r"|сейчас|сегодня|на данный момент|на сегодня|текущ|последн|актуальн|по состоянию"
    r"|до сих пор|всё ещё|все еще|цяпер|сёння|зараз|на дадзены момант|апошн|дагэтуль|усё яшчэ",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Age:
    """How long ago a date was: whole years and months."""

    years: int
    months: int


def asks_now(question: str) -> bool:
    """True when ``question`` asks about the present ("now", "current", "latest", "сейчас")."""
    return _NOW.search(question) is not None


def age(fact: Fact, today: dt.date) -> Age | None:
    """How long before ``today`` the fact's date was (None when it has none)."""
    when = fact.date
    if when is None:
        return None
    start = when.start()
    months = (today.year - start.year) * 12 + today.month - start.month
    if today.day < start.day:
        months -= 1
    months = max(0, months)
    return Age(months // 12, months % 12)
