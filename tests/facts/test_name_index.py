"""The name matcher ranks only the facts that can make its top results: the same hits as
scoring every fact that matched (the rule, written out below)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from facts.name_index import Hit, NameIndex
from facts.names import name_tokens, phonetic

#: Few words, so that many facts share names and scores tie (as copies of a base do).
_WORDS = ["Lukashenko", "Lukashenka", "Alexander", "Viasna", "USA", "Tsikhanouskaya", "Ales"]
_WORDS += ["Bialiatski", "Sviatlana", "Tikhanovskaya", "Kolesnikova", "Maria", "Minsk", "OSCE"]

_names = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=3).map(" ".join)


def _every_fact_scored(index: NameIndex, query: str, limit: int) -> list[Hit]:
    """The rule: every fact that matched a key scored, sorted, cut at ``limit``."""
    keys = [phonetic(t) for t in name_tokens(query)]
    if not keys or limit < 1:
        return []
    best: dict[str, list[float]] = {}
    matched: dict[str, set[str]] = {}
    for i, key in enumerate(keys):
        for name_key, close in index.similar_keys(key):
            for fact_id in index._name_keys[name_key]:
                row = best.setdefault(fact_id, [0.0] * len(keys))
                row[i] = max(row[i], close)
                matched.setdefault(fact_id, set()).add(name_key)
    hits = []
    for fact_id, row in best.items():
        mean = sum(row) / len(keys)
        cover = max(
            len(set(name) & matched[fact_id]) / len(set(name))
            for name in index._entity_names[fact_id]
        )
        score = mean * (0.9 + 0.1 * cover)
        if score >= 0.5:
            hits.append(Hit(fact_id, round(score, 6)))
    hits.sort(key=lambda h: (-h.score, h.fact_id))
    return hits[:limit]


@given(
    facts=st.lists(st.lists(_names, min_size=1, max_size=3), min_size=1, max_size=40),
    query=st.one_of(_names, st.sampled_from(["Lukashenk", "Tsikhanovska", "Aleksandr Lukashenko"])),
    limit=st.integers(min_value=0, max_value=12),
)
@settings(max_examples=300, deadline=None)
def test_names_finds_what_scoring_every_fact_finds(
    facts: list[list[str]], query: str, limit: int
) -> None:
    index = NameIndex()
    for n, names in enumerate(facts):
        index.add(f"fact-{n:02d}", names)
    assert index.names(query, limit=limit) == _every_fact_scored(index, query, limit)
