"""Pure rendering: escaping, numbers and dates, citations, valid tags, splitting, limits."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from bot.cards import (
    BUTTON_LABEL_LIMIT,
    deep_link,
    fact_button_label,
    fact_card,
    fact_share_card,
    numbered,
    source_block,
)
from bot.fakeapi import ALLOWED_TAGS
from bot.handlers import keyboards
from bot.render import (
    CALLBACK_DATA_LIMIT,
    MESSAGE_LIMIT,
    citations_compact,
    esc,
    fact_compact,
    fmt_date,
    fmt_number,
    fmt_when,
    source_date,
    statistic_line,
    statistic_value,
)
from bot.splitting import split_messages, visible_length
from facts.model import Citation, Fact, Qualifier, Source, StatisticDetails, When
from facts.seed import load_seed

ALLOWED = ALLOWED_TAGS


class _TelegramHTML(HTMLParser):
    """Checks what Telegram checks: known tags, balanced, known entities only."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED:
            self.problems.append(f"tag <{tag}>")
        if tag == "a" and [k for k, _ in attrs] != ["href"]:
            self.problems.append(f"<a> attributes {attrs}")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"unbalanced </{tag}>")
        else:
            self.stack.pop()

    def handle_entityref(self, name: str) -> None:
        if name not in {"lt", "gt", "amp", "quot"}:
            self.problems.append(f"entity &{name};")


def html_problems(text: str) -> list[str]:
    """Why Telegram would refuse ``text`` as HTML (empty when it would not)."""
    if re.search(r"&(?!(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)", text):
        return ["bare &"]
    parser = _TelegramHTML()
    parser.feed(text)
    parser.close()
    return parser.problems + [f"unclosed <{t}>" for t in parser.stack]


SEED = load_seed()
SOURCES = {s.id: s for s in SEED.sources}

NASTY = 'Tom & "Jerry" <script>alert(1)</script> &amp; </b><i>'


def _source(**changes: object) -> Source:
    base: dict[str, object] = {
        "id": "src-turan",
        "file": "002.txt",
        "title": "Michael Carpenter (headline missing)",
        "outlet": "Turan Information Agency",
        "author": "Alex Raufoglu",
        "published": {"date": "2023-05-12"},
        "date_basis": "stated",
        "date_note": "Stated in the dateline.",
    }
    base.update(changes)
    return Source.model_validate(base)


def _statistic(**changes: object) -> Fact:
    base: dict[str, object] = {
        "id": "political-prisoners-test",
        "kind": "statistic",
        "text": "At least 1,486 political prisoners were held in Belarus.",
        "details": {
            "kind": "statistic",
            "value": 1486,
            "unit": "political prisoners",
            "qualifier": "at least",
            "as_of": {"date": "2023-05"},
            "counted_by": "OSCE Moscow Mechanism report (Ascensio)",
        },
        "citations": [{"source": "src-turan", "quote": "at least 1,486 political prisoners"}],
    }
    base.update(changes)
    return Fact.model_validate(base)


# --- primitives ---------------------------------------------------------------------------
def test_escape_covers_lt_gt_amp_quot() -> None:
    assert esc('<b>&"x"</b>') == "&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;"
    assert html_problems(esc(NASTY)) == []


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1486, "1,486"),
        (80.0, "80"),
        (2.5, "2.5"),
        (1234567, "1,234,567"),
        (0, "0"),
        (1234.56, "1,234.56"),
        (0.125, "0.125"),
    ],
)
def test_numbers_render_nicely(value: float, text: str) -> None:
    assert fmt_number(value) == text


@pytest.mark.parametrize(
    ("date", "text"),
    [("2020", "2020"), ("2020-10", "October 2020"), ("2020-10-02", "2 October 2020")],
)
def test_dates_render_by_precision(date: str, text: str) -> None:
    assert fmt_date(date) == text


def test_only_approximate_dates_are_marked_inferred() -> None:
    assert fmt_when(When(date="2020-10-02")) == "2 October 2020"
    assert fmt_when(When(date="2020-11", approximate=True)) == "November 2020 (date inferred)"
    assert fmt_when(When(date="2020-11-06", approximate=True)) == (
        "about 6 November 2020 (date inferred)"
    )
    # Resolved from "on Friday" in a dated report: exact, so no marker in lists…
    resolved = When(date="2020-11-06", resolved_from="on Friday")
    assert fmt_when(resolved) == "6 November 2020"


def test_resolved_dates_are_explained_in_the_full_fact_only() -> None:
    election = next(
        f for f in SEED.facts if f.id == "event-belarus-presidential-election-2020-08-09"
    )
    assert election.date is not None and election.date.resolved_from
    assert not election.date.approximate
    compact = fact_compact(election, SOURCES)
    assert "9 August 2020:" in compact
    assert "date inferred" not in compact.split("\n")[0]
    card = "\n".join(fact_card(election, SOURCES))
    assert f"Date resolved from: <i>{esc(election.date.resolved_from)}</i>" in card


def test_source_dates_are_marked_only_when_inferred_and_approximate() -> None:
    stated = _source()
    exact = _source(
        published={"date": "2020-11-06", "resolved_from": "on Friday"}, date_basis="inferred"
    )
    rough = _source(published={"date": "2020-11", "approximate": True}, date_basis="inferred")
    assert source_date(stated) == "12 May 2023"
    assert source_date(exact) == "6 November 2020"
    assert source_date(rough) == "November 2020 (date inferred)"
    # /sources says how each date is known, in full.
    assert "stated in the document" in source_block(stated, number=1)
    exact_block = source_block(exact, number=1)
    assert "not stated in the document; worked out exactly" in exact_block
    assert "Date resolved from: <i>on Friday</i>" in exact_block
    assert "inferred from its contents, approximate" in source_block(rough, number=1)
    assert "(date inferred)" not in source_block(rough, number=1)


def test_every_dated_seed_fact_is_listed_date_first() -> None:
    for fact in SEED.facts:
        first_line = fact_compact(fact, SOURCES, number=1).split("\n")[0]
        if fact.date is not None:
            assert first_line.startswith(f"1. <b>{esc(fmt_when(fact.date))}:</b> "), fact.id
        else:
            assert first_line == f"1. {esc(fact.text)}", fact.id


def test_seed_lists_mark_only_approximate_dates() -> None:
    for fact in SEED.facts:
        when = fact.date
        first_line = fact_compact(fact, SOURCES).split("\n")[0]
        if when is not None and not when.approximate:
            assert "(date inferred)" not in first_line, fact.id


# --- facts --------------------------------------------------------------------------------
def test_a_listed_figure_starts_with_its_as_of_date_and_says_its_value_once() -> None:
    sources = {"src-turan": _source()}
    text = fact_compact(_statistic(), sources, number=3)
    assert text.startswith("3. <b>May 2023:</b> At least 1,486 political prisoners were held")
    assert text.count("1,486") == 1
    assert (
        "— OSCE Moscow Mechanism report (Ascensio), reported by Turan Information Agency,"
        " 12 May 2023" in text
    )
    assert html_problems(text) == []


def test_a_source_without_outlet_is_cited_by_its_quoted_title_never_as_an_outlet() -> None:
    source = _source(
        outlet=None, published={"date": "2020-09", "approximate": True}, date_basis="inferred"
    )
    text = fact_compact(_statistic(), {"src-turan": source})
    assert (
        "— OSCE Moscow Mechanism report (Ascensio), reported in “Michael Carpenter (headline"
        " missing)” (outlet not named, about September 2020)" in text
    )
    assert "reported by Michael" not in text
    undated = _source(outlet=None, published=None, date_basis="unknown", title="A" * 80)
    compact = citations_compact(_statistic(), {"src-turan": undated})
    assert compact == f"“{'A' * 49}…” (outlet not named, date unknown)"
    assert "outlet not named" in "\n".join(fact_card(_statistic(), {"src-turan": source}))


def test_seed_citations_without_outlet_read_as_titles() -> None:
    for fact in SEED.facts:
        text = fact_compact(fact, SOURCES)
        for citation in fact.citations:
            source = SOURCES[citation.source]
            if source.outlet is None:
                assert f"by {esc(source.title[:20])}" not in text, fact.id


def test_every_piece_of_data_is_escaped() -> None:
    source = _source(outlet=NASTY, title=NASTY, author=NASTY, date_note=NASTY)
    fact = _statistic(
        text=f"Claim {NASTY}",
        citations=[Citation(source="src-turan", quote=f"quote {NASTY}")],
        details={
            "kind": "statistic",
            "value": 3,
            "unit": NASTY,
            "as_of": {"date": "2020"},
            "counted_by": NASTY,
            "value_text": NASTY,
        },
    )
    sources = {"src-turan": source}
    rendered = [
        fact_compact(fact, sources),
        *fact_card(fact, sources),
        fact_share_card(fact, sources, bot_username="factbot"),
        source_block(source, number=1),
    ]
    for text in rendered:
        assert html_problems(text) == [], text
        assert "<script>" not in text


@pytest.mark.parametrize("fact", SEED.facts, ids=lambda f: f.id)
def test_every_seed_fact_renders_valid_html(fact: Fact) -> None:
    for text in [
        fact_compact(fact, SOURCES),
        *fact_card(fact, SOURCES),
        fact_share_card(fact, SOURCES, bot_username="factbot"),
    ]:
        assert html_problems(text) == [], text
    assert fact.text in fact_compact(fact, SOURCES).replace("&quot;", '"').replace(
        "&amp;", "&"
    ).replace("&lt;", "<").replace("&gt;", ">")


def test_full_card_has_every_quote_and_the_id() -> None:
    fact = next(f for f in SEED.facts if len(f.citations) > 1)
    text = "\n".join(fact_card(fact, SOURCES))
    for citation in fact.citations:
        assert esc(citation.quote) in text
    assert f"<code>{fact.id}</code>" in text


def test_every_source_renders_title_outlet_author_and_date_basis() -> None:
    for n, source in enumerate(SEED.sources, start=1):
        text = source_block(source, number=n)
        assert html_problems(text) == []
        assert esc(source.title) in text
        assert esc(source.date_note) in text
        assert "Date:" in text


# --- splitting ----------------------------------------------------------------------------
def test_split_keeps_blocks_whole_and_within_the_limit() -> None:
    blocks = numbered(SEED.facts, SOURCES)
    messages = split_messages(blocks)
    assert len(messages) > 1
    assert all(visible_length(m) <= MESSAGE_LIMIT for m in messages)
    assert "\n\n".join(messages) == "\n\n".join(blocks)  # split only between blocks
    for message in messages:
        assert html_problems(message) == []


def test_an_oversized_block_splits_at_lines_outside_tags() -> None:
    lines = [f"<b>line {n}</b> " + "x" * 50 for n in range(200)]
    block = "\n".join(lines)
    messages = split_messages([block], limit=1000)
    assert all(visible_length(m) <= 1000 for m in messages)
    assert all(html_problems(m) == [] for m in messages)
    assert "\n".join(messages) == block


def test_a_single_huge_tag_is_closed_and_reopened_never_cut_inside_an_entity() -> None:
    block = "<blockquote>" + "a &amp; b " * 1000 + "</blockquote>"
    messages = split_messages([block], limit=500)
    assert len(messages) > 1
    for message in messages:
        assert visible_length(message) <= 500
        assert html_problems(message) == [], message[:80]
        assert message.startswith("<blockquote>") and message.endswith("</blockquote>")


def test_length_is_counted_like_telegram_after_entities_in_utf16() -> None:
    assert visible_length("<b>a</b> &amp; &lt;") == 5
    assert visible_length("🙂") == 2  # outside the BMP: two UTF-16 units


# --- limits -------------------------------------------------------------------------------
def test_callback_data_fits_for_every_seed_id() -> None:
    longest = "x" * 58  # the model's longest possible id
    for fact_id in [*(f.id for f in SEED.facts), longest]:
        for data in [
            keyboards.callback_data(keyboards.OPEN_FACT, fact_id),
            keyboards.callback_data(keyboards.WHO, fact_id),
        ]:
            assert len(data.encode()) <= CALLBACK_DATA_LIMIT
    data = keyboards.timeline_data("2020-08-09", "2023-12-31", 9999)
    assert len(data.encode()) <= CALLBACK_DATA_LIMIT
    assert keyboards.parse_timeline_data(data) == ("2020-08-09", "2023-12-31", 9999)
    assert keyboards.parse_timeline_data(keyboards.timeline_data(None, None, 0)) == (None, None, 0)
    with pytest.raises(ValueError, match="64"):
        keyboards.callback_data("f", "y" * 70)


def test_callback_patterns_accept_what_the_builders_make() -> None:
    fact_id = SEED.facts[0].id
    assert re.match(keyboards.OPEN_FACT_PATTERN, f"f:{fact_id}")
    assert re.match(keyboards.WHO_PATTERN, f"who:{fact_id}")
    assert re.match(keyboards.WHO_LIST_PATTERN, "wl:3")
    assert re.match(keyboards.TIMELINE_PATTERN, keyboards.timeline_data("2020", None, 2))


def test_deep_links_are_valid_start_payloads() -> None:
    for fact in [*SEED.facts]:
        link = deep_link("factbot", fact.id)
        payload = link.split("?start=", 1)[1]
        assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", payload)


def test_quotes_from_one_source_share_its_heading() -> None:
    fact = _statistic(
        citations=[
            {"source": "src-turan", "quote": "first quote"},
            {"source": "src-turan", "quote": "second quote"},
        ]
    )
    text = "\n".join(fact_card(fact, {"src-turan": _source()}))
    assert text.count("Turan Information Agency") == 1
    assert "<b>Source:</b>" in text and "Source 2" not in text
    assert text.count("<blockquote>") == 2


# --- worded quantities --------------------------------------------------------------------
def _plain(html: str) -> str:
    return re.sub(r"<[^>]*>", "", html).replace("&#x27;", "'").replace("&amp;", "&")


def _figure(
    value_text: str | None, unit: str, value: float = 100, qualifier: str = "exactly"
) -> str:
    details = StatisticDetails(
        value=value,
        value_text=value_text,
        unit=unit,
        qualifier=Qualifier(qualifier),
        as_of=When(date="2020"),
    )
    return _plain(statistic_value(details))


@pytest.mark.parametrize(
    ("value_text", "unit", "expected"),
    [
        ("hundreds", "people hospitalised", "hundreds of people hospitalised"),
        ("thousands", "people detained", "thousands of people detained"),
        ("dozens", "journalists protesting", "dozens of journalists protesting"),
        ("hundreds of thousands", "Belarusians", "hundreds of thousands of Belarusians"),
        ("tens of thousands", "of protesters", "tens of thousands of protesters"),
        ("two-thirds", "percent of the vote", "two-thirds of the vote"),
        ("half", "voters", "half of voters"),
        ("several", "reported deaths", "several reported deaths"),
        ("eight", "Belarusian officials", "eight Belarusian officials"),
    ],
)
def test_worded_quantities_read_naturally(value_text: str, unit: str, expected: str) -> None:
    assert _figure(value_text, unit) == expected


def test_numeric_percentages_use_the_sign() -> None:
    assert _figure(None, "percent of the vote", value=80) == "80% of the vote"
    assert (
        _figure(None, "political prisoners", 1486, "at least")
        == "at least 1,486 political prisoners"
    )


#: Every seed statistic's value line as a subscriber reads it (eyeballed; kept in sync).
SEED_VALUE_LINES = {
    "eight Belarusian officials sanctioned by the United States",
    "40 names of Belarusian officials on the EU list of personal restrictive measures",
    "100% of Belarus's oil American producers were ready to supply (offer stated by Mike Pompeo)",
    "at least 1,486 political prisoners",
    "hundreds of thousands of Belarusians marching peacefully in the streets in protest",
    "80% of the vote (official result for Alexander Lukashenko)",
    "two-thirds of the vote (claimed by Svetlana Tikhanovskaya)",
    "dozens of journalists protesting",
    "hundreds of students marching in Minsk",
    "thousands of people detained",
    "several Belarusian officials under Baltic travel restrictions",
    "51 countries joining the United States in the joint statement (besides the European Union)",
    "53 signatories (52 countries including the United States, plus the European Union)",
    "thousands of people detained in the post-election crackdown",
    "hundreds of people hospitalised in the post-election crackdown",
    "several reported deaths in the post-election crackdown",
    "more than 500 cases of torture and other severe abuses",
}


def test_every_seed_statistic_reads_grammatically() -> None:
    lines = {
        _plain(statistic_value(f.details))
        for f in SEED.facts
        if isinstance(f.details, StatisticDetails)
    }
    vague = re.compile(r"\b(?:dozens|hundreds|thousands|millions)\s+(?!of\b)\w")
    for line in lines:
        assert not vague.search(line), line
        assert not re.search(r"(?:thirds?|half|quarters?)\s+percent", line), line
    # The lines the lead found ungrammatical, as they read now.
    for line in [
        "hundreds of people hospitalised in the post-election crackdown",
        "thousands of people detained",
        "dozens of journalists protesting",
        "hundreds of thousands of Belarusians marching peacefully in the streets in protest",
        "two-thirds of the vote (claimed by Svetlana Tikhanovskaya)",
    ]:
        assert line in lines, sorted(lines)
    # Every line was read by a person: a new or changed seed figure must be read too, then
    # added to SEED_VALUE_LINES.
    assert lines == SEED_VALUE_LINES, f"read these, then update: {sorted(lines ^ SEED_VALUE_LINES)}"


# --- compact figures and fact buttons -----------------------------------------------------
def test_a_figure_is_one_line_value_date_and_attribution() -> None:
    line = statistic_line(_statistic(), {"src-turan": _source()}, number=1)
    assert line == (
        "1. at least <b>1,486</b> political prisoners — as of May 2023"
        " · <i>OSCE Moscow Mechanism report (Ascensio), reported by Turan Information Agency,"
        " 12 May 2023</i>"
    )
    assert "\n" not in line and "were held" not in line
    assert html_problems(line) == []


def test_fact_buttons_say_what_they_open_and_fit() -> None:
    assert fact_button_label(_statistic(), 1) == "1 · at least 1,486 political prisoners"
    for n, fact in enumerate(SEED.facts, start=1):
        label = fact_button_label(fact, n)
        assert label.startswith(f"{n} · ") and len(label) <= BUTTON_LABEL_LIMIT, label
        assert "<" not in label
    markup = keyboards.numbered_fact_buttons(SEED.facts[:3], start=4)
    rows = markup.inline_keyboard
    assert [b.text.split(" · ")[0] for row in rows for b in row] == ["4", "5", "6"]
    assert [b.callback_data for row in rows for b in row] == [f"f:{f.id}" for f in SEED.facts[:3]]
