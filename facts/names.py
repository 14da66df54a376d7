"""Name normalisation: folding, Cyrillic transliteration and a phonetic key for names.

The documents and the users spell the same people differently (Lukashenko / Lukashenka,
Tikhanovskaya / Tsikhanouskaya, Kalesnikava / Kolesnikova, Pompeo / Pompeio). Two keys
make those spellings meet: :func:`phonetic` folds the usual transliteration choices
(kh↔h, ts↔t, ou↔ov, ya/ia/ja, w↔v, o↔a, double letters) and :func:`skeleton` keeps only
the consonants, which also absorbs most vowel typos.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "є": "ye",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "і": "i",
    "ї": "yi",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ў": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}
# Letters that NFKD does not decompose into a base letter plus a mark.
_SPECIAL = {"ß": "ss", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "þ": "th"}
_TRANSLATE = str.maketrans({**_CYRILLIC, **_SPECIAL, "’": "'", "‘": "'", "ʼ": "'", "`": "'"})

#: Words inside names that say nothing about who is meant.
NAME_STOP_WORDS = frozenset(
    {"of", "the", "and", "for", "to", "in", "on", "at", "a", "an", "de", "mr", "mrs", "ms", "dr"}
)

_NAME_TOKEN = re.compile(r"[a-z0-9]+")
_VOWELS = "aeiouy"


def fold(text: str) -> str:
    """Lower-case ``text``, transliterate Cyrillic and strip diacritics (Hervé → herve)."""
    lowered = text.casefold().translate(_TRANSLATE)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=8192)
def accentless(text: str) -> str:
    """Case- and accent-insensitive form of ``text``, dots dropped, each script kept (unlike
    :func:`fold`, which also transliterates): for matching a name as typed against a list
    of names, and sorting them. Cached: the same names and speakers come up again and again."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace(".", "")


def name_tokens(text: str) -> list[str]:
    """Folded word tokens of a name, without particles like "of" and "the"."""
    folded = fold(text).replace("'", "")
    return [t for t in _NAME_TOKEN.findall(folded) if t not in NAME_STOP_WORDS]


@lru_cache(maxsize=65536)
def phonetic(word: str) -> str:
    """A key under which transliterations of one name coincide (folded input)."""
    s = word.replace("'", "")
    if not s.isalpha():
        return s
    s = s.replace("kh", "h").replace("ph", "f").replace("w", "v")
    s = s.replace("x", "ks").replace("q", "k").replace("ck", "k")
    s = re.sub(r"c(?=[eiy])", "s", s)
    s = re.sub(r"c(?!h)", "k", s)
    # Belarusian ц is often written ts where Russian has т (Tsikhanouskaya/Tikhanovskaya).
    s = s.replace("tz", "t").replace("ts", "t")
    s = s.replace("j", "y")
    # Belarusian ў after a vowel is written u (Tsikhanouskaya) where Russian has v.
    s = re.sub(r"([aeiouy])u(?=[^aeiouy]|$)", r"\1v", s)
    # Soft vowels: ya/ia/iya/ja → a, ye/ie → e, yu/iu → u, yo/io → o.
    s = re.sub(r"(?<=.)[iy]+([aeou])", r"\1", s)
    # Unstressed o is written a in Belarusian (Kalesnikava/Kolesnikova, Lukashenka).
    s = s.replace("o", "a").replace("y", "i")
    return re.sub(r"(.)\1+", r"\1", s)


@lru_cache(maxsize=65536)
def skeleton(key: str) -> str:
    """The first letter and the consonants of a phonetic key (absorbs vowel slips)."""
    if not key:
        return key
    return key[0] + "".join(ch for ch in key[1:] if ch not in _VOWELS)


def distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment edit distance, or ``limit + 1`` once it exceeds ``limit``.

    Only the band of ``limit`` cells either side of the diagonal is computed.
    """
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1  # as below, after trimming: both lose as many letters
    # Common prefixes and suffixes cost nothing; trimming them shrinks the table.
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    a, b = a[start:], b[start:]
    while a and b and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    la, lb = len(a), len(b)
    if abs(la - lb) > limit:
        return limit + 1
    if not la or not lb:
        return max(la, lb)
    over = limit + 1
    previous2: list[int] = []
    previous = [j if j <= limit else over for j in range(lb + 1)]
    for i in range(1, la + 1):
        current = [over] * (lb + 1)
        if i <= limit:
            current[0] = i
        low, high = max(1, i - limit), min(lb, i + limit)
        row_min = current[0]
        ca = a[i - 1]
        for j in range(low, high + 1):
            cost = 0 if ca == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            if value < row_min:
                row_min = value
        if row_min > limit:
            return over
        previous2, previous = previous, current
    return previous[lb] if previous[lb] <= limit else over


def allowed_typos(length: int) -> int:
    """How many edits a word of ``length`` letters may carry and still match."""
    if length >= 8:
        return 2
    if length >= 4:
        return 1
    return 0


def trigrams(key: str) -> set[str]:
    """Padded character trigrams of ``key``."""
    padded = f"^{key}$"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(query: str, name: str, *, prefixes: bool = True) -> float:
    """How well the phonetic key ``query`` matches the name key ``name``, in [0, 1]
    (0: no match): equal, a prefix of it, within a few typos, or the same consonants."""
    if query == name:
        return 1.0
    if prefixes and len(query) >= 3 and name.startswith(query):
        return 0.7 + 0.25 * len(query) / len(name)
    # Short keys (acronyms like OSCE) only match exactly: one typo is too much of them.
    limit = allowed_typos(min(len(query), len(name)))
    if not limit or not query.isalpha():
        return 0.0
    d = distance(query, name, limit)
    if d <= limit:
        return 1.0 - 0.12 * d
    skel = skeleton(query)
    if len(skel) >= 4 and skeleton(name) == skel:
        return 0.7
    return 0.0
