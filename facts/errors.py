"""Errors the fact layer raises; each message is fit to show an admin or operator.

A refusal an admin can meet (:class:`NotFoundError`, :class:`ConflictError`) carries a
typed reason, as a broken rule does (:class:`facts.violations.Violation`): ``reason`` (an
:class:`ErrorReason`) and the ``values`` its wording is filled with. ``str()`` is the
English; the bot words the reason in the admin's language (bot/rule_texts.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class ErrorReason(StrEnum):
    """Why a fact, source, record or role cannot be found or changed as asked."""

    NO_FACT = "no-fact"
    NO_SOURCE = "no-source"
    NO_REVISION = "no-revision"
    NO_REVISION_GIVEN = "no-revision-given"
    NO_DOCUMENT = "no-document"
    NO_RECORD = "no-record"
    NOT_EDITOR = "not-editor"
    NOT_SUBSCRIBED = "not-subscribed"
    NO_NOTIFICATION = "no-notification"
    FACT_EXISTS = "fact-exists"
    SOURCE_EXISTS = "source-exists"
    DRAFT_EXISTS = "draft-exists"
    ALREADY_EDITOR = "already-editor"
    SUPERSEDES_ITSELF = "supersedes-itself"
    NOT_CURRENT = "not-current"
    ALREADY_RETRACTED = "already-retracted"
    CHANGED_SINCE_PREVIEW = "changed-since-preview"


#: Each reason in English, ``{placeholders}`` filled from the error's values (ids are
#: given quoted, as ``repr`` writes them).
ERROR_TEXTS: Final[Mapping[ErrorReason, str]] = {
    ErrorReason.NO_FACT: "no fact with id {id}",
    ErrorReason.NO_SOURCE: "no source with id {id}",
    ErrorReason.NO_REVISION: "fact {id} has no revision {revision} (it has 1 to {count})",
    ErrorReason.NO_REVISION_GIVEN: "fact {id}: which revision to restore?",
    ErrorReason.NO_DOCUMENT: (
        "document {digest}… is missing from {directory}; restore it from a backup or attach "
        "the source's document again (factbot sources attach)"
    ),
    ErrorReason.NO_RECORD: "{table}: no record {key}",
    ErrorReason.NOT_EDITOR: "user {user_id} is not an editor",
    ErrorReason.NOT_SUBSCRIBED: "this chat has no subscription",
    ErrorReason.NO_NOTIFICATION: "no pending notification {id}",
    ErrorReason.FACT_EXISTS: "fact {id} already exists; choose another id",
    ErrorReason.SOURCE_EXISTS: "source {id} already exists",
    ErrorReason.DRAFT_EXISTS: "draft {id} already exists",
    ErrorReason.ALREADY_EDITOR: "user {user_id} is already an editor",
    ErrorReason.SUPERSEDES_ITSELF: "fact {id} cannot supersede itself",
    ErrorReason.NOT_CURRENT: "fact {id} is {status}, not current",
    ErrorReason.ALREADY_RETRACTED: "fact {id} is already retracted",
    ErrorReason.CHANGED_SINCE_PREVIEW: (
        "fact {id} changed since the preview (now revision {revision}); start again"
    ),
}


class FactsError(Exception):
    """Base class for every error of the fact layer."""


class _Refusal(FactsError):
    """An error with a typed reason (or, from code that gives none, a message only)."""

    def __init__(self, reason: ErrorReason | str, /, **values: object) -> None:
        if isinstance(reason, ErrorReason):
            self.reason: ErrorReason | None = reason
            self.values = {name: str(value) for name, value in values.items()}
            super().__init__(ERROR_TEXTS[reason].format(**self.values))
        else:
            self.reason, self.values = None, {}
            super().__init__(reason)


class NotFoundError(_Refusal):
    """A fact, source or revision id that the base does not hold."""


class ConflictError(_Refusal):
    """A write that contradicts the base: a duplicate id, a fact already retracted…"""


def require(mapping: Mapping[K, V], key: K, reason: ErrorReason, /, **values: object) -> V:
    """``mapping[key]``; NotFoundError with ``reason`` and ``values`` when it is missing."""
    try:
        return mapping[key]
    except KeyError:
        raise NotFoundError(reason, **values) from None


class ValidationFailed(FactsError):
    """Data that does not fit the model; ``problems`` names each record and field."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "\n".join(f"- {p}" for p in problems[:20])
        more = f"\n… and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problem(s):\n{shown}{more}")


class NotSaved(FactsError):
    """A write the disk refused (full, read-only, failing): nothing was changed."""


class StoreCorrupted(FactsError):
    """A data file that cannot be read; the message points at the latest good backup."""


class StoreLocked(FactsError):
    """Another process holds the data directory."""
