"""Admin state kept beside the fact base: editors, unanswered questions and review drafts.

Stored in a :class:`facts.records.RecordStore` named ``admin`` in the data directory
(``admin.json``, ``admin.journal.jsonl``, ``admin.lock``); like the fact store, every
method is synchronous and every write that matters is durable before it returns.

- Editors: Telegram user ids with the editor role, granted and revoked by owners (owners
  come from configuration, not from here). Every grant and revocation is logged: who,
  whom, when.
- Unanswered questions: the text of questions the bot could not answer (never who asked),
  counted by their normalised text; never a post (several statements). Counts are
  buffered and written every ``flush_every`` questions, on any read and on close, so a
  crash can lose the last few counts but answering never waits for a disk write per
  question.
- Drafts: changes an editor proposed in review mode, waiting for a second admin; each
  decision is logged with the draft it decided.

Imports neither ``telegram`` nor ``tinydb``.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from facts.claims.split import looks_like_post
from facts.errors import ConflictError, ErrorReason, NotFoundError
from facts.journal import ClosedOnExit
from facts.model import Fact, Source
from facts.records import RecordStore, Table

STORE_NAME = "admin"
#: Longest question text kept; longer questions are cut (they are rare and read as such).
MAX_QUESTION_LENGTH = 500
#: At most this many distinct unanswered questions are kept; the rarest, oldest go first.
MAX_UNANSWERED = 1000
_Entry = TypeVar("_Entry", bound=BaseModel)


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Editor(_Record):
    """A user with the editor role."""

    user_id: int
    granted_by: int
    granted_at: datetime


class RoleAction(StrEnum):
    """What a role change did."""

    GRANTED = "granted"
    REVOKED = "revoked"


class RoleChange(_Record):
    """One grant or revocation: who changed whose role, and when."""

    at: datetime
    by: int
    user_id: int
    action: RoleAction


class UnansweredQuestion(_Record):
    """A question the bot could not answer, how often it was asked, first and last."""

    key: str
    text: str
    count: int = Field(ge=1)
    first_asked: date
    last_asked: date


class DraftAction(StrEnum):
    """The change a draft proposes."""

    ADD = "add"
    EDIT = "edit"
    SUPERSEDE = "supersede"
    RETRACT = "retract"
    REVERT = "revert"


class Draft(_Record):
    """A proposed change waiting for a second admin's approval."""

    id: str
    action: DraftAction
    #: The fact changed (for add and supersede: the new fact's id is ``fact.id``).
    fact_id: str
    #: The proposed content (add, edit, supersede); None for retract and revert.
    fact: Fact | None = None
    #: For revert: the revision to restore.
    revision: int | None = None
    #: The fact's revision when the draft was made; approval refuses if it moved since.
    base_revision: int | None = None
    #: A source the draft adds along with its fact.
    source: Source | None = None
    reason: str
    by: int
    at: datetime


class DraftOutcome(StrEnum):
    """How a draft ended."""

    APPROVED = "approved"
    REJECTED = "rejected"


class DraftDecision(_Record):
    """A decided draft: the draft, the outcome, who decided and when."""

    draft: Draft
    outcome: DraftOutcome
    by: int
    at: datetime


def question_key(text: str) -> str:
    """A short stable key for a question: case and white space do not count."""
    normal = " ".join(text.split()).casefold()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]


class AdminStore(ClosedOnExit):
    """Editors, unanswered questions and drafts, durable in the data directory."""

    #: Unanswered-question counts buffered before they are written.
    flush_every: int = 20

    def __init__(self, records: RecordStore) -> None:
        """Use :meth:`open`."""
        self.records = records
        self._editors = records.table("editors", Editor)
        self._role_log = records.table("role_log", RoleChange)
        self._unanswered = records.table("unanswered", UnansweredQuestion)
        self._drafts = records.table("drafts", Draft)
        self._draft_log = records.table("draft_log", DraftDecision)
        self._pending: dict[str, UnansweredQuestion] = {}
        self._pending_count = 0

    @classmethod
    def open(cls, data_dir: Path) -> AdminStore:
        """Open (creating if needed) the admin store in ``data_dir``."""
        records = RecordStore.open(data_dir, STORE_NAME)
        try:
            return cls(records)
        except BaseException:
            records.close()
            raise

    def close(self) -> None:
        """Write buffered counts, then close the underlying store (idempotent)."""
        if self.records.closed:
            return
        try:
            self.flush()
        finally:
            self.records.close()

    def backup(self, dest: Path) -> Path:
        """Write buffered counts, then a snapshot of everything to the file ``dest``."""
        self.flush()
        return self.records.backup(dest)

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran."""
        return self.records.closed

    # --- editors --------------------------------------------------------------------------
    def editors(self) -> list[Editor]:
        """Every editor, oldest grant first."""
        return sorted(self._editors.values(), key=lambda e: e.granted_at)

    def is_editor(self, user_id: int) -> bool:
        """True when ``user_id`` holds the editor role."""
        return str(user_id) in self._editors

    def grant(self, user_id: int, *, by: int) -> Editor:
        """Give ``user_id`` the editor role (logged); ConflictError if they have it."""
        if self.is_editor(user_id):
            raise ConflictError(ErrorReason.ALREADY_EDITOR, user_id=user_id)
        now = _now()
        editor = Editor(user_id=user_id, granted_by=by, granted_at=now)
        change = RoleChange(at=now, by=by, user_id=user_id, action=RoleAction.GRANTED)
        with self.records.batch() as batch:
            batch.put(self._editors, str(user_id), editor)
            batch.put(self._role_log, self._next_key(self._role_log), change)
        return editor

    def revoke(self, user_id: int, *, by: int) -> None:
        """Take the editor role from ``user_id`` (logged); NotFoundError if they lack it."""
        if not self.is_editor(user_id):
            raise NotFoundError(ErrorReason.NOT_EDITOR, user_id=user_id)
        change = RoleChange(at=_now(), by=by, user_id=user_id, action=RoleAction.REVOKED)
        with self.records.batch() as batch:
            batch.delete(self._editors, str(user_id))
            batch.put(self._role_log, self._next_key(self._role_log), change)

    def role_log(self, *, limit: int | None = None) -> list[RoleChange]:
        """Grants and revocations, newest first."""
        return self._newest(self._role_log, limit)

    # --- unanswered questions -------------------------------------------------------------
    def record_unanswered(self, text: str) -> None:
        """Count a question the bot could not answer (its text only). A post (several
        statements, whatever it ends with) is never kept: it is not a question, and nothing
        of a post is stored."""
        text = " ".join(text.split())
        if not text or looks_like_post(text):
            return
        text = text[:MAX_QUESTION_LENGTH]
        key = question_key(text)
        today = _now().date()
        known = self._pending.get(key) or self._unanswered.get(key)
        if known is None:
            entry = UnansweredQuestion(
                key=key, text=text, count=1, first_asked=today, last_asked=today
            )
        else:
            entry = known.model_copy(update={"count": known.count + 1, "last_asked": today})
        self._pending[key] = entry
        self._pending_count += 1
        if self._pending_count >= self.flush_every:
            self.flush()

    def flush(self) -> None:
        """Write buffered unanswered-question counts now."""
        if not self._pending:
            return
        pending, self._pending, self._pending_count = self._pending, {}, 0
        keep = dict(self._unanswered.items()) | pending
        drop: list[str] = []
        if len(keep) > MAX_UNANSWERED:
            rarest = sorted(keep.values(), key=lambda q: (q.count, q.last_asked, q.first_asked))
            drop = [q.key for q in rarest[: len(keep) - MAX_UNANSWERED]]
        with self.records.batch() as batch:
            for key, entry in pending.items():
                if key not in drop:
                    batch.put(self._unanswered, key, entry)
            for key in drop:
                if key in self._unanswered:
                    batch.delete(self._unanswered, key)

    def unanswered(self, *, limit: int | None = None) -> list[UnansweredQuestion]:
        """Unanswered questions, most frequent first (then most recently asked)."""
        self.flush()
        ranked = sorted(
            self._unanswered.values(),
            key=lambda q: (-q.count, -q.last_asked.toordinal(), q.text),
        )
        return ranked if limit is None else ranked[:limit]

    def dismiss_unanswered(self, key: str) -> UnansweredQuestion:
        """Remove one unanswered question; NotFoundError when it is not listed."""
        self.flush()
        entry = self._unanswered.require(key)
        self._unanswered.delete(key)
        return entry

    # --- drafts ---------------------------------------------------------------------------
    def add_draft(self, draft: Draft) -> Draft:
        """Store a draft for review; ConflictError if its id is taken."""
        if draft.id in self._drafts:
            raise ConflictError(ErrorReason.DRAFT_EXISTS, id=repr(draft.id))
        return self._drafts.put(draft.id, draft)

    def drafts(self) -> list[Draft]:
        """Drafts waiting for review, oldest first."""
        return sorted(self._drafts.values(), key=lambda d: d.at)

    def get_draft(self, draft_id: str) -> Draft:
        """One waiting draft; NotFoundError if it is unknown or already decided."""
        return self._drafts.require(draft_id)

    def decide_draft(self, draft_id: str, outcome: DraftOutcome, *, by: int) -> DraftDecision:
        """Close a draft as approved or rejected, logged with who decided and when."""
        draft = self.get_draft(draft_id)
        decision = DraftDecision(draft=draft, outcome=outcome, by=by, at=_now())
        with self.records.batch() as batch:
            batch.delete(self._drafts, draft_id)
            batch.put(self._draft_log, self._next_key(self._draft_log), decision)
        return decision

    def draft_log(self, *, limit: int | None = None) -> list[DraftDecision]:
        """Decided drafts, newest first."""
        return self._newest(self._draft_log, limit)

    # --- internals ------------------------------------------------------------------------
    @staticmethod
    def _next_key(table: Table[Any]) -> str:
        # Log tables only grow, so their length numbers the next entry; zero-padded so the
        # keys sort like the numbers.
        return f"{len(table) + 1:010d}"

    @staticmethod
    def _newest(table: Table[_Entry], limit: int | None) -> list[_Entry]:
        # Keys from _next_key keep a log table in the order its entries were written.
        entries = table.values()[::-1]
        return entries if limit is None else entries[:limit]


def _now() -> datetime:
    return datetime.now(UTC)
