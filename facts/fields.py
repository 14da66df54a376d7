"""Admins' typed values for fact fields, parsed: text, quotes, dates, numbers, lists,
topics, ids, web addresses.

No Telegram here: pure functions over :mod:`facts.model`. A parser raises
:class:`InputError`, a typed reason — an English message id with ``{placeholders}`` and
their values — that the bot renders in the admin's language (the message ids are
extracted into the bot's catalogs, see scripts/i18n).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from pydantic import ValidationError

from facts.lang import iso_named_dates
from facts.model import (
    MAX_ID_LENGTH,
    MAX_QUOTE_LENGTH,
    MAX_TEXT_LENGTH,
    SLUG_PATTERN,
    When,
)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogs; it is translated where it is shown."""
    return message


SHORT_LENGTH = 300
TOPIC_LENGTH = 40
_SLUG = re.compile(SLUG_PATTERN)
_THOUSANDS = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_PLAIN_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
#: Words typed to leave an optional field empty (the bot adds its own command for it).
SKIP_WORDS = frozenset({"-", "skip", "none", "no"})


class InputError(ValueError):
    """An answer that cannot be used; the message says what is wrong and how to fix it.

    ``message`` is an English message id with ``{placeholders}`` filled from ``values``
    (``str()`` is the English); the bot shows it in the admin's language."""

    def __init__(self, message: str, /, **values: object) -> None:
        super().__init__(message.format(**values) if values else message)
        self.message = message
        self.values = values


# --- parsers ---------------------------------------------------------------------------------
def _text(limit: int, empty: str, long: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = " ".join(raw.split())
        if not value:
            raise InputError(empty)
        if len(value) > limit:
            raise InputError(long, length=len(value), limit=limit)
        return value

    return parse


parse_short = _text(
    SHORT_LENGTH,
    N_("The text is empty. Send some text."),
    N_("The text is {length} characters long; the limit is {limit}. Send a shorter one."),
)
parse_claim = _text(
    MAX_TEXT_LENGTH,
    N_("The claim is empty. Send some text."),
    N_("The claim is {length} characters long; the limit is {limit}. Send a shorter one."),
)
parse_reason = _text(
    MAX_TEXT_LENGTH,
    N_("The reason is empty. Send some text."),
    N_("The reason is {length} characters long; the limit is {limit}. Send a shorter one."),
)


def parse_quote(raw: str) -> str:
    """A verbatim quote: kept as typed except for surrounding white space."""
    value = raw.strip()
    if len(value) < 3:
        raise InputError(
            "The quote is empty or too short. Paste the exact words from the source "
            "(at least 3 characters)."
        )
    if len(value) > MAX_QUOTE_LENGTH:
        raise InputError(
            "The quote is {length} characters long; the limit is {limit}. "
            "Quote the sentence that supports the claim, not the whole passage.",
            length=len(value),
            limit=MAX_QUOTE_LENGTH,
        )
    return value


_ISO_SHAPE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def parse_date(raw: str) -> dict[str, Any]:
    """YYYY, YYYY-MM or YYYY-MM-DD, or a date with the month's name in English, Russian or
    Belarusian ("June 2024", "июнь 2024", "12 траўня 2023"), as a When (JSON form)."""
    value = iso_named_dates(" ".join(raw.split()))
    shown = repr(raw.strip()[:40])
    if not _ISO_SHAPE.match(value):
        raise InputError(
            "{value} is not a date. Send it as YYYY, YYYY-MM or YYYY-MM-DD, or with the "
            "month's name: June 2024, 12 June 2024.",
            value=shown,
        )
    try:
        When(date=value)
    except ValidationError:
        raise InputError(
            "{value} is not a real date: that month or day does not exist. Send the date as "
            "YYYY, YYYY-MM or YYYY-MM-DD.",
            value=shown,
        ) from None
    return {"date": value}


def parse_number(raw: str) -> int | float:
    """1486, 1,486, 1 486 or 12.5; commas only between thousands."""
    value = raw.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if _THOUSANDS.match(value):
        value = value.replace(",", "")
    if not _PLAIN_NUMBER.match(value):
        raise InputError(
            "{value} is not a number. Send digits, with commas only between "
            "thousands: 1486, 1,486 or 12.5.",
            value=repr(raw.strip()[:40]),
        )
    number = float(value)
    return int(number) if number.is_integer() and "." not in value else number


def parse_count(raw: str) -> int:
    """A whole number of at least 0."""
    number = parse_number(raw)
    if not isinstance(number, int) or number < 0:
        raise InputError("Send a whole number of 0 or more, e.g. 40.")
    return number


def parse_list(raw: str) -> list[str]:
    """Items one per line or separated by ";"."""
    items = [" ".join(p.split()) for p in re.split(r"[;\n]", raw)]
    items = [i for i in items if i]
    if not items:
        raise InputError("Send at least one item (one per line, or separated by ;).")
    for item in items:
        if len(item) > SHORT_LENGTH:
            raise InputError(
                "An item is {length} characters long; the limit is {limit}.",
                length=len(item),
                limit=SHORT_LENGTH,
            )
    return items


def parse_terms(raw: str) -> dict[str, str | None]:
    """A fact's values in another language, one per line as ``English = translation``;
    ``English = -`` (or nothing after ``=``) drops that value's term (None)."""
    terms: dict[str, str | None] = {}
    for n, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        english, bar, translated = (" ".join(p.split()) for p in line.partition("="))
        if not bar or not english:
            raise InputError(
                "Line {n} is not “English = translation”: {line}. Write one value per "
                "line as the fact gives it, e.g. Canada = Канада (Canada = - drops it).",
                n=n,
                line=repr(line.strip()[:60]),
            )
        for text in (english, translated):
            if len(text) > SHORT_LENGTH:
                raise InputError(
                    "Line {n} is {length} characters long on one side; the limit is {limit}.",
                    n=n,
                    length=len(text),
                    limit=SHORT_LENGTH,
                )
        terms[english] = None if translated in ("", "-") else translated
    if not terms:
        raise InputError("Send at least one line “English = translation”, e.g. Canada = Канада.")
    return terms


def parse_topics(raw: str) -> list[str]:
    """Topic slugs separated by commas or spaces: lower-case words joined by hyphens."""
    topics: list[str] = []
    for part in re.split(r"[,\s]+", raw.strip().lower()):
        if not part:
            continue
        if not _SLUG.match(part) or len(part) > TOPIC_LENGTH:
            raise InputError(
                "{value} is not a topic: use lower-case letters and digits joined by "
                "hyphens, at most {limit} characters (e.g. prisoners, eu-sanctions).",
                value=repr(part[:40]),
                limit=TOPIC_LENGTH,
            )
        if part not in topics:
            topics.append(part)
    return topics


def parse_slug(raw: str) -> str:
    """An id: lower-case letters and digits joined by hyphens."""
    value = raw.strip().lower()
    if not _SLUG.match(value) or not 2 <= len(value) <= MAX_ID_LENGTH:
        raise InputError(
            "{value} is not a valid id: use 2-{limit} lower-case letters "
            "and digits joined by hyphens, e.g. political-prisoners-2024-05.",
            value=repr(value[:60]),
            limit=MAX_ID_LENGTH,
        )
    return value


def parse_related(raw: str) -> list[str]:
    """Fact ids separated by commas or spaces."""
    return [parse_slug(p) for p in re.split(r"[,\s]+", raw.strip()) if p]


def parse_url(raw: str) -> str:
    """An http(s) URL."""
    value = raw.strip()
    if not re.match(r"^https?://\S+\.\S+$", value) or len(value) > 2000:
        raise InputError("Send a web address starting with https:// (or - for none).")
    return value


def choice(options: Iterable[str]) -> Callable[[str], str]:
    """A parser accepting one of ``options`` (case-insensitive)."""
    allowed = list(options)

    def parse(raw: str) -> str:
        value = " ".join(raw.split()).lower()
        if value not in allowed:
            raise InputError("Choose one of: {options}.", options=", ".join(allowed))
        return value

    return parse


def is_skip(raw: str) -> bool:
    """True when the admin asked to leave an optional field empty."""
    return raw.strip().lower() in SKIP_WORDS


#: The parts of a source typed on one line (``title | outlet | date | url``): where each
#: goes, its parser, and whether it may be left out.
SOURCE_PARTS: tuple[tuple[str, Callable[[str], Any], bool], ...] = (
    ("source.title", parse_short, False),
    ("source.outlet", parse_short, True),
    ("source.published", parse_date, True),
    ("source.url", parse_url, True),
)
