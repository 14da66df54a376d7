"""The rule "claim states the value": a statistic's claim (and each translation of it)
states its value, in any usual number format, and its qualifier; with the helpers that
read numbers in a text and rewrite a claim for a changed value.
"""

from __future__ import annotations

import math
import re

from facts.model import Fact, Qualifier, StatisticDetails
from facts.violations import RULE_CLAIM, Reason, Violation, fact_violation

#: How each qualifier may be worded in a claim.
QUALIFIER_WORDS: dict[Qualifier, tuple[str, ...]] = {
    Qualifier.EXACTLY: (),
    Qualifier.AT_LEAST: ("at least", "no fewer than", "not less than", "a minimum of"),
    Qualifier.MORE_THAN: ("more than", "over", "in excess of", "upwards of", "above"),
    Qualifier.ABOUT: (
        "about",
        "around",
        "approximately",
        "roughly",
        "some",
        "nearly",
        "almost",
        "an estimated",
        "estimated",
        "close to",
        "circa",
        "~",
    ),
    Qualifier.UP_TO: ("up to", "as many as", "at most", "no more than"),
    Qualifier.SEVERAL: ("several",),
}
_SMALL_NUMBERS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]
_WORD_NUMBERS: dict[str, int] = {
    **{word: n for n, word in enumerate(_SMALL_NUMBERS)},
    **dict(
        zip(
            ["thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"],
            range(30, 91, 10),
            strict=False,
        )
    ),
    "hundred": 100,
    "a hundred": 100,
    "one hundred": 100,
    "dozen": 12,
    "a dozen": 12,
    "a thousand": 1000,
    "one thousand": 1000,
}
_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
}
# Digits, possibly grouped by thousands (comma, dot, space, thin or non-breaking space,
# apostrophe) and with a decimal part, then an optional scale word.
_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[,.\u00a0\u202f\u2009 '’]\d{3})+|\d+)([.,]\d+)?"
    r"(?:\s*(thousand|million|billion|mln|bn|k|m|b)\b)?",
    re.IGNORECASE,
)
_WORD_NUMBER = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, _WORD_NUMBERS), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


def numbers_in(text: str) -> set[float]:
    """Every value a number written in ``text`` can stand for, in the usual formats."""
    found: set[float] = set()
    for match in _NUMBER.finditer(text):
        whole, fraction, scale = match.group(1), match.group(2), match.group(3)
        factor = _SCALES[scale.lower()] if scale else 1.0
        digits = re.sub(r"\D", "", whole)
        readings = [float(digits)]
        if fraction:
            # "1,5" and "1.5" are a decimal; "1.486" may also be a thousands group.
            readings.append(float(f"{digits}.{fraction[1:]}"))
            if len(fraction) == 4:
                readings.append(float(digits + fraction[1:]))
        if re.fullmatch(r"\d{1,3}[.,]\d{3}", whole):
            readings.append(float(whole.replace(",", ".")))
        found.update(r * factor for r in readings)
    for match in _WORD_NUMBER.finditer(text):
        found.add(float(_WORD_NUMBERS[match.group(1).lower()]))
    return found


def _same_number(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9) or (
        # A claim rounds a decimal value the usual way ("66.7" for 66.67).
        abs(a - b) <= 0.051 and not a.is_integer()
    )


def _has_phrase(text: str, phrase: str) -> bool:
    pattern = (
        r"(?<!\w)" + re.escape(phrase) + r"(?!\w)" if phrase[0].isalnum() else re.escape(phrase)
    )
    return re.search(pattern, text, re.IGNORECASE) is not None


def _format_value(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def claim_problems(fact: Fact) -> list[Violation]:
    """A statistic whose claim does not state its value or qualifier."""
    details = fact.details
    if not isinstance(details, StatisticDetails):
        return []
    text = fact.text
    if details.value_text:
        if not _has_phrase(text, details.value_text):
            return [
                fact_violation(
                    fact.id,
                    RULE_CLAIM,
                    Reason.CLAIM_LACKS_WORDING,
                    wording=repr(details.value_text),
                )
            ]
        # A vague wording ("thousands", "several") carries its own qualifier.
        return []
    problems: list[Violation] = []
    if not any(_same_number(n, float(details.value)) for n in numbers_in(text)):
        shown = _format_value(details.value)
        plain = shown.replace(",", "")
        problems.append(
            fact_violation(fact.id, RULE_CLAIM, Reason.CLAIM_LACKS_VALUE, value=shown, plain=plain)
        )
    words = QUALIFIER_WORDS[details.qualifier]
    if words and not any(_has_phrase(text, w) for w in words):
        problems.append(
            fact_violation(
                fact.id,
                RULE_CLAIM,
                Reason.CLAIM_LACKS_QUALIFIER,
                qualifier=repr(details.qualifier.value),
                word=repr(words[0]),
                others=", ".join(repr(w) for w in words[1:3]),
            )
        )
    return problems


def _states_value(text: str, value: float) -> bool:
    return any(_same_number(n, float(value)) for n in numbers_in(text))


def translation_problems(fact: Fact) -> list[Violation]:
    """Translations of a statistic's claim that do not state its value (a translation
    still stating an old figure would tell its readers something the base no longer says)."""
    details = fact.details
    if not isinstance(details, StatisticDetails) or details.value_text:
        return []
    shown = _format_value(details.value)
    return [
        fact_violation(fact.id, RULE_CLAIM, Reason.TRANSLATION_LACKS_VALUE, lang=lang, value=shown)
        for lang, translation in fact.translations.items()
        if not _states_value(translation.text, details.value)
    ]


def translations_for_value(old: Fact, new: Fact) -> Fact:
    """``new`` with each translated claim rewritten for a changed value, in the same number
    format; a translation that cannot be rewritten is dropped (shown in English instead)."""
    before, after = old.details, new.details
    if (
        not isinstance(before, StatisticDetails)
        or not isinstance(after, StatisticDetails)
        or before.value == after.value
        or after.value_text
    ):
        return new
    kept = {}
    for lang, translation in new.translations.items():
        if _states_value(translation.text, after.value):
            kept[lang] = translation
            continue
        rewritten = claim_with_value(translation.text, before.value, after.value)
        if rewritten is not None:
            kept[lang] = translation.model_copy(update={"text": rewritten})
    return new.model_copy(update={"translations": kept})


def claim_with_value(text: str, old: float, new: float) -> str | None:
    """``text`` with the number that states ``old`` rewritten as ``new`` in the same format
    ("1,486" → "1,500", "1486" → "1500"); None when the claim does not state ``old``."""
    for match in _NUMBER.finditer(text):
        if not any(_same_number(n, float(old)) for n in numbers_in(match.group(0))):
            continue
        whole, fraction, scale = match.group(1), match.group(2), match.group(3)
        factor = _SCALES[scale.lower()] if scale else 1.0
        value = float(new) / factor
        grouping = re.search(r"\d([,.\u00a0\u202f\u2009 '’])\d{3}(?!\d)", whole + (fraction or ""))
        decimals = len(fraction) - 1 if fraction and not (grouping and len(fraction) == 4) else 0
        if not value.is_integer() and decimals == 0:
            decimals = 1
        shown = f"{value:,.{decimals}f}"
        if grouping is None:
            shown = shown.replace(",", "")
        elif grouping.group(1) != ",":
            shown = shown.replace(",", grouping.group(1))
        if scale:
            shown += text[match.end(2) if fraction else match.end(1) : match.end()]
        return text[: match.start()] + shown + text[match.end() :]
    return None


def claim_for_value(old: Fact, new: Fact) -> str | None:
    """The claim rewritten for ``new``'s value when the value changed and the old claim
    no longer states it (None: nothing to offer)."""
    before, after = old.details, new.details
    if not isinstance(before, StatisticDetails) or not isinstance(after, StatisticDetails):
        return None
    if before.value == after.value or not claim_problems(new):
        return None
    return claim_with_value(new.text, before.value, after.value)
