"""Admins keep the Russian and Belarusian translations: /edit's language fields, and
export, import and backups carrying them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.handlers.admin_fields import (
    edit_fields,
    find_field,
)
from bot.i18n import translator
from bot.render import fmt_datetime
from facts.backup import write_backup
from facts.edits import (
    current_value,
    with_field,
)
from facts.errors import ValidationFailed
from facts.model import Bundle
from facts.restore import restore
from facts.store import FactStore
from tests.bot.admin_helpers import FACT_ID, confirm, last_with_buttons, press, say
from tests.bot.harness import USER_ID, Harness

CLAIM_BE = "Паводле «Вясны», у траўні 2023 года ў Беларусі было не менш за 1 486 палітвязняў."


async def test_edit_sets_and_clears_a_translation_and_readers_see_it(
    harness: Harness, store: FactStore
) -> None:
    preview = await say(harness, f"/edit {FACT_ID} claim-be {CLAIM_BE} | a better translation")
    assert "translations.be.text" in preview
    await confirm(harness)
    assert store.get(FACT_ID).translations["be"].text == CLAIM_BE
    harness.api.user_languages[USER_ID] = "be"
    assert CLAIM_BE in await harness.reply(f"/fact {FACT_ID}")
    # A quote's translation, then clearing the claim drops the language's translation.
    quote_be = "Тэставы пераклад цытаты пра 1 486 палітвязняў"
    await say(harness, f"/edit {FACT_ID} quote-be {quote_be} | q")
    await confirm(harness)
    assert store.get(FACT_ID).translations["be"].quotes[0] == quote_be
    shown = await harness.reply(f"/fact {FACT_ID}")
    assert f"Пераклад цытаты:</i> {quote_be}" in shown
    await say(harness, f"/edit {FACT_ID} claim-be - | withdrawn for review")
    await confirm(harness)
    assert "be" not in store.get(FACT_ID).translations
    assert "Яшчэ не перакладзена" in await harness.reply(f"/fact {FACT_ID}")


async def test_a_translation_part_without_its_claim_is_refused(
    harness: Harness, store: FactStore
) -> None:
    fact = store.get(FACT_ID)
    store.update_fact(
        fact.model_copy(update={"translations": {}}), by="test", reason="no translations"
    )
    reply = await say(harness, f"/edit {FACT_ID} quote-ru Цитата | why")
    assert "give the claim in this language first" in reply and "claim-ru" in reply
    assert store.get(FACT_ID).translations == {}


def test_language_fields_read_and_write_the_model(store: FactStore) -> None:
    person = next(f for f in store.facts() if f.kind.value == "person")
    fields = edit_fields(person)
    names = [f.name for f in fields]
    assert {"claim-ru", "claim-be", "name-ru", "name-be", "aliases-ru", "quote-be"} <= set(names)
    spec = find_field(fields, "name-ru")
    assert spec is not None
    bare = person.model_copy(update={"translations": {}})
    with pytest.raises(ValidationFailed):
        with_field(bare, "translations.ru.name", "Имя")
    named = with_field(with_field(bare, "translations.ru.text", "Утверждение."), spec.key, "Имя")
    assert named.translations["ru"].name == "Имя"
    assert current_value(named, "translations.ru.aliases") is None


def test_export_import_and_backups_carry_the_translations(store: FactStore, tmp_path: Path) -> None:
    exported = store.export_bundle()
    translated = [f for f in exported.facts if f.translations]
    assert translated, "the seed has translations"
    assert any(s.translations for s in exported.sources)
    # Export → JSON → import into an empty base → export again: the same translations.
    data = json.loads(exported.model_dump_json())
    assert data["facts"][0].get("translations") or any(f.get("translations") for f in data["facts"])
    with FactStore.open(tmp_path / "other") as other:
        other.import_bundle(Bundle.model_validate(data), by="test", reason="round trip")
        again = other.export_bundle()
    by_id = {f.id: f.translations for f in again.facts}
    assert all(by_id[f.id] == f.translations for f in exported.facts)
    # A backup restored into another data directory holds them too.
    backup = write_backup(store, tmp_path / "backup.json")
    restore(tmp_path / "restored", backup)
    with FactStore.open(tmp_path / "restored") as restored:
        fact = restored.get(translated[0].id)
        assert fact.translations == translated[0].translations
        assert [s.translations for s in restored.sources()] == [
            s.translations for s in exported.sources
        ]


async def test_the_preview_shows_the_edited_language_and_the_admins(harness: Harness) -> None:
    # An English-speaking admin edits the Belarusian claim: the preview shows it.
    preview = await say(harness, f"/edit {FACT_ID} claim-be {CLAIM_BE} | a better translation")
    assert "Subscribers reading Belarusian see:" in preview and CLAIM_BE in preview
    assert "Subscribers reading Russian see:" not in preview
    await say(harness, "/language ru")
    # A Russian-speaking admin sees the card in Russian, and the English readers' head.
    preview = await say(harness, f"/edit {FACT_ID} claim Now at least 1,486 prisoners. | wording")
    assert "Предпросмотр" in preview and "не менее 1 486 политических" in preview
    assert "Подписчики, читающие по-английски, увидят:" in preview
    assert "Now at least 1,486 prisoners." in preview


async def test_the_admin_side_in_russian_reads_dates_and_names_fields(harness: Harness) -> None:
    await say(harness, "/language ru")
    # A date with the month's Russian name is read; the change list names the field.
    preview = await say(harness, f"/edit {FACT_ID} as-of апрель 2023 | уточнение")
    assert "на дату" in preview and "2023-04" in preview and "details.as_of" not in preview
    preview = await say(harness, f"/edit {FACT_ID} claim-ru Не менее 1 486 политзаключённых. | x")
    assert "утверждение (русский)" in preview and "translations.ru.text" not in preview
    reply = await say(harness, f"/edit {FACT_ID} as-of июнь двадцать | x")
    assert "— не дата. Отправьте её как ГГГГ" in reply and "is not a date" not in reply
    await say(harness, "/cancel")
    export = await say(harness, "/export")
    today = fmt_datetime(datetime.now(UTC), translator("ru"))
    assert "экспорт" in export.lower() and today in export


async def test_admin_buttons_in_russian(harness: Harness) -> None:
    await say(harness, "/language ru")
    await say(harness, "/add")
    kinds = [b["text"] for row in last_with_buttons(harness).buttons for b in row]
    assert kinds == ["статистика", "санкция", "событие", "человек или организация", "заявление"]
    await press(harness, "статистика")
    await say(harness, "Не менее 1 600 политзаключённых в апреле 2023 года.")
    await say(harness, "1600")
    await say(harness, "political prisoners")
    qualifiers = [b["text"] for row in last_with_buttons(harness).buttons for b in row]
    assert "не менее" in qualifiers and "at least" not in qualifiers
    await say(harness, "/cancel")
    await say(harness, f"/edit {FACT_ID}")
    fields = [b["text"] for row in last_with_buttons(harness).buttons for b in row]
    assert "значение" in fields and "утверждение (русский)" in fields and "value" not in fields
    asked = "\n".join(c.text or "" for c in await press(harness, "значение"))
    assert "Сейчас: <code>1486</code>" in asked, asked
