"""`python -m smtpbot.tools.bench` (`make bench`): start-up, memory, model size, training time, latency and
throughput of our bot and of Rasa's stock starter bot under the same REST workload, with ratios.

Both bots are started (one after the other, each start-up timed alone) on free ports and stay
up; then every workload runs in rounds that alternate between the two bots (ours, stock, stock,
ours, ...), one bot busy at a time. A slow spell of the machine (this 2-core VM's speed varies by
+-30% from minute to minute) then hits both bots alike, and throughput is the median round's.
"""

import argparse
import itertools
import os
import sys
import tempfile
from pathlib import Path
from typing import Dict, List

from smtpbot import settings
from smtpbot.tools.bench import bots, stats, workload
from smtpbot.tools.bench.workload import Result

GOALS = {
    "start-up (s)": "<= 0.25",
    "memory, all servers (MB)": "<= 0.5",
    "latency p50 (ms)": "<= 0.5",
    "throughput, 10 conversations (msg/s)": ">= 3",
    "throughput, 50 conversations (msg/s)": ">= 3",
}


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_round(running: bots.Running, plan: tuple) -> tuple:
    """One round of a workload plan (scripts, concurrency): its result and the servers' CPU seconds."""
    cpu_before = running.cpu_seconds()
    result: Result = workload.run(running.base, *plan)
    return result, running.cpu_seconds() - cpu_before


def measure(
    runnings: Dict[str, bots.Running], plans: Dict[str, Dict[str, tuple]], rounds: int
) -> Dict[str, Dict]:
    """Each workload, `rounds` rounds alternating between the bots; then the servers' memory."""
    figures: Dict[str, Dict[str, object]] = {
        name: {"startup": r.startup_seconds} for name, r in runnings.items()
    }
    names = list(runnings)
    for workload_name in plans[names[0]]:
        done: Dict[str, List[tuple]] = {name: [] for name in names}
        for k in range(rounds):
            for name in names if k % 2 == 0 else names[::-1]:
                done[name].append(run_round(runnings[name], plans[name][workload_name]))
        for name in names:
            result = workload.merge([result for result, _ in done[name]])
            figures[name][workload_name] = result
            # CPU per message: robust on a busy machine, where wall-clock latency includes waiting.
            figures[name][f"{workload_name} cpu"] = sum(cpu for _, cpu in done[name]) / max(
                len(result.latencies), 1
            )
            print(
                f"  {name} {workload_name}: {len(result.latencies)} messages, {len(result.errors)} wrong/failed, "
                f"{result.throughput:.1f} msg/s (rounds: "
                f"{', '.join(f'{t:.1f}' for t in result.round_throughputs)}), "
                f"p50 {stats.percentile(result.latencies, 50) * 1000:.0f} ms, "
                f"p95 {stats.percentile(result.latencies, 95) * 1000:.0f} ms",
                flush=True,
            )
            for error in result.errors[:3]:
                print(f"    {error}", flush=True)
    for name, running in runnings.items():
        figures[name]["rss"] = running.rss_mb()
    return figures


def plans_for(
    scripts: List[workload.Script], sequential: int, counts: List[int]
) -> Dict[str, tuple]:
    """The workload plans: `sequential` conversations one at a time, then N conversations at once."""
    cycle = lambda n: list(itertools.islice(itertools.cycle(scripts), n))  # noqa: E731
    plans = {"sequential": (cycle(sequential), 1)}
    for n in counts:
        plans[f"concurrent {n}"] = (cycle(n), n)
    return plans


def rows(
    ours: Dict, stock: Dict, trained: bots.Trained, stock_model: bots.Trained, counts: List[int]
) -> List[Dict]:
    """The result table's rows."""

    def row(metric, a, b):
        return {
            "metric": metric,
            "ours": a,
            "stock": b,
            "ratio": stats.ratio(a, b),
            "goal": GOALS.get(metric, ""),
            "met": stats.goal_met(stats.ratio(a, b), GOALS.get(metric, "")),
        }

    p = lambda figures, name, q: stats.percentile(figures[name].latencies, q) * 1000  # noqa: E731
    table = [
        row("start-up (s)", ours["startup"], stock["startup"]),
        row("memory, all servers (MB)", sum(ours["rss"].values()), sum(stock["rss"].values())),
        row("memory, Rasa server (MB)", ours["rss"]["rasa"], stock["rss"]["rasa"]),
        row("memory, action server (MB)", ours["rss"].get("actions"), None),
        row("model size (MB)", trained.size_mb, stock_model.size_mb),
        row("training time (s)", trained.train_seconds, stock_model.train_seconds),
        row("latency p50 (ms)", p(ours, "sequential", 50), p(stock, "sequential", 50)),
        row("latency p95 (ms)", p(ours, "sequential", 95), p(stock, "sequential", 95)),
        row(
            "server CPU per message (ms)",
            ours["sequential cpu"] * 1000,
            stock["sequential cpu"] * 1000,
        ),
    ]
    for n in counts:
        name = f"concurrent {n}"
        table.append(
            row(
                f"throughput, {n} conversations (msg/s)",
                ours[name].throughput,
                stock[name].throughput,
            )
        )
        table.append(row(f"p95 with {n} conversations (ms)", p(ours, name, 95), p(stock, name, 95)))
    return table


def main() -> int:
    """Train ours, get the stock bot, run both under the same workload, print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--sequential", type=int, default=6, help="conversations walked one at a time"
    )
    parser.add_argument("--concurrency", type=int, nargs="+", default=[10, 50])
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of each workload per bot, alternating"
    )
    parser.add_argument(
        "--retrain-stock", action="store_true", help="re-create the cached stock bot"
    )
    parser.add_argument(
        "--model", type=Path, help="use this trained model of ours (no training time)"
    )
    args = parser.parse_args()
    settings.TF_CPP_MIN_LOG_LEVEL.setdefault("3")
    print(
        f"Benchmark on {stats.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}", flush=True
    )
    with tempfile.TemporaryDirectory(prefix="smtpbot-bench-") as tmp:
        work = Path(tmp)
        if args.model:
            trained = bots.Trained(args.model.resolve(), None)
        else:
            print("Training our bot (cold cache)...", flush=True)
            trained = bots.train_ours(work / "model")
            print(f"  {trained.train_seconds:.1f} s, {trained.size_mb:.2f} MB", flush=True)
        print(
            "Stock bot (rasa init --no-prompt, cached in " + str(bots.cache_dir()) + ")...",
            flush=True,
        )
        stock_model = bots.stock_bot(retrain=args.retrain_stock)
        scripts = workload.guide_scripts()
        ours_plans = plans_for(scripts, args.sequential, args.concurrency)
        # The stock bot gets conversations of the same lengths, so both answer the same number of messages.
        stock_plans = {
            name: (workload.stock_scripts([len(s) for s in plan[0]]), plan[1])
            for name, plan in ours_plans.items()
        }
        runnings: Dict[str, bots.Running] = {}
        try:
            for name, start in (
                (
                    "ours",
                    lambda: bots.start_ours(trained.model, free_port(), free_port(), work / "ours"),
                ),
                ("stock", lambda: bots.start_stock(stock_model, free_port(), work / "stock")),
            ):
                print(f"Starting {name}...", flush=True)
                runnings[name] = start()
                print(f"  ready in {runnings[name].startup_seconds:.1f} s", flush=True)
            print(
                f"Workloads, {args.rounds} rounds each, alternating between the bots:", flush=True
            )
            results = measure(runnings, {"ours": ours_plans, "stock": stock_plans}, args.rounds)
        finally:
            for running in runnings.values():
                running.stack.stop()
        print()
        print(
            stats.table(
                rows(results["ours"], results["stock"], trained, stock_model, args.concurrency)
            )
        )
        wrong = sum(len(results["ours"][name].errors) for name in ours_plans)
        if wrong:
            print(f"\n{wrong} of our replies were wrong or failed (see above).")
        return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
