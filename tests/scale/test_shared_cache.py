"""The scale-out tracker store shares each conversation's session through Redis
(smtpbot/stores/shared_cache.py): state continues whichever server takes a message, a write
by anything else is seen, Redis emptied loses nothing, and the database keeps every event."""

import json
import time
import uuid

import redis
import sqlalchemy as sa
from scale_support import SCALE_TOKEN, STEP, Server


def step_of(replies):
    found = [int(m.group(1)) for r in replies for m in STEP.finditer(r.get("text") or "")]
    return found[-1] if found else None


def database(cluster):
    env = cluster.postgres.env()
    url = sa.engine.URL.create(
        "postgresql",
        username=env["TRACKER_DB_USER"],
        password=env["TRACKER_DB_PASSWORD"],
        host=env["TRACKER_DB_HOST"],
        port=int(env["TRACKER_DB_PORT"]),
        database=env["TRACKER_DB_NAME"],
    )
    return sa.create_engine(url)


def shared_sessions(cluster):
    return redis.StrictRedis(host="127.0.0.1", port=cluster.redis.port, db=2)


def test_state_follows_the_conversation_across_servers_and_outside_writes(cluster):
    a, b = (Server(port, SCALE_TOKEN) for port in cluster.rasa_ports)
    sender = "shared-" + uuid.uuid4().hex[:8]
    assert step_of(a.say(sender, "I use Outlook 2013")[0]) == 1
    # Alternate servers: each continues where the other left off (through the shared session).
    for expected, server in zip(range(2, 6), (b, a, b, a)):
        assert step_of(server.say(sender, "done")[0]) == expected
    # Someone else writes the conversation (not through this store): a slot set straight in
    # PostgreSQL. Both servers' cached sessions are now stale; the next messages see the write.
    with database(cluster).begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO events (sender_id, type_name, timestamp, data) "
                "VALUES (:sender, 'slot', :at, :data)"
            ),
            {
                "sender": sender,
                "at": time.time(),
                "data": json.dumps(
                    {"event": "slot", "name": "step", "value": 7, "timestamp": time.time()}
                ),
            },
        )
    assert step_of(b.say(sender, "done")[0]) == 8
    assert step_of(a.say(sender, "done")[0]) == 9
    # Redis emptied: nothing lost, the database answers and the session is shared again.
    shared_sessions(cluster).flushdb()
    assert step_of(b.say(sender, "go back")[0]) == 8
    assert shared_sessions(cluster).exists("smtpbot-session:" + sender)


def test_a_long_conversation_is_compacted_in_redis_and_kept_whole_in_the_database(cluster):
    a, b = (Server(port, SCALE_TOKEN) for port in cluster.rasa_ports)
    sender = "shared-long-" + uuid.uuid4().hex[:8]
    a.say(sender, "I use Outlook 2013")
    for index in range(40):
        replies, _ = (a, b)[index % 2].say(sender, "repeat please")
        assert step_of(replies) == 1
    assert step_of(b.say(sender, "done")[0]) == 2
    entry = json.loads(shared_sessions(cluster).get("smtpbot-session:" + sender))
    with database(cluster).connect() as connection:
        stored = connection.execute(
            sa.text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}
        ).scalar()
        users = connection.execute(
            sa.text("SELECT count(*) FROM events WHERE sender_id = :s AND type_name = 'user'"),
            {"s": sender},
        ).scalar()
    assert users == 42
    assert len(entry["events"]) <= 200 < stored
