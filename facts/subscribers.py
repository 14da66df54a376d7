"""What a subscription is: the topics and delivery modes, one subscriber (a chat id, topics,
a mode and an active flag — nothing more), the topics of a fact, and the flags a
subscriber is stored as (1 sanctions, 2 prisoners, 4 timeline, 8 all, 16 digest mode, 32
inactive). facts/subscriptions.py keeps them durable.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from facts.model import Fact, Kind


class SubTopic(StrEnum):
    """What a subscriber wants to hear about."""

    SANCTIONS = "sanctions"
    PRISONERS = "prisoners"
    TIMELINE = "timeline"
    ALL = "all"


class Mode(StrEnum):
    """Every change as it is published, or one digest a day."""

    IMMEDIATE = "immediate"
    DIGEST = "digest"


_TOPIC_FLAGS: dict[SubTopic, int] = {
    SubTopic.SANCTIONS: 1,
    SubTopic.PRISONERS: 2,
    SubTopic.TIMELINE: 4,
    SubTopic.ALL: 8,
}
TOPIC_MASK = 15
_DIGEST = 16
_INACTIVE = 32


@dataclass(frozen=True, slots=True)
class Subscriber:
    """One subscribed chat: everything the bot keeps about it."""

    chat_id: int
    topics: frozenset[SubTopic]
    mode: Mode
    active: bool

    def wants(self, match: Collection[SubTopic]) -> bool:
        """True when a change matching the topics ``match`` is for this subscriber."""
        return SubTopic.ALL in self.topics or not self.topics.isdisjoint(match)


def fact_topics(fact: Fact) -> frozenset[SubTopic]:
    """The subscription topics a fact belongs to (``all`` is implied for every fact).

    sanctions: a sanction, or topic ``sanctions``; prisoners: topic ``prisoners``;
    timeline: a fact with a date (what /timeline lists), or topic ``timeline``.
    """
    topics = {SubTopic.ALL}
    if fact.kind is Kind.SANCTION or "sanctions" in fact.topics:
        topics.add(SubTopic.SANCTIONS)
    if "prisoners" in fact.topics:
        topics.add(SubTopic.PRISONERS)
    if fact.date is not None or "timeline" in fact.topics:
        topics.add(SubTopic.TIMELINE)
    return frozenset(topics)


def encode(topics: Iterable[SubTopic], mode: Mode, active: bool) -> int:
    """The stored flags of a subscriber."""
    flags = 0
    for topic in topics:
        flags |= _TOPIC_FLAGS[SubTopic(topic)]
    if mode is Mode.DIGEST:
        flags |= _DIGEST
    if not active:
        flags |= _INACTIVE
    return flags


@cache
def decode(flags: int) -> tuple[frozenset[SubTopic], Mode, bool]:
    """(topics, mode, active) from stored flags (64 possible values, so cached)."""
    topics = frozenset(t for t, bit in _TOPIC_FLAGS.items() if flags & bit)
    return topics, (Mode.DIGEST if flags & _DIGEST else Mode.IMMEDIATE), not flags & _INACTIVE


def wants_flags(flags: int, match_bits: int) -> bool:
    """True when stored ``flags`` want a change whose topics have the bits ``match_bits``."""
    return bool(flags & _TOPIC_FLAGS[SubTopic.ALL] or flags & match_bits)


def topic_bits(topics: Iterable[SubTopic]) -> int:
    """The flag bits of ``topics``."""
    return encode(topics, Mode.IMMEDIATE, True)
