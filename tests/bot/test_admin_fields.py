"""The questions the admin dialogues ask: which fields each kind asks, optional ones
skipped, a fact built, edited and diffed from the answers."""

from __future__ import annotations

import pytest

from bot.handlers.admin_fields import (
    add_fields,
    edit_fields,
    find_field,
    parse_answer,
    skipped,
)
from facts.edits import (
    build_fact,
    changes,
    source_from_form,
    successor_fact,
    suggest_fact_id,
    with_field,
)
from facts.errors import ValidationFailed
from facts.fields import (
    InputError,
    is_skip,
)
from facts.model import FactTranslation, Kind
from tests.facts.conftest import make_fact


def test_optional_fields_are_skipped_and_required_ones_are_not() -> None:
    fields = add_fields(Kind.STATISTIC)
    counted_by = find_field(fields, "counted-by")
    unit = find_field(fields, "unit")
    assert counted_by is not None and unit is not None
    assert parse_answer(counted_by, "-") is None
    with pytest.raises(InputError):
        parse_answer(unit, "")


def test_the_skip_command_typed_as_a_value_skips_and_only_the_bot_knows_it() -> None:
    counted_by = find_field(add_fields(Kind.STATISTIC), "counted-by")
    assert counted_by is not None
    assert parse_answer(counted_by, " /skip ") is None and skipped("/SKIP")
    assert not is_skip("/skip")  # the domain names no command
    form = "A report | /skip | 2024-05 | https://example.org/r"
    assert source_from_form(form, set(), skipped=skipped).outlet is None
    assert source_from_form(form, set()).outlet == "/skip"  # to the domain, just a name


def test_each_kind_asks_only_its_own_fields() -> None:
    names = {kind: [f.name for f in add_fields(kind)] for kind in Kind}
    assert "value" in names[Kind.STATISTIC] and "value" not in names[Kind.EVENT]
    assert "speaker" in names[Kind.STATEMENT] and "measures" in names[Kind.SANCTION]
    assert names[Kind.EVENT][0] == "claim" and names[Kind.EVENT][-5:] == [
        "source",
        "quote",
        "topics",
        "claim-ru",
        "claim-be",
    ]
    assert names[Kind.PERSON][-2:] == ["name-ru", "name-be"]


def test_build_edit_and_diff_a_fact() -> None:
    answers = {
        "text": "Police detained 100 people in Minsk on 1 June 2024.",
        "details.date": {"date": "2024-06-01"},
        "details.place": "Minsk",
        "source": "test-source-2020-11",
        "quote": "detained 100 people",
        "topics": ["detentions"],
    }
    fact_id = suggest_fact_id(Kind.EVENT, answers, set())
    assert fact_id == "police-detained-people-minsk-2024-06-01"
    fact = build_fact(Kind.EVENT, answers, fact_id=fact_id)
    edited = with_field(fact, "details.place", "Hrodna")
    assert changes(fact, edited) == [("details.place", "Minsk", "Hrodna")]
    with pytest.raises(ValidationFailed, match=r"details\.date\.date"):
        with_field(fact, "details.date", {"date": "2024-99"})
    assert [f.name for f in edit_fields(fact)][:2] == ["claim", "date"]


def test_the_superseding_fact_takes_the_answers_a_new_id_and_no_old_translations() -> None:
    old = make_fact("count-2023-05", "statistic", value=1486, date="2023-05")
    old = old.model_copy(
        update={"translations": {"ru": FactTranslation(text="Не менее 1 486 заключённых.")}}
    )
    answers = {
        "details.value": 1510,
        "details.as_of": {"date": "2024-01"},
        "text": "At least 1,510 political prisoners.",
    }
    new = successor_fact(old, answers, taken={"count-2024-01"})
    assert new.id == "count-2024-01-2" and new.id != old.id
    assert new.revision == 1 and new.is_current and new.translations == {}
    assert new.text == "At least 1,510 political prisoners."
    assert new.date is not None and new.date.date == "2024-01"
    assert new.citations == old.citations
