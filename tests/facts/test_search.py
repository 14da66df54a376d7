"""The search index ranks facts by claims, names and quotes and finds names under any spelling."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from facts.analysis import stem, terms
from facts.model import Fact, Kind
from facts.names import distance, fold, phonetic
from facts.search import SearchIndex

SOURCE = "test-source-2020-11"


def fact(fact_id: str, text: str, kind: str = "event", **extra: Any) -> Fact:
    """A valid fact of ``kind`` with ``text``; ``quote``, ``name`` and ``aliases`` optional."""
    details: dict[str, Any]
    if kind == "person":
        details = {
            "kind": "person",
            "entity": extra.pop("entity", "person"),
            "name": extra.pop("name"),
            "aliases": extra.pop("aliases", []),
        }
    elif kind == "statistic":
        details = {
            "kind": "statistic",
            "value": extra.pop("value", 1486),
            "unit": extra.pop("unit", "political prisoners"),
            "as_of": {"date": extra.pop("date", "2023-05")},
        }
    elif kind == "sanction":
        details = {
            "kind": "sanction",
            "imposed_by": extra.pop("imposed_by", ["United States"]),
            "targets": ["Belarusian officials"],
            "measures": ["sanctions"],
            "date": {"date": extra.pop("date", "2020-10-02")},
            "status": "imposed",
        }
    elif kind == "statement":
        details = {"kind": "statement", "speaker": extra.pop("speaker", "Mike Pompeo")}
    else:
        details = {"kind": "event", "date": {"date": extra.pop("date", "2020-08-09")}}
    record: dict[str, Any] = {
        "id": fact_id,
        "kind": kind,
        "text": text,
        "details": details,
        "citations": [{"source": SOURCE, "quote": extra.pop("quote", "a supporting quote")}],
        **extra,
    }
    return Fact.model_validate(record)


SAMPLE = [
    fact(
        "political-prisoners-2023-05",
        "At least 1,486 political prisoners were held in Belarus as of May 2023.",
        "statistic",
        quote="There are currently at least 1,486 political prisoners in Belarus",
    ),
    fact(
        "sanction-us-officials-2020-10-02",
        "On 2 October 2020 the U.S. imposed sanctions on eight Belarusian officials.",
        "sanction",
    ),
    fact(
        "event-protests-minsk",
        "Hundreds of students marched across Minsk in protest against the election.",
        quote="protesters marched",
    ),
    fact(
        "statement-pompeo-crackdown",
        "Mike Pompeo called on the authorities to cease their crackdown on protesters.",
        "statement",
    ),
    fact(
        "person-alexander-lukashenko",
        "Alexander Lukashenko is the longstanding leader of Belarus.",
        "person",
        name="Alexander Lukashenko",
        aliases=["Aleksandr Lukashenka", "Лукашенко"],
    ),
    fact(
        "person-svetlana-tikhanovskaya",
        "Svetlana Tikhanovskaya is the Belarusian opposition leader.",
        "person",
        name="Svetlana Tikhanovskaya",
        aliases=["Sviatlana Tsikhanouskaya"],
    ),
    fact(
        "person-mariya-kalesnikava",
        "Mariya Kalesnikava is a member of the Coordination Council Presidium.",
        "person",
        name="Mariya Kalesnikava",
    ),
    fact(
        "person-mike-pompeo",
        "Mike Pompeo was the U.S. Secretary of State in 2020.",
        "person",
        name="Mike Pompeo",
        aliases=["Michael Pompeo"],
    ),
    fact(
        "person-wolfgang-benedek",
        "Professor Wolfgang Benedek was the OSCE Moscow Mechanism rapporteur in 2020.",
        "person",
        name="Wolfgang Benedek",
    ),
    fact(
        "person-herve-ascensio",
        "Dr. Hervé Ascensio was the OSCE Moscow Mechanism rapporteur in 2023.",
        "person",
        name="Hervé Ascensio",
    ),
    fact(
        "person-michael-carpenter",
        "Michael Carpenter was the U.S. ambassador to the OSCE in 2023.",
        "person",
        name="Michael Carpenter",
    ),
    fact(
        "org-coordination-council",
        "The Coordination Council is the Belarusian opposition council.",
        "person",
        entity="organisation",
        name="Coordination Council",
    ),
]


@pytest.fixture
def index() -> SearchIndex:
    idx = SearchIndex()
    for f in SAMPLE:
        idx.add(f)
    return idx


def top(index: SearchIndex, query: str, **kwargs: Any) -> str | None:
    hits = index.search(query, **kwargs)
    return hits[0].fact_id if hits else None


@pytest.mark.parametrize(
    ("word", "same_as"),
    [
        ("protesters", "protest"),
        ("protests", "protest"),
        ("protesting", "protest"),
        ("sanctioned", "sanctions"),
        ("detained", "detentions"),
        ("violated", "violations"),
        ("prisoners", "imprisoned"),
        ("elections", "elected"),
        ("restrictive", "restrictions"),
        ("falsified", "falsification"),
        ("countries", "country"),
    ],
)
def test_stemming_joins_word_families(word: str, same_as: str) -> None:
    assert stem(word) == stem(same_as)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Lukashenko", "Lukashenka"),
        ("Tikhanovskaya", "Tsikhanouskaya"),
        ("Tikhanovskaya", "Tikhanovskaja"),
        ("Kalesnikava", "Kolesnikova"),
        ("Pompeo", "Pompeio"),
        ("Hervé", "Herve"),
        ("Лукашенко", "Lukashenko"),
        ("Ціханоўская", "Tsikhanouskaya"),
        ("Mariya", "Maria"),
    ],
)
def test_phonetic_key_joins_transliterations(a: str, b: str) -> None:
    assert phonetic(fold(a)) == phonetic(fold(b))


def test_distance_counts_transpositions_and_stops_at_limit() -> None:
    assert distance("lukashenka", "lukahsenka", 2) == 1
    assert distance("abc", "xyz", 1) == 2


def test_terms_fold_abbreviations_numbers_and_possessives() -> None:
    assert terms("The U.S. and the United States; the EU; 1,486; Lukashenko’s; Tut.by") == [
        "usa",
        "usa",
        "eu",
        "1486",
        "lukashenko",
        "tutbi",
    ]


def test_search_ranks_the_matching_claim_first(index: SearchIndex) -> None:
    assert top(index, "political prisoners") == "political-prisoners-2023-05"
    assert top(index, "US sanctions on officials") == "sanction-us-officials-2020-10-02"
    assert top(index, "1,486") == "political-prisoners-2023-05"


def test_search_folds_case_stems_and_drops_stop_words(index: SearchIndex) -> None:
    assert top(index, "SANCTIONED") == "sanction-us-officials-2020-10-02"
    assert top(index, "the students who were protesting") == "event-protests-minsk"
    assert index.search("the of and") == []


def test_search_weighs_names_above_text(index: SearchIndex) -> None:
    assert top(index, "Pompeo") == "person-mike-pompeo"
    assert top(index, "Lukashenka") == "person-alexander-lukashenko"


def test_search_matches_quotes(index: SearchIndex) -> None:
    assert top(index, "currently") == "political-prisoners-2023-05"


def test_search_tolerates_a_typo_in_a_rare_word(index: SearchIndex) -> None:
    assert top(index, "sanctoins") == "sanction-us-officials-2020-10-02"
    assert top(index, "Tsikhanovskya") == "person-svetlana-tikhanovskaya"


def test_an_unknown_russian_word_is_never_an_english_word_one_letter_away() -> None:
    index = SearchIndex()
    index.add_many(
        [
            fact("statement-past", "Pompeo said the past abuses must be accounted for."),
            fact("person-pompeo", "Mike Pompeo.", "person", name="Mike Pompeo"),
        ]
    )
    # "паста" reads "pasta", one letter from "past": a guess on a guess, not a match.
    assert index.search("зубная паста") == []
    assert index.search("pasta")  # typed in Latin letters, it is an English typo
    # A Russian name is still found by its sound, typos and all.
    assert [h.fact_id for h in index.search("Помпео")][:1] == ["person-pompeo"]
    assert [h.fact_id for h in index.search("Помпэо")][:1] == ["person-pompeo"]


def test_search_filters_by_kind(index: SearchIndex) -> None:
    hits = index.search("Pompeo", kinds={Kind.STATEMENT})
    assert [h.fact_id for h in hits] == ["statement-pompeo-crackdown"]


def test_search_scores_descend_and_respect_limit(index: SearchIndex) -> None:
    hits = index.search("Belarus", limit=3)
    assert len(hits) == 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_remove_and_replace(index: SearchIndex) -> None:
    index.remove("political-prisoners-2023-05")
    assert top(index, "political prisoners") is None
    index.remove("political-prisoners-2023-05")
    index.add(SAMPLE[0])
    index.add(SAMPLE[0])
    assert [h.fact_id for h in index.search("prisoners")] == ["political-prisoners-2023-05"]
    assert len(index) == len(SAMPLE)


def test_remove_forgets_spellings_and_names(index: SearchIndex) -> None:
    index.remove("person-svetlana-tikhanovskaya")
    assert index.names("Tsikhanouskaya") == []
    assert index.search("Tsikhanouskaya") == []
    assert index.search("Tsikhanovskya") == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Lukashenko", "person-alexander-lukashenko"),
        ("Lukashenka", "person-alexander-lukashenko"),
        ("Lukashenk", "person-alexander-lukashenko"),
        ("lukashneko", "person-alexander-lukashenko"),
        ("Лукашенко", "person-alexander-lukashenko"),
        ("Alyaksandr Lukashenka", "person-alexander-lukashenko"),
        ("Tikhanovskaya", "person-svetlana-tikhanovskaya"),
        ("Tsikhanouskaya", "person-svetlana-tikhanovskaya"),
        ("Tikhanovskaja", "person-svetlana-tikhanovskaya"),
        ("Sviatlana Tikhanovskaya", "person-svetlana-tikhanovskaya"),
        ("Kolesnikova", "person-mariya-kalesnikava"),
        ("Maria Kolesnikova", "person-mariya-kalesnikava"),
        ("Pompeio", "person-mike-pompeo"),
        ("Michael Pompeo", "person-mike-pompeo"),
        ("Benedek", "person-wolfgang-benedek"),
        ("Carpenter", "person-michael-carpenter"),
        ("Carpent", "person-michael-carpenter"),
        ("Herve Ascensio", "person-herve-ascensio"),
        ("coordination council", "org-coordination-council"),
    ],
)
def test_names_finds_every_spelling(index: SearchIndex, query: str, expected: str) -> None:
    hits = index.names(query)
    assert hits and hits[0].fact_id == expected
    assert 0 < hits[0].score <= 1


def test_names_refuses_unknown_people(index: SearchIndex) -> None:
    assert index.names("Macron") == []
    assert index.names("Mike Smith") == []
    assert index.names("") == []


def test_names_ranks_full_name_above_shared_first_name(index: SearchIndex) -> None:
    hits = index.names("Michael Carpenter")
    assert hits[0].fact_id == "person-michael-carpenter"
    assert all(h.score < hits[0].score for h in hits[1:])


def test_pruned_ranking_equals_exhaustive_ranking() -> None:
    """MaxScore pruning returns the same top hits as scoring every matching fact."""
    words = [
        "protest",
        "prison",
        "sanction",
        "torture",
        "election",
        "journalist",
        "march",
        "council",
        "report",
    ]
    places = ["Minsk", "Vitebsk", "Grodno", "Brest", "Gomel", "Mogilev"]
    idx = SearchIndex()
    for i in range(600):
        chosen = [words[(i * k) % len(words)] for k in (1, 3, 7)][: 1 + i % 3]
        text = f"Fact {i} about {' and '.join(chosen)} in {places[i % len(places)]} in 2020."
        idx.add(fact(f"fact-{i}", text, quote=f"{words[i % len(words)]} quoted"))
    for query in [
        "protest in Minsk",
        "prison torture Vitebsk 2020",
        "sanction election report",
        "journalist march council Gomel",
        "2020",
    ]:
        assert idx.search(query, limit=10) == idx.search(query, limit=10_000)[:10]
        assert idx.search(query, limit=5, kinds={Kind.EVENT}) == idx.search(query, limit=5)


def test_a_bulk_build_equals_adding_one_by_one_then_normalising() -> None:
    one_by_one = SearchIndex()
    for f in SAMPLE:
        one_by_one.add(f)
    one_by_one.normalise()
    bulk = SearchIndex()
    bulk.add_many(SAMPLE)
    assert bulk.export() == one_by_one.export()
    # Normalised, the state depends on the facts, not on their order or their history.
    shuffled = SearchIndex()
    shuffled.add_many(reversed(SAMPLE))
    shuffled.add(fact("passing", "A fact added and removed again."))
    shuffled.remove("passing")
    shuffled.normalise()
    assert shuffled.export() == bulk.export()


def test_an_exported_index_restores_to_one_that_ranks_alike(index: SearchIndex) -> None:
    state = pickle.loads(pickle.dumps(index.export()))
    restored = SearchIndex.restore(state)
    for query in ["protest Minsk", "Lukashenko", "sanctions", "Tsikhanouskaya", "2020"]:
        assert restored.search(query) == index.search(query)
        assert restored.names(query) == index.names(query)
    # And it keeps working as an index.
    restored.remove(SAMPLE[0].id)
    restored.add(fact("zebra", "A zebracorn parade."))
    assert [h.fact_id for h in restored.search("zebracorn")] == ["zebra"]
    assert SAMPLE[0].id not in restored


def test_restore_rejects_a_state_that_is_not_an_index(index: SearchIndex) -> None:
    state = index.export()
    with pytest.raises(KeyError):
        SearchIndex.restore({k: v for k, v in state.items() if k != "postings"})
    broken = {**state, "kinds": {}}
    with pytest.raises(ValueError):
        SearchIndex.restore(broken)
