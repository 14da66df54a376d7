"""Words that change what a text asserts (a negation, an assessment, an attribution, a
hedge), and each fact analysed once for them: its terms, dates, figures and places."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from facts.aliases import imposers_named
from facts.analysis import analyze
from facts.answer import FactSource
from facts.claims.families import families
from facts.claims.figures import (
    Amount,
    Dates,
    amounts,
    counted_unit,
    dates_in,
    iso_words,
    overlap,
    qualified_range,
)
from facts.claims.places import CITIES, COUNTRIES, gazetteer_hits
from facts.errors import NotFoundError
from facts.index_fields import details_text, translation_fields
from facts.model import (
    EntityType,
    Fact,
    PersonDetails,
    SanctionDetails,
    StatementDetails,
    StatisticDetails,
)
from facts.negation import NEGATION

# --- words ------------------------------------------------------------------------------------

_POSITIVE = re.compile(
    r"\b(?:free|fair|democratic|legitimate(?:ly)?|honest|transparent|recogni[sz]\w*)\b"
    r"|свободн\w*|честн\w*|демократичн\w*|легитимн\w*|прозрачн\w*|призна\w*"
    r"|свабодн\w*|сумленн\w*|дэмакратычн\w*|легітымн\w*|празрыст\w*|прызна\w*",
    re.IGNORECASE,
)
_NEGATIVE = re.compile(
    r"\b(?:rigged|fraudulent|fraud|falsif\w*|falsified|illegitimate|unfair|stolen|sham)\b"
    r"|фальсифи\w*|сфальсифи\w*|нелегитимн\w*|подтасов\w*|украден\w*"
    r"|фальсіфі\w*|сфальсіфі\w*|нелегітымн\w*|скрадзен\w*",
    re.IGNORECASE,
)
ATTRIBUTED = re.compile(
    r"\b(?:said|says|say|told|stated|claim\w*|call(?:ed|s)|according to|describ\w*|named"
    r"|announc\w*|declar\w*|report(?:ed|s)|offer(?:ed|s)|promis\w*|warn\w*|urg\w*|demand\w*"
    r"|accus\w*|insist\w*|spoke|recall\w*|alleg\w*|welcom\w*|condemn\w*|prais\w*"
    r"|criticis\w*|criticiz\w*|assur\w*|wrote|writes)\b"
    r"|заяв\w*|сказал\w*|назвал\w*|по словам|по данным|по мнению|сообщ\w*|утвержда\w*"
    r"|обеща\w*|пообеща\w*|предлож\w*|предупред\w*|призва\w*|потребова\w*|обвин\w*"
    r"|сказаў\w*|назва\w*|паводле|са слоў|паведам\w*|сцвярдж\w*|абяца\w*|паабяца\w*"
    r"|прапан\w*|папяр\w*|заклік\w*|патрабава\w*|абвінав\w*|уверя\w*|запэўні\w*|пишет|піша"
    r"|приветств\w*|осуди\w*|осужда\w*|раскритик\w*|вітал\w*|вітаў\w*|асудзі\w*|асуджа\w*"
    r"|(?<!\w)(?:казаў|казала|казалі|кажа|гаварыў|гаварыла)(?!\w)",
    re.IGNORECASE,
)
#: In a fact: the words that make what follows someone's claim rather than established.
_HEDGE = re.compile(
    r"\b(?:claim(?:ed|s|ing)?|reportedly|anecdotal|alleg(?:ed|edly|ing|es)|purported(?:ly)?"
    r"|accused of|appeared|appears)\b",
    re.IGNORECASE,
)
_SAID = re.compile(
    r"\b(?:said|says|told|spoke about|called|urged|described|view(?:s|ed)?)\b"
    r"|(?:^|(?<=\s))(?:сказал\w*|заявил\w*|назвал\w*|призвал\w*|говорил\w*|рассказал\w*"
    r"|считают|сказаў\w*|сказала|заявіў|заявіла|назваў|назвала|заклікаў|казаў|расказаў|лічаць)",
    re.IGNORECASE,
)
#: Hedges whose scope ends at a comma ("accused of X, died in prison"); "claimed" runs on.
_SHORT_HEDGE = re.compile(r"accus|alleg|appear|purport|обвин|абвінав", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
_QUOTED = re.compile(r"\"[^\"]*\"|«[^»]*»|“[^”]*”")


# --- facts, analysed once ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FactView:
    terms: frozenset[str]
    prefixes: frozenset[str]
    quote_terms: frozenset[str]
    when: Dates
    #: When the thing happened: the fact's own date when it has one, else every date in
    #: its text ("sanctioned in 2006, as Kent recalled in 2020" happened in 2006).
    happened: Dates
    #: The usual imposers it names (for a sanction: who imposed it).
    imposers: frozenset[str]
    amounts: tuple[Amount, ...]
    cities: frozenset[str]
    countries: frozenset[str]
    hedged_terms: frozenset[str]
    said_terms: frozenset[str]
    hedged_share: float
    said_share: float
    negated_terms: frozenset[str]
    assessment: int
    texts: tuple[str, ...]
    #: True for a statistic: its one figure is what it is about.
    statistic: bool
    #: The word families its texts hold (see facts.claims.families).
    families: frozenset[str]
    #: For a statistic: every word of what it counts ("signatories (52 countries …)").
    counted: frozenset[str] = frozenset()


PREFIX = 5


def prefix(term: str) -> str:
    return term[:PREFIX] if len(term) >= PREFIX + 1 else ""


def _scoped_terms(text: str, cue: re.Pattern[str]) -> set[str]:
    """Terms of ``text`` that follow ``cue`` within its clause (until , ; . or "and")."""
    out: set[str] = set()
    for match in cue.finditer(text):
        end = r"[;.,]" if _SHORT_HEDGE.match(match.group()) else r"[;.]"
        rest = re.split(rf"{end}|\band (?:was|is|has|had|were)\b", text[match.end() :], maxsplit=1)[
            0
        ]
        out.update(t.term for t in analyze(rest))
    return out


_NEGATION_END = re.compile(
    r"[;.,]|\b(?:and|but|when|who|which|while|и|а|но|і|ды|але|калі|когда)\b", re.IGNORECASE
)


def _negated_terms(text: str) -> set[str]:
    """Terms of ``text`` within four words after a negation (what is negated)."""
    out: set[str] = set()
    for match in NEGATION.finditer(text):
        rest = text[match.end() : match.end() + 60]
        rest = _NEGATION_END.split(rest, maxsplit=1)[0]
        out.update(t.term for t in analyze(rest)[:3])
    return out


#: What makes the assessment words after it a wish, not an assessment: "demands for free
#: and fair elections", "through free elections", "призвал к честным выборам".
_NOT_ASSESSED = re.compile(
    r"\b(?:for|through|towards?|demands?|aspirations?|support(?:s|ed)?|development of|new)"
    r"\s+(?:[\w,]+\s+){0,4}$"
    r"|(?:^|(?<=\s))(?:за|к|для|через|новы\w*|праз|да|требовани\w*|патрабаванн\w*)"
    r"\s+(?:[\w,]+\s+){0,4}$",
    re.IGNORECASE,
)
_FREE_FROM = re.compile(r"\s+(?:from|of)\b", re.IGNORECASE)
_OPENS = re.compile(r"(?:^|[.!?:«\"]\s*)$")


def assessment(text: str) -> int:
    """+1: the text calls something free, fair or legitimate; -1: rigged, falsified, or
    "neither free nor fair"; 0: no assessment."""
    negative = _NEGATIVE.search(text) is not None
    positive = False
    for match in _POSITIVE.finditer(text):
        window = text[max(0, match.start() - 40) : match.start()]
        if _NOT_ASSESSED.search(window) or _FREE_FROM.match(text, match.end()):
            continue  # a demand for free elections, "free from": no assessment of any
        if match.group()[:1].isupper() and match.start() and not _OPENS.search(window):
            continue  # a name's word ("Office for Democratic Institutions")
        if NEGATION.search(window) or re.search(r"\b(?:un|il|in)\w*$", window):
            negative = True
        else:
            positive = True
    if negative:
        return -1
    return 1 if positive else 0


def fact_view(fact: Fact, store: FactSource) -> FactView:
    """What the claim check reads of ``fact`` — kept by the store while it is unchanged (the
    view holds the names of the fact's related people, read from the store)."""
    return store.per_version(("claim view", fact.id, fact.revision), lambda: _view(fact, store))


def _view(fact: Fact, store: FactSource) -> FactView:
    # The people and bodies a fact is related to go by other spellings in their profiles
    # ("Tsikhanouskaya", "Лукашэнка"): a claim that names them that way still matches.
    names = " ".join([*fact.names, *_related_names(fact, store)])
    translated_names, translated_text = translation_fields(fact)
    own = [fact.text, names, details_text(fact, topics=False), translated_names, translated_text]
    terms = {t.term for part in own for t in analyze(part)}
    quotes = {t.term for c in fact.citations for t in analyze(c.quote)}
    quotes |= {
        t.term for tr in fact.translations.values() for q in tr.quotes if q for t in analyze(q)
    }
    texts = (fact.text, *(t.text for t in fact.translations.values()))
    plain = [_QUOTED.sub(" ", t) for t in texts]
    hedged: set[str] = set()
    said: set[str] = set()
    negated: set[str] = set()
    for t in plain:
        negated |= _negated_terms(t)
    hedged |= _scoped_terms(plain[0], _HEDGE)
    d = fact.details
    if isinstance(d, StatementDetails) or (
        isinstance(d, PersonDetails) and d.entity is EntityType.PERSON
    ):
        # Also in the translations, for a Russian or Belarusian claim's own words.
        for t in plain:
            said |= _scoped_terms(t, _SAID)
    # A Russian or Belarusian claim is weighed against the English text's share in scope:
    # the translations word a hedge in many ways ("заявило" is both "claimed" and "said").
    english = {t.term for t in analyze(plain[0])} or {""}
    when_parts = [fact.text]
    happened = None
    if fact.date is not None:
        when_parts.append(iso_words(fact.date.date))
        happened = dates_in(iso_words(fact.date.date))
    view = FactView(
        terms=frozenset(terms),
        prefixes=frozenset(p for p in map(prefix, terms | quotes) if p),
        quote_terms=frozenset(quotes),
        when=dates_in(" ".join(when_parts)),
        happened=happened or dates_in(" ".join(when_parts)),
        imposers=imposers_named(
            " ".join(d.imposed_by) if isinstance(d, SanctionDetails) else fact.text
        ),
        amounts=tuple(fact_amounts(fact)),
        cities=frozenset(gazetteer_hits(" ".join(texts), CITIES)),
        countries=frozenset(gazetteer_hits(" ".join(texts), COUNTRIES)),
        hedged_terms=frozenset(hedged),
        said_terms=frozenset(said),
        hedged_share=len(hedged & english) / len(english),
        said_share=len(said & english) / len(english),
        negated_terms=frozenset(negated),
        assessment=assessment(fact.text),
        texts=texts,
        statistic=isinstance(d, StatisticDetails),
        families=families(_WORD.findall(" ".join(texts))),
        counted=frozenset(t.term for t in analyze(d.unit))
        if isinstance(d, StatisticDetails)
        else frozenset(),
    )
    return view


def _related_names(fact: Fact, store: FactSource) -> list[str]:
    out: list[str] = []
    for related in fact.related:
        try:
            other = store.get(related)
        except NotFoundError:
            continue
        out += other.names
    return out


def fact_amounts(fact: Fact) -> list[Amount]:
    texts = [fact.text, *(t.text for t in fact.translations.values())]
    stated = [a for t in texts for a in amounts(t)]
    d = fact.details
    if isinstance(d, StatisticDetails):
        value = qualified_range(float(d.value), d.qualifier)
        unit = set(counted_unit(d.unit))
        for a in stated:
            if overlap(a, value):
                unit |= a.unit
        return [replace(value, unit=frozenset(unit))]
    return stated
