"""The ``factbot facts`` commands: export, import (all or nothing), check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.ops.cli import main
from facts.seed import load_seed
from tests.sources import write_documents


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_export_is_the_documented_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "facts", "export", "--data-dir", str(tmp_path / "d"))
    assert status == 0
    data = json.loads(out)
    assert {"id", "file"} <= set(data["sources"][0])
    fact = data["facts"][0]
    assert {"id", "kind", "text", "status", "citations"} <= set(fact)
    assert {"source", "quote"} <= set(fact["citations"][0])


def test_export_import_export_is_lossless(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "first.json"
    assert run(capsys, "facts", "export", str(first), "--data-dir", str(tmp_path / "a"))[0] == 0
    status, out, _ = run(capsys, "facts", "import", str(first), "--data-dir", str(tmp_path / "b"))
    assert status == 0, out
    second = tmp_path / "second.json"
    assert run(capsys, "facts", "export", str(second), "--data-dir", str(tmp_path / "b"))[0] == 0
    assert json.loads(first.read_text()) == json.loads(second.read_text())


def test_import_with_an_error_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = str(tmp_path / "d")
    before = tmp_path / "before.json"
    run(capsys, "facts", "export", str(before), "--data-dir", data_dir)
    bundle = json.loads(before.read_text())
    bundle["facts"][0]["text"] = "A new claim that would be imported if the file were valid."
    bundle["facts"][1]["details"]["kind"] = "no-such-kind"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bundle))
    status, _, err = run(capsys, "facts", "import", str(bad), "--data-dir", data_dir)
    assert status == 2
    assert repr(bundle["facts"][1]["id"]) in err and "details" in err
    after = tmp_path / "after.json"
    run(capsys, "facts", "export", str(after), "--data-dir", data_dir)
    assert json.loads(after.read_text()) == json.loads(before.read_text())


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"{not json", "not valid JSON"), (b"[]", "JSON object"), (b'{"facts": []}', "sources")],
)
def test_import_of_a_broken_file_says_what_is_wrong(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    status, _, err = run(capsys, "facts", "import", str(bad), "--data-dir", str(tmp_path / "d"))
    assert status == 2
    assert message in err


def test_import_of_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "facts", "import", str(tmp_path / "nope.json"))
    assert status == 2 and "cannot read" in err


def test_import_dry_run_reports_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = str(tmp_path / "d")
    exported = tmp_path / "e.json"
    run(capsys, "facts", "export", str(exported), "--data-dir", data_dir)
    bundle = json.loads(exported.read_text())
    bundle["facts"][0]["text"] = "An edited claim for the dry run."
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(bundle))
    status, out, _ = run(
        capsys, "facts", "import", str(edited), "--dry-run", "--data-dir", data_dir
    )
    assert status == 0 and "would change: 0 added, 1 changed" in out
    again = tmp_path / "again.json"
    run(capsys, "facts", "export", str(again), "--data-dir", data_dir)
    assert json.loads(again.read_text()) == json.loads(exported.read_text())


def test_check_prints_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "facts", "check", "--data-dir", str(tmp_path / "d"))
    assert status == 0
    assert "5 sources" in out and "by kind:" in out and out.rstrip().endswith("OK")


def test_sources_attach_stores_the_seed_documents_and_check_uses_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = str(tmp_path / "d")
    sources = write_documents(load_seed(), tmp_path / "sources")
    status, out, _ = run(capsys, "sources", "attach", "--dir", str(sources), "--data-dir", data_dir)
    assert status == 0 and "5 document(s) attached" in out
    assert len(list((tmp_path / "d" / "documents").glob("*.txt"))) == 5
    status, out, _ = run(capsys, "sources", "attach", "--dir", str(sources), "--data-dir", data_dir)
    assert "0 document(s) attached" in out
    status, out, _ = run(capsys, "facts", "check", "--data-dir", data_dir)
    assert status == 0 and "without a stored document" not in out and out.endswith("OK\n")
    # A quote changed on disk behind the store's back is reported by the check.
    exported = tmp_path / "base.json"
    run(capsys, "facts", "export", str(exported), "--data-dir", data_dir)
    data = json.loads(exported.read_text())
    assert len(data["documents"]) == 5
    status, out, _ = run(
        capsys, "facts", "import", str(exported), "--data-dir", str(tmp_path / "fresh")
    )
    assert status == 0 and "5 document(s) attached" in out


def test_sources_attach_refuses_a_document_that_lacks_the_quotes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = str(tmp_path / "d")
    page = tmp_path / "other.html"
    page.write_text("<html><body><p>An unrelated page about something else.</p></body></html>")
    status, _, err = run(
        capsys, "sources", "attach", "turan-carpenter-2023-05-12", str(page), "--data-dir", data_dir
    )
    assert status == 2
    assert "quotes occur in the document" in err and "closest passage" in err
    status, out, _ = run(capsys, "facts", "check", "--data-dir", data_dir)
    assert "5 source(s) without a stored document" in out
    status, _, err = run(capsys, "sources", "attach", "--data-dir", data_dir)
    assert status == 2 and "--dir" in err


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("NOTIFY_RATE", "abc"),
        ("NOTIFY_MAX_IN_FLIGHT", "0"),
        ("NOTIFY_PER_CHAT_INTERVAL", "-1"),
        ("NOTIFY_DIGEST_TIME", "25:99"),
    ],
)
def test_run_with_a_bad_notify_setting_says_so_in_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    value: str,
) -> None:
    monkeypatch.setenv("BOT_TOKEN", "123456789:" + "AAE" + "example" * 4)
    monkeypatch.setenv("BOT_API_BASE_URL", "http://127.0.0.1:9/bot")
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv(name, value)
    status, out, err = run(capsys, "run")
    assert status == 2
    assert err.startswith(f"factbot: {name} is invalid: ") and err.count("\n") == 1
    assert "Traceback" not in err and out == ""
    # Refused before anything was opened.
    assert not (tmp_path / "d").exists()
