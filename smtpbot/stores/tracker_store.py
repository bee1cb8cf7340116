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
  the customer last saw. The fallback is switched off only for this store class (see
  `install_no_fallback`), so other stores keep Rasa's behaviour.

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

from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore, TrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

from smtpbot import settings

logger = logging.getLogger(__name__)

Result = TypeVar("Result")
NO_FALLBACK_MARK = "_smtpbot_no_fallback"


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

    def __init__(
        self,
        *args: Any,
        retry_seconds: Optional[float] = None,
        retry_interval: float = 0.25,
        **kwargs: Any,
    ) -> None:
        """Rasa's SQL store options, plus how long to retry a failed connection."""
        if retry_seconds is None:
            retry_seconds = settings.TRACKER_DB_RETRY_SECONDS.get_float()
        self.retry_seconds, self.retry_interval = float(retry_seconds), float(retry_interval)
        install_no_fallback()
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

    async def keys(self) -> Iterable[Text]:
        """Rasa's keys, with retries."""
        return await self._with_retries(
            "keys", lambda: super(ResilientSQLTrackerStore, self).keys()
        )


def _raises(store: TrackerStore) -> bool:
    return bool(getattr(type(store), "raise_instead_of_fallback", False))


ResilientSQLTrackerStore.raise_instead_of_fallback = True  # type: ignore[attr-defined]


def install_no_fallback() -> None:
    """Make FailSafeTrackerStore pass errors of stores that ask for it through (once per process).

    Rasa's Agent always wraps the configured store in FailSafeTrackerStore and offers no option;
    for other stores the wrapper behaves exactly as before.
    """
    if getattr(FailSafeTrackerStore.retrieve, NO_FALLBACK_MARK, False):
        return
    originals = {
        name: getattr(FailSafeTrackerStore, name)
        for name in ("retrieve", "retrieve_full_tracker", "save", "keys")
    }

    def passing_through(name: Text) -> Callable[..., Awaitable[Any]]:
        original = originals[name]

        async def method(self: FailSafeTrackerStore, *args: Any) -> Any:
            """The primary store's own method when it must not fall back, else Rasa's wrapper."""
            if _raises(self._tracker_store):
                return await getattr(self._tracker_store, name)(*args)
            return await original(self, *args)

        method.__name__ = name
        setattr(method, NO_FALLBACK_MARK, True)
        return method

    for name in originals:
        setattr(FailSafeTrackerStore, name, passing_through(name))
