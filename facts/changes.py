"""One admin change (add, edit, supersede, retract, revert — a :class:`Draft`) applied to
the store, or only checked.

The store runs every check of the write (its rules included) and writes nothing when one
fails; a check is the same write with ``dry_run``, so a preview is refused for the very
reasons Confirm would be. The one rule added here: a change made against a revision of
the fact that is no longer the current one is refused (someone changed it meanwhile).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from facts.admin_store import Draft, DraftAction
from facts.documents import document_id
from facts.errors import ConflictError, ErrorReason, NotFoundError, ValidationFailed
from facts.model import Fact, Source
from facts.store import FactStore

#: Who a check is recorded as (nothing is written).
CHECK_AUTHOR = "preview"


def apply_change(
    store: FactStore,
    change: Draft,
    *,
    by: str,
    document: str | None = None,
    dry_run: bool = False,
) -> Fact:
    """Write ``change`` in one durable write — a new source goes in with its fact, so a
    refused fact leaves no source behind — and return the fact as stored; with ``dry_run``
    only check it (ConflictError, NotFoundError, ValidationFailed, RuleViolation) and
    return the fact as it would be stored.

    ``document`` is the text of the new source's document when it is not stored yet: the
    quotes are checked against it in memory, and it is stored only by the write.
    """
    if change.action is not DraftAction.ADD and change.base_revision is not None:
        current = store.get(change.fact_id)
        if current.revision != change.base_revision:
            raise ConflictError(
                ErrorReason.CHANGED_SINCE_PREVIEW,
                id=repr(change.fact_id),
                revision=current.revision,
            )
    # A preview may come before the reason is asked; the write itself needs the real one.
    reason = change.reason or CHECK_AUTHOR if dry_run else change.reason
    sources = () if change.source is None else (change.source,)
    documents = new_documents(change.source, document)
    action = change.action
    if action in (DraftAction.ADD, DraftAction.EDIT, DraftAction.SUPERSEDE):
        assert change.fact is not None
        write: Callable[..., Fact] = (
            store.add_fact
            if action is DraftAction.ADD
            else store.update_fact
            if action is DraftAction.EDIT
            else functools.partial(store.supersede, change.fact_id)
        )
        return write(
            change.fact,
            by=by,
            reason=reason,
            new_sources=sources,
            documents=documents,
            dry_run=dry_run,
        )
    assert not sources, f"a {action.value} change carries no new source"
    if action is DraftAction.RETRACT:
        return store.retract(change.fact_id, by=by, reason=reason, dry_run=dry_run)
    if change.revision is None:
        raise NotFoundError(ErrorReason.NO_REVISION_GIVEN, id=repr(change.fact_id))
    return store.revert(change.fact_id, change.revision, by=by, reason=reason, dry_run=dry_run)


def check_change(store: FactStore, change: Draft, *, document: str | None = None) -> Fact:
    """Raise when ``change`` cannot be applied to the base as it is now (see
    :func:`apply_change`); writes nothing. The fact as it would be stored."""
    return apply_change(store, change, by=CHECK_AUTHOR, document=document, dry_run=True)


def new_documents(source: Source | None, document: str | None) -> dict[str, str]:
    """The document texts a write stores with ``source``: ``document`` when the source
    names it (ValidationFailed when it names another or none)."""
    if document is None:
        return {}
    if source is None or source.document != document_id(document):
        raise ValidationFailed(["the document given is not the one the new source names"])
    return {source.document: document}
