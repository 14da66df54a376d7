"""Facts built and changed field by field (the admin dialogues' answers), what changed
between two revisions, and ids for new facts and sources.

No Telegram here: pure functions over :mod:`facts.model`; a fact that does not fit the
model raises ValidationFailed naming each bad field, a typed value that cannot be used an
:class:`facts.fields.InputError`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Container
from typing import Any

from pydantic import ValidationError

from facts.errors import ValidationFailed
from facts.fields import SOURCE_PARTS, InputError, is_skip
from facts.model import MAX_ID_LENGTH, DateBasis, EntityType, Fact, Kind, Source, Status
from facts.terms import without_stale_terms


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
        # A value changed away leaves its terms nothing to translate (the preview shows
        # them go).
        return without_stale_terms(fact_from_json(data))
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
    elif name == "terms":
        # Lines given are merged into the terms there are; None drops one, and clearing
        # the field (value None) drops them all.
        terms = dict(current.get("terms") or {}) if value is not None else {}
        for english, translated in (value or {}).items():
            if translated is None:
                terms.pop(english, None)
            else:
                terms[english] = translated
        current["terms"] = terms
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
    if isinstance(value, dict):
        # A translation's terms: one "English = translation" line each.
        return "\n".join(f"{k} = {show_value(v)}" for k, v in value.items()) or "—"
    if isinstance(value, list):
        return "; ".join(show_value(v) for v in value) or "—"
    return str(value)


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if value == []:
        return  # an empty list is the same value as none: not a change
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


def successor_fact(old: Fact, answers: dict[str, Any], taken: Container[str]) -> Fact:
    """The current fact superseding ``old``: its content with the answered fields (keyed as
    :func:`with_field` takes them) set, no translations carried over, a new id."""
    new = old.model_copy(update={"translations": {}})
    # The claim in each language before the parts that hang on it.
    for key in sorted(answers, key=lambda k: k.startswith("translations.") and "text" not in k):
        value = answers[key]
        if value != current_value(new, key):
            new = with_field(new, key, value)
    when = new.date
    new_id = successor_id(old, when.date if when is not None else None, taken)
    return fact_from_json(
        {
            **new.model_dump(mode="json", exclude_none=True),
            "id": new_id,
            "status": Status.CURRENT.value,
            "revision": 1,
        }
    )


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


def source_from_form(
    raw: str, taken: Container[str], *, skipped: Callable[[str], bool] = is_skip
) -> Source:
    """A source from one message: a JSON Source, or ``title | outlet | date | url``
    (trailing parts optional, - for none; ``skipped`` says which part asks for none)."""
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
    answers = {
        key: None if optional and skipped(part) else parse(part)
        for (key, parse, optional), part in zip(SOURCE_PARTS, parts, strict=False)
    }
    return new_source(answers, taken)
