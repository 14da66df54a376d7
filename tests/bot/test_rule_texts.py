"""The store's refusals, typed in facts/ and worded by the bot in the admin's language."""

from __future__ import annotations

import json
import re

from bot import rule_texts
from bot.i18n import translator
from facts import violations
from facts.errors import ERROR_TEXTS, ConflictError, ErrorReason, NotFoundError
from facts.violations import RULES, Reason, Violation
from tests.bot.admin_helpers import fact_json, say
from tests.bot.harness import Harness

#: A command named in a text: the bot's ("/edit") or the command line's ("factbot sources").
COMMAND = re.compile(r"(?<![\w.])/[a-z]+|\bfactbot [a-z]+")
VALUES = {
    "wording": "'thousands'",
    "value": "1,486",
    "plain": "1486",
    "qualifier": "'at least'",
    "word": "'at least'",
    "others": "'no fewer than', 'not less than'",
    "lang": "ru",
    "field": "as_of",
    "date": "2030",
    "published": "2023-05-12",
    "n": "0",
    "source": "'some-source'",
    "passage": "the closest words",
    "successor": "'newer'",
    "related": "'other'",
    "digest": "0123456789ab",
    "head": "'head'",
    "head_id": "head",
    "earlier": "'earlier'",
    "earlier_id": "earlier",
    "term": "'Canada'",
    "english": "Canada",
    "quote": "at least 1,400 political prisoners",
}


def test_every_reason_and_rule_is_worded_by_the_bot() -> None:
    assert set(rule_texts.REASONS) == set(Reason) == set(violations.REASONS)
    assert set(rule_texts.RULE_NAMES) == set(RULES)


def test_facts_words_its_reasons_without_naming_a_command() -> None:
    for reason, (problem, fix) in violations.REASONS.items():
        assert not COMMAND.search(problem) and not COMMAND.search(fix), reason


def test_in_english_the_bot_says_what_facts_says_and_names_the_command_that_fixes_it() -> None:
    en = translator("en")
    for reason in Reason:
        violation = Violation("fact", "some-fact", violations.RULE_CLAIM, reason, VALUES)
        said = rule_texts.violation_text(violation, en)
        head = f"{violation.record}: rule '{violation.rule}': {violation.problem}. Fix: "
        assert said.startswith(head), reason
        bot_fix = rule_texts.REASONS[reason][1]
        if COMMAND.search(bot_fix):
            assert COMMAND.search(said.removeprefix(head)), reason
        else:
            assert said == str(violation), reason


def test_a_refusal_is_translated_with_its_values() -> None:
    violation = Violation(
        "fact", "some-fact", violations.RULE_REFERENCES, Reason.UNKNOWN_RELATED, VALUES
    )
    said = rule_texts.violation_text(violation, translator("ru"))
    assert said.startswith("факт 'some-fact': правило «нет ссылок в никуда»")
    assert "related.0 'other' — неизвестный факт" in said and "/search" in said
    said = rule_texts.violation_text(violation, translator("be"))
    assert "невядомы факт" in said and "/search" in said


async def test_an_admin_reads_a_refusal_in_their_language(harness: Harness) -> None:
    await say(harness, "/language be")
    data = fact_json(related=["no-such-fact-anywhere"])
    reply = await say(harness, f"/addjson {json.dumps(data)} | test")
    assert "правіла «няма спасылак у нікуды»" in reply
    assert "related.0 'no-such-fact-anywhere' — невядомы факт" in reply
    await say(harness, "/language en")
    reply = await say(harness, f"/addjson {json.dumps(data)} | test")
    assert "rule 'no dangling references'" in reply and "(/search finds its id)" in reply


def test_every_error_reason_is_worded_by_the_bot_as_facts_words_it_in_english() -> None:
    assert set(rule_texts.ERROR_REASONS) == set(ErrorReason) == set(ERROR_TEXTS)
    en = translator("en")
    for reason in ErrorReason:
        names = re.findall(r"{(\w+)}", ERROR_TEXTS[reason])
        error = ConflictError(reason, **{name: f"<{name}>" for name in names})
        assert rule_texts.error_text(error, en) == str(error), reason


def test_an_error_without_a_reason_is_said_as_it_is() -> None:
    assert rule_texts.error_text(NotFoundError("no fact 'x'"), translator("ru")) == "no fact 'x'"


def test_an_error_is_translated_with_its_values() -> None:
    error = NotFoundError(ErrorReason.NO_REVISION, id="'some-fact'", revision=9, count=2)
    assert str(error) == "fact 'some-fact' has no revision 9 (it has 1 to 2)"
    said = rule_texts.error_text(error, translator("be"))
    assert said == "у факта 'some-fact' няма версіі 9 (ёсць з 1 па 2)"
