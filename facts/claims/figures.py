"""Figures and dates in a text: each quantity as the range its qualifier allows ("at
least 1,486", "about a hundred", "thousands"), and the years and months it names."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from facts.analysis import analyze
from facts.model import Qualifier

_INF = math.inf
MONTHS_EN = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH_STEMS: dict[str, int] = {
    **{m[:3]: i for i, m in enumerate(MONTHS_EN, 1) if m != "may"},
    "may": 5,
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
    "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
    "студзен": 1, "лют": 2, "сакавік": 3, "красавік": 4, "травен": 5,
    "травн": 5, "траўн": 5, "чэрвен": 6, "ліпен": 7, "жнівен": 8, "жніўн": 8,
    "верас": 9, "кастрычнік": 10, "лістапад": 11, "снежан": 12, "снежн": 12,
}  # fmt: skip
MONTH_WORD = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
    r"|январ\w*|феврал\w*|март\w*|апрел\w*|ма[яйе]|мае|июн\w*|июл\w*|август\w*|сентябр\w*"
    r"|октябр\w*|ноябр\w*|декабр\w*|студзен\w*|студзен\w*|лют\w*|сакавік\w*|красавік\w*"
    r"|травен\w*|травн\w*|траўн\w*|чэрвен\w*|чэрвен\w*|ліпен\w*|ліпен\w*|жнівен\w*|жніўн\w*|верас\w*"
    r"|кастрычнік\w*|лістапад\w*|снежан\w*|снежн\w*)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<![\d.,])(19[5-9]\d|20[0-4]\d)(?![\d.,]*\d)")
#: A date in figures: "18/08/2020", "18.08.2020" (day first, as in every language the bot
#: speaks) or "2020-08-18".
_NUMERIC_DATE = re.compile(
    r"(?<![\d.,/-])(?:(?P<day>[0-3]?\d)[./](?P<month>[01]?\d)[./](?P<year>(?:19|20)\d\d)"
    r"|(?P<iso_year>(?:19|20)\d\d)-(?P<iso_month>[01]\d)(?:-[0-3]\d)?)(?![\d.,/-]*\d)"
)
#: Seasons name the months they span: "in autumn 2019" is September to November.
_SEASONS: tuple[tuple[re.Pattern[str], tuple[int, ...]], ...] = (
    (re.compile(r"\b(?:spring|весной|весною|весны|вясной|вясною|увесну)\b", re.I), (3, 4, 5)),
    (re.compile(r"\b(?:summer|летом|летам|улетку)\b", re.I), (6, 7, 8)),
    (re.compile(r"\b(?:autumn|осенью|осени|восенню|восені|увосень)\b", re.I), (9, 10, 11)),
    (re.compile(r"\b(?:winter|зимой|зимою|зимы|зімой|зімою|узімку|зімы)\b", re.I), (12, 1, 2)),
)
_MONTH_ALTERNATION = MONTH_WORD.pattern[5:-3]
_DAY_BEFORE_MONTH = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?=(?:{_MONTH_ALTERNATION})\b)", re.IGNORECASE
)
_DAY_AFTER_MONTH = re.compile(
    rf"\b((?:{_MONTH_ALTERNATION}))\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?!\s*(?:%|per|проц|прац))",
    re.IGNORECASE,
)


def _month_number(word: str) -> int | None:
    w = word.casefold()
    if w in ("may", "мая", "мае", "май"):
        return 5
    for stem_, number in sorted(_MONTH_STEMS.items(), key=lambda kv: -len(kv[0])):
        if len(stem_) >= 3 and w.startswith(stem_):
            return number
    return None


@dataclass(frozen=True, slots=True)
class Dates:
    years: frozenset[int]
    months: frozenset[tuple[int, int]]  # (year or 0, month)


def _months(text: str) -> Iterator[re.Match[str]]:
    """The words of ``text`` that name a month there: "may" and "march" only beside a date
    ("in May", "5 March", "march 2020"; "March" capitalised too): else they are verbs."""
    for match in MONTH_WORD.finditer(text):
        word = match.group()
        if (
            word.casefold() in ("may", "march")
            and word != "March"
            and not re.search(
                r"\d|\b(?:of|in|since|until|early|late|mid|by|from)\s*$",
                text[: match.start()][-12:],
                re.IGNORECASE,
            )
            and not re.match(r"\s+\d", text[match.end() :])
        ):
            continue  # "may", "march" the verbs
        yield match


def month_words(text: str) -> frozenset[str]:
    """The words of ``text`` that name a month or a season there (casefolded)."""
    return frozenset(m.group().casefold() for m in _months(text)) | frozenset(
        m.group().casefold() for pattern, _ in _SEASONS for m in pattern.finditer(text)
    )


def dates_in(text: str) -> Dates:
    years = {int(y) for y in _YEAR.findall(text)}
    months: set[tuple[int, int]] = set()
    for match in _NUMERIC_DATE.finditer(text):
        year = int(match["year"] or match["iso_year"])
        month = int(match["month"] or match["iso_month"])
        if 1 <= month <= 12:
            years.add(year)
            months.add((year, month))
    for pattern, numbers in _SEASONS:
        for match in pattern.finditer(text):
            after = _YEAR.search(text[match.end() : match.end() + 12])
            months.update((int(after.group()) if after else 0, n) for n in numbers)
    for match in _months(text):
        word = match.group()
        number = _month_number(word)
        if number is None:
            continue
        after = _YEAR.search(text[match.end() : match.end() + 12])
        months.add((int(after.group()) if after else 0, number))
    return Dates(frozenset(years), frozenset(months))


_QUALIFIERS: tuple[tuple[re.Pattern[str], Qualifier], ...] = (
    (
        re.compile(
            r"(?:at least|no fewer than|no less than|не менее|не меньше|как минимум|минимум"
            r"|не менш|прынамсі|як мінімум|мінімум)\s*$",
            re.IGNORECASE,
        ),
        Qualifier.AT_LEAST,
    ),
    (
        re.compile(
            r"(?:more than|over|above|in excess of|более|больше|свыше|больш|звыш|больш за)\s*$",
            re.IGNORECASE,
        ),
        Qualifier.MORE_THAN,
    ),
    (
        re.compile(
            r"(?:up to|fewer than|less than|under|at most|до|менее|меньше|не более|менш|не больш)"
            r"\s*$",
            re.IGNORECASE,
        ),
        Qualifier.UP_TO,
    ),
    (
        re.compile(
            r"(?:about|around|some|roughly|approximately|nearly|almost|close to|only about"
            r"|около|примерно|почти|приблизительно|порядка|каля|прыкладна|амаль|блізу)\s*$",
            re.IGNORECASE,
        ),
        Qualifier.ABOUT,
    ),
)
_NUMBER_WORDS: dict[str, float] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "thousand": 1000, "million": 1_000_000,
    "один": 1, "одна": 1, "два": 2, "две": 2, "двух": 2, "три": 3, "трёх": 3, "трех": 3,
    "четыре": 4, "пять": 5, "пяти": 5, "шесть": 6, "семь": 7, "восемь": 8, "восьми": 8,
    "девять": 9, "десять": 10, "двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50,
    "сто": 100, "сотни": 100, "сотню": 100, "тысяча": 1000, "тысячу": 1000,
    "адзін": 1, "адна": 1, "дзве": 2, "тры": 3, "чатыры": 4, "пяць": 5,
    "восем": 8, "васьмі": 8, "дзесяць": 10, "дваццаць": 20, "сорак": 40, "пяцьдзясят": 50,
}  # fmt: skip
#: Vague plural amounts: "hundreds", "thousands", "dozens", "several".
_VAGUE: tuple[tuple[re.Pattern[str], float, float], ...] = (
    (
        re.compile(
            r"\b(?:a few|several) thousand\b|нескольк\w* тысяч\w*|некальк\w* тысяч\w*", re.I
        ),
        2000,
        9999,
    ),
    (
        re.compile(r"\b(?:a few|several) hundred\b|нескольк\w* сот\w*|некальк\w* сот\w*", re.I),
        200,
        999,
    ),
    (
        re.compile(
            r"\bhundreds of thousands\b|сотни тысяч|сотен тысяч|сотні тысяч|соцень тысяч",
            re.IGNORECASE,
        ),
        100_000,
        999_999,
    ),
    (re.compile(r"\bthousands\b|\bтысяч[иа]?\b(?!\s*\d)|\bтысячы\b", re.IGNORECASE), 1000, 9999),
    (
        re.compile(r"\bhundreds\b|\bсот(?:ни|ен|ням|нями)\b|\bсотні\b|\bсоцень\b", re.IGNORECASE),
        100,
        999,
    ),
    (
        re.compile(r"\b(?:a few )?dozens?\b|\bдесятк\w*|\bдзясятк\w*|\bдзесятк\w*", re.IGNORECASE),
        12,
        99,
    ),
    (
        re.compile(r"\bseveral\b|\ba few\b|\bнескольк\w*|\bнекальк\w*", re.IGNORECASE),
        2,
        9,
    ),
)
#: The first this many of them name a scale ("hundreds of thousands").
_VAGUE_SCALED = 3
_TWO_THIRDS = re.compile(
    r"\btwo[- ]thirds\b|две трети|двух третей|дзве трэці|дзвюх трэціх", re.IGNORECASE
)
_HALF = re.compile(r"\b(?:a |one )?half\b|половин\w*|палов\w*", re.IGNORECASE)
_DIGITS = re.compile(r"(?<![\d:])(\d{1,3}(?:[,\u00a0\u202f ]\d{3})+|\d+(?:[.,]\d+)?)(?![\d:])")
_NUMBER_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
#: A figure followed by a scale word: "9.2 million", "30 тысяч", "тры мільёны".
_SCALES: tuple[tuple[str, float], ...] = (
    (r"thousand|тысяч\w*|тыс\.?", 1e3),
    (r"million|mln|миллион\w*|млн\.?|мільён\w*|мільен\w*", 1e6),
    (r"billion|bn|миллиард\w*|млрд\.?|мільярд\w*", 1e9),
)
_SCALED = re.compile(
    r"(?<![\d:])(?P<figure>\d+(?:[.,]\d+)?|[^\W\d_]+)\s*(?P<scale>"
    + "|".join(f"(?:{pattern})" for pattern, _ in _SCALES)
    + r")(?!\w)",
    re.IGNORECASE,
)


def _scaled(match: re.Match[str]) -> float | None:
    """The value of "9.2 million", "тры мільёны" (None: no figure before the scale word)."""
    figure = match["figure"]
    if figure[0].isdigit():
        value = float(figure.replace(",", "."))
    else:
        worded = _NUMBER_WORDS.get(figure.casefold())
        if worded is None or worded >= 1000:
            return None
        value = worded
    scale = next(f for p, f in _SCALES if re.fullmatch(p, match["scale"], re.IGNORECASE))
    return value * scale


@dataclass(frozen=True, slots=True)
class Amount:
    low: float
    high: float
    #: The first words after the figure ("political prisoners", "officials"): what it counts.
    unit: frozenset[str] = frozenset()
    #: The first of them, the word it counts ("people" in "thousands of people took to the
    #: streets"); what follows it may be what the claim says happened to them.
    head: str = field(default="", compare=False)

    def comparable(self, other: Amount) -> bool:
        """True when both count the same thing (or either does not say what it counts)."""
        return not self.unit or not other.unit or bool(self.unit & other.unit)


def qualified_range(value: float, qualifier: Qualifier) -> Amount:
    if qualifier in (Qualifier.AT_LEAST, Qualifier.MORE_THAN):
        return Amount(value, _INF)
    if qualifier is Qualifier.UP_TO:
        return Amount(0, value)
    if qualifier is Qualifier.ABOUT:
        return Amount(value * 0.85, value * 1.15)
    if qualifier is Qualifier.SEVERAL:
        return Amount(2, 9)
    return Amount(value * 0.99, value * 1.01)


def _qualifier(before: str) -> Qualifier:
    before = re.sub(r"\s+(?:a|an)\s*$", " ", before, flags=re.IGNORECASE)
    for pattern, qualifier in _QUALIFIERS:
        if pattern.search(before):
            return qualifier
    return Qualifier.EXACTLY


def _without_dates(text: str) -> str:
    text = _NUMERIC_DATE.sub(" ", text)
    text = _DAY_BEFORE_MONTH.sub(" ", text)
    text = _DAY_AFTER_MONTH.sub(r"\1 ", text)
    return _YEAR.sub(" ", text)


_PERCENT = re.compile(r"%|\bпроцент\w*|\bпрацэнт\w*", re.IGNORECASE)
_UNIT_END = re.compile(r"[,.;:()!?]")


def counted_unit(after: str) -> frozenset[str]:
    return frozenset(_counted_terms(after))


def _counted_terms(after: str) -> list[str]:
    words = _UNIT_END.split(after[:60], maxsplit=1)[0]
    return [t.term for t in analyze(words) if not t.term[:1].isdigit()][:2]


def amounts(text: str) -> list[Amount]:
    """The quantities ``text`` states (dates left out), each as the range its qualifier
    allows — "at least 1,486" → [1486, ∞), "about a hundred" → [70, 130], "thousands" →
    [1000, 9999] — with the words that say what it counts."""
    text = _PERCENT.sub(" percent ", _without_dates(text))
    found: list[Amount] = []
    spans: list[tuple[int, int]] = []

    def add(amount: Amount, end: int) -> None:
        terms = _counted_terms(text[end:])
        found.append(replace(amount, unit=frozenset(terms), head=terms[0] if terms else ""))

    def vague(patterns: tuple[tuple[re.Pattern[str], float, float], ...]) -> None:
        for pattern, low, high in patterns:
            for match in pattern.finditer(text):
                if any(s <= match.start() < e for s, e in spans):
                    continue
                spans.append(match.span())
                qualifier = _qualifier(text[: match.start()])
                top = _INF if qualifier in (Qualifier.MORE_THAN, Qualifier.AT_LEAST) else high
                add(Amount(low, top), match.end())

    # "Hundreds of thousands" is vague; "30 thousand" a figure; "thousands" vague again.
    vague(_VAGUE[:_VAGUE_SCALED])
    for match in _SCALED.finditer(text):
        value = _scaled(match)
        if value is not None and not any(s <= match.start() < e for s, e in spans):
            spans.append(match.span())
            add(qualified_range(value, _qualifier(text[: match.start()])), match.end())
    vague(_VAGUE[_VAGUE_SCALED:])
    for match in _TWO_THIRDS.finditer(text):
        spans.append(match.span())
        add(Amount(60, 70), match.end())
    for match in _HALF.finditer(text):
        spans.append(match.span())
        add(Amount(45, 55), match.end())
    for match in _DIGITS.finditer(text):
        if any(s <= match.start() < e for s, e in spans):
            continue
        raw = match.group(1)
        if re.fullmatch(r"\d{1,3}(?:[,\u00a0\u202f ]\d{3})+", raw):
            value = float(re.sub(r"\D", "", raw))
        else:
            value = float(raw.replace(",", "."))
        add(qualified_range(value, _qualifier(text[: match.start()])), match.end())
    for match in _NUMBER_WORD.finditer(text):
        if any(s <= match.start() < e for s, e in spans):
            continue
        word = match.group().casefold()
        worded = _NUMBER_WORDS.get(word)
        if worded is None or (worded == 1 and word in ("one", "один", "одна", "адзін", "адна")):
            continue  # "one of", "one onion": rarely a count worth comparing
        add(qualified_range(worded, _qualifier(text[: match.start()])), match.end())
    return found


def overlap(a: Amount, b: Amount) -> bool:
    return a.low <= b.high and b.low <= a.high


def iso_words(iso: str) -> str:
    parts = iso.split("-")
    if len(parts) >= 2:
        return f"{MONTHS_EN[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]
