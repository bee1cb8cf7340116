"""Faults of the shared stores in the scale-out profile, measured and printed.

- PostgreSQL restarted under load (a fast restart, and an 8 s outage, longer than the tracker
  store's 3 s retry budget): conversations keep sending; replies during the outage are delayed
  or say we are having trouble (nothing processed), and afterwards every conversation is exactly
  at the step its customer last saw.
- A turn whose COMMIT landed but whose answer was lost (PostgreSQL stopped right after it) and
  the database down for longer than the retries: the customer was told "having trouble", so the
  turn is undone before the conversation is read again, by this server, the other one, the HTTP
  API, or the single-server store (deterministic, through a proxy that loses the answer).
- Redis (lock store) down: a clear trouble reply, the message is not processed at all (so no
  server can process it without the lock), and everything works again once Redis is back.
"""

import asyncio
import threading
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from lossy_proxy import LossyProxy
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from scale_support import SCALE_TOKEN, TROUBLE, Server, joined, shown_step, step_events, user_events

from smtpbot.runtime.metrics import metrics
from smtpbot.stores.shared_cache import SharedCacheSQLTrackerStore
from smtpbot.stores.tracker_cache import CachedSQLTrackerStore
from smtpbot.stores.tracker_store import is_connection_error
from smtpbot.tools.stack import Stack, free_ports

LOAD_CONVERSATIONS = 8
RESTART_AT = 8
RECOVERY_SECONDS = 14


def drive(servers, sender: str, stop: threading.Event, log: list) -> None:
    """Keep walking Outlook 2007 (9 steps), alternating servers; record what the customer saw."""
    seen, sent = 0, 0
    replies, _ = servers[0].say(sender, "outlook 2007")
    seen = shown_step(replies)
    while not stop.is_set():
        text = "done" if seen < 9 else "start over"
        at = time.monotonic()
        try:
            replies, seconds = servers[sent % 2].say(sender, text)
            status = "trouble" if TROUBLE in joined(replies) else "ok"
        except Exception as error:  # a 5xx or a refused connection would be a failure
            replies, seconds, status = [], time.monotonic() - at, f"error {error!r}"
        sent += 1
        shown = shown_step(replies) if status == "ok" else None
        if status == "ok":
            expected = seen + 1 if text == "done" else 1
            if shown != expected:
                status = f"wrong step {shown}, expected {expected}"
            seen = shown if shown else seen
        log.append((sender, at, seconds, status, seen))
    log.append((sender, time.monotonic(), 0.0, "final", seen))


@pytest.mark.parametrize("outage", [0, 8], ids=["fast-restart", "8s-outage"])
def test_postgres_restart_under_load(cluster, outage):
    servers = [Server(port, SCALE_TOKEN) for port in cluster.rasa_ports]
    stop, log = threading.Event(), []
    senders = [f"pgload-{i}-{uuid.uuid4().hex[:6]}" for i in range(LOAD_CONVERSATIONS)]
    threads = [threading.Thread(target=drive, args=(servers, s, stop, log)) for s in senders]
    for thread in threads:
        thread.start()
    start = time.monotonic()
    time.sleep(RESTART_AT)
    down_at = time.monotonic()
    if outage:
        cluster.postgres.stop("fast")
        time.sleep(outage)
        cluster.postgres.start()
    else:
        cluster.postgres.restart("fast")
    up_at = time.monotonic()
    time.sleep(RECOVERY_SECONDS)
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    load_seconds = time.monotonic() - start

    requests_ = [entry for entry in log if entry[3] != "final"]
    failures = [e for e in requests_ if e[3] not in ("ok", "trouble")]
    trouble = [e for e in requests_ if e[3] == "trouble"]
    window = (max(e[1] for e in trouble) - min(e[1] for e in trouble)) if trouble else 0.0
    slowest = max(e[2] for e in requests_)
    print(
        f"\nPostgreSQL {'down for %ds' % outage if outage else 'fast restart'} under load: "
        f"{len(requests_)} messages from {LOAD_CONVERSATIONS} conversations in {load_seconds:.0f}s; "
        f"database unavailable for {up_at - down_at:.1f}s; "
        f"{len(trouble)} answered 'having trouble' over {window:.1f}s; slowest reply {slowest:.1f}s; "
        f"{len(failures)} errors or wrong steps"
    )
    assert not failures, failures[:5]
    if outage:  # longer than the retry budget: customers must be told, not left waiting
        assert trouble, "no 'having trouble' reply while the database was down"
    for index, sender in enumerate(senders):
        final_seen = [e[4] for e in log if e[0] == sender and e[3] == "final"][0]
        slots = servers[0].tracker(sender)["slots"]
        assert slots["step"] == final_seen, (sender, slots["step"], final_seen)
        # Recovered: the next message is answered normally, at the next step.
        text, expected = ("done", final_seen + 1) if final_seen < 9 else ("start over", 1)
        replies, _ = servers[index % 2].say(sender, text)
        assert TROUBLE not in joined(replies) and shown_step(replies) == expected, joined(replies)


ROOT = Path(__file__).resolve().parents[2]
RETRY_SECONDS = 1.0  # the stores' retry budget in these tests; the outage lasts longer
OUTAGE = 3.0


def run(coroutine):
    """Run one store call."""
    return asyncio.run(coroutine)


def turn(step, at):
    """One "done" and the bot's answer, as the walkthrough records them."""
    return [
        UserUttered("done", {"name": "done", "confidence": 1.0}, timestamp=at),
        ActionExecuted("action_next_step", timestamp=at + 0.1),
        SlotSet("step", step, timestamp=at + 0.2),
        BotUttered(f"Step {step}", timestamp=at + 0.3),
        ActionExecuted("action_listen", timestamp=at + 0.4),
    ]


def stored(cluster, sender):
    """The conversation's rows in PostgreSQL (read directly, not through the proxy)."""
    env = cluster.postgres.env()
    engine = sa.create_engine(
        sa.engine.URL.create(
            "postgresql",
            username=env["TRACKER_DB_USER"],
            password=env["TRACKER_DB_PASSWORD"],
            host="127.0.0.1",
            port=cluster.postgres.port,
            database=env["TRACKER_DB_NAME"],
        )
    )
    with engine.connect() as connection:
        query = sa.text("SELECT id, data FROM events WHERE sender_id = :s ORDER BY id")
        rows = [tuple(row) for row in connection.execute(query, {"s": sender})]
    engine.dispose()
    return rows


def undone_turns():
    """This process's count of undone turns."""
    return metrics().registry.get_sample_value("smtpbot_tracker_store_undone_turns_total") or 0


def open_store(cluster, port, shared=True):
    """The scale-out store (or, `shared` False, the single-server store) on PostgreSQL at
    `port`, with a short retry budget."""
    env = cluster.postgres.env()
    options = dict(
        dialect="postgresql",
        host="127.0.0.1",
        port=port,
        db=env["TRACKER_DB_NAME"],
        username=env["TRACKER_DB_USER"],
        password=env["TRACKER_DB_PASSWORD"],
        retry_seconds=RETRY_SECONDS,
        retry_interval=0.2,
    )
    domain = Domain.load(str(ROOT / "domain.yml"))
    if not shared:  # on PostgreSQL: the resilient store without the SQLite cache
        return CachedSQLTrackerStore(domain, **options)
    return SharedCacheSQLTrackerStore(
        domain, redis_host="127.0.0.1", redis_port=cluster.redis.port, **options
    )


@pytest.mark.parametrize("reader", ["same-server", "other-server", "http-api", "single-server"])
def test_a_turn_whose_commit_answer_was_lost_is_undone(cluster, reader):
    proxy = LossyProxy(cluster.postgres.port)
    try:
        writer = open_store(cluster, proxy.port, shared=reader != "single-server")
        other = open_store(cluster, proxy.port, shared=True) if reader == "other-server" else None
        sender = f"in-doubt-{reader}-{uuid.uuid4().hex[:6]}"
        at = time.time() + 100
        tracker = run(writer.get_or_create_tracker(sender))
        for step in (1, 2):  # two turns saved normally, alternating servers when there are two
            store = (writer, other or writer)[step % 2]
            tracker = run(store.retrieve(sender))
            for event in turn(step, at + step):
                tracker.update(event)
            run(store.save(tracker))
        before = [e.as_dict() for e in run(writer.retrieve(sender)).events]
        rows_before = stored(cluster, sender)
        undone = undone_turns()

        # Turn 3: its COMMIT lands, the answer is lost, PostgreSQL stays away past the retries.
        tracker = run(writer.retrieve(sender))
        for event in turn(3, at + 3):
            tracker.update(event)
        proxy.lose_next_commit_answer(OUTAGE)
        with pytest.raises(Exception) as failed:  # the customer is told "having trouble"
            run(writer.save(tracker))
        assert is_connection_error(failed.value), failed.value
        assert proxy.commit_lost.is_set()
        assert len(stored(cluster, sender)) == len(rows_before) + 5  # the commit did land
        proxy.wait_until_up()

        # The next read (this server, the other one, the HTTP API's) shows the turn undone.
        reader_store = other or writer
        if reader == "http-api":
            seen = run(writer.retrieve_full_tracker(sender))
        else:
            seen = run(reader_store.retrieve(sender))
        assert [e.as_dict() for e in seen.events] == before
        assert seen.get_slot("step") == 2
        assert stored(cluster, sender) == rows_before
        assert undone_turns() == undone + 1
        # The customer's resent "done" is step 3, once.
        tracker = run(reader_store.retrieve(sender))
        for event in turn(3, at + 4):
            tracker.update(event)
        run(reader_store.save(tracker))
        rows = stored(cluster, sender)
        assert rows[: len(rows_before)] == rows_before and len(rows) == len(rows_before) + 5
        again = run(open_store(cluster, proxy.port, reader != "single-server").retrieve(sender))
        steps = [e.value for e in again.events if isinstance(e, SlotSet) and e.key == "step"]
        assert steps == [1, 2, 3]
    finally:
        proxy.close()


def test_after_a_lost_commit_answer_the_next_message_continues_where_the_customer_left(cluster):
    """Through Rasa servers: a third server reaches PostgreSQL through the proxy, which loses the
    answer to its turn's COMMIT and stays down past its retries; the customer is told "having
    trouble", resends "done" to another server and gets the step they were waiting for."""
    env = cluster.postgres.env()
    proxy = LossyProxy(cluster.postgres.port, database=env["TRACKER_DB_NAME"])
    port, metrics_port = free_ports(2)
    third = Stack(
        rasa_port=port,
        model=str(ROOT / "models" / "smtpbot.tar.gz"),
        endpoints=str(ROOT / "endpoints.scale.yml"),
        log_dir=ROOT / "test-artifacts" / "logs" / "scale" / "rasa-proxied",
        env={
            **cluster.rasa_env(),
            "TRACKER_DB_PORT": str(proxy.port),
            "TRACKER_DB_RETRY_SECONDS": str(RETRY_SECONDS),
            "SMTPBOT_METRICS_PORT": str(metrics_port),
        },
    )
    try:
        third.start_rasa(300)
        proxied, other = Server(port, SCALE_TOKEN), Server(cluster.rasa_ports[0], SCALE_TOKEN)
        sender = "lost-ack-" + uuid.uuid4().hex[:6]
        assert shown_step(proxied.say(sender, "outlook 2007")[0]) == 1
        assert shown_step(other.say(sender, "done")[0]) == 2
        rows_before = stored(cluster, sender)
        proxy.lose_next_commit_answer(OUTAGE)
        replies, _ = proxied.say(sender, "done")
        assert TROUBLE in joined(replies), joined(replies)
        assert proxy.commit_lost.is_set() and len(stored(cluster, sender)) > len(rows_before)
        proxy.wait_until_up()
        replies, _ = other.say(sender, "done")
        assert shown_step(replies) == 3, joined(replies)
        tracker = other.tracker(sender)
        assert step_events(tracker) == [1, 2, 3]
        assert [e["text"] for e in user_events(tracker)] == ["outlook 2007", "done", "done"]
    finally:
        third.stop()
        proxy.close()


def test_redis_down_gives_a_clear_error_and_recovers(cluster):
    servers = [Server(port, SCALE_TOKEN) for port in cluster.rasa_ports]
    senders = [f"redis-{i}-{uuid.uuid4().hex[:6]}" for i in range(4)]
    for sender in senders:
        servers[0].say(sender, "thunderbird 115")
        assert shown_step(servers[1].say(sender, "done")[0]) == 2
    before = {s: len(user_events(servers[0].tracker(s))) for s in senders}
    cluster.redis.stop()
    try:
        worst = 0.0
        for index, sender in enumerate(senders):
            replies, seconds = servers[index % 2].say(sender, "done")
            worst = max(worst, seconds)
            assert TROUBLE in joined(replies) and "support team" in joined(replies), joined(replies)
        print(f"\nRedis down: every message answered 'having trouble' within {worst:.2f}s")
        for sender in senders:  # nothing was processed: no server went ahead without the lock
            tracker = servers[1].tracker(sender)
            assert len(user_events(tracker)) == before[sender]
            assert tracker["slots"]["step"] == 2
    finally:
        cluster.redis.start()
    for index, sender in enumerate(senders):
        assert shown_step(servers[index % 2].say(sender, "done")[0]) == 3
        tracker = servers[(index + 1) % 2].tracker(sender)
        assert step_events(tracker) == [1, 2, 3]
        assert len(user_events(tracker)) == before[sender] + 1
