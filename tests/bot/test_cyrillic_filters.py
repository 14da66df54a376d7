"""/search, /who, /sanctions and inline queries accept Russian and Belarusian."""

from __future__ import annotations

import pytest

from bot.render import plain_text
from tests.bot.harness import Harness

PRISONERS = "political-prisoners-2023-05"


@pytest.mark.parametrize(
    "words", ["политзаключенные", "палітвязні", "санкции ЕС против чиновников"]
)
async def test_search_finds_facts_by_russian_and_belarusian_words(
    harness: Harness, words: str
) -> None:
    reply = plain_text(await harness.reply(f"/search {words}"))
    assert "Nothing in the base matches" not in reply
    if words != "санкции ЕС против чиновников":
        assert "1,486" in reply


@pytest.mark.parametrize("name", ["Лукашэнка", "Лукашенко", "Ціханоўская", "Тихановской"])
async def test_who_finds_people_by_cyrillic_names(harness: Harness, name: str) -> None:
    reply = plain_text(await harness.reply(f"/who {name}"))
    assert "Lukashenko" in reply or "Tikhanovskaya" in reply or "Tsikhanouskaya" in reply


@pytest.mark.parametrize(
    "who",
    ["ЕС", "Евросоюз", "Еўрасаюз", "США", "ЗША", "Лукашенко", "американцы", "Евросоюза"],
)
async def test_sanctions_filter_by_cyrillic_names(harness: Harness, who: str) -> None:
    reply = plain_text(await harness.reply(f"/sanctions {who}"))
    assert "Restrictive measures involving" in reply


async def test_inline_query_in_russian(harness: Harness) -> None:
    calls = await harness.inline("политзаключённые")
    assert calls[0].ok
    assert PRISONERS in [r["id"] for r in calls[0].params["results"]]
