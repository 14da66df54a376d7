"""The rules about facts (facts/rules.py) checked against the whole base, or against a
write before it is made: :class:`StoreRules` is a part of :class:`facts.store.FactStore`
(its base class), reading the store's sources, facts, documents and supersession links."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from facts.documents import DocumentStore
from facts.errors import NotFoundError
from facts.model import Action, Fact, Source
from facts.quotes import normalise_quote
from facts.rules import (
    chain_problems,
    content_problems,
    date_problems,
    quote_problems,
    reference_problems,
    source_problems,
)
from facts.violations import RULE_CHAIN, Reason, RuleViolation, Violation, fact_violation


class StoreRules:
    """The rules checked by the store (see the module docstring)."""

    documents: DocumentStore
    _sources: dict[str, Source]
    _facts: dict[str, Fact]
    _ever_successors: dict[str, set[str]]
    _ever_predecessors: dict[str, set[str]]

    # --- the rules --------------------------------------------------------------------------
    def rule_problems(self) -> list[Violation]:
        """Every rule the whole base breaks (empty when it obeys them all)."""
        violations: list[Violation] = []
        for source in self._sources.values():
            violations += source_problems(source, self.documents.has)
        document_of = self._document_lookup({}, {})
        for fact in self._facts.values():
            violations += content_problems(fact, self._sources, document_of)
            violations += reference_problems(
                fact, self._sources.__contains__, self._facts.__contains__
            )
            violations += self._chain_violations(fact, self._facts.get, {})
        return violations

    def unchecked_sources(self) -> list[str]:
        """Ids of the sources without a document: their quotes cannot be checked."""
        return [s.id for s in self._sources.values() if s.document is None]

    def _document_lookup(
        self, sources: dict[str, Source], documents: dict[str, str]
    ) -> Callable[[str], str | None]:
        """Source id → its normalised document (``documents``: texts not yet stored)."""

        def document_of(source_id: str) -> str | None:
            source = sources.get(source_id) or self._sources.get(source_id)
            if source is None or source.document is None:
                return None
            if source.document in documents:
                return normalise_quote(documents[source.document])
            try:
                return self.documents.normalised(source.document)
            except NotFoundError:
                return None  # reported by the reference rule

        return document_of

    def _chain_violations(
        self,
        fact: Fact,
        get: Callable[[str], Fact | None],
        new_links: dict[str, set[str]],
    ) -> list[Violation]:
        """The chain rule for ``fact`` in the state ``get`` reads (``new_links``: successor
        links the write adds, by predecessor)."""
        successors = self._ever_successors.get(fact.id, set()) | new_links.get(fact.id, set())
        problems = chain_problems(fact, get, successors)
        if fact.is_current:
            # Brought back while a fact it once replaced is current again.
            seen = {fact.id}
            todo = list(self._predecessors(fact.id, new_links))
            while todo:
                earlier = todo.pop()
                if earlier in seen:
                    continue
                seen.add(earlier)
                found = get(earlier)
                if found is not None and found.is_current:
                    problems.append(
                        fact_violation(
                            fact.id,
                            RULE_CHAIN,
                            Reason.PREDECESSOR_CURRENT_AGAIN,
                            earlier=repr(earlier),
                            earlier_id=earlier,
                        )
                    )
                todo.extend(self._predecessors(earlier, new_links))
        return problems

    def predecessor(self, fact_id: str) -> Fact | None:
        """The fact ``fact_id`` now supersedes (the first by id, should several), or None."""
        ids = sorted(
            i
            for i in self._ever_predecessors.get(fact_id, ())
            if i in self._facts and self._facts[i].superseded_by == fact_id
        )
        return self._facts[ids[0]] if ids else None

    def _predecessors(self, fact_id: str, new_links: dict[str, set[str]]) -> set[str]:
        found = set(self._ever_predecessors.get(fact_id, ()))
        found.update(p for p, succ in new_links.items() if fact_id in succ)
        return found

    def _enforce(
        self,
        changes: Sequence[tuple[Action, Fact]],
        sources: Sequence[Source],
        *,
        documents: dict[str, str] | None = None,
    ) -> None:
        """RuleViolation unless every rule holds for what the write changes, against the
        base as it would be after it."""
        documents = documents or {}
        new_facts = {fact.id: fact for _, fact in changes}
        new_sources = {source.id: source for source in sources}

        def get(fact_id: str) -> Fact | None:
            return new_facts.get(fact_id) or self._facts.get(fact_id)

        def has_fact(fact_id: str) -> bool:
            return fact_id in new_facts or fact_id in self._facts

        def has_source(source_id: str) -> bool:
            return source_id in new_sources or source_id in self._sources

        all_sources = {**self._sources, **new_sources}
        document_of = self._document_lookup(new_sources, documents)
        violations: list[Violation] = []
        changed_sources: set[str] = set()
        for source in sources:
            stored_source = self._sources.get(source.id)
            if source.document is not None and source.document not in documents:
                violations += source_problems(source, self.documents.has)
            if stored_source is not None and stored_source != source:
                changed_sources.add(source.id)
        new_links = {
            f.id: {f.superseded_by} for f in new_facts.values() if f.superseded_by is not None
        }
        for fact in new_facts.values():
            stored = self._facts.get(fact.id)
            if stored is None or _content(stored) != _content(fact):
                violations += content_problems(fact, all_sources, document_of)
            violations += reference_problems(fact, has_source, has_fact)
            violations += self._chain_violations(fact, get, new_links)
        if changed_sources:
            # A source given a document: every fact citing it is checked against it.
            for fact in self._facts.values():
                if fact.id in new_facts or not any(
                    c.source in changed_sources for c in fact.citations
                ):
                    continue
                violations += date_problems(fact, all_sources)
                violations += quote_problems(fact, document_of)
        if violations:
            raise RuleViolation(violations)


def _content(fact: Fact) -> tuple[object, ...]:
    """What the content rules read of a fact (its rank and revision aside)."""
    return (fact.text, fact.details, fact.citations, fact.related, fact.translations)
