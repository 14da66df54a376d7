"""Words that say what kind of sentence a text is, in English, Russian and Belarusian.

One table, read by the dialogue (a short follow-up holding a question word is a question of
its own), by the claim check (a sentence of a post that opens as a question is set aside
even without its question mark) and by the yes/no reading (a Russian or Belarusian question
with no question word asks whether).
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
#: Every form of a Russian or Belarusian question word, matched against one whole word
#: (yes/no questions: a question holding one asks what, not whether).
CYRILLIC_QUESTION_WORD = re.compile(
    r"кто|кого|кому|кем|ком|что|чего|чему|чем|чём|когда|сколь\w*|где|куда|откуда|почему"
    r"|зачем|как\w*|котор\w*|чей|чья|чьё|чье|чьи|чьих|чьим"
    r"|хто|каго|каму|кім|што|чаго|чым|калі|кольк\w*|дзе|куды|адкуль|чаму|навошта|як|які\w*"
    r"|якая|якое|якой|якую|якога|якім|якіх|якія|каторы\w*|чый|чыя|чыё|чые",
)
