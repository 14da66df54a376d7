"""The bot's languages: gettext catalogs (managed with Babel) and one translator per language.

Messages are English source strings (msgids). Strings that live in constants are marked
with :func:`N_` (or :func:`NP_` for a singular/plural pair) so that ``pybabel extract``
finds them; strings written in place are looked up with ``tr.gettext("…")`` /
``tr.ngettext("…", "…", n)``, which the extractor finds too (see ``scripts/i18n``).
A handler gets its translator as ``context.tr`` (bot/context.py): the chat's chosen
language (/language), else the user's Telegram ``language_code``, else English.

The compiled catalogs (``bot/locale/<lang>/LC_MESSAGES/messages.mo``) are committed beside
their ``.po`` sources so that installing the package is enough; ``tests/bot/test_i18n.py``
fails when a ``.mo`` does not match its ``.po`` (run ``scripts/i18n`` after editing).
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.localedata import LocaleDataDict
from babel.numbers import format_decimal

from facts.lang import MONTH_NAME_FIXES, MonthContext, MonthWidth, month_table

#: Every language the bot speaks; the first is the source language of the messages.
LANGUAGES: Final = ("en", "ru", "be")
DEFAULT_LANGUAGE: Final = "en"
#: Each language's name in itself (for the /language buttons).
LANGUAGE_NAMES: Final = {"en": "English", "ru": "Русский", "be": "Беларуская"}
LOCALE_DIR: Final = Path(__file__).parent / "locale"
DOMAIN: Final = "messages"
#: CLDR locales for dates and numbers: British English writes "2 October 2020".
_FORMAT_LOCALES: Final = {"en": "en_GB", "ru": "ru", "be": "be"}


class _FixedLocale(Locale):
    """A CLDR locale whose month names carry facts.lang's fixes (CLDR's Belarusian May is
    the Russian "май"/"мая"; the bot writes "травень 2023", "12 траўня 2023"). Babel's
    formatters read the month names from the locale object they are given, so the dates
    stay Babel's patterns with only these names replaced."""

    @property
    def months(self) -> LocaleDataDict:
        return _fixed_months(str(self))


@functools.cache
def _fixed_months(name: str) -> LocaleDataDict:
    contexts: tuple[MonthContext, ...] = ("format", "stand-alone")
    widths: tuple[MonthWidth, ...] = ("abbreviated", "narrow", "wide")
    return LocaleDataDict({c: {w: month_table(name, c, w) for w in widths} for c in contexts})


def _format_locale(language: str) -> Locale:
    """The CLDR locale for ``language``'s dates and numbers, its month names fixed."""
    name = _FORMAT_LOCALES[language]
    return _FixedLocale.parse(name) if name in MONTH_NAME_FIXES else Locale.parse(name)


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated where it is shown."""
    return message


#: Each language's name as a word in a sentence of the interface ("(now English)").
LANGUAGE_IN_TEXT: Final = {"en": N_("English"), "ru": N_("Russian"), "be": N_("Belarusian")}


@dataclass(frozen=True, slots=True)
class Plural:
    """A message with singular and plural forms (translated with :meth:`Translator.plural`)."""

    singular: str
    plural: str


def NP_(singular: str, plural: str) -> Plural:
    """Mark a singular/plural pair for extraction."""
    return Plural(singular, plural)


def language_of(code: str | None) -> str:
    """The bot's language for a Telegram ``language_code``: be → be, ru → ru, else en."""
    if not code:
        return DEFAULT_LANGUAGE
    primary = code.strip().lower().replace("_", "-").split("-", 1)[0]
    return primary if primary in LANGUAGES else DEFAULT_LANGUAGE


class Translator:
    """Messages, numbers and dates in one language."""

    __slots__ = ("_catalog", "_format_locale", "language", "locale")

    def __init__(self, language: str, catalog: gettext.NullTranslations) -> None:
        self.language = language
        self.locale = Locale.parse(language)
        self._format_locale = _format_locale(language)
        self._catalog = catalog

    def __repr__(self) -> str:
        return f"Translator({self.language!r})"

    def gettext(self, message: str, /, **values: object) -> str:
        """``message`` in this language, its ``{placeholders}`` filled when values are given."""
        text = self._catalog.gettext(message)
        return text.format(**values) if values else _unescape(text)

    def ngettext(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        """The form of a message for the count ``n`` (three forms in ru and be), filled."""
        text = self._catalog.ngettext(singular, plural, n)
        return text.format(**values) if values else _unescape(text)

    def plural(self, message: Plural, n: int, /, **values: object) -> str:
        """A :func:`NP_` message for the count ``n``, filled."""
        return self.ngettext(message.singular, message.plural, n, **values)

    def number(self, value: float) -> str:
        """1486 → "1,486" (en), "1 486" (ru, be; a no-break space); 2.5 → "2,5" (ru)."""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return format_decimal(value, locale=self._format_locale)

    def date(self, date: str, *, context: MonthContext = "stand-alone") -> str:
        """A partial ISO date by its precision: 2020; "October 2020" / "октябрь 2020 г.";
        "2 October 2020" / "2 октября 2020 г." / "2 кастрычніка 2020 г."; Belarusian May is
        "травень 2023" / "12 траўня 2023 г." (see :class:`_FixedLocale`).

        A month and year standing alone name the month in its own (nominative) form; with
        ``context="format"`` in the form a phrase governs, CLDR's "format" month names
        ("около сентября 2020 г.", "каля лістапада 2020"); English reads the same."""
        parts = [int(p) for p in date.split("-")]
        if len(parts) == 1:
            return str(parts[0])
        if len(parts) == 2:
            pattern = self._format_locale.datetime_skeletons["yMMMM"].pattern
            if context == "format":  # LLLL: the stand-alone month; MMMM: the format one
                pattern = pattern.replace("LLLL", "MMMM")
            return format_date(dt.date(parts[0], parts[1], 1), pattern, self._format_locale)
        return format_date(dt.date(*parts), "long", locale=self._format_locale)

    def join(self, items: list[str]) -> str:
        """ "A", "A and B", "A, B and C" ("A, B и C" in Russian)."""
        if not items:
            return ""
        return format_list(items, locale=self._format_locale)


def _unescape(text: str) -> str:
    """A message shown without values reads as if formatted: {{ and }} are single braces."""
    return text.replace("{{", "{").replace("}}", "}") if "{" in text or "}" in text else text


@functools.cache
def translator(language: str) -> Translator:
    """The translator for one of :data:`LANGUAGES` (others get English)."""
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    catalog: gettext.NullTranslations
    if language == DEFAULT_LANGUAGE:
        catalog = gettext.NullTranslations()
    else:
        catalog = gettext.translation(DOMAIN, LOCALE_DIR, [language])
    return Translator(language, catalog)


def translator_for(code: str | None) -> Translator:
    """The translator for a Telegram ``language_code`` (see :func:`language_of`)."""
    return translator(language_of(code))
