"""Random sequences of admin operations on the real store: the rules hold after every
step, a refused operation changes nothing, export → import is lossless, reopening the
data directory and replaying the operations give the same base (hypothesis state machine).

Operations: add, edit, supersede, retract, revert, import, drafts approved (through
``facts.changes.apply_change``, the bot's path) and rejected, backup and restore. Their
arguments are drawn so that many break a rule (a claim without its value, a date after
the source, a quote not in the document, a dangling reference, a revert that would bring
back a replaced fact): the store must refuse exactly those.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from facts.admin_store import AdminStore, Draft, DraftAction, DraftOutcome
from facts.backup import write_backup
from facts.bundle import dump_bundle, parse_bundle_json
from facts.changes import apply_change
from facts.errors import FactsError
from facts.model import Bundle, Citation, Fact, StatisticDetails, Status, When
from facts.restore import restore
from facts.store import FactStore
from tests.facts.conftest import make_fact, make_source

CHECKED = "checked-source-2023"
UNCHECKED = "unchecked-source-2020"
QUOTES = [
    "At least 1,486 political prisoners were held",
    "the authorities detained thousands of people",
    "the count rose to more than 1,500",
]
DOCUMENT = "Report. " + ". ".join(QUOTES) + ". The report ends here."
WHO = {"by": "prop", "reason": "property test"}
IDS = ["fa", "fb", "fc", "fd", "fe", "ff"]

quotes = st.sampled_from([*QUOTES, "a quote that is in no document at all"])
dates = st.sampled_from(["2019", "2020-05", "2022-12-31", "2023-06", "2024-01-15"])
values = st.sampled_from([7, 1486, 1500, 2000])
claims = st.sampled_from(["states", "no value", "no qualifier"])
sources = st.sampled_from([CHECKED, UNCHECKED])


def seed() -> tuple[Bundle, str]:
    """Two sources (one with its document) and two facts."""
    checked = make_source(CHECKED, published={"date": "2023-05-12"})
    unchecked = make_source(UNCHECKED, published={"date": "2022-12-31"})
    facts = [
        statistic("fa", 1486, "states", "2023-05", CHECKED, QUOTES[0]),
        statistic("fb", 7, "states", "2020-05", UNCHECKED, "anything at all"),
    ]
    return Bundle(sources=[checked, unchecked], facts=facts), DOCUMENT


def claim_for(value: int, how: str) -> str:
    if how == "no value":
        return "At least some political prisoners were held."
    if how == "no qualifier":
        return f"{value:,} political prisoners were held."
    return f"At least {value:,} political prisoners were held."


def statistic(
    fact_id: str, value: int, how: str, date: str, source: str, quote: str, **extra: Any
) -> Fact:
    fact = make_fact(fact_id, "statistic", value=value, date=date, text=claim_for(value, how))
    return fact.model_copy(update={"citations": [Citation(source=source, quote=quote)], **extra})


def comparable(bundle: Bundle) -> str:
    """A bundle as text, revision numbers aside (an import starts its own history)."""
    facts = sorted((f.model_copy(update={"revision": 1}) for f in bundle.facts), key=lambda f: f.id)
    return dump_bundle(Bundle(sources=bundle.sources, facts=facts, documents=bundle.documents))


class AdminOperations(RuleBasedStateMachine):
    """The admin's writes, in any order, on one data directory."""

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="factbot-prop-"))
        self.data_dir = self.root / "data"
        bundle, document = seed()
        self.store = FactStore.open(self.data_dir, seed=bundle)
        self.store.attach_document(CHECKED, document, **WHO)
        self.admin = AdminStore.open(self.data_dir)
        #: The operations that were written, to replay on a fresh store.
        self.applied: list[Callable[[FactStore], object]] = [
            lambda s: s.attach_document(CHECKED, document, **WHO)
        ]
        #: Backups taken: path, the base then, and the operations written until then.
        self.backups: list[tuple[Path, str, list[Callable[[FactStore], object]]]] = []
        self.drafts: list[str] = []
        self.refused = 0

    def teardown(self) -> None:
        try:
            self._check_replay()
        finally:
            self.store.close()
            self.admin.close()
            shutil.rmtree(self.root, ignore_errors=True)

    # --- doing and refusing ---------------------------------------------------------------
    def attempt(self, operation: Callable[[FactStore], object]) -> bool:
        """Run one write; a refusal must leave the base exactly as it was."""
        before = dump_bundle(self.store.export_bundle())
        version = self.store.version
        try:
            operation(self.store)
        except FactsError:
            self.refused += 1
            assert self.store.version == version
            assert dump_bundle(self.store.export_bundle()) == before
            return False
        self.applied.append(operation)
        return True

    def ids(self) -> list[str]:
        return sorted(f.id for f in self.store.export_bundle().facts)

    # --- the operations -------------------------------------------------------------------
    @rule(
        fact_id=st.sampled_from(IDS),
        value=values,
        how=claims,
        date=dates,
        source=sources,
        quote=quotes,
        dangling=st.booleans(),
    )
    def add(
        self,
        fact_id: str,
        value: int,
        how: str,
        date: str,
        source: str,
        quote: str,
        dangling: bool,
    ) -> None:
        related = ["nobody"] if dangling else []
        fact = statistic(fact_id, value, how, date, source, quote, related=related)
        self.attempt(lambda s: s.add_fact(fact, **WHO))

    @rule(data=st.data(), value=values, how=claims, date=dates, quote=quotes)
    def edit(self, data: st.DataObject, value: int, how: str, date: str, quote: str) -> None:
        fact = self.store.get(data.draw(st.sampled_from(self.ids())))
        assert isinstance(fact.details, StatisticDetails)
        details = fact.details.model_copy(update={"value": value, "as_of": When(date=date)})
        citation = fact.citations[0].model_copy(update={"quote": quote})
        changed = fact.model_copy(
            update={"text": claim_for(value, how), "details": details, "citations": [citation]}
        )
        self.attempt(lambda s: s.update_fact(changed, **WHO))

    @rule(data=st.data(), new_id=st.sampled_from(IDS), value=values, how=claims, date=dates)
    def supersede(self, data: st.DataObject, new_id: str, value: int, how: str, date: str) -> None:
        old_id = data.draw(st.sampled_from(self.ids()))
        old = self.store.get(old_id)
        new = statistic(new_id, value, how, date, old.citations[0].source, old.citations[0].quote)
        self.attempt(lambda s: s.supersede(old_id, new, **WHO))

    @rule(data=st.data())
    def retract(self, data: st.DataObject) -> None:
        fact_id = data.draw(st.sampled_from(self.ids()))
        self.attempt(lambda s: s.retract(fact_id, **WHO))

    @rule(data=st.data())
    def revert(self, data: st.DataObject) -> None:
        fact_id = data.draw(st.sampled_from(self.ids()))
        revision = data.draw(st.integers(1, len(self.store.history(fact_id))))
        self.attempt(lambda s: s.revert(fact_id, revision, **WHO))

    @rule(data=st.data(), status=st.sampled_from(list(Status)), how=claims)
    def import_changed(self, data: st.DataObject, status: Status, how: str) -> None:
        """Import the base with one fact changed: its rank set by hand, or its claim."""
        bundle = self.store.export_bundle()
        fact_id = data.draw(st.sampled_from(self.ids()))
        facts = []
        for fact in bundle.facts:
            if fact.id == fact_id:
                assert isinstance(fact.details, StatisticDetails)
                update: dict[str, Any] = {"text": claim_for(int(fact.details.value), how)}
                if status is Status.CURRENT:
                    update |= {"status": status, "superseded_by": None, "retraction_reason": None}
                elif status is Status.RETRACTED:
                    update |= {"status": status, "superseded_by": None, "retraction_reason": "x"}
                fact = fact.model_copy(update=update)
            facts.append(fact)
        changed = Bundle(sources=bundle.sources, facts=facts, documents=bundle.documents)
        self.attempt(lambda s: s.import_bundle(changed, **WHO))

    @rule(data=st.data(), value=values, how=claims, approve=st.booleans())
    def draft(self, data: st.DataObject, value: int, how: str, approve: bool) -> None:
        """An editor's draft edit, approved through facts.changes.apply_change or rejected."""
        fact = self.store.get(data.draw(st.sampled_from(self.ids())))
        assert isinstance(fact.details, StatisticDetails)
        changed = fact.model_copy(
            update={
                "text": claim_for(value, how),
                "details": fact.details.model_copy(update={"value": value}),
            }
        )
        draft = self.admin.add_draft(
            Draft(
                id=f"d{len(self.drafts):07d}",
                action=DraftAction.EDIT,
                fact_id=fact.id,
                fact=changed,
                base_revision=fact.revision,
                reason="draft",
                by=7,
                at=datetime.now(UTC),
            )
        )
        self.drafts.append(draft.id)
        if not approve:
            self.admin.decide_draft(draft.id, DraftOutcome.REJECTED, by=1)
            return
        if self.attempt(lambda s: apply_change(s, draft, by="tg:1")):
            self.admin.decide_draft(draft.id, DraftOutcome.APPROVED, by=1)

    @rule()
    def backup(self) -> None:
        path = self.root / f"backup-{len(self.backups)}.json"
        write_backup(self.store, path, admin=self.admin)
        self.backups.append((path, comparable(self.store.export_bundle()), list(self.applied)))

    @precondition(lambda self: bool(self.backups))
    @rule(data=st.data())
    def restore_backup(self, data: st.DataObject) -> None:
        path, base, applied = data.draw(st.sampled_from(self.backups))
        self.store.close()
        self.admin.close()
        restore(self.data_dir, path)
        self.store = FactStore.open(self.data_dir)
        self.admin = AdminStore.open(self.data_dir)
        assert comparable(self.store.export_bundle()) == base
        self.applied = list(applied)

    # --- what must hold after every step ----------------------------------------------------
    @invariant()
    def rules_hold(self) -> None:
        assert self.store.rule_problems() == []
        # The same rules, worked out here independently of facts/rules.py.
        facts = {f.id: f for f in self.store.export_bundle().facts}
        published = {CHECKED: "2023-05-12", UNCHECKED: "2022-12-31"}
        parent = {fact_id: fact_id for fact_id in facts}

        def root(fact_id: str) -> str:
            while parent[fact_id] != fact_id:
                fact_id = parent[fact_id]
            return fact_id

        for fact in facts.values():
            details = fact.details
            assert isinstance(details, StatisticDetails)
            assert f"{int(details.value):,}" in fact.text and "At least" in fact.text
            assert details.as_of.start().isoformat() <= published[fact.citations[0].source]
            if fact.citations[0].source == CHECKED:
                assert fact.citations[0].quote in QUOTES
            assert all(r in facts for r in fact.related)
            assert fact.superseded_by is None or fact.superseded_by in facts
            # A chain: facts linked by superseded_by in any revision, ever.
            for revision in self.store.history(fact.id):
                successor = revision.fact.superseded_by
                if successor is not None and successor in facts:
                    parent[root(fact.id)] = root(successor)
        current_per_chain: dict[str, int] = {}
        for fact in facts.values():
            if fact.is_current:
                current_per_chain[root(fact.id)] = current_per_chain.get(root(fact.id), 0) + 1
        assert all(count == 1 for count in current_per_chain.values()), current_per_chain

    @invariant()
    def export_import_is_lossless(self) -> None:
        exported = dump_bundle(self.store.export_bundle())
        bundle = parse_bundle_json(exported)
        with FactStore.open(self.root / f"import-{self.refused}-{len(self.applied)}") as other:
            other.import_bundle(bundle, **WHO)
            assert comparable(other.export_bundle()) == comparable(bundle)
            assert other.rule_problems() == []
        shutil.rmtree(self.root / f"import-{self.refused}-{len(self.applied)}")

    def _check_replay(self) -> None:
        """The data directory reopened, and the operations replayed on a fresh store from
        the same seed, hold the same base with the same history."""
        exported = dump_bundle(self.store.export_bundle())
        histories = {
            f.id: [(r.action, r.revision, r.fact) for r in self.store.history(f.id)]
            for f in self.store.export_bundle().facts
        }
        self.store.close()
        self.store = FactStore.open(self.data_dir)
        assert dump_bundle(self.store.export_bundle()) == exported
        bundle, _ = seed()
        with FactStore.open(self.root / "replay", seed=bundle) as fresh:
            for operation in self.applied:
                operation(fresh)
            assert dump_bundle(fresh.export_bundle()) == exported
            replayed = {
                f.id: [(r.action, r.revision, r.fact) for r in fresh.history(f.id)]
                for f in fresh.export_bundle().facts
            }
        if not any(True for _ in self.backups):
            assert replayed == histories
        else:
            # A restore starts from the backup's history; the base itself must match.
            assert replayed.keys() == histories.keys()


AdminOperations.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestAdminOperations = AdminOperations.TestCase
