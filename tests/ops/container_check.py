"""Drive the built image against a fake Bot API on 127.0.0.1 (used by scripts/container-test).

    python -m tests.ops.container_check IMAGE

Polling: runs the image with --network host and a fresh volume, checks that /start is
answered, that Docker reports the container healthy (heartbeat), that ``factbot backup``
works inside the running container, that ``docker stop`` (SIGTERM) ends it with status 0
after flushing the store, and that the volume's data checks and restores in a new container.
Webhook: the same image with WEBHOOK_URL on a loopback port: setWebhook with the secret,
403 without it, /start answered with it, healthy through /healthz, /metrics, clean stop.
Every step has a deadline; the whole run is bounded by TOTAL_SECONDS.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import socket
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import httpx

from bot.fakeapi import DEFAULT_USER_ID, FakeBotApi

T = TypeVar("T")
TOTAL_SECONDS = 240
#: Shaped like a real token; it only ever reaches the fake server on 127.0.0.1.
TOKEN = "555000555:" + "AAE-container-test-not-a-real-token_xyz"  # fake, token-shaped
WEBHOOK_SECRET = "container-test-secret_" + secrets.token_hex(8)
#: The image checks health every 30 s; here every 2 s, so the test is quick.
HEALTH_FLAGS = (
    "--health-interval=2s",
    "--health-timeout=5s",
    "--health-retries=3",
    "--health-start-period=60s",
)


class CheckFailed(Exception):
    """A step of the container check failed; the message says which and why."""


def step(message: str) -> None:
    print(f"container-test: {message}", flush=True)


async def docker(*args: str, check: bool = True, timeout: float = 60) -> str:  # noqa: ASYNC109
    """Run a docker command without blocking the fake server; returns stdout."""
    process = await asyncio.create_subprocess_exec(
        "docker", *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    try:
        async with asyncio.timeout(timeout):
            out, err = await process.communicate()
    except TimeoutError:
        process.kill()
        await process.wait()
        raise CheckFailed(f"docker {args[0]} took more than {timeout:g} s") from None
    if check and process.returncode != 0:
        raise CheckFailed(f"docker {' '.join(args[:2])} failed: {err.decode().strip()}")
    return out.decode()


async def inspect(name: str, template: str) -> str:
    """One field of ``docker inspect``."""
    return (await docker("inspect", "--format", template, name)).strip()


async def container_logs(name: str) -> str:
    """The container's output, stdout and stderr (where the bot logs)."""
    process = await asyncio.create_subprocess_exec(
        "docker", "logs", name, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await process.communicate()
    return (out + err).decode()


async def wait_healthy(name: str, timeout: float = 60) -> None:  # noqa: ASYNC109
    """Poll Docker's health status until it says healthy."""
    deadline = time.monotonic() + timeout
    status = ""
    while time.monotonic() < deadline:
        status = await inspect(name, "{{.State.Health.Status}}")
        if status == "healthy":
            return
        if await inspect(name, "{{.State.Running}}") != "true":
            raise CheckFailed("the container stopped before it became healthy")
        await asyncio.sleep(1)
    last = await inspect(name, "{{json .State.Health.Log}}")
    raise CheckFailed(f"health is {status!r} after {timeout:g} s; checks: {last[-1000:]}")


async def while_running(name: str, awaitable: Awaitable[T]) -> T:
    """Await ``awaitable``, failing at once if the container exits meanwhile."""
    task = asyncio.ensure_future(awaitable)
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=1)
            if done:
                return task.result()
            if await inspect(name, "{{.State.Running}}") != "true":
                status = await inspect(name, "{{.State.ExitCode}}")
                raise CheckFailed(f"the container exited with status {status}")
    finally:
        task.cancel()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def container(image: str, volume: str, *env: str) -> AsyncIterator[str]:
    """A detached container of ``image`` on the host network; removed afterwards.

    Any failure inside the block is reported with the container's logs.
    """
    name = f"factbot-ct-{secrets.token_hex(4)}"
    env_flags = [f"--env={e}" for e in (f"BOT_TOKEN={TOKEN}", "LOG_FORMAT=json", *env)]
    await docker(
        "run", "--detach", f"--name={name}", "--network=host", f"--volume={volume}:/data",
        *env_flags, *HEALTH_FLAGS, image,
    )  # fmt: skip
    try:
        yield name
    except (CheckFailed, TimeoutError) as exc:
        logs = await container_logs(name)
        detail = str(exc) or type(exc).__name__
        raise CheckFailed(f"{detail}\n--- container logs ---\n{logs[-4000:]}") from None
    finally:
        await docker("rm", "--force", name, check=False)


async def stop_cleanly(name: str) -> None:
    """``docker stop`` (the image's STOPSIGNAL, SIGTERM): exit 0, store flushed, no token."""
    await docker("stop", "--time=30", name, timeout=60)
    status = await inspect(name, "{{.State.ExitCode}}")
    logs = await container_logs(name)
    if status != "0":
        raise CheckFailed(f"exit status {status} after SIGTERM")
    if "fact store flushed and closed" not in logs:
        raise CheckFailed("the logs do not show the store being flushed and closed")
    if TOKEN in logs or TOKEN.split(":")[1] in logs or WEBHOOK_SECRET in logs:
        raise CheckFailed("a secret appears in the container's logs")


def start_update(update_id: int) -> dict[str, Any]:
    """A /start message as Telegram would POST it to the webhook."""
    user = {"id": DEFAULT_USER_ID, "is_bot": False, "first_name": "Ops"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": DEFAULT_USER_ID, "type": "private", "first_name": "Ops"},
            "from": user,
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


async def check_polling(image: str, volume: str) -> None:
    """Polling mode, heartbeat health, backup while running, SIGTERM, data in the volume."""
    async with FakeBotApi() as api:
        step(f"polling: running {image} against the fake Bot API at {api.base_url}")
        async with container(image, volume, f"BOT_API_BASE_URL={api.base_url}") as name:
            await while_running(name, api.wait_polling(timeout=90))
            api.user_message("/start")
            replies = await api.wait_for("sendMessage", timeout=30)
            if not replies[0].ok:
                raise CheckFailed(f"the reply to /start was refused: {replies[0]}")
            step("polling: /start answered")
            await wait_healthy(name)
            step("polling: docker reports the container healthy (heartbeat)")
            out = await docker("exec", name, "factbot", "backup")
            backup_file = out.strip().rsplit(" ", 1)[-1]
            if not backup_file.startswith("/data/backups/"):
                raise CheckFailed(f"factbot backup in the running container said: {out!r}")
            step(f"polling: factbot backup while running wrote {backup_file}")
            await stop_cleanly(name)
            step("polling: docker stop -> exit 0, store flushed and closed, no secret in logs")

    offline = ("run", "--rm", "--network=none", f"--volume={volume}:/data", image)
    checked = await docker(*offline, "facts", "check")
    if not checked.rstrip().endswith("OK"):
        raise CheckFailed(f"the data in the volume does not check: {checked}")
    restored = await docker(*offline, "restore", backup_file)
    step(f"the data survived in the volume; {restored.splitlines()[0]}")


async def check_webhook(image: str, volume: str) -> None:
    """Webhook mode: secret gate, /start, /healthz health, /metrics, clean stop."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    async with FakeBotApi() as api:
        api.register_chat(DEFAULT_USER_ID)
        step(f"webhook: running {image} on {base}")
        env = (
            f"BOT_API_BASE_URL={api.base_url}",
            # Telegram would POST here; in this test only we do, to the loopback port.
            "WEBHOOK_URL=https://bot.example.org/telegram",
            f"WEBHOOK_SECRET={WEBHOOK_SECRET}",
            "LISTEN=127.0.0.1",
            f"PORT={port}",
        )
        async with container(image, volume, *env) as name:
            (registered,) = await while_running(name, api.wait_for("setWebhook", timeout=90))
            if registered.params.get("secret_token") != WEBHOOK_SECRET:
                raise CheckFailed("setWebhook was called without the secret token")
            async with httpx.AsyncClient(base_url=base, timeout=10) as client:
                # A stranger's connection is closed as soon as its headers are in, before
                # its body is read: with the body still unread the kernel resets the
                # connection, which may reach the client before the 403 does.
                try:
                    async with httpx.AsyncClient(base_url=base, timeout=10) as stranger:
                        forged = await stranger.post("/telegram", json=start_update(1))
                except (httpx.ReadError, httpx.RemoteProtocolError):
                    pass
                else:
                    if forged.status_code != 403:
                        raise CheckFailed(f"a POST without the secret got {forged.status_code}")
                accepted = await client.post(
                    "/telegram",
                    json=start_update(2),
                    headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
                )
                if accepted.status_code != 200:
                    raise CheckFailed(f"the webhook answered {accepted.status_code}")
                await api.wait_for("sendMessage", timeout=30)
                if len(api.calls("sendMessage")) != 1:
                    raise CheckFailed("the forged update reached a handler")
                step("webhook: 403 without the secret, /start answered with it")
                await wait_healthy(name)
                metrics = (await client.get("/metrics")).text
            for line in ("factbot_updates_total 1.0\n", "factbot_webhook_rejected_total 1.0\n"):
                if line not in metrics:
                    raise CheckFailed(f"/metrics lacks {line.strip()!r}:\n{metrics}")
            step("webhook: healthy through /healthz; /metrics counts 1 update, 1 rejection")
            await stop_cleanly(name)
            step("webhook: docker stop -> exit 0, store flushed and closed")


async def check_image(image: str) -> None:
    """Run every check against ``image``."""
    config = json.loads(await inspect(image, "{{json .Config}}"))
    if config.get("User") in (None, "", "root", "0"):
        raise CheckFailed("the image runs as root")
    if any(e.startswith(("BOT_TOKEN=", "WEBHOOK_SECRET=")) for e in config.get("Env") or []):
        raise CheckFailed("the image has a secret baked into its environment")
    volume = f"factbot-ct-{secrets.token_hex(4)}"
    await docker("volume", "create", volume)
    try:
        await check_polling(image, volume)
        # The same volume: the webhook container starts on the data the first one left.
        await check_webhook(image, volume)
    finally:
        await docker("volume", "rm", "--force", volume, check=False)


async def run(argv: Sequence[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.ops.container_check IMAGE", file=sys.stderr)
        return 2
    try:
        async with asyncio.timeout(TOTAL_SECONDS):
            await check_image(argv[0])
    except TimeoutError:
        print(f"container-test: FAILED: not done within {TOTAL_SECONDS} s", file=sys.stderr)
        return 1
    except CheckFailed as exc:
        print(f"container-test: FAILED: {exc}", file=sys.stderr)
        return 1
    step("PASSED")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(run(sys.argv[1:])))
