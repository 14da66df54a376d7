"""The rules every write is held to (facts/rules.py, facts/claim_rule.py), on the real store,
path by path; the claim rule's number reading is tested in test_claim_rule.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from facts.bundle import dump_bundle, parse_bundle_json
from facts.documents import document_id, extract_text
from facts.errors import ValidationFailed
from facts.figure_rule import figure_problems
from facts.model import Bundle, Citation, Fact, Qualifier, StatisticDetails, When
from facts.quotes import closest_passage, normalise_quote, quote_in
from facts.store import FactStore
from facts.violations import RuleViolation
from tests.facts.conftest import SOURCE_ID, make_bundle, make_fact, make_source

WHO = {"by": "tester", "reason": "test"}
DOCUMENT = (
    "Washington D.C. Today the rapporteur said: \u201cThere are currently at least 1,486 "
    "political prisoners in Belarus\u201d \u2014 the count of the OSCE report.\n\n"
    "Protests   went on in Minsk and the government\u2019s response was brutal."
)


def statistic(fact_id: str, text: str, value: float = 1486, **details: object) -> Fact:
    fact = make_fact(fact_id, "statistic", value=value, text=text)
    assert isinstance(fact.details, StatisticDetails)
    return fact.model_copy(update={"details": fact.details.model_copy(update=details)})


def quoted(fact: Fact, quote: str) -> Fact:
    return fact.model_copy(update={"citations": [Citation(source=SOURCE_ID, quote=quote)]})


def refused(call: object, *words: str) -> str:
    with pytest.raises(RuleViolation) as caught:
        call()  # type: ignore[operator]
    message = str(caught.value)
    for word in words:
        assert word in message
    return message


# --- quotes ------------------------------------------------------------------------------
def test_quotes_are_normalised_but_words_must_match() -> None:
    document = normalise_quote(DOCUMENT)
    assert quote_in('"There are currently at least 1,486 political prisoners in Belarus"', document)
    assert quote_in("the count - of the OSCE", document) is False  # the dash was in between
    assert quote_in("Belarus\u201d - the count", document)
    assert quote_in("Protests went on in Minsk and the government's response", document)
    assert not quote_in("Protests went on in Hrodna", document)
    passage = closest_passage("there are at least 1,500 political prisoners in Belarus", document)
    assert "1,486 political prisoners in Belarus" in passage


# --- the rules on each write path ---------------------------------------------------------------
def test_a_statistic_must_state_its_value_and_qualifier(store: FactStore) -> None:
    before = store.version
    refused(
        lambda: store.add_fact(statistic("c1", "Prisoners were counted."), **WHO),
        "rule 'claim states the value'",
        "1,486",
    )
    refused(
        lambda: store.add_fact(statistic("c2", "1,486 prisoners were counted."), **WHO),
        "qualifier 'at least'",
    )
    assert store.version == before and "c1" not in store and "c2" not in store
    store.add_fact(statistic("c3", "No fewer than 1486 prisoners were counted."), **WHO)
    vague = statistic(
        "c4", "Thousands were detained.", 1000, value_text="thousands", qualifier=Qualifier.ABOUT
    )
    store.add_fact(vague, **WHO)


def test_edit_of_the_value_alone_is_refused(store: FactStore) -> None:
    fact = store.get("prisoners-2023")
    assert isinstance(fact.details, StatisticDetails)
    changed = fact.model_copy(update={"details": fact.details.model_copy(update={"value": 1510})})
    refused(lambda: store.update_fact(changed, **WHO), "does not state the value 1,510")
    assert store.get("prisoners-2023") == fact


def test_supersede_keeping_the_old_claim_is_refused(store: FactStore) -> None:
    old = store.get("prisoners-2023")
    assert isinstance(old.details, StatisticDetails)
    new = old.model_copy(
        update={"id": "prisoners-new", "details": old.details.model_copy(update={"value": 1600})}
    )
    refused(lambda: store.supersede(old.id, new, **WHO), "1,600")
    assert store.get(old.id).is_current and "prisoners-new" not in store


def test_a_value_no_quote_states_is_refused_on_edit_and_supersede(store: FactStore) -> None:
    # The auditor's case: the claim rewritten to 1,450 while the quote says 1,400.
    old = quoted(
        statistic("pp", "At least 1,400 political prisoners.", 1400, qualifier=Qualifier.AT_LEAST),
        "at least 1,400 political prisoners",
    )
    store.add_fact(old, **WHO)
    assert isinstance(old.details, StatisticDetails)
    edited = old.model_copy(
        update={
            "text": "At least 1,450 political prisoners.",
            "details": old.details.model_copy(update={"value": 1450}),
        }
    )
    refused(
        lambda: store.update_fact(edited, **WHO),
        "a quote states the figure",
        "no quote states the value 1,450",
        '"at least 1,400 political prisoners"',
    )
    newer = edited.model_copy(update={"id": "pp-new"})
    refused(lambda: store.supersede(old.id, newer, **WHO), "1,450")
    assert store.get("pp") == old and "pp-new" not in store
    # A quote that states the figure, in any usual format or language, lets it through.
    for quote in ("at least 1 450 prisoners", "не менее 1,45 тыс. человек", "1450 held"):
        store.update_fact(quoted(edited, quote), **WHO)


@pytest.mark.parametrize(
    "quote",
    [
        "Thousands of others have been detained in a month of unrest.",
        "On 9 August 2020 the count of the prisoners went up",
        "12 мая 2023 года число политзаключённых выросло",
        "in 2020 and on 2021-03-05 they said one of them was held",
    ],
)
def test_a_quote_without_figures_binds_no_value(quote: str) -> None:
    fact = quoted(statistic("st", "At least 1,486 prisoners.", qualifier=Qualifier.AT_LEAST), quote)
    assert figure_problems(fact) == []


def test_one_quote_stating_the_figure_is_enough() -> None:
    fact = statistic("st", "At least 1,486 prisoners.", qualifier=Qualifier.AT_LEAST)
    both = fact.model_copy(
        update={
            "citations": [
                Citation(source=SOURCE_ID, quote="1,400 prisoners in May"),
                Citation(source=SOURCE_ID, quote="now at least 1,486"),
            ]
        }
    )
    assert figure_problems(both) == []
    assert figure_problems(quoted(fact, "1,400 prisoners in May"))


def test_a_value_written_with_a_figure_is_bound_by_the_quotes_too() -> None:
    fact = quoted(
        statistic("st", "At least 1,450 prisoners.", 1450, qualifier=Qualifier.AT_LEAST),
        "at least 1,400 political prisoners",
    )
    assert isinstance(fact.details, StatisticDetails)
    written = fact.model_copy(
        update={"details": fact.details.model_copy(update={"value_text": "1,450"})}
    )
    assert figure_problems(written)
    worded = fact.model_copy(
        update={"details": fact.details.model_copy(update={"value_text": "thousands"})}
    )
    assert figure_problems(worded) == []


@pytest.mark.parametrize(
    ("value", "quote", "stated"),
    [
        (66.7, "66.67 percent", True),  # the value rounds the quote
        (2.35, "2.3 million", False),  # more precise than the quote
        (0.02, "0.07 of them", False),  # another small figure
        (1486, "1,486 prisoners", True),
    ],
)
def test_a_value_may_round_its_quote_never_refine_it(
    value: float, quote: str, stated: bool
) -> None:
    fact = quoted(statistic("st", f"{value} prisoners.", value), quote)
    assert (figure_problems(fact) == []) is stated


def test_every_seed_statistic_is_stated_by_a_quote(seed: Bundle) -> None:
    assert [v for f in seed.facts for v in figure_problems(f)] == []


def test_dates_not_after_the_source(store: FactStore) -> None:
    late = make_fact("late", date="2026-01-01")
    refused(lambda: store.add_fact(late, **WHO), "rule 'dates not after the source'", "2025-06-30")
    approximate = When(date="2026", approximate=True, resolved_from="'next year' in the report")
    excused = late.model_copy(
        update={"details": late.details.model_copy(update={"date": approximate})}
    )
    store.add_fact(excused, **WHO)
    unexplained = late.model_copy(
        update={
            "id": "late-2",
            "details": late.details.model_copy(
                update={"date": When(date="2026", approximate=True)}
            ),
        }
    )
    refused(lambda: store.add_fact(unexplained, **WHO), "resolved_from")


def test_revert_that_would_make_two_current_facts_is_refused(store: FactStore) -> None:
    old = store.get("prisoners-2023")
    store.supersede(old.id, make_fact("prisoners-2024", "statistic", value=1600), **WHO)
    message = refused(
        lambda: store.revert(old.id, 1, **WHO), "rule 'one current fact per chain'", "retract"
    )
    assert "prisoners-2024" in message
    store.retract("prisoners-2024", **WHO)
    store.revert(old.id, 1, **WHO)
    refused(lambda: store.revert("prisoners-2024", 1, **WHO), "one current fact per chain")
    assert store.rule_problems() == []


def test_import_is_held_to_the_rules(store: FactStore) -> None:
    current = store.get("prisoners-2023")
    bad = Bundle(
        sources=[make_source()],
        facts=[current.model_copy(update={"text": "A count without its number."})],
    )
    refused(lambda: store.import_bundle(bad, **WHO), "claim states the value")
    assert store.get("prisoners-2023") == current


def test_related_must_exist(store: FactStore) -> None:
    dangling = make_fact("dangling", related=["nobody-at-all"])
    refused(lambda: store.add_fact(dangling, **WHO), "rule 'no dangling references'")


def test_dry_run_checks_and_writes_nothing(store: FactStore) -> None:
    version = store.version
    fact = store.add_fact(make_fact("dry"), dry_run=True, **WHO)
    assert fact.id == "dry" and "dry" not in store and store.version == version


# --- documents ----------------------------------------------------------------------------------
def test_a_document_checks_every_quote_and_travels_with_export(
    store: FactStore, tmp_path: Path
) -> None:
    cited = quoted(make_fact("cited"), "at least 1,486 political prisoners in Belarus")
    store.add_fact(cited, **WHO)
    # Attaching a document that does not hold the existing quotes is refused.
    message = refused(
        lambda: store.attach_document(SOURCE_ID, DOCUMENT, **WHO), "quotes occur in the document"
    )
    assert "closest passage" in message
    assert store.get_source(SOURCE_ID).document is None
    # Facts whose quotes are not in it block it: give them quotes from the document.
    for fact in store.facts(include_inactive=True):
        if fact.id != "cited":
            store.update_fact(quoted(store.get(fact.id), "Protests went on in Minsk"), **WHO)
    source = store.attach_document(SOURCE_ID, DOCUMENT, **WHO)
    assert source.document == document_id(DOCUMENT)
    assert store.documents.path(source.document).read_text(encoding="utf-8") == DOCUMENT
    assert store.unchecked_sources() == []
    # A quote not in the document is refused, with the closest passage to copy.
    wrong = quoted(make_fact("wrong"), "there are 1,500 political prisoners in Belarus")
    message = refused(lambda: store.add_fact(wrong, **WHO), "closest passage")
    assert "1,486 political prisoners in Belarus" in message
    store.add_fact(quoted(make_fact("right"), "the government\u2019s response was brutal"), **WHO)
    # Export carries the text; an import into an empty directory stores it again.
    exported = dump_bundle(store.export_bundle())
    bundle = parse_bundle_json(exported)
    assert bundle.documents == {source.document: DOCUMENT}
    with FactStore.open(tmp_path / "other") as other:
        other.import_bundle(bundle, **WHO)
        assert other.documents.get(source.document) == DOCUMENT
        # Lossless but for the revision numbers, which count this base's own history.
        again = other.export_bundle()
        assert again.sources == bundle.sources and again.documents == bundle.documents
        assert [f.model_copy(update={"revision": 1}) for f in again.facts] == [
            f.model_copy(update={"revision": 1}) for f in bundle.facts
        ]
        assert other.rule_problems() == []


def test_a_document_that_does_not_match_its_id_is_refused() -> None:
    data = json.loads(dump_bundle(make_bundle()))
    data["documents"] = {"0" * 64: "some text that is not what the id says"}
    with pytest.raises(ValidationFailed, match="does not match its id"):
        parse_bundle_json(json.dumps(data))


def test_text_is_extracted_from_html_and_txt() -> None:
    html = (
        b"<html><head><title>t</title><style>p{}</style></head><body><p>At least "
        b"<b>1,486</b> political prisoners</p><script>var x=1;</script></body></html>"
    )
    text = extract_text("report.HTML", html)
    assert "At least" in text and "1,486" in text and "var x" not in text and "p{}" not in text
    assert quote_in("At least 1,486 political prisoners", normalise_quote(text))
    assert extract_text("a.txt", "\ufeffPlain text document, long enough.".encode()) == (
        "Plain text document, long enough."
    )
    with pytest.raises(ValidationFailed, match=r"\.txt or \.html"):
        extract_text("a.pdf", b"%PDF")
    with pytest.raises(ValidationFailed, match="UTF-8"):
        extract_text("a.txt", "caf\xe9 au lait, long enough text".encode("latin-1"))
    with pytest.raises(ValidationFailed, match="no text"):
        extract_text("a.html", b"<html><script>x</script></html>")
