"""A notification of changes to the fact base, as the outbox queues it: one change sent
at once to immediate subscribers, or a day's digest of several, with its messages
already rendered (in every language) so that a resumed delivery sends exactly the text
the first subscribers got. facts/outbox.py keeps them durable; bot/notify.py renders and
bot/delivery.py sends them.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from facts.subscribers import Mode, Subscriber, SubTopic


class NotificationRecord(BaseModel):
    """A stored record: frozen, no unknown field."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Change(StrEnum):
    """What happened to a fact."""

    NEW = "new"
    SUPERSEDED = "superseded"
    RETRACTED = "retracted"


class NotificationKind(StrEnum):
    """One change sent at once to immediate subscribers, or a day's digest."""

    CHANGE = "change"
    DIGEST = "digest"


class ItemText(NotificationRecord):
    """An item's messages in one more language."""

    text: str = Field(min_length=1, max_length=4096)
    line: str = Field(min_length=1, max_length=1000)


class Item(NotificationRecord):
    """One change: which fact, what happened, whom it concerns, the rendered messages."""

    fact_id: str = Field(min_length=1, max_length=100)
    change: Change
    #: The subscription topics of the fact (``all`` always among them).
    match: frozenset[SubTopic]
    #: The message sent to immediate subscribers (Telegram HTML).
    text: str = Field(min_length=1, max_length=4096)
    #: A one-line form for the digest (Telegram HTML).
    line: str = Field(min_length=1, max_length=1000)
    #: The same messages in other languages, by language code (``text``/``line`` are the
    #: default language's); a subscriber whose language is missing gets the default.
    translations: dict[str, ItemText] = Field(default_factory=dict)

    def text_in(self, language: str | None) -> str:
        """The message for a subscriber reading ``language`` (None: the default)."""
        translated = self.translations.get(language) if language else None
        return translated.text if translated is not None else self.text

    def line_in(self, language: str | None) -> str:
        """The digest line for a subscriber reading ``language`` (None: the default)."""
        translated = self.translations.get(language) if language else None
        return translated.line if translated is not None else self.line


class Notification(NotificationRecord):
    """A queued notification: one change, or a digest of several."""

    id: int = Field(ge=1)
    kind: NotificationKind
    created: datetime
    items: tuple[Item, ...] = Field(min_length=1)

    def items_for(self, subscriber: Subscriber) -> list[Item]:
        """The items this subscriber gets from this notification (empty: skip them)."""
        wanted_mode = Mode.IMMEDIATE if self.kind is NotificationKind.CHANGE else Mode.DIGEST
        if not subscriber.active or subscriber.mode is not wanted_mode:
            return []
        return [item for item in self.items if subscriber.wants(item.match)]
