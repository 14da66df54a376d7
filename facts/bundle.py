"""Reading and validating bundles (the export/import format) with errors that name the record."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from facts.errors import ValidationFailed
from facts.model import Bundle, Fact, Source, bundle_problems


def _where(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(record)"


def _record_problems(kind: str, model: type[Fact] | type[Source], records: Any) -> list[str]:
    problems: list[str] = []
    if not isinstance(records, list):
        return [f"{kind}s: must be a list"]
    for n, record in enumerate(records):
        label = f"{kind} #{n + 1}"
        if isinstance(record, dict) and isinstance(record.get("id"), str):
            label = f"{kind} {record['id']!r}"
        try:
            model.model_validate(record)
        except ValidationError as exc:
            for err in exc.errors():
                problems.append(f"{label}: {_where(err['loc'])}: {err['msg']}")
    return problems


def parse_bundle(data: Any) -> Bundle:
    """Validate decoded JSON as a :class:`Bundle`; every problem names its record and field."""
    if not isinstance(data, dict):
        raise ValidationFailed(["the file must hold a JSON object with 'sources' and 'facts'"])
    problems: list[str] = []
    for key in ("sources", "facts"):
        if key not in data:
            problems.append(f"missing top-level key {key!r}")
    extra = set(data) - {"sources", "facts", "format", "documents"}
    if extra:
        problems.append(f"unknown top-level key(s): {', '.join(sorted(extra))}")
    if data.get("format", "factbot/1") != "factbot/1":
        problems.append(f"format {data.get('format')!r} is not 'factbot/1'")
    documents = data.get("documents", {})
    if not isinstance(documents, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in documents.items()
    ):
        problems.append("documents: must map each document's id to its text")
    if problems:
        raise ValidationFailed(problems)
    problems += _record_problems("source", Source, data["sources"])
    problems += _record_problems("fact", Fact, data["facts"])
    if problems:
        raise ValidationFailed(problems)
    sources = [Source.model_validate(s) for s in data["sources"]]
    facts = [Fact.model_validate(f) for f in data["facts"]]
    cross = bundle_problems(
        Bundle.model_construct(sources=sources, facts=facts, documents=documents)
    )
    if cross:
        raise ValidationFailed(cross)
    return Bundle(sources=sources, facts=facts, documents=documents)


def parse_bundle_json(text: str | bytes) -> Bundle:
    """Decode and validate a bundle from JSON text."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValidationFailed([f"not valid JSON: {exc}"]) from None
    except RecursionError:
        raise ValidationFailed(["not valid JSON: nested too deeply"]) from None
    try:
        return parse_bundle(data)
    except RecursionError:
        raise ValidationFailed(["nested too deeply to be a fact bundle"]) from None


def dump_bundle(bundle: Bundle) -> str:
    """Serialise a bundle as stable, human-diffable JSON."""
    return bundle.model_dump_json(indent=2, exclude_none=True) + "\n"
