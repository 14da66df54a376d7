"""What the claim check finds: the finding kinds, why a fact contradicts, why a piece
of a post is set aside, and the results."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from facts.lang import Language
from facts.model import Fact


class Finding(StrEnum):
    """What the base says about one claim."""

    SUPPORT = "support"
    CONTRADICT = "contradict"
    CONTEXT = "context"
    NOTHING = "nothing"


class Conflict(StrEnum):
    """Why a fact contradicts a claim."""

    NEGATION = "negation"
    NUMBER = "number"
    DATE = "date"
    PLACE = "place"
    LIST = "list"
    ASSESSMENT = "assessment"


class AsideReason(StrEnum):
    """Why a piece of a post is not checked."""

    QUESTION = "question"
    SLOGAN = "slogan"
    OPINION = "opinion"
    #: A greeting, thanks or farewell ("Hi all.", "Thanks for sharing!"): facts.dialogue's.
    SMALL_TALK = "small talk"


@dataclass(frozen=True, slots=True)
class ClaimCheck:
    """One claim of a post, what the base says about it, and the facts it rests on."""

    text: str
    finding: Finding
    facts: list[Fact] = field(default_factory=list)
    #: What differs: why the facts contradict the claim, or, for context, NUMBER when they
    #: give a figure of their own that neither backs nor denies the claim's.
    conflict: Conflict | None = None


@dataclass(frozen=True, slots=True)
class Aside:
    """A piece of a post set aside, and why."""

    text: str
    reason: AsideReason


@dataclass(frozen=True, slots=True)
class PostCheck:
    """Every claim of a post checked, and what was set aside."""

    language: Language
    claims: list[ClaimCheck]
    set_aside: list[Aside]
    #: The claims past the most checked in one post (MAX_CLAIMS), as written: not checked.
    unchecked: tuple[str, ...] = ()
