"""Facts that state the same thing, from one source or several: shown once.

Two facts are the same statement when they say the same thing of the same time, whatever
their kinds (the base may hold one happening as an event and as a count, or a sanction
and the statistic of who it hit): compatible dates (equal, or one a more precise day of
the other's month or year), the same figures (digits and number words alike: "8 (eight)"
and "eight"), no negation in one that denies what the other says, and nearly the same
words both ways; two statistics need the same value and unit, and fewer of the same
words. Profiles are never merged. An answer lists the first of them and names the
others' sources beside it.
"""

from __future__ import annotations

import re

from facts.analysis import analyze, without_stop_words
from facts.fact_text import PerFact
from facts.model import Fact, Kind, StatisticDetails
from facts.negation import negated

#: Words of its own either claim may have when neither holds all of the other's.
_OWN_WORDS = 1
#: Share of its words a claim that holds all of the other's may add (descriptions: "the
#: opposition leader", "presidential").
_ADDED_SHARE = 0.25
_NUMBER_WORDS = {
    w: n
    for n, w in enumerate(
        (
            *("zero", "one", "two", "three", "four", "five", "six"),
            *("seven", "eight", "nine", "ten", "eleven", "twelve"),
        )
    )
}
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*|[a-z]+", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[;:,.()]|\b(?:and|but|when|who|which|while)\b", re.IGNORECASE)
#: Words a negation governs, at most: "not Alexander Lukashenko" negates the name.
_NEGATED_SPAN = 3


def _terms_of_claim(fact: Fact) -> frozenset[str]:
    return frozenset(t.term for t in analyze(fact.text) if not t.term[:1].isdigit())


# Each fact is compared with several others in every answer: read once per fact.
_claim_terms = PerFact(_terms_of_claim)


def _figures(text: str) -> frozenset[str]:
    """The figures ``text`` states, digits and number words alike ("8", "eight" → "8")."""
    out: set[str] = set()
    for word in _FIGURE.findall(text):
        if word[:1].isdigit():
            out.add(word.replace(",", ""))
        elif word.casefold() in _NUMBER_WORDS:
            out.add(str(_NUMBER_WORDS[word.casefold()]))
    return frozenset(out)


def _dates_agree(a: Fact, b: Fact) -> bool:
    """Whether the two dates can be of the same time (equal, or one within the other)."""
    da, db = (a.date.date if a.date else None), (b.date.date if b.date else None)
    if da is None or db is None:
        return da == db
    return da.startswith(db) or db.startswith(da)


def _negated_terms(fact: Fact) -> frozenset[str]:
    """The terms a negation in the claim governs: the few words after it, up to the end of
    its clause ("she, not Alexander Lukashenko, had won" denies only the name)."""
    out: set[str] = set()
    for clause in _CLAUSE_END.split(fact.text):
        words = analyze(clause, keep_stop_words=True)
        for i, token in enumerate(words):
            if negated(token.raw):
                following = without_stop_words(t for t in words[i + 1 :] if not negated(t.raw))
                out.update(t.term for t in following[:_NEGATED_SPAN])
    return frozenset(out)


_denied_terms = PerFact(_negated_terms)
_claim_figures = PerFact(lambda fact: _figures(fact.text))


def _values(fact: Fact) -> tuple[float, str] | None:
    d = fact.details
    return (d.value, d.unit.casefold()) if isinstance(d, StatisticDetails) else None


def same_statement(a: Fact, b: Fact) -> bool:
    """True when ``a`` and ``b`` state the same thing: no profile, dates of the same time,
    the same figures, no negation in one of what the other states, and the same words but
    for one of its own each, or all of one's words in the other with a few more
    (statistics: also the same value and unit)."""
    if a.id == b.id or Kind.PERSON in (a.kind, b.kind):
        return False
    if not _dates_agree(a, b) or _claim_figures(a) != _claim_figures(b):
        return False
    va, vb = _values(a), _values(b)
    if va is not None and vb is not None and va != vb:
        return False
    ta, tb = _claim_terms(a), _claim_terms(b)
    da, db = _denied_terms(a), _denied_terms(b)
    # "were not held" against "were held" differs; "she, not Lukashenko, won" against "she
    # won" does not (the other fact never names what is denied: it is set aside).
    if (da & tb) - db or (db & ta) - da:
        return False
    ta, tb = ta - da, tb - db
    own_a, own_b = ta - tb, tb - ta
    if len(own_a) <= _OWN_WORDS and len(own_b) <= _OWN_WORDS:
        return len(ta & tb) > 2 * _OWN_WORDS
    if not own_a:
        return len(own_b) <= _ADDED_SHARE * len(tb)
    if not own_b:
        return len(own_a) <= _ADDED_SHARE * len(ta)
    return False


def merge_same(facts: list[Fact]) -> tuple[list[Fact], dict[str, list[Fact]]]:
    """``facts`` with each statement once (the first of its kind kept, order kept), and
    the facts merged into each kept one, by its id."""
    shown: list[Fact] = []
    same: dict[str, list[Fact]] = {}
    for fact in facts:
        twin = next((kept for kept in shown if same_statement(kept, fact)), None)
        if twin is None:
            shown.append(fact)
        else:
            same.setdefault(twin.id, []).append(fact)
    return shown, same


def other_sources(kept: Fact, twins: list[Fact]) -> list[Fact]:
    """The twins of ``kept`` that cite a source it does not (worth naming beside it)."""
    cited = {c.source for c in kept.citations}
    out: list[Fact] = []
    for twin in twins:
        new = {c.source for c in twin.citations} - cited
        if new:
            out.append(twin)
            cited |= new
    return out
