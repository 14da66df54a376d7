"""The fields the admin dialogues ask, in order, with their prompts: each one's place in
the fact, its short name (buttons, ``/edit <id> <name> <value>``) and its parser.

The parsers and what a fact's fields become are domain rules (:mod:`facts.fields`,
:mod:`facts.edits`); this module only adds the questions asked in Telegram.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.i18n import N_
from facts.fields import (
    SOURCE_PARTS,
    choice,
    is_skip,
    parse_claim,
    parse_count,
    parse_date,
    parse_list,
    parse_number,
    parse_quote,
    parse_related,
    parse_short,
    parse_slug,
    parse_terms,
    parse_topics,
)
from facts.model import EntityType, Fact, Kind, Qualifier, SanctionStatus
from facts.violations import Reason, RuleViolation


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
        "terms": _f(
            "translations.ru.terms",
            "terms-ru",
            "The fact's values (who imposed, on whom, roles, speaker…) in Russian, one per "
            "line as English = translation, the English exactly as /fact shows it (e.g. "
            "Canada = Канада); English = - drops one term, - alone drops them all.",
            parse_terms,
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
        "terms": _f(
            "translations.be.terms",
            "terms-be",
            "The fact's values (who imposed, on whom, roles, speaker…) in Belarusian, one per "
            "line as English = translation, the English exactly as /fact shows it (e.g. "
            "Canada = Канада); English = - drops one term, - alone drops them all.",
            parse_terms,
            optional=True,
        ),
    },
}


TRANSLATION_LANGUAGES = ("ru", "be")
CLAIMS_IN = tuple(_PROMPTS_IN[lang]["text"] for lang in TRANSLATION_LANGUAGES)
NAMES_IN = tuple(_PROMPTS_IN[lang]["name"] for lang in TRANSLATION_LANGUAGES)
ALIASES_IN = tuple(_PROMPTS_IN[lang]["aliases"] for lang in TRANSLATION_LANGUAGES)
QUOTES_IN = tuple(_PROMPTS_IN[lang]["quotes"] for lang in TRANSLATION_LANGUAGES)
TERMS_IN = tuple(_PROMPTS_IN[lang]["terms"] for lang in TRANSLATION_LANGUAGES)


def translation_fields(kind: Kind, *, full: bool = False) -> list[FieldSpec]:
    """The language fields a fact of ``kind`` is asked (``full``: every one, for /edit)."""
    fields = list(CLAIMS_IN)
    if kind is Kind.PERSON:
        fields += NAMES_IN
        if full:
            fields += ALIASES_IN
    if full:
        fields += [*QUOTES_IN, *TERMS_IN]
    return fields


#: Fields asked when a source is added during /add: the parts of a one-line source
#: (facts.fields.SOURCE_PARTS), each with its name and question.
_SOURCE_QUESTIONS = (
    ("title", N_("The new source's title.")),
    ("outlet", N_("Its outlet or publisher (e.g. VOA), or - if none.")),
    ("published", N_("Its publication date (YYYY, YYYY-MM or YYYY-MM-DD), or - if unknown.")),
    ("url", N_("Its web address, or - if none.")),
)
SOURCE_FIELDS: tuple[FieldSpec, ...] = tuple(
    FieldSpec(key, name, prompt, parse, optional=optional)
    for (key, parse, optional), (name, prompt) in zip(SOURCE_PARTS, _SOURCE_QUESTIONS, strict=True)
)


def add_fields(kind: Kind) -> list[FieldSpec]:
    """The questions /add asks for a new fact of ``kind``, in order."""
    return [TEXT, *KIND_FIELDS[kind], SOURCE, QUOTE, TOPICS, *translation_fields(kind)]


def edit_fields(fact: Fact) -> list[FieldSpec]:
    """Every field of ``fact`` that /edit can change."""
    fields = [TEXT, *KIND_FIELDS[fact.kind], QUOTE, SOURCE, TOPICS, RELATED]
    return fields + translation_fields(fact.kind, full=True)


def supersede_fields(fact: Fact) -> list[FieldSpec]:
    """What /supersede asks: the new value and date, the claim, the citation."""
    specs = edit_fields(fact)
    wanted = {
        Kind.STATISTIC: ["details.value", "details.as_of"],
        Kind.SANCTION: ["details.status", "details.date"],
        Kind.EVENT: ["details.date"],
        Kind.STATEMENT: ["details.date"],
        Kind.PERSON: [],
    }[fact.kind]
    by_key = {s.key: s for s in specs}
    # The old translations say the old value: the new fact's are asked anew (or left out,
    # and then shown in English with a note), never carried over.
    return [by_key[k] for k in wanted] + [TEXT, SOURCE, QUOTE, *translation_fields(fact.kind)]


def find_field(fields: Iterable[FieldSpec], name: str) -> FieldSpec | None:
    """The field called ``name`` (its short name or key, case-insensitive; _ for -)."""
    wanted = name.strip().lower().replace("_", "-")
    for spec in fields:
        if wanted in (spec.name, spec.key.replace("_", "-"), spec.key.split(".")[-1]):
            return spec
    if wanted == "text":
        return next((s for s in fields if s.key == "text"), None)
    return None


def skipped(raw: str) -> bool:
    """True when the admin asked to leave an optional field empty: a skip word, or the
    /skip command typed as the value."""
    return raw.strip().lower() == "/skip" or is_skip(raw)


def parse_answer(spec: FieldSpec, raw: str) -> Any:
    """The value of ``raw`` for ``spec``; None when an optional field is skipped."""
    if spec.optional and skipped(raw):
        return None
    return spec.parse(raw)


#: The field a refusal of the rules is about, by its reason (see field_of_problem).
_FIELD_OF_REASON: dict[Reason, str] = {
    Reason.CLAIM_LACKS_WORDING: TEXT.key,
    Reason.CLAIM_LACKS_VALUE: TEXT.key,
    Reason.CLAIM_LACKS_QUALIFIER: TEXT.key,
    Reason.FIGURE_NOT_IN_QUOTES: QUOTE.key,
    Reason.QUOTE_NOT_IN_DOCUMENT: QUOTE.key,
    Reason.UNKNOWN_SOURCE: SOURCE.key,
}


def field_of_problem(error: Exception) -> str:
    """The key of the field the first refusal of ``error`` is about ("" when none is
    named): where a dialogue asks again after the rules refuse its answers."""
    if not isinstance(error, RuleViolation) or not error.violations:
        return ""
    first = error.violations[0]
    if first.reason is Reason.TRANSLATION_LACKS_VALUE:
        return f"translations.{first.values.get('lang', '')}.text"
    if first.reason is Reason.DATE_AFTER_SOURCE:
        return first.values.get("field", "")
    return _FIELD_OF_REASON.get(first.reason, "")
