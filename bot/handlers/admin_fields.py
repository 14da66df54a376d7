"""Admins' typed answers turned into fact fields: parsers, the fields each kind asks, edits.

No Telegram here: pure functions over facts/model.py, so each rule is unit-testable. A
parser raises :class:`InputError` whose message says what is wrong and how to fix it
(plain text: escape it before sending).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import ValidationError

from bot.i18n import N_, Translator
from facts.errors import ValidationFailed
from facts.model import (
    MAX_ID_LENGTH,
    MAX_QUOTE_LENGTH,
    MAX_TEXT_LENGTH,
    SLUG_PATTERN,
    DateBasis,
    EntityType,
    Fact,
    Kind,
    Qualifier,
    SanctionStatus,
    Source,
    When,
)

SHORT_LENGTH = 300
TOPIC_LENGTH = 40
_SLUG = re.compile(SLUG_PATTERN)
_THOUSANDS = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_PLAIN_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
#: Words typed to leave an optional field empty.
SKIP_WORDS = frozenset({"-", "skip", "/skip", "none", "no"})


class InputError(ValueError):
    """An answer that cannot be used; the message says what is wrong and how to fix it.

    ``message`` is an English message id with ``{placeholders}`` filled from ``values``;
    :meth:`text` gives it in an admin's language (``str()`` is the English)."""

    def __init__(self, message: str, /, **values: object) -> None:
        super().__init__(message.format(**values) if values else message)
        self.message = message
        self.values = values

    def text(self, tr: Translator) -> str:
        """The problem in ``tr``'s language (plain text)."""
        return tr.gettext(self.message, **self.values)


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


def parse_date(raw: str) -> dict[str, Any]:
    """YYYY, YYYY-MM or YYYY-MM-DD as a When (JSON form)."""
    value = raw.strip()
    try:
        When(date=value)
    except ValidationError as exc:
        detail = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
        raise InputError(
            "{detail}. Send the date as YYYY, YYYY-MM or YYYY-MM-DD.", detail=detail
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


# --- the fields of a fact --------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One answer to ask for: where it goes, how it is asked and parsed."""

    #: "text", "topics", "related", "id", "quote", "source" or "details.<name>".
    key: str
    #: A short name, used on buttons and in ``/edit <id> <name> <value>``.
    name: str
    prompt: str
    parse: Callable[[str], Any]
    optional: bool = False
    #: Allowed values, offered as buttons.
    choices: tuple[str, ...] = ()


def _f(key: str, name: str, prompt: str, parse: Callable[[str], Any], **kw: Any) -> FieldSpec:
    return FieldSpec(key, name, prompt, parse, **kw)


def _choice_f(key: str, name: str, prompt: str, options: Iterable[StrEnum]) -> FieldSpec:
    # The buttons offered and the values the parser accepts come from one list.
    values = tuple(o.value for o in options)
    return FieldSpec(key, name, prompt, choice(values), choices=values)


TEXT = _f(
    "text",
    "claim",
    "The claim, as one or two stand-alone sentences (who, what, when, according to whom).",
    parse_claim,
)
SOURCE = _f("source", "source", "Which source supports it? Tap one, or /addsource.", parse_slug)
QUOTE = _f(
    "quote",
    "quote",
    "The verbatim quote from the source that supports the claim (copy it exactly).",
    parse_quote,
)
TOPICS = _f(
    "topics",
    "topics",
    "Topics, separated by commas (e.g. prisoners, osce), or - for none.",
    parse_topics,
    optional=True,
)
RELATED = _f(
    "related",
    "related",
    "Ids of related facts, separated by commas, or - for none.",
    parse_related,
    optional=True,
)
ID = _f("id", "id", "The fact's id (lower-case words joined by hyphens).", parse_slug)

#: The date of a sanction or a statement: sources do not always give one.
_OPTIONAL_DATE = _f(
    "details.date",
    "date",
    "When? YYYY, YYYY-MM or YYYY-MM-DD, or - if unknown.",
    parse_date,
    optional=True,
)

KIND_FIELDS: dict[Kind, tuple[FieldSpec, ...]] = {
    Kind.STATISTIC: (
        _f("details.value", "value", "The number (e.g. 1,486).", parse_number),
        _f("details.unit", "unit", "What is counted (e.g. political prisoners).", parse_short),
        _choice_f(
            "details.qualifier", "qualifier", "How the source qualifies the number.", Qualifier
        ),
        _f("details.as_of", "as-of", "As of when? YYYY, YYYY-MM or YYYY-MM-DD.", parse_date),
        _f(
            "details.counted_by",
            "counted-by",
            "Who counted it (e.g. Viasna), or - if the source does not say.",
            parse_short,
            optional=True,
        ),
    ),
    Kind.SANCTION: (
        _f(
            "details.imposed_by",
            "imposed-by",
            "Imposed by whom? (one per line, or separated by ;)",
            parse_list,
        ),
        _f("details.targets", "targets", "On whom? (one per line, or separated by ;)", parse_list),
        _f(
            "details.measures",
            "measures",
            "Which measures? (one per line, or separated by ;)",
            parse_list,
        ),
        _choice_f("details.status", "status", "Where does the measure stand?", SanctionStatus),
        _OPTIONAL_DATE,
        _f(
            "details.persons_count",
            "persons",
            "How many persons are targeted? A number, or - if not stated.",
            parse_count,
            optional=True,
        ),
    ),
    Kind.EVENT: (
        _f("details.date", "date", "When did it happen? YYYY, YYYY-MM or YYYY-MM-DD.", parse_date),
        _f("details.place", "place", "Where? (or - if not stated)", parse_short, optional=True),
        _f(
            "details.participants",
            "participants",
            "Who took part? (one per line, or separated by ;), or - for nobody named.",
            parse_list,
            optional=True,
        ),
    ),
    Kind.PERSON: (
        _choice_f(
            "details.entity", "entity", "A person, an organisation or a country?", EntityType
        ),
        _f("details.name", "name", "The name as the sources mostly spell it.", parse_short),
        _f(
            "details.aliases",
            "aliases",
            "Other spellings and names (one per line, or separated by ;), or - for none.",
            parse_list,
            optional=True,
        ),
    ),
    Kind.STATEMENT: (
        _f("details.speaker", "speaker", "Who said it?", parse_short),
        _f(
            "details.audience",
            "audience",
            "To whom? (or - if not stated)",
            parse_short,
            optional=True,
        ),
        _OPTIONAL_DATE,
    ),
}

#: The language fields: the claim (and a person's name) in Russian and Belarusian, shown to
#: readers of those languages marked as translations; a quote's translation, shown labelled
#: under the verbatim quote. Every one is optional: an untranslated fact is shown in English
#: with a note saying so.
_PROMPTS_IN = {
    "ru": {
        "text": _f(
            "translations.ru.text",
            "claim-ru",
            "The claim in Russian (a translation of the English claim), "
            "or - to leave it untranslated.",
            parse_claim,
            optional=True,
        ),
        "name": _f(
            "translations.ru.name",
            "name-ru",
            "The name as Russian writes it (e.g. Светлана Тихановская), or - for none.",
            parse_short,
            optional=True,
        ),
        "aliases": _f(
            "translations.ru.aliases",
            "aliases-ru",
            "Other Russian spellings (one per line, or separated by ;), or - for none.",
            parse_list,
            optional=True,
        ),
        "quotes": _f(
            "translations.ru.quotes",
            "quote-ru",
            "A Russian translation of the quote (shown labelled as a translation, under "
            "the verbatim quote), or - for none.",
            parse_quote,
            optional=True,
        ),
    },
    "be": {
        "text": _f(
            "translations.be.text",
            "claim-be",
            "The claim in Belarusian (a translation of the English claim), "
            "or - to leave it untranslated.",
            parse_claim,
            optional=True,
        ),
        "name": _f(
            "translations.be.name",
            "name-be",
            "The name as Belarusian writes it (e.g. Святлана Ціханоўская), or - for none.",
            parse_short,
            optional=True,
        ),
        "aliases": _f(
            "translations.be.aliases",
            "aliases-be",
            "Other Belarusian spellings (one per line, or separated by ;), or - for none.",
            parse_list,
            optional=True,
        ),
        "quotes": _f(
            "translations.be.quotes",
            "quote-be",
            "A Belarusian translation of the quote (shown labelled as a translation, under "
            "the verbatim quote), or - for none.",
            parse_quote,
            optional=True,
        ),
    },
}


TRANSLATION_LANGUAGES = ("ru", "be")
CLAIMS_IN = tuple(_PROMPTS_IN[lang]["text"] for lang in TRANSLATION_LANGUAGES)
NAMES_IN = tuple(_PROMPTS_IN[lang]["name"] for lang in TRANSLATION_LANGUAGES)
ALIASES_IN = tuple(_PROMPTS_IN[lang]["aliases"] for lang in TRANSLATION_LANGUAGES)
QUOTES_IN = tuple(_PROMPTS_IN[lang]["quotes"] for lang in TRANSLATION_LANGUAGES)


def translation_fields(kind: Kind, *, full: bool = False) -> list[FieldSpec]:
    """The language fields a fact of ``kind`` is asked (``full``: every one, for /edit)."""
    fields = list(CLAIMS_IN)
    if kind is Kind.PERSON:
        fields += NAMES_IN
        if full:
            fields += ALIASES_IN
    if full:
        fields += QUOTES_IN
    return fields


#: Fields asked when a source is added during /add.
SOURCE_FIELDS: tuple[FieldSpec, ...] = (
    _f("source.title", "title", "The new source's title.", parse_short),
    _f(
        "source.outlet",
        "outlet",
        "Its outlet or publisher (e.g. VOA), or - if none.",
        parse_short,
        optional=True,
    ),
    _f(
        "source.published",
        "published",
        "Its publication date (YYYY, YYYY-MM or YYYY-MM-DD), or - if unknown.",
        parse_date,
        optional=True,
    ),
    _f("source.url", "url", "Its web address, or - if none.", parse_url, optional=True),
)


def add_fields(kind: Kind) -> list[FieldSpec]:
    """The questions /add asks for a new fact of ``kind``, in order."""
    return [TEXT, *KIND_FIELDS[kind], SOURCE, QUOTE, TOPICS, *translation_fields(kind)]


def edit_fields(fact: Fact) -> list[FieldSpec]:
    """Every field of ``fact`` that /edit can change."""
    fields = [TEXT, *KIND_FIELDS[fact.kind], QUOTE, SOURCE, TOPICS, RELATED]
    return fields + translation_fields(fact.kind, full=True)


def find_field(fields: Iterable[FieldSpec], name: str) -> FieldSpec | None:
    """The field called ``name`` (its short name or key, case-insensitive; _ for -)."""
    wanted = name.strip().lower().replace("_", "-")
    for spec in fields:
        if wanted in (spec.name, spec.key.replace("_", "-"), spec.key.split(".")[-1]):
            return spec
    if wanted == "text":
        return next((s for s in fields if s.key == "text"), None)
    return None


def parse_answer(spec: FieldSpec, raw: str) -> Any:
    """The value of ``raw`` for ``spec``; None when an optional field is skipped."""
    if spec.optional and is_skip(raw):
        return None
    return spec.parse(raw)


# --- building and changing facts -------------------------------------------------------------
def problems_of(exc: ValidationError, prefix: str = "") -> list[str]:
    """A pydantic error as one line per problem, naming the field."""
    lines = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"] if not str(p).startswith("function-after"))
        # The discriminated union puts the kind in the path: details.statistic.value.
        where = re.sub(r"details\.(statistic|sanction|event|person|statement)\b", "details", where)
        msg = str(err["msg"]).removeprefix("Value error, ")
        lines.append(f"{prefix}{where or 'fact'}: {msg}")
    return lines


def fact_from_json(data: Any) -> Fact:
    """Validate decoded JSON as a Fact; ValidationFailed names each bad field."""
    if not isinstance(data, dict):
        raise ValidationFailed(["the fact must be a JSON object"])
    try:
        return Fact.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(problems_of(exc)) from None
    except RecursionError:
        raise ValidationFailed(["the fact is nested too deeply"]) from None


def split_json_and_reason(raw: str) -> tuple[Any, str]:
    """A JSON value at the start of ``raw`` and the text after it (a "| reason" part).

    InputError says where the JSON breaks.
    """
    text = raw.strip()
    try:
        value, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            "That is not valid JSON: {problem} at line {line}, column {column}.",
            problem=exc.msg,
            line=exc.lineno,
            column=exc.colno,
        ) from None
    except RecursionError:
        raise InputError("That is not valid JSON: it is nested too deeply.") from None
    rest = text[end:].strip()
    return value, rest.removeprefix("|").strip()


def build_fact(kind: Kind, answers: dict[str, Any], *, fact_id: str) -> Fact:
    """A new fact of ``kind`` from /add answers; ValidationFailed names each bad field."""
    details: dict[str, Any] = {"kind": kind.value}
    for key, value in answers.items():
        if key.startswith("details.") and value is not None:
            details[key.removeprefix("details.")] = value
    data = {
        "id": fact_id,
        "kind": kind.value,
        "text": answers.get("text"),
        "details": details,
        "citations": [{"source": answers.get("source"), "quote": answers.get("quote")}],
        "topics": answers.get("topics") or [],
        "related": answers.get("related") or [],
    }
    fact = fact_from_json(data)
    # The language fields go on one at a time, as /edit sets them (the claim first).
    ordered = sorted(
        (k for k, v in answers.items() if k.startswith("translations.") and v is not None),
        key=lambda k: not k.endswith(".text"),
    )
    for key in ordered:
        fact = with_field(fact, key, answers[key])
    return fact


def current_value(fact: Fact, key: str) -> Any:
    """The value a field has in ``fact`` (JSON form), None when unset."""
    data = fact.model_dump(mode="json", exclude_none=True)
    if key == "quote":
        return data["citations"][0]["quote"]
    if key == "source":
        return data["citations"][0]["source"]
    if key.startswith("translations."):
        _, lang, name = key.split(".")
        translation = data.get("translations", {}).get(lang, {})
        value = translation.get(name)
        if name == "quotes":
            return value[0] if value else None
        return value or None
    if key.startswith("details."):
        return data["details"].get(key.removeprefix("details."))
    return data.get(key)


def with_field(fact: Fact, key: str, value: Any) -> Fact:
    """``fact`` with one field changed (None clears an optional one); ValidationFailed if
    the result does not fit the model."""
    data = fact.model_dump(mode="json", exclude_none=True)
    if key in ("quote", "source"):
        data["citations"][0][key] = value
    elif key.startswith("translations."):
        _with_translation(data, key, value)
    elif key.startswith("details."):
        name = key.removeprefix("details.")
        if value is None:
            data["details"].pop(name, None)
        else:
            data["details"][name] = value
    elif value is None:
        data[key] = [] if key in ("topics", "related") else None
    else:
        data[key] = value
    return fact_from_json(data)


def _with_translation(data: dict[str, Any], key: str, value: Any) -> None:
    """Set ``translations.<lang>.<name>`` in a fact's JSON form: clearing the claim drops
    that language's translation; its other parts need the claim first."""
    _, lang, name = key.split(".")
    translations = data.setdefault("translations", {})
    current = translations.get(lang)
    if name == "text":
        if value is None:
            translations.pop(lang, None)
        else:
            translations[lang] = {**(current or {}), "text": value}
        return
    if current is None:
        if value is None:
            return
        raise ValidationFailed(
            [f"{key}: give the claim in this language first (the field claim-{lang})"]
        )
    if name == "quotes":
        # One quote translation per citation; /add and /edit set the first citation's.
        quotes = list(current.get("quotes") or [])
        quotes[:1] = [value]
        while quotes and quotes[-1] is None:
            quotes.pop()
        current["quotes"] = quotes
    elif name == "aliases":
        current["aliases"] = value or []
    elif value is None:
        current.pop(name, None)
    else:
        current[name] = value


def show_value(value: Any) -> str:
    """A field value as an admin reads it (plain text)."""
    if value is None:
        return "—"
    if isinstance(value, dict) and "date" in value:
        return str(value["date"])
    if isinstance(value, list):
        return "; ".join(show_value(v) for v in value) or "—"
    return str(value)


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        if set(value) <= {"date", "resolved_from", "approximate"} and "date" in value:
            out[prefix] = value["date"]
            return
        for k, v in value.items():
            _flatten(v, f"{prefix}.{k}" if prefix else k, out)
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        for n, v in enumerate(value, start=1):
            _flatten(v, f"{prefix}.{n}", out)
    else:
        out[prefix] = value


def changes(old: Fact, new: Fact) -> list[tuple[str, str, str]]:
    """(field, old, new) for every field that differs, revision number left out."""
    a: dict[str, Any] = {}
    b: dict[str, Any] = {}
    _flatten(old.model_dump(mode="json", exclude_none=True), "", a)
    _flatten(new.model_dump(mode="json", exclude_none=True), "", b)
    out = []
    for key in [*a, *(k for k in b if k not in a)]:
        if key == "revision" or a.get(key) == b.get(key):
            continue
        out.append((key, show_value(a.get(key)), show_value(b.get(key))))
    return out


# --- ids -------------------------------------------------------------------------------------
_MONTHS = "january february march april may june july august september october november december"
#: Words an id is better without: dates go at the end anyway.
_ID_NOISE = frozenset(["a", "an", "the", "on", "in", "of", "at", "by", "to", *_MONTHS.split()])


def slugify(
    text: str, *, max_words: int = 6, max_length: int = 40, drop_noise: bool = False
) -> str:
    """Lower-case ASCII words of ``text`` joined by hyphens ("" when none); ``drop_noise``
    leaves out articles, prepositions, month names and bare numbers."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    ascii_text = folded.encode("ascii", "ignore").decode()
    words = [w for w in re.split(r"[^a-z0-9]+", ascii_text) if w]
    if drop_noise:
        words = [w for w in words if w not in _ID_NOISE and not w.isdigit()]
    slug = ""
    for word in words[:max_words]:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug


def unique_id(base: str, taken: Container[str]) -> str:
    """``base`` itself, or with -2, -3… appended until it is free."""
    base = base[: MAX_ID_LENGTH - 4].strip("-") or "fact"
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def suggest_fact_id(kind: Kind, answers: dict[str, Any], taken: Container[str]) -> str:
    """An id for a new fact: a few words of what it is about, and its date when it has one."""
    imposed_by = answers.get("details.imposed_by") or []
    if kind is Kind.STATISTIC and answers.get("details.unit"):
        words = slugify(str(answers["details.unit"]), max_words=4)
    elif kind is Kind.PERSON and answers.get("details.name"):
        prefix = "org" if answers.get("details.entity") == EntityType.ORGANISATION else "person"
        words = f"{prefix}-{slugify(str(answers['details.name']))}"
    elif kind is Kind.SANCTION and imposed_by:
        words = f"sanction-{slugify(str(imposed_by[0]), max_words=3)}"
    elif kind is Kind.STATEMENT and answers.get("details.speaker"):
        words = f"statement-{slugify(str(answers['details.speaker']), max_words=3)}"
    else:
        words = slugify(str(answers.get("text", "")), drop_noise=True)
    when = answers.get("details.as_of") or answers.get("details.date")
    date = when["date"] if isinstance(when, dict) else ""
    base = "-".join(p for p in (words or kind.value, date) if p)
    return unique_id(base, taken)


def successor_id(old: Fact, new_date: str | None, taken: Container[str]) -> str:
    """An id for the fact superseding ``old``: its id with the date replaced by the new one."""
    stem = re.sub(r"(-\d{4}(?:-\d{2}){0,2})+$", "", old.id) or old.id
    base = f"{stem}-{new_date}" if new_date else stem
    return unique_id(base, taken)


def new_source(answers: dict[str, Any], taken: Container[str]) -> Source:
    """A source from the /addsource answers (source.title, .outlet, .published, .url)."""
    title = answers.get("source.title") or ""
    published = answers.get("source.published")
    date = published["date"] if isinstance(published, dict) else None
    base = "-".join(p for p in (slugify(title, max_words=5), date) if p) or "source"
    source_id = unique_id(base, taken)
    url = answers.get("source.url")
    data: dict[str, Any] = {
        "id": source_id,
        # There is no document file for a source added in Telegram; the URL, when given,
        # is where the text is.
        "file": url[:200] if url else f"telegram/{source_id}",
        "title": title,
        "outlet": answers.get("source.outlet"),
        "published": published,
        "date_basis": DateBasis.STATED.value if published else DateBasis.UNKNOWN.value,
        "date_note": (
            "Publication date as entered by an admin in Telegram."
            if published
            else "Publication date not given when the source was added in Telegram."
        ),
        "url": url,
    }
    try:
        return Source.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(problems_of(exc, "source ")) from None


def source_from_form(raw: str, taken: Container[str]) -> Source:
    """A source from one message: a JSON Source, or ``title | outlet | date | url``
    (trailing parts optional, - for none)."""
    text = raw.strip()
    if text.startswith("{"):
        data, _ = split_json_and_reason(text)
        if not isinstance(data, dict):
            raise InputError("The source must be a JSON object.")
        try:
            return Source.model_validate(data)
        except ValidationError as exc:
            raise ValidationFailed(problems_of(exc, "source ")) from None
    parts = [p.strip() for p in text.split("|")]
    if len(parts) > 4 or not parts[0]:
        raise InputError(
            "Write the source as: title | outlet | date | url (outlet, date and url are "
            "optional; - for none)."
        )
    specs = SOURCE_FIELDS[: len(parts)]
    answers = {spec.key: parse_answer(spec, part) for spec, part in zip(specs, parts, strict=True)}
    return new_source(answers, taken)
