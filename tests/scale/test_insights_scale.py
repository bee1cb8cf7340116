"""The scale-out profile's insights: both Rasa servers stream events into PostgreSQL through the
event broker, and the report is answered from PostgreSQL (broker table and insights store)."""

import json
import os
import subprocess
import sys
import time
import uuid

import sqlalchemy as sa
from scale_support import ROOT, SCALE_TOKEN, Server


def report(cluster) -> dict:
    """`python -m smtpbot.insights --endpoints endpoints.scale.yml report` with the profile's
    environment: ingest from the broker's PostgreSQL table into the PostgreSQL insights store."""
    done = subprocess.run(
        [sys.executable, "-m", "smtpbot.insights", "--endpoints", "endpoints.scale.yml"]
        + ["report", "--format", "json"],
        cwd=ROOT,
        env={**os.environ, **cluster.rasa_env()},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_both_servers_events_reach_the_report_from_postgresql(cluster):
    env = cluster.rasa_env()
    assert env["SMTPBOT_INSIGHTS_DB"].startswith("postgresql://")
    before = report(cluster)
    servers = [Server(port, SCALE_TOKEN) for port in cluster.rasa_ports]
    run = uuid.uuid4().hex[:8]
    walk = ["I use Outlook 2007 and can't send", "done", "I'm stuck"]
    for index, text in enumerate(walk):  # alternating servers within one conversation
        replies, _ = servers[index % 2].say(f"walk-{run}", text)
        assert replies
    servers[1].say(f"huh-{run}", "blorp wizzle")

    events = sa.create_engine(
        sa.engine.URL.create(
            "postgresql",
            username=env["TRACKER_DB_USER"],
            password=env["TRACKER_DB_PASSWORD"],
            host=env["TRACKER_DB_HOST"],
            port=int(env["TRACKER_DB_PORT"]),
            database=env["EVENTS_DB_NAME"],
        )
    )
    deadline, count = time.monotonic() + 15, 0
    while (
        time.monotonic() < deadline and count < 4
    ):  # the writers store a reply's events just after it
        with events.connect() as db:
            count = db.execute(
                sa.text(
                    "SELECT count(*) FROM events WHERE sender_id IN (:a, :b) "
                    'AND data LIKE \'%"event": "user"%\''
                ),
                {"a": f"walk-{run}", "b": f"huh-{run}"},
            ).scalar()
        time.sleep(0.1)
    events.dispose()
    assert count == 4

    after = report(cluster)
    delta = {
        key: after["summary"][key] - before["summary"][key]
        for key in ("conversations", "guided", "not_understood_messages")
    }
    assert delta == {"conversations": 2, "guided": 1, "not_understood_messages": 1}

    def stuck(data):
        return sum(
            r["stuck"] for r in data["steps"] if (r["guide"], r["step"]) == ("outlook-2007", 2)
        )

    assert stuck(after) - stuck(before) == 1
    assert any(n["text"] == "blorp wizzle" for n in after["not_understood"])
