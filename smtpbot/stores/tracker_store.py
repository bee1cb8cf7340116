"""Rasa's SQL tracker store that rides out a short database outage and never answers from a blank slate.

Rasa 3.6 wraps every tracker store in `FailSafeTrackerStore`: when the database cannot be read
it carries on with a NEW, empty conversation, and when it cannot be written it keeps the turn in
process memory. During a PostgreSQL restart that showed customers replies with no step ("which
mail program do you use?") and replies whose step never reached the database (the next "done"
repeated it) - a conversation losing its place.

`ResilientSQLTrackerStore`:
- retries a read or write that fails on the connection (PostgreSQL restarting, pooled
  connections cut) every `retry_interval` seconds for up to `retry_seconds`, so a restart of a
  second or two only delays the replies;
- after that, raises instead of falling back: the message is not processed at all, the channel
  answers "having trouble" (smtpbot/channels/rest.py), and the conversation stays at the step
  the customer last saw. The fallback is switched off only for this store class
  (`raise_instead_of_fallback`, read by smtpbot/runtime/patches/no_fallback.py), so other
  stores keep Rasa's behaviour.

Creating the store installs this project's patches to Rasa (smtpbot/runtime/patches): Rasa
creates it from endpoints.yml in every server process, whichever command starts it.

- undoes a turn whose save was reported failed but whose commit had landed (PostgreSQL stopped
  right after COMMIT, its answer lost, and down for longer than the retries): the customer was
  told "having trouble" (nothing processed), so the turn's rows must not count. The failed save
  records the rows it was writing as the conversation's in-doubt turn (`_record_in_doubt`: in
  this process; the scale-out store's in Redis, for every server). The next read of that
  conversation (`retrieve` under the conversation's lock, or the HTTP API's full read) first
  settles it (`_settle_in_doubt`): when the conversation's newest rows are exactly those rows,
  they are deleted; either way the record goes. Rows that differ (the turn never landed, or
  something wrote after it) are left alone: only the turn's own rows are ever removed, and a
  retried delete whose answer was lost finds nothing left to match.

- never lets one request end the process: Rasa's `session_scope` reads any ValueError raised
  while a session is open as "PostgreSQL schema missing" and calls sys.exit, so a text the
  database driver cannot encode (a lone surrogate is a UnicodeEncodeError, a ValueError) stopped
  the whole server. Such errors are raised as `StoreInputError` instead: that request fails.

endpoints.scale.yml: `tracker_store: type: smtpbot.stores.tracker_store.ResilientSQLTrackerStore` with
the options of `type: SQL`, plus `retry_seconds` (env TRACKER_DB_RETRY_SECONDS) and
`retry_interval`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import OrderedDict
from typing import (
    Any,
    Awaitable,
    Callable,
    Dict,
    Generator,
    Iterable,
    List,
    Optional,
    Text,
    Tuple,
    TypeVar,
)

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from smtpbot import settings
from smtpbot.runtime.metrics import metrics
from smtpbot.runtime.patches import install_all_or_exit

logger = logging.getLogger(__name__)

Result = TypeVar("Result")

# Conversations whose retrieved event count (or in-doubt turn) this process remembers; a busy
# server retrieves far fewer conversations between a retrieve and its save.
REMEMBERED = 10_000


def is_connection_error(error: BaseException) -> bool:
    """A failure of the database connection (worth retrying), not of the query itself."""
    import sqlalchemy.exc

    if isinstance(error, sqlalchemy.exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(
        error,
        (
            sqlalchemy.exc.OperationalError,
            sqlalchemy.exc.InterfaceError,
            sqlalchemy.exc.DisconnectionError,
        ),
    )


class StoreInputError(RuntimeError):
    """A value the database cannot store (e.g. text that is not valid UTF-8)."""


class ResilientSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore with retries on connection errors and no silent in-memory fallback."""

    # Read by the no-fallback patch: Rasa's FailSafeTrackerStore passes this store's errors on.
    raise_instead_of_fallback = True

    def __init__(
        self,
        *args: Any,
        retry_seconds: Optional[float] = None,
        retry_interval: float = 0.25,
        **kwargs: Any,
    ) -> None:
        """Rasa's SQL store options, plus how long to retry a failed connection.

        Installs the patches to Rasa first (idempotent); exits when they do not fit Rasa.
        """
        if retry_seconds is None:
            retry_seconds = settings.TRACKER_DB_RETRY_SECONDS.get_float()
        self.retry_seconds, self.retry_interval = float(retry_seconds), float(retry_interval)
        install_all_or_exit()
        super().__init__(*args, **kwargs)
        # sender_id -> the JSON rows a failed save was writing (they may have been committed)
        self._in_doubt: "OrderedDict[Text, List[Text]]" = OrderedDict()
        # sender_id -> (number of events, last event) of the tracker `retrieve` returned
        self._retrieved: "OrderedDict[Text, Tuple[int, Optional[Event]]]" = OrderedDict()

    @contextlib.contextmanager
    def session_scope(self) -> Generator[Any, None, None]:
        """Rasa's session scope; a ValueError inside it fails the request, not the process."""
        with super().session_scope() as session:
            try:
                yield session
            except ValueError as error:
                raise StoreInputError(f"the tracker store refused a value: {error}") from error

    async def _with_retries(self, what: Text, call: Callable[[], Awaitable[Result]]) -> Result:
        """Run `call`, retrying connection errors within `retry_seconds`; then raise."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.retry_seconds
        attempt = 0
        while True:
            attempt += 1
            try:
                return await call()
            except Exception as error:
                if not is_connection_error(error) or loop.time() + self.retry_interval > deadline:
                    raise
                # SQLAlchemy has already dropped the dead pooled connections: the next try reconnects.
                logger.warning(
                    "Tracker store %s failed (attempt %d), retrying: %s",
                    what,
                    attempt,
                    str(error).splitlines()[0],
                )
                metrics().tracker_store_retries.labels(what).inc()
                await asyncio.sleep(self.retry_interval)

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """Rasa's retrieve, with retries, after settling the conversation's in-doubt turn."""

        async def attempt() -> Optional[DialogueStateTracker]:
            self._settle_in_doubt(sender_id)
            tracker = await SQLTrackerStore.retrieve(self, sender_id)
            events = tracker.events if tracker is not None else []
            remember(self._retrieved, sender_id, (len(events), events[-1] if events else None))
            return tracker

        return await self._with_retries("read", attempt)

    async def retrieve_full_tracker(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """Rasa's retrieve_full_tracker, with retries, after settling the in-doubt turn."""

        async def attempt() -> Optional[DialogueStateTracker]:
            self._settle_in_doubt(sender_id)
            return await SQLTrackerStore.retrieve_full_tracker(self, sender_id)

        return await self._with_retries("read", attempt)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Save the turn (`_save_once`), retried; when it fails for good, record the rows it was
        writing as the conversation's in-doubt turn (its commit may have landed) and raise.

        A failed commit wrote nothing, and a retry after a commit whose answer was lost writes
        nothing twice (Rasa's save counts the stored events; the cached stores find their rows).
        """
        new_events = self._new_events(tracker)
        try:
            await self._with_retries("write", lambda: self._save_once(tracker))
        except BaseException:
            if new_events:
                rows = [self._row(tracker.sender_id, event)["data"] for event in new_events]
                logger.warning(
                    "Tracker save of %s failed: its %d events will be undone if they were "
                    "committed",
                    tracker.sender_id,
                    len(rows),
                )
                self._record_in_doubt(tracker.sender_id, rows)
            else:
                logger.debug("Failed save of %s: no new events known", tracker.sender_id)
            raise

    async def _save_once(self, tracker: DialogueStateTracker) -> None:
        """One attempt of `save`: Rasa's save (writes the events past the stored count)."""
        await SQLTrackerStore.save(self, tracker)

    def _new_events(self, tracker: DialogueStateTracker) -> Optional[List[Event]]:
        """The events `save` is about to write: those added to the tracker `retrieve` returned
        (None when `tracker` is not that one continued)."""
        count, last = self._retrieved.pop(tracker.sender_id, (None, None))
        events = list(tracker.events)
        if count is None or len(events) < count or (count and events[count - 1] is not last):
            return None
        return events[count:]

    def _record_in_doubt(self, sender_id: Text, rows: List[Text]) -> None:
        """Keep `rows` (the stored JSON of a turn whose save failed) as the conversation's
        in-doubt turn, for the next read to settle. In this process only."""
        remember(self._in_doubt, sender_id, rows)

    def _in_doubt_rows(self, sender_id: Text) -> Optional[List[Text]]:
        """The conversation's in-doubt turn (its rows' JSON), if one is recorded."""
        return self._in_doubt.get(sender_id)

    def _forget_in_doubt(self, sender_id: Text, rows: List[Text]) -> None:
        """Drop the conversation's in-doubt record if it is still `rows` (settled)."""
        if self._in_doubt.get(sender_id) == rows:
            del self._in_doubt[sender_id]

    def _forget(self, sender_id: Text) -> None:
        """Drop what this process holds of the conversation (its rows were changed)."""
        self._retrieved.pop(sender_id, None)

    def _settle_in_doubt(self, sender_id: Text) -> bool:
        """Undo the conversation's in-doubt turn if it was committed; True when rows were deleted.

        Its rows were committed exactly when the conversation's newest rows are those rows (each
        turn's JSON carries its events' times and the message id: no other turn matches). They
        are deleted by id in one transaction, then the record is dropped; a database error
        leaves the record for the next attempt, which finds them either there or gone.
        """
        rows = self._in_doubt_rows(sender_id)
        if not rows:
            return False
        import sqlalchemy as sa

        table = self.SQLEvent.__table__
        with self.session_scope() as session:
            query = (
                sa.select(table.c.id, table.c.data)
                .where(table.c.sender_id == sender_id)
                .order_by(table.c.id.desc())
                .limit(len(rows))
            )
            newest = list(session.execute(query))[::-1]
            landed = [data for _, data in newest] == rows
            if landed:
                session.execute(table.delete().where(table.c.id.in_([i for i, _ in newest])))
                session.commit()
        self._forget_in_doubt(sender_id, rows)
        if not landed:
            logger.info("In-doubt turn of %s was not committed: nothing to undo", sender_id)
            return False
        logger.warning(
            "In-doubt turn of %s had been committed: its %d events deleted (the customer was "
            "told nothing was processed)",
            sender_id,
            len(rows),
        )
        metrics().tracker_store_undone_turns.inc()
        self._forget(sender_id)
        return True

    @staticmethod
    def _row(sender_id: Text, event: Event) -> Dict[Text, Any]:
        """The database row of one event, as Rasa's SQLTrackerStore.save makes it."""
        data = event.as_dict()
        return dict(
            sender_id=sender_id,
            type_name=event.type_name,
            timestamp=data.get("timestamp"),
            intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            action_name=data.get("name"),
            data=json.dumps(data),
        )

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        """Publish the events this save stores to the event broker (smtpbot/insights/broker.py):
        the ones past the stored count of the latest session, as Rasa's save computes them.
        Rasa's own method first re-reads and replays the whole session to diff it, a second
        full read on every message."""
        if self.event_broker is None:
            return
        with self.session_scope() as session:
            new_events = list(self._additional_events(session, tracker))
        await self._stream_new_events(self.event_broker, new_events, tracker.sender_id)

    async def keys(self) -> Iterable[Text]:
        """Rasa's keys, with retries."""
        return await self._with_retries(
            "keys", lambda: super(ResilientSQLTrackerStore, self).keys()
        )


def remember(entries: "OrderedDict[Text, Any]", key: Text, value: Any) -> None:
    """Set `entries[key]` as the newest entry, dropping the oldest past `REMEMBERED`."""
    entries[key] = value
    entries.move_to_end(key)
    while len(entries) > REMEMBERED:
        entries.popitem(last=False)
