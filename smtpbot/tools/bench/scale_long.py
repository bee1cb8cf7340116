"""The scale-out long-conversation workload of `make bench`: one conversation of 1,000 messages
through the scale-out profile (nginx, 2 Rasa servers, 2 action servers, PostgreSQL, Redis).

Goal: flat cost - the median latency of the last 50 messages at most 1.5x the first 50's - with
nothing lost: the database holds every one of the 1,000 customer messages, in order.
`python -m smtpbot.tools.bench --workload scale-long` runs this workload alone.
"""

import statistics
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import requests

from smtpbot.tools.bench.stats import tree_cpu_seconds

# The message cycle of a 1,000-message conversation (tests/test_fuzz.py's too): a guide,
# steps, going back, a question, noise.
CYCLE = [
    "outlook 2013",
    "done",
    "done",
    "go back",
    "repeat",
    "why 587?",
    "asdf qwe",
    "done",
    "thanks",
    "/done",
]
GOAL = 1.5


def server_cpu_seconds(profile: Any) -> float:
    """CPU time so far of the profile's Rasa and action servers, Redis and PostgreSQL."""
    pids = [proc.pid for stack in profile.servers + profile.actions for proc in stack.procs]
    pids.append(profile.redis.proc.pid)
    postmaster = profile.postgres.data / "postmaster.pid"
    if postmaster.exists():
        pids.append(int(postmaster.read_text().split()[0]))
    return sum(tree_cpu_seconds(pid) for pid in pids)


def converse(
    base: str, sender: str, count: int, cpu: Callable[[], float], start: int = 0
) -> Tuple[List[float], List[float]]:
    """Send `count` messages of the cycle (from message `start`) one at a time; each one's
    latency and server CPU time (s)."""
    session = requests.Session()
    latencies, cpu_times = [], []
    for index in range(start, start + count):
        cpu_before = cpu()
        started = time.monotonic()
        response = session.post(
            f"{base}/webhooks/rest/webhook",
            json={"sender": sender, "message": CYCLE[index % len(CYCLE)]},
            timeout=120,
        )
        latencies.append(time.monotonic() - started)
        cpu_times.append(cpu() - cpu_before)
        response.raise_for_status()
        if index % 100 == 99:
            print(
                f"  {index + 1} messages, median of the last 50: "
                f"{statistics.median(latencies[-50:]) * 1000:.1f} ms",
                flush=True,
            )
    return latencies, cpu_times


def stored_user_messages(base: str, token: str, sender: str) -> List[str]:
    """The customer's messages as the database holds them (all sessions, via the HTTP API)."""
    tracker = requests.get(
        f"{base}/conversations/{sender}/tracker",
        params={"token": token, "include_events": "ALL"},
        timeout=300,
    ).json()
    return [event.get("text") for event in tracker["events"] if event.get("event") == "user"]


def run(model: Path, count: int = 1000) -> Dict[str, float]:
    """Start the profile, run the conversation, stop; the figures (also printed)."""
    from smtpbot.tools.scale import ScaleOut

    token = uuid.uuid4().hex
    profile = ScaleOut(2, 2, model=str(model), env={"RASA_TOKEN": token})
    print("Scale-out profile: 2 Rasa servers, 2 action servers, PostgreSQL, Redis...", flush=True)
    try:
        profile.start()
        base = f"http://127.0.0.1:{profile.port}"
        sender = "bench-long-" + uuid.uuid4().hex[:8]
        print(f"One conversation of {count} messages through nginx:", flush=True)
        cpu = lambda: server_cpu_seconds(profile)  # noqa: E731
        latencies, cpu_times = converse(base, sender, count, cpu)
        # Control for the machine's mood: a new conversation's first 50, right after.
        fresh, fresh_cpu = converse(base, "bench-fresh-" + uuid.uuid4().hex[:8], 50, cpu)
        stored = stored_user_messages(base, token, sender)
    finally:
        profile.stop()
    expected = [CYCLE[i % len(CYCLE)] for i in range(count)]
    first, last = statistics.median(latencies[:50]), statistics.median(latencies[-50:])
    cpu_first, cpu_last = statistics.mean(cpu_times[:50]), statistics.mean(cpu_times[-50:])
    control = statistics.median(fresh)
    figures = {
        "first 50 median (ms)": first * 1000,
        "last 50 median (ms)": last * 1000,
        "ratio": last / first,
        "cpu first 50 (ms)": cpu_first * 1000,
        "cpu last 50 (ms)": cpu_last * 1000,
        "fresh conversation median (ms)": control * 1000,
        "stored": float(len(stored)),
        "stored in order": float(stored == expected),
    }
    blocks = [
        f"{statistics.median(latencies[i : i + 100]) * 1000:.1f}" for i in range(0, count, 100)
    ]
    print(
        f"scale-out, one conversation of {count} messages: median first 50 = {first * 1000:.1f} "
        f"ms, last 50 = {last * 1000:.1f} ms, ratio {last / first:.2f} (goal <= {GOAL}); "
        f"medians per 100: {', '.join(blocks)} ms; customer messages in the database: "
        f"{len(stored)} of {count}{', in order' if stored == expected else ', NOT as sent'}",
        flush=True,
    )
    print(
        f"  server CPU per message (Rasa + action servers, PostgreSQL, Redis): first 50 "
        f"{cpu_first * 1000:.1f} ms, last 50 {cpu_last * 1000:.1f} ms "
        f"(ratio {cpu_last / cpu_first:.2f}); a new conversation's first 50 right after: "
        f"median {control * 1000:.1f} ms, CPU {statistics.mean(fresh_cpu) * 1000:.1f} ms",
        flush=True,
    )
    return figures


def passed(figures: Dict[str, float], count: int = 1000) -> bool:
    """The goal: flat within 1.5x and every message stored in order."""
    return figures["ratio"] <= GOAL and figures["stored"] == count and figures["stored in order"]
