"""Errors the fact layer raises; each message is fit to show an admin or operator."""

from __future__ import annotations


class FactsError(Exception):
    """Base class for every error of the fact layer."""


class NotFoundError(FactsError):
    """A fact, source or revision id that the base does not hold."""


class ConflictError(FactsError):
    """A write that contradicts the base: a duplicate id, a fact already retracted…"""


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
