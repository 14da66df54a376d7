"""Claim check quality and speed, on the development and the held-out post sets.

    .venv/bin/python bench/bench_claims.py [--dev] [--failures SET] [--no-speed]

For each set in ``tests/quality/posts/`` (``posts_dev*``: the checker may be tuned on them;
``posts_heldout*``: never, see its README) every post is checked whole, as the bot does, and
each labelled claim is scored against the checked claim that shares most of its words: right
when the finding equals the label. Also printed: the claims labelled "nothing" that got a
"support" or "contradict" (must be 0), set-aside items recognised, and the time to check a
1,000-character post at 10,000 facts (the bot's own compute, no Telegram). ``--failures SET``
lists that set's misses, only for a set rules are chosen on (``TUNED_SETS`` in
facts/claims_quality.py): the misses of a validation or held-out set are never printed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from facts.answer import IndexedFacts  # noqa: E402
from facts.claims import check_post  # noqa: E402
from facts.claims_quality import TUNED_SETS, evaluate, load_posts  # noqa: E402
from facts.model import Fact  # noqa: E402
from facts.seed import load_seed  # noqa: E402
from facts.store import FactStore  # noqa: E402

SETS = ROOT / "tests" / "quality" / "posts"
#: A post of about 1,000 characters, in the style of a channel post, for the speed figure.
SPEED_POST = (
    "BREAKING: On 2 October 2020 the United States sanctioned eight Belarusian officials, "
    "including representatives of the Central Election Commission, and the EU published a "
    "list of 40 names. Lukashenko won 80 percent of the vote in a free and fair election, "
    "and international observers confirmed it. Nobody was detained after the vote. "
    "The OSCE Moscow Mechanism was introduced in 2011. At least 1,486 political prisoners "
    "were held in Belarus as of May 2023, the OSCE rapporteur counted. Hundreds of students "
    "marched across Minsk in September 2020. Ambassador Gilmore met Tikhanovskaya in Warsaw "
    "on 6 November 2020. Blogger Nikolai Klimovich died in prison near Vitebsk after being "
    "denied medication. The weather in Minsk will be rainy all weekend and the national "
    "football team lost again. Putin said he would send police into Belarus if the protests "
    "got worse. Long live Belarus! Why is nobody talking about this? I think the regime will "
    "fall soon, and the truth will win in the end for everyone."
)


class _Base(IndexedFacts):
    """The 10,000 facts in memory, sized in O(1) as the bot's FactStore is."""

    def __init__(self, facts: list[Fact]) -> None:
        super().__init__(facts)
        self._size = len(facts)

    def __len__(self) -> int:
        return self._size


def _speed(facts: int) -> str:
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_search import synthetic_facts

    seed = load_seed()
    base = _Base([*seed.facts, *synthetic_facts(facts - len(seed.facts), random.Random(20201026))])
    check_post(SPEED_POST, base)  # warm the per-fact analysis, as a running bot has it
    times: list[float] = []
    cpu: list[float] = []
    for _ in range(20):
        start, start_cpu = time.perf_counter(), time.process_time()
        check_post(SPEED_POST, base)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    # CPU time is the bot's own compute; wall time also counts whoever shares the machine.
    return (
        f"{len(SPEED_POST)}-character post at {facts:,} facts: median "
        f"{statistics.median(cpu):.1f} ms CPU, worst {max(cpu):.1f} ms CPU; wall median "
        f"{statistics.median(times):.1f} ms, worst {max(times):.1f} ms (20 runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", metavar="SET", help="list the misses of one set")
    parser.add_argument("--dev", action="store_true", help="the development sets only")
    parser.add_argument("--no-speed", action="store_true", help="skip the speed figure")
    args = parser.parse_args()
    if args.failures is not None and args.failures not in TUNED_SETS:
        parser.error(f"--failures lists only the misses of {', '.join(sorted(TUNED_SETS))}")
    print(
        "| set | posts | claims | right | nothing claims given support/contradict "
        "| set aside recognised |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        store = FactStore.open(Path(tmp) / "data", seed=load_seed())
        try:
            for path in sorted(SETS.glob("posts_*.json")):
                name = path.stem
                if (args.dev or args.failures) and not name.startswith("posts_dev"):
                    continue  # listing misses is for tuning: the held-out sets stay out
                report = evaluate(load_posts(path), lambda text: check_post(text, store))
                print(
                    f"| {name} | {report.posts} | {report.claims} | "
                    f"{100 * report.accuracy:.1f} % | {report.false_findings} | "
                    f"{report.aside_found}/{report.aside} |"
                )
                if args.failures == name:
                    print("\n".join(report.failures), file=sys.stderr)
                for label, (right, total) in sorted(report.by_label.items()):
                    print(f"|  {label} | | {total} | {100 * right / max(1, total):.1f} % | | |")
        finally:
            store.close()
    if not args.no_speed:
        print()
        print(_speed(10_000))


if __name__ == "__main__":
    main()
