"""The admin service of one application: owners, the admin store, previews waiting.

Built with the other services (:mod:`bot.services`) and handed to handlers as
``context.admin``; the admin store opens in the application's post_init and closes in its
post_shutdown. A store that cannot be opened disables the admin commands, not the bot.
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from facts.admin_store import AdminStore, Draft, RoleAction
from facts.backup import corruption_advice
from facts.errors import FactsError, StoreCorrupted
from facts.model import Bundle, Kind, Source

log = logging.getLogger(__name__)

#: Previews older than this cannot be confirmed any more.
PENDING_TTL = 3600.0
#: At most this many previews are kept; the oldest go first.
MAX_PENDING = 200


class Role(StrEnum):
    """What an admin may do: owners everything, editors everything but roles."""

    OWNER = "owner"
    EDITOR = "editor"


@dataclass(slots=True)
class Pending:
    """A change shown as a preview, waiting for its author's Confirm."""

    user_id: int
    #: A fact change (add, edit, supersede, retract, revert) in the shape of a draft.
    change: Draft | None = None
    #: An import: the validated bundle.
    bundle: Bundle | None = None
    #: A standalone /addsource.
    source: Source | None = None
    #: The text of the new source's document (of ``source`` or of the change's source):
    #: held here, in memory, until Confirm stores it with the source.
    document: str | None = None
    #: A /grant or /revoke: what it does, and to whom.
    role_change: tuple[RoleAction, int] | None = None
    reason: str = ""
    #: An unanswered question the change attaches to its fact: dismissed once written.
    unanswered_key: str | None = None
    #: What /add needs to reopen the preview for editing: the kind and the answers.
    kind: Kind | None = None
    answers: dict[str, Any] | None = None
    token: str = field(default_factory=lambda: secrets.token_hex(6))
    created: float = field(default_factory=time.monotonic)


@dataclass(slots=True)
class AdminState:
    """Per-application admin state: owners, the admin store, previews waiting."""

    owners: frozenset[int]
    data_dir: Path
    review_mode: bool = False
    store: AdminStore | None = None
    open_error: str | None = None
    pending: dict[str, Pending] = field(default_factory=dict)

    def open(self) -> None:
        """Open the admin store in the data directory unless it is open already.

        A store that cannot be opened disables the admin commands, not the bot: readers
        keep their answers while an operator looks at the log.
        """
        if self.store is not None and not self.store.closed:
            return
        try:
            self.store = AdminStore.open(self.data_dir)
            self.open_error = None
        except FactsError as exc:
            self.open_error = str(exc)
            advice = ""
            if isinstance(exc, StoreCorrupted):  # the backup names the way back
                advice = " " + corruption_advice(self.data_dir)
            log.error(
                "admin commands are disabled: cannot open the admin store: %s.%s", exc, advice
            )

    def close(self) -> None:
        """Flush and close the admin store."""
        if self.store is not None:
            self.store.close()

    @property
    def available(self) -> bool:
        """True while the admin store is open (the admin commands work)."""
        return self.store is not None and not self.store.closed

    def role(self, user_id: int) -> Role | None:
        """The role of ``user_id``, None for everyone else."""
        if user_id in self.owners:
            return Role.OWNER
        if self.store is not None and not self.store.closed and self.store.is_editor(user_id):
            return Role.EDITOR
        return None

    def record_unanswered(self, question: str) -> None:
        """Count a question the bot could not answer (its text only); never fails."""
        if self.store is None or self.store.closed:
            return
        try:
            self.store.record_unanswered(question)
        except (FactsError, OSError) as exc:
            log.warning("could not record an unanswered question: %s", type(exc).__name__)

    def add_pending(self, pending: Pending) -> Pending:
        """Keep a preview until it is confirmed, cancelled or expires."""
        now = time.monotonic()
        for token, old in list(self.pending.items()):
            if now - old.created > PENDING_TTL:
                del self.pending[token]
        while len(self.pending) >= MAX_PENDING:
            del self.pending[next(iter(self.pending))]
        self.pending[pending.token] = pending
        return pending

    def get_pending(self, token: str) -> Pending | None:
        """A preview still waiting, None when unknown or expired."""
        pending = self.pending.get(token)
        if pending is None or time.monotonic() - pending.created > PENDING_TTL:
            self.pending.pop(token, None)
            return None
        return pending

    def drop_pending_of(self, user_id: int) -> int:
        """Forget every preview of ``user_id``; how many there were."""
        tokens = [t for t, p in self.pending.items() if p.user_id == user_id]
        for token in tokens:
            del self.pending[token]
        return len(tokens)
