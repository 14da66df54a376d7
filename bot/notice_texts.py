"""What subscribers read about a change: one short message with its citation, and the
daily digest's lines, in each language (rendered when the change is queued)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final, Literal

from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, Translator, translator
from bot.render import EN, esc, fact_attribution, fact_compact, fact_text, shorten
from bot.splitting import visible_length
from facts.model import Fact, Source
from facts.notices import change_subject
from facts.notifications import Change, Item, ItemText
from facts.store import FactStore

ChangeName = Literal["new", "superseded", "retracted"]

# --- texts (user-facing; HTML, placeholders take escaped data) ------------------------------
NEW_HEADER: Final = N_("🆕 <b>New in the fact base</b>")
UPDATED_HEADER: Final = N_("🔄 <b>Updated</b> — replaces an earlier fact")
RETRACTED_HEADER: Final = N_("⚠️ <b>Retracted</b> — no longer part of the fact base")
PREVIOUSLY: Final = N_("<i>Before:</i> {text}")
RETRACTION_REASON: Final = N_("Reason: {reason}")
FOOTER: Final = N_("Full fact and quotes: <code>/fact {fact_id}</code> · /subscriptions to change")
DIGEST_HEADER: Final = N_("📰 <b>Changes in the fact base</b> since the last digest ({count}):")
DIGEST_LINE_LABELS: Final = {
    Change.NEW: N_("New"),
    Change.SUPERSEDED: N_("Updated"),
    Change.RETRACTED: N_("Retracted"),
}
DIGEST_MORE: Final = N_("… and {count} more — /search or /timeline to read them.")
DIGEST_FOOTER: Final = N_("/fact &lt;id&gt; opens one in full · /subscriptions to change")
#: Leave room under Telegram's 4,096 characters for the digest's last lines.
_DIGEST_BUDGET: Final = 3800


# --- rendering ------------------------------------------------------------------------------
def change_item(store: FactStore, fact: Fact, change: Change | ChangeName) -> Item:
    """The outbox item for a change: whom it concerns and its rendered messages."""
    change = Change(change)
    sources = {s.id: s for s in store.sources()}
    subject = change_subject(store, fact, change)
    fact, previous, match = subject.fact, subject.previous, subject.topics
    # Rendered once per language now, so that a delivery resumed after a restart sends
    # every reader exactly what the first readers of their language got.
    translations = {
        lang: ItemText(
            text=change_text(fact, change, sources, previous=previous, tr=translator(lang)),
            line=digest_line(fact, change, translator(lang)),
        )
        for lang in LANGUAGES
        if lang != DEFAULT_LANGUAGE
    }
    return Item(
        fact_id=fact.id,
        change=change,
        match=match,
        text=change_text(fact, change, sources, previous=previous),
        line=digest_line(fact, change),
        translations=translations,
    )


def change_text(
    fact: Fact,
    change: Change,
    sources: Mapping[str, Source],
    *,
    previous: Fact | None = None,
    tr: Translator = EN,
) -> str:
    """One short message about a change, with its citation, in ``tr``'s language."""
    _ = tr.gettext
    if change is Change.RETRACTED:
        lines = [_(RETRACTED_HEADER), f"<s>{esc(shorten(fact_text(fact, tr), 600))}</s>"]
        if fact.retraction_reason:
            reason = esc(shorten(fact.retraction_reason, 600))
            lines.append(_(RETRACTION_REASON, reason=reason))
        lines.append(f"<i>{fact_attribution(fact, sources, tr)}</i>")
    else:
        header = UPDATED_HEADER if change is Change.SUPERSEDED else NEW_HEADER
        lines = [_(header), fact_compact(fact, sources, bullet="", tr=tr)]
        if previous is not None:
            lines.append(_(PREVIOUSLY, text=esc(shorten(fact_text(previous, tr), 300))))
    lines.append(_(FOOTER, fact_id=esc(fact.id)))
    return "\n".join(lines)


def digest_line(fact: Fact, change: Change, tr: Translator = EN) -> str:
    """A change as one digest line."""
    label = tr.gettext(DIGEST_LINE_LABELS[change])
    text = esc(shorten(fact_text(fact, tr), 200))
    return f"• <b>{label}:</b> {text} — <code>{esc(fact.id)}</code>"


def digest_text(items: Sequence[Item], tr: Translator = EN) -> str:
    """One digest message: as many lines as fit, then how many more there were."""
    language = tr.language
    footer = tr.gettext(DIGEST_FOOTER)
    lines = [tr.gettext(DIGEST_HEADER, count=len(items))]
    used = visible_length(lines[0]) + visible_length(footer) + 2
    shown = 0
    for item in items:
        line = item.line_in(language)
        size = visible_length(line) + 1
        if used + size > _DIGEST_BUDGET:
            break
        lines.append(line)
        used += size
        shown += 1
    if shown < len(items):
        lines.append(tr.gettext(DIGEST_MORE, count=len(items) - shown))
    lines.append(footer)
    return "\n".join(lines)
