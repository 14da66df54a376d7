"""Matching a claim against the base and deciding its finding (support, contradict,
context, nothing) from the facts that cover it."""

from __future__ import annotations

from collections.abc import Sized

from facts.answer import FactSource
from facts.claims.families import families
from facts.claims.figures import Amount, overlap
from facts.claims.findings import ClaimCheck, Conflict, Finding
from facts.claims.reading import Claim, read_claim
from facts.claims.split import Piece
from facts.claims.views import FactView, fact_view, prefix
from facts.lang import has_cyrillic
from facts.model import EntityType, Fact, Kind, PersonDetails, StatementDetails

#: The share of a claim's weighted words a fact must contain to speak about it.
_RELEVANT = 0.55
#: Russian and Belarusian words often differ from the translation's in aspect or form.
_RELEVANT_CYRILLIC = 0.45
#: A contradiction needs a fact about the very thing claimed: this share of its words.
_CONTRADICT_RELEVANT = 0.7
#: A fact naming this many countries lists them in full (the signatories of a statement).
_FULL_LIST = 5
#: The share (by weight) of a claim's own lower-case words a fact must hold.
_PREDICATE_SHARE = 0.25
#: A date or place contradicts only a claim about the same happening: a fact holding
#: this share of what the claim says ("died … in 2021" against "died … in May 2023", not
#: "was released in 2023" against "was charged in 2020").
_SAME_HAPPENING = 0.75
#: A fact this much less relevant than the best one is not shown beside it.
_CLOSE = 0.2
_CANDIDATES = 15
_SEARCH_WORDS = 6
_PREFIX_CREDIT = 0.7
_QUOTE_CREDIT = 0.8
#: A word of the same family ("died" for "deaths") counts this much.
_FAMILY_CREDIT = 0.8
#: A fact dated to a year the claim names is that much more likely to be about it.
_YEAR_BONUS = 0.1


def _coverage(claim: Claim, view: FactView) -> tuple[float, int, set[str], set[str]]:
    total = sum(claim.weights.values()) or 1.0
    got = 0.0
    matched: set[str] = set()
    figured: set[str] = set()
    # The words a figure the fact states counts ("several people" against "several
    # reported deaths"): the figure speaks for them, never for what the claim says happened
    # to them (see _happening).
    counted = {t for a, b in _comparable(claim.amounts, view) if overlap(a, b) for t in a.unit}
    for term, weight in claim.weights.items():
        if term in view.terms:
            got += weight
        elif term in view.quote_terms:
            got += weight * _QUOTE_CREDIT
        elif prefix(term) and prefix(term) in view.prefixes:
            got += weight * _PREFIX_CREDIT
        elif claim.families.get(term) in view.families:
            got += weight * _FAMILY_CREDIT
        elif term in counted:
            got += weight * _FAMILY_CREDIT
            figured.add(term)
        elif claim.actors.get(term, frozenset()) & view.imposers:
            # "Американцы" is the United States, however the fact names it (facts.aliases).
            got += weight
        elif term in claim.country_terms and len(view.countries) >= _FULL_LIST:
            # A list of countries named in full is about every country: one it leaves out
            # is what the fact says about it.
            got += weight
        else:
            continue
        matched.add(term)
    share = got / total
    if claim.when.years & view.when.years:
        share += _YEAR_BONUS
    return min(1.0, share), len(matched), matched, figured


#: Kinds whose date is when the thing happened (a statement's date is when it was said).
_DATED_HAPPENINGS = frozenset({Kind.EVENT, Kind.SANCTION})


def _conflict(claim: Claim, fact: Fact, view: FactView, matched: set[str]) -> Conflict | None:
    """What in ``fact`` conflicts with ``claim`` (None: nothing does)."""
    if claim.assessment and view.assessment and claim.assessment != view.assessment:
        return Conflict.ASSESSMENT
    # Another figure denies a claim only about the same count: a statistic's figure is
    # compared with a claim's one figure whatever it counts, to back it, but a figure of
    # something else ("9.2 million people" against "53 signatories") denies nothing.
    pairs = _counts(claim, view, matched)
    if pairs and not any(overlap(a, b) for a, b in pairs):
        return Conflict.NUMBER
    if fact.kind in _DATED_HAPPENINGS:
        happened = view.happened
        if claim.when.years and happened.years and not claim.when.years & happened.years:
            return Conflict.DATE
        fact_months = {m for _, m in happened.months}
        claim_months = {m for _, m in claim.when.months}
        if (
            claim_months
            and fact_months
            and not claim_months & fact_months
            and (not claim.when.years or claim.when.years & happened.years)
        ):
            return Conflict.DATE
    if claim.cities and view.cities and not claim.cities & view.cities:
        return Conflict.PLACE
    if (
        claim.countries
        and len(view.countries) >= _FULL_LIST
        and not claim.countries <= view.countries
    ):
        return Conflict.LIST
    if not claim.assessment:
        fact_negated = bool(matched & view.negated_terms)
        if claim.negated != fact_negated:
            return Conflict.NEGATION
    return None


#: A fact's English text this much inside a hedge's (or a person's "said") scope records
#: the whole fact as someone's claim.
_SHARE_IN_SCOPE = 0.4


def _attributed_only(
    claim: Claim, store: FactSource, fact: Fact, view: FactView, matched: set[str]
) -> bool:
    """True when ``fact`` records what the claim says only as someone's claim, allegation or
    (a person's) statement, and the claim states it as plain fact."""
    if claim.attributed:
        return False
    if claim.cyrillic and (
        view.hedged_share >= _SHARE_IN_SCOPE
        or (view.said_share >= _SHARE_IN_SCOPE and person_speaker(store, fact))
    ):
        return True
    weights = {t: claim.weights[t] for t in matched if not _is_name(t, claim)}
    total = sum(weights.values())
    if not total:
        return False
    hedged = sum(w for t, w in weights.items() if t in view.hedged_terms)
    if hedged / total >= 0.5:
        return True
    if view.said_terms and person_speaker(store, fact):
        said = sum(w for t, w in weights.items() if t in view.said_terms)
        return said / total >= 0.5
    return False


def _stance(claim: Claim, store: FactSource, fact: Fact, view: FactView, matched: set[str]) -> bool:
    """True when a statement (or a person's profile) that assesses negates only the claim's
    names, none of what the claim says of them ("does not recognise Lukashenko as
    legitimate" against "Lukashenko won"): the speaker's view of whom the claim is about,
    not a denial of what it says."""
    if claim.attributed or claim.negated:
        return False
    if fact.kind is not Kind.STATEMENT and not person_speaker(store, fact):
        return False
    return bool(view.assessment) and not matched & view.negated_terms & claim.predicate


def _is_name(term: str, claim: Claim) -> bool:
    return any(t.term == term and t.capital for t in claim.tokens)


def person_speaker(store: FactSource, fact: Fact) -> bool:
    """True when the fact is a person's own statement (or a person's profile)."""
    d = fact.details
    if isinstance(d, PersonDetails):
        return d.entity is EntityType.PERSON
    if not isinstance(d, StatementDetails):
        return False
    return store.per_version(("person speaker", d.speaker), lambda: _is_person(store, d.speaker))


def _is_person(store: FactSource, name: str) -> bool:
    hits = store.find_people(name, limit=1)
    found = hits[0].fact.details if hits else None
    return isinstance(found, PersonDetails) and found.entity is EntityType.PERSON


def check_claim(piece: Piece | str, store: FactSource, *, total: int | None = None) -> ClaimCheck:
    """What the base says about one claim."""
    if isinstance(piece, str):
        piece = Piece(piece, piece)
    if total is None:
        total = base_size(store)
    claim = read_claim(piece, store, total)
    if claim.proper_unknown or not claim.weights:
        return ClaimCheck(piece.text, Finding.NOTHING)
    # The rarest words find the facts about the claim; the common ones only cost time.
    first: dict[str, str] = {}
    for t in claim.tokens:
        first.setdefault(t.term, t.raw if has_cyrillic(t.raw) else t.word)
    rarest = sorted(claim.weights, key=lambda term: -claim.weights[term])[:_SEARCH_WORDS]
    words = [first[term] for term in rarest]
    hits = store.search(" ".join([*words, *claim.look_up]), limit=_CANDIDATES)
    if claim.country_terms:
        # A country left out of a list is not in the list's text: look for the rest too.
        rest = [t for t in rarest if t not in claim.country_terms]
        seen = {h.fact.id for h in hits}
        if rest:
            more = store.search(" ".join(first[term] for term in rest), limit=3 * _CANDIDATES)
            hits = [*hits, *(h for h in more if h.fact.id not in seen)]
    scored: list[tuple[float, Fact, FactView, set[str]]] = []
    needed = min(2, len(claim.weights))
    relevant = _RELEVANT_CYRILLIC if claim.cyrillic else _RELEVANT
    for hit in hits:
        view = fact_view(hit.fact, store)
        coverage, count, matched, figured = _coverage(claim, view)
        # What the fact holds of what the claim says, not through the claim's figure.
        said = matched - figured
        if (
            coverage >= relevant
            and count >= needed
            and not _other_imposer(claim, view)
            and _names_present(claim, matched)
            and (_says_the_same(claim, said) or _own_share(claim, said) >= _CONTRADICT_RELEVANT)
            and not _about_something_else(claim, matched, hit.fact)
        ):
            scored.append((coverage, hit.fact, view, matched))
    if not scored:
        return ClaimCheck(piece.text, Finding.NOTHING)
    scored.sort(key=lambda s: (-s[0], s[1].id))
    # A fact that does not name the claim's countries (nor lists countries in full) cannot
    # back what the claim says of them: the facts close to the claim are those close to the
    # best one that can.
    naming = [
        s[0]
        for s in scored
        if claim.countries <= s[2].countries or len(s[2].countries) >= _FULL_LIST
    ]
    best = naming[0] if naming else scored[0][0]
    close = [s for s in scored if s[0] >= best - _CLOSE]
    conflicts = {s[1].id: _conflict(claim, s[1], s[2], s[3]) for s in close}
    # A figure, date or place that some close fact agrees with: the facts that differ are
    # about something else (another count, another event), not a denial.
    agreed = {
        kind
        for kind in (Conflict.NUMBER, Conflict.DATE, Conflict.PLACE)
        if any(_agrees(claim, s[1], s[2], kind) for s in close)
    }
    # A fact that can neither back the claim's figure nor deny it does not raise the bar for
    # the others: the best fact is the best one that could decide.
    top = max(
        (
            s[0]
            for s in close
            if conflicts[s[1].id] is not None or not claim.amounts or _backs(claim, s[2], s[3])
        ),
        default=scored[0][0],
    )
    contradicting: list[tuple[Fact, Conflict]] = []
    supporting: list[Fact] = []
    context: list[Fact] = []
    # Facts that neither back nor deny the claim's figure, giving one of their own.
    other_figure: list[Fact] = []
    for coverage, fact, view, matched in close:
        conflict = conflicts[fact.id]
        if conflict is Conflict.NEGATION and (
            _stance(claim, store, fact, view, matched)
            or _attributed_only(claim, store, fact, view, matched)
        ):
            # Someone's view or claim ("Washington does not recognise Lukashenko as
            # legitimate", "she, not Lukashenko, had won") puts a plain claim in context: it
            # denies only a claim about what was said.
            context.append(fact)
            continue
        if conflict is not None:
            if conflict in agreed:
                continue
            # Not surely about the very thing claimed: it neither backs nor denies it. The
            # fact that matches the claim best denies it at the relevance that would let it
            # back it; another needs more.
            if coverage < (
                _RELEVANT if coverage >= top else _CONTRADICT_RELEVANT
            ) or not _says_the_same(claim, matched):
                continue
            if conflict is Conflict.NUMBER and _other_period(claim, view, months=True):
                continue  # another year's (or month's) figure is another count, not a denial
            if conflict in (Conflict.DATE, Conflict.PLACE) and not _says_the_same(
                claim, matched, share=_SAME_HAPPENING
            ):
                continue  # another date or place of another happening: nothing about this one
            contradicting.append((fact, conflict))
            continue
        if claim.amounts and not _backs(claim, view, matched):
            continue  # a figure needs a fact with a figure of it to back it
        if claim.amounts and not _states(claim, view, matched):
            # "at least 5,000" beside "at least 1,486": not denied, not backed either.
            other_figure.append(fact)
            continue
        if _other_period(claim, view):
            continue  # a fact about another year does not back a dated claim
        if not claim.countries <= view.countries:
            continue  # a fact that does not name the claim's country does not back it
        if _attributed_only(claim, store, fact, view, matched):
            context.append(fact)
        else:
            supporting.append(fact)
    if contradicting:
        return ClaimCheck(
            piece.text,
            Finding.CONTRADICT,
            [f for f, _ in contradicting][:3],
            contradicting[0][1],
        )
    # A profile sums up facts held in full elsewhere: it decides only when nothing else does.
    if any(f.kind is not Kind.PERSON for f in [*supporting, *context, *other_figure]):
        supporting = [f for f in supporting if f.kind is not Kind.PERSON]
        context = [f for f in context if f.kind is not Kind.PERSON]
        other_figure = [f for f in other_figure if f.kind is not Kind.PERSON]
    if supporting:
        return ClaimCheck(piece.text, Finding.SUPPORT, supporting[:3])
    if context:
        return ClaimCheck(piece.text, Finding.CONTEXT, context[:3])
    if other_figure:
        # Context of another kind: the sources give a figure of their own.
        return ClaimCheck(piece.text, Finding.CONTEXT, other_figure[:3], Conflict.NUMBER)
    return ClaimCheck(piece.text, Finding.NOTHING)


def _other_imposer(claim: Claim, view: FactView) -> bool:
    """True when the fact is about another state or body than the one the claim names
    (for a sanction: another imposer): the EU's sanctions neither back nor deny what "the
    Americans" did."""
    named = view.imposers
    return bool(claim.imposers and named) and not claim.imposers & named


def _about_something_else(claim: Claim, matched: set[str], fact: Fact) -> bool:
    """True when most of what the claim says is in words the base never uses and the fact
    lacks ("Lukashenko congratulated the singer personally"): it is about something the
    base does not hold, whatever names it shares with the fact."""
    if claim.cyrillic:
        return False  # Russian and Belarusian forms the base lacks are mostly inflection
    missing = claim.unseen - matched
    if fact.kind is Kind.STATEMENT:
        # "promised", "insisted": a statement words its own attribution ("said").
        missing -= claim.attribution
    return len(missing) >= 2 and 2 * len(missing) > len(claim.predicate)


def _says_the_same(claim: Claim, matched: set[str], *, share: float = 0.0) -> bool:
    """True when the fact holds some of what the claim says about its names (its own
    lower-case words), not only the names: "Russian troops entered Minsk" is not about a
    fact that merely names Minsk and Russia. A fact without them may still back a claim
    whose names it holds nearly all of ("toured the Hi-Tech Park"), never deny it."""
    predicate = _happening(claim)
    if predicate & matched & claim.families.keys() and predicate != claim.predicate:
        return True  # what happened to the people counted, in a word of its family
    total = sum(claim.weights[t] for t in predicate)
    got = sum(claim.weights[t] for t in predicate & matched)
    return not total or got >= (share or _PREDICATE_SHARE) * total


#: Words that count people and name no role ("people", "людей", "жителей"): what a claim
#: says of such a count is what happened to them.
_PEOPLE = frozenset(
    {"peopl", "person", "citizen", "resident", "люд", "человек", "гражда", "жител"}
    | {"людз", "чалавек", "грамадзя", "жыхар"}
)


def _happening(claim: Claim) -> set[str]:
    """What the claim says of its names: its own lower-case words, less a word for people
    its figure counts when it says more ("took to the streets" in "thousands of people took
    to the streets"): a fact with the figure and the people but not what happened to them
    is about something else. A count of a role ("prisoners", "students") says it itself."""
    rest = claim.predicate - {a.head for a in claim.amounts if a.head in _PEOPLE}
    return rest or claim.predicate


def _own_share(claim: Claim, matched: set[str]) -> float:
    """The share of the claim's own words (not those borrowed from the clause before) the
    fact holds, by weight."""
    own = [t for t in claim.weights if t in claim.own]
    total = sum(claim.weights[t] for t in own)
    return sum(claim.weights[t] for t in own if t in matched) / total if total else 0.0


def _names_present(claim: Claim, matched: set[str]) -> bool:
    """True when the fact holds every name of the claim (a name it lacks: the fact is about
    someone else), and half of those it borrowed from the clause before: "met Tikhanovskaya
    there", after "Pompeo came back to Minsk", is not about another man who met her."""
    if claim.borrowed:
        total = sum(claim.weights[t] for t in claim.borrowed)
        if sum(claim.weights[t] for t in claim.borrowed & matched) < 0.5 * total:
            return False
    return claim.required <= matched


def _agrees(claim: Claim, fact: Fact, view: FactView, kind: Conflict) -> bool:
    """True when the fact states the claim's figure, date (a happening of that year, and
    of that month when the claim names one) or city."""
    if kind is Conflict.NUMBER:
        return any(overlap(a, b) for a, b in _comparable(claim.amounts, view))
    if kind is Conflict.DATE:
        if fact.kind not in _DATED_HAPPENINGS:
            return False
        happened = view.happened
        months = {m for _, m in claim.when.months}
        if months and not months & {m for _, m in happened.months}:
            return False
        return not claim.when.years or bool(claim.when.years & happened.years)
    return bool(claim.cities & view.cities)


def base_size(store: FactSource) -> int:
    """How many facts the base holds (weights words by how rare they are)."""
    return max(1, len(store) if isinstance(store, Sized) else len(store.facts()))


def _other_period(claim: Claim, view: FactView, *, months: bool = False) -> bool:
    """True when the claim dates its figure to another year than the fact's (or, with
    ``months``, to another month of the year the fact happened in)."""
    if claim.when.years and view.when.years and not claim.when.years & view.when.years:
        return True
    if not months:
        return False
    claimed = {m for _, m in claim.when.months}
    happened = {m for _, m in view.happened.months}
    return bool(claimed and happened and not claimed & happened)


#: A statistic's figure backs a claim's figure that counts with other words only when the two
#: are of a size: "at least 500 cases" says nothing of "9.2 million people".
_OF_A_SIZE = 10


def _backs(claim: Claim, view: FactView, matched: set[str]) -> bool:
    """True when the fact has a figure to compare the claim's with: one of the same count,
    or a statistic's of the same size."""
    if _counts(claim, view, matched):
        return True
    return any(
        max(a.low, b.low) <= _OF_A_SIZE * max(1.0, min(a.low, b.low))
        for a, b in _comparable(claim.amounts, view)
    )


def _states(claim: Claim, view: FactView, matched: set[str]) -> bool:
    """True when the fact's figure is one the claim's allows: the least the fact counts lies
    in the claim's range ("at least 1,486" states "1,486" and "more than 1,000", not "at
    least 5,000")."""
    pairs = _counts(claim, view, matched) or _comparable(claim.amounts, view)
    return any(a.low <= b.low <= a.high for a, b in pairs)


def _counts(claim: Claim, view: FactView, matched: set[str]) -> list[tuple[Amount, Amount]]:
    """Pairs of the claim's figures and the fact's that count the same thing."""
    said = claim.predicate & matched
    return [(a, b) for a, b in _comparable(claim.amounts, view) if _same_count(a, b, said, view)]


def _same_count(a: Amount, b: Amount, said: set[str], view: FactView) -> bool:
    """True when the claim's figure and the fact's count the same thing (or either does not
    say what it counts): what the claim counts, or says of it that the fact holds, shares a
    word, a beginning or a family with what the fact counts."""
    if not a.unit or not b.unit:
        return True
    mine = a.unit | said
    theirs = b.unit | view.counted
    if mine & theirs or {prefix(t) for t in mine} & {prefix(t) for t in theirs} - {""}:
        return True
    return bool(families(list(mine)) & families(list(theirs)))


def _comparable(claim: list[Amount], view: FactView) -> list[tuple[Amount, Amount]]:
    """Pairs of a claim's figure and a fact's that count the same thing. A statistic's one
    figure is what it is about: a claim with one figure is compared with it whatever words
    either uses for what is counted."""
    if len(claim) == 1 and view.statistic:
        return [(claim[0], b) for b in view.amounts]
    return [(a, b) for a in claim for b in view.amounts if a.comparable(b)]
