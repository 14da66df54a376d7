"""The rule "a quote states the figure": a statistic's value is the one its sources give.

The claim may say a number only when one of the fact's quotes says it: a value edited to
1,450 while the quote reads "at least 1,400" would publish a figure no source gives. Numbers
are read as the rule "claim states the value" reads them (:func:`facts.claim_rule.numbers_in`:
"1,486", "1 486", "1.5 million", "eight"), and with the Russian and Belarusian scale words
("1,5 тыс.", "2 млн"). Only a quote that writes a figure in digits binds the value: one that
words its numbers ("thousands of people", "dozens of journalists", "one of them") or gives
only dates leaves it to the source's wording (``value_text``) and the claim rule. Dates in a quote
("9 August 2020", "12 мая 2023", "2020-08-09", a year) are not figures.
"""

from __future__ import annotations

import math
import re

from facts.claim_rule import _format_value, numbers_in
from facts.lang import month_number
from facts.model import Fact, StatisticDetails
from facts.violations import RULE_FIGURE, Reason, Violation, fact_violation

#: Russian and Belarusian scale words after a number ("1,5 тыс.", "2 млн", "3 мільёны").
_SLAVIC_SCALE = re.compile(
    r"(?<![\w.,])(\d+)(?:[.,](\d+))?\s*(тыс|тысяч|млн|миллион|мільён|млрд|миллиард|мільярд)",
    re.IGNORECASE,
)
_SLAVIC_FACTORS = {
    "тыс": 1e3,
    "тысяч": 1e3,
    "млн": 1e6,
    "миллион": 1e6,
    "мільён": 1e6,
    "млрд": 1e9,
    "миллиард": 1e9,
    "мільярд": 1e9,
}
_ISO_DATE = re.compile(r"(?<!\d)\d{4}-\d{2}(?:-\d{2})?(?!\d)")
_YEAR = re.compile(
    r"(?<!\d[,.\u00a0\u202f\u2009 '’])(?<![\d,.])(?:1[89]\d\d|20\d\d)(?![\d,.]\d|\d)"
)
_DIGIT = re.compile(r"(?<![\w.,])\d")
_DAY_MONTH = re.compile(r"(?<![\d,.])(\d{1,2})(?:st|nd|rd|th)?\s+([^\W\d_]+)")
_MONTH_DAY = re.compile(r"([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?![\d,.]\d|\d)")


def _without_dates(text: str) -> str:
    """``text`` with its dates blanked: ISO dates, years, and days next to a month name."""
    text = _ISO_DATE.sub(" ", text)

    def day_month(match: re.Match[str]) -> str:
        if month_number(match.group(2)) is None:
            return match.group()
        return " " + match.group(2)

    def month_day(match: re.Match[str]) -> str:
        if month_number(match.group(1)) is None:
            return match.group()
        return match.group(1) + " "

    text = _DAY_MONTH.sub(day_month, text)
    text = _MONTH_DAY.sub(month_day, text)
    return _YEAR.sub(" ", text)


def _slavic_scaled(text: str) -> set[float]:
    found: set[float] = set()
    for match in _SLAVIC_SCALE.finditer(text):
        whole, fraction, word = match.groups()
        factor = _SLAVIC_FACTORS[word.casefold()]
        number = float(f"{whole}.{fraction}") if fraction else float(whole)
        found.add(number * factor)
    return found


def states_a_figure(quote: str) -> bool:
    """True when ``quote`` writes a figure in digits, its dates left out. A number in
    words ("one of them", "two-thirds", "thousands") does not bind the value: words are
    too often not a count."""
    return _DIGIT.search(_without_dates(quote)) is not None


def _decimals(x: float) -> int:
    """How many decimals ``x`` is written with (66.7 → 1)."""
    text = repr(x)
    return len(text.partition(".")[2].rstrip("0")) if "e" not in text else 9


def _same(stated: float, value: float) -> bool:
    """True when the quote's figure is the value, or the value rounds it ("66.7" for the
    quote's 66.67; never a value more precise than the quote, nor another small figure)."""
    if math.isclose(stated, value, rel_tol=1e-9, abs_tol=1e-9):
        return True
    places = _decimals(value)
    return (
        not value.is_integer()
        and _decimals(stated) > places
        and math.isclose(round(stated, places), value, rel_tol=1e-9, abs_tol=1e-9)
    )


def quote_states(quote: str, value: float) -> bool:
    """True when ``quote`` states ``value`` (read with its dates too: a count of 2020 is a
    figure a quote may state)."""
    return any(_same(n, float(value)) for n in numbers_in(quote) | _slavic_scaled(quote))


def unstated_figure(fact: Fact) -> list[str] | None:
    """The quotes of a statistic that state figures, none of them its value; None when the
    rule holds (not a statistic, a value worded without a figure, no quote with a figure, or
    one stating it)."""
    details = fact.details
    if not isinstance(details, StatisticDetails):
        return None
    if details.value_text and not states_a_figure(details.value_text):
        return None  # a worded value ("thousands") binds no figure
    quotes = [c.quote for c in fact.citations]
    with_figures = [q for q in quotes if states_a_figure(q)]
    if not with_figures or any(quote_states(q, details.value) for q in quotes):
        return None
    return with_figures


def figure_problems(fact: Fact) -> list[Violation]:
    """A statistic whose value none of its quotes states, though they state figures."""
    quotes = unstated_figure(fact)
    if quotes is None or not isinstance(fact.details, StatisticDetails):
        return []
    return [
        fact_violation(
            fact.id,
            RULE_FIGURE,
            Reason.FIGURE_NOT_IN_QUOTES,
            value=_format_value(fact.details.value),
            quote=quotes[0],
        )
    ]
