"""The translation catalogs: complete, faithful to their messages, compiled, and used."""

from __future__ import annotations

import io
import re
import string
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot import i18n
from bot.fakeapi import HtmlError, parse_html

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT_LANGUAGE]
#: The same keywords as scripts/i18n passes to pybabel extract.
KEYWORDS = {
    "N_": None,
    "NP_": (1, 2),
    "gettext": None,
    "ngettext": (1, 2),
    "_": None,
    # The admin dialogue's prompts (bot/handlers/admin_fields.py); the reasons facts/
    # gives for typed input it refuses (facts/fields.py).
    "_f": (3,),
    "_choice_f": (3,),
    "InputError": None,
}


def _po(lang: str) -> Path:
    return i18n.LOCALE_DIR / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"


def _catalog(lang: str) -> Catalog:
    with _po(lang).open("rb") as f:
        return read_po(f, locale=lang)


def _extracted() -> dict[str, tuple[str, ...]]:
    """Every message the code marks for translation: msgid → (msgid, msgid_plural?)."""
    found: dict[str, tuple[str, ...]] = {}
    method_map = [("**.py", "python")]
    for package in ("bot", "facts"):
        for _, _, message, _, _ in extract_from_dir(
            str(ROOT / package), method_map, keywords=KEYWORDS, strip_comment_tags=True
        ):
            ids = (message,) if isinstance(message, str) else tuple(m for m in message if m)
            if ids and ids[0]:
                found[ids[0]] = ids
    return found


def _fields(text: str) -> set[str]:
    """The str.format fields of ``text`` ({name}, {rate:g}; not the literal {{ }})."""
    return {
        f"{name}:{spec}" for _, name, spec, _ in string.Formatter().parse(text) if name is not None
    }


def _tags(text: str) -> Counter[str]:
    return Counter(re.findall(r"</?[a-z]+>", text))


def _forms(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def test_the_extracted_messages_are_those_of_the_catalogs() -> None:
    code = _extracted()
    assert len(code) > 300, "the extractor found too few messages: are they still marked?"
    for lang in TRANSLATED:
        catalog = _catalog(lang)
        ids = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog if m.id}
        missing = sorted(set(code) - ids)
        assert not missing, f"{lang}: not in the catalog (run scripts/i18n): {missing[:5]}"
        stale = sorted(ids - set(code))
        assert not stale, f"{lang}: no longer in the code (run scripts/i18n): {stale[:5]}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated_with_its_placeholders_and_html(lang: str) -> None:
    catalog = _catalog(lang)
    assert catalog.num_plurals == 3, f"{lang} has three plural forms"
    problems: list[str] = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = _forms(message)
        label = repr(ids[0][:60])
        if message.fuzzy or not all(forms):
            problems.append(f"{label}: not translated")
            continue
        if isinstance(message.id, tuple) and len(forms) != catalog.num_plurals:
            problems.append(f"{label}: {len(forms)} plural forms")
        for form in forms:
            if form == ids[0] and re.search(
                r"[a-z]{4}", re.sub(r"<[^>]*>|\{[^}]*\}|[/@]\w+", "", form)
            ):
                problems.append(f"{label}: left in English")
            if _fields(form) != _fields(ids[-1]):
                problems.append(f"{label}: placeholders {_fields(form)} != {_fields(ids[-1])}")
            if _tags(form) != _tags(ids[0]):
                problems.append(f"{label}: tags {_tags(form)} != {_tags(ids[0])}")
            filled = form.replace("{{", "{").replace("}}", "}")
            filled = re.sub(r"\{[^{}]*\}", "x", filled)
            original = re.sub(r"\{[^{}]*\}", "x", ids[0].replace("{{", "{").replace("}}", "}"))
            try:
                parse_html(original)
            except HtmlError:
                continue  # plain text (a menu entry, a button): no HTML to keep
            try:
                parse_html(filled)
            except HtmlError as exc:
                problems.append(f"{label}: broken HTML: {exc}")
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_compiled_catalogs_match_their_sources(lang: str) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, _catalog(lang))
    mo = _po(lang).with_suffix(".mo")
    assert mo.read_bytes() == compiled.getvalue(), f"{mo} is stale: run scripts/i18n compile"


def test_a_telegram_language_code_picks_the_language() -> None:
    assert i18n.language_of("be") == "be"
    assert i18n.language_of("ru") == "ru"
    assert i18n.language_of("ru-RU") == "ru"
    assert i18n.language_of("BE_by") == "be"
    for code in ("en", "uk", "pl", "de", "", None):
        assert i18n.language_of(code) == "en"


def test_numbers_dates_and_plurals_read_naturally() -> None:
    en, ru, be = (i18n.translator(lang) for lang in ("en", "ru", "be"))
    assert en.number(1486) == "1,486"
    assert ru.number(1486) == "1\xa0486"
    assert be.number(1486.0) == "1\xa0486"
    assert ru.number(2.5) == "2,5"
    assert en.date("2023-05-12") == "12 May 2023"
    assert ru.date("2023-05-12") == "12 мая 2023\u202fг."
    assert be.date("2020-10-02").startswith("2 кастрычніка 2020")
    assert ru.date("2020-08") == "август 2020\u202fг."
    assert ru.date("2020") == "2020"
    persons = i18n.NP_("{count} person", "{count} persons")
    said = [ru.plural(persons, n, count=n) for n in (1, 3, 5, 21, 12)]
    assert said == ["1 человек", "3 человека", "5 человек", "21 человек", "12 человек"]
    said = [be.plural(persons, n, count=n) for n in (1, 3, 5, 22)]
    assert said == ["1 асоба", "3 асобы", "5 асоб", "22 асобы"]
    assert en.plural(persons, 1, count=1) == "1 person"
    assert ru.join(["ЕС", "США", "Канада"]) == "ЕС, США и Канада"
    assert be.join(["ЕС", "Канада"]) == "ЕС і Канада"
