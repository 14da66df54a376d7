"""The ``factbot`` command line: run the bot, talk to it offline, manage the fact base."""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from facts.bundle import dump_bundle, parse_bundle_json
from facts.documents import extract_text
from facts.errors import FactsError, ValidationFailed
from facts.seed import load_seed
from facts.store import FactStore
from facts.verify import quote_problems
from facts.violations import RULES

#: Where the source documents live in a development checkout (beside the repository).
DEFAULT_SOURCES_DIR = Path(__file__).resolve().parents[2] / "shared" / "sources"


class CliError(Exception):
    """A failure to report on one line and exit with status 2."""


def _data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir or os.environ.get("DATA_DIR") or "data")


@contextmanager
def _open_store(args: argparse.Namespace) -> Iterator[FactStore]:
    store = FactStore.open(_data_dir(args), seed=load_seed())
    try:
        yield store
    finally:
        store.close()


def _export(args: argparse.Namespace) -> int:
    with _open_store(args) as store:
        text = dump_bundle(store.export_bundle())
    if args.file in (None, "-"):
        sys.stdout.write(text)
    else:
        Path(args.file).write_text(text, encoding="utf-8")
        print(f"exported to {args.file}", file=sys.stderr)
    return 0


def _import(args: argparse.Namespace) -> int:
    try:
        raw = Path(args.file).read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {args.file}: {exc.strerror}") from None
    bundle = parse_bundle_json(raw)
    reason = args.reason or f"imported from {Path(args.file).name}"
    with _open_store(args) as store:
        report = store.import_bundle(bundle, by=args.by, reason=reason, dry_run=args.dry_run)
    verb = "would change" if args.dry_run else "imported"
    print(
        f"{verb}: {len(report.added)} added, {len(report.changed)} changed, "
        f"{len(report.superseded)} superseded, {len(report.unchanged)} unchanged, "
        f"{len(report.sources_added)} source(s) added, "
        f"{len(report.documents_attached)} document(s) attached"
    )
    return 0


def _check(args: argparse.Namespace) -> int:
    with _open_store(args) as store:
        # Round-trip through the import parser: the same validation an import gets.
        bundle = parse_bundle_json(dump_bundle(store.export_bundle()))
        # The rules every write is held to (facts/rules.py), over the whole base.
        # In the words the bot uses (with the command that fixes each), in English.
        from bot.i18n import translator
        from bot.rule_texts import violation_text

        problems = [violation_text(v, translator("en")) for v in store.rule_problems()]
        unchecked = store.unchecked_sources()
    sources_dir = Path(args.sources) if args.sources else DEFAULT_SOURCES_DIR
    if sources_dir.is_dir():
        problems += quote_problems(bundle, sources_dir)
    kinds = Counter(f.kind.value for f in bundle.facts)
    statuses = Counter(f.status.value for f in bundle.facts)
    print(f"{len(bundle.sources)} sources, {len(bundle.facts)} facts")
    print("by kind:   " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    print("by status: " + ", ".join(f"{k} {n}" for k, n in sorted(statuses.items())))
    print("rules checked: " + ", ".join(RULES))
    if unchecked:
        print(
            f"{len(unchecked)} source(s) without a stored document (their quotes are checked "
            f"only against --sources): {', '.join(unchecked)}"
        )
    if sources_dir.is_dir():
        print(f"quotes checked verbatim against {sources_dir}")
    else:
        print(f"quotes not checked against files: no source documents at {sources_dir}")
    if problems:
        raise ValidationFailed(problems)
    print("OK")
    return 0


def _attach(args: argparse.Namespace) -> int:
    """Attach documents to stored sources: one file to one source, or every source whose
    file name is in a directory."""
    if (args.dir is None) == (args.source is None):
        raise CliError("give a SOURCE_ID and FILE, or --dir DIR (e.g. ../shared/sources)")
    reason = args.reason or "document attached from the command line"
    attached = 0
    with _open_store(args) as store:
        if args.source is not None:
            if args.file is None:
                raise CliError("give the document FILE after the source id")
            pairs = [(args.source, Path(args.file))]
        else:
            directory = Path(args.dir)
            if not directory.is_dir():
                raise CliError(f"{directory} is not a directory")
            pairs = [(s.id, directory / s.file) for s in store.sources()]
            missing = [str(path.name) for _, path in pairs if not path.is_file()]
            if missing:
                print(f"not in {directory} (left as they are): {', '.join(missing)}")
            pairs = [(i, path) for i, path in pairs if path.is_file()]
        for source_id, path in pairs:
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise CliError(f"cannot read {path}: {exc.strerror}") from None
            text = extract_text(path.name, data)
            before = store.get_source(source_id)
            after = store.attach_document(source_id, text, by=args.by, reason=reason)
            changed = before != after
            attached += changed
            state = "attached" if changed else "already attached"
            print(f"{source_id}: {state} {path.name} ({len(text):,} characters)")
    print(f"{attached} document(s) attached")
    return 0


def _run(args: argparse.Namespace) -> int:
    from bot.ops.runner import run_bot  # Telegram imports only for the commands that need them

    return run_bot()


def _console(args: argparse.Namespace) -> int:
    import asyncio

    from bot.ops.console import run_console

    return asyncio.run(run_console(_data_dir(args)))


def _backup(args: argparse.Namespace) -> int:
    from bot.ops.backup import backup
    from bot.ops.settings import ConfigError, load_settings

    try:
        keep = load_settings(need_token=False).backup_keep
    except ConfigError as exc:
        raise CliError(str(exc)) from None
    path = backup(_data_dir(args), Path(args.file) if args.file else None, keep=keep)
    print(f"backup written to {path}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from facts.restore import restore

    report = restore(_data_dir(args), Path(args.file))
    print(f"restored {report.restored.facts} facts from {args.file}")
    admin = report.restored.admin
    if admin is None:
        print("an old backup of the facts only: the admin data was left as it was")
    else:
        print(
            f"and the admin data: {admin.editors} editor(s), {admin.role_changes} role "
            f"change(s), {admin.unanswered} unanswered question(s), {admin.drafts} draft(s)"
        )
    if report.previous is not None:
        print(f"the data it replaced is kept in {report.previous}")
    return 0


REPAIR_HELP = (
    "rebuild damaged subscriber or outbox files (bot stopped; backups do not hold them): "
    "keeps every record it can read, says what was lost, moves the old files aside"
)


def _repair(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from facts.outbox import Outbox
    from facts.subscriptions import SubscriptionStore

    now = datetime.now(UTC)
    if args.part == "subscriptions":
        report, count = SubscriptionStore.repair(_data_dir(args), now=now)
        what = f"{count} subscriber(s)"
    else:
        report, count = Outbox.repair(_data_dir(args), now=now)
        what = f"{count} queued notification(s)"
    print(f"repaired {args.part}: {what} kept")
    if report.lost:
        print(f"lost ({len(report.lost)}):")
        for line in report.lost[:50]:
            print(f"  {line}")
        if len(report.lost) > 50:
            print(f"  ... and {len(report.lost) - 50} more")
    else:
        print("nothing was lost")
    if report.aside is not None:
        print(f"the damaged files are kept in {report.aside}")
    return 0


def _health(args: argparse.Namespace) -> int:
    from bot.ops.health import run_check

    return run_check(_data_dir(args))


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every ``factbot`` command."""
    parser = argparse.ArgumentParser(
        prog="factbot", description="A Telegram bot answering from a source-cited fact base."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="start the bot (configured by environment variables)")
    run.set_defaults(func=_run)

    console = sub.add_parser("console", help="talk to the bot in this terminal, offline")
    console.add_argument("--data-dir", help="data directory (default: $DATA_DIR or ./data)")
    console.set_defaults(func=_console)

    from bot.ops.backup import BACKUP_HELP, RESTORE_HELP

    backup = sub.add_parser("backup", help=BACKUP_HELP, description=BACKUP_HELP)
    backup.add_argument("file", nargs="?", help="a .json file or a directory")
    restore = sub.add_parser("restore", help=RESTORE_HELP, description=RESTORE_HELP)
    restore.add_argument("file", help="a backup written by factbot backup or the daily job")
    health = sub.add_parser("health", help="exit 0 if the running bot is healthy, else 1")
    repair = sub.add_parser("repair", help=REPAIR_HELP, description=REPAIR_HELP)
    repair.add_argument("part", choices=("subscriptions", "outbox"))
    for p, func in ((backup, _backup), (restore, _restore), (health, _health), (repair, _repair)):
        p.add_argument("--data-dir", help="data directory (default: $DATA_DIR or ./data)")
        p.set_defaults(func=func)

    sources = sub.add_parser("sources", help="the source documents")
    sources_sub = sources.add_subparsers(dest="sources_command", required=True)
    attach = sources_sub.add_parser(
        "attach",
        help="attach a document (.txt or .html) to a source, so its quotes are checked",
        description="Store a source's document (content-addressed in DATA_DIR/documents) "
        "after checking every quote that cites the source against it.",
    )
    attach.add_argument("source", nargs="?", help="the source id (/sources lists them)")
    attach.add_argument("file", nargs="?", help="the document: a .txt or .html file")
    attach.add_argument("--dir", help="attach every source whose file name is in DIR")
    attach.add_argument("--data-dir", help="data directory (default: $DATA_DIR or ./data)")
    attach.add_argument("--by", default="cli", help="who is attaching (recorded in history)")
    attach.add_argument("--reason", help="why (recorded in history)")
    attach.set_defaults(func=_attach)

    facts = sub.add_parser("facts", help="export, import or check the fact base")
    facts_sub = facts.add_subparsers(dest="facts_command", required=True)
    for name, func, help_text in (
        ("export", _export, "write the whole base as JSON (default: standard output)"),
        ("import", _import, "validate and import a JSON file, all or nothing"),
        ("check", _check, "validate the base and print a summary"),
    ):
        p = facts_sub.add_parser(name, help=help_text)
        p.add_argument("--data-dir", help="data directory (default: $DATA_DIR or ./data)")
        p.set_defaults(func=func)
        if name == "export":
            p.add_argument("file", nargs="?", help="output file (default: standard output)")
        elif name == "import":
            p.add_argument("file", help="a JSON file in the export format")
            p.add_argument("--dry-run", action="store_true", help="report, change nothing")
            p.add_argument("--by", default="cli", help="who is importing (recorded in history)")
            p.add_argument("--reason", help="why (recorded in history)")
        else:
            p.add_argument("--sources", help="directory of the source documents")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``factbot`` console script."""
    # PTB 22 warns on every RetryAfter unless told to use timedeltas; the code reads them so.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    args = build_parser().parse_args(argv)
    try:
        status: int = args.func(args)
    except (FactsError, CliError) as exc:
        print(f"factbot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return status


if __name__ == "__main__":
    sys.exit(main())
