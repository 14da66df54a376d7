"""/import: a JSON file downloaded through the Bot API, checked whole, applied on Confirm."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot import admin_texts as at
from bot.handlers import admin_import
from facts.bundle import dump_bundle
from facts.model import Action, Status
from facts.store import FactStore
from tests.bot.admin_helpers import FACT_ID, confirm, fact_json, say, snapshot
from tests.bot.harness import ADMIN_ID, Harness, texts


def _export(store: FactStore) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(dump_bundle(store.export_bundle()))
    return data


async def _send(harness: Harness, data: bytes, name: str = "facts.json", **kw: Any) -> str:
    calls = await harness.send_document(data, name, user_id=ADMIN_ID, **kw)
    return "\n\n".join(texts(calls))


async def test_an_import_with_errors_is_rejected_whole(harness: Harness, store: FactStore) -> None:
    bundle = _export(store)
    bundle["facts"].append(fact_json("good-new-fact-2024"))
    bad_date = fact_json("bad-date-fact", details={"kind": "event", "date": {"date": "2024-13"}})
    bundle["facts"].append(bad_date)
    bundle["facts"].append(fact_json("no-quote-fact", citations=[{"source": "x", "quote": ""}]))
    before = snapshot(harness, store)
    assert "Send the JSON file" in await say(harness, "/import")
    reply = await _send(harness, json.dumps(bundle).encode())
    assert "Import rejected — nothing was changed" in reply
    assert "fact 'bad-date-fact': details.event.date.date" in reply
    assert "'2024-13' is not a real date" in reply
    assert "no-quote-fact" in reply and "citations.0.quote" in reply
    assert snapshot(harness, store) == before
    assert "good-new-fact-2024" not in store


async def test_an_import_that_refers_to_nothing_is_rejected(
    harness: Harness, store: FactStore
) -> None:
    bundle = {"sources": [], "facts": [fact_json("orphan-fact")]}
    await say(harness, "/import")
    reply = await _send(harness, json.dumps(bundle).encode())
    assert "is not a known source" in reply and "orphan-fact" not in store


async def test_a_good_import_is_summarised_then_applied(harness: Harness, store: FactStore) -> None:
    bundle = _export(store)
    for fact in bundle["facts"]:
        if fact["id"] == FACT_ID:
            fact["text"] = fact["text"] + " (checked)"
    bundle["facts"].append(fact_json("imported-event-2024-06"))
    before = snapshot(harness, store)
    await say(harness, "/import")
    summary = await _send(harness, json.dumps(bundle).encode(), "base.json")
    assert "add 1 fact(s): <code>imported-event-2024-06</code>" in summary
    assert f"change 1: <code>{FACT_ID}</code>" in summary
    assert snapshot(harness, store) == before
    assert "Imported: 1 added, 1 changed" in await confirm(harness)
    assert store.get("imported-event-2024-06").is_current
    last = store.history(FACT_ID)[-1]
    assert (last.action, last.by, last.reason) == (
        Action.IMPORTED,
        f"tg:{ADMIN_ID}",
        "import of base.json",
    )
    # The same file again: nothing new.
    await say(harness, "/import")
    assert "holds nothing new" in await _send(harness, json.dumps(bundle).encode(), "base.json")


async def test_a_file_captioned_import_needs_no_command_first(
    harness: Harness, store: FactStore
) -> None:
    bundle = _export(store)
    for fact in bundle["facts"]:
        if fact["id"] == FACT_ID:
            fact["status"] = Status.SUPERSEDED.value
            fact["superseded_by"] = "imported-successor"
    bundle["facts"].append(fact_json("imported-successor"))
    summary = await _send(harness, json.dumps(bundle).encode(), caption="/import the May update")
    assert "supersede 1" in summary
    await confirm(harness)
    assert store.get(FACT_ID).status is Status.SUPERSEDED
    assert store.history(FACT_ID)[-1].reason == "the May update"


async def test_bad_files_are_refused_with_a_reason(
    harness: Harness, store: FactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(harness, store)
    await say(harness, "/import")
    assert at.IMPORT_NEED_DOCUMENT in await say(harness, "here it comes")
    reply = await _send(harness, b"%PDF-1.4", "facts.pdf")
    assert "is not a JSON file" in reply
    await say(harness, "/import")
    assert "not valid JSON" in await _send(harness, b'{"sources": [', "broken.json")
    await say(harness, "/import")
    reply = await _send(harness, b'{"facts": [], "extra": 1}', "shape.json")
    assert "missing top-level key" in reply and "unknown top-level key" in reply
    monkeypatch.setattr(admin_import, "MAX_IMPORT_BYTES", 1000)
    await say(harness, "/import")
    assert "the limit is" in await _send(harness, b" " * 2000 + b"{}", "big.json")
    await say(harness, "/import")
    assert "Cancelled" in await say(harness, "/cancel")
    assert snapshot(harness, store) == before


def test_file_urls_never_point_a_custom_server_token_at_telegram() -> None:
    class FakeBot:
        base_url = "http://127.0.0.1:9/bot123:abc"
        base_file_url = "https://api.telegram.org/file/bot123:abc"

    url = admin_import.file_url(
        FakeBot(), "https://api.telegram.org/file/bot123:abc/documents/f.json"
    )  # type: ignore[arg-type]
    assert url == "http://127.0.0.1:9/file/bot123:abc/documents/f.json"

    class RealTelegram:
        base_url = "https://api.telegram.org/bot123:abc"
        base_file_url = "https://api.telegram.org/file/bot123:abc"

    same = "https://api.telegram.org/file/bot123:abc/documents/f.json"
    assert admin_import.file_url(RealTelegram(), same) == same  # type: ignore[arg-type]
