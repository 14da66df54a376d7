"""A claim read for matching: its words weighted by how rare they are in the base, its
names, the names it borrowed, its figures, dates, places and cues."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from facts.aliases import imposers_named, metonym_rules
from facts.analysis import Token, analyze
from facts.answer import FactSource
from facts.claims.families import family, search_word
from facts.claims.figures import Amount, Dates, amounts, dates_in, month_words
from facts.claims.places import CITIES, COUNTRIES, gazetteer_hits
from facts.claims.split import PRONOUN, SUBJECTLESS, Piece
from facts.claims.views import ATTRIBUTED, assessment
from facts.lang import has_cyrillic
from facts.negation import is_negation, negated


@dataclass(slots=True)
class Claim:
    text: str
    tokens: list[Token]
    weights: dict[str, float]
    #: Capitalised words of the claim itself: a fact that lacks one is about something else.
    required: set[str]
    #: The claim's own words (not those borrowed from the clause before).
    own: set[str]
    #: The claim's own lower-case words: what it says about the names it holds.
    predicate: set[str]
    places: set[str]
    #: The words of it that name countries.
    country_terms: set[str]
    #: The names it borrowed from the clause before (its subject, when it names none).
    borrowed: set[str]
    #: The states and bodies that impose sanctions it names ("usa", "eu").
    imposers: frozenset[str]
    #: Its words that name such a state or body, and which ("американц": usa).
    actors: dict[str, frozenset[str]]
    #: Its own lower-case words the base never uses.
    unseen: set[str]
    #: Its words that say who said something ("promised", "заявил").
    attribution: set[str]
    #: The word family of each of its words that has one ("погибли": death).
    families: dict[str, str]
    #: English words to look its facts up by, for its words the base never uses as written.
    look_up: list[str]
    proper_unknown: bool
    when: Dates
    amounts: list[Amount]
    cities: set[str]
    countries: set[str]
    negated: bool
    assessment: int
    attributed: bool
    cyrillic: bool


#: Words that say nothing a fact could hold: time fillers, emphasis, scare quotes.
_FILLERS_LATIN = re.compile(
    r"\b(?:an?|one|two|three|several|few|some)\s+(?:days?|weeks?|months?|years?)\s+"
    r"(?:later|earlier|ago|before|after)\b"
    # A date told from another event ("nine days after the vote", "14 years earlier"): the
    # claim's date, not what it says.
    r"|\b(?:just\s+|only\s+)?(?:\d+|[a-z]+)\s+(?:days?|weeks?|months?|years?)\s+"
    r"(?:later|earlier|ago|(?:after|before)(?:\s+the)?\s+\w+)\b"
    # Where the speaker sets the scene, not what is claimed: "in reality", "back in 2020".
    r"|\b(?:in reality|in fact|in truth|back(?=\s+in\b))\b"
    r"|\b(?:anyone|anybody|anything|everyone|everybody|someone|somebody|himself|herself"
    r"|itself|themselves|later|earlier|tonight|today|yesterday|so-called|actually|indeed"
    r"|simply|merely|just|even|ever|once|(?:first|last)(?=\s+\w+ed\b))\b"
    # Verbs that only say a thing happened or exists, not what it is.
    r"|\b(?:dat(?:es|ed|ing) back(?: to)?|took place|takes? place|came out|comes out"
    r"|end(?:ed|s)? up(?= in\b))\b"
    r"|(?<=\bnot a )single\b"
    r"|^\s*(?:including|among them)\b"
    # "New" says nothing of what is new: "a new metro station" is no "new ambassador".
    r"|(?:^|(?<=\s))new(?!\s+(?:york|zealand))(?=\s|$)",
    re.IGNORECASE,
)
_FILLERS_CYRILLIC = re.compile(
    r"(?:^|(?<=\s))(?:через|спустя|праз)\s+\S+\s+(?:дн\w*|недел\w*|месяц\w*|тыдн\w*|тыдзен\w*)"
    r"(?:\s+(?:после|пасля)\s+\w+)?(?=\s|$|[,.])"
    r"|(?:^|(?<=\s))(?:на самом деле|в реальности|в действительности|насамрэч|на самай справе)"
    r"(?=\s|$|,)"
    r"|(?:^|(?<=\s))(?:так называем\w*|так званы\w*|сегодня|вчера|сёння|учора|вчора"
    r"|потом|затым|позже|пазней|в том числе|включая|среди них|у тым ліку|уключна|сярод іх"
    # "Our": whose it is to the speaker, not what it is.
    r"|наш|наша|наше|наши|нашего|нашей|нашем|нашим|наших|нашими|нашу|наша|нашы|нашых|нашым"
    r"|нов(?:ый|ая|ое|ые|ую|ого|ой|ых|ым|ыми|ы|ае|ыя|ага|ай)?)(?=\s|$)",
    re.IGNORECASE,
)
_LATIN = re.compile(r"[A-Za-z]")


def _without_fillers(text: str) -> str:
    """``text`` without the words that say nothing a fact could hold (each script's list
    read only over a text written in it: the lists are long)."""
    if _LATIN.search(text):
        text = _FILLERS_LATIN.sub(" ", text)
    if has_cyrillic(text):
        text = _FILLERS_CYRILLIC.sub(" ", text)
    return text


_SAYS = re.compile(
    r",\s+(?:the\s+)?[\w .'’-]{2,40}?\s+(?:says?|said|claims?|claimed|reports?|reported"
    r"|writes|wrote|announced)\s*$"
    r"|,\s+(?:заявил\w*|сообщил\w*|сказал\w*|пишет|пишут|заявіў|заявіла|паведаміў\w*"
    r"|сказаў|піша|пішуць)\s+[\w .-]{2,40}$",
    re.IGNORECASE,
)
#: A quote and who said it after it: "«Никаких пыток не было», — заявил представитель МВД",
#: "\"Not a single journalist was detained,\" the spokesman told state TV". The quote is
#: the claim; who said it is not part of what is claimed.
_QUOTE_THEN_SPEAKER = re.compile(
    r"^\s*[\"«“„](?P<quote>[^\"»”“]{8,})[\"»”“]\s*(?:[,—–-]\s*)*(?P<speaker>[^\"«»“”]{2,80})$"
)
#: "George Kent of the State Department, 6 November 2020: …", "Amb. Carpenter, May 2023:
#: …": a person named before a colon (and a date) is who said what follows.
_SPEAKER_LABEL = re.compile(
    r"^\s*(?P<label>(?:[^\W\d_]+[ .-]+){0,7}?[A-ZА-ЯЁІЎ][^\W\d_]+\s+[A-ZА-ЯЁІЎ][^\W\d_]+"
    r"(?:\s+(?:of|from|at|пры|при|з|из)\s+(?:the\s+)?(?:[^\W\d_]+\s*){1,4})?)"
    r",\s*(?P<date>[^:,]{3,25}):\s+(?=\S)"
)
_VERB_IN_LABEL = re.compile(r"\b(?:\w+ed|is|are|was|were|has|have|had|said|says)\b", re.I)
#: "State TV tonight: …", "Пропаганда: …": who says it, not what is said (a few words,
#: not a sentence: "He offered American oil: 100 % of …" keeps its words).
_LABEL = re.compile(
    r"^\s*(?!(?:he|she|they|it|we|i|он|она|они|ён|яна|яны)\b)"
    # A few words, none of them a verb ("offered", "is", "said"): a name, not a sentence.
    r"(?!(?:[^\W_]+[ -]){0,5}(?:\w+ed|is|are|was|were|has|have|had|said|says)\b)"
    r"[^\W_]+(?:[ -][^\W_]+){0,5}:\s+(?=\S)",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)", re.IGNORECASE
)
_METONYMS = metonym_rules()
#: Phrases that say in several words what a fact says in one: "sat down with" is "met".
_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:sat down|held talks|had talks)(?= with\b)", re.IGNORECASE), "met"),
    (re.compile(r"(?:^|(?<=\s))провёл переговоры(?= с\b)", re.IGNORECASE), "встретился"),
    (re.compile(r"(?:^|(?<=\s))правёў перамовы(?= з\b)", re.IGNORECASE), "сустрэўся"),
)
_COUNTING_WORDS = frozenset(
    ["third", "thirds", "half", "трети", "трэці", "треть", "трэць", "половина", "палова"]
)


_REWRITES = (*_METONYMS, *_PHRASES)


@lru_cache(maxsize=16384)
def _actors(word: str) -> frozenset[str]:
    """The states or bodies one word names ("Американцы": usa)."""
    return imposers_named(word)


def _name_or_month(token: Token, months: frozenset[str]) -> bool:
    return (token.capital and token.position > 0) or token.raw.casefold() in months


@lru_cache(maxsize=8192)
def _counting(word: str) -> bool:
    """A number word ("eight", "hundreds", "две"): compared as a figure, not matched as a word."""
    return word.casefold() in _COUNTING_WORDS or bool(amounts(word))


#: A word the base never uses weighs this much (it cannot tell one fact from another, and
#: it is often a paraphrase: "dates back", "набрал").
_UNSEEN_WEIGHT = 1.0
#: Names borrowed from the clause before weigh this share of their own weight.
_BORROWED = 0.5


def read_claim(piece: Piece, store: FactSource, total: int) -> Claim:
    text, query = piece.text, piece.query
    speaker = _SPEAKER_LABEL.match(text)
    if (
        speaker is not None
        and not _VERB_IN_LABEL.search(speaker["label"])
        and (dates_in(speaker["date"]).years or dates_in(speaker["date"]).months)
    ):
        # Who said it helps find their statement; it is no name the claim is about.
        text = text[speaker.end() :]
        query = f"{speaker['label']} {query.replace(speaker.group(), ' ')}"
    text = _without_fillers(_LABEL.sub("", text))
    quoted = _QUOTE_THEN_SPEAKER.match(text)
    if quoted is not None and ATTRIBUTED.search(quoted["speaker"]):
        text = quoted["quote"].rstrip(" ,")
        query = query.replace(quoted["speaker"], " ")
    # "…, the Interior Ministry says": who says it is not part of what is claimed.
    attributed = quoted is not None or speaker is not None or _SAYS.search(text) is not None
    text = _SAYS.sub("", text)
    query = _SAYS.sub("", _without_fillers(_LABEL.sub("", query)))
    for pattern, replacement in _REWRITES:
        if pattern.search(query):  # the query holds the claim's own text
            text = pattern.sub(replacement, text)
            query = pattern.sub(replacement, query)
    tokens = [
        t
        for t in analyze(query)
        if not t.term[:1].isdigit() and not is_negation(t.raw) and not _counting(t.raw)
    ]
    weights: dict[str, float] = {}
    unknown = False
    own_tokens = analyze(text)
    own = {t.term for t in own_tokens}
    # Russian and Belarusian capitalise only names (and a sentence's first word).
    cyrillic = has_cyrillic(text)
    months, query_months = month_words(text), month_words(query)
    named_places = gazetteer_hits(text, CITIES) | gazetteer_hits(text, COUNTRIES)
    country_terms = {
        t.term for t in own_tokens if named_places and gazetteer_hits(t.raw, COUNTRIES)
    }
    places = country_terms | {
        t.term for t in own_tokens if named_places and gazetteer_hits(t.raw, CITIES)
    }
    required = {
        t.term
        for t in own_tokens
        if t.capital
        and (t.position > 0 or cyrillic)
        and t.word.isalpha()
        and t.term not in places
        and t.raw.casefold() not in months
        and not _WEEKDAY.fullmatch(t.raw)
        and not PRONOUN.fullmatch(t.raw)  # "Ён", "Она" open a sentence, name no one
    }
    # Months and pronouns: compared as dates, or standing for a name; not what is said.
    dated = {t.term for t in own_tokens if t.raw.casefold() in months or PRONOUN.fullmatch(t.raw)}
    # Names borrowed from the clause before ("He also met …"): who the clause is about.
    borrowed = (
        set()
        if not SUBJECTLESS.match(text)
        else {
            t.term
            for t in tokens
            if t.capital
            and t.term not in own
            and t.word.isalpha()
            and t.raw.casefold() not in query_months
            and not gazetteer_hits(t.raw, CITIES)
            and not gazetteer_hits(t.raw, COUNTRIES)
        }
    )
    kinds: dict[str, str] = {}
    look_up: set[str] = set()
    unseen: set[str] = set()
    for t in tokens:
        if t.term in weights or len(t.word) < 2:
            continue
        df = store.document_frequency(t.term)
        if df == 0 and t.capital and t.position > 0 and t.term in own and t.word.isalpha():
            # A name the base has never heard of; a month or a weekday names no one.
            unknown = unknown or (
                t.term not in places
                and t.raw.casefold() not in months
                and not _WEEKDAY.fullmatch(t.raw)
            )
        kin = family(t.raw)
        if kin is not None and df == 0 and not _name_or_month(t, months):
            # A word the base never uses as written: another form or word of its family.
            kinds[t.term] = kin
            look_up.add(search_word(kin))
        if df == 0:
            unseen.add(t.term)
        weight = _UNSEEN_WEIGHT if df == 0 else math.log(1 + (total + 1) / (df + 0.5))
        if t.term not in own:
            weight *= _BORROWED
        weights[t.term] = weight
    return Claim(
        text=piece.text,
        families=kinds,
        look_up=sorted(look_up),
        tokens=tokens,
        weights=weights,
        required=required & set(weights),
        own=own & set(weights) - dated,
        predicate=(predicate := {t.term for t in own_tokens if not t.capital})
        & set(weights) - places - dated,
        unseen=unseen & predicate - places - dated,
        attribution={t.term for t in own_tokens if ATTRIBUTED.fullmatch(t.raw)},
        places=places,
        country_terms=country_terms,
        borrowed=borrowed & set(weights),
        imposers=imposers_named(piece.text),
        actors={t.term: a for t in own_tokens if (a := _actors(t.raw))},
        proper_unknown=unknown,
        when=dates_in(text),
        amounts=amounts(text),
        cities=gazetteer_hits(text, CITIES),
        countries=gazetteer_hits(text, COUNTRIES),
        negated=negated(text),
        assessment=assessment(text),
        attributed=attributed or ATTRIBUTED.search(text) is not None,
        cyrillic=cyrillic,
    )
