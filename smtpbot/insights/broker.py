"""Rasa's SQL event broker, with the writes moved off the customer's turn.

Rasa's `SQLEventBroker` (`event_broker: type: SQL`) commits one row per event inside the
tracker store's save, on the event loop: a turn publishes ~10 events, so ~10 commits (each an
fsync on SQLite) would be added to every reply. `BufferedSQLEventBroker` has the same options and
writes the same `events` table (id, sender_id, data = the event's JSON), but `publish` only
serialises the event and queues it; one writer thread inserts whatever queued up within 0.2 s
in one transaction, on its own DB-API connection. Events keep their order (one queue, one writer). A database that is down delays the
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
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.core.brokers.sql import SQLEventBroker

logger = logging.getLogger(__name__)
_STOP = object()
RETRY_SECONDS = 1.0


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL, so the ingest never blocks the writer; and no fsync per commit (synchronous=NORMAL):
    with two fsyncs per turn on one disk (the tracker store's and ours) the customer's reply
    waited for both (p50 +19 ms measured). A power cut may lose the last events; a killed
    process loses none that were committed."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


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
        batch_seconds: float = 0.2,
    ) -> None:
        """Rasa's SQL broker options, plus how many unwritten events to keep while the database
        is unreachable (the oldest are dropped beyond that, with an error in the log) and how
        long the writer collects events before a write."""
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
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        self.max_pending = int(max_pending)
        self.batch_seconds = float(batch_seconds)
        self._queue: "queue.SimpleQueue[Any]" = queue.SimpleQueue()
        self._connection: Any = None
        marker = "?" if self.engine.dialect.paramstyle == "qmark" else "%s"
        table = self.SQLBrokerEvent.__tablename__
        self._insert = f"INSERT INTO {table} (sender_id, data) VALUES ({marker}, {marker})"
        self._thread = threading.Thread(target=self._write_loop, name="event-broker", daemon=True)
        self._thread.start()
        atexit.register(self.flush)

    def publish(self, event: Dict[Text, Any]) -> None:
        """Queue one event (serialised now, so later changes to the dict don't matter)."""
        self._queue.put((event.get("sender_id"), json.dumps(event)))

    def _write_loop(self) -> None:
        """Write queued events in batches until told to stop."""
        pending: List[Tuple[Any, str]] = []
        stopping = False
        while not stopping:
            if not pending:
                item = self._queue.get()
                if item is _STOP:
                    break
                pending.append(item)
                # Let the turn finish (and its events queue up) before writing: one short write
                # per batch instead of one per event, away from the replies.
                time.sleep(self.batch_seconds)
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
        self._disconnect()

    def _write(self, rows: List[Tuple[Any, str]]) -> bool:
        """Insert `rows` in one transaction on the writer's own DB-API connection (kept open:
        the SQLAlchemy layer and a connect per batch cost the event loop GIL time); False
        (logged) when the database refused."""
        try:
            if self._connection is None:
                self._connection = self.engine.raw_connection()
            cursor = self._connection.cursor()
            cursor.executemany(self._insert, rows)
            cursor.close()
            self._connection.commit()
            return True
        except Exception as error:  # kept and retried: a database outage must not lose events
            logger.warning("event broker: %d events not written yet (%s)", len(rows), error)
            self._disconnect()
            return False

    def _disconnect(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception:  # already broken
                pass
            self._connection = None

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
