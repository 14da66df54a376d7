"""Salvaging a damaged record store (subscriptions, the outbox): whatever of its files can
still be read is kept, the rest reported (see :mod:`facts.records` for the store itself)."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from facts.journal import DirectoryLock
from facts.records import INFO_TABLE, MAX_KEY_LENGTH, SNAPSHOT_FORMAT, TABLE_NAME, valid_op
from facts.storage import AtomicJSONStorage, fsync_dir


@dataclass
class Salvage:
    """What :func:`salvage` kept of a damaged record store and what it could not read."""

    #: Records kept, by table.
    kept: dict[str, int] = field(default_factory=dict)
    #: One line per thing lost (a file unreadable, a record or a journal entry dropped).
    lost: list[str] = field(default_factory=list)
    #: Where the damaged files were moved (None when there was nothing to move).
    aside: Path | None = None


def salvage(
    data_dir: Path, name: str, models: Mapping[str, type[BaseModel]], *, now: datetime
) -> Salvage:
    """Rebuild the record store ``name`` from whatever of its files can still be read.

    Every record of the snapshot that fits its table's model is kept; then every journal
    entry that can be read is applied in order (a put whose record does not fit is
    dropped). The old files are moved, never deleted, to ``DATA_DIR/replaced-<time>/`` and
    a fresh snapshot holding what was kept takes their place. StoreLocked while the store
    is open in another process.
    """
    data_dir = Path(data_dir)
    lock = DirectoryLock(data_dir / f"{name}.lock")
    try:
        return _salvage_locked(data_dir, name, models, now)
    finally:
        lock.release()


def _salvage_locked(
    data_dir: Path, name: str, models: Mapping[str, type[BaseModel]], now: datetime
) -> Salvage:
    report = Salvage()
    snapshot_path = data_dir / f"{name}.json"
    journal_path = data_dir / f"{name}.journal.jsonl"
    tables: dict[str, dict[str, Any]] = {}
    snapshot_seq = -1  # unknown: every readable journal entry is applied

    def fits(table: str, key: object, value: Any) -> bool:
        if not isinstance(key, str) or not key or len(key) > MAX_KEY_LENGTH:
            return False
        model = models.get(table)
        if model is None:
            return True  # a table this version does not know: kept as it is
        try:
            model.model_validate(value)
        except ValidationError:
            return False
        return True

    raw = snapshot_path.read_bytes() if snapshot_path.exists() else None
    if raw is not None:
        try:
            data: Any = json.loads(raw)
            if not isinstance(data, dict):
                raise ValueError("not an object")
        except (ValueError, UnicodeDecodeError, RecursionError):
            report.lost.append(
                f"{snapshot_path.name} could not be read at all: every record that was only "
                "in it is lost"
            )
            data = {}
        info = data.get(INFO_TABLE)
        with contextlib.suppress(AttributeError, TypeError, ValueError, StopIteration):
            snapshot_seq = int(next(iter(info.values()))["journal_seq"])
        for table, docs in data.items():
            if table == INFO_TABLE:
                continue
            if not isinstance(docs, dict) or not TABLE_NAME.match(str(table)):
                report.lost.append(f"{snapshot_path.name}: table {str(table)[:40]!r} unreadable")
                continue
            for doc in docs.values():
                key = doc.get("key") if isinstance(doc, dict) else None
                value = doc.get("value") if isinstance(doc, dict) else None
                if fits(table, key, value):
                    tables.setdefault(table, {})[str(key)] = value
                else:
                    report.lost.append(f"{snapshot_path.name}: a {table} record unreadable")

    if journal_path.exists():
        lines = journal_path.read_bytes().split(b"\n")
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                entry: Any = json.loads(line)
            except (ValueError, UnicodeDecodeError, RecursionError):
                entry = None
            ops = entry.get("ops") if isinstance(entry, dict) else None
            seq = entry.get("seq") if isinstance(entry, dict) else None
            if not isinstance(seq, int) or not isinstance(ops, list):
                report.lost.append(f"{journal_path.name}: line {number} unreadable (one change)")
                continue
            if seq <= snapshot_seq:
                continue  # already in the snapshot
            for op in ops:
                if not valid_op(op) or not TABLE_NAME.match(op[1]):
                    report.lost.append(f"{journal_path.name}: line {number}: a change unreadable")
                elif op[0] == "del":
                    tables.get(op[1], {}).pop(op[2], None)
                elif fits(op[1], op[2], op[3]):
                    tables.setdefault(op[1], {})[op[2]] = op[3]
                else:
                    report.lost.append(
                        f"{journal_path.name}: line {number}: a {op[1]} record unreadable"
                    )

    report.kept = {table: len(records) for table, records in tables.items()}
    existing = [p for p in (snapshot_path, journal_path) if p.exists()]
    if existing:
        stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        aside, n = data_dir / f"replaced-{stamp}", 1
        while aside.exists():
            n += 1
            aside = data_dir / f"replaced-{stamp}-{n}"
        aside.mkdir()
        for path in existing:
            os.replace(path, aside / path.name)
        fsync_dir(data_dir)
        report.aside = aside
    snapshot: dict[str, dict[str, Any]] = {
        INFO_TABLE: {"1": {"format": SNAPSHOT_FORMAT, "journal_seq": 0}}
    }
    for table, records in tables.items():
        snapshot[table] = {
            str(n): {"key": key, "value": value}
            for n, (key, value) in enumerate(records.items(), start=1)
        }
    AtomicJSONStorage(snapshot_path).write(snapshot)
    return report
