"""Hostile values the model refuses (issue 15, item 4): paths as source files, claims that
show nothing, control characters."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from facts.bundle import Bundle
from facts.verify import quote_problems
from tests.facts.conftest import make_fact, make_source


@pytest.mark.parametrize(
    "name", ["../../../../etc/shadow", "/etc/passwd", "..", "docs/../../x", "a\\b", "x\x00.txt"]
)
def test_a_source_file_is_a_plain_name(name: str) -> None:
    with pytest.raises(ValidationError, match="file"):
        make_source(file=name)
    make_source(file="000_b6eb25af32b78efc.txt")
    make_source(file="https://spring96.org/en/news/1")  # a source added in Telegram
    make_source(file="telegram/viasna-2024")


def test_facts_check_reads_nothing_outside_the_sources_dir(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("There are currently at least 1,486 political prisoners in Belarus")
    sources = tmp_path / "sources"
    sources.mkdir()
    # A base edited by hand behind the model's back (model_construct skips validation).
    source = make_source().model_copy(update={"file": "../secret.txt"})
    problems = quote_problems(Bundle(sources=[source], facts=[]), sources)
    assert problems == [f"source {source.id!r}: file '../secret.txt' is not in {sources}"]


@pytest.mark.parametrize(
    "text",
    [
        "\u200b\u200b\u200b",  # zero-width spaces only
        "\u202e\u2066\u2069",  # direction overrides only
        "\u200d\ufeff\u2060",  # joiners, BOM, word joiner
        "Minsk\u202e.detsetorp",  # an override inside a claim: it would read backwards
        "A claim with a NUL\x00 in it",
        "A bell\x07",
    ],
)
def test_a_claim_must_show_what_it_says(text: str) -> None:
    with pytest.raises(ValidationError, match=r"invisible|nothing visible"):
        make_fact("hidden-claim", text=text)


def test_ordinary_unicode_is_fine() -> None:
    for text in ("Лукашэнка сказаў «так».", "Ціханоўская — 2020", "emoji 👩‍⚖️ with a joiner"):
        assert make_fact("fine-claim", text=text).text == text
