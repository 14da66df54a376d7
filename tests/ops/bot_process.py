"""``factbot run`` as a real process, for the tests that need one: its environment and its
start."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from pathlib import Path

from bot.fakeapi import FakeBotApi
from tests.ops.conftest import TOKEN

ROOT = Path(__file__).resolve().parents[2]


def bot_env(api: FakeBotApi, data_dir: Path) -> dict[str, str]:
    """The environment of a bot process talking to ``api`` with its data in ``data_dir``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WEBHOOK_", "BACKUP_"))}
    env.update(
        BOT_TOKEN=TOKEN,
        BOT_API_BASE_URL=api.base_url,
        DATA_DIR=str(data_dir),
        LOG_LEVEL="DEBUG",
        LOG_FORMAT="json",
    )
    return env


async def start_bot(
    env: dict[str, str], log_path: Path, *, preexec_fn: Callable[[], object] | None = None
) -> asyncio.subprocess.Process:
    """Start ``factbot run`` with ``env``, its output (both streams) in ``log_path``."""
    with log_path.open("wb") as log_file:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.ops.cli",
            "run",
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=log_file,
            preexec_fn=preexec_fn,
        )
