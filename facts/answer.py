"""Question answering over the fact base: pick the facts that answer a question, or refuse.

Pure (no Telegram): :func:`answer` takes the question and anything shaped like the store
(:class:`FactSource`) and returns an :class:`Answer`. The steps:

1. Read the question's intent from cue words ("how many" → a count, "when" → a date,
   "who is X" or a bare name → X's profile, "sanction" → sanctions, "say" → statements).
2. Keep its content words, each weighted by how rare it is in the base; find the people
   and organisations it names (under any spelling); note the words an answer must
   contain: those names, years, proper nouns, the thing a "how many" counts, "next".
3. Retrieve candidates with the ranked search and score each by the weighted share of the
   question's words it contains (quotes count a little less than the claim), how well its
   kind suits the intent, its search rank, and whether its subject is who was asked about.
4. Answer only with a candidate that covers enough of the question (and at least two of
   its words), contains every required word and named entity, has a count or a date when
   asked for one, and says the thing of the person asked about rather than of someone
   else it mentions. Otherwise refuse (``found=False``) with close matches and commands.

No question texts or fact ids live here: every rule is about words, kinds and names.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Generic, Protocol, TypeVar

from facts.duplicates import merge_same
from facts.errors import NotFoundError
from facts.freshness import asks_now
from facts.lang import (
    SLAVIC_STOP_WORDS,
    has_cyrillic,
    latin_russian,
    month_names,
    slavic_stem,
)
from facts.model import (
    EntityType,
    EventDetails,
    Fact,
    Kind,
    PersonDetails,
    SanctionDetails,
    StatementDetails,
)
from facts.names import distance, fold, name_tokens, phonetic, similarity
from facts.polarity import Polarity, asks_yes_no, verdict
from facts.search import (
    STOP_WORDS,
    SearchIndex,
    Token,
    analyze,
    details_text,
    fact_fields,
    stem,
    translation_fields,
    without_stop_words,
)
from facts.store import SearchHit


class FactSource(Protocol):
    """What answering needs of the store (``FactStore`` satisfies it)."""

    def search(
        self, query: str, *, limit: int = 10, kinds: Collection[Kind] | None = None
    ) -> list[SearchHit]:
        """Ranked text search over current facts."""
        ...

    def find_people(self, name: str, *, limit: int = 10) -> list[SearchHit]:
        """People and organisations whose name matches under any spelling."""
        ...

    def count_matching(self, query: str, *, cap: int) -> int:
        """How many facts ``search(query, limit=cap)`` would return."""
        ...

    def document_frequency(self, term: str) -> int:
        """How many facts contain the analysed search term ``term``."""
        ...

    def get(self, fact_id: str) -> Fact:
        """The fact with this id; NotFoundError otherwise."""
        ...

    def facts(
        self, *, kind: Kind | None = None, topic: str | None = None, include_inactive: bool = False
    ) -> list[Fact]:
        """Current facts, filtered by kind and/or topic."""
        ...


class IndexedFacts:
    """A :class:`FactSource` over a list of facts in memory (tests, tools, previews)."""

    def __init__(self, facts: Iterable[Fact]) -> None:
        self._facts = {f.id: f for f in facts}
        self._index = SearchIndex()
        for f in self._facts.values():
            if f.is_current:
                self._index.add(f)

    def search(
        self, query: str, *, limit: int = 10, kinds: Collection[Kind] | None = None
    ) -> list[SearchHit]:
        """Ranked text search over current facts."""
        hits = self._index.search(query, limit=limit, kinds=kinds)
        return [SearchHit(self._facts[h.fact_id], h.score) for h in hits]

    def count_matching(self, query: str, *, cap: int) -> int:
        """How many facts ``search(query, limit=cap)`` would return."""
        return self._index.count(query, cap=cap)

    def document_frequency(self, term: str) -> int:
        """How many facts contain the analysed search term ``term``."""
        return self._index.document_frequency(term)

    def find_people(self, name: str, *, limit: int = 10) -> list[SearchHit]:
        """People and organisations whose name matches under any spelling."""
        hits = self._index.names(name, limit=limit)
        return [SearchHit(self._facts[h.fact_id], h.score) for h in hits]

    def get(self, fact_id: str) -> Fact:
        """The fact with this id; NotFoundError otherwise."""
        try:
            return self._facts[fact_id]
        except KeyError:
            raise NotFoundError(f"no fact {fact_id!r}") from None

    def facts(
        self, *, kind: Kind | None = None, topic: str | None = None, include_inactive: bool = False
    ) -> list[Fact]:
        """Current facts (all with ``include_inactive``), filtered by kind and/or topic."""
        return [
            f
            for f in self._facts.values()
            if (include_inactive or f.is_current)
            and (kind is None or f.kind is kind)
            and (topic is None or topic in f.topics)
        ]


class Intent(StrEnum):
    """What sort of answer a question asks for."""

    COUNT = "count"
    DATE = "date"
    PERSON = "person"
    SANCTION = "sanction"
    STATEMENT = "statement"
    PLACE = "place"
    GENERAL = "general"


@dataclass(frozen=True, slots=True)
class Answer:
    """The facts that answer a question (best first), or a refusal with suggestions."""

    question: str
    found: bool
    facts: list[Fact]
    confidence: float
    intents: frozenset[Intent] = frozenset()
    suggestions: list[Fact] = field(default_factory=list)
    #: When nothing answers confidently: the single closest fact, close enough to offer
    #: clearly labelled as "This may answer it" (never counted as an answer).
    maybe: Fact | None = None
    #: For a yes/no question: what the facts say (None for other questions).
    polarity: Polarity | None = None
    #: The question asks about the present ("now", "latest"): say how old the figure is.
    asks_now: bool = False
    #: Facts that state the same as one of ``facts``, by its id: shown once, with all
    #: their citations.
    same: dict[str, list[Fact]] = field(default_factory=dict)

    @property
    def best(self) -> Fact | None:
        """The best fact, when the question was answered."""
        return self.facts[0] if self.found and self.facts else None


# --- reading the question -----------------------------------------------------------------

_INTENT_CUES: tuple[tuple[Intent, re.Pattern[str]], ...] = (
    (
        Intent.COUNT,
        re.compile(
            r"\bhow (?:many|much)\b|\bnumber of\b|\bfigures?\b|\bstatistic|\bcount\b"
            r"|\bpercent|\bpercentage\b|\bshare of\b|\bproportion\b|\bhow large\b"
            r"|\bhow old\b|\bwhat age\b|\bage of\b|сколько лет|колькі гадоў|возраст|узрост"
            r"|скольк|сколк|количеств|число|колькі|колькасць|лічб|процент|працэнт"
        ),
    ),
    (
        Intent.DATE,
        re.compile(
            r"\bwhen\b|\b(?:what|which) (?:date|day|year|month)\b|\bdate of\b|\bsince when"
            r"|когда|какого числа|в каком году|в каком месяце|калі\b|якога чысла|у якім годзе"
            r"|ў якім годзе|дата"
        ),
    ),
    (
        Intent.PLACE,
        re.compile(r"^\s*where\b|\bwhere (?:is|was|are|were|did|does|do)\b|^\s*где\b|^\s*дзе\b"),
    ),
    (
        Intent.PERSON,
        re.compile(r"^\s*(?:who|whom|whose)\b|\bwho (?:is|was|are|were)\b|^\s*(?:кто|хто)\b"),
    ),
    (
        Intent.SANCTION,
        re.compile(
            r"sanction|restrictive measure|travel (?:ban|restriction)|asset freeze|blacklist"
            r"|санкц|ограничительн|абмежавальн|чорны спіс|черный список"
        ),
    ),
    (
        Intent.STATEMENT,
        re.compile(
            r"\bsa(?:y|id|ys)\b|\bclaim|\bcall(?:ed|s)? (?:on|for)\b|\bposition\b"
            r"|сказал|заявил|заявлени|говорил|призвал|сказаў|заявіў|заява|казаў|заклікаў"
        ),
    ),
)

_PROFILE = re.compile(
    r"^\s*(?:who\s+(?:is|was|are|were)|who'?s|tell\s+me\s+(?:more\s+)?about"
    r"|what\s+do\s+you\s+know\s+about|what\s+(?:is|was)|what'?s|info(?:rmation)?\s+(?:on|about)"
    r"|profile\s+(?:of|for)"
    r"|кто\s+(?:такой|такая|такие|такое|это|был|была)|кто|что\s+(?:такое|за)"
    r"|расскажи(?:те)?\s+(?:мне\s+)?(?:о|об|про)|что\s+(?:известно|знаешь|вы\s+знаете)\s+(?:о|об|про)"
    r"|информация\s+(?:о|об|про)"
    r"|хто\s+(?:такі|такая|такія|гэта|быў|была)|хто|што\s+(?:такое|за)"
    r"|раскажы(?:це)?\s+(?:мне\s+)?(?:пра|аб|об)|што\s+(?:вядома|ведаеш)\s+(?:пра|аб)"
    r"|інфармацыя\s+(?:пра|аб))\s+(?P<name>.+?)\s*[?!.]*\s*$",
    re.IGNORECASE,
)

#: Phrases that only frame a question.
_FILLER_PHRASES = re.compile(
    r"\b(?:right now|at the moment|these days|so far|as of (?:today|now)|in total|all together"
    r"|tell me|do you know|can you|could you|i want to know|i'd like to know|i wonder)\b",
    re.IGNORECASE,
)
#: Words that frame a question but say nothing about what is asked.
_FILLER_TEXT = """
    many much number numbers figure figures count counted total exactly approximately
    roughly currently current today latest recent recently tell know information info give
    show find explain describe happen happened happens happening occur occurred take took
    taken place say said says saying mean means name named list kind type sort fact facts
    question answer data date day month year when who whom whose what which why how
    anything something someone anyone thing things according"""
_FILLER = frozenset(_FILLER_TEXT.split())
#: The country every fact is about: it does not help tell facts apart.
_DOMAIN_TERMS = frozenset(
    {"belarus", slavic_stem("беларусь"), slavic_stem("белоруссия"), slavic_stem("беларусі")}
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
#: Words that may stand around a bare name ("the OSCE?", "Lukashenko, please").
_BARE_NAME_WORDS = frozenset({"the", "a", "an", "please", "belarus", "belarusian"})
_FUTURE = frozenset({"next", "upcoming", "future", "forthcoming", "tomorrow"})

_MIN_COVERAGE = 0.56
_MIN_PREDICATE_COVERAGE = 0.4
#: The same for a Russian or Belarusian question, whose verbs often differ from the
#: translation's in aspect or stem (встречался / встретился): calibrated on the
#: development sets.
_MIN_COVERAGE_SLAVIC = 0.53
_MIN_PREDICATE_SLAVIC = 0.2
_NAME_MATCH = 0.8
_CANDIDATES = 30
_QUOTE_ONLY = 0.8
_WEAK = 0.25
#: Coverage of the closest non-passing fact for "This may answer it" (calibrated on the
#: development sets), and of a fact to be offered among the suggestions.
_HEDGE = 0.5
_SUGGEST = 0.3
_TYPO = 0.8
_DF_CAP = 200


@dataclass(slots=True)
class _Query:
    """What the question asks, after analysis."""

    text: str
    intents: set[Intent]
    content: list[Token]
    weights: dict[str, float]
    #: Entities the question names, and the question terms that name them.
    entities: dict[str, Fact]
    #: Question terms that name entities, and which.
    entity_terms: dict[str, set[str]]
    #: Terms every answer must contain (years and proper nouns).
    required: set[str]
    predicates: list[Token]
    #: Questions like "who met X" ask for the subject, so X need not be it.
    asks_who: bool
    #: In "when did <subject> <verb> …", the verb's term and the subject's terms.
    verb: str | None = None
    subject: set[str] = field(default_factory=set)
    #: Entities a "what did X say" question asks to hear from.
    speakers_asked: set[str] = field(default_factory=set)
    #: Terms no fact contains (typos, or things the base knows nothing of).
    unknown: set[str] = field(default_factory=set)
    #: The question is Russian or Belarusian.
    slavic: bool = False
    #: Speakers of statements already checked for being an entity the question names.
    speakers: dict[str, bool] = field(default_factory=dict)


@dataclass(slots=True)
class _Candidate:
    fact: Fact
    rank_score: float
    coverage: float = 0.0
    predicate_coverage: float = 1.0
    fit: float = 0.0
    passes: bool = False
    final: float = 0.0
    #: The fact lacks a year, name or place the question insists on: never offered.
    lacks_required: bool = False


@dataclass(frozen=True, slots=True)
class _FactText:
    """A fact analysed once: the terms of its claim (names, text, details) and of its
    quotes, phonetic word keys, and the tokens of the claim text."""

    claim: frozenset[str]
    quotes: frozenset[str]
    keys: frozenset[str]
    words: frozenset[str]
    text_tokens: tuple[Token, ...]
    lowercase: frozenset[str]
    capitalised: frozenset[str]
    pronouns: tuple[int, ...]
    #: Positions of names the claim excludes ("candidates other than Mr. Lukashenko").
    excluded: frozenset[int]
    #: Positions of words right after a form of "be" (passive verbs, mostly).
    passive: frozenset[int]


_T = TypeVar("_T")


class _PerFact(Generic[_T]):
    """What is computed from a fact, kept per fact object: a fact is immutable, so the same
    object always says the same, and an entry holds its fact so that no other object can
    take its identity. Two stores, or a fact reverted to an old revision number, never
    share an entry (a key of id and revision would)."""

    def __init__(self, compute: Callable[[Fact], _T], *, limit: int = 4096) -> None:
        self._compute = compute
        self._limit = limit
        self._entries: dict[int, tuple[Fact, _T]] = {}

    def __call__(self, fact: Fact) -> _T:
        entry = self._entries.get(id(fact))
        if entry is not None and entry[0] is fact:
            return entry[1]
        value = self._compute(fact)
        if len(self._entries) >= self._limit:
            self._entries.clear()
        self._entries[id(fact)] = (fact, value)
        return value


_SUBJECT_PRONOUNS = frozenset({"he", "she", "they"})
_BE = frozenset({"was", "were", "been", "be", "being", "is", "are"})
_EXCLUDING = frozenset({"other than", "rather than", "except", "excluding", "apart from", "not"})


def _excluded_positions(words: list[Token]) -> frozenset[int]:
    """Positions of the capitalised words right after "other than", "except", "not"…"""
    excluded: set[int] = set()
    for i, token in enumerate(words):
        pair = f"{words[i - 1].word} {token.word}" if i else ""
        if token.word in _EXCLUDING or pair in _EXCLUDING:
            for following in words[i + 1 : i + 4]:
                if not following.capital:
                    break
                excluded.add(following.position)
    return frozenset(excluded)


def _about_others(surnames: set[str], words: list[Token]) -> bool:
    """True when a profile's quote (its ``words``, stop words kept) names its person (by
    the phonetic keys of their ``surnames``) only to leave them out ("candidates other than
    Mr. Lukashenko"): the rest of that quote is about others."""
    named = [t.position for t in words if phonetic(t.word) in surnames]
    return bool(named) and set(named) <= _excluded_positions(words)


def _analyse(fact: Fact) -> _FactText:
    # Each text is analysed once, stop words kept; the claim and quote terms leave them out.
    # Topics are too coarse to count as matching a question's words.
    names, _, _, _ = fact_fields(fact)
    every_word = analyze(fact.text, keep_stop_words=True)
    text_tokens = tuple(without_stop_words(every_word))
    claim = [
        *analyze(names),
        *text_tokens,
        *analyze(" ".join(fact.questions)),
        *analyze(details_text(fact, topics=False)),
    ]
    surnames = {phonetic(words[-1]) for words in map(name_tokens, fact.names) if words}
    quoted: list[Token] = []
    for citation in fact.citations:
        words = analyze(citation.quote, keep_stop_words=True)
        if not (surnames and _about_others(surnames, words)):
            quoted += without_stop_words(words)
    every = [*claim, *quoted]
    return _FactText(
        claim=frozenset(t.term for t in claim),
        quotes=frozenset(t.term for t in quoted),
        keys=frozenset(phonetic(t.word) for t in every if t.word.isalpha()),
        words=frozenset(t.word for t in every if t.word.isalpha() and len(t.word) >= 4),
        text_tokens=text_tokens,
        lowercase=frozenset(t.word for t in text_tokens if not t.capital),
        capitalised=frozenset(t.word for t in text_tokens if t.capital and t.position > 0),
        pronouns=tuple(t.position for t in every_word if t.word in _SUBJECT_PRONOUNS),
        excluded=_excluded_positions(every_word),
        passive=frozenset(
            t.position for before, t in itertools.pairwise(every_word) if before.word in _BE
        ),
    )


_fact_text = _PerFact(_analyse)


def has_cyrillic_term(token: Token) -> bool:
    """True for a Russian or Belarusian word (its term is a Cyrillic stem)."""
    return has_cyrillic(token.term)


#: Month names (Russian and Belarusian write them in lower case): a date the answer must
#: hold, as a capitalised English month is. Both grammatical forms from CLDR (Babel), and
#: the Belarusian May as the seed's translations write it (траўня; CLDR has only "мая").
_SLAVIC_MONTHS = frozenset(
    slavic_stem(name.casefold())
    for name in [*month_names("ru"), *month_names("be"), "траўня", "травень"]
)
_SLAVIC_PAST = re.compile(r"\b[а-яёіў]{2,}[аеиыяэ](?:л|ла|ло|ли|лі|ў)\b", re.IGNORECASE)


def _slavic_past_verbs(question: str) -> set[str]:
    """The terms of the Russian and Belarusian past-tense verbs of ``question`` (стал,
    ввели, увёў): what a question about a date or a count turns on."""
    return {
        slavic_stem(w)
        for w in (m.group().casefold().replace("ё", "е") for m in _SLAVIC_PAST.finditer(question))
        if w not in SLAVIC_STOP_WORDS
    }


def _intents(question: str) -> set[Intent]:
    lowered = question.casefold()
    return {intent for intent, cue in _INTENT_CUES if cue.search(lowered)}


def _content_tokens(question: str) -> list[Token]:
    cleaned = _FILLER_PHRASES.sub(" ", question)
    return [t for t in analyze(cleaned) if t.word not in _FILLER]


def _name_keys(fact: Fact) -> list[list[str]]:
    """The phonetic keys of each name of a person or organisation."""
    return [k for k in ([phonetic(t) for t in name_tokens(n)] for n in fact.names) if k]


_alias_keys = _PerFact(_name_keys)


def _close(key: str, name_key: str) -> bool:
    """True when a question word spells a name word (a prefix only when it is long)."""
    return similarity(key, name_key, prefixes=len(key) >= 5) >= _NAME_MATCH


def _covered(alias: list[str], keys: Collection[str]) -> bool:
    return all(a in keys or any(_close(k, a) for k in keys) for a in alias)


_CYRILLIC_WORD = re.compile(r"[а-яёіўА-ЯЁІЎ]{4,}")


def _name_word(token: Token) -> str:
    """The word a name is looked up by: a Russian or Belarusian word by its stem, so that
    every case matches the name (Тихановскую, Ціханоўскай → tikhanovsk)."""
    return fold(token.term) if has_cyrillic_term(token) else token.word


def _named_entities(
    store: FactSource, content: list[Token]
) -> tuple[dict[str, Fact], dict[str, set[str]]]:
    """The people and organisations the question names, and for each question term that
    names one, which."""
    keys = {phonetic(_name_word(t)): t for t in content if t.term not in _DOMAIN_TERMS}
    entities: dict[str, Fact] = {}
    naming: dict[str, set[str]] = {}
    seen: set[str] = set()
    for token in content:
        if token.term in _DOMAIN_TERMS or token.word.isdigit():
            continue
        for hit in store.find_people(_name_word(token), limit=5):
            if hit.fact.id in seen:
                continue
            seen.add(hit.fact.id)
            for alias in _alias_keys(hit.fact):
                if _covered(alias, keys):
                    entities[hit.fact.id] = hit.fact
                    for k, t in keys.items():
                        if any(_close(k, a) for a in alias):
                            naming.setdefault(t.term, set()).add(hit.fact.id)
                    break
    # An entity whose name lies inside another's (OSCE in "OSCE Moscow Mechanism") still
    # counts: the answer must name both.
    return entities, naming


#: After "how many", the words up to one of these name what is counted.
_COUNTED = re.compile(r"\b(?:how (?:many|much)|number of|share of|percentage of|proportion of)\s+")
_COUNTED_END_TEXT = """
    are is were was did do does have has had there in on at by from to for since after
    before during according that who which would will can could remain remained were got
    get against"""
_COUNTED_END = frozenset(_COUNTED_END_TEXT.split())
#: Counted nouns too general to insist on ("how many people are political prisoners").
_GENERIC_COUNTED = frozenset(
    stem(w) for w in ("people", "person", "persons", "individuals", "citizens", "times")
)
_WHEN_AUX = re.compile(
    r"^\s*when\s+(?P<aux>did|does|do|was|were|is|are|has|have|had|will)\s+", re.IGNORECASE
)
_DETERMINERS = frozenset({"the", "a", "an", "its", "his", "her", "their", "this", "that"})
_AUXILIARIES = frozenset({"were", "was", "are", "is", "have", "has", "had", "been", "be", "got"})
_PARTICIPLES = frozenset(
    [
        "held",
        "taken",
        "sent",
        "thrown",
        "given",
        "known",
        "written",
        "found",
        "left",
        "kept",
        "brought",
        "lost",
        "paid",
        "seen",
        "made",
        "led",
        "fallen",
        "broken",
        "hidden",
        "drawn",
        "told",
        "said",
        "met",
        "won",
        "fled",
        "put",
        "set",
        "cut",
        "hurt",
        "shut",
    ]
)
#: Verbs that say little of their own ("go to Minsk", "put sanctions on", "hold a
#: briefing"): a fact says the same with another verb, so they are not insisted on.
_LIGHT_VERBS = frozenset(
    stem(w)
    for w in (
        "go",
        "goes",
        "went",
        "gone",
        "put",
        "puts",
        "hold",
        "holds",
        "held",
        "get",
        "got",
        "make",
        "made",
        "take",
        "took",
        "taken",
        "do",
        "did",
        "done",
        "have",
        "give",
        "gave",
        "given",
        "come",
        "came",
        "keep",
        "kept",
        "bring",
        "brought",
        "set",
    )
)
_ADVERBS = frozenset({"first", "last", "ever", "actually", "really", "also", "already", "finally"})
_PLACE = re.compile(r"\b(?:in|near|at)\s+(?:the\s+)?[A-Z][a-z]")
_SPEECH = frozenset(
    stem(w) for w in ("say", "tell", "claim", "call", "announce", "write", "warn", "urge")
)
_WHAT_SAID = re.compile(
    r"\bwhat\s+(?:did|does|do|has|have|had)\s+(?P<who>.+?)\s+"
    r"(?:say|said|claim|claimed|tell|told|think|call|called|announce|state|write|mean)\b",
    re.IGNORECASE,
)
_ASKS_WHO = re.compile(r"^\s*(?:who|whom|whose)\b(?!\s+(?:is|was|are|were)\b|'s)", re.IGNORECASE)


def _counted_terms(question: str) -> set[str]:
    """The terms of what a "how many …" question counts ("political prisoners")."""
    match = _COUNTED.search(question.casefold())
    if match is None:
        return set()
    words: list[str] = []
    for word in question.casefold()[match.end() :].split()[:3]:
        word = word.strip("?!.,;:")
        # The counted noun phrase ends at the verb (often the only past form in it).
        if not word or word in _COUNTED_END or word in STOP_WORDS or word.endswith("ed"):
            break
        words.append(word)
    return {
        t.term
        for t in analyze(" ".join(words))
        if t.word not in _FILLER and t.term not in _GENERIC_COUNTED
    }


def _weight(store: FactSource, token: Token) -> float:
    """An idf-like weight in [1, 2]: 2 for a word no fact uses, 1 for one in ``_DF_CAP``
    facts or more (the facts a search for the word finds, counted by the index)."""
    if has_cyrillic_term(token):
        found = min(_DF_CAP, store.document_frequency(token.term))
    else:
        found = store.count_matching(token.word, cap=_DF_CAP)
    return 1.0 + math.log((_DF_CAP + 1) / (found + 1)) / math.log(_DF_CAP + 1)


def _is_known(store: FactSource, token: Token) -> bool:
    """True when some fact contains the word itself (not a correction of it)."""
    return store.document_frequency(token.term) > 0


def _descriptions(entities: Iterable[Fact]) -> set[str]:
    """The terms of the roles of the people a question names (their titles, employers)."""
    described: set[str] = set()
    for entity in entities:
        if _is_person(entity) and isinstance(entity.details, PersonDetails):
            for role in entity.details.roles:
                described.update(t.term for t in analyze(f"{role.title} {role.organisation or ''}"))
    return described


def _read(question: str, store: FactSource) -> _Query:
    intents = _intents(question)
    content = list({t.term: t for t in _content_tokens(question)}.values())
    entities, entity_terms = _named_entities(store, content)
    # Years, and words that put the question in the future ("the next election"): the
    # base records what happened, so an answer must say the same to be about it.
    required = {t.term for t in content if _YEAR.match(t.word) or t.word in _FUTURE}
    required |= _counted_terms(question) - entity_terms.keys() - _DOMAIN_TERMS
    described = _descriptions(entities.values())
    weights: dict[str, float] = {}
    unknown: set[str] = set()
    predicates: list[Token] = []
    for token in content:
        # "Belarus" and words that only restate who a named person is ("Secretary of State
        # Pompeo") do not say what is asked about them.
        if token.term in _DOMAIN_TERMS or (
            token.term in described and token.term not in entity_terms.keys() | required
        ):
            weights[token.term] = _WEAK
            continue
        weights[token.term] = _weight(store, token)
        if len(token.word) >= 5 and token.word.isalpha() and not _is_known(store, token):
            unknown.add(token.term)
        if token.term in entity_terms:
            continue
        if token.term not in required or not _YEAR.match(token.word):
            predicates.append(token)
        if (token.capital and token.position > 0) or token.term in _SLAVIC_MONTHS:
            required.add(token.term)
    verb, subject = _main_verb(question, content, entity_terms)
    if verb is not None:
        required.add(verb)
    if Intent.DATE in intents or Intent.COUNT in intents:
        # "Когда Лукашенко стал президентом": a Russian or Belarusian question about a
        # date or a count turns on its past-tense verb, as "when did X become" does.
        required |= _slavic_past_verbs(question) & {t.term for t in content} - entity_terms.keys()
    return _Query(
        question,
        intents,
        content,
        weights,
        entities,
        entity_terms,
        required,
        predicates,
        asks_who=_ASKS_WHO.match(question) is not None,
        speakers_asked=_speakers_asked(question, entity_terms),
        verb=verb,
        subject=subject,
        unknown=unknown,
        slavic=has_cyrillic(question),
    )


def _speakers_asked(question: str, entity_terms: dict[str, set[str]]) -> set[str]:
    """The entities named between "what did" and "say" (or tell, claim, call…)."""
    match = _WHAT_SAID.search(question)
    if match is None:
        return set()
    return {e for t in analyze(match.group("who")) for e in entity_terms.get(t.term, ())}


def _verb_after_subject(
    words: list[Token], entity_terms: dict[str, set[str]]
) -> tuple[Token | None, set[str]]:
    """In "<subject> <verb> …", skip the subject (a determiner, capitalised words and
    names, plural nouns) and adverbs; return the next word and the subject's terms."""
    index = 0
    if index < len(words) and words[index].word in _DETERMINERS:
        index += 1
    subject: set[str] = set()
    while index < len(words):
        token = words[index]
        if not (
            token.capital
            or token.term in entity_terms
            or token.word in {"and", "of"}
            or (token.word.endswith("s") and not token.word.endswith("ss"))
        ):
            break
        if token.word not in STOP_WORDS and token.term not in _DOMAIN_TERMS:
            subject.add(token.term)
        index += 1
    while index < len(words) and words[index].word in _ADVERBS:
        index += 1
    return (words[index] if index < len(words) else None), subject


def _is_participle(word: str) -> bool:
    return word.endswith("ed") or word in _PARTICIPLES


def _main_verb(
    question: str, content: list[Token], entity_terms: dict[str, set[str]]
) -> tuple[str | None, set[str]]:
    """The verb a "when did X <verb>" or "how many X were <verb>ed" question turns on,
    which the answer must contain ("when did the EU lift sanctions" is not answered by
    when the EU imposed them; "how many prisoners were freed" not by how many are held),
    and for active questions the subject's terms (see :func:`_subject_after_verb`).

    The word taken for the verb is now and then a noun, which the answer then contains
    anyway."""
    verb: Token | None = None
    subject: set[str] = set()
    active = False
    when = _WHEN_AUX.match(question)
    counted = _COUNTED.search(question.casefold())
    if when is not None:
        words = analyze(question[when.end() :], keep_stop_words=True)
        verb, subject = _verb_after_subject(words, entity_terms)
        active = when.group("aux").casefold() in {"did", "does", "do", "will"}
    elif counted is not None:
        words = analyze(question[counted.end() :], keep_stop_words=True)
        index = 0
        # Past the counted noun phrase (as in :func:`_counted_terms`).
        while index < min(len(words), 3) and not (
            words[index].word in _COUNTED_END
            or words[index].word in STOP_WORDS
            or _is_participle(words[index].word)
        ):
            subject.add(words[index].term)
            index += 1
        # The order of subject and verb is left unchecked here: a fact may count the
        # same thing under another name ("53 parties signed … 51 other countries").
        rest = words[index:]
        if rest and _is_participle(rest[0].word):
            verb = rest[0]
        elif rest and rest[0].word in {"did", "do", "does"}:
            verb, _ = _verb_after_subject(rest[1:], entity_terms)
        else:
            while rest and rest[0].word in _AUXILIARIES:
                rest = rest[1:]
            if rest and _is_participle(rest[0].word) and rest[0] is not words[index]:
                verb = rest[0]
    if (
        verb is None
        or verb.word in STOP_WORDS
        or verb.word in _FILLER
        or verb.term in _LIGHT_VERBS
        or verb.term not in {t.term for t in content}
    ):
        return None, set()
    return verb.term, subject - _DOMAIN_TERMS if active else set()


def _subject_after_verb(fact: Fact, query: _Query) -> bool:
    """True when the claim has the asked verb only before the asked subject ("…start a
    dialogue with the protesters" does not say when the protests started)."""
    if query.verb is None or not query.subject:
        return False
    keys = {
        k
        for term in query.subject
        for entity in query.entity_terms.get(term, ())
        for k in _flat(query.entities[entity])
    }
    subject_at = [
        t.position
        for t in _fact_text(fact).text_tokens
        if t.term in query.subject or phonetic(t.word) in keys
    ]
    text = _fact_text(fact)
    verb_at = [t.position for t in text.text_tokens if t.term == query.verb]
    # A passive verb ("were reported by the UN") has its subject after it.
    if any(p in text.passive for p in verb_at):
        return False
    return bool(subject_at and verb_at) and min(subject_at) > max(verb_at)


# --- judging candidates -------------------------------------------------------------------


def _mentions(fact: Fact, entity: Fact, text: _FactText) -> bool:
    """True when the fact is about ``entity``: its own profile, linked to it, or naming it
    — unless its claim names it only to leave it out ("other than Mr. Lukashenko")."""
    if fact.id == entity.id:
        return True
    aliases = _alias_keys(entity)
    surnames = {alias[-1] for alias in aliases}
    named_at = [t.position for t in text.text_tokens if phonetic(t.word) in surnames]
    if named_at and all(p in text.excluded for p in named_at):
        return False
    if entity.id in fact.related:
        return True
    return any(all(k in text.keys for k in alias) for alias in aliases)


def _translation_terms(fact: Fact) -> frozenset[str]:
    """The Russian and Belarusian terms of the fact's translations (analysed only for a
    question in those languages: they never match an English word)."""
    return frozenset(
        t.term for part in translation_fields(fact) for t in analyze(part) if has_cyrillic_term(t)
    )


_translated = _PerFact(_translation_terms)

#: Russian and Belarusian words of one root that the stemmer keeps apart (приезжал /
#: приезд, разговаривал / разговор): stems alike in all but their last letter, and in at
#: least ``_ROOT`` letters, match at ``_SAME_ROOT``.
_ROOT = 5
_SAME_ROOT = 0.75


def _translation_roots(fact: Fact) -> dict[str, tuple[str, ...]]:
    """The fact's Russian and Belarusian terms by their first ``_ROOT`` letters."""
    roots: dict[str, list[str]] = {}
    for term in _translated(fact):
        if len(term) >= _ROOT:
            roots.setdefault(term[:_ROOT], []).append(term)
    return {root: tuple(terms) for root, terms in roots.items()}


_translated_roots = _PerFact(_translation_roots)


def _same_root(term: str, fact: Fact) -> bool:
    """True when the fact's translation holds a term of the same root as ``term``."""
    for other in _translated_roots(fact).get(term[:_ROOT], ()):
        shared = next(
            (i for i, (a, b) in enumerate(zip(term, other, strict=False)) if a != b),
            min(len(term), len(other)),
        )
        if shared >= max(_ROOT, min(len(term), len(other)) - 1):
            return True
    return False


def _in_claim(token: Token, fact: Fact, text: _FactText) -> bool:
    """True when the claim (or, for a Russian or Belarusian word, its translation) holds
    the question word's term."""
    if has_cyrillic_term(token):
        return token.term in _translated(fact)
    return token.term in text.claim


def _matches(token: Token, fact: Fact, text: _FactText, query: _Query) -> float:
    """How well a fact matches a question word: 1 in its claim, less in a quote only."""
    if _in_claim(token, fact, text):
        return 1.0
    if token.term in text.quotes:
        return _QUOTE_ONLY
    if has_cyrillic_term(token) and len(token.term) >= _ROOT and _same_root(token.term, fact):
        return _SAME_ROOT
    if not token.word.isalpha():
        return 0.0
    if phonetic(token.word) in text.keys and (
        token.term in query.entity_terms or token.term in query.required
    ):
        return 1.0
    # Only a word the base does not know can be a misspelling of one in the fact.
    if token.term in query.unknown and any(distance(token.word, w, 1) <= 1 for w in text.words):
        return _TYPO
    return 0.0


def _get(store: FactSource, fact_id: str) -> Fact | None:
    try:
        return store.get(fact_id)
    except NotFoundError:
        return None


def _is_person(fact: Fact | None) -> bool:
    return (
        fact is not None
        and isinstance(fact.details, PersonDetails)
        and fact.details.entity is EntityType.PERSON
    )


def _people_named(store: FactSource, fact: Fact, query: _Query) -> list[tuple[int, str]]:
    """Where the claim names a person (by surname), and who, in order."""
    people: dict[str, set[str]] = {}
    for fact_id in dict.fromkeys([*query.entities, fact.id, *fact.related]):
        person = fact if fact_id == fact.id else query.entities.get(fact_id) or _get(store, fact_id)
        if person is not None and _is_person(person):
            people[fact_id] = {alias[-1] for alias in _alias_keys(person)}
    named: list[tuple[int, str]] = []
    for token in _fact_text(fact).text_tokens:
        if token.capital:
            key = phonetic(token.word)
            named.extend((token.position, i) for i, surnames in people.items() if key in surnames)
    return named


def _first_person(store: FactSource, fact: Fact, query: _Query) -> str | None:
    """The person the claim names first — its subject, as claims are written "X did Y"."""
    named = _people_named(store, fact, query)
    return named[0][1] if named else None


def _asked_people(query: _Query) -> set[str]:
    return {i for i, e in query.entities.items() if _is_person(e)}


def _said_of_others(store: FactSource, fact: Fact, query: _Query) -> set[str]:
    """Question terms that the claim uses only right beside another person's name, as that
    person's title ("President Vladimir Putin" does not make Lukashenko a president)."""
    asked = _asked_people(query)
    if query.asks_who or not asked:
        return set()
    others = [p for p, i in _people_named(store, fact, query) if i not in asked]
    if not others:
        return set()
    beside: set[str] = set()
    elsewhere: set[str] = set()
    for token in _fact_text(fact).text_tokens:
        # Titles are written capitalised ("President", "Ambassador"); a lower-case word
        # before a name is more likely a verb with that person as its object ("warned").
        near = token.capital and any(0 < p - token.position <= 2 for p in others)
        (beside if near else elsewhere).add(token.term)
    return beside - elsewhere


def _misattributed(store: FactSource, fact: Fact, query: _Query) -> bool:
    """True when the claim is about someone other than the person the question asks about
    ("when did Lukashenko die" against "Klimovich, accused of a cartoon of Lukashenka,
    died…"). Questions that ask who did something are exempt: there the person named is
    the object."""
    if query.asks_who:
        return False
    asked = _asked_people(query)
    if not asked or fact.id in asked:
        return False
    named = _people_named(store, fact, query)
    if not named or named[0][1] in asked:
        return False
    # "…met Tikhanovskaya in Vienna, where she told…": a subject pronoun after the person
    # asked about may make them the subject of the clause that answers.
    mentioned = [p for p, i in named if i in asked]
    pronouns = _fact_text(fact).pronouns
    return not (mentioned and any(p > mentioned[0] for p in pronouns))


def _has_place(fact: Fact) -> bool:
    """True when the fact says where: an event's place, or "in/near/at <Name>"."""
    # An event's place counts unless it is "Belarus", which every fact is about.
    if (
        isinstance(fact.details, EventDetails)
        and fact.details.place
        and {t.term for t in analyze(fact.details.place)} - _DOMAIN_TERMS
    ):
        return True
    return bool(_PLACE.search(fact.text))


def _profile_of_another(fact: Fact, query: _Query) -> bool:
    """True for the profile of someone the question does not name: a question about
    Galperovich is not answered by Radio Liberty's profile, which mentions him, nor "did
    Britain impose sanctions" by the EU's. ("Who …" questions may be answered by anyone's
    profile.)"""
    return (
        fact.kind is Kind.PERSON
        and fact.id not in query.entities
        and Intent.PERSON not in query.intents
    )


def _said_by_another(fact: Fact, query: _Query) -> bool:
    """True when a "what did X say" question meets a statement by someone else, or a fact
    of another kind that reports no speech at all (a sanction on X is not what X said)."""
    if not query.speakers_asked:
        return False
    if not isinstance(fact.details, StatementDetails):
        # Another kind of fact may report speech ("…where she told ambassadors…"), if it
        # names the speaker asked about in its claim.
        text = _fact_text(fact)
        claim_keys = {phonetic(t.word) for t in text.text_tokens}
        named = any(
            all(k in claim_keys for k in alias)
            for e in query.speakers_asked
            for alias in _alias_keys(query.entities[e])
        )
        return not (text.claim & _SPEECH and named)
    speaker = [phonetic(t) for t in name_tokens(fact.details.speaker)]
    return not any(
        _covered(alias, speaker)
        for entity_id in query.speakers_asked
        for alias in _alias_keys(query.entities[entity_id])
    )


def _fit(fact: Fact, query: _Query) -> float:
    """How well the kind of fact suits the kind of question, in [-1, 1]."""
    scores: list[float] = []
    for intent in query.intents:
        if intent is Intent.COUNT:
            if fact.kind is Kind.STATISTIC:
                scores.append(1.0)
            elif isinstance(fact.details, SanctionDetails) and fact.details.persons_count:
                scores.append(0.7)
            else:
                scores.append(0.3 if re.search(r"\d", fact.text) else 0.0)
        elif intent is Intent.DATE:
            scores.append(0.0 if fact.date is None else 1.0 if fact.kind is Kind.EVENT else 0.8)
        elif intent is Intent.SANCTION:
            scores.append(1.0 if fact.kind is Kind.SANCTION else 0.0)
        elif intent is Intent.STATEMENT:
            scores.append(1.0 if fact.kind is Kind.STATEMENT else 0.0)
        elif intent is Intent.PERSON:
            # "Who wrote the Moscow Mechanism report" is not answered by the mechanism.
            if fact.id in query.entities:
                scores.append(0.0)
            elif _is_person(fact):
                scores.append(1.0)
            else:
                scores.append(0.5 if fact.related else 0.0)
    if Intent.PERSON not in query.intents and fact.kind is Kind.PERSON:
        # A profile sums a person up; a question about what happened wants the event.
        scores.append(-0.5)
    return sum(scores) / len(scores) if scores else 0.0


def _about_asked(store: FactSource, fact: Fact, query: _Query) -> bool:
    """True when the fact's subject (its speaker, or the person it names first) is an
    entity the question names: "what did the EU say" prefers the EU's own statements."""
    if not query.entities:
        return False
    if isinstance(fact.details, StatementDetails):
        said = query.speakers.get(fact.details.speaker)
        if said is None:
            speaker = [phonetic(t) for t in name_tokens(fact.details.speaker)]
            said = any(
                _covered(alias, speaker)
                for entity in query.entities.values()
                for alias in _alias_keys(entity)
            )
            query.speakers[fact.details.speaker] = said
        if said:
            return True
    return _first_person(store, fact, query) in query.entities


def _tier(candidate: _Candidate, query: _Query) -> int:
    """1 when the fact is of the kind a "how many" or "when" question needs: a count, a date."""
    fact = candidate.fact
    if not query.intents & {Intent.COUNT, Intent.DATE}:
        return 0
    if Intent.COUNT in query.intents and not (
        fact.kind is Kind.STATISTIC
        or (isinstance(fact.details, SanctionDetails) and fact.details.persons_count)
    ):
        return 0
    if Intent.DATE in query.intents and fact.date is None:
        return 0
    return 1


def _judge(store: FactSource, candidate: _Candidate, query: _Query, proper: set[str]) -> None:
    fact = candidate.fact
    text = _fact_text(fact)
    total = matched = 0.0
    predicate_total = predicate_matched = 0.0
    hits = needed = 0
    others = _said_of_others(store, fact, query)
    for token in query.content:
        weight = query.weights[token.term]
        if token.term in query.entity_terms:
            named = query.entity_terms[token.term]
            hit = float(any(_mentions(fact, query.entities[e], text) for e in named))
        elif token.term in others:
            hit = 0.0
        elif token.term == query.verb:
            # What the question turns on must be said in the claim, not only quoted.
            hit = float(_in_claim(token, fact, text))
        else:
            hit = _matches(token, fact, text, query)
        total += weight
        matched += weight * hit
        if weight > _WEAK:
            needed += 1
            hits += hit > 0
        if token in query.predicates:
            predicate_total += weight
            predicate_matched += weight * hit
        # A year, name or verb the question turns on must be in the fact as written: a
        # same-root match (``_SAME_ROOT``) is not enough.
        if hit in (0.0, _SAME_ROOT) and (token.term in query.required or token.term in proper):
            candidate.passes = False
            candidate.coverage = matched / total
            candidate.lacks_required = True
            return
    candidate.coverage = matched / total if total else 0.0
    candidate.predicate_coverage = predicate_matched / predicate_total if predicate_total else 1.0
    candidate.fit = _fit(fact, query)
    candidate.passes = (
        # "How many" wants a count and "when" a date: a fact without one does not answer.
        (not query.intents & {Intent.COUNT, Intent.DATE} or _tier(candidate, query) == 1)
        and candidate.coverage >= (_MIN_COVERAGE_SLAVIC if query.slavic else _MIN_COVERAGE)
        # One word of two in common is chance ("when did the protests end" / "an end to
        # violence"): a question of several words needs at least two of them.
        and hits >= min(2, needed)
        and candidate.predicate_coverage
        >= (_MIN_PREDICATE_SLAVIC if query.slavic else _MIN_PREDICATE_COVERAGE)
        and all(_mentions(fact, e, text) for e in query.entities.values())
        and not _misattributed(store, fact, query)
        and not _profile_of_another(fact, query)
        and (Intent.PLACE not in query.intents or _has_place(fact))
        and not _said_by_another(fact, query)
        and not _subject_after_verb(fact, query)
    )


def _flat(entity: Fact) -> set[str]:
    return {k for alias in _alias_keys(entity) for k in alias}


def _proper_terms(query: _Query, candidates: list[_Candidate]) -> set[str]:
    """Question terms the candidates only ever write capitalised (Russia, Minsk, Vitebsk):
    names of places and things, which an answer must contain to be about them."""
    lowercase: set[str] = set()
    capitalised: set[str] = set()
    for candidate in candidates:
        text = _fact_text(candidate.fact)
        lowercase |= text.lowercase
        capitalised |= text.capitalised
    return {
        t.term
        for t in query.content
        if t.word in capitalised
        and t.word not in lowercase
        and t.term not in _DOMAIN_TERMS
        and t.term not in query.entity_terms
    }


def _profile(question: str, store: FactSource) -> Fact | None:
    """The person or organisation a "who is X" question names, if the base knows X."""
    match = _PROFILE.match(question)
    if match is None:
        return None
    name = match.group("name")
    # A Russian or Belarusian name in any case: as written, or by its stem.
    stemmed = _CYRILLIC_WORD.sub(lambda m: slavic_stem(m.group().casefold()), name)
    spellings = list(zip(name_tokens(name), name_tokens(stemmed), strict=False))
    if not spellings:
        return None
    hits = store.find_people(name, limit=3) or store.find_people(stemmed, limit=3)
    for hit in hits:
        names = _flat(hit.fact)
        if all(any(_close(phonetic(w), n) for w in pair for n in names) for pair in spellings):
            return hit.fact
    return None


def _bare_name(query: _Query) -> Fact | None:
    """The entity a question that is nothing but its name asks about ("kolesnikava").
    "Where is Kolesnikova now?" is not one: its other words ask what the base may lack."""
    if len(query.entities) != 1:
        return None
    others = [
        t.word
        for t in analyze(query.text, keep_stop_words=True)
        if t.term not in query.entity_terms and t.word not in _BARE_NAME_WORDS
    ]
    if not others:
        return next(iter(query.entities.values()))
    return None


def _prefer_group_fact(passing: list[_Candidate]) -> list[_Candidate]:
    """When several people's profiles tie for first place, a fact about all of them
    answers better ("who was charged" → the charges against the three, not one profile)."""
    best = passing[0]
    if not _is_person(best.fact):
        return passing
    tied = {c.fact.id for c in passing if _is_person(c.fact) and c.final >= best.final - 0.02}
    if len(tied) < 2:
        return passing
    for candidate in passing:
        if tied <= set(candidate.fact.related):
            return [candidate, *(c for c in passing if c is not candidate)]
    return passing


def answer(question: str, store: FactSource, *, limit: int = 3) -> Answer:
    """The facts that answer ``question`` (best first), or ``found=False`` with suggestions;
    a yes/no question also gets its verdict, a question about the present its flag."""
    question = question.strip()
    # Russian typed in Latin letters is read as the Cyrillic it stands for.
    question = latin_russian(question) or question
    result = _answer(question, store, limit=limit)
    return replace(
        result,
        polarity=verdict(question, result.best) if asks_yes_no(question) else None,
        asks_now=asks_now(question),
    )


def _hedge(
    question: str, pool: list[_Candidate], query: _Query, intents: frozenset[Intent]
) -> Answer:
    """No fact passes: the single closest one, clearly labelled, when it is close enough and
    about every entity the question names; otherwise a refusal with suggestions."""
    close = [c.fact for c in pool if c.coverage >= _SUGGEST][:3]
    best = pool[0] if pool else None
    if (
        best is not None
        and best.coverage >= _HEDGE
        and not best.lacks_required
        and all(_mentions(best.fact, e, _fact_text(best.fact)) for e in query.entities.values())
    ):
        return Answer(
            question,
            False,
            [],
            0.0,
            intents,
            suggestions=[f for f in close if f.id != best.fact.id],
            maybe=best.fact,
        )
    return Answer(question, False, [], 0.0, intents, suggestions=close)


def _answer(question: str, store: FactSource, *, limit: int) -> Answer:
    query = _read(question, store)
    intents = frozenset(query.intents or {Intent.GENERAL})
    profile = _profile(question, store) or _bare_name(query)
    if profile is not None:
        return Answer(question, True, [profile], 1.0, intents | {Intent.PERSON})
    if not query.content:
        return Answer(question, False, [], 0.0, intents)

    # Russian and Belarusian words are searched as written (their folded form is Latin).
    words = " ".join(t.raw if has_cyrillic_term(t) else t.word for t in query.content)
    hits = store.search(words, limit=_CANDIDATES)
    for entity in query.entities.values():
        hits.append(SearchHit(entity, 0.0))
    top_score = max((h.score for h in hits), default=0.0) or 1.0
    candidates: dict[str, _Candidate] = {}
    for hit in hits:
        if hit.fact.id not in candidates:
            candidates[hit.fact.id] = _Candidate(hit.fact, hit.score / top_score)
    pool = list(candidates.values())
    proper = _proper_terms(query, pool)
    for candidate in pool:
        _judge(store, candidate, query, proper)
        candidate.final = (
            candidate.coverage
            + 0.12 * candidate.fit
            + 0.08 * candidate.rank_score
            + 0.05 * _about_asked(store, candidate.fact, query)
        )
    pool.sort(key=lambda c: (-c.final, c.fact.id))
    passing = sorted(
        (c for c in pool if c.passes), key=lambda c: (-_tier(c, query), -c.final, c.fact.id)
    )
    if not passing:
        return _hedge(question, pool, query, intents)
    passing = _prefer_group_fact(passing)
    best = passing[0]
    chosen = [
        c.fact
        for c in passing
        if c.final >= best.final - 0.08 and _tier(c, query) == _tier(best, query)
    ][: limit + 2]
    shown, same = merge_same(chosen)
    confidence = min(1.0, best.coverage * (0.85 + 0.15 * best.fit))
    return Answer(question, True, shown[:limit], round(confidence, 3), intents, same=same)
