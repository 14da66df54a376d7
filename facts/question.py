"""Reading a question: its intent (a count, a date, a person, sanctions, statements, a
place), its content words weighted by how rare they are in the base, the people and
organisations it names under any spelling, the words an answer must contain (years,
proper nouns, month names, the verb it turns on), and whether it asks for a profile
("who is X", or nothing but a name)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from facts.aliases import actors_named
from facts.analysis import Token, analyze
from facts.fact_text import alias_keys, close, covered, flat, has_cyrillic_term, is_person
from facts.lang import SLAVIC_STOP_WORDS, has_cyrillic, month_names, slavic_stem
from facts.model import Fact, PersonDetails
from facts.names import fold, name_tokens, phonetic
from facts.phrasing import DOMAIN_TERMS, FILLER, counted_terms, main_verb, speakers_asked
from facts.source import FactSource


class Intent(StrEnum):
    """What sort of answer a question asks for."""

    COUNT = "count"
    DATE = "date"
    PERSON = "person"
    SANCTION = "sanction"
    STATEMENT = "statement"
    PLACE = "place"
    GENERAL = "general"


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


_CYRILLIC_OR_LATIN_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")


_ARTICLES = frozenset({"the", "a", "an"})


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


_YEAR = re.compile(r"^(?:19|20)\d\d$")


#: Words that may stand around a bare name ("the OSCE?", "Lukashenko, please").
_BARE_NAME_WORDS = frozenset({"the", "a", "an", "please", "belarus", "belarusian"})


_FUTURE = frozenset({"next", "upcoming", "future", "forthcoming", "tomorrow"})


#: The weight of a question word that does not tell facts apart ("Belarus", or the title
#: of a person the question names).
WEAK = 0.25


#: Document frequency at which a word weighs least (see :func:`_weight`).
_DF_CAP = 200


@dataclass(slots=True)
class Query:
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
    #: Who each surname key may name among the entities (in their order), once worked out,
    #: and where each judged fact names whom (:func:`facts.judge._people_named`), by fact
    #: id with the fact object it was read from.
    entity_owners: dict[str, list[str]] | None = None
    people_named: dict[str, tuple[Fact, list[tuple[int, str]]]] = field(default_factory=dict)


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


#: Russian and Belarusian "said", "told", "say": they frame a question as English "say"
#: does ("что сказал Карпентер?" asks for Carpenter's statements, whatever verb the
#: translation uses), and the statement intent has already been read from them.
_SLAVIC_SAY = re.compile(
    r"^(?:сказа(?:л|ла|ли|ло|ть)|говори(?:л|ла|ли|т|ть)|скажа|кажа|сказа(?:ў|лі|ць)"
    r"|каза(?:ў|ла|лі|ць)|гавары(?:ў|ла|лі|ць)|гаворыць)$"
)


def _content_tokens(question: str, *, saying_frames: bool = True) -> list[Token]:
    """The question's words that say what it asks (``saying_frames``: a Russian or
    Belarusian "said" is one of the frame words, as in a "what did X say")."""
    cleaned = _FILLER_PHRASES.sub(" ", question)
    return [
        t
        for t in analyze(cleaned)
        if t.word not in FILLER and not (saying_frames and _SLAVIC_SAY.match(t.raw.casefold()))
    ]


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
    keys = {phonetic(_name_word(t)): t for t in content if t.term not in DOMAIN_TERMS}
    entities: dict[str, Fact] = {}
    naming: dict[str, set[str]] = {}
    seen: set[str] = set()
    for token in content:
        if token.term in DOMAIN_TERMS or token.word.isdigit():
            continue
        for hit in store.find_people(_name_word(token), limit=5):
            if hit.fact.id in seen:
                continue
            seen.add(hit.fact.id)
            for alias in alias_keys(hit.fact):
                if covered(alias, keys):
                    entities[hit.fact.id] = hit.fact
                    for k, t in keys.items():
                        if any(close(k, a) for a in alias):
                            naming.setdefault(t.term, set()).add(hit.fact.id)
                    break
    # An entity whose name lies inside another's (OSCE in "OSCE Moscow Mechanism") still
    # counts: the answer must name both.
    return entities, naming


_ASKS_WHO = re.compile(r"^\s*(?:who|whom|whose)\b(?!\s+(?:is|was|are|were)\b|'s)", re.IGNORECASE)


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
        if is_person(entity) and isinstance(entity.details, PersonDetails):
            for role in entity.details.roles:
                described.update(t.term for t in analyze(f"{role.title} {role.organisation or ''}"))
    return described


#: The generic nouns a count of people is asked with, in the three languages.
_PEOPLE = frozenset(
    [
        "people",
        "persons",
        "person",
        "individuals",
        "человек",
        "людей",
        "люди",
        "чалавек",
        "людзей",
        "людзі",
    ]
)


def read_question(question: str, store: FactSource) -> Query:
    intents = _intents(question)
    # "Когда они говорили по телефону" asks when they talked: there the verb is the event.
    frames = not intents & {Intent.DATE, Intent.COUNT}
    content = list({t.term: t for t in _content_tokens(question, saying_frames=frames)}.values())
    entities, entity_terms = _named_entities(store, content)
    # Years, and words that put the question in the future ("the next election"): the
    # base records what happened, so an answer must say the same to be about it.
    required = {t.term for t in content if _YEAR.match(t.word) or t.word in _FUTURE}
    required |= counted_terms(question) - entity_terms.keys() - DOMAIN_TERMS
    described = _descriptions(entities.values())
    weights: dict[str, float] = {}
    unknown: set[str] = set()
    predicates: list[Token] = []
    for token in content:
        # "Belarus" and words that only restate who a named person is ("Secretary of State
        # Pompeo") do not say what is asked about them.
        if (
            token.term in DOMAIN_TERMS
            or (token.term in described and token.term not in entity_terms.keys() | required)
            # "How many people died": what is counted is said by the verb; "people" is how
            # a count is asked, not what the fact must say ("several reported deaths").
            or (Intent.COUNT in intents and (token.raw or token.word).casefold() in _PEOPLE)
        ):
            weights[token.term] = WEAK
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
    verb, subject = main_verb(question, content, entity_terms)
    if verb is not None:
        required.add(verb)
    if Intent.DATE in intents or Intent.COUNT in intents:
        # "Когда Лукашенко стал президентом": a Russian or Belarusian question about a
        # date or a count turns on its past-tense verb, as "when did X become" does.
        required |= _slavic_past_verbs(question) & {t.term for t in content} - entity_terms.keys()
    return Query(
        question,
        intents,
        content,
        weights,
        entities,
        entity_terms,
        required,
        predicates,
        asks_who=_ASKS_WHO.match(question) is not None,
        speakers_asked=speakers_asked(question, entity_terms),
        verb=verb,
        subject=subject,
        unknown=unknown,
        slavic=has_cyrillic(question),
    )


def profile_asked(question: str, store: FactSource) -> Fact | None:
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
        names = flat(hit.fact)
        if all(
            any(close(phonetic(w), n) for w in pair for n in names) for pair in spellings
        ) and not _only_named_after(name, hit.fact):
            return hit.fact
    return None


def _states_only(text: str) -> bool:
    """True when every word of ``text`` names a state or body ("Belarus", "беларуси",
    "the EU"): the words of a country, not of an organisation's own name."""
    words = [w for w in _CYRILLIC_OR_LATIN_WORD.findall(text) if w.casefold() not in _ARTICLES]
    return bool(words) and all(actors_named(w) for w in words)


def _only_named_after(asked: str, entity: Fact) -> bool:
    """True when ``asked`` is a state or body that ``entity`` is only named after: "tell me
    about Belarus" and the Central Election Commission of Belarus, "the US" and the US State
    Department. The organisation is not the country; it is the country only when one of its
    own spellings is nothing but the state's name ("EU" for the European Union)."""
    if not _states_only(asked) or not isinstance(entity.details, PersonDetails):
        return False
    spellings = (entity.details.name, *entity.details.aliases)
    return not any(_states_only(s) for s in spellings)


def bare_name(query: Query) -> Fact | None:
    """The entity a question that is nothing but its name asks about ("kolesnikava").
    "Where is Kolesnikova now?" is not one: its other words ask what the base may lack."""
    # "что сказала Би-би-си?" names only the outlet, but asks what it said.
    if len(query.entities) != 1 or Intent.STATEMENT in query.intents:
        return None
    others = [
        t.word
        for t in analyze(query.text, keep_stop_words=True)
        if t.term not in query.entity_terms and t.word not in _BARE_NAME_WORDS
    ]
    if not others:
        return next(iter(query.entities.values()))
    return None
