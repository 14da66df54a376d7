"""Comparisons ("who sanctioned Lukashenko first, the US or the EU?", "A vs B"): each side
is a question of its own, and the comparison is answered only when every side is.

The facts of each side are shown side by side; which came first, or which is more, is for
the reader to see from their dates and figures (the bot never computes a verdict the
documents do not state).
"""

from __future__ import annotations

import re

#: "<stem>, (the) A or (the) B?" with a comparative in the stem.
_STEM_OR = re.compile(
    r"^(?P<stem>.+?\b(?:first|earlier|later|more|fewer|less|bigger|larger|smaller|sooner)\b.*?)"
    r",\s*(?P<a>[^,]+?)\s+or\s+(?P<b>[^,?]+?)\s*\??\s*$",
    re.IGNORECASE,
)
_COMPARATIVE = re.compile(
    r"\s*\b(?:first|earlier|later|more|fewer|less|bigger|larger|smaller|sooner)\b", re.IGNORECASE
)
#: "Did (the) A or (the) B <predicate>?"
_DID_OR = re.compile(
    r"^\s*(?P<aux>did|has|have|was|were|is|are)\s+(?P<a>.+?)\s+or\s+(?P<b>(?:the\s+)?\S+)"
    r"\s+(?P<rest>.+?)\s*\??\s*$",
    re.IGNORECASE,
)
#: "A vs B", "A versus B".
_VERSUS = re.compile(r"\s+(?:vs\.?|versus)\s+", re.IGNORECASE)


def sides(question: str) -> list[str]:
    """The questions a comparison is made of, or [] when ``question`` compares nothing."""
    match = _STEM_OR.match(question)
    if match is not None:
        stem = _COMPARATIVE.sub("", match.group("stem")).strip()
        return [f"{stem} {match.group(side).strip()}" for side in ("a", "b")]
    parts = _VERSUS.split(question.strip(" ?"))
    if len(parts) == 2 and all(p.split() for p in parts):
        return parts
    match = _DID_OR.match(question)
    if match is not None and _COMPARATIVE.search(match.group("rest")):
        aux, rest = match.group("aux"), match.group("rest")
        return [f"{aux} {match.group(side)} {rest}" for side in ("a", "b")]
    return []
