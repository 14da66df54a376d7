"""The seed fact base shipped inside the package, built from the documents in shared/sources."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from facts.bundle import parse_bundle
from facts.model import Bundle


def seed_files() -> list[str]:
    """Names of the fact files of the seed (``facts_*.json``), in a stable order."""
    root = resources.files(__name__)
    return sorted(
        p.name for p in root.iterdir() if p.name.startswith("facts_") and p.name.endswith(".json")
    )


def load_seed() -> Bundle:
    """The seed base: ``sources.json`` plus every ``facts_*.json`` file, validated whole."""
    root = resources.files(__name__)
    sources: list[Any] = json.loads(root.joinpath("sources.json").read_text("utf-8"))
    facts: list[Any] = []
    for name in seed_files():
        facts.extend(json.loads(root.joinpath(name).read_text("utf-8")))
    return parse_bundle({"sources": sources, "facts": facts})
