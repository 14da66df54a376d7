"""The admin store: editors with their change log, unanswered questions, review drafts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from facts.admin_store import (
    MAX_QUESTION_LENGTH,
    AdminStore,
    Draft,
    DraftAction,
    DraftOutcome,
    RoleAction,
    question_key,
)
from facts.errors import ConflictError, NotFoundError, StoreLocked
from tests.facts.conftest import make_fact

OWNER = 1
ALICE = 100
BOB = 200


@pytest.fixture
def admin(tmp_path: Path) -> Iterator[AdminStore]:
    opened = AdminStore.open(tmp_path)
    yield opened
    opened.close()


def test_grant_and_revoke_are_logged_and_durable(tmp_path: Path) -> None:
    admin = AdminStore.open(tmp_path)
    editor = admin.grant(ALICE, by=OWNER)
    assert editor.granted_by == OWNER and admin.is_editor(ALICE)
    admin.grant(BOB, by=OWNER)
    admin.revoke(ALICE, by=OWNER)
    # No close: every role change is durable when it returns.
    admin.records._release()
    with AdminStore.open(tmp_path) as again:
        assert [e.user_id for e in again.editors()] == [BOB]
        log = again.role_log()
        assert [(c.action, c.user_id, c.by) for c in log] == [
            (RoleAction.REVOKED, ALICE, OWNER),
            (RoleAction.GRANTED, BOB, OWNER),
            (RoleAction.GRANTED, ALICE, OWNER),
        ]
        assert all(c.at.tzinfo is not None for c in log)


def test_granting_twice_or_revoking_a_stranger_is_refused(admin: AdminStore) -> None:
    admin.grant(ALICE, by=OWNER)
    with pytest.raises(ConflictError, match="already an editor"):
        admin.grant(ALICE, by=OWNER)
    with pytest.raises(NotFoundError, match="not an editor"):
        admin.revoke(BOB, by=OWNER)
    assert len(admin.role_log()) == 1


def test_unanswered_questions_counted_by_normalised_text(admin: AdminStore) -> None:
    for text in ["Where is Ales?", "where   is ales?", "Who pays?", "WHERE IS ALES?"]:
        admin.record_unanswered(text)
    top = admin.unanswered()
    assert [(q.text, q.count) for q in top] == [("Where is Ales?", 3), ("Who pays?", 1)]
    assert top[0].key == question_key("where is ales?")


def test_unanswered_counts_are_buffered_then_written(tmp_path: Path) -> None:
    admin = AdminStore.open(tmp_path)
    admin.flush_every = 3
    for _ in range(4):
        admin.record_unanswered("Where is Ales?")
    admin.records._release()  # a crash: the fourth count was still buffered
    with AdminStore.open(tmp_path) as again:
        assert again.unanswered()[0].count == 3


def test_unanswered_text_is_cut_and_blank_ignored(admin: AdminStore) -> None:
    admin.record_unanswered("   ")
    admin.record_unanswered("x" * 5000)
    (entry,) = admin.unanswered()
    assert len(entry.text) == MAX_QUESTION_LENGTH


def test_a_post_is_never_kept_as_an_unanswered_question(admin: AdminStore) -> None:
    admin.record_unanswered(
        "Lukashenko won 80 percent of the vote in a free and fair election. Nobody was "
        "detained after the election. Why is nobody talking about this?"
    )
    admin.record_unanswered("В Беларуси нет политзаключённых. Китай осудил выборы.")
    admin.record_unanswered("I read that Lukashenko won. Is that true?")
    assert [q.text for q in admin.unanswered()] == ["I read that Lukashenko won. Is that true?"]


def test_dismiss_removes_one_question(admin: AdminStore) -> None:
    admin.record_unanswered("a question")
    admin.record_unanswered("another one")
    key = question_key("a question")
    assert admin.dismiss_unanswered(key).text == "a question"
    assert [q.text for q in admin.unanswered()] == ["another one"]
    with pytest.raises(NotFoundError):
        admin.dismiss_unanswered(key)


def test_only_the_most_asked_questions_are_kept(
    admin: AdminStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("facts.admin_store.MAX_UNANSWERED", 3)
    for text, times in [("a", 5), ("b", 1), ("c", 4), ("d", 2)]:
        for _ in range(times):
            admin.record_unanswered(f"question {text}")
    assert [q.text for q in admin.unanswered()] == ["question a", "question c", "question d"]


def test_drafts_wait_and_decisions_are_logged(tmp_path: Path) -> None:
    draft = Draft(
        id="d1",
        action=DraftAction.EDIT,
        fact_id="protest-minsk",
        fact=make_fact("protest-minsk", text="Edited."),
        base_revision=1,
        reason="typo",
        by=ALICE,
        at=datetime.now(UTC),
    )
    with AdminStore.open(tmp_path) as admin:
        admin.add_draft(draft)
        with pytest.raises(ConflictError):
            admin.add_draft(draft)
    with AdminStore.open(tmp_path) as admin:
        assert admin.get_draft("d1") == draft
        decision = admin.decide_draft("d1", DraftOutcome.APPROVED, by=BOB)
        assert decision.draft == draft and decision.by == BOB
        assert admin.drafts() == []
        with pytest.raises(NotFoundError):
            admin.decide_draft("d1", DraftOutcome.REJECTED, by=BOB)
    with AdminStore.open(tmp_path) as admin:
        assert [d.outcome for d in admin.draft_log()] == [DraftOutcome.APPROVED]


def test_one_process_at_a_time(admin: AdminStore, tmp_path: Path) -> None:
    with pytest.raises(StoreLocked):
        AdminStore.open(tmp_path)
    admin.close()
    admin.close()  # idempotent
    AdminStore.open(tmp_path).close()
