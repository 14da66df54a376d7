"""The store's refusals (:class:`facts.violations.Violation`, a typed reason) in the admin's
language, with the commands that fix them; and its other refusals (a fact, source or
record not found, a conflicting write: :class:`facts.errors.ErrorReason`) likewise.

facts/ says which rule a write breaks, why and with which values; the wording lives here,
in the catalogs (scripts/i18n), so that an admin reads it in their language. The English
matches facts' own wording except that a fix names the bot's command for it.
"""

from __future__ import annotations

from typing import Final

from bot.i18n import N_, Translator
from facts.errors import ConflictError, ErrorReason, NotFoundError
from facts.violations import (
    RULE_CHAIN,
    RULE_CLAIM,
    RULE_DATES,
    RULE_FIGURE,
    RULE_QUOTES,
    RULE_REFERENCES,
    RULE_TERMS,
    Reason,
    Violation,
)

#: One refusal: the record, the rule, what is wrong, how to fix it.
LINE: Final = N_("{record}: rule '{rule}': {problem}. Fix: {fix}")
RECORDS: Final = {
    "fact": N_("fact {id}"),
    "source": N_("source {id}"),
}
RULE_NAMES: Final = {
    RULE_CLAIM: N_("claim states the value"),
    RULE_FIGURE: N_("a quote states the figure"),
    RULE_DATES: N_("dates not after the source"),
    RULE_QUOTES: N_("quotes occur in the document"),
    RULE_CHAIN: N_("one current fact per chain"),
    RULE_REFERENCES: N_("no dangling references"),
    RULE_TERMS: N_("terms translate the fact's values"),
}
#: Each reason's problem and fix; the placeholders are the violation's values, and
#: ``{record_id}`` (the fact's or source's id).
REASONS: Final = {
    Reason.CLAIM_LACKS_WORDING: (
        N_("the claim does not say {wording}, the source's wording of the value"),
        N_("put {wording} in the claim, or change the value's wording"),
    ),
    Reason.CLAIM_LACKS_VALUE: (
        N_("the claim does not state the value {value}"),
        N_(
            "write the number in the claim (any usual format: {value}, {plain}…), or "
            "correct the value"
        ),
    ),
    Reason.CLAIM_LACKS_QUALIFIER: (
        N_("the claim does not say the qualifier {qualifier}"),
        N_("say {word} (or {others}) before the number in the claim, or change the qualifier"),
    ),
    Reason.TRANSLATION_LACKS_VALUE: (
        N_("the {lang} translation of the claim does not state the value {value}"),
        N_("update it (/edit {record_id} claim-{lang} …) or clear it (claim-{lang} -)"),
    ),
    Reason.FIGURE_NOT_IN_QUOTES: (
        N_('no quote states the value {value}; the quote says: "{quote}"'),
        N_(
            "give the value the quote states (/edit {record_id} value …), or quote the "
            "passage of a source that states {value}; a new figure from a new source is "
            "/supersede {record_id}"
        ),
    ),
    Reason.DATE_AFTER_SOURCE: (
        N_(
            "{field} {date} is after the publication of its source(s) ({published}): a "
            "source cannot report what had not happened yet"
        ),
        N_(
            "correct the date, cite a source published on or after it, or mark the date "
            "approximate and say in resolved_from why it is later"
        ),
    ),
    Reason.QUOTE_NOT_IN_DOCUMENT: (
        N_(
            "citations.{n}.quote is not in the document of source {source}; the closest "
            'passage is: "{passage}"'
        ),
        N_("copy the quote exactly from the document (the passage above, or another)"),
    ),
    Reason.UNKNOWN_SOURCE: (
        N_("citations.{n}.source {source} is not a known source"),
        N_("cite an existing source (/sources lists them) or add the source first"),
    ),
    Reason.UNKNOWN_SUCCESSOR: (
        N_("superseded_by {successor} is not a known fact"),
        N_("name the fact that replaces it, or supersede it with /supersede"),
    ),
    Reason.UNKNOWN_RELATED: (
        N_("related.{n} {related} is not a known fact"),
        N_("name an existing fact (/search finds its id) or remove it from related"),
    ),
    Reason.DOCUMENT_NOT_STORED: (
        N_("its document {digest}… is not stored"),
        N_("attach the document again (factbot sources attach) or include it in the file"),
    ),
    Reason.CHAIN_LOOPS: (
        N_("its superseded_by links loop back to it"),
        N_("make the chain end in one newer fact"),
    ),
    Reason.CURRENT_IN_ITS_SUCCESSORS_CHAIN: (
        N_(
            "it was superseded by {successor}, and {head} is current in that chain: both "
            "would be shown as current"
        ),
        N_(
            "to bring this value back, /supersede {head_id} with it; to undo the "
            "replacement, retract {head_id} first"
        ),
    ),
    Reason.PREDECESSOR_CURRENT_AGAIN: (
        N_("it superseded {earlier}, which is current again: both would be shown as current"),
        N_("retract one of them, or /supersede {earlier_id} with this value"),
    ),
    Reason.UNKNOWN_TERM: (
        N_("the {lang} term for {term} translates nothing: the fact has no such value"),
        N_(
            "key the term by a value exactly as the fact gives it (/fact {record_id} lists "
            "them), or drop the term (/edit {record_id} terms-{lang} with the line: "
            "{english} = -)"
        ),
    ),
}


def violation_text(violation: Violation, tr: Translator) -> str:
    """One refusal in ``tr``'s language (plain text: escape it before sending)."""
    problem, fix = REASONS[violation.reason]
    values = {**violation.values, "record_id": violation.record_id}
    return tr.gettext(
        LINE,
        record=tr.gettext(RECORDS[violation.kind], id=repr(violation.record_id)),
        rule=tr.gettext(RULE_NAMES.get(violation.rule, violation.rule)),
        problem=tr.gettext(problem, **values),
        fix=tr.gettext(fix, **values),
    )


#: Each of facts.errors' reasons; the placeholders are the error's values. The English is
#: facts' own (facts.errors.ERROR_TEXTS).
ERROR_REASONS: Final = {
    ErrorReason.NO_FACT: N_("no fact with id {id}"),
    ErrorReason.NO_SOURCE: N_("no source with id {id}"),
    ErrorReason.NO_REVISION: N_("fact {id} has no revision {revision} (it has 1 to {count})"),
    ErrorReason.NO_REVISION_GIVEN: N_("fact {id}: which revision to restore?"),
    ErrorReason.NO_DOCUMENT: N_(
        "document {digest}… is missing from {directory}; restore it from a backup or attach "
        "the source's document again (factbot sources attach)"
    ),
    ErrorReason.NO_RECORD: N_("{table}: no record {key}"),
    ErrorReason.NOT_EDITOR: N_("user {user_id} is not an editor"),
    ErrorReason.NOT_SUBSCRIBED: N_("this chat has no subscription"),
    ErrorReason.NO_NOTIFICATION: N_("no pending notification {id}"),
    ErrorReason.FACT_EXISTS: N_("fact {id} already exists; choose another id"),
    ErrorReason.SOURCE_EXISTS: N_("source {id} already exists"),
    ErrorReason.DRAFT_EXISTS: N_("draft {id} already exists"),
    ErrorReason.ALREADY_EDITOR: N_("user {user_id} is already an editor"),
    ErrorReason.SUPERSEDES_ITSELF: N_("fact {id} cannot supersede itself"),
    ErrorReason.NOT_CURRENT: N_("fact {id} is {status}, not current"),
    ErrorReason.ALREADY_RETRACTED: N_("fact {id} is already retracted"),
    ErrorReason.CHANGED_SINCE_PREVIEW: N_(
        "fact {id} changed since the preview (now revision {revision}); start again"
    ),
}


def error_text(error: NotFoundError | ConflictError, tr: Translator) -> str:
    """A refusal in ``tr``'s language (plain text: escape it before sending); the English
    message when it carries no typed reason."""
    if error.reason is None:
        return str(error)
    return tr.gettext(ERROR_REASONS[error.reason], **error.values)
