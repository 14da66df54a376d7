"""The heartbeat file and the freshness rules of ``factbot health`` (polling mode)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ops.health import Heartbeat, check_heartbeat, read_heartbeat, write_heartbeat

NOW = 1_800_000_000.0


def beat(**changes: object) -> Heartbeat:
    values: dict[str, object] = {
        "pid": 7,
        "mode": "polling",
        "time": NOW - 10,
        "last_poll": NOW - 5,
        "started": NOW - 600,
    }
    return Heartbeat(**(values | changes))  # type: ignore[arg-type]


def check(tmp_path: Path, heartbeat: Heartbeat | None, max_age: float = 90) -> tuple[bool, str]:
    path = tmp_path / "heartbeat.json"
    if heartbeat is not None:
        write_heartbeat(path, heartbeat)
    result = check_heartbeat(path, max_age=max_age, now=NOW)
    return result.healthy, result.message


def test_a_fresh_heartbeat_is_healthy(tmp_path: Path) -> None:
    healthy, message = check(tmp_path, beat())
    assert healthy and "pid 7" in message


def test_write_then_read_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "heartbeat.json"
    original = beat(problems=["x"], last_backup="/data/backups/b.json")
    write_heartbeat(path, original)
    assert read_heartbeat(path) == original
    assert not list(tmp_path.glob("*.new"))


def test_no_heartbeat_means_not_running(tmp_path: Path) -> None:
    healthy, message = check(tmp_path, None)
    assert not healthy and "no heartbeat" in message


def test_a_stale_heartbeat_means_a_stuck_loop(tmp_path: Path) -> None:
    healthy, message = check(tmp_path, beat(time=NOW - 91))
    assert not healthy and "stale" in message


def test_polling_that_stopped_succeeding_is_unhealthy(tmp_path: Path) -> None:
    healthy, message = check(tmp_path, beat(last_poll=NOW - 300))
    assert not healthy and "getUpdates" in message


@pytest.mark.parametrize(("started", "healthy"), [(NOW - 30, True), (NOW - 300, False)])
def test_no_poll_yet_is_fine_only_while_starting(
    tmp_path: Path, started: float, healthy: bool
) -> None:
    assert check(tmp_path, beat(last_poll=None, started=started))[0] is healthy


def test_webhook_mode_does_not_need_polls(tmp_path: Path) -> None:
    assert check(tmp_path, beat(mode="webhook", last_poll=None, started=NOW - 3600))[0]


def test_reported_problems_are_unhealthy(tmp_path: Path) -> None:
    healthy, message = check(tmp_path, beat(problems=["stopping"]))
    assert not healthy and message == "stopping"


@pytest.mark.parametrize("content", [b"", b"{half", b"[]", b'{"pid": 1}'])
def test_an_unreadable_heartbeat_is_unhealthy(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "heartbeat.json"
    path.write_bytes(content)
    result = check_heartbeat(path, max_age=90, now=NOW)
    assert not result.healthy and "cannot read" in result.message
