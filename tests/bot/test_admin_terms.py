"""Admins keep the terms — a fact's structured values in Russian and Belarusian — with
/edit's terms-ru and terms-be, see them in /fact, and backups carry them."""

from __future__ import annotations

from pathlib import Path

from bot.render import plain_text
from facts.backup import write_backup
from facts.restore import restore
from facts.store import FactStore
from facts.terms import outlet, term
from tests.bot.admin_helpers import confirm, say, snapshot
from tests.bot.harness import ADMIN_ID, USER_ID, Harness

DISCUSSED = "sanction-us-canada-uk-discussed-2020-09"


async def test_edit_sets_and_drops_terms_and_readers_see_them(
    harness: Harness, store: FactStore
) -> None:
    preview = await say(
        harness,
        f"/edit {DISCUSSED} terms-ru Canada = Канадское правительство\n"
        "the Belarusian government = белорусское правительство | a closer translation",
    )
    assert "translations.ru.terms.Canada" in preview and "Канадское правительство" in preview
    await confirm(harness)
    fact = store.get(DISCUSSED)
    assert term(fact, "Canada", "ru") == "Канадское правительство"
    assert term(fact, "the Belarusian government", "ru") == "белорусское правительство"
    assert term(fact, "United Kingdom", "ru") == "Великобритания"  # the other lines stay
    harness.api.user_languages[USER_ID] = "ru"
    shown = plain_text(await harness.reply("/sanctions Канада"))
    assert "Канадское правительство и Великобритания → белорусское правительство" in shown
    # A line "English = -" drops that term: the reader sees the English value.
    await say(harness, f"/edit {DISCUSSED} terms-ru Canada = - | not sure of it")
    await confirm(harness)
    assert "Canada" not in store.get(DISCUSSED).translations["ru"].terms
    assert "Соединённые Штаты, Canada и" in plain_text(await harness.reply("/sanctions"))
    # "-" alone drops them all; the claim's translation stays.
    await say(harness, f"/edit {DISCUSSED} terms-be - | redo them")
    await confirm(harness)
    assert store.get(DISCUSSED).translations["be"].terms == {}
    assert store.get(DISCUSSED).translations["be"].text


async def test_a_bad_line_or_an_unknown_value_is_refused_and_changes_nothing(
    harness: Harness, store: FactStore
) -> None:
    before = snapshot(harness, store)
    reply = await say(harness, f"/edit {DISCUSSED} terms-ru Canada Канада | why")
    assert "Line 1 is not “English = translation”: 'Canada Канада'" in reply
    reply = await say(harness, f"/edit {DISCUSSED} terms-be Mexico = Мексіка | why")
    assert "rule 'terms translate the fact's values'" in reply
    assert "the be term for 'Mexico' translates nothing" in reply
    assert f"/fact {DISCUSSED} lists them" in reply
    await say(harness, "/cancel")
    harness.api.user_languages[ADMIN_ID] = "be"
    reply = await say(harness, f"/edit {DISCUSSED} terms-ru = Канада | why")
    assert "Радок 1" in reply
    await say(harness, "/cancel")
    assert snapshot(harness, store) == before


async def test_fact_shows_admins_every_value_with_its_terms(harness: Harness) -> None:
    shown = plain_text(await say(harness, f"/fact {DISCUSSED}"))
    assert "Its values in ru" in shown and "Its values in be" in shown
    assert "• Canada = Канада" in shown
    assert "• the Belarusian government = урад Беларусі" in shown
    # Readers do not see it.
    assert "Its values in" not in plain_text(await harness.reply(f"/fact {DISCUSSED}"))


async def test_changing_a_value_drops_its_terms_in_the_preview(
    harness: Harness, store: FactStore
) -> None:
    preview = await say(harness, f"/edit {DISCUSSED} imposed-by United States; Canada | fix")
    assert "translations.ru.terms.United Kingdom" in preview
    await confirm(harness)
    fact = store.get(DISCUSSED)
    assert "United Kingdom" not in fact.translations["ru"].terms
    assert term(fact, "Canada", "be") == "Канада"


def test_backups_carry_terms_and_outlets(store: FactStore, tmp_path: Path) -> None:
    backup = write_backup(store, tmp_path / "backup.json")
    restore(tmp_path / "restored", backup)
    with FactStore.open(tmp_path / "restored") as restored:
        assert term(restored.get(DISCUSSED), "Canada", "ru") == "Канада"
        outlets = {outlet(s, "be") for s in restored.sources()}
    assert "Інфармацыйнае агенцтва «Туран»" in outlets
