"""Benchmark of the insights: synthetic conversations in the broker's table, ingest and report.

    python -m smtpbot.insights.bench [--conversations 100000] [--days 90] [--dir /tmp/x]

Writes N synthetic conversations (event for event shaped like Rasa's broker rows: session
start, each turn's user message, action, bot messages and slots) spread over `--days` days into
a fresh SQLite events table, then times: the first ingest of everything, a report over the whole
range, over the last day and for one channel, a second ingest of 1% more conversations (the
incremental case), and the cost of `publish` on the event loop for Rasa's SQLEventBroker and for
BufferedSQLEventBroker. Not a test: figures go to the README.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Dict, Iterator, List

import sqlalchemy as sa

from smtpbot.insights.report import ReportQuery, build_report
from smtpbot.insights.service import business_hours_check
from smtpbot.insights.store import InsightsStore, broker_events, make_engine
from smtpbot.kb.knowledge import get_kb

CHANNELS = ["rest"] * 5 + ["socketio"] * 3 + ["slack", "chatwoot"]
PROGRAMS = ["gmail", "windows-live-mail", "outlook-mobile", "postbox", "spark"]
GIBBERISH = ["my email is x{n}@example.com", "asdf", "call 0{n} 555 0199", "what about ssl", "??"]


def synthetic_conversation(rng: random.Random, sender: str, start: float, guides: Dict[str, int]):
    """One conversation's events, as the broker stores them."""
    t = start
    channel = rng.choice(CHANNELS)
    events: List[Dict[str, Any]] = []

    def add(event: Dict[str, Any]) -> None:
        event.update(sender_id=sender, timestamp=t)
        events.append(event)

    def turn(text: str, intent: str, action: str, slots: Dict[str, Any], handoff: str = ""):
        nonlocal t
        t += rng.uniform(3, 60)
        add(
            {
                "event": "user",
                "text": text,
                "parse_data": {"intent": {"name": intent, "confidence": 0.9}, "entities": []},
                "input_channel": channel,
                "message_id": f"{sender}-{len(events)}",
            }
        )
        add({"event": "user_featurization", "use_text_for_featurization": False})
        add({"event": "action", "name": action, "policy": "IntentActionPolicy", "confidence": 1})
        add({"event": "bot", "text": "a reply of the bot", "data": {}})
        for name, value in slots.items():
            add({"event": "slot", "name": name, "value": value})
        if handoff:
            add({"event": "slot", "name": "handoff_reason", "value": handoff})
        add({"event": "pause"} if handoff else {"event": "action", "name": "action_listen"})

    add({"event": "action", "name": "action_session_start"})
    add({"event": "session_started"})
    add({"event": "action", "name": "action_listen"})
    kind = rng.random()
    if kind < 0.08:
        program = rng.choice(PROGRAMS)
        turn(
            f"I use {program}",
            "inform",
            "action_identify_client",
            {"client": program, "guide": None, "step": None, "asked": None},
            handoff="uncovered",
        )
        return events
    if kind < 0.14:
        for _ in range(2):
            text = rng.choice(GIBBERISH).format(n=rng.randint(10**6, 10**8))
            turn(text, "nlu_fallback", "action_rephrase", {"asked": "client"})
        if rng.random() < 0.5:
            turn("person please", "human", "action_offer_human", {}, handoff="asked")
        return events
    guide = rng.choice(list(guides))
    total = guides[guide]
    if rng.random() < 0.3:
        turn("hi", "greet", "action_greet", {"asked": "client"})
    step = 1
    turn(
        "I use my mail program",
        "inform",
        "action_identify_client",
        {"client": "x", "guide": guide, "step": 1.0, "asked": None, "stuck_count": 0},
    )
    stuck = 0
    while True:
        roll = rng.random()
        if roll < 0.05:
            return events  # left: abandoned at this step
        if roll < 0.09:
            stuck += 1
            if stuck >= 2:
                turn("I'm stuck", "stuck", "action_stuck", {}, handoff="stuck")
                return events
            turn(
                "I'm stuck",
                "stuck",
                "action_stuck",
                {"guide": guide, "step": float(step), "stuck_count": stuck},
            )
            continue
        if roll < 0.12 and step > 1:
            turn(
                "back", "go_back", "action_previous_step", {"guide": guide, "step": float(step - 1)}
            )
            step -= 1
            continue
        if roll < 0.14:
            turn(
                "repeat", "repeat_step", "action_repeat_step", {"guide": guide, "step": float(step)}
            )
            continue
        if step == total:
            turn("done", "done", "action_next_step", {"asked": "outcome"})
            if rng.random() < 0.8:
                turn("yes it works", "it_worked", "action_outcome_worked", {"asked": None})
            else:
                turn(
                    "no",
                    "still_broken",
                    "action_outcome_failed",
                    {"asked": None},
                    handoff="still_broken",
                )
            return events
        step += 1
        stuck = 0
        turn(
            "done",
            "done",
            "action_next_step",
            {"guide": guide, "step": float(step), "asked": None, "stuck_count": 0},
        )


def generate(engine: sa.engine.Engine, count: int, days: int, seed: int, prefix: str) -> int:
    """Write `count` conversations (started over the last `days` days, interleaved in time
    order within chunks) into the broker's table; the number of events written."""
    guides = {g.id: g.total for g in get_kb().guides.values()}
    rng = random.Random(seed)
    broker_events.metadata.create_all(engine)
    end = time.time() - 3 * 3600
    start = end - days * 86400
    written = 0

    def rows() -> Iterator[List[Dict[str, Any]]]:
        chunk: List[Dict[str, Any]] = []
        for n in range(count):
            began = start + (end - start) * n / max(count, 1)
            events = synthetic_conversation(rng, f"{prefix}{n}", began, guides)
            chunk += [{"sender_id": e["sender_id"], "data": json.dumps(e)} for e in events]
            if len(chunk) >= 50_000:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    for chunk in rows():
        with engine.begin() as db:
            db.execute(broker_events.insert(), chunk)
        written += len(chunk)
    return written


def timed(label: str, call):
    began = time.perf_counter()
    result = call()
    seconds = time.perf_counter() - began
    print(f"{label}: {seconds:.2f} s", flush=True)
    return result, seconds


def publish_cost(folder: Path, events: int = 2000) -> None:
    """Time `publish` per event (what the customer's turn waits for) for both brokers."""
    from rasa.core.brokers.sql import SQLEventBroker

    from smtpbot.insights.broker import BufferedSQLEventBroker

    event = {"sender_id": "x", "event": "slot", "name": "step", "value": 3.0, "timestamp": 1.0}
    for name, broker in (
        ("Rasa SQLEventBroker", SQLEventBroker(db=str(folder / "rasa-broker.db"))),
        ("BufferedSQLEventBroker", BufferedSQLEventBroker(db=str(folder / "buffered.db"))),
    ):
        began = time.perf_counter()
        for _ in range(events):
            broker.publish(event)
        per_event = (time.perf_counter() - began) / events * 1e6
        if hasattr(broker, "flush"):
            broker.flush()
        print(f"publish, {name}: {per_event:.0f} us per event on the caller's thread", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dir", help="work folder (default: a new temporary one)")
    parser.add_argument(
        "--keep-events", action="store_true", help="reuse the folder's events.db, new store"
    )
    args = parser.parse_args()
    folder = Path(args.dir or tempfile.mkdtemp(prefix="insights-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    events = make_engine(f"sqlite:///{folder / 'events.db'}")
    for old in folder.glob("insights.db*"):
        old.unlink()
    store = InsightsStore(f"sqlite:///{folder / 'insights.db'}")
    in_hours = business_hours_check()
    if not args.keep_events:
        written, _ = timed(
            f"generate {args.conversations} conversations",
            lambda: generate(events, args.conversations, args.days, args.seed, "c"),
        )
        print(f"  {written} events", flush=True)
    result, seconds = timed("first ingest", lambda: store.ingest(events, in_hours, retention=0))
    print(f"  {result.events / seconds:,.0f} events/s, {result.conversations} conversations")
    get_kb()  # loaded once per process anyway: not part of a report's time
    today = date.today()
    for label, query in (
        (f"report, all {args.days} days", ReportQuery()),
        ("report, last day", ReportQuery(since=today - timedelta(days=1), until=today)),
        ("report, one channel, all days", ReportQuery(channel="socketio")),
    ):
        report, _ = timed(label, lambda q=query: build_report(store, q))
    summary = report["summary"]
    print(
        f"  {summary['conversations']} conversations (socketio), resolution rate "
        f"{summary['resolution_rate']}"
    )
    more = max(args.conversations // 100, 1)
    generate(events, more, 1, args.seed + 1, "new")
    result, _ = timed(
        f"incremental ingest of {more} new conversations",
        lambda: store.ingest(events, in_hours, retention=0),
    )
    print(f"  {result.events} events")
    timed("report, all days, after it", lambda: build_report(store, ReportQuery()))
    publish_cost(folder)
    print(f"data in {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
