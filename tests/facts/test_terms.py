"""A fact's structured values in Russian and Belarusian (facts/terms.py): which strings a
fact has, how each reads in a language, the rule on the terms' keys, and terms and
outlets travelling through export, import and the JSON file."""

from __future__ import annotations

from pathlib import Path

import pytest

from facts.bundle import dump_bundle, parse_bundle_json
from facts.edits import with_field
from facts.fields import InputError, parse_terms
from facts.model import Fact, FactTranslation, SourceTranslation
from facts.store import FactStore
from facts.terms import (
    outlet,
    structured_strings,
    term,
    terms,
    unknown_terms,
    without_stale_terms,
)
from facts.violations import RULE_TERMS, Reason, RuleViolation
from tests.facts.conftest import make_bundle, make_fact, make_source

WHO = {"by": "tester", "reason": "test"}


def _translated(fact: Fact, lang: str = "ru", **given: str) -> Fact:
    translation = FactTranslation(text="Перевод утверждения.", terms=given)
    return fact.model_copy(update={"translations": {**fact.translations, lang: translation}})


def test_the_structured_strings_of_each_kind() -> None:
    sanction = make_fact("s1", "sanction")
    assert structured_strings(sanction) == ["European Union", "officials", "asset freeze"]
    assert structured_strings(make_fact("t1", "statistic")) == ["political prisoners"]
    assert structured_strings(make_fact("e1", "event")) == ["Minsk"]
    assert structured_strings(make_fact("d1", "statement")) == ["Jane Doe"]
    person = make_fact(
        "p1",
        "person",
        details={
            "kind": "person",
            "name": "Jane Doe",
            "roles": [
                {"title": "envoy", "organisation": "OSCE"},
                {"title": "envoy", "organisation": "UN"},
            ],
        },
    )
    # Each string once, in the order of the fields; the name is not a term (it has its own).
    assert structured_strings(person) == ["envoy", "OSCE", "UN"]


def test_a_value_reads_as_its_translation_else_in_english() -> None:
    fact = _translated(make_fact("s1", "sanction"), **{"European Union": "Европейский союз"})
    assert term(fact, "European Union", "ru") == "Европейский союз"
    assert term(fact, "officials", "ru") == "officials"  # no term: English
    assert term(fact, "European Union", "be") == "European Union"  # no translation at all
    assert term(fact, "European Union", "en") == "European Union"
    assert terms(fact, ["European Union", "officials"], "ru") == ["Европейский союз", "officials"]


def test_an_outlet_reads_in_the_language_when_translated() -> None:
    source = make_source(
        outlet="Voice of America",
        translations={"ru": SourceTranslation(title="Заголовок", outlet="Голос Америки")},
    )
    assert outlet(source, "ru") == "Голос Америки"
    assert outlet(source, "be") == outlet(source, "en") == "Voice of America"
    assert outlet(make_source(), "ru") is None


def test_a_term_for_a_value_the_fact_does_not_have_is_refused_and_nothing_is_written(
    store: FactStore,
) -> None:
    before = store.get("eu-sanctions")
    bad = _translated(before, "be", **{"Canada": "Канада", "European Union": "Еўрапейскі саюз"})
    assert unknown_terms(bad) == [("be", "Canada")]
    with pytest.raises(RuleViolation) as refused:
        store.update_fact(bad, **WHO)
    [violation] = refused.value.violations
    assert violation.rule == RULE_TERMS and violation.reason is Reason.UNKNOWN_TERM
    assert str(violation) == (
        "fact 'eu-sanctions': rule 'terms translate the fact's values': the be term for "
        "'Canada' translates nothing: the fact has no such value. Fix: key the term by a "
        "value exactly as the fact gives it, or drop the term"
    )
    assert store.get("eu-sanctions") == before
    # The same refusal on import and on a new fact: the store checks every write.
    with pytest.raises(RuleViolation):
        store.add_fact(bad.model_copy(update={"id": "eu-sanctions-2"}), **WHO)
    good = _translated(before, "be", **{"European Union": "Еўрапейскі саюз"})
    assert store.update_fact(good, **WHO).translations["be"].terms == {
        "European Union": "Еўрапейскі саюз"
    }


def test_changing_a_value_drops_its_term() -> None:
    fact = _translated(make_fact("s1", "sanction"), officials="чиновники", **{"asset freeze": "x"})
    stale = fact.model_copy(
        update={"details": fact.details.model_copy(update={"targets": ["ministers"]})}
    )
    assert unknown_terms(stale) == [("ru", "officials")]
    assert without_stale_terms(stale).translations["ru"].terms == {"asset freeze": "x"}
    assert without_stale_terms(fact) is fact
    # An admin's edit of the value drops its term with it.
    changed = with_field(fact, "details.targets", ["ministers"])
    assert changed.translations["ru"].terms == {"asset freeze": "x"}


def test_terms_and_outlets_travel_through_export_the_file_and_import(tmp_path: Path) -> None:
    source = make_source(
        outlet="Voice of America",
        translations={"be": SourceTranslation(title="Загаловак", outlet="Голас Амерыкі")},
    )
    fact = _translated(make_fact("eu-sanctions", "sanction"), "be", **{"officials": "чыноўнікі"})
    with FactStore.open(tmp_path / "one", seed=make_bundle([fact], [source])) as one:
        text = dump_bundle(one.export_bundle())
    assert '"terms": {' in text and '"outlet": "Голас Амерыкі"' in text
    with FactStore.open(tmp_path / "other") as other:
        other.import_bundle(parse_bundle_json(text), **WHO)
        copied = other.get("eu-sanctions")
        assert term(copied, "officials", "be") == "чыноўнікі"
        assert outlet(other.get_source(source.id), "be") == "Голас Амерыкі"
        assert dump_bundle(other.export_bundle()) == text


def test_terms_are_typed_one_per_line_as_english_equals_translation() -> None:
    assert parse_terms("Canada = Канада\n\n  United  Kingdom=Великобритания = UK \n") == {
        "Canada": "Канада",
        "United Kingdom": "Великобритания = UK",
    }
    assert parse_terms("Canada = -\nCanada (government) =") == {
        "Canada": None,
        "Canada (government)": None,
    }
    for bad, wanted in (
        ("Canada Канада", "Line 1 is not “English = translation”: 'Canada Канада'"),
        ("Canada = Канада\n= Канада", "Line 2 is not"),
        ("\n \n", "Send at least one line"),
        ("Canada = " + "к" * 301, "Line 1 is 301 characters long on one side"),
    ):
        with pytest.raises(InputError) as refused:
            parse_terms(bad)
        assert wanted in str(refused.value)
