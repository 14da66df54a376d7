"""The languages questions come in: English, Russian and Belarusian.

Which language a text is written in, Russian typed in Latin letters turned back into
Cyrillic, and the stem of a Cyrillic word. Russian words are stemmed by the Snowball
Russian stemmer (PyStemmer); the package registries carry no Belarusian morphology, so a
Belarusian word is first rewritten into the Russian stemmer's spelling of its endings
(і → и, ў → в, -аў/-яў → -ов/-ев, -ыя/-ія → -ые/-ие) and then stemmed the same way
(tested against a list of the seed's Belarusian vocabulary).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Final, Literal

import Stemmer
from babel.dates import get_month_names

Language = Literal["en", "ru", "be"]
LANGUAGES: tuple[Language, ...] = ("en", "ru", "be")
#: CLDR's month-name contexts ("мая" in a date, "май" alone) and widths.
MonthContext = Literal["format", "stand-alone"]
MonthWidth = Literal["abbreviated", "narrow", "wide"]

_CYRILLIC = re.compile(r"[а-яёіўґєї]", re.IGNORECASE)
_BELARUSIAN_LETTERS = re.compile(r"[іўІЎ]")
#: Common Belarusian words written without і or ў, and Russian ones Belarusian lacks.
_BELARUSIAN_WORDS = frozenset(
    [
        "хто",
        "што",
        "гэта",
        "калі",
        "колькі",
        "дзе",
        "ці",
        "якія",
        "які",
        "якая",
        "яго",
        "яе",
        "ёсць",
        "быў",
        "былі",
        "пра",
        "аб",
        "але",
        "ад",
        "таксама",
        "чаму",
        "вось",
        "вельмі",
        "усё",
        "ўсё",
        "трэба",
        "можна",
    ]
)
_RUSSIAN_WORDS = frozenset(
    [
        "кто",
        "что",
        "это",
        "когда",
        "сколько",
        "где",
        "ли",
        "какие",
        "какой",
        "какая",
        "его",
        "ее",
        "её",
        "есть",
        "был",
        "были",
        "про",
        "об",
        "но",
        "от",
        "тоже",
        "почему",
        "вот",
        "очень",
        "все",
        "нужно",
        "можно",
    ]
)

_RUSSIAN_STEMMER = Stemmer.Stemmer("russian")
_STEM_CACHE = 65536


def has_cyrillic(text: str) -> bool:
    """True when ``text`` holds at least one Cyrillic letter."""
    return _CYRILLIC.search(text) is not None


def detect(text: str, prefer: str | None = None) -> Language:
    """The language ``text`` is most likely written in: ``be``, ``ru`` or ``en``.

    Latin letters mean English unless the words are Russian typed in Latin letters.
    Cyrillic that bears no mark of either language ("дзякуй", "Лукашенко") is read as
    Belarusian when ``prefer`` (the chat's own language) is Belarusian, else as Russian.
    """
    if not has_cyrillic(text):
        return "ru" if latin_russian(text) is not None else "en"
    words = re.findall(r"[^\W\d_]+", text.casefold())
    belarusian = sum(1 for w in words if _BELARUSIAN_LETTERS.search(w) or w in _BELARUSIAN_WORDS)
    russian = sum(
        1 for w in words if w in _RUSSIAN_WORDS or ("и" in w and has_cyrillic(w) and "ы" not in w)
    )
    if belarusian == 0 and russian == 0 and prefer == "be":
        return "be"
    return "be" if belarusian > 0 and belarusian >= russian / 2 else "ru"


# --- Russian typed in Latin letters ---------------------------------------------------------

#: Words that only Russian typed in Latin letters uses (never English).
_LATIN_MARKERS = frozenset(
    [
        "kto",
        "chto",
        "shto",
        "skolko",
        "skol'ko",
        "skolka",
        "kogda",
        "gde",
        "pochemu",
        "zachem",
        "takoy",
        "takoi",
        "takaya",
        "takaja",
        "takie",
        "kakoy",
        "kakoi",
        "kakaya",
        "kakie",
        "kakih",
        "eto",
        "est'",
        "byl",
        "byla",
        "bylo",
        "byli",
        "protiv",
        "sanktsii",
        "sanktsiyi",
        "sanktsiy",
        "sankcii",
        "politzaklyuchennyh",
        "politzaklyuchennye",
        "politzaklyuchennykh",
        "politzaklyuchonnyh",
        "rasskazhi",
        "skazhi",
        "skolko-nibud",
        "vybory",
        "vyborah",
        "zaderzhano",
        "zaderzhany",
        "zaderzhannyh",
    ]
)
_LATIN_TO_CYRILLIC: tuple[tuple[str, str], ...] = (
    ("shch", "щ"),
    ("sch", "щ"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("ts", "ц"),
    ("yu", "ю"),
    ("ju", "ю"),
    ("ya", "я"),
    ("ja", "я"),
    ("yo", "ё"),
    ("jo", "ё"),
    ("ye", "е"),
    ("'", "ь"),
    ("a", "а"),
    ("b", "б"),
    ("v", "в"),
    ("w", "в"),
    ("g", "г"),
    ("d", "д"),
    ("e", "е"),
    ("z", "з"),
    ("i", "и"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("f", "ф"),
    ("h", "х"),
    ("c", "ц"),
    ("x", "кс"),
    ("q", "к"),
    ("j", "й"),
)
_LATIN_PIECE = re.compile("|".join(re.escape(a) for a, _ in _LATIN_TO_CYRILLIC) + "|y")
_LATIN_MAP = dict(_LATIN_TO_CYRILLIC)
_VOWELS_LATIN = set("aeiouy")


def _cyrillic_word(word: str) -> str:
    lower = word.casefold()
    out: list[str] = []
    for match in _LATIN_PIECE.finditer(lower):
        piece = match.group()
        if piece == "y":
            before = lower[match.start() - 1] if match.start() else ""
            # y after a consonant is ы (politzaklyuchennyh); otherwise й (takoy, Pompey).
            out.append("ы" if before and before not in _VOWELS_LATIN else "й")
        else:
            out.append(_LATIN_MAP[piece])
    converted = "".join(out)
    return converted.capitalize() if word[:1].isupper() else converted


def latin_russian(text: str) -> str | None:
    """``text`` in Cyrillic when it is Russian typed in Latin letters, else None."""
    words = re.findall(r"[A-Za-z']+", text)
    if not any(w.casefold() in _LATIN_MARKERS for w in words):
        return None
    return re.sub(r"[A-Za-z']+", lambda m: _cyrillic_word(m.group()), text)


#: Latin letters that look like Cyrillic ones, as they get typed inside a Cyrillic word on
#: a keyboard without і or ў ("калi", "беларусi").
_LOOKALIKES = str.maketrans("aceiopxyABCEHIKMOPTXY", "асеіорхуАВСЕНІКМОРТХУ")
_MIXED_WORD = re.compile(r"\w*[а-яёіўА-ЯЁІЎ]\w*")


def cyrillic_lookalikes(text: str) -> str:
    """``text`` with the Latin look-alike letters inside its Cyrillic words made Cyrillic;
    words wholly in Latin letters are left as they are."""
    return _MIXED_WORD.sub(lambda m: m.group().translate(_LOOKALIKES), text)


# --- stems ---------------------------------------------------------------------------------

_BE_ENDINGS: tuple[tuple[str, str], ...] = (
    ("аў", "ов"),
    ("яў", "ев"),
    ("оў", "ов"),
    ("ёў", "ев"),
    ("еў", "ев"),
    ("ыя", "ые"),
    ("ія", "ие"),
)


_SOFT_SIGN = re.compile(r"ь(?=[бвгджзйклмнпрстфхцчшў])")
#: Words whose ending the stemmer misreads (Беларусь is not a reflexive verb).
_SLAVIC_LEMMAS = {"беларусь": "беларус", "русь": "рус"}


@lru_cache(maxsize=_STEM_CACHE)
def slavic_stem(word: str) -> str:
    """The stem of a lower-case Cyrillic word, Russian or Belarusian."""
    word = word.replace("ё", "е").replace("’", "").replace("'", "").replace("ʼ", "")
    if word in _SLAVIC_LEMMAS:
        return _SLAVIC_LEMMAS[word]
    # Belarusian writes ц+ы where Russian writes ц+и (санкцыя/санкция): one spelling for both.
    word = word.replace("цы", "ци")
    # Belarusian classical spelling (тарашкевіца) marks softness before a consonant
    # (палітвязьняў, сьмерць): one spelling for both, in every word alike.
    word = _SOFT_SIGN.sub("", word)
    if _BELARUSIAN_LETTERS.search(word) or word.endswith("ыя"):
        for ending, russian in _BE_ENDINGS:
            if word.endswith(ending) and len(word) > len(ending) + 2:
                word = word[: -len(ending)] + russian
                break
        word = word.replace("і", "и").replace("ў", "в")
    stem: str = _RUSSIAN_STEMMER.stemWord(word)
    return stem


#: Russian and Belarusian function words and question words: they carry no topic.
SLAVIC_STOP_WORDS = frozenset(
    """
    а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да
    даже для до его ее её ей ему если есть еще ещё же за здесь и из или им их к как какая
    какие какой когда кого кто ли либо между меня мне может можно мой мы на над нам нас не
    него нее неё нет ни них но ну о об обо он она они оно от по под после потому почему
    при про с со сколько скольких скольким сколко так также такая такие такой такое там
    те тем то того тоже той только том ты у уже хотя чего чей чем что чтобы эта эти это
    этот этого я расскажи расскажите скажи скажите подскажи подскажите знаешь знаете
    известно информация инфа какое каких каким кем кому чём чему сейчас теперь вообще
    пожалуйста пж плиз нибудь против около через среди между насчет касательно отношении
    але аб ад б бы быў была былі было быць вам вас ваш вось ўсе усе усё ўсё усіх
    ўсіх вы дзе для да яго яе ёй яму калі ёсць яшчэ ж за тут і ці з са ў у як якая якія
    які якое каго хто між мяне мне можа можна мы на над нам нас не яго няма ні іх але
    пра па пад пасля таму чаму пры так таксама такая такія такі такое там тыя тым тое
    таго той толькі тым ты ужо хаця чаго чый чым што каб гэта гэтыя гэты гэтага я
    раскажы скажы падкажы ведаеш ведаеце вядома інфармацыя колькі якіх якім кім каму
    чаму цяпер наогул калі ласка супраць каля праз сярод наконт адносна
    """.replace("ё", "е").split()
)


#: Where CLDR (Babel) is wrong for a language we speak, by locale, context and width: its
#: Belarusian May is the Russian "май"/"мая"; Belarusian writes "травень" alone and
#: "траўня" in a date ("12 траўня 2023"), as the seed's translations and README do.
MONTH_NAME_FIXES: Final[dict[str, dict[MonthContext, dict[MonthWidth, dict[int, str]]]]] = {
    "be": {
        "format": {"wide": {5: "траўня"}, "abbreviated": {5: "тра"}},
        "stand-alone": {"wide": {5: "травень"}, "abbreviated": {5: "тра"}},
    }
}


def month_table(locale: str, context: MonthContext, width: MonthWidth) -> dict[int, str]:
    """CLDR's month names of ``locale`` by number (1–12), with :data:`MONTH_NAME_FIXES`."""
    names = dict(get_month_names(width, context=context, locale=locale))
    names.update(MONTH_NAME_FIXES.get(locale, {}).get(context, {}).get(width, {}))
    return names


def month_names(locale: str) -> list[str]:
    """The twelve month names of ``locale`` from CLDR (Babel), in both of their forms
    ("мая" in a date, "май" alone), each once."""
    names: dict[str, None] = {}
    contexts: tuple[MonthContext, ...] = ("format", "stand-alone")
    for context in contexts:
        names.update(dict.fromkeys(month_table(locale, context, "wide").values()))
    return list(names)


@lru_cache(maxsize=1)
def _month_numbers() -> tuple[dict[str, int], dict[str, int]]:
    """Month numbers by each CLDR name (English, Russian, Belarusian; both forms, wide and
    abbreviated, with :data:`MONTH_NAME_FIXES`), and by the stem of each Cyrillic wide name."""
    names: dict[str, int] = {}
    stems: dict[str, int] = {}
    contexts: tuple[MonthContext, ...] = ("format", "stand-alone")
    widths: tuple[MonthWidth, ...] = ("wide", "abbreviated")
    for locale in ("en", "en_GB", "ru", "be"):  # en_GB abbreviates September "Sept"
        for context in contexts:
            for width in widths:
                for number, name in month_table(locale, context, width).items():
                    key = name.casefold().rstrip(".")
                    names[key] = number
                    if width == "wide" and has_cyrillic(key):
                        stems[slavic_stem(key)] = number
    return names, stems


def month_number(word: str) -> int | None:
    """The month (1–12) ``word`` names in English, Russian or Belarusian, else None.

    CLDR's names (Babel) in a date or alone, in full or abbreviated ("September", "Sept",
    "сентябрь", "сентября", "верасня", "траўня"); a Russian or Belarusian name in another
    case by its stem ("в сентябре", "у верасні")."""
    key = word.casefold().rstrip(".")
    names, stems = _month_numbers()
    if key in names:
        return names[key]
    return stems.get(slavic_stem(key)) if has_cyrillic(key) else None


#: A date written with a month name: "сентябрь 2020", "Sept. 2020", "12 траўня 2023".
_NAMED_DATE = re.compile(r"(?<![\w-])(?:(\d{1,2})\s+)?([^\W\d_]+)\.?,?\s+(\d{4})(?![\w-])")


def iso_named_dates(text: str) -> str:
    """``text`` with each date written with a month name and a year as a partial ISO date
    ("сентябрь 2020" → "2020-09", "12 September 2020" → "2020-09-12"); words that name no
    month, and days the month does not have, are left as they are."""

    def iso(match: re.Match[str]) -> str:
        day, word, year = match.groups()
        month = month_number(word)
        if month is None:
            return match.group()
        if day is None:
            return f"{year}-{month:02d}"
        try:
            return dt.date(int(year), month, int(day)).isoformat()
        except ValueError:
            return match.group()

    return _NAMED_DATE.sub(iso, text)
