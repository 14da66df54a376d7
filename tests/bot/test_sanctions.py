"""/sanctions end to end: all of them, by target under any spelling, by imposer alias."""

from __future__ import annotations

from facts.model import Fact, Kind, SanctionDetails
from facts.store import FactStore
from tests.bot.cases import add_like, find_person
from tests.bot.harness import USER_ID, Harness, plain


def _sanctions(store: FactStore) -> list[tuple[Fact, SanctionDetails]]:
    return [
        (f, f.details)
        for f in store.facts(kind=Kind.SANCTION)
        if isinstance(f.details, SanctionDetails)
    ]


async def test_sanctions_all_with_status_and_citation(harness: Harness, store: FactStore) -> None:
    text = plain(await harness.read_all("/sanctions"))
    for fact, details in _sanctions(store):
        assert fact.text in text
        assert details.status.value in text
    assert f"({len(_sanctions(store))})" in text


async def test_sanctions_filtered_by_target_under_any_spelling(
    harness: Harness, store: FactStore
) -> None:
    person = find_person(store, "Lukashenko")
    # Whatever the seed holds, one sanction names him as its target.
    add_like(
        store,
        Kind.SANCTION,
        "sanction-test-on-lukashenko",
        f"A test ban on entry imposed on {person.names[0]}.",
        targets=[person.names[0]],
        imposed_by=["Iceland"],
    )
    names = [n.casefold() for n in person.names]
    on_him = [
        f for f, d in _sanctions(store) if any(n in t.casefold() for t in d.targets for n in names)
    ]
    others = [f for f, _ in _sanctions(store) if f not in on_him]
    assert on_him
    text = plain(await harness.read_all("/sanctions Lukashenko"))
    for fact in on_him:
        assert fact.text in text
    for fact in others:
        if not any(n in fact.text.casefold() for n in names):
            assert fact.text not in text


async def test_sanctions_filtered_by_imposer_alias(harness: Harness, store: FactStore) -> None:
    # Whatever the seed holds, one sanction is the EU's.
    add_like(
        store,
        Kind.SANCTION,
        "sanction-test-by-the-eu",
        "A test asset freeze the European Union imposed on officials.",
        imposed_by=["European Union"],
        targets=["officials"],
    )
    by_eu = [f for f, d in _sanctions(store) if "European Union" in d.imposed_by]
    assert by_eu
    text = plain(await harness.read_all("/sanctions EU"))
    for fact in by_eu:
        assert fact.text in text
    not_eu = [f for f, d in _sanctions(store) if "European Union" not in d.imposed_by]
    for fact in not_eu:
        assert fact.text not in text


async def test_sanctions_for_nobody_known(harness: Harness) -> None:
    text = plain(await harness.reply("/sanctions Atlantis"))
    assert "no restrictive measures" in text
    assert "Measures were imposed by:" in text


async def test_sanctions_newest_first_by_date_and_the_undated_last(
    harness: Harness, store: FactStore
) -> None:
    text = plain(await harness.read_all("/sanctions"))
    shown = sorted((f for f, _ in _sanctions(store)), key=lambda f: text.index(f.text))
    keys = [f.date.sort_key if f.date else "" for f in shown]
    assert "" in keys, "the seed has an undated measure (US sanctions in force in February 2020)"
    dated = keys[: keys.index("")]
    assert dated == sorted(dated, reverse=True) and set(keys[len(dated) :]) == {""}
    assert f"No date: {shown[-1].text}" in text


async def test_who_only_discussed_is_not_listed_as_an_imposer(harness: Harness) -> None:
    harness.api.user_languages[USER_ID] = "ru"
    text = plain(await harness.reply("/sanctions Россия"))
    assert "мер, где «Россия» — та сторона, что их ввела, или их цель" in text
    # The UK and Canada only discussed sanctions (status "discussed").
    assert "Великобритания" not in text and "Канада" not in text
    assert "Соединённые Штаты" in text and "Европейский союз" in text
