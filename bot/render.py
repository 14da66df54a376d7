"""Pure rendering: facts, sources and pages → Telegram HTML.

Every piece of data is escaped with :func:`esc`; only tags Telegram accepts are produced
(b, i, code, blockquote, a href). Nothing here touches the network or the store.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from html import unescape

from facts.model import (
    Citation,
    DateBasis,
    EventDetails,
    Fact,
    PersonDetails,
    Precision,
    Qualifier,
    Revision,
    SanctionDetails,
    SanctionStatus,
    Source,
    StatementDetails,
    StatisticDetails,
    When,
)

MESSAGE_LIMIT = 4096
#: Telegram's limit on an inline keyboard button's callback data, in bytes.
CALLBACK_DATA_LIMIT = 64
BLOCK_SEPARATOR = "\n\n"

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


# --- primitives ----------------------------------------------------------------------------
def esc(text: str) -> str:
    """Escape data for Telegram HTML: & < > and " (the only named entities it knows)."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def fmt_number(value: float) -> str:
    """1486 → "1,486"; 80.0 → "80"; 2.5 → "2.5"; 1234.56 → "1,234.56"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return text


def fmt_date(date: str) -> str:
    """A partial ISO date by its precision: 2020 → "2020"; 2020-10 → "October 2020";
    2020-10-02 → "2 October 2020"."""
    parts = [int(p) for p in date.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    if len(parts) == 2:
        return f"{_MONTHS[parts[1] - 1]} {parts[0]}"
    return f"{parts[2]} {_MONTHS[parts[1] - 1]} {parts[0]}"


def is_inferred(when: When) -> bool:
    """True when the date is only approximate.

    A date resolved from relative wording ("on Friday" in a dated report) is exact: its
    ``resolved_from`` is shown in the full fact, not as a marker in every list.
    """
    return when.approximate


def fmt_when(when: When, *, mark: bool = True) -> str:
    """A date by its precision, marked "(date inferred)" when approximate (unless ``mark``
    is false)."""
    text = fmt_date(when.date)
    if when.approximate and when.precision is Precision.DAY:
        text = f"about {text}"
    return f"{text} (date inferred)" if mark and is_inferred(when) else text


def fmt_datetime(moment: dt.datetime) -> str:
    """A timestamp as a day: 12 March 2025."""
    return fmt_date(moment.date().isoformat())


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,.;:—-") + "…"


def join_names(names: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


# --- sources and citations -----------------------------------------------------------------
def source_date(source: Source, *, mark: bool = True) -> str:
    """The source's publication date; "(date inferred)" only when it is both inferred and
    approximate (an exact date worked out from the text is as good as a stated one);
    "date unknown" when not known."""
    if source.published is None:
        return "date unknown"
    text = fmt_when(source.published, mark=False)
    if mark and source.date_basis is DateBasis.INFERRED and source.published.approximate:
        text += " (date inferred)"
    return text


def date_basis_text(source: Source) -> str:
    """How the source's date is known, in words (raw, not escaped)."""
    published = source.published
    if source.date_basis is DateBasis.STATED:
        return "stated in the document"
    if source.date_basis is DateBasis.UNKNOWN or published is None:
        return "not known"
    if published.approximate:
        return "not stated in the document; inferred from its contents, approximate"
    return "not stated in the document; worked out exactly from its contents"


def source_label(source: Source) -> str:
    """What to call a source in a compact citation: its outlet, else its quoted short title
    (raw, not escaped)."""
    return source.outlet or f"“{shorten(source.title, 50)}”"


def source_compact(source: Source) -> str:
    """ "Outlet, 12 May 2023", or for a document whose outlet is not named
    "“Headline…” (outlet not named, about November 2020)" (escaped)."""
    if source.outlet:
        return f"{esc(source.outlet)}, {esc(source_date(source))}"
    published = source.published
    if published is None:
        when = "date unknown"
    else:
        when = source_date(source, mark=False)
        if published.approximate and not when.startswith("about "):
            when = f"about {when}"
    return f"{esc(source_label(source))} (outlet not named, {esc(when)})"


def citation_compact(citation: Citation, sources: Mapping[str, Source]) -> str:
    """One citation, compact (escaped): see :func:`source_compact`."""
    source = sources.get(citation.source)
    if source is None:
        return f"source {esc(citation.source)}"
    return source_compact(source)


def citations_compact(fact: Fact, sources: Mapping[str, Source], *, shown: int = 2) -> str:
    """The fact's citations, compact, at most ``shown`` of them then "+N more" (escaped)."""
    seen: list[str] = []
    for citation in fact.citations:
        text = citation_compact(citation, sources)
        if text not in seen:
            seen.append(text)
    more = len(seen) - shown
    text = "; ".join(seen[:shown])
    return f"{text}; +{more} more" if more > 0 else text


def attribution(fact: Fact, sources: Mapping[str, Source]) -> str:
    """ "Counter, reported by Outlet, date" or "Outlet, date" (escaped); a document without
    a named outlet is "reported in" rather than "by" it."""
    cited = citations_compact(fact, sources)
    details = fact.details
    if isinstance(details, StatisticDetails) and details.counted_by:
        first = sources.get(fact.citations[0].source)
        verb = "reported by" if first is None or first.outlet else "reported in"
        return f"{esc(details.counted_by)}, {verb} {cited}"
    return cited


def fact_attribution(fact: Fact, sources: Mapping[str, Source]) -> str:
    """The attribution with a leading dash, for the line under a claim (escaped)."""
    return f"— {attribution(fact, sources)}"


# --- values --------------------------------------------------------------------------------
#: Vague plural quantities take "of" before their noun: "thousands of people".
_VAGUE_PLURALS = frozenset(
    {"dozens", "scores", "tens", "hundreds", "thousands", "millions", "billions"}
)
#: Fractions and shares take "of" too, and replace a unit's "percent": "two-thirds of the vote".
_FRACTIONS = re.compile(
    r"(?:^|[\s-])(?:half|halves|thirds?|quarters?|fifths?|tenths?|majority|minority)$",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"^(?:percent|per cent|%)(?:\s+|$)", re.IGNORECASE)


def worded_value(value_text: str, unit: str) -> tuple[str, str]:
    """(value, rest) for a value the source words: "thousands" + "people detained" →
    ("thousands", "of people detained"); "two-thirds" + "percent of the vote" →
    ("two-thirds", "of the vote"); "several" + "deaths" unchanged (raw, not escaped)."""
    words = value_text.split()
    last = words[-1].casefold() if words else ""
    if _FRACTIONS.search(last):
        unit = _PERCENT.sub("", unit, count=1)
    elif last not in _VAGUE_PLURALS:
        return value_text, unit
    if unit.casefold().startswith("of ") or not unit:
        return value_text, unit
    return value_text, f"of {unit}"


def statistic_value(details: StatisticDetails) -> str:
    """ "at least 1,486 political prisoners", "thousands of people detained" (escaped)."""
    if details.value_text:
        # The source's own wording ("hundreds of thousands") already carries its qualifier.
        value, rest = worded_value(details.value_text, details.unit)
        return f"<b>{esc(value)}</b> {esc(rest)}".rstrip()
    qualifier = "" if details.qualifier is Qualifier.EXACTLY else f"{details.qualifier.value} "
    number, unit = fmt_number(details.value), details.unit
    if _PERCENT.match(unit):
        # "80 percent of the vote" reads better as "80% of the vote".
        number, unit = f"{number}%", _PERCENT.sub("", unit, count=1)
    return f"{esc(qualifier)}<b>{esc(number)}</b> {esc(unit)}".rstrip()


_STATUS_LABELS = {
    SanctionStatus.IMPOSED: "imposed",
    SanctionStatus.DISCUSSED: "discussed, not imposed",
    SanctionStatus.PROPOSED: "proposed, not imposed",
    SanctionStatus.THREATENED: "threatened, not imposed",
    SanctionStatus.LIFTED: "lifted",
}


def sanction_summary(details: SanctionDetails) -> str:
    """ "EU → 40 officials: asset freeze, travel ban — imposed, 2 October 2020" (escaped)."""
    who = esc(join_names(details.imposed_by))
    whom = esc(join_names(details.targets))
    if details.persons_count is not None:
        noun = "person" if details.persons_count == 1 else "persons"
        whom += f" ({fmt_number(details.persons_count)} {noun})"
    measures = esc(", ".join(details.measures))
    status = esc(_STATUS_LABELS[details.status])
    return f"<b>{who}</b> → {whom}: {measures} — <i>{status}</i>"


def date_prefix(fact: Fact) -> str:
    """The date a dated fact is about (a figure's as-of date), bold, with a colon ("" for
    undated facts): every dated item in a list starts the same way."""
    when = fact.date
    if when is None:
        return ""
    return f"<b>{esc(fmt_when(when))}:</b> "


# --- fact blocks ---------------------------------------------------------------------------
def fact_compact(
    fact: Fact, sources: Mapping[str, Source], *, number: int | None = None, bullet: str = "• "
) -> str:
    """A fact for lists: date first when it has one, claim, compact citation. A figure's
    claim already states its value, so it is not repeated (/fact shows it structured)."""
    lead = f"{number}. " if number is not None else bullet
    details = fact.details
    lines = [f"{lead}{date_prefix(fact)}{esc(fact.text)}"]
    if isinstance(details, SanctionDetails):
        lines.append(sanction_summary(details))
    lines.append(f"<i>{fact_attribution(fact, sources)}</i>")
    return "\n".join(lines)


def _resolved_line(when: When) -> list[str]:
    """ "Date resolved from: …" when the date was worked out from relative wording."""
    if when.resolved_from is None:
        return []
    return [f"Date resolved from: <i>{esc(when.resolved_from)}</i>"]


def statistic_line(fact: Fact, sources: Mapping[str, Source], *, number: int) -> str:
    """A figure on one line for /numbers: value, as-of date, attribution (escaped)."""
    d = fact.details
    if not isinstance(d, StatisticDetails):
        return fact_compact(fact, sources, number=number)
    return (
        f"{number}. {statistic_value(d)} — as of {esc(fmt_when(d.as_of))}"
        f" · <i>{attribution(fact, sources)}</i>"
    )


#: Longest fact-button label: long enough to recognise, short enough for a phone.
BUTTON_LABEL_LIMIT = 44


def plain_text(html: str) -> str:
    """What a reader sees of ``html``: tags dropped, entities decoded (raw text)."""
    return unescape(re.sub(r"<[^>]*>", "", html))


def fact_button_label(fact: Fact, number: int) -> str:
    """ "1 · 1,486 political prisoners": the list number and a short title (raw text)."""
    d = fact.details
    if isinstance(d, StatisticDetails):
        title = plain_text(statistic_value(d))
    elif isinstance(d, SanctionDetails):
        title = f"{join_names(d.imposed_by)} → {join_names(d.targets)}"
    elif isinstance(d, PersonDetails):
        title = d.name
    else:
        title = fact.text
    return shorten(f"{number} · {title}", BUTTON_LABEL_LIMIT)


def detail_lines(fact: Fact) -> list[str]:
    """The structured value of a fact as labelled lines (escaped)."""
    d = fact.details
    lines: list[str] = []
    if isinstance(d, StatisticDetails):
        lines.append(f"Figure: {statistic_value(d)}")
        lines.append(f"As of: {esc(fmt_when(d.as_of))}")
        lines.extend(_resolved_line(d.as_of))
        if d.counted_by:
            lines.append(f"Counted by: {esc(d.counted_by)}")
    elif isinstance(d, SanctionDetails):
        lines.append(f"Imposed by: {esc(join_names(d.imposed_by))}")
        lines.append(f"On: {esc(join_names(d.targets))}")
        if d.persons_count is not None:
            lines.append(f"Persons: {fmt_number(d.persons_count)}")
        lines.append(f"Measures: {esc(', '.join(d.measures))}")
        if d.date:
            lines.append(f"Date: {esc(fmt_when(d.date))}")
            lines.extend(_resolved_line(d.date))
        lines.append(f"Status: <b>{esc(_STATUS_LABELS[d.status])}</b>")
    elif isinstance(d, EventDetails):
        lines.append(f"Date: {esc(fmt_when(d.date))}")
        lines.extend(_resolved_line(d.date))
        if d.place:
            lines.append(f"Place: {esc(d.place)}")
        if d.participants:
            lines.append(f"Participants: {esc(join_names(d.participants))}")
    elif isinstance(d, PersonDetails):
        lines.extend(person_lines(d))
    elif isinstance(d, StatementDetails):
        lines.append(f"Said by: {esc(d.speaker)}")
        if d.audience:
            lines.append(f"To: {esc(d.audience)}")
        if d.date:
            lines.append(f"Date: {esc(fmt_when(d.date))}")
            lines.extend(_resolved_line(d.date))
        lines.append("<i>A record of what was said, not a finding that it is true.</i>")
    return lines


def person_lines(d: PersonDetails) -> list[str]:
    """Aliases and roles with their dates (escaped)."""
    lines: list[str] = []
    if d.aliases:
        lines.append(f"Also written: {esc(', '.join(d.aliases))}")
    for role in d.roles:
        text = esc(role.title)
        if role.organisation:
            text += f", {esc(role.organisation)}"
        if role.as_of:
            text += f" <i>— as of {esc(fmt_when(role.as_of))}</i>"
        lines.append(f"Role: {text}")
    return lines


def source_full(source: Source) -> str:
    """A source's title, outlet, author and date (escaped), one line."""
    parts = [f"“{esc(source.title)}”"]
    parts.append(esc(source.outlet) if source.outlet else "outlet not named")
    if source.author:
        parts.append(esc(source.author))
    parts.append(esc(source_date(source)))
    return ", ".join(parts)


def history_lines(revisions: Sequence[Revision]) -> list[str]:
    """One line per revision: number, action, day and reason — never who made it."""
    lines = []
    for rev in revisions:
        lines.append(
            f"{rev.revision}. {esc(rev.action.value)}, {esc(fmt_datetime(rev.at))}: "
            f"{esc(shorten(rev.reason, 200))}"
        )
    return lines


def fact_card(
    fact: Fact,
    sources: Mapping[str, Source],
    *,
    history: Sequence[Revision] = (),
    names: Mapping[str, str] | None = None,
) -> list[str]:
    """One fact in full: claim, structured value, every quote with its source, history.

    Returned as blocks so that a fact with many long quotes splits between citations.
    ``names`` maps related fact ids to a display name.
    """
    head = [f"<b>{esc(fact.text)}</b>", *detail_lines(fact)]
    if fact.related:
        related = [esc((names or {}).get(r, r)) for r in fact.related]
        head.append(f"Related: {', '.join(related)}")
    if fact.topics:
        head.append(f"Topics: {esc(', '.join(fact.topics))}")
    blocks = ["\n".join(head)]
    # One block per source document, with every quote taken from it.
    quotes: dict[str, list[str]] = {}
    for citation in fact.citations:
        quotes.setdefault(citation.source, []).append(citation.quote)
    for n, (source_id, cited) in enumerate(quotes.items(), start=1):
        source = sources.get(source_id)
        origin = source_full(source) if source else f"source {esc(source_id)}"
        label = "Source" if len(quotes) == 1 else f"Source {n}"
        blockquotes = "\n".join(f"<blockquote>{esc(q)}</blockquote>" for q in cited)
        blocks.append(f"<b>{label}:</b> {origin}\n{blockquotes}")
    tail = []
    if history:
        tail.append("<b>History</b>")
        tail.extend(history_lines(history))
    tail.append(f"Id: <code>{esc(fact.id)}</code>")
    blocks.append("\n".join(tail))
    return blocks


def fact_share_card(fact: Fact, sources: Mapping[str, Source], *, bot_username: str) -> str:
    """A self-contained card for inline results: claim, citation, deep link to the bot."""
    link = deep_link(bot_username, fact.id)
    return (
        f"{fact_compact(fact, sources, bullet='')}\n"
        f'<a href="{esc(link)}">Full fact and quotes: @{esc(bot_username)}</a>'
    )


def deep_link(bot_username: str, fact_id: str) -> str:
    """https://t.me/<bot>?start=fact_<id> — opens the fact in a private chat."""
    return f"https://t.me/{bot_username}?start=fact_{fact_id}"


# --- pages ---------------------------------------------------------------------------------
def numbered(facts: Iterable[Fact], sources: Mapping[str, Source], *, start: int = 1) -> list[str]:
    """Compact blocks numbered from ``start``."""
    return [fact_compact(f, sources, number=n) for n, f in enumerate(facts, start=start)]


def source_block(source: Source, *, number: int, fact_count: int | None = None) -> str:
    """A source document for /sources: title, outlet, author, date and how it is known."""
    lines = [f"{number}. <b>{esc(source.title)}</b>"]
    lines.append(f"Outlet: {esc(source.outlet or 'not named in the document')}")
    lines.append(f"Author: {esc(source.author or 'not named')}")
    lines.append(f"Date: {esc(source_date(source, mark=False))} — {esc(date_basis_text(source))}")
    if source.published is not None and source.published.resolved_from:
        lines.append(f"Date resolved from: <i>{esc(source.published.resolved_from)}</i>")
    lines.append(f"<i>{esc(source.date_note)}</i>")
    if source.note:
        lines.append(f"Note: {esc(source.note)}")
    if source.url:
        lines.append(f'<a href="{esc(str(source.url))}">{esc(str(source.url))}</a>')
    if fact_count is not None:
        lines.append(f"Facts citing it: {fact_count}")
    return "\n".join(lines)


def person_heading(person: Fact) -> str:
    """The person's name (bold), entity type and role lines (escaped)."""
    d = person.details
    if not isinstance(d, PersonDetails):
        return f"<b>{esc(person.text)}</b>"
    lines = [f"<b>{esc(d.name)}</b> ({esc(d.entity.value)})", esc(person.text)]
    lines.extend(person_lines(d))
    return "\n".join(lines)


def person_name(person: Fact) -> str:
    """A person fact's display name (raw, not escaped)."""
    d = person.details
    return d.name if isinstance(d, PersonDetails) else person.text


# --- splitting -----------------------------------------------------------------------------
_TOKEN = re.compile(r"<[^>]*>|&[#a-zA-Z0-9]+;|.", re.DOTALL)
_TAG = re.compile(r"^<(/?)([a-zA-Z][a-zA-Z0-9-]*)")


def _units(text: str) -> int:
    """Length in UTF-16 code units, the way Telegram counts."""
    return len(text.encode("utf-16-le")) // 2


def visible_length(html: str) -> int:
    """The length Telegram checks: text after tags are removed and entities decoded."""
    return _units(unescape(re.sub(r"<[^>]*>", "", html)))


def _split_block(block: str, limit: int) -> list[str]:
    """Split one oversized block, preferably at a newline outside any tag, else mid-text
    closing and re-opening the open tags — never inside a tag or an entity."""
    pieces: list[str] = []
    current: list[str] = []  # tokens of the piece being built
    length = 0  # visible length of the piece
    stack: list[tuple[str, str]] = []  # (name, full opening tag)
    safe_cut: int | None = None  # index in ``current`` of the last newline outside tags

    def flush(upto: int | None) -> None:
        nonlocal current, length, safe_cut
        if upto is not None:
            head, rest = current[:upto], current[upto + 1 :]  # drop the newline itself
            pieces.append("".join(head).rstrip("\n"))
            current = rest
        else:
            closing = "".join(f"</{name}>" for name, _ in reversed(stack))
            pieces.append("".join(current) + closing)
            current = [tag for _, tag in stack]
        length = visible_length("".join(current))
        safe_cut = None

    for token in _TOKEN.findall(block):
        tag = _TAG.match(token)
        if tag:
            closing, name = tag.group(1) == "/", tag.group(2).lower()
            if closing:
                if stack and stack[-1][0] == name:
                    stack.pop()
            else:
                stack.append((name, token))
            current.append(token)
            continue
        size = _units(unescape(token))
        if length + size > limit:
            flush(safe_cut)
            if length + size > limit:
                flush(None)
        if token == "\n" and not stack:
            safe_cut = len(current)
        current.append(token)
        length += size
    if current:
        pieces.append("".join(current))
    return [p for p in pieces if visible_length(p) > 0 or p.strip()]


def split_messages(
    blocks: Sequence[str], limit: int = MESSAGE_LIMIT, *, separator: str = BLOCK_SEPARATOR
) -> list[str]:
    """Pack blocks into messages of at most ``limit`` visible characters, splitting between
    blocks (facts); a single block longer than the limit is split on its own lines."""
    messages: list[str] = []
    current, current_len = "", 0
    sep_len = _units(separator)
    for block in blocks:
        if not block:
            continue
        parts = [block] if visible_length(block) <= limit else _split_block(block, limit)
        for part in parts:
            part_len = visible_length(part)
            if not current:
                current, current_len = part, part_len
            elif current_len + sep_len + part_len <= limit:
                current = f"{current}{separator}{part}"
                current_len += sep_len + part_len
            else:
                messages.append(current)
                current, current_len = part, part_len
    if current:
        messages.append(current)
    return messages
