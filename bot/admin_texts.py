"""Every string the admin commands show (HTML for Telegram; placeholders take escaped data)."""

from __future__ import annotations

from typing import Final

from bot.i18n import N_, NP_

#: (command, example, description) for /adminhelp, in the order shown; examples with words
#: are translated.
ADMIN_COMMANDS: Final[list[tuple[str, str, str]]] = [
    ("add", "/add", N_("Add a fact step by step (or /add followed by a fact as JSON)")),
    ("addjson", "/addjson {…}", N_("Add a fact from one JSON object")),
    ("addsource", N_("/addsource title | outlet | 2024-05-01 | https://…"), N_("Add a source")),
    ("edit", N_("/edit ID or /edit ID FIELD VALUE | REASON"), N_("Change one field")),
    ("supersede", "/supersede <id>", N_("Replace a fact by a newer one (e.g. a new count)")),
    ("retract", "/retract <id> <reason>", N_("Withdraw a fact (it stays in history)")),
    ("history", "/history <id>", N_("Every revision of a fact: who, when, why, what")),
    ("revert", "/revert <id> <revision> <reason>", N_("Restore an earlier revision")),
    ("import", "/import", N_("Import a JSON export file (all or nothing)")),
    ("export", "/export", N_("The whole base as a JSON file")),
    ("unanswered", "/unanswered", N_("Questions the bot could not answer")),
    (
        "attach",
        "/attach 1 political-prisoners-2023-05",
        N_("Attach an unanswered question to a fact"),
    ),
    ("drafts", "/drafts", N_("Changes waiting for review (review mode)")),
    ("admins", "/admins", N_("Owners, editors and role changes (owners)")),
    ("grant", N_("/grant <user id>"), N_("Make a user an editor (owners)")),
    ("revoke", N_("/revoke <user id>"), N_("Take the editor role away (owners)")),
    ("broadcasts", "/broadcasts", N_("Subscribers and notification delivery (owners)")),
    ("cancel", "/cancel", N_("Stop what is in progress; nothing is saved")),
]
#: Commands only owners may use.
OWNER_COMMANDS: Final = frozenset({"admins", "grant", "revoke", "broadcasts"})
ADMIN_HELP_HEADER: Final = N_("<b>Admin commands</b> — you are {role}:")
#: Role names as /adminhelp shows them.
ROLE_NAMES: Final = {"owner": N_("an owner"), "editor": N_("an editor")}
ADMIN_HELP_FOOTER: Final = N_(
    "In a step-by-step dialogue /skip leaves an optional answer empty and /cancel stops. "
    "Every change is previewed and needs Confirm; each stores who, when and why, and "
    "nothing is ever deleted."
)
REVIEW_MODE_ON: Final = N_(
    "Review mode is on: an editor's change becomes a draft that another admin approves."
)

# --- refusals ------------------------------------------------------------------------------------
REFUSED: Final = N_("Sorry, this command is only for the bot's admins.")
REFUSED_OWNERS_ONLY: Final = N_("Sorry, only the bot's owners can do this.")
REFUSED_NOT_PRIVATE: Final = N_("Admin commands work only in a private chat with the bot.")
REFUSED_FORWARDED: Final = N_("Forwarded commands are not accepted: type the command yourself.")
REFUSED_BUTTON: Final = N_("Sorry, this button is only for the admin who made the preview.")
NOT_YOURS: Final = N_("This preview belongs to another admin.")
UNAVAILABLE: Final = N_(
    "Admin features are unavailable right now: the admin data could not be opened. "
    "The operator will find the reason in the log."
)
UNAVAILABLE_SHORT: Final = N_("Admin features are unavailable right now.")

# --- generic input problems ---------------------------------------------------------------------
BAD_FACT_ID: Final = N_(
    "<code>{value}</code> is not a fact id: ids are lower-case words and digits joined by "
    "hyphens, as shown under each fact."
)
UNKNOWN_FACT: Final = N_(
    "There is no fact with the id <code>{fact_id}</code>. /search finds facts by words; the "
    "id is shown at the bottom of each fact."
)
TOO_LONG: Final = N_("That is {length} characters; the limit here is {limit}. Please shorten it.")
PROBLEMS: Final = N_("<b>Not saved — {count} problem(s):</b>\n{problems}\n{hint}")
PROBLEMS_HINT: Final = N_("Fix the field named in each line and send it again.")
CANNOT_APPLY: Final = N_("<b>Not saved:</b> {problem}")
EXPIRED: Final = N_(
    "This preview has expired (or the bot restarted). Nothing was saved; start again."
)
EXPIRED_SHORT: Final = N_("This preview has expired.")
CANCELLED: Final = N_("Cancelled — nothing was changed.")
CANCELLED_SHORT: Final = N_("Cancelled")
NOTHING_TO_CANCEL: Final = N_("Nothing is in progress.")
DIALOGUE_ENDED: Final = N_("That dialogue has ended; start again with {command}.")
DIALOGUE_ENDED_SHORT: Final = N_("That dialogue has ended.")
TIMED_OUT: Final = N_(
    "⌛ No answer for {minutes} minute(s): the command in progress was stopped and nothing "
    "was saved."
)

# --- previews ------------------------------------------------------------------------------------
#: The /add kind buttons' labels (the value each button gives is the kind itself).
KIND_LABELS: Final = {
    "statistic": N_("statistic"),
    "sanction": N_("sanction"),
    "event": N_("event"),
    "person": N_("person or organisation"),
    "statement": N_("statement"),
}
#: Choice buttons' labels by the value they give (qualifiers, statuses, entity types).
CHOICE_LABELS: Final = {
    "exactly": N_("exactly"),
    "at least": N_("at least"),
    "more than": N_("more than"),
    "about": N_("about"),
    "up to": N_("up to"),
    "several": N_("several"),
    "imposed": N_("imposed"),
    "discussed": N_("discussed"),
    "proposed": N_("proposed"),
    "threatened": N_("threatened"),
    "lifted": N_("lifted"),
    "person": N_("person"),
    "organisation": N_("organisation"),
    "country": N_("country"),
}
#: The /edit field buttons' labels by the field's name (the name is what a typed
#: ``/edit <id> <field> …`` takes, in any language).
FIELD_BUTTONS: Final = {
    "claim": N_("claim"),
    "value": N_("value"),
    "unit": N_("unit"),
    "qualifier": N_("qualifier"),
    "as-of": N_("as of"),
    "counted-by": N_("counted by"),
    "quote": N_("quote"),
    "source": N_("source"),
    "topics": N_("topics"),
    "related": N_("related facts"),
    "date": N_("date"),
    "place": N_("place"),
    "status": N_("status"),
    "speaker": N_("speaker"),
    "targets": N_("targets"),
    "measures": N_("measures"),
    "imposed-by": N_("imposed by"),
    "claim-ru": N_("claim (Russian)"),
    "claim-be": N_("claim (Belarusian)"),
    "quote-ru": N_("quote translation (Russian)"),
    "quote-be": N_("quote translation (Belarusian)"),
    "terms-ru": N_("terms (Russian)"),
    "terms-be": N_("terms (Belarusian)"),
    "name-ru": N_("name (Russian)"),
    "name-be": N_("name (Belarusian)"),
}
#: A changed field's name in a change list, for admins reading Russian or Belarusian.
FIELD_LABELS: Final = {
    "text": N_("claim"),
    "details.value": N_("value"),
    "details.value_text": N_("the source's wording of the value"),
    "details.unit": N_("unit"),
    "details.qualifier": N_("qualifier"),
    "details.as_of": N_("as of"),
    "details.as_of.resolved_from": N_("date resolved from"),
    "details.as_of.approximate": N_("date approximate"),
    "details.counted_by": N_("counted by"),
    "details.date": N_("date"),
    "details.imposed_by": N_("imposed by"),
    "details.targets": N_("targets"),
    "details.measures": N_("measures"),
    "details.status": N_("status"),
    "details.place": N_("place"),
    "details.speaker": N_("speaker"),
    "topics": N_("topics"),
    "related": N_("related facts"),
    "status": N_("status"),
    "superseded_by": N_("superseded by"),
    "questions": N_("attached questions"),
}
CITATION_FIELD_LABELS: Final = {
    "quote": N_("quote {n}"),
    "source": N_("source {n}"),
}
TRANSLATION_FIELD_LABELS: Final = {
    "text": N_("claim in {language}"),
    "quotes": N_("quote translations in {language}"),
    "name": N_("name in {language}"),
    "aliases": N_("spellings in {language}"),
}
FIELD_TERM: Final = N_("term “{term}” in {language}")
LANGUAGE_OF: Final = {"ru": N_("Russian"), "be": N_("Belarusian"), "en": N_("English")}
PREVIEW_HEADER: Final = N_("👁 <b>Preview</b> — subscribers will see exactly this:")
#: Above the head of the card in another language whose claim the change sets.
PREVIEW_IN: Final = {
    "en": N_("Subscribers reading English see:"),
    "ru": N_("Subscribers reading Russian see:"),
    "be": N_("Subscribers reading Belarusian see:"),
}
CONFIRM: Final = N_("✅ Confirm")
EDIT: Final = N_("✏️ Edit")
CANCEL: Final = N_("✖ Cancel")
SAVED_SHORT: Final = N_("Saved")
#: A button's answer when the change could not be written (the reasons follow in the chat).
NOT_SAVED_SHORT: Final = N_("Not saved — see the problems below; fix them and press again.")
ADDED: Final = N_("✅ Added <code>{fact_id}</code> (revision {revision}). /fact {fact_id}")
EDITED: Final = N_("✅ Saved <code>{fact_id}</code> as revision {revision}. /history {fact_id}")
SUPERSEDED: Final = N_(
    "✅ <code>{old_id}</code> is now superseded by <code>{new_id}</code>; both stay in "
    "history. /fact {new_id}"
)
RETRACTED: Final = N_(
    "✅ Retracted <code>{fact_id}</code> (revision {revision}). /history {fact_id}"
)
REVERTED: Final = N_(
    "✅ <code>{fact_id}</code> restored to revision {target} as revision {revision}. "
    "/history {fact_id}"
)
SOURCE_ADDED: Final = N_("✅ Source <code>{source_id}</code> added: {title}")
NOTIFIED: Final = N_("🔔 {count} subscriber(s) will be notified.")
NOT_NOTIFIED: Final = N_(
    "⚠️ Saved, but the subscribers' notification could not be queued (see the log)."
)
DRAFT_SAVED: Final = N_(
    "📝 Review mode: saved as draft <code>{draft_id}</code>. Another admin approves it with "
    "/drafts; nothing is published until then."
)

# --- roles ---------------------------------------------------------------------------------------
GRANT_USAGE: Final = N_("Give the user's numeric Telegram id: <code>/grant 123456789</code>.")
REVOKE_USAGE: Final = N_("Give the user's numeric Telegram id: <code>/revoke 123456789</code>.")
BAD_USER_ID: Final = N_(
    "<code>{value}</code> is not a Telegram user id: it is a positive number such as "
    "123456789 (the user can find theirs with @userinfobot)."
)
ALREADY_OWNER: Final = N_("User {user_id} is an owner (ADMIN_IDS); owners need no grant.")
OWNER_NOT_REVOCABLE: Final = N_(
    "User {user_id} is an owner: owners are set by ADMIN_IDS in the configuration, not here."
)
ALREADY_EDITOR: Final = N_("User {user_id} is already an editor.")
NOT_EDITOR: Final = N_("User {user_id} is not an editor; /admins lists the editors.")
GRANT_PREVIEW: Final = N_(
    "<b>Make user {user_id} an editor?</b> Editors add and change facts (in review mode "
    "as drafts another admin approves); they cannot change roles."
)
REVOKE_PREVIEW: Final = N_(
    "<b>Take the editor role from user {user_id}?</b> Their previews waiting for Confirm "
    "are dropped; what they published stays."
)
GRANTED: Final = N_("✅ User {user_id} is now an editor.")
REVOKED: Final = N_("✅ User {user_id} is no longer an editor.")
ADMINS_HEADER: Final = N_("<b>Owners</b> (ADMIN_IDS): {owners}")
EDITORS_HEADER: Final = N_("<b>Editors</b> ({count}):")
EDITOR_LINE: Final = N_("• {user_id} — granted by {by} on {at}")
NO_EDITORS: Final = N_("<i>No editors yet: /grant &lt;user id&gt; adds one.</i>")
ROLE_LOG_HEADER: Final = N_("<b>Recent role changes</b>:")
ROLE_LOG_LINE: Final = N_("• {at}: {by} {action} {user_id}")

# --- facts ---------------------------------------------------------------------------------------
RETRACT_USAGE: Final = N_(
    "Give the fact id and why: <code>/retract {example} the source corrected the figure</code>."
)
RETRACT_ALREADY: Final = N_("Fact <code>{fact_id}</code> is already retracted. /history {fact_id}")
RETRACT_PREVIEW: Final = N_("<b>Retract this fact?</b>\n{fact}\n\n<b>Reason:</b> {reason}")
REVERT_USAGE: Final = N_(
    "Give the fact id, the revision to restore and why: "
    "<code>/revert {example} 1 the edit was wrong</code>. /history &lt;id&gt; lists revisions."
)
REVERT_BAD_REVISION: Final = N_(
    "Fact <code>{fact_id}</code> has revisions 1 to {count}; <code>{value}</code> is not one "
    "of them. /history {fact_id} lists them."
)
REVERT_SAME: Final = N_(
    "Revision {revision} of <code>{fact_id}</code> has the same content as the current one; "
    "there is nothing to restore."
)
REVERT_HEADER: Final = N_("<b>Restore revision {revision} of <code>{fact_id}</code>?</b> Changes:")
HISTORY_USAGE: Final = N_("Which fact? <code>/history {example}</code>")
HISTORY_HEADER: Final = N_(
    "<b>History of <code>{fact_id}</code></b> — now {status}, {count} revision(s):"
)
HISTORY_LINE: Final = N_("<b>{revision}.</b> {action} · {at} · {by}\n<i>Why:</i> {reason}")
HISTORY_CHANGE: Final = N_("  {field}: {old} → {new}")
HISTORY_MORE_CHANGES: Final = NP_("  … {count} more change", "  … {count} more changes")
#: A fact's status as /history names it, by Status value.
FACT_STATUS_NAMES: Final = {
    "current": N_("current"),
    "superseded": N_("superseded"),
    "retracted": N_("retracted"),
}
HISTORY_REVERT_HINT: Final = N_("/revert {fact_id} &lt;revision&gt; &lt;reason&gt; restores one.")
CHANGE_LINE: Final = N_("• <b>{field}</b>: {old} → {new}")
NO_CHANGES: Final = N_("Nothing would change: the new value is the same as the current one.")

# --- /add ----------------------------------------------------------------------------------------
ADD_KIND: Final = N_(
    "<b>New fact</b> — what kind of claim is it? (/cancel stops; nothing is saved until "
    "you confirm)"
)
ADD_KIND_BAD: Final = N_("Tap one of the kinds above, or type one of: {kinds}.")
ADD_STEP: Final = N_("<b>{number}/{total}</b> {prompt}")
ADD_OPTIONAL: Final = N_("(optional: /skip or - leaves it empty)")
ADD_CURRENT: Final = N_("Now: <code>{value}</code>")
ADD_BAD_ANSWER: Final = N_("⚠️ {problem}")
ADD_NEED_TEXT: Final = N_("Please answer with text (or tap a button).")
ADD_NO_SKIP: Final = N_("This one is needed; it cannot be skipped.")
ADD_NO_SOURCES: Final = N_("The base has no sources yet: add one with /addsource.")
ADD_PICK_FIELD: Final = N_("Which field should change?")
ADD_JSON_HINT: Final = N_(
    "Send the fact as one JSON object after the command, e.g. "
    '<code>/addjson {{"id": "…", "kind": "event", …}}</code>. /export shows the format.'
)
ADD_REASON: Final = N_("new fact added in Telegram")

# --- /addsource ----------------------------------------------------------------------------------
ADDSOURCE_USAGE: Final = N_(
    "Add a source in one message: <code>/addsource title | outlet | 2024-05-01 | "
    "https://…</code> (outlet, date and address optional, - for none), or as a JSON object. "
    "Its document goes with it, so that quotes are checked against it: send the .txt or "
    ".html file with that line as its caption, or paste the text on the lines below it. "
    "During /add, /addsource alone asks step by step."
)
SOURCE_DOCUMENT: Final = N_(
    "Document: {chars} characters of text; every quote citing this source is checked against it."
)
SOURCE_PREVIEW: Final = N_("<b>New source</b> <code>{source_id}</code>:\n{source}")
SOURCE_REASON: Final = N_("source added in Telegram")
SOURCE_STARTED: Final = N_("A new source — a few questions, then back to the fact.")
SOURCE_CHOSEN: Final = N_("Source: {source}")

# --- /edit and /supersede ------------------------------------------------------------------------
EDIT_USAGE: Final = N_(
    "Which fact? <code>/edit &lt;id&gt;</code> asks step by step; "
    "<code>/edit &lt;id&gt; &lt;field&gt; &lt;value&gt; | &lt;reason&gt;</code> does it in "
    "one message. Fields: {fields}."
)
EDIT_NOT_CURRENT: Final = N_(
    "Fact <code>{fact_id}</code> is {status}; only current facts are edited. /history "
    "{fact_id} shows its revisions (/revert restores one)."
)
EDIT_UNKNOWN_FIELD: Final = N_(
    "<code>{field}</code> is not a field of this fact. Fields: {fields}."
)
EDIT_PICK: Final = N_("<b>Edit</b> <code>{fact_id}</code> — which field?")
EDIT_PREVIEW: Final = N_("<b>Edit</b> <code>{fact_id}</code> — changes:")
EDIT_VALUE: Final = N_("<b>{field}</b> — send the new value.\n{prompt}")
EDIT_CLAIM_FOR_VALUE: Final = N_(
    "The value changed, so the claim must state the new one. Keep the claim offered below "
    "(rewritten for the new value) or send a new one."
)
EDIT_REASON: Final = N_("Why is this change made? (one line, saved with the revision)")
SUPERSEDE_START: Final = N_(
    "<b>Supersede</b> <code>{fact_id}</code> — a new fact replaces it; the old one stays "
    "in history as superseded. (/cancel stops)"
)
SUPERSEDE_PREVIEW: Final = N_("<b>Replaces</b> <code>{old_id}</code>. Changes from the old fact:")
SUPERSEDE_USAGE: Final = N_(
    "Which fact? <code>/supersede &lt;id&gt;</code> asks for the new value, date and "
    "citation; <code>/supersede &lt;id&gt; {{…new fact JSON…}} | &lt;reason&gt;</code> "
    "does it in one message."
)
SUPERSEDE_KEEP: Final = N_("Keep: <code>{value}</code> — or send a new one.")
KEEP: Final = N_("Keep as is")
REASON_NEEDED: Final = N_("A reason is required: say in one line why this change is made.")

# --- /import and /export -------------------------------------------------------------------------
IMPORT_ASK: Final = N_(
    "Send the JSON file to import as a document (the /export format, at most {limit} MB). "
    "Nothing changes until you confirm the summary. /cancel stops."
)
IMPORT_NEED_DOCUMENT: Final = N_("Please send the JSON file as a document (📎), or /cancel.")
IMPORT_WRONG_TYPE: Final = N_(
    "<code>{name}</code> is not a JSON file. Send the .json file /export produces."
)
IMPORT_TOO_BIG: Final = N_(
    "The file is {size} MB; the limit is {limit} MB. Split it into smaller files."
)
IMPORT_DOWNLOAD_FAILED: Final = N_(
    "Could not download the file from Telegram; please send it again."
)
IMPORT_REJECTED: Final = N_(
    "<b>Import rejected — nothing was changed.</b> {count} problem(s), by record and "
    "field:\n{problems}\nFix them and send the file again."
)
IMPORT_SUMMARY: Final = N_(
    "<b>Import of {name}</b> would:\n"
    "• add {added} fact(s){added_ids}\n"
    "• change {changed}{changed_ids}\n"
    "• supersede {superseded}{superseded_ids}\n"
    "• add {sources} source(s){source_ids}\n"
    "• leave {unchanged} unchanged\n"
    "All or nothing: confirm to apply."
)
IMPORT_NOTHING: Final = N_("<b>{name}</b> holds nothing new: every record is already in the base.")
IMPORT_DONE: Final = N_(
    "✅ Imported: {added} added, {changed} changed, {superseded} superseded, {sources} "
    "source(s) added."
)
IMPORT_REASON: Final = N_("import of {name}")
IMPORT_EDITORS_REVIEW: Final = N_(
    "In review mode only owners import files; send the changes as drafts instead."
)
ADDSOURCE_EDITORS_REVIEW: Final = N_(
    "In review mode only owners add a source on its own; add it with the fact that cites "
    "it (/add, then /addsource when asked for the source), which goes to review as a draft."
)
EXPORT_CAPTION: Final = N_("{facts} facts, {sources} sources — exported {at}.")
EXPORT_FAILED: Final = N_("The export could not be sent; please try again.")

# --- /unanswered ---------------------------------------------------------------------------------
UNANSWERED_HEADER: Final = N_(
    "<b>Questions the bot could not answer</b> — most asked first (text only; nobody's "
    "identity is kept). Tap 📎 n to attach one to the fact that answers it (the bot then "
    "answers it and similar questions), or ✖ n to mark it out of scope:"
)
UNANSWERED_RANGE: Final = N_("{first}–{last} of {total}")
ATTACH_CHOOSE: Final = N_(
    "Which fact answers “{question}”? Tap its number to preview the attachment, or send "
    "<code>/attach {number} &lt;fact id or search words&gt;</code> to look further."
)
ATTACH_NO_CANDIDATES: Final = N_(
    "No fact matches “{question}”. Send <code>/attach {number} &lt;fact id or search "
    "words&gt;</code>, or ✖ it as out of scope."
)
ATTACH_USAGE: Final = N_(
    "Usage: <code>/attach &lt;number in /unanswered&gt; &lt;fact id or search words&gt;</code>, "
    "e.g. <code>/attach 1 {example}</code>."
)
ATTACH_NO_SUCH: Final = N_("There is no question {number} in /unanswered.")
ATTACH_ALREADY: Final = N_("That fact holds this question already; nothing to change.")
#: The question itself stays out of the reason: /fact shows reasons to everyone, attached
#: questions only to admins.
ATTACH_REASON: Final = N_("attached a question subscribers asked, which this fact answers")
ATTACH_HEADER: Final = N_(
    "Preview — the question “{question}” attached to this fact (admins see attached "
    "questions in /fact; the search answers it with this fact from now on):"
)
ATTACHED_QUESTIONS: Final = N_("<b>Questions it answers</b> (attached by admins, shown to admins):")
TERMS_OF_FACT: Final = N_(
    "<b>Its values in {lang}</b> (shown to admins; —: not translated, readers see the "
    "English; /edit {fact_id} terms-{lang} changes them):"
)
UNANSWERED_LINE: Final = N_("{number}. ×{count} — {text} <i>(last {last})</i>")
UNANSWERED_NONE: Final = N_("No unanswered questions recorded. 🎉")
DISMISSED: Final = N_("Dismissed")
DISMISS_GONE: Final = N_("Already dismissed")

# --- review mode ---------------------------------------------------------------------------------
DRAFTS_NONE: Final = N_("No drafts are waiting for review.")
DRAFTS_OFF: Final = N_("Review mode is off: changes publish directly.")
DRAFT_HEADER: Final = N_(
    "<b>Draft</b> <code>{draft_id}</code>: {action} <code>{fact_id}</code> by {by}, {at}\n"
    "<i>Why:</i> {reason}"
)
APPROVE: Final = N_("✅ Approve")
REJECT: Final = N_("✖ Reject")
DRAFT_OWN: Final = N_("Another admin must approve your own draft.")
DRAFT_GONE: Final = N_("This draft was already decided.")
DRAFT_APPROVED: Final = N_("✅ Draft <code>{draft_id}</code> approved and published.")
DRAFT_REJECTED: Final = N_("Draft <code>{draft_id}</code> rejected; nothing was published.")
