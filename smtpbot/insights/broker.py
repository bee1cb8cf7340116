"""Rasa's SQL event broker, with the writes moved off the customer's turn.

Rasa's `SQLEventBroker` (`event_broker: type: SQL`) commits one row per event inside the
tracker store's save, on the event loop: a turn publishes ~10 events, so ~10 commits (each an
fsync on SQLite) would be added to every reply. `BufferedSQLEventBroker` has the same options and
writes the same `events` table (id, sender_id, data = the event's JSON), but `publish` only
serialises the event and queues it; one writer thread inserts whatever is queued in one
transaction. Events keep their order (one queue, one writer). A database that is down delays the
rows, never the customer: the writer retries every second and keeps up to `max_pending` events.
On a clean shutdown (SIGTERM, `close`) the queue is written out; a killed process loses at most
the events of the last few milliseconds.

    event_broker:
      type: smtpbot.insights.broker.BufferedSQLEventBroker
      dialect: sqlite        # or postgresql (url, port, db, username, password as Rasa's SQL)
      db: events.db
"""

from __future__ import annotations

import asyncio
import atexit
import json
import logging
import queue
import threading
import time
from typing import Any, Dict, List, Optional, Text

from rasa.core.brokers.sql import SQLEventBroker

logger = logging.getLogger(__name__)
_STOP = object()
RETRY_SECONDS = 1.0


class BufferedSQLEventBroker(SQLEventBroker):
    """SQLEventBroker (same options and table) whose rows are written by a background thread."""

    def __init__(
        self,
        dialect: Text = "sqlite",
        host: Optional[Text] = None,
        port: Optional[int] = None,
        db: Text = "events.db",
        username: Optional[Text] = None,
        password: Optional[Text] = None,
        max_pending: int = 100_000,
    ) -> None:
        """Rasa's SQL broker options, plus how many unwritten events to keep while the database
        is unreachable (the oldest are dropped beyond that, with an error in the log)."""
        import sqlalchemy as sa
        from rasa.core.tracker_store import SQLTrackerStore

        # As Rasa's __init__, except that several servers starting at once may race to create
        # the table (the scale-out profile): the loser finds it there instead of failing.
        url = SQLTrackerStore.get_db_url(dialect, host, port, db, username, password)
        self.engine = sa.create_engine(url)
        try:
            self.Base.metadata.create_all(self.engine)
        except sa.exc.DBAPIError:
            if not sa.inspect(self.engine).has_table(self.SQLBrokerEvent.__tablename__):
                raise
        self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)
        if self.engine.dialect.name == "sqlite":
            # One fsync per commit instead of several, and readers (the insights ingest) never
            # block the writer.
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        self.max_pending = int(max_pending)
        self._queue: "queue.SimpleQueue[Any]" = queue.SimpleQueue()
        self._table = self.SQLBrokerEvent.__table__
        self._thread = threading.Thread(target=self._write_loop, name="event-broker", daemon=True)
        self._thread.start()
        atexit.register(self.flush)

    def publish(self, event: Dict[Text, Any]) -> None:
        """Queue one event (serialised now, so later changes to the dict don't matter)."""
        self._queue.put({"sender_id": event.get("sender_id"), "data": json.dumps(event)})

    def _write_loop(self) -> None:
        """Write queued events in batches until told to stop."""
        pending: List[Dict[str, Any]] = []
        stopping = False
        while not stopping:
            if not pending:
                item = self._queue.get()
                if item is _STOP:
                    break
                pending.append(item)
            while True:  # everything queued meanwhile goes into the same transaction
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stopping = True
                    break
                pending.append(item)
            if len(pending) > self.max_pending:
                logger.error("event broker: %d events dropped", len(pending) - self.max_pending)
                pending = pending[-self.max_pending :]
            if self._write(pending):
                pending = []
            elif not stopping:
                time.sleep(RETRY_SECONDS)
        if pending:
            self._write(pending)

    def _write(self, rows: List[Dict[str, Any]]) -> bool:
        """Insert `rows` in one transaction; False (logged) when the database refused."""
        try:
            with self.engine.begin() as connection:
                connection.execute(self._table.insert(), rows)
            return True
        except Exception as error:  # kept and retried: a database outage must not lose events
            logger.warning("event broker: %d events not written yet (%s)", len(rows), error)
            return False

    def flush(self, timeout: Optional[float] = 10.0) -> None:
        """Write out everything queued and stop the writer (idempotent)."""
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join(timeout)

    async def close(self) -> None:
        """Rasa's shutdown hook: flush without blocking the event loop."""
        await asyncio.to_thread(self.flush)

    def is_ready(self) -> bool:  # Rasa's broker interface
        return self._thread.is_alive()
