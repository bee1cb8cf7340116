"""The event broker: Rasa's `events` table, rows in publish order, nothing lost while the
database refuses writes, everything written out on close."""

import asyncio
import json
import logging
import sqlite3
import time

from smtpbot.insights import broker as broker_module
from smtpbot.insights.broker import BufferedSQLEventBroker


def stored(path):
    with sqlite3.connect(path) as db:
        return [
            (s, json.loads(d))
            for s, d in db.execute("SELECT sender_id, data FROM events ORDER BY id")
        ]


def test_rows_in_order_kept_through_a_refusing_database_and_flushed_on_close(
    tmp_path, monkeypatch, caplog
):
    monkeypatch.setattr(broker_module, "RETRY_SECONDS", 0.05)
    path = tmp_path / "events.db"
    broker = BufferedSQLEventBroker(db=str(path), batch_seconds=0)
    with sqlite3.connect(path) as db:
        assert [r[1] for r in db.execute("PRAGMA table_info(events)")] == [
            "id",
            "sender_id",
            "data",
        ]
        db.execute("ALTER TABLE events RENAME TO parked")  # every insert now fails
    caplog.set_level(logging.WARNING, logger=broker_module.__name__)
    events = [{"sender_id": f"s{n % 3}", "event": "user", "text": f"m{n}"} for n in range(50)]
    for event in events:
        broker.publish(event)
    deadline = time.monotonic() + 10
    while "not written yet" not in caplog.text and time.monotonic() < deadline:
        time.sleep(0.01)
    assert "not written yet" in caplog.text
    with sqlite3.connect(path) as db:
        db.execute("ALTER TABLE parked RENAME TO events")
    asyncio.run(broker.close())  # Rasa's shutdown hook: writes out what is pending
    assert stored(path) == [(e["sender_id"], e) for e in events]
    assert not broker.is_ready()
