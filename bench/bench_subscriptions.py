"""Benchmark subscriptions and notification delivery at 100,000 subscribers; markdown tables.

Usage: ``.venv/bin/python bench/bench_subscriptions.py [--subscribers 100000] [--ops 2000]
[--ceiling-rate 2000] [--limit-seconds 10]`` (about 2–3 minutes at the defaults).

1. Store. ``--subscribers`` chats bulk-loaded, then ``--ops`` subscribes and as many
   unsubscribes one at a time on top of them, each durable (an fsynced journal line)
   before it returns: p50 / p99 / max. Also /forget (which rewrites the snapshot when the
   chat's bucket was written since the last one), opening the store, its size on disk.
2. Ceiling. One notification to every subscriber with NOTIFY_RATE = ``--ceiling-rate``,
   against the fake Bot API running in a separate process (so that the two share the
   cores instead of one event loop): delivered messages/s, the process's memory before
   and at its peak, the most asyncio tasks alive at once, and the bytes written to the
   data files per message (``write_bytes`` of /proc/self/io: progress marks and
   checkpoints; the fake writes nothing).
3. The 30/s limit. The same for ``--limit-seconds`` at NOTIFY_RATE = 30 against a fake
   that answers 429 to a 31st sendMessage within any second or a second one to the same
   chat within one second: delivered messages/s, 429s, the most the fake accepted within
   one second.

The fake server process: ``bench_subscriptions.py --serve-fake ...`` (prints its port,
answers ``stats`` and ``quit`` on stdin).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from telegram import Bot
from telegram.request import HTTPXRequest

from bot.delivery import DeliveryWorker
from bot.ops.settings import Settings
from facts.notifications import Change, Item
from facts.outbox import Outbox
from facts.subscribers import Mode, Subscriber, SubTopic
from facts.subscriptions import SubscriptionStore

TOKEN = "123456:BENCH-not-a-real-token"
FIRST_CHAT = 100_000_000
MESSAGE = (
    "🆕 <b>New in the fact base</b>\n"
    "<b>2 October 2020:</b> The European Union imposed an asset freeze and a travel ban on "
    "40 officials it holds responsible for the repression and the falsification of the "
    "election results.\n<b>European Union</b> → 40 officials: asset freeze, travel ban — "
    "<i>imposed</i>\n<i>— Council of the EU, 2 October 2020</i>\n"
    "Full fact and quotes: <code>/fact eu-sanctions-2020-10-02</code> · /subscriptions to change"
)


# --- measurements -----------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of ``values`` by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def rss_mb() -> float:
    """Resident memory of this process, MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def written_bytes() -> int:
    """Bytes this process sent to files (page dirtying), from /proc/self/io."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("write_bytes:"):
            return int(line.split()[1])
    return 0


def timed(action: Callable[[], Any]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def data_size(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.iterdir() if p.is_file())


# --- 1. the store -------------------------------------------------------------------------------
def bench_store(data_dir: Path, subscribers: int, ops: int) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    with SubscriptionStore.open(data_dir) as subs:
        everyone = (
            Subscriber(FIRST_CHAT + n, frozenset({SubTopic.ALL}), Mode.IMMEDIATE, True)
            for n in range(subscribers)
        )
        load_ms = timed(lambda: subs.load(everyone))
        rows.append((f"bulk load of {subscribers:,} (one write + snapshot)", f"{load_ms:,.0f} ms"))
        new_ids = [FIRST_CHAT + subscribers + 7 * n for n in range(ops)]
        topics = [SubTopic.SANCTIONS]
        sub_ms = [timed(lambda c=c: subs.subscribe(c, topics)) for c in new_ids]
        unsub_ms = [timed(lambda c=c: subs.unsubscribe(c)) for c in new_ids]
        for label, values in (("subscribe", sub_ms), ("unsubscribe", unsub_ms)):
            rows.append(
                (
                    f"{label}, durable, at {subscribers:,} ({ops:,} ops)",
                    f"p50 {percentile(values, 0.5):.2f} ms · p99 {percentile(values, 0.99):.2f}"
                    f" ms · max {max(values):.0f} ms",
                )
            )
        subs.subscribe(new_ids[0], topics)  # its bucket is now written since the snapshot
        rows.append(
            (
                "/forget, bucket written since the snapshot",
                f"{timed(lambda: subs.forget(new_ids[0])):.0f} ms",
            )
        )
        rows.append(
            ("/forget, bucket untouched since", f"{timed(lambda: subs.forget(new_ids[1])):.2f} ms")
        )
    rows.append(("data files", f"{data_size(data_dir) / 1e6:.1f} MB"))
    start = time.perf_counter()
    with SubscriptionStore.open(data_dir) as subs:
        opened = (time.perf_counter() - start) * 1000
        count = len(subs)
    tracemalloc.start()
    with SubscriptionStore.open(data_dir):
        held, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows.append((f"open with {count:,} subscribers", f"{opened:,.0f} ms, {held / 1e6:.0f} MB held"))
    return rows


# --- the fake Bot API in its own process --------------------------------------------------------
async def serve_fake(args: argparse.Namespace) -> None:
    """Run the flood-checking fake until ``quit``; ``stats`` prints its counters as JSON."""
    from bot.fakeapi.flood import FloodCheckingApi

    api = FloodCheckingApi(
        global_limit=args.global_limit or None, per_chat_interval=1.0, keep_messages=False
    )
    await api.start()
    for chat in range(args.first_chat, args.first_chat + args.chats):
        api.register_chat(chat)
    print(f"PORT {api.port}", flush=True)
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        command = line.strip()
        if command == "stats":
            stats = {
                "delivered": api.delivered,
                "refusals": api.flood_refusals,
                "max_in_window": api.max_in_window,
            }
            print(json.dumps(stats), flush=True)
        elif command in ("quit", ""):
            break
    await api.stop()


class FakeProcess:
    """The fake Bot API in a child process."""

    def __init__(self, process: asyncio.subprocess.Process, port: int) -> None:
        self.process = process
        self.base_url = f"http://127.0.0.1:{port}/bot"

    @classmethod
    async def start(cls, chats: int, global_limit: int) -> FakeProcess:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            __file__,
            "--serve-fake",
            "--first-chat",
            str(FIRST_CHAT),
            "--chats",
            str(chats),
            "--global-limit",
            str(global_limit),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        assert process.stdout is not None
        line = (await process.stdout.readline()).decode()
        if not line.startswith("PORT "):
            raise RuntimeError(f"the fake did not start: {line!r}")
        return cls(process, int(line.split()[1]))

    async def stats(self) -> dict[str, int]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(b"stats\n")
        await self.process.stdin.drain()
        stats: dict[str, int] = json.loads(await self.process.stdout.readline())
        return stats

    async def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(b"quit\n")
        await self.process.stdin.drain()
        await self.process.wait()


# --- 2 and 3. broadcasts ------------------------------------------------------------------------
class StubBot:
    """Accepts every send at once: the worker and outbox alone, without HTTP or PTB."""

    async def send_message(self, **kwargs: Any) -> None:
        """Yield once, as a request would."""
        await asyncio.sleep(0)

    async def __aenter__(self) -> StubBot:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        return None


async def broadcast(
    data_dir: Path,
    fake: FakeProcess | None,
    *,
    rate: float,
    in_flight: int,
    seconds: float | None,
) -> dict[str, float]:
    """One notification to every subscriber (or for ``seconds``); what it took. Without
    ``fake`` the worker sends to a :class:`StubBot`."""
    subs = SubscriptionStore.open(data_dir)
    outbox = Outbox.open(data_dir)
    item = Item(
        fact_id="eu-sanctions-2020-10-02",
        change=Change.NEW,
        match=frozenset({SubTopic.ALL, SubTopic.SANCTIONS}),
        text=MESSAGE,
        line="• bench",
    )
    outbox.enqueue(item, digest=False)
    bot: Any = (
        StubBot()
        if fake is None
        else Bot(
            TOKEN,
            base_url=fake.base_url,
            request=HTTPXRequest(connection_pool_size=in_flight + 1),
        )
    )
    pace = Settings(notify_rate=rate, notify_max_in_flight=in_flight).notify
    worker = DeliveryWorker(bot, subs, outbox, pace)
    peak = {"rss": rss_mb(), "tasks": 0.0}
    rss_before = peak["rss"]

    async def sample() -> None:
        while True:
            peak["rss"] = max(peak["rss"], rss_mb())
            peak["tasks"] = max(peak["tasks"], len(asyncio.all_tasks()))
            await asyncio.sleep(0.05)

    sampler = asyncio.create_task(sample())
    before = await fake.stats() if fake else {"delivered": 0, "refusals": 0}
    io_before = written_bytes()
    cpu_before = time.process_time()
    async with bot:
        start = time.perf_counter()
        if seconds is None:
            await worker.run(until_idle=True)
        else:
            worker.start()
            await asyncio.sleep(seconds)
            await worker.stop()
        elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_before
    outbox.close()  # the final checkpoint is part of the cost
    subs.close()
    io_after = written_bytes()
    sampler.cancel()
    after = await fake.stats() if fake else {"delivered": worker.stats.sent, "refusals": 0}
    delivered = after["delivered"] - before["delivered"]
    return {
        "delivered": delivered,
        "seconds": elapsed,
        "rate": delivered / elapsed,
        "refusals": after["refusals"] - before["refusals"],
        "max_in_window": after.get("max_in_window", float("nan")),
        "rss_before": rss_before,
        "rss_peak": peak["rss"],
        "tasks": peak["tasks"],
        "bytes_per_message": (io_after - io_before) / max(1, delivered),
        "cpu_ms_per_message": cpu * 1000 / max(1, delivered),
    }


async def bench_broadcasts(
    data_dir: Path, subscribers: int, ceiling_rate: float, http_seconds: float, limit_seconds: float
) -> list[tuple[str, dict[str, float]]]:
    runs = [
        (
            f"all {subscribers:,}, stub Bot (no HTTP), NOTIFY_RATE=10000, 64 in flight",
            await broadcast(data_dir, None, rate=10_000, in_flight=64, seconds=None),
        )
    ]
    fake = await FakeProcess.start(subscribers, global_limit=0)
    try:
        ceiling = await broadcast(
            data_dir, fake, rate=ceiling_rate, in_flight=8, seconds=http_seconds
        )
    finally:
        await fake.stop()
    runs.append(
        (
            f"first {http_seconds:g} s of it over HTTP, NOTIFY_RATE={ceiling_rate:g}, 8 in flight",
            ceiling,
        )
    )
    fake = await FakeProcess.start(subscribers, global_limit=30)
    try:
        limited = await broadcast(data_dir, fake, rate=30, in_flight=8, seconds=limit_seconds)
    finally:
        await fake.stop()
    runs.append((f"first {limit_seconds:g} s over HTTP, NOTIFY_RATE=30 (limit 30/s)", limited))
    return runs


# --- report ---------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--ops", type=int, default=2000)
    parser.add_argument("--ceiling-rate", type=float, default=2000)
    parser.add_argument("--http-seconds", type=float, default=60)
    parser.add_argument("--limit-seconds", type=float, default=10)
    parser.add_argument("--serve-fake", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--first-chat", type=int, default=FIRST_CHAT, help=argparse.SUPPRESS)
    parser.add_argument("--chats", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--global-limit", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.serve_fake:
        asyncio.run(serve_fake(args))
        return

    scratch = Path(tempfile.mkdtemp(prefix="bench-subscriptions-", dir=Path.cwd()))
    try:
        started = time.perf_counter()
        rows = bench_store(scratch, args.subscribers, args.ops)
        runs = asyncio.run(
            bench_broadcasts(
                scratch,
                args.subscribers,
                args.ceiling_rate,
                args.http_seconds,
                args.limit_seconds,
            )
        )
        total = time.perf_counter() - started
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print(f"## Subscriber store, {args.subscribers:,} subscribers\n")
    print("| measure | result |\n|---|---|")
    for label, value in rows:
        print(f"| {label} | {value} |")
    print(f"\n## Broadcast to {args.subscribers:,} subscribers (fake Bot API in its own process)\n")
    print(
        "| run | delivered | time | messages/s | worker CPU/message | 429s "
        "| most in 1 s at the fake | RSS before → peak | tasks at most | bytes written/message |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, run in runs:
        print(
            f"| {name} | {run['delivered']:,.0f} | {run['seconds']:.1f} s | {run['rate']:,.1f} "
            f"| {run['cpu_ms_per_message']:.2f} ms | {run['refusals']:.0f} "
            f"| {run['max_in_window']:.0f} | {run['rss_before']:.0f} → {run['rss_peak']:.0f} MB "
            f"| {run['tasks']:.0f} | {run['bytes_per_message']:.0f} B |"
        )
    print(f"\nTotal {total:.0f} s; single runs on a shared machine: read as orders of magnitude.")


if __name__ == "__main__":
    main()
