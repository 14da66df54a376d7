"""The offline console: the real bot on the fake server, driven through stdin and stdout."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from bot.ops.console import PROMPT, render_html, run_console

ROOT = Path(__file__).resolve().parents[2]


def test_render_html_plain_keeps_links_and_indents_quotes() -> None:
    html = (
        '<b>Title</b> &amp; <a href="https://example.org/x">the report</a>\n'
        "<blockquote>first line\nsecond line</blockquote>\nafter"
    )
    assert render_html(html) == (
        "Title & the report (https://example.org/x)\n> first line\n> second line\nafter"
    )


def test_render_html_uses_ansi_styles_only_for_a_terminal() -> None:
    coloured = render_html("<b>bold <i>both</i></b> plain", color=True)
    assert "\x1b[1m" in coloured and "\x1b[1m\x1b[3m" in coloured
    assert coloured.endswith("\x1b[0m")
    assert render_html("<b>bold</b>", color=False) == "bold"


def test_a_link_whose_text_is_its_url_is_shown_once() -> None:
    assert render_html('<a href="https://t.me/x">https://t.me/x</a>') == "https://t.me/x"


async def run(lines: str, tmp_path: Path) -> str:
    out = io.StringIO()
    status = await run_console(tmp_path / "data", stdin=io.StringIO(lines), stdout=out)
    assert status == 0
    return out.getvalue()


async def test_console_answers_commands_and_presses_numbered_buttons(tmp_path: Path) -> None:
    transcript = await run("/start\n/timeline\n", tmp_path)
    assert f"{PROMPT}/start\nbot> Belarus human-rights fact bot" in transcript
    assert f"{PROMPT}/timeline\nbot> Timeline" in transcript
    assert "Later ▶" in transcript and "[1] 1" in transcript
    assert "<b>" not in transcript  # HTML rendered, not shown

    later = transcript.split("Later ▶")[0].rsplit("[", 1)[1].split("]")[0]
    pressed = await run(f"/timeline\n{later}\n/quit\nnever read\n", tmp_path)
    assert "(edited) Timeline — 6–10" in pressed
    assert "never read" not in pressed


async def test_console_questions_and_inline_queries(tmp_path: Path) -> None:
    transcript = await run("how many political prisoners?\n@prisoners\n1\n", tmp_path)
    assert "political prisoners" in transcript.split(f"{PROMPT}@prisoners")[0]
    assert "inline result(s):" in transcript
    assert "(sent via inline)" in transcript


async def test_console_ends_cleanly_at_end_of_input(tmp_path: Path) -> None:
    assert (await run("", tmp_path)).endswith(f"{PROMPT}\n")


def test_factbot_console_is_scriptable_from_a_pipe(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot.ops.cli", "console", "--data-dir", str(tmp_path / "data")],
        input="/start\n/numbers\n",
        capture_output=True,
        text=True,
        timeout=30,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "bot> Belarus human-rights fact bot" in done.stdout
    assert f"{PROMPT}/numbers\nbot> " in done.stdout
    assert "123456:" not in done.stdout + done.stderr  # the dummy token never shows
