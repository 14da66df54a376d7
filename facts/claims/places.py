"""The cities and countries a text names, under any spelling and case ending."""

from __future__ import annotations

import re

CITIES: dict[str, str] = {
    "minsk": "minsk", "минск": "minsk", "мінск": "minsk",
    "vienna": "vienna", "вен": "vienna",
    "warsaw": "warsaw", "варшав": "warsaw",
    "vilnius": "vilnius", "вильнюс": "vilnius", "вільн": "vilnius", "вильн": "vilnius",
    "moscow": "moscow", "москв": "moscow", "маскв": "moscow",
    "brussels": "brussels", "брюссел": "brussels", "брусел": "brussels",
    "geneva": "geneva", "женев": "geneva", "жэнев": "geneva",
    "kyiv": "kyiv", "kiev": "kyiv", "киев": "kyiv", "кіев": "kyiv",
    "riga": "riga", "риг": "riga", "рыг": "riga",
    "vitebsk": "vitebsk", "витебск": "vitebsk", "віцебск": "vitebsk",
    "grodno": "grodno", "hrodna": "grodno", "гродн": "grodno",
    "gomel": "gomel", "homiel": "gomel", "гомел": "gomel",
    "brest": "brest", "брест": "brest", "брэст": "brest",
    "mogilev": "mogilev", "магілё": "mogilev", "могилев": "mogilev", "магілев": "mogilev",
    "berlin": "berlin", "берлин": "berlin", "берлін": "berlin",
    "paris": "paris", "париж": "paris", "парыж": "paris",
    "london": "london", "лондон": "london",
    "strasbourg": "strasbourg", "страсбург": "strasbourg",
    "new york": "new york", "нью-йорк": "new york", "нью-ёрк": "new york",
    "washington": "washington",
}  # fmt: skip
COUNTRIES: dict[str, str] = {
    "russia": "russia", "росси": "russia", "расі": "russia", "расеі": "russia",
    "china": "china", "кита": "china", "кітa": "china", "кіта": "china",
    "iran": "iran", "иран": "iran", "іран": "iran",
    "india": "india", "инди": "india", "індыі": "india", "інды": "india",
    "turkey": "turkey", "турци": "turkey", "турцы": "turkey",
    "serbia": "serbia", "серби": "serbia", "сербі": "serbia",
    "hungary": "hungary", "венгри": "hungary", "венгры": "hungary", "вугоршчын": "hungary",
    "venezuela": "venezuela", "венесуэл": "venezuela",
    "cuba": "cuba", "куб": "cuba",
    "syria": "syria", "сири": "syria", "сірыі": "syria",
    "kazakhstan": "kazakhstan", "казахстан": "kazakhstan",
    "armenia": "armenia", "армени": "armenia", "армені": "armenia",
    "azerbaijan": "azerbaijan", "азербайджан": "azerbaijan",
    "ukraine": "ukraine", "украин": "ukraine", "украін": "ukraine",
    "poland": "poland", "польш": "poland", "польшч": "poland",
    "lithuania": "lithuania", "литв": "lithuania", "літв": "lithuania",
    "latvia": "latvia", "латви": "latvia", "латвіі": "latvia",
    "estonia": "estonia", "эстони": "estonia", "эстоні": "estonia",
    "germany": "germany", "германи": "germany", "германі": "germany", "нямеччын": "germany",
    "france": "france", "франци": "france", "францы": "france",
    "canada": "canada", "канад": "canada",
    "japan": "japan", "япони": "japan", "японі": "japan",
    "israel": "israel", "израил": "israel", "ізраіл": "israel",
    "norway": "norway", "норвеги": "norway", "нарвегі": "norway",
    "georgia": "georgia", "грузи": "georgia", "грузі": "georgia",
    "moldova": "moldova", "молдов": "moldova", "малдов": "moldova",
}  # fmt: skip


def _compile(table: dict[str, str]) -> tuple[re.Pattern[str], list[str]]:
    keys = sorted(table, key=len, reverse=True)
    alternatives = [
        re.escape(k) + (r"\w{0,4}" if len(k) >= 3 and " " not in k else "") for k in keys
    ]
    named = "|".join(f"(?P<k{i}>{a})" for i, a in enumerate(alternatives))
    return re.compile(rf"(?<!\w)(?:{named})(?!\w)"), keys


_CITY_PATTERN = _compile(CITIES)
_COUNTRY_PATTERN = _compile(COUNTRIES)


def gazetteer_hits(text: str, table: dict[str, str]) -> set[str]:
    """The cities (or countries) ``text`` names, under any spelling and case ending."""
    pattern, keys = _CITY_PATTERN if table is CITIES else _COUNTRY_PATTERN
    return {
        table[keys[int(m.lastgroup[1:])]]
        for m in pattern.finditer(text.casefold())
        if m.lastgroup is not None
    }
