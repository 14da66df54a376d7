"""Pure rendering: the pieces of Telegram HTML — numbers and dates, a fact's claim and
value, sources and citations, a fact in one line (whole cards and pages are
:mod:`bot.cards`; splitting a long reply into messages is :mod:`bot.splitting`).

Every piece of data is escaped with :func:`esc`; only tags Telegram accepts are produced
(b, i, code, blockquote, a href). Nothing here touches the network or the store.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from html import unescape

from bot.i18n import N_, NP_, Translator, translator
from facts.model import (
    Citation,
    DateBasis,
    Fact,
    Precision,
    Qualifier,
    SanctionDetails,
    SanctionStatus,
    Source,
    StatisticDetails,
    When,
)
from facts.terms import outlet, term, terms_in

MESSAGE_LIMIT = 4096
#: Telegram's limit on an inline keyboard button's callback data, in bytes.
CALLBACK_DATA_LIMIT = 64
BLOCK_SEPARATOR = "\n\n"

#: The translator of the source language: what these functions write unless given another.
EN: Translator = translator("en")


# --- primitives ----------------------------------------------------------------------------
def esc(text: str) -> str:
    """Escape data for Telegram HTML: & < > and " (the only named entities it knows)."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def fmt_number(value: float, tr: Translator = EN) -> str:
    """1486 → "1,486" ("1 486" in ru/be); 80.0 → "80"; 2.5 → "2.5"; 1234.56 → "1,234.56"."""
    return tr.number(value)


def fmt_date(date: str, tr: Translator = EN) -> str:
    """A partial ISO date by its precision: 2020 → "2020"; 2020-10 → "October 2020";
    2020-10-02 → "2 October 2020" ("2 октября 2020 г." in Russian)."""
    return tr.date(date)


def is_inferred(when: When) -> bool:
    """True when the date is only approximate.

    A date resolved from relative wording ("on Friday" in a dated report) is exact: its
    ``resolved_from`` is shown in the full fact, not as a marker in every list.
    """
    return when.approximate


def fmt_when(when: When, *, mark: bool = True, tr: Translator = EN) -> str:
    """A date by its precision, marked "(date inferred)" when approximate (unless ``mark``
    is false)."""
    text = tr.date(when.date)
    if when.approximate and when.precision is Precision.DAY:
        text = tr.gettext("about {date}", date=text)
    return tr.gettext("{date} (date inferred)", date=text) if mark and is_inferred(when) else text


def fmt_datetime(moment: dt.datetime, tr: Translator = EN) -> str:
    """A timestamp as a day: 12 March 2025."""
    return tr.date(moment.date().isoformat())


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,.;:—-") + "…"


def join_names(names: Sequence[str], tr: Translator = EN) -> str:
    """ "A", "A and B", "A, B and C" ("A, B и C")."""
    return tr.join(list(names))


# --- translations of the data ----------------------------------------------------------------
def fact_text(fact: Fact, tr: Translator = EN) -> str:
    """The claim in the reader's language when translated, else the English claim (raw)."""
    translation = fact.translations.get(tr.language)  # type: ignore[call-overload]
    return translation.text if translation is not None else fact.text


def translation_note(fact: Fact, tr: Translator = EN) -> str:
    """For a reader of another language: "translated" or "not translated yet" (raw, short;
    "" in English)."""
    if tr.language not in ("ru", "be"):
        return ""
    if tr.language in fact.translations:
        return tr.gettext("translated from English")
    return tr.gettext("in English: no translation yet")


def source_title(source: Source, tr: Translator = EN) -> str:
    """The source's title in the reader's language when translated (raw)."""
    translation = source.translations.get(tr.language)  # type: ignore[call-overload]
    return translation.title if translation is not None else source.title


# --- sources and citations -----------------------------------------------------------------
def source_date(source: Source, *, mark: bool = True, tr: Translator = EN) -> str:
    """The source's publication date; "(date inferred)" only when it is both inferred and
    approximate (an exact date worked out from the text is as good as a stated one);
    "date unknown" when not known."""
    if source.published is None:
        return tr.gettext("date unknown")
    text = fmt_when(source.published, mark=False, tr=tr)
    if mark and source.date_basis is DateBasis.INFERRED and source.published.approximate:
        text = tr.gettext("{date} (date inferred)", date=text)
    return text


def date_basis_text(source: Source, tr: Translator = EN) -> str:
    """How the source's date is known, in words (raw, not escaped)."""
    published = source.published
    if source.date_basis is DateBasis.STATED:
        return tr.gettext("stated in the document")
    if source.date_basis is DateBasis.UNKNOWN or published is None:
        return tr.gettext("not known")
    if published.approximate:
        return tr.gettext("not stated in the document; inferred from its contents, approximate")
    return tr.gettext("not stated in the document; worked out exactly from its contents")


def source_label(source: Source, tr: Translator = EN) -> str:
    """What to call a source in a compact citation: its outlet, else its quoted short title
    (raw, not escaped)."""
    return outlet(source, tr.language) or tr.gettext(
        "“{title}”", title=shorten(source_title(source, tr), 50)
    )


def source_compact(source: Source, tr: Translator = EN) -> str:
    """ "Outlet, 12 May 2023", or for a document whose outlet is not named
    "“Headline…” (outlet not named, about November 2020)" (escaped)."""
    if source.outlet:
        return f"{esc(source_label(source, tr))}, {esc(source_date(source, tr=tr))}"
    published = source.published
    if published is None:
        when = tr.gettext("date unknown")
    else:
        when = source_date(source, mark=False, tr=tr)
        if published.approximate and published.precision is not Precision.DAY:
            # "около сентября 2020 г.": the month in the form the preposition governs
            when = tr.gettext("about {date}", date=tr.date(published.date, context="format"))
    return tr.gettext(
        "{source} (outlet not named, {date})", source=esc(source_label(source, tr)), date=esc(when)
    )


def citation_compact(citation: Citation, sources: Mapping[str, Source], tr: Translator = EN) -> str:
    """One citation, compact (escaped): see :func:`source_compact`."""
    source = sources.get(citation.source)
    if source is None:
        return tr.gettext("source {source_id}", source_id=esc(citation.source))
    return source_compact(source, tr)


def citations_compact(
    fact: Fact, sources: Mapping[str, Source], *, shown: int = 2, tr: Translator = EN
) -> str:
    """The fact's citations, compact, at most ``shown`` of them then "+N more" (escaped)."""
    seen: list[str] = []
    for citation in fact.citations:
        text = citation_compact(citation, sources, tr)
        if text not in seen:
            seen.append(text)
    more = len(seen) - shown
    text = "; ".join(seen[:shown])
    return tr.gettext("{sources}; +{count} more", sources=text, count=more) if more > 0 else text


def attribution(fact: Fact, sources: Mapping[str, Source], tr: Translator = EN) -> str:
    """ "Counter, reported by Outlet, date" or "Outlet, date" (escaped); a document without
    a named outlet is "reported in" rather than "by" it."""
    cited = citations_compact(fact, sources, tr=tr)
    details = fact.details
    if isinstance(details, StatisticDetails) and details.counted_by:
        first = sources.get(fact.citations[0].source)
        counter = esc(term(fact, details.counted_by, tr.language))
        if first is None or first.outlet:
            return tr.gettext("{counter}, reported by {sources}", counter=counter, sources=cited)
        return tr.gettext("{counter}, reported in {sources}", counter=counter, sources=cited)
    return cited


def fact_attribution(fact: Fact, sources: Mapping[str, Source], tr: Translator = EN) -> str:
    """The attribution with a leading dash, for the line under a claim (escaped); for a
    reader of Russian or Belarusian also whether the claim is a translation."""
    note = translation_note(fact, tr)
    return f"— {attribution(fact, sources, tr)}" + (f" · {esc(note)}" if note else "")


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


_QUALIFIER_LABELS = {
    Qualifier.EXACTLY: "",
    Qualifier.AT_LEAST: N_("at least"),
    Qualifier.MORE_THAN: N_("more than"),
    Qualifier.ABOUT: N_("about"),
    Qualifier.UP_TO: N_("up to"),
    Qualifier.SEVERAL: N_("several"),
}


def statistic_value(
    details: StatisticDetails, tr: Translator = EN, *, terms: Mapping[str, str] | None = None
) -> str:
    """ "at least 1,486 political prisoners", "thousands of people detained" (escaped).
    The unit and wording are data, in English unless ``terms`` (the fact's terms in the
    reader's language) translate them."""
    given = terms or {}
    unit = given.get(details.unit, details.unit)
    if details.value_text:
        # The source's own wording ("hundreds of thousands") already carries its qualifier.
        if details.value_text in given or details.unit in given:
            value, rest = given.get(details.value_text, details.value_text), unit
        else:
            value, rest = worded_value(details.value_text, details.unit)
        return f"<b>{esc(value)}</b> {esc(rest)}".rstrip()
    label = _QUALIFIER_LABELS[details.qualifier]
    qualifier = f"{tr.gettext(label)} " if label else ""
    number = fmt_number(details.value, tr)
    if _PERCENT.match(unit):
        # "80 percent of the vote" reads better as "80% of the vote".
        number, unit = f"{number}%", _PERCENT.sub("", unit, count=1)
    return f"{esc(qualifier)}<b>{esc(number)}</b> {esc(unit)}".rstrip()


STATUS_LABELS = {
    SanctionStatus.IMPOSED: N_("imposed"),
    SanctionStatus.DISCUSSED: N_("discussed, not imposed"),
    SanctionStatus.PROPOSED: N_("proposed, not imposed"),
    SanctionStatus.THREATENED: N_("threatened, not imposed"),
    SanctionStatus.LIFTED: N_("lifted"),
}
_PERSONS = NP_("{count} person", "{count} persons")


def sanction_summary(
    details: SanctionDetails, tr: Translator = EN, *, terms: Mapping[str, str] | None = None
) -> str:
    """ "EU → 40 officials: asset freeze, travel ban — imposed, 2 October 2020" (escaped);
    names and measures as ``terms`` (the fact's, in the reader's language) give them."""
    given = terms or {}
    who = esc(join_names([given.get(n, n) for n in details.imposed_by], tr))
    whom = esc(join_names([given.get(n, n) for n in details.targets], tr))
    if details.persons_count is not None:
        count = details.persons_count
        whom += f" ({tr.plural(_PERSONS, count, count=fmt_number(count, tr))})"
    measures = esc(", ".join(given.get(m, m) for m in details.measures))
    status = esc(tr.gettext(STATUS_LABELS[details.status]))
    return f"<b>{who}</b> → {whom}: {measures} — <i>{status}</i>"


def date_prefix(fact: Fact, tr: Translator = EN) -> str:
    """The date a dated fact is about (a figure's as-of date), bold, with a colon ("" for
    undated facts): every dated item in a list starts the same way."""
    when = fact.date
    if when is None:
        return ""
    return f"<b>{esc(fmt_when(when, tr=tr))}:</b> "


# --- fact blocks ---------------------------------------------------------------------------
def fact_compact(
    fact: Fact,
    sources: Mapping[str, Source],
    *,
    number: int | None = None,
    bullet: str = "• ",
    tr: Translator = EN,
    mark_undated: bool = False,
) -> str:
    """A fact for lists: date first when it has one (with ``mark_undated``, "No date:" when
    it has none, in a list ordered by date), claim, compact citation. A figure's claim
    already states its value, so it is not repeated (/fact shows it structured)."""
    lead = f"{number}. " if number is not None else bullet
    details = fact.details
    prefix = date_prefix(fact, tr)
    if not prefix and mark_undated:
        undated = tr.gettext("No date")
        prefix = f"<b>{esc(undated)}:</b> "
    lines = [f"{lead}{prefix}{esc(fact_text(fact, tr))}"]
    if isinstance(details, SanctionDetails):
        lines.append(sanction_summary(details, tr, terms=terms_in(fact, tr.language)))
    lines.append(f"<i>{fact_attribution(fact, sources, tr)}</i>")
    return "\n".join(lines)


def resolved_line(when: When, tr: Translator) -> list[str]:
    """ "Date resolved from: …" when the date was worked out from relative wording."""
    if when.resolved_from is None:
        return []
    return [tr.gettext("Date resolved from: <i>{wording}</i>", wording=esc(when.resolved_from))]


def statistic_line(
    fact: Fact, sources: Mapping[str, Source], *, number: int, tr: Translator = EN
) -> str:
    """A figure on one line for /numbers: value, as-of date, attribution (escaped). For a
    reader of another language the translated claim stands for the value (its unit is
    English data)."""
    d = fact.details
    if not isinstance(d, StatisticDetails):
        return fact_compact(fact, sources, number=number, tr=tr)
    if tr.language != "en" and tr.language in fact.translations:
        return fact_compact(fact, sources, number=number, tr=tr)
    as_of = tr.gettext("as of {date}", date=esc(fmt_when(d.as_of, tr=tr)))
    return (
        f"{number}. {statistic_value(d, tr, terms=terms_in(fact, tr.language))} — {as_of}"
        f" · <i>{fact_attribution(fact, sources, tr).removeprefix('— ')}</i>"
    )


def plain_text(html: str) -> str:
    """What a reader sees of ``html``: tags dropped, entities decoded (raw text)."""
    return unescape(re.sub(r"<[^>]*>", "", html))
