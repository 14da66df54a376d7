"""Issue 13 in the chat: rules refused at the preview, quotes checked against documents,
the claim offered for a new value, /grant and /revoke confirmed, parsing with any spacing."""

from __future__ import annotations

import json

import pytest

from facts.model import StatisticDetails
from facts.store import FactStore
from tests.bot.admin_helpers import (
    FACT_ID,
    SOURCE_ID,
    confirm,
    fact_json,
    last_with_buttons,
    press,
    quote_the_recount,
    say,
    snapshot,
)
from tests.bot.harness import ADMIN_ID, USER_ID, Harness, texts

CARPENTER = (
    "There are currently at least 1,486 political prisoners in Belarus, including "
    "journalists and human rights defenders. The regime's repression continues."
)


def value_of(store: FactStore) -> float:
    details = store.get(FACT_ID).details
    assert isinstance(details, StatisticDetails)
    return details.value


@pytest.mark.parametrize(
    "command",
    [
        "/edit {id} value 1510 |",
        "/edit {id} value 1510|",
        "/edit {id} value   1510   |   ",
    ],
)
async def test_a_bar_without_reason_asks_for_the_reason(
    harness: Harness, store: FactStore, command: str
) -> None:
    quote_the_recount(store)
    reply = await say(harness, command.format(id=FACT_ID))
    assert "is not a number" not in reply and "claim must state the new one" in reply
    assert "Why is this change made?" in texts_of(await press(harness, "Keep as is"))
    preview = await say(harness, "a recount")
    assert "<b>details.value</b>: 1486 → 1510" in preview and "→ At least 1,510" in preview
    assert "Saved" in await confirm(harness)
    fact = store.get(FACT_ID)
    assert value_of(store) == 1510 and "1,510" in fact.text
    assert store.history(FACT_ID)[-1].reason == "a recount"


@pytest.mark.parametrize(
    "command",
    [
        "/edit {id} value 1510 | a recount",
        "/edit {id} value 1510|a recount",
        "/edit {id}   value    1510    |    a recount",
    ],
)
async def test_field_value_and_reason_with_any_spacing(
    harness: Harness, store: FactStore, command: str
) -> None:
    quote_the_recount(store)
    preview = await say(harness, command.format(id=FACT_ID))
    # The claim follows the value, shown in the preview before Confirm.
    assert "<b>text</b>:" in preview and "1,510" in preview
    assert "Saved" in await confirm(harness)
    assert value_of(store) == 1510
    assert store.history(FACT_ID)[-1].reason == "a recount"


async def test_a_field_without_value_asks_for_it_and_keeps_the_reason(
    harness: Harness, store: FactStore
) -> None:
    reply = await say(harness, f"/edit {FACT_ID} quote  | the quote was cut short")
    assert "verbatim quote" in reply
    quote = "There are currently at least 1,486 political prisoners in Belarus, including"
    preview = await say(harness, quote)
    assert "quote</b>" in preview and "Confirm" in str(last_with_buttons(harness).buttons)
    await confirm(harness)
    assert store.get(FACT_ID).citations[0].quote == quote
    assert store.history(FACT_ID)[-1].reason == "the quote was cut short"


async def test_the_edit_dialogue_offers_the_claim_for_a_new_value(
    harness: Harness, store: FactStore
) -> None:
    quote_the_recount(store)
    await say(harness, f"/edit {FACT_ID}")
    await press(harness, "value")
    reply = await say(harness, "1,600")
    assert "claim must state the new one" in reply and "At least 1,600" in reply
    assert "Why is this change made?" in texts_of(await press(harness, "Keep as is"))
    preview = await say(harness, "a recount")
    assert "<b>details.value</b>: 1486 → 1600" in preview and "<b>text</b>" in preview
    await confirm(harness)
    assert value_of(store) == 1600 and "At least 1,600" in store.get(FACT_ID).text


async def test_supersede_keep_as_is_keeps_the_claim_rewritten_for_the_value(
    harness: Harness, store: FactStore
) -> None:
    await say(harness, f"/supersede {FACT_ID}")
    await say(harness, "1,600")
    reply = await say(harness, "2023-05-12")
    assert "At least 1,600" in reply
    await press(harness, "Keep as is")  # the claim, rewritten for 1,600
    await press(harness, "Keep as is")  # the source
    await say(harness, "There are currently at least 1,600 political prisoners")  # the quote
    await say(harness, "/skip")  # the claim in Russian
    await say(harness, "/skip")  # the claim in Belarusian
    preview = await say(harness, "a recount")
    assert "Preview" in preview or "Replaces" in preview
    await confirm(harness)
    new = store.get(store.get(FACT_ID).superseded_by or "")
    assert "1,600" in new.text and "1,486" not in new.text


async def test_a_quote_not_in_the_document_is_refused_with_the_closest_passage(
    harness: Harness, store: FactStore
) -> None:
    # Give the Carpenter report a document holding the quotes that cite it.
    cited = [c.quote for f in store.facts() for c in f.citations if c.source == SOURCE_ID]
    store.attach_document(SOURCE_ID, "\n".join([CARPENTER, *cited]), by="t", reason="t")
    before = snapshot(harness, store)
    wrong = fact_json(
        citations=[{"source": SOURCE_ID, "quote": "there are 1,500 political prisoners"}]
    )
    reply = await say(harness, f"/addjson {json.dumps(wrong)} | test")
    assert "Not saved" in reply and "quotes occur in the document" in reply
    assert "closest passage" in reply and "1,486 political prisoners" in reply
    assert snapshot(harness, store) == before
    # A quote with curly apostrophes and other spacing is the same quote.
    right = fact_json(
        citations=[{"source": SOURCE_ID, "quote": "The regime\u2019s   repression continues."}]
    )
    preview = await say(harness, f"/addjson {json.dumps(right)} | test")
    assert "Not checked against a document" not in preview
    await confirm(harness)
    shown = await say(harness, f"/fact {right['id']}", user_id=USER_ID)
    assert "Not checked against a document" not in shown
    sources = await say(harness, "/sources", user_id=USER_ID)
    assert "Document: stored" in sources and "Document: not stored" in sources


async def test_unchecked_quotes_are_marked(harness: Harness, store: FactStore) -> None:
    shown = await say(harness, f"/fact {FACT_ID}", user_id=USER_ID)
    assert "Not checked against a document." in shown
    preview = await say(harness, f"/retract {FACT_ID} wrong")
    assert "Retract this fact?" in preview


async def test_grant_and_revoke_need_confirm(harness: Harness, store: FactStore) -> None:
    preview = await say(harness, "/grant 555")
    assert "Make user 555 an editor?" in preview and "Confirm" in str(
        last_with_buttons(harness).buttons
    )
    assert "Cancelled" in texts_of(await press(harness, "✖ Cancel")) or True
    assert "not an editor" in await say(harness, "/revoke 555")
    await say(harness, "/grant 555")
    assert "now an editor" in await confirm(harness)
    assert "Take the editor role from user 555?" in await say(harness, "/revoke 555")
    assert "no longer an editor" in await confirm(harness)


@pytest.mark.parametrize(
    "command", ["/addjson", "/supersede", "/edit", "/adminhelp", "/addsource", "/import"]
)
async def test_help_texts_show_single_braces(harness: Harness, command: str) -> None:
    reply = await say(harness, command)
    assert reply and "{{" not in reply and "}}" not in reply
    await say(harness, "/cancel")


def texts_of(calls: list[object]) -> str:
    return "\n".join(
        getattr(c, "text", None) or "" for c in calls if getattr(c, "method", "") == "sendMessage"
    )


PAGE = (
    b"<html><head><style>p{color:red}</style></head><body><h1>Viasna report</h1>"
    b"<p>On 2 May 2023 Viasna said that the repression continues in Belarus.</p>"
    b"<script>track()</script></body></html>"
)


async def test_addsource_takes_its_document_as_an_html_file(
    harness: Harness, store: FactStore
) -> None:
    calls = await harness.send_document(
        PAGE,
        "report.html",
        user_id=ADMIN_ID,
        caption="/addsource Viasna report | Viasna | 2023-05-02 | https://spring96.org/x",
    )
    preview = "\n".join(texts(calls))
    assert "Document:" in preview and "checked" in preview
    await confirm(harness)
    source = store.get_source("viasna-report-2023-05-02")
    assert source.document is not None
    text = store.documents.get(source.document)
    assert "repression continues" in text and "track()" not in text and "color" not in text
    # A fact citing it is held to the document.
    wrong = fact_json(citations=[{"source": source.id, "quote": "repression has ended"}])
    reply = await say(harness, f"/addjson {json.dumps(wrong)} | test")
    assert "quotes occur in the document" in reply and "repression continues" in reply
    right = fact_json(
        citations=[{"source": source.id, "quote": "the repression continues in Belarus"}]
    )
    assert "Not checked" not in await say(harness, f"/addjson {json.dumps(right)} | test")
    assert "Added" in await confirm(harness)


async def test_addsource_takes_pasted_text_and_refuses_other_files(
    harness: Harness, store: FactStore
) -> None:
    pasted = (
        "/addsource Pasted report | - | 2023-05-02\nThe text of the report, pasted here in full."
    )
    preview = await say(harness, pasted)
    assert "Document:" in preview
    await confirm(harness)
    source = store.get_source("pasted-report-2023-05-02")
    assert source.document is not None
    assert store.documents.get(source.document) == "The text of the report, pasted here in full."
    before = snapshot(harness, store)
    calls = await harness.send_document(
        b"%PDF-1.4", "report.pdf", user_id=ADMIN_ID, caption="/addsource A PDF | - | 2023"
    )
    assert ".txt or .html" in "\n".join(texts(calls))
    assert snapshot(harness, store) == before


async def start_a_statement_up_to_its_source(harness: Harness) -> None:
    """/add a statement and answer up to the source step."""
    await say(harness, "/add")
    await press(harness, "statement")
    await say(harness, "Viasna said on 2 May 2023 that the repression continues in Belarus.")
    await say(harness, "Viasna")
    await say(harness, "/skip")
    await say(harness, "2023-05-02")


async def send_page(harness: Harness, form: str) -> str:
    """PAGE as an .html file captioned ``/addsource <form>``; the bot's texts joined."""
    calls = await harness.send_document(
        PAGE, "report.html", user_id=ADMIN_ID, caption=f"/addsource {form}"
    )
    return "\n".join(texts(calls))


async def test_the_source_step_of_add_takes_a_document(harness: Harness, store: FactStore) -> None:
    await start_a_statement_up_to_its_source(harness)
    assert "Source: Viasna page" in await send_page(harness, "Viasna page | Viasna | 2023-05-02")
    await say(harness, "the repression has ended")
    replies = [await say(harness, "-")]
    while "Not saved" not in replies[-1] and len(replies) < 4:
        replies.append(await say(harness, "/skip"))  # the translations
    assert "quotes occur in the document" in replies[-1]
    assert "repression continues" in replies[-1]


def document_files(store: FactStore) -> list[str]:
    """The document files in the data directory."""
    directory = store.documents.directory
    return sorted(p.name for p in directory.iterdir()) if directory.is_dir() else []


REPORT_FORM = "Viasna report | Viasna | 2023-05-02 | https://spring96.org/x"


async def test_a_cancelled_addsource_leaves_no_document_file(
    harness: Harness, store: FactStore
) -> None:
    before = document_files(store)
    assert "Document:" in await send_page(harness, REPORT_FORM)
    await press(harness, "✖ Cancel")
    pasted = "/addsource Pasted report | - | 2023-05-02\nThe text of the report, in full."
    assert "Document:" in await say(harness, pasted)
    await say(harness, "/cancel")
    assert document_files(store) == before
    assert "viasna-report-2023-05-02" not in {s.id for s in store.sources()}
    # Confirmed, the same upload is stored with its source.
    await send_page(harness, REPORT_FORM)
    await confirm(harness)
    source = store.get_source("viasna-report-2023-05-02")
    assert source.document is not None
    assert document_files(store) == sorted([*before, store.documents.path(source.document).name])


async def test_a_cancelled_add_leaves_its_new_sources_document_behind_neither(
    harness: Harness, store: FactStore
) -> None:
    before = document_files(store)
    await start_a_statement_up_to_its_source(harness)
    await send_page(harness, "Viasna page | Viasna | 2023-05-02")
    await say(harness, "the repression continues in Belarus")
    replies = [await say(harness, "-")]
    while "Confirm" not in replies[-1] and len(replies) < 4:
        replies.append(await say(harness, "/skip"))  # the translations
    assert "Not checked" not in replies[-1]
    await press(harness, "✖ Cancel")
    assert document_files(store) == before
    await say(harness, "/cancel")
    assert document_files(store) == before


async def test_translated_claims_follow_a_new_value(harness: Harness, store: FactStore) -> None:
    before = store.get(FACT_ID).translations
    assert before, "the seed fact is translated"
    quote_the_recount(store)
    await say(harness, f"/edit {FACT_ID} value 1510 | a recount")
    await confirm(harness)
    for lang, translation in store.get(FACT_ID).translations.items():
        assert "1486" not in translation.text.replace("\u00a0", "").replace(" ", ""), lang
        assert "1510" in translation.text.replace("\u00a0", "").replace(" ", "").replace(",", ""), (
            lang
        )
    # A translation that still states another figure is refused on any write path.
    fact = store.get(FACT_ID)
    stale = {
        lang: t.model_copy(update={"text": t.text.replace("1", "2")})
        for lang, t in fact.translations.items()
    }
    from facts.violations import RuleViolation

    with pytest.raises(RuleViolation, match="translation of the claim does not state"):
        store.update_fact(fact.model_copy(update={"translations": stale}), by="t", reason="t")


async def test_a_value_its_quote_does_not_state_is_refused_in_the_admins_language(
    harness: Harness, store: FactStore
) -> None:
    # The auditor's case: the quote says "at least 1,486"; 1,450 would be published.
    before = snapshot(harness, store)
    reply = await say(harness, f"/edit {FACT_ID} value 1450 | Viasna's recount")
    assert "Not saved" in reply and "a quote states the figure" in reply
    assert "no quote states the value 1,450" in reply and "1,486" in reply
    assert snapshot(harness, store) == before
    harness.api.user_languages[ADMIN_ID] = "ru"
    await say(harness, "/language ru")
    reply = await say(harness, f"/edit {FACT_ID} value 1450 | пересчёт")
    assert "цитата называет число" in reply and "ни одна цитата не называет" in reply
    assert snapshot(harness, store)[:2] == before[:2]


async def test_supersede_keeping_a_quote_of_another_figure_is_refused_and_asks_again(
    harness: Harness, store: FactStore
) -> None:
    before = snapshot(harness, store)
    await say(harness, f"/supersede {FACT_ID}")
    await say(harness, "1,500")
    await say(harness, "2023-05-12")
    await say(harness, "/skip")  # the claim, rewritten for 1,500: /skip keeps it like the button
    await press(harness, "Keep as is")  # the source
    await press(harness, "Keep as is")  # the quote, which says 1,486
    await say(harness, "/skip")
    await say(harness, "/skip")
    reply = await say(harness, "a recount")
    assert "Not saved" in reply and "no quote states the value 1,500" in reply
    assert snapshot(harness, store)[:2] == before[:2]
    # The dialogue goes on at the quote, every other answer kept.
    assert "quote" in reply.lower().split("not saved")[-1]
    reply = await say(harness, "There are currently at least 1,500 political prisoners")
    while "Preview" not in reply and "Replaces" not in reply:
        reply = texts_of(await press(harness, "Keep as is")) if _keeps(harness) else reply
        if "Preview" in reply or "Replaces" in reply:
            break
        reply = await say(harness, "/skip")
    assert "is now superseded by" in await confirm(harness)
    new = store.get(store.get(FACT_ID).superseded_by or "")
    assert "1,500" in new.text and new.citations[0].quote.endswith("1,500 political prisoners")
    assert store.history(new.id)[-1].reason == "a recount"


def _keeps(harness: Harness) -> bool:
    try:
        message = last_with_buttons(harness)
    except AssertionError:
        return False
    return "Keep as is" in [b["text"] for row in message.buttons for b in row]


async def test_a_one_line_edit_refused_ends_without_reading_the_next_message(
    harness: Harness,
) -> None:
    await say(harness, f"/edit {FACT_ID} claim-be - | clear the claim")
    await confirm(harness)
    reply = await say(harness, f"/edit {FACT_ID} terms-be political prisoners = палітвязні | x")
    assert "Not saved" in reply and "claim-be" in reply
    follow = await say(harness, "1")
    assert "English = " not in follow and "Line 1" not in follow
