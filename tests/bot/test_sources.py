"""/sources end to end: every source document with its title, outlet, author and date."""

from __future__ import annotations

from facts.store import FactStore
from tests.bot.harness import Harness, plain


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
