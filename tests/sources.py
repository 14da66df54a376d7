"""Source documents for tests, written by the tests: every quote a bundle cites, in a small
document of its source, so that quote checks and ``sources attach`` run without the shared
documents.

The real documents (``shared/sources`` beside the repository, not shipped with it) are
found by :func:`shared_sources` for the one check that is about them: that the shipped
seed's quotes are verbatim in what they cite.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from facts.model import Bundle

REPO = Path(__file__).resolve().parents[1]


def write_documents(bundle: Bundle, directory: Path) -> Path:
    """Write one document per source of ``bundle`` into ``directory`` (its ``file`` name),
    holding every quote cited from it between sentences of the test's own. Each quote is
    written as a document may hold it: broken over two lines, with typographic
    apostrophes and quotation marks (what the quote check must see past)."""
    quotes: defaultdict[str, list[str]] = defaultdict(list)
    for fact in bundle.facts:
        for citation in fact.citations:
            quotes[citation.source].append(citation.quote)
    directory.mkdir(parents=True, exist_ok=True)
    for source in bundle.sources:
        paragraphs = [source.title, "A document written by the test for its quotes."]
        for n, quote in enumerate(dict.fromkeys(quotes[source.id])):
            typeset = quote.replace("'", "\u2019").replace('"', "\u201c").replace(" ", "\n", 1)
            paragraphs.append(f"Passage {n}. {typeset} That is the passage.")
        (directory / source.file).write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return directory


def shared_sources() -> Path | None:
    """The shared source documents (``shared/sources`` in a directory above the
    repository, as beside the main checkout or its worktrees), or None."""
    for parent in REPO.parents:
        candidate = parent / "shared" / "sources"
        if candidate.is_dir():
            return candidate
    return None
