"""The workload: conversations over Rasa's REST channel, each a script of (message, expected text).

Our bot walks real guides (kb/guides.yml): an opener, one 'done' per step, 'yes' at the end.
The stock bot gets the messages of its own stories, as many per conversation as ours.
"""

import asyncio
import statistics
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import aiohttp
import yaml

from smtpbot.kb.knowledge import get_kb

# (message, text the replies must contain; None = any non-empty reply)
Script = List[Tuple[str, Optional[str]]]
# Rasa's starter bot (`rasa init`): greet, mood_great, mood_unhappy, affirm, deny, bot_challenge, goodbye.
STOCK_MESSAGES = [
    "hello",
    "I am feeling very good",
    "hi",
    "I am sad",
    "yes",
    "hey there",
    "not good",
    "no",
    "are you a bot?",
    "bye",
]


def guide_scripts() -> List[Script]:
    """One script per guide: opener -> step 1, 'done' -> each next step, 'done' -> the test, 'yes'."""
    guides = get_kb().guides
    openers = yaml.safe_load((Path(__file__).parent / "openers.yml").read_text(encoding="utf-8"))
    scripts = []
    for guide_id, opener in openers.items():
        steps = guides[guide_id].steps
        script: Script = [(opener, f"Step 1 of {len(steps)}: {steps[0]}")]
        script += [
            ("done", f"Step {n} of {len(steps)}: {steps[n - 1]}") for n in range(2, len(steps) + 1)
        ]
        script += [("done", "send a test email"), ("yes", "587")]
        scripts.append(script)
    return scripts


def stock_scripts(lengths: Sequence[int]) -> List[Script]:
    """Scripts for the stock bot with the given lengths, cycling through its story messages."""
    return [[(STOCK_MESSAGES[i % len(STOCK_MESSAGES)], None) for i in range(n)] for n in lengths]


@dataclass
class Result:
    """Latencies (seconds) of every message, wrong/failed replies, the wall time; for results
    merged from several rounds, each round's throughput."""

    latencies: List[float] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)
    wall: float = 0.0
    round_throughputs: List[float] = field(default_factory=list)

    @property
    def throughput(self) -> float:
        """Messages answered per second (the median round's, for merged results)."""
        if self.round_throughputs:
            return statistics.median(self.round_throughputs)
        return len(self.latencies) / self.wall if self.wall else 0.0


def merge(rounds: Sequence[Result]) -> Result:
    """Several rounds of one workload as one result: all latencies and errors, median throughput."""
    return Result(
        latencies=[x for r in rounds for x in r.latencies],
        errors=[e for r in rounds for e in r.errors],
        wall=sum(r.wall for r in rounds),
        round_throughputs=[r.throughput for r in rounds],
    )


async def say(
    session: aiohttp.ClientSession, url: str, sender: str, text: str
) -> Tuple[float, str]:
    """Send one message; (latency, all reply texts joined)."""
    start = time.perf_counter()
    async with session.post(url, json={"sender": sender, "message": text}) as response:
        response.raise_for_status()
        replies = await response.json()
    return time.perf_counter() - start, "\n".join(r.get("text", "") for r in replies)


async def converse(session, url: str, script: Script, result: Result) -> None:
    """Walk one script in a new conversation, recording latencies and wrong replies."""
    sender = "bench-" + uuid.uuid4().hex[:12]
    for text, expected in script:
        try:
            latency, reply = await say(session, url, sender, text)
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            result.errors.append(f"{sender} {text!r}: {error!r}")
            return
        result.latencies.append(latency)
        if (expected is None and not reply) or (expected is not None and expected not in reply):
            result.errors.append(f"{sender} {text!r}: expected {expected!r}, got {reply[:80]!r}")


async def _run(base: str, scripts: Sequence[Script], concurrency: int) -> Result:
    result = Result()
    url = f"{base}/webhooks/rest/webhook"
    timeout = aiohttp.ClientTimeout(total=120)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        queue = list(scripts)

        async def worker():
            while queue:
                await converse(session, url, queue.pop(0), result)

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        result.wall = time.perf_counter() - start
    return result


def run(base: str, scripts: Sequence[Script], concurrency: int) -> Result:
    """Run the scripts with `concurrency` conversations in flight at any time."""
    return asyncio.run(_run(base, scripts, concurrency))


def first_reply_time(base: str, deadline: float) -> float:
    """Poll until the bot answers a message over REST; the time.monotonic() of that answer."""

    async def poll() -> float:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
            while time.monotonic() < deadline:
                try:
                    _, reply = await say(
                        session, f"{base}/webhooks/rest/webhook", "bench-warmup", "hello"
                    )
                    if reply:
                        return time.monotonic()
                except (aiohttp.ClientError, asyncio.TimeoutError, OSError):
                    pass
                await asyncio.sleep(0.1)
        raise TimeoutError(f"{base} did not answer before the deadline")

    return asyncio.run(poll())
