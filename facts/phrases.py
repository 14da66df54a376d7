"""Words that say what kind of sentence a text is, in English, Russian and Belarusian.

One table, read by the dialogue (a short follow-up holding a question word is a question of
its own) and by the claim check (a sentence of a post that opens as a question is set aside
even without its question mark).
"""

from __future__ import annotations

import re

#: Question words, and the English auxiliaries a question puts after them.
QUESTION_WORDS_EN = ("who", "what", "when", "where", "why", "how", "which")
AUXILIARIES_EN = ("is", "are", "was", "were", "did", "does", "do")
QUESTION_WORDS_CYRILLIC = (
    *("кто", "что", "когда", "где", "почему", "как", "какой"),
    *("хто", "што", "калі", "дзе", "чаму", "як"),
)
#: "Why", which opens a question and hardly ever a statement.
WHY_CYRILLIC = ("почему", "зачем", "чаму", "навошта")


def _any(words: tuple[str, ...]) -> str:
    return "|".join(words)


#: A question word anywhere in a text ("and who is Babaryka").
QUESTION_WORD = re.compile(
    rf"\b(?:{_any(QUESTION_WORDS_EN)}|{_any(AUXILIARIES_EN)})\b"
    rf"|(?:^|\s)(?:{_any(QUESTION_WORDS_CYRILLIC)})(?:\s|$)",
    re.IGNORECASE,
)
#: A sentence that opens as a question: "Why is nobody talking about this", "Почему молчат".
QUESTION_OPENING = re.compile(
    rf"^\s*(?:(?:{_any(QUESTION_WORDS_EN)})\s+(?:{_any(AUXILIARIES_EN)})\b"
    rf"|(?:{_any(WHY_CYRILLIC)})(?=\s|$))",
    re.IGNORECASE,
)
