"""Quotes against their documents: the normalisation a check may apply, and the closest passage.

A quote is verbatim when, after normalising both sides, it occurs in the document.
Normalising only forgives what copying text between programs changes: runs of white space,
the shape of quotation marks and apostrophes (straight or curly, guillemets), and of
dashes and hyphens (en, em, minus, non-breaking). Words, letters and punctuation otherwise
must match exactly.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

_QUOTES = str.maketrans(
    {
        **dict.fromkeys("“”„‟«»〝〞＂″", '"'),
        **dict.fromkeys("‘’‚‛‹›`´ʼʹ′＇", "'"),
        **dict.fromkeys("‐‑‒–—―−﹘﹣－", "-"),
        **dict.fromkeys("\u00ad\u200b\u200c\u200d\ufeff", ""),
    }
)
_SPACE = re.compile(r"\s+")
#: How much of the document around the best match is shown (characters each side).
PASSAGE_MARGIN = 40
#: Longest passage shown.
MAX_PASSAGE = 400


def normalise_quote(text: str) -> str:
    """``text`` with white space, quotation marks, apostrophes and dashes made uniform."""
    text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    return _SPACE.sub(" ", text).strip()


def quote_in(quote: str, normalised_document: str) -> bool:
    """True when ``quote`` occurs in a document already passed through normalise_quote."""
    wanted = normalise_quote(quote)
    return bool(wanted) and wanted in normalised_document


def closest_passage(quote: str, normalised_document: str) -> str:
    """The passage of the document most like ``quote`` (to copy from), or "" when the
    document is empty.

    Windows of the quote's length in words, one word apart, are ranked by the words they
    share with the quote; the best few are compared character by character.
    """
    words = normalised_document.split(" ")
    wanted = normalise_quote(quote)
    if not words or not wanted:
        return ""
    size = max(1, len(wanted.split(" ")))
    wanted_words = set(wanted.casefold().split(" "))
    scored: list[tuple[int, int]] = []
    for start in range(max(1, len(words) - size + 1)):
        window = words[start : start + size]
        scored.append((sum(w.casefold() in wanted_words for w in window), start))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    best_start, best_ratio = scored[0][1], -1.0
    for _, start in scored[:20]:
        ratio = SequenceMatcher(None, " ".join(words[start : start + size]), wanted).ratio()
        if ratio > best_ratio:
            best_start, best_ratio = start, ratio
    passage = " ".join(words[best_start : best_start + size])
    if len(passage) > MAX_PASSAGE:
        passage = passage[: MAX_PASSAGE - 1].rstrip() + "…"
    return passage
