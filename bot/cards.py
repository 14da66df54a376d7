"""Pure rendering of whole facts, people and pages: a fact's card, its details and
history, a person's heading, a numbered page of facts (built from :mod:`bot.render`'s
pieces; every piece of data escaped)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Final

from bot.i18n import N_, Translator
from bot.render import (
    EN,
    STATUS_LABELS,
    date_basis_text,
    esc,
    fact_compact,
    fact_text,
    fmt_datetime,
    fmt_number,
    fmt_when,
    join_names,
    plain_text,
    resolved_line,
    shorten,
    source_date,
    source_title,
    statistic_value,
    translation_note,
)
from facts.model import (
    Action,
    EntityType,
    EventDetails,
    Fact,
    FactTranslation,
    PersonDetails,
    Revision,
    SanctionDetails,
    Source,
    StatementDetails,
    StatisticDetails,
)
from facts.profiles import SHOWN_SPELLINGS
from facts.store import SEED_REASON
from facts.terms import outlet, terms_in

#: Longest fact-button label: long enough to recognise, short enough for a phone.
BUTTON_LABEL_LIMIT = 44


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
        lines.extend(resolved_line(d.as_of, tr))
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
            lines.extend(resolved_line(d.date, tr))
        lines.append(_("Status: <b>{status}</b>", status=esc(_(STATUS_LABELS[d.status]))))
    elif isinstance(d, EventDetails):
        lines.append(_("Date: {date}", date=esc(fmt_when(d.date, tr=tr))))
        lines.extend(resolved_line(d.date, tr))
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
            lines.extend(resolved_line(d.date, tr))
        lines.append(_("<i>A record of what was said, not a finding that it is true.</i>"))
    return lines


def person_lines(
    d: PersonDetails,
    tr: Translator = EN,
    *,
    translation: FactTranslation | None = None,
    spellings: int | None = None,
    fact_id: str = "",
) -> list[str]:
    """Aliases (the reader's language's spellings first; the first ``spellings`` of them
    when given, with how many more ``/fact <fact_id>`` shows) and roles with their dates
    (escaped)."""
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
            names += " " + tr.ngettext(
                "+ {n} more: /fact {id}", "+ {n} more: /fact {id}", more, n=more, id=esc(fact_id)
            )
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


#: Reasons the bot itself writes into the history, in the reader's language.
KNOWN_REASONS: Final = {SEED_REASON: N_("initial seed: the fact base shipped with the bot")}
#: The seed's topics by name (a topic not listed is shown as it is stored).
TOPIC_NAMES: Final = {
    "statements": N_("statements"),
    "us": N_("United States"),
    "repression": N_("repression"),
    "diplomacy": N_("diplomacy"),
    "election": N_("election"),
    "timeline": N_("timeline"),
    "protests": N_("protests"),
    "media": N_("media"),
    "people": N_("people"),
    "osce": N_("OSCE"),
    "opposition": N_("opposition"),
    "sanctions": N_("sanctions"),
    "detentions": N_("detentions"),
    "prisoners": N_("political prisoners"),
    "eu": N_("European Union"),
    "un": N_("UN"),
    "torture": N_("torture"),
    "russia": N_("Russia"),
}


def reason_text(reason: str, tr: Translator = EN) -> str:
    """A revision's reason: the bot's own in the reader's language, an admin's as written."""
    known = KNOWN_REASONS.get(reason)
    return tr.gettext(known) if known is not None else reason


def topic_names(topics: Iterable[str], tr: Translator = EN) -> str:
    """A fact's topics in the reader's language, comma-separated (not escaped)."""
    return ", ".join(tr.gettext(TOPIC_NAMES[t]) if t in TOPIC_NAMES else t for t in topics)


def history_lines(revisions: Sequence[Revision], tr: Translator = EN) -> list[str]:
    """One line per revision: number, action, day and reason — never who made it."""
    lines = []
    for rev in revisions:
        reason = reason_text(rev.reason, tr)
        lines.append(
            f"{rev.revision}. {esc(tr.gettext(_ACTION_LABELS[rev.action]))}, "
            f"{esc(fmt_datetime(rev.at, tr))}: {esc(shorten(reason, 200))}"
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
        head.append(_("Topics: {topics}", topics=esc(topic_names(fact.topics, tr))))
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
    facts: Iterable[Fact],
    sources: Mapping[str, Source],
    *,
    start: int = 1,
    tr: Translator = EN,
    mark_undated: bool = False,
) -> list[str]:
    """Compact blocks numbered from ``start`` (``mark_undated``: see fact_compact)."""
    return [
        fact_compact(f, sources, number=n, tr=tr, mark_undated=mark_undated)
        for n, f in enumerate(facts, start=start)
    ]


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
    unnamed = _("not named")
    lines.append(_("Author: {author}", author=esc(source.author or unnamed)))
    date = esc(source_date(source, mark=False, tr=tr))
    lines.append(_("Date: {date}", date=date) + f" — {esc(date_basis_text(source, tr))}")
    if source.published is not None and source.published.resolved_from:
        lines.append(
            _("Date resolved from: <i>{wording}</i>", wording=esc(source.published.resolved_from))
        )
    # The notes are data, written in English: labelled as such for other readers.
    if tr.language == "en":
        lines.append(f"<i>{esc(source.date_note)}</i>")
    else:
        lines.append(_("About the date (in English): <i>{note}</i>", note=esc(source.date_note)))
    if source.note and tr.language == "en":
        lines.append(_("Note: {note}", note=esc(source.note)))
    elif source.note:
        lines.append(_("Note (in English): {note}", note=esc(source.note)))
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
    lines.extend(
        person_lines(d, tr, translation=translation, spellings=SHOWN_SPELLINGS, fact_id=person.id)
    )
    return "\n".join(lines)


def person_name(person: Fact, tr: Translator = EN) -> str:
    """A person fact's display name, in the reader's spelling when there is one (raw)."""
    d = person.details
    if not isinstance(d, PersonDetails):
        return fact_text(person, tr)
    translation = person.translations.get(tr.language)  # type: ignore[call-overload]
    return translation.name if translation is not None and translation.name else d.name
