"""Quotes checked against document files in a directory (``factbot facts check --sources``)."""

from __future__ import annotations

from pathlib import Path

from facts.model import Bundle
from facts.quotes import normalise_quote, quote_in


def quote_problems(bundle: Bundle, sources_dir: Path) -> list[str]:
    """Citations whose quote is not verbatim in the cited document (or whose file is missing)."""
    documents: dict[str, str] = {}
    problems: list[str] = []
    for source in bundle.sources:
        path = sources_dir / source.file
        # The model refuses paths out of the directory; this keeps even a hand-edited base
        # (or a symbolic link) from reading anything outside it.
        inside = sources_dir.resolve() in path.resolve().parents
        if inside and path.is_file():
            documents[source.id] = normalise_quote(path.read_text(encoding="utf-8"))
        else:
            problems.append(f"source {source.id!r}: file {source.file!r} is not in {sources_dir}")
    for fact in bundle.facts:
        for n, citation in enumerate(fact.citations):
            document = documents.get(citation.source)
            if document is not None and not quote_in(citation.quote, document):
                problems.append(
                    f"fact {fact.id!r}: citations.{n}.quote is not verbatim in {citation.source!r}"
                )
    return problems
