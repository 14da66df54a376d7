"""The fact model: sources, citations and facts, shaped like Wikidata statements.

A fact is a claim with a structured value (``details``, one shape per kind), its
references (``citations``: a source plus the verbatim quote that supports it), and a
rank (``status``: current, superseded or retracted). Superseded and retracted facts are
kept; nothing is ever deleted. Every change is a :class:`Revision`.

This module imports neither ``telegram`` nor ``tinydb``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    model_validator,
)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
#: Fact ids double as deep-link payloads (``/start fact_<id>``, at most 64 characters
#: of ``[A-Za-z0-9_-]``), hence the length limit.
MAX_ID_LENGTH = 58
MAX_TEXT_LENGTH = 1000
MAX_QUOTE_LENGTH = 2000

Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, min_length=2, max_length=MAX_ID_LENGTH),
]
#: Direction overrides, embeddings and isolates: they reorder what follows them when shown
#: (a claim could read backwards, or hide its end); no text of the base needs them.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


#: What :func:`visible_text` refuses anywhere: control characters but line breaks and tabs,
#: DEL, direction overrides.
_INVISIBLE_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
#: Letters and digits that are visible whatever surrounds them: one of them settles the
#: "something visible" check without looking at each character's Unicode category.
_PLAINLY_VISIBLE = re.compile("[0-9A-Za-z\u0410-\u044f]")


def visible_text(text: str) -> str:
    """``text`` if it can be shown as it is: no control characters (NUL…) but line breaks
    and tabs, no direction overrides, and something visible (not only zero-width or
    format characters)."""
    # Every fact's texts pass through here when a snapshot is loaded: the two searches
    # decide almost every text; the loops below (the rule itself) decide the rest.
    if _INVISIBLE_CONTROL.search(text) is None and _PLAINLY_VISIBLE.search(text) is not None:
        return text
    for ch in text:
        if (ch < " " and ch not in "\n\t\r") or ch == "\x7f" or ch in _BIDI_CONTROLS:
            raise ValueError(f"the text holds the invisible control character U+{ord(ch):04X}")
    if not any(not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Mn") for ch in text):
        raise ValueError("the text has nothing visible in it (only zero-width characters)")
    return text


ShortText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
    AfterValidator(visible_text),
]
LongText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT_LENGTH),
    AfterValidator(visible_text),
]

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class Precision(StrEnum):
    """How precisely a date is known."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


def _check_partial_date(value: str) -> str:
    match = _PARTIAL_DATE.match(value)
    if match is None:
        raise ValueError(f"{value!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a real date: {exc}") from None
    return value


PartialDate = Annotated[str, AfterValidator(_check_partial_date)]


class Model(BaseModel):
    """Base for every model: strict about unknown fields, immutable once built."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class When(Model):
    """A date known to day, month or year, and how it was arrived at.

    ``resolved_from`` records relative wording that was resolved against the document's
    date ("on Friday", "14 years ago", "this February").
    """

    date: PartialDate
    resolved_from: ShortText | None = None
    approximate: bool = False

    @property
    def precision(self) -> Precision:
        """Day, month or year, read off the shape of ``date``."""
        return {1: Precision.YEAR, 2: Precision.MONTH, 3: Precision.DAY}[len(self.date.split("-"))]

    @property
    def sort_key(self) -> str:
        """A string that sorts chronologically; partial dates sort first in their span."""
        return self.date

    def start(self) -> dt.date:
        """The first day the date can stand for."""
        parts = [int(p) for p in self.date.split("-")]
        parts += [1] * (3 - len(parts))
        return dt.date(parts[0], parts[1], parts[2])


class DateBasis(StrEnum):
    """How a source's publication date is known."""

    STATED = "stated"
    INFERRED = "inferred"
    UNKNOWN = "unknown"


#: The languages a fact or a source may be translated into (English is the original).
Lang = Literal["ru", "be"]
TRANSLATION_LANGS: tuple[Lang, ...] = ("ru", "be")


class SourceTranslation(Model):
    """A source's title (and outlet) in another language: a translation, not the
    document's own words."""

    title: ShortText
    #: The outlet's name as this language writes it (None: shown as in English).
    outlet: ShortText | None = None


def _relative_name(name: str) -> str:
    if name.startswith("/") or ".." in name.split("/"):
        raise ValueError("a name inside the sources directory (or a URL), not a path out of it")
    return name


class Source(Model):
    """A source document that facts cite."""

    id: Slug
    #: The document's file name in the sources directory (or its URL, for a source added
    #: in Telegram): never an absolute path or one with "..", since ``factbot facts check
    #: --sources`` reads it (``../../etc/shadow`` must not be read).
    file: Annotated[
        str,
        StringConstraints(min_length=1, max_length=200, pattern=r"^[^\\\x00-\x1f]+$"),
        AfterValidator(_relative_name),
    ]
    title: ShortText
    outlet: ShortText | None = None
    author: ShortText | None = None
    published: When | None = None
    date_basis: DateBasis
    date_note: LongText
    url: HttpUrl | None = None
    note: LongText | None = None
    #: The document's text, by content address (facts/documents.py); None: not stored.
    document: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = None
    #: The title translated into Russian and Belarusian (marked as translations when shown).
    translations: dict[Lang, SourceTranslation] = Field(default_factory=dict)


class Citation(Model):
    """A reference: the source document and the verbatim quote that supports the claim."""

    source: Slug
    quote: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=3, max_length=MAX_QUOTE_LENGTH),
        AfterValidator(visible_text),
    ]


class Kind(StrEnum):
    """What sort of claim a fact makes."""

    STATISTIC = "statistic"
    SANCTION = "sanction"
    EVENT = "event"
    PERSON = "person"
    STATEMENT = "statement"


class Qualifier(StrEnum):
    """How a number is qualified in the source."""

    EXACTLY = "exactly"
    AT_LEAST = "at least"
    MORE_THAN = "more than"
    ABOUT = "about"
    UP_TO = "up to"
    SEVERAL = "several"


class StatisticDetails(Model):
    """A counted or measured value."""

    kind: Literal[Kind.STATISTIC] = Kind.STATISTIC
    value: int | float
    #: The value as the source words it when it is not a plain number ("thousands").
    value_text: ShortText | None = None
    unit: ShortText
    qualifier: Qualifier = Qualifier.EXACTLY
    as_of: When
    counted_by: ShortText | None = None


class SanctionStatus(StrEnum):
    """Where a restrictive measure stands."""

    IMPOSED = "imposed"
    DISCUSSED = "discussed"
    PROPOSED = "proposed"
    THREATENED = "threatened"
    LIFTED = "lifted"


class SanctionDetails(Model):
    """A restrictive measure: who imposed what on whom, and when."""

    kind: Literal[Kind.SANCTION] = Kind.SANCTION
    imposed_by: list[ShortText] = Field(min_length=1)
    targets: list[ShortText] = Field(min_length=1)
    persons_count: int | None = Field(default=None, ge=0)
    measures: list[ShortText] = Field(min_length=1)
    date: When | None = None
    status: SanctionStatus


class EventDetails(Model):
    """Something that happened on a date."""

    kind: Literal[Kind.EVENT] = Kind.EVENT
    date: When
    place: ShortText | None = None
    participants: list[ShortText] = Field(default_factory=list)


class EntityType(StrEnum):
    """A person or an organisation (organisations share the person kind, like Wikidata items)."""

    PERSON = "person"
    ORGANISATION = "organisation"
    COUNTRY = "country"


class Role(Model):
    """A role a person holds, with the organisation and the date it is stated for."""

    title: ShortText
    organisation: ShortText | None = None
    as_of: When | None = None


class PersonDetails(Model):
    """A person or organisation: names under every spelling, and roles."""

    kind: Literal[Kind.PERSON] = Kind.PERSON
    entity: EntityType = EntityType.PERSON
    name: ShortText
    aliases: list[ShortText] = Field(default_factory=list)
    roles: list[Role] = Field(default_factory=list)


class StatementDetails(Model):
    """Something someone said: a record of who said it, not that it is true."""

    kind: Literal[Kind.STATEMENT] = Kind.STATEMENT
    speaker: ShortText
    audience: ShortText | None = None
    date: When | None = None


Details = Annotated[
    StatisticDetails | SanctionDetails | EventDetails | PersonDetails | StatementDetails,
    Field(discriminator="kind"),
]


class FactTranslation(Model):
    """A fact in another language: always a translation of the English claim.

    Quotes are never translated in place: a citation's translation, where given, is in
    ``quotes`` at the citation's index and is shown labelled as a translation.
    """

    text: LongText
    #: A person's or organisation's name and its usual spellings in this language.
    name: ShortText | None = None
    aliases: list[ShortText] = Field(default_factory=list)
    #: Translations of the citations' quotes, by citation index (None: not translated).
    quotes: list[Annotated[str, StringConstraints(max_length=MAX_QUOTE_LENGTH)] | None] = Field(
        default_factory=list
    )
    #: The fact's structured values (a sanction's imposers, a role's title, a statement's
    #: speaker… see :func:`facts.terms.structured_strings`) as this language writes them:
    #: English value → its translation. A value without one is shown in English.
    terms: dict[ShortText, ShortText] = Field(default_factory=dict)


class Status(StrEnum):
    """A fact's rank: current, replaced by a newer fact, or withdrawn."""

    CURRENT = "current"
    SUPERSEDED = "superseded"
    RETRACTED = "retracted"


Topic = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=40)]


class Fact(Model):
    """One cited claim with its structured value, references and rank."""

    id: Slug
    kind: Kind
    text: LongText
    details: Details
    citations: list[Citation] = Field(min_length=1)
    status: Status = Status.CURRENT
    superseded_by: Slug | None = None
    retraction_reason: LongText | None = None
    topics: list[Topic] = Field(default_factory=list)
    #: Ids of facts this one is about or relates to (a statement's speaker, say).
    related: list[Slug] = Field(default_factory=list)
    #: The claim in Russian and Belarusian, marked as translations.
    translations: dict[Lang, FactTranslation] = Field(default_factory=dict)
    #: Questions subscribers asked that this fact answers, attached by an admin so that
    #: the same and similar questions are answered next time.
    questions: list[ShortText] = Field(default_factory=list)
    revision: int = Field(default=1, ge=1)

    @model_validator(mode="after")
    def _consistent(self) -> Fact:
        if self.details.kind != self.kind:
            raise ValueError(
                f"kind: is {self.kind.value!r} but details are for {self.details.kind.value!r}"
            )
        if self.status is Status.SUPERSEDED and self.superseded_by is None:
            raise ValueError("superseded_by: a superseded fact must name its successor")
        if self.status is not Status.SUPERSEDED and self.superseded_by is not None:
            raise ValueError("superseded_by is only for superseded facts")
        if self.status is Status.RETRACTED and not self.retraction_reason:
            raise ValueError("retraction_reason: a retracted fact must say why it was retracted")
        if self.superseded_by == self.id:
            raise ValueError("a fact cannot supersede itself")
        return self

    @property
    def is_current(self) -> bool:
        """True when the fact may be shown as current."""
        return self.status is Status.CURRENT

    @property
    def date(self) -> When | None:
        """The date the fact is about, whatever its kind (None when it has none)."""
        d = self.details
        if isinstance(d, StatisticDetails):
            return d.as_of
        if isinstance(d, PersonDetails):
            return None
        return d.date

    def with_question(self, question: str) -> Fact:
        """This fact with a subscriber's question attached (the search then answers the
        same and similar questions with it); unchanged when it holds that question already.
        ValueError when the question is empty or too long."""
        text = " ".join(question.split())
        if any(q.casefold() == text.casefold() for q in self.questions):
            return self
        return Fact.model_validate(
            {**self.model_dump(mode="json"), "questions": [*self.questions, text]}
        )

    @property
    def names(self) -> list[str]:
        """Every name and alias the fact goes by (people and organisations only)."""
        if not isinstance(self.details, PersonDetails):
            return []
        names = [self.details.name, *self.details.aliases]
        for translation in self.translations.values():
            names += [n for n in (translation.name, *translation.aliases) if n and n not in names]
        return names


class Action(StrEnum):
    """What a revision did."""

    SEEDED = "seeded"
    CREATED = "created"
    EDITED = "edited"
    SUPERSEDED = "superseded"
    RETRACTED = "retracted"
    REVERTED = "reverted"
    IMPORTED = "imported"


class Revision(Model):
    """One change to a fact: who, when, why, and the version it produced.

    The previous version is the revision before it (``revision - 1``), so history is a
    chain of full snapshots and "what did we say on date X" is the newest revision at or
    before X.
    """

    fact_id: Slug
    revision: int = Field(ge=1)
    action: Action
    at: dt.datetime
    by: ShortText
    reason: LongText
    fact: Fact


class Bundle(Model):
    """The whole base as exported and imported: sources and facts."""

    format: Literal["factbot/1"] = "factbot/1"
    sources: list[Source]
    facts: list[Fact]
    #: The sources' documents: content address (SHA-256 of the UTF-8 text) → text.
    documents: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _unique_and_linked(self) -> Bundle:
        problems = bundle_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self


def bundle_problems(bundle: Bundle) -> list[str]:
    """Cross-record problems: duplicate ids and references that point nowhere."""
    problems: list[str] = []
    source_ids = [s.id for s in bundle.sources]
    fact_ids = [f.id for f in bundle.facts]
    for label, ids in (("source", source_ids), ("fact", fact_ids)):
        seen: set[str] = set()
        for i in ids:
            if i in seen:
                problems.append(f"{label} {i!r}: duplicate id")
            seen.add(i)
    for doc_id, text in bundle.documents.items():
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != doc_id:
            problems.append(f"documents {doc_id[:16]!r}…: the text does not match its id")
    known_sources, known_facts = set(source_ids), set(fact_ids)
    for fact in bundle.facts:
        for n, citation in enumerate(fact.citations):
            if citation.source not in known_sources:
                problems.append(
                    f"fact {fact.id!r}: citations.{n}.source {citation.source!r}"
                    " is not a known source"
                )
        if fact.superseded_by is not None and fact.superseded_by not in known_facts:
            problems.append(
                f"fact {fact.id!r}: superseded_by {fact.superseded_by!r} is not a known fact"
            )
        for related in fact.related:
            if related not in known_facts:
                problems.append(f"fact {fact.id!r}: related {related!r} is not a known fact")
    return problems
