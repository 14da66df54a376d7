"""Pure rendering: facts, sources and pages → Telegram HTML.

Every piece of data is escaped with :func:`esc`; only tags Telegram accepts are produced
(b, i, code, blockquote, a href). Nothing here touches the network or the store.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from html import unescape

from bot.i18n import N_, NP_, Translator, translator
from facts.model import (
    Action,
    Citation,
    DateBasis,
    EntityType,
    EventDetails,
    Fact,
    FactTranslation,
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
from facts.profiles import SHOWN_SPELLINGS
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


_STATUS_LABELS = {
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
    status = esc(tr.gettext(_STATUS_LABELS[details.status]))
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
) -> str:
    """A fact for lists: date first when it has one, claim, compact citation. A figure's
    claim already states its value, so it is not repeated (/fact shows it structured)."""
    lead = f"{number}. " if number is not None else bullet
    details = fact.details
    lines = [f"{lead}{date_prefix(fact, tr)}{esc(fact_text(fact, tr))}"]
    if isinstance(details, SanctionDetails):
        lines.append(sanction_summary(details, tr, terms=terms_in(fact, tr.language)))
    lines.append(f"<i>{fact_attribution(fact, sources, tr)}</i>")
    return "\n".join(lines)


def _resolved_line(when: When, tr: Translator) -> list[str]:
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


#: Longest fact-button label: long enough to recognise, short enough for a phone.
BUTTON_LABEL_LIMIT = 44


def plain_text(html: str) -> str:
    """What a reader sees of ``html``: tags dropped, entities decoded (raw text)."""
    return unescape(re.sub(r"<[^>]*>", "", html))


def fact_button_label(fact: Fact, number: int, tr: Translator = EN) -> str:
    """ "1 · 1,486 political prisoners": the list number and a short title (raw text)."""
    d = fact.details
    given = terms_in(fact, tr.language)
    if isinstance(d, StatisticDetails) and (tr.language == "en" or not fact.translations):
        title = plain_text(statistic_value(d, tr, terms=given))
    elif isinstance(d, SanctionDetails):
        imposers = [given.get(n, n) for n in d.imposed_by]
        title = (
            f"{join_names(imposers, tr)} → {join_names([given.get(n, n) for n in d.targets], tr)}"
        )
    elif isinstance(d, PersonDetails):
        title = person_name(fact, tr)
    else:
        title = fact_text(fact, tr)
    return shorten(f"{number} · {title}", BUTTON_LABEL_LIMIT)


_ENTITY_LABELS = {
    EntityType.PERSON: N_("person"),
    EntityType.ORGANISATION: N_("organisation"),
    EntityType.COUNTRY: N_("country"),
}
_ACTION_LABELS = {
    Action.SEEDED: N_("seeded"),
    Action.CREATED: N_("created"),
    Action.EDITED: N_("edited"),
    Action.SUPERSEDED: N_("superseded"),
    Action.RETRACTED: N_("retracted"),
    Action.REVERTED: N_("reverted"),
    Action.IMPORTED: N_("imported"),
}


def action_label(action: Action, tr: Translator = EN) -> str:
    """What a revision did, in the reader's language (raw): "edited", "изменён"."""
    return tr.gettext(_ACTION_LABELS[action])


def detail_lines(fact: Fact, tr: Translator = EN) -> list[str]:
    """The structured value of a fact as labelled lines (escaped)."""
    d = fact.details
    _ = tr.gettext
    given = terms_in(fact, tr.language)

    def t(value: str) -> str:
        return given.get(value, value)

    lines: list[str] = []
    if isinstance(d, StatisticDetails):
        lines.append(_("Figure: {value}", value=statistic_value(d, tr, terms=given)))
        lines.append(_("As of: {date}", date=esc(fmt_when(d.as_of, tr=tr))))
        lines.extend(_resolved_line(d.as_of, tr))
        if d.counted_by:
            lines.append(_("Counted by: {counter}", counter=esc(t(d.counted_by))))
    elif isinstance(d, SanctionDetails):
        lines.append(
            _("Imposed by: {names}", names=esc(join_names(list(map(t, d.imposed_by)), tr)))
        )
        lines.append(_("On: {names}", names=esc(join_names(list(map(t, d.targets)), tr))))
        if d.persons_count is not None:
            lines.append(_("Persons: {count}", count=fmt_number(d.persons_count, tr)))
        lines.append(_("Measures: {measures}", measures=esc(", ".join(map(t, d.measures)))))
        if d.date:
            lines.append(_("Date: {date}", date=esc(fmt_when(d.date, tr=tr))))
            lines.extend(_resolved_line(d.date, tr))
        lines.append(_("Status: <b>{status}</b>", status=esc(_(_STATUS_LABELS[d.status]))))
    elif isinstance(d, EventDetails):
        lines.append(_("Date: {date}", date=esc(fmt_when(d.date, tr=tr))))
        lines.extend(_resolved_line(d.date, tr))
        if d.place:
            lines.append(_("Place: {place}", place=esc(t(d.place))))
        if d.participants:
            names = esc(join_names(list(map(t, d.participants)), tr))
            lines.append(_("Participants: {names}", names=names))
    elif isinstance(d, PersonDetails):
        lines.extend(person_lines(d, tr, translation=fact.translations.get(tr.language)))  # type: ignore[call-overload]
    elif isinstance(d, StatementDetails):
        lines.append(_("Said by: {speaker}", speaker=esc(t(d.speaker))))
        if d.audience:
            lines.append(_("To: {audience}", audience=esc(t(d.audience))))
        if d.date:
            lines.append(_("Date: {date}", date=esc(fmt_when(d.date, tr=tr))))
            lines.extend(_resolved_line(d.date, tr))
        lines.append(_("<i>A record of what was said, not a finding that it is true.</i>"))
    return lines


def person_lines(
    d: PersonDetails,
    tr: Translator = EN,
    *,
    translation: FactTranslation | None = None,
    spellings: int | None = None,
) -> list[str]:
    """Aliases (the reader's language's spellings first; the first ``spellings`` of them
    when given, with how many more /fact shows) and roles with their dates (escaped)."""
    lines: list[str] = []
    aliases = list(translation.aliases) if translation is not None else []
    if translation is not None and translation.name and translation.name != d.name:
        aliases.append(d.name)
    aliases += [a for a in d.aliases if a not in aliases]
    if aliases:
        shown = aliases if spellings is None else aliases[:spellings]
        names = esc(", ".join(shown))
        more = len(aliases) - len(shown)
        if more:
            names += " " + tr.ngettext("+ {n} more (/fact)", "+ {n} more (/fact)", more, n=more)
        lines.append(tr.gettext("Also written: {names}", names=names))
    given = translation.terms if translation is not None else {}
    for role in d.roles:
        text = esc(given.get(role.title, role.title))
        if role.organisation:
            text += f", {esc(given.get(role.organisation, role.organisation))}"
        if role.as_of:
            as_of = tr.gettext("as of {date}", date=esc(fmt_when(role.as_of, tr=tr)))
            text += f" <i>— {as_of}</i>"
        lines.append(tr.gettext("Role: {role}", role=text))
    return lines


def source_full(source: Source, tr: Translator = EN) -> str:
    """A source's title, outlet, author and date (escaped), one line; a translated title
    says so."""
    title = tr.gettext("“{title}”", title=esc(source_title(source, tr)))
    if source_title(source, tr) != source.title:
        title += " " + tr.gettext("(title translated)")
    parts = [title]
    named = outlet(source, tr.language)
    parts.append(esc(named) if named else tr.gettext("outlet not named"))
    if source.author:
        parts.append(esc(source.author))
    parts.append(esc(source_date(source, tr=tr)))
    return ", ".join(parts)


def history_lines(revisions: Sequence[Revision], tr: Translator = EN) -> list[str]:
    """One line per revision: number, action, day and reason — never who made it."""
    lines = []
    for rev in revisions:
        lines.append(
            f"{rev.revision}. {esc(tr.gettext(_ACTION_LABELS[rev.action]))}, "
            f"{esc(fmt_datetime(rev.at, tr))}: {esc(shorten(rev.reason, 200))}"
        )
    return lines


def fact_card(
    fact: Fact,
    sources: Mapping[str, Source],
    *,
    history: Sequence[Revision] = (),
    names: Mapping[str, str] | None = None,
    tr: Translator = EN,
) -> list[str]:
    """One fact in full: claim, structured value, every quote with its source, history.

    Returned as blocks so that a fact with many long quotes splits between citations.
    ``names`` maps related fact ids to a display name. For a reader of Russian or
    Belarusian the claim is the translation, marked as one (or the English claim with a
    note that it is not translated yet); quotes stay verbatim, their translations (where
    given) labelled as such.
    """
    _ = tr.gettext
    translation = fact.translations.get(tr.language)  # type: ignore[call-overload]
    head = [f"<b>{esc(fact_text(fact, tr))}</b>"]
    if tr.language != "en":
        if translation is not None:
            head.append(_("<i>Translated from English; quotes are in their original words.</i>"))
        else:
            head.append(_("<i>Not translated yet: shown in English.</i>"))
    head += detail_lines(fact, tr)
    if fact.related:
        related = [esc((names or {}).get(r, r)) for r in fact.related]
        head.append(_("Related: {names}", names=", ".join(related)))
    if fact.topics:
        head.append(_("Topics: {topics}", topics=esc(", ".join(fact.topics))))
    blocks = ["\n".join(head)]
    # One block per source document, with every quote taken from it.
    quotes: dict[str, list[str]] = {}
    translated = translation.quotes if translation is not None else []
    for index, citation in enumerate(fact.citations):
        quote = f"<blockquote>{esc(citation.quote)}</blockquote>"
        if index < len(translated) and translated[index]:
            label = _("Translation of the quote:")
            quote += f"\n<i>{label}</i> {esc(translated[index] or '')}"
        quotes.setdefault(citation.source, []).append(quote)
    for n, (source_id, cited) in enumerate(quotes.items(), start=1):
        source = sources.get(source_id)
        origin = (
            source_full(source, tr) if source else _("source {source_id}", source_id=esc(source_id))
        )
        label = _("Source") if len(quotes) == 1 else _("Source {number}", number=n)
        if source is None or source.document is None:
            # Only a stored document lets the store check a quote (facts/rules.py).
            cited = [*cited, "<i>" + _("Not checked against a document.") + "</i>"]
        blocks.append(f"<b>{label}:</b> {origin}\n" + "\n".join(cited))
    tail = []
    if history:
        tail.append(_("<b>History</b>"))
        tail.extend(history_lines(history, tr))
    tail.append(_("Id: <code>{fact_id}</code>", fact_id=esc(fact.id)))
    blocks.append("\n".join(tail))
    return blocks


def fact_share_card(
    fact: Fact, sources: Mapping[str, Source], *, bot_username: str, tr: Translator = EN
) -> str:
    """A self-contained card for inline results: claim, citation, deep link to the bot."""
    link = deep_link(bot_username, fact.id)
    label = tr.gettext("Full fact and quotes: @{username}", username=esc(bot_username))
    return f'{fact_compact(fact, sources, bullet="", tr=tr)}\n<a href="{esc(link)}">{label}</a>'


def deep_link(bot_username: str, fact_id: str) -> str:
    """https://t.me/<bot>?start=fact_<id> — opens the fact in a private chat."""
    return f"https://t.me/{bot_username}?start=fact_{fact_id}"


# --- pages ---------------------------------------------------------------------------------
def numbered(
    facts: Iterable[Fact], sources: Mapping[str, Source], *, start: int = 1, tr: Translator = EN
) -> list[str]:
    """Compact blocks numbered from ``start``."""
    return [fact_compact(f, sources, number=n, tr=tr) for n, f in enumerate(facts, start=start)]


def source_block(
    source: Source, *, number: int, fact_count: int | None = None, tr: Translator = EN
) -> str:
    """A source document for /sources: title, outlet, author, date and how it is known."""
    _ = tr.gettext
    title = f"{number}. <b>{esc(source_title(source, tr))}</b>"
    if source_title(source, tr) != source.title:
        title += " " + _("(title translated)") + f"\n<i>{esc(source.title)}</i>"
    lines = [title]
    named = outlet(source, tr.language) or _("not named in the document")
    lines.append(_("Outlet: {outlet}", outlet=esc(named)))
    lines.append(_("Author: {author}", author=esc(source.author or _("not named"))))
    date = esc(source_date(source, mark=False, tr=tr))
    lines.append(_("Date: {date}", date=date) + f" — {esc(date_basis_text(source, tr))}")
    if source.published is not None and source.published.resolved_from:
        lines.append(
            _("Date resolved from: <i>{wording}</i>", wording=esc(source.published.resolved_from))
        )
    lines.append(f"<i>{esc(source.date_note)}</i>")
    if source.note:
        lines.append(_("Note: {note}", note=esc(source.note)))
    if source.url:
        lines.append(f'<a href="{esc(str(source.url))}">{esc(str(source.url))}</a>')
    if source.document is not None:
        lines.append(_("Document: stored; every quote is checked against it."))
    else:
        lines.append(_("Document: not stored; its quotes are not checked."))
    if fact_count is not None:
        lines.append(_("Facts citing it: {count}", count=fact_count))
    return "\n".join(lines)


def person_heading(person: Fact, tr: Translator = EN) -> str:
    """The person's name (bold), entity type and role lines (escaped)."""
    d = person.details
    if not isinstance(d, PersonDetails):
        return f"<b>{esc(fact_text(person, tr))}</b>"
    entity = tr.gettext(_ENTITY_LABELS[d.entity])
    lines = [f"<b>{esc(person_name(person, tr))}</b> ({esc(entity)})", esc(fact_text(person, tr))]
    note = translation_note(person, tr)
    if note:
        lines[-1] += f" <i>({esc(note)})</i>"
    translation = person.translations.get(tr.language)  # type: ignore[call-overload]
    lines.extend(person_lines(d, tr, translation=translation, spellings=SHOWN_SPELLINGS))
    return "\n".join(lines)


def person_name(person: Fact, tr: Translator = EN) -> str:
    """A person fact's display name, in the reader's spelling when there is one (raw)."""
    d = person.details
    if not isinstance(d, PersonDetails):
        return fact_text(person, tr)
    translation = person.translations.get(tr.language)  # type: ignore[call-overload]
    return translation.name if translation is not None and translation.name else d.name


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
