"""The words that negate what a text says, in English, Russian and Belarusian: one list for
every part of the domain that reads a negation (a yes/no answer's "no", a claim the sources
contradict, two facts that cannot be duplicates).

"not", "no", "never", "nobody", "neither … nor", "without", "n't"; "denied", "refused",
"absence", "lack"; "не", "нет", "ни", "никто", "никогда", "без", "отказ…", "отрица…";
"ніхто", "няма", "ніколі", "адмаў…"; "никаких", "ніякіх", "ніводнага".
"""

from __future__ import annotations

import re

NEGATION = re.compile(
    r"\b(?:not(?! to\b)|no|never|nobody|none|nothing|neither|nor|no one|absence|absent"
    r"|lack(?:ed|s)?"
    r"|denied|den(?:y|ies)|refused|without|n't)\b|n't\b"
    r"|(?:^|(?<=[\s,.(«\"]))(?:не|нет|ни|никто|никого|никому|никогда|ничего|нигде|отсутств\w*"
    r"|никак\w*|ничуть|нисколько"
    r"|ніхто|нікога|нікому|ніколі|нічога|нідзе|няма|ні|адсутн\w*|ніяк\w*|ніводн\w*"
    # "denied", "refused" in Russian and Belarusian
    r"|отказ\w*|отказыв\w*|отрица\w*|адмаўл\w*|адмов\w*|без)(?=[\s,.!?)»\"]|$)",
    re.IGNORECASE,
)


def negated(text: str) -> bool:
    """True when ``text`` holds a negation."""
    return NEGATION.search(text) is not None


def is_negation(word: str) -> bool:
    """True when ``word`` alone is a negation ("not", "никто", "didn't")."""
    return NEGATION.fullmatch(word) is not None or word.casefold().endswith("n't")
