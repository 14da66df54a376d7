"""Checks of a whole base beyond the schema: quotes verbatim in their documents."""

from __future__ import annotations

import re
from pathlib import Path

from facts.model import Bundle


def normalise_space(text: str) -> str:
    """Collapse runs of white space: the only liberty a checker may take with a quote."""
    return re.sub(r"\s+", " ", text).strip()


def quote_problems(bundle: Bundle, sources_dir: Path) -> list[str]:
    """Citations whose quote is not verbatim in the cited document (or whose file is missing)."""
    documents: dict[str, str] = {}
    problems: list[str] = []
    for source in bundle.sources:
        path = sources_dir / source.file
        if path.is_file():
            documents[source.id] = normalise_space(path.read_text(encoding="utf-8"))
        else:
            problems.append(f"source {source.id!r}: file {source.file!r} is not in {sources_dir}")
    for fact in bundle.facts:
        for n, citation in enumerate(fact.citations):
            document = documents.get(citation.source)
            if document is not None and normalise_space(citation.quote) not in document:
                problems.append(
                    f"fact {fact.id!r}: citations.{n}.quote is not verbatim in {citation.source!r}"
                )
    return problems
