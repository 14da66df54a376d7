"""Telegram's HTML parse mode as the fake reads it: errors, entities, the fast path."""

from __future__ import annotations

import random

import pytest

from bot.fakeapi.html import HtmlError, parse_full_html, parse_html, parse_simple_html


@pytest.mark.parametrize(
    ("source", "error"),
    [
        # Byte offsets count UTF-8 bytes: "🏟 🏟&lt;" is 13 bytes (tdlib's own test cases).
        ("🏟 🏟&lt;<abacaba", "Unclosed start tag at byte offset 13"),
        ("🏟 🏟&lt;<abac>", 'Unsupported start tag "abac" at byte offset 13'),
        ("🏟 🏟&lt;<i   =aba>", 'Empty attribute name in the tag "i" at byte offset 13'),
        ("🏟 🏟&lt;<i    aba>", "Expected equal sign in declaration of an attribute of the tag"),
        ("🏟 🏟&lt;</", "Unexpected end tag at byte offset 13"),
        ("🏟 🏟&lt;<b></b></", "Unexpected end tag at byte offset 20"),
        ("🏟 🏟&lt;<i>a</i   ", "Unclosed end tag at byte offset 17"),
        ("🏟 🏟&lt;<i>a</em   >", 'Unmatched end tag at byte offset 17, expected "</i>", found'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'expected "</i>", found "</b>"'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<br>", 'Unsupported start tag "br"'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ("<tg-emoji emoji-id=abc>x</tg-emoji>", "Invalid custom emoji identifier"),
        ("&#xDFDF;", "invalid Unicode characters"),
        # Stricter than Telegram, which shows these literally: signs of unescaped data.
        ("AT&T", 'Unescaped "&" at byte offset 2'),
        ("&nbsp;", 'Unescaped "&" at byte offset 0'),
        ("&lt", 'Unescaped "&"'),
        ('<a href="javascript:alert(1)">x</a>', "is not one Telegram keeps"),
    ],
)
def test_html_errors_name_the_problem_like_telegram(source: str, error: str) -> None:
    with pytest.raises(HtmlError, match=None) as caught:
        parse_html(source)
    assert error in str(caught.value)


def test_every_allowed_tag_parses_to_its_entity() -> None:
    source = (
        "<b>b</b><strong>b</strong><i>i</i><em>i</em><u>u</u><ins>u</ins><s>s</s>"
        '<strike>s</strike><del>s</del><span class="tg-spoiler">p</span>'
        "<tg-spoiler>p</tg-spoiler>"
        '<a href="https://example.org/?a=1&amp;b=2">l</a><code>c</code>'
        '<pre><code class="language-python">x = 1</code></pre><blockquote>q</blockquote>'
        "<blockquote expandable>e</blockquote>"
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
    )
    parsed = parse_html(source)
    kinds = [e["type"] for e in parsed.entities]
    assert kinds == [
        *["bold"] * 2,
        *["italic"] * 2,
        *["underline"] * 2,
        *["strikethrough"] * 3,
        *["spoiler"] * 2,
        "text_link",
        "code",
        "pre",
        "blockquote",
        "expandable_blockquote",
        "custom_emoji",
    ]
    link = next(e for e in parsed.entities if e["type"] == "text_link")
    assert link["url"] == "https://example.org/?a=1&b=2"
    pre = next(e for e in parsed.entities if e["type"] == "pre")
    assert pre["language"] == "python"
    assert parsed.text.startswith("bbiiuusssppl")


def test_entities_decode_and_offsets_count_utf16_units() -> None:
    parsed = parse_html("&lt;&gt;&amp;&quot;&#65;&#x42; 🏟 <b>x</b>")
    assert parsed.text == '<>&"AB 🏟 x'
    # The stadium emoji is two UTF-16 code units, so "x" starts at 10, not 9.
    assert parsed.entities == [{"offset": 10, "length": 1, "type": "bold"}]


def test_lenient_mode_keeps_unknown_entities_literally_like_telegram() -> None:
    assert parse_html("AT&T &laquo;", strict=False).text == "AT&T &laquo;"


def test_the_fast_path_agrees_with_the_full_parser() -> None:
    """parse_simple_html either declines (None) or returns what parse_full_html returns, in
    both modes; on random mixes of tags, entities, stray characters and non-BMP text."""
    pieces = [
        *["<b>", "</b>", "<i>", "</i>", "<code>", "</code>", "<pre>", "</pre>"],
        *["<blockquote>", "</blockquote>", "<strong>", "</strong>", "<tg-spoiler>"],
        *["</tg-spoiler>", "<B>", "</b >", "<b x>", "<span>", "</span>", "<a>", "</a>"],
        *["&amp;", "&lt;", "&gt;", "&quot;", "&amp;lt;", "&#65;", "&", "<", ">", "&lt"],
        *["x", "é", "🏟", "—", " ", "\n", "Вясна"],
    ]
    rng = random.Random(2020)
    taken = 0
    for _ in range(4000):
        source = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        fast = parse_simple_html(source)
        for strict in (True, False):
            try:
                full = parse_full_html(source, strict=strict)
            except HtmlError:
                assert fast is None, source
            else:
                assert fast is None or fast == full, source
        taken += fast is not None
    assert taken > 400  # the fast path is really taken, not always declined


def test_a_typical_reply_takes_the_fast_path() -> None:
    source = (
        "<b>Key figures</b> — as of the date shown:\n<i>1–5 of 9</i>\n\n"
        "1. at least <b>1,486</b> political prisoners · <i>Turan &amp; OSCE, 12 May 2023</i>"
    )
    fast = parse_simple_html(source)
    assert fast is not None and fast == parse_full_html(source)
    assert [e["type"] for e in fast.entities] == ["bold", "italic", "bold", "italic"]
