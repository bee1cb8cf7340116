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
import logging
from typing import Any, Awaitable, Callable, Generator, Iterable, Optional, Text, TypeVar

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

from smtpbot import settings
from smtpbot.runtime.metrics import metrics
from smtpbot.runtime.patches import install_all_or_exit

logger = logging.getLogger(__name__)

Result = TypeVar("Result")


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
        """Rasa's retrieve, with retries."""
        return await self._with_retries(
            "read", lambda: super(ResilientSQLTrackerStore, self).retrieve(sender_id)
        )

    async def retrieve_full_tracker(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """Rasa's retrieve_full_tracker, with retries."""
        parent = super(ResilientSQLTrackerStore, self)
        return await self._with_retries("read", lambda: parent.retrieve_full_tracker(sender_id))

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's save, with retries (a failed commit wrote nothing, so a retry cannot duplicate)."""
        await self._with_retries(
            "write", lambda: super(ResilientSQLTrackerStore, self).save(tracker)
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
