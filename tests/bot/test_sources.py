"""/sources end to end: every source document with its title, outlet, author and date."""

from __future__ import annotations

from facts.store import FactStore
from tests.bot.harness import USER_ID, Harness, plain


async def test_sources_list_title_outlet_author_and_date_basis(
    harness: Harness, store: FactStore
) -> None:
    text = plain(await harness.reply("/sources"))
    for source in store.sources():
        assert source.title in text
        assert source.date_note in text
        if source.outlet:
            assert source.outlet in text
        if source.author:
            assert source.author in text


async def test_sources_and_a_fact_leave_no_english_interface_in_russian(
    harness: Harness, store: FactStore
) -> None:
    harness.api.user_languages[USER_ID] = "ru"
    listing = plain(await harness.read_all("/sources"))
    assert "Автор: not named" not in listing and "Автор: не назван" in listing
    # A source's notes are data in English: labelled so, never passed off as Russian.
    assert "О дате (по-английски): Not stated." in listing
    assert "Примечание (по-английски): Outlet and author are not named" in listing
    card = plain(await harness.reply("/fact political-prisoners-2023-05"))
    assert "Темы: политзаключённые, ОБСЕ" in card
    assert "Дата определена по записи (по-английски):" in card
    assert "исходная база: факты, поставляемые с ботом" in card and "initial seed" not in card
    help_text = plain(await harness.reply("/help"))
    assert "/check ТЕКСТ" in help_text and "<text>" not in help_text
