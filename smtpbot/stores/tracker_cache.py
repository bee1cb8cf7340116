"""Rasa's SQL tracker store for one server process on SQLite, with conversations cached in memory.

Rasa's `SQLTrackerStore` reads the whole latest session of a conversation from the database and
deserialises every event on each message, and before each save counts the stored events to
find the new ones. Profiling `make bench` (README "Performance") put these at about a third of
the Rasa server's CPU per message. `CachedSQLTrackerStore` keeps, per conversation, the events
of its latest session as the database holds them:

- `retrieve` rebuilds the tracker from the cached events (no query, no JSON) - the same events
  Rasa's query would return, replayed the same way;
- `save` writes only the events after the cached ones (no count query), exactly the rows Rasa
  would write, and commits before the cache changes: the database stays the record, so a
  restart continues every conversation;
- when anything else may have written the database (another process, a person with the
  sqlite3 shell), SQLite's `PRAGMA data_version` changes and the whole cache is dropped; a
  tracker that does not continue the cached events (two API calls racing, a replaced history)
  is saved by Rasa's own code and its entry dropped. In both cases the next read comes from
  the database.

A long conversation stays cheap: Rasa copies, replays, serialises (for the action server) and
scans every event of the session on each message, so its latency grew by ~35 ms per 100
messages. Past `max_events` (default 200) the cached session is compacted to its slots and pause
state plus the latest turns (`compact`), like a session that carries its slots over; the
database keeps every event (agents' transcripts and the HTTP API read it all).

Like the scale-out profile's `ResilientSQLTrackerStore` (its parent), a database error is
retried for a few seconds and then raised - the customer is told we are having trouble - instead
of Rasa's fallback to a new, empty conversation in memory, and a turn whose save failed after
its commit landed is undone before the conversation is read again (smtpbot/stores/tracker_store.py).

Only for SQLite, where one `rasa run` owns the file (endpoints.yml). With another dialect it
is the resilient store without the cache; the scale-out profile's servers share PostgreSQL and
use `smtpbot.stores.shared_cache.SharedCacheSQLTrackerStore`, which shares this cache through
Redis.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any, List, Optional, Sequence, Text, Tuple

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    ConversationPaused,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from smtpbot.stores.tracker_store import ResilientSQLTrackerStore

logger = logging.getLogger(__name__)

# Conversations kept in memory (least recently used dropped first): a guide walkthrough's
# latest session is ~100 events, a few hundred KB.
DEFAULT_CACHE_SIZE = 500
# Events of one cached session before it is compacted to about half (a 10-step guide is ~60).
DEFAULT_MAX_EVENTS = 200


def latest_session(events: Sequence[Event]) -> List[Event]:
    """The events Rasa's SQL query returns as the latest session: from the latest
    `session_started` timestamp on (by timestamp, as the query), or all when there is none."""
    starts = [event.timestamp for event in events if isinstance(event, SessionStarted)]
    if not starts:
        return list(events)
    start = max(starts)
    return [event for event in events if event.timestamp >= start]


def compact(events: List[Event], slots: Sequence[Any], keep: int) -> List[Event]:
    """`events` shortened to at most about `keep` + len(slots) + 2 events that replay to the same
    state: the session start, the slots and pause state as they were before the kept turns, then
    the latest turns whole (from a user message on, so the last message, its channel and time
    and the recent transcript are the real events). Unchanged when no turn boundary allows it."""
    if len(events) <= keep:
        return events
    cut = next(
        (i for i in range(len(events) - keep, len(events)) if isinstance(events[i], UserUttered)),
        None,
    )
    if not cut:
        return events
    if (
        isinstance(events[cut - 1], ActionExecuted)
        and events[cut - 1].action_name == ACTION_LISTEN_NAME
    ):
        cut -= 1  # the turn starts where the bot began listening, as in a real session
    if cut == 0:
        return events
    before = DialogueStateTracker.from_events("compact", events[:cut], slots)
    at = events[cut - 1].timestamp
    state: List[Event] = [SessionStarted(timestamp=at)]
    state += [
        SlotSet(slot.name, slot.value, timestamp=at)
        for slot in before.slots.values()
        if slot.value != slot.initial_value
    ]
    if before.is_paused():
        state.append(ConversationPaused(timestamp=at))
    return state + events[cut:]


class CachedSQLTrackerStore(ResilientSQLTrackerStore):
    """SQLTrackerStore (same options) with a write-through cache of each conversation's latest
    session; the cache is used only with SQLite (one process owns the file)."""

    def __init__(
        self,
        *args: Any,
        cache_size: int = DEFAULT_CACHE_SIZE,
        max_events: int = DEFAULT_MAX_EVENTS,
        **kwargs: Any,
    ) -> None:
        """Rasa's SQL store options, plus how many conversations to keep in memory and how many
        events of a session before it is compacted."""
        super().__init__(*args, **kwargs)
        self.cache_size = int(cache_size)
        self.max_events = int(max_events)
        self.caching = self.engine.dialect.name == "sqlite" and self.cache_size > 0
        # sender_id -> the latest session's events, as stored in the database
        self._cache: "OrderedDict[Text, List[Event]]" = OrderedDict()
        # (DB-API connection id, its PRAGMA data_version) when the cache was last known valid
        self._seen: Optional[Tuple[int, int]] = None
        if self.caching:
            self._keep_connection_open()

    def _keep_connection_open(self) -> None:
        """One lasting connection per thread instead of SQLAlchemy's new file handle per session
        (NullPool for SQLite files): `PRAGMA data_version` only compares within one connection,
        and it saves the connect/close of every message."""
        import sqlalchemy as sa
        from sqlalchemy.orm import sessionmaker
        from sqlalchemy.pool import SingletonThreadPool

        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, poolclass=SingletonThreadPool)
        self.sessionmaker = sessionmaker(bind=self.engine)

    def _check_outside_writes(self, session: Any) -> None:
        """Drop the whole cache if another connection committed to the database since last time."""
        connection = session.connection()
        version = connection.exec_driver_sql("PRAGMA data_version").scalar()
        seen = (id(connection.connection.dbapi_connection), version)
        if seen != self._seen:
            if self._cache:
                logger.debug("Tracker database changed outside this store: cache dropped.")
            self._cache.clear()
            self._seen = seen

    def _remember(self, sender_id: Text, events: List[Event]) -> None:
        """Cache a conversation's latest-session events (compacted when long), dropping the least
        recently used."""
        if len(events) > self.max_events:
            events = compact(events, list(self.domain.slots), self.max_events // 2)
        self._cache[sender_id] = events
        self._cache.move_to_end(sender_id)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """The latest session of a conversation: from the cache, else from the database (with
        the resilient store's retries; then an error, never a blank conversation)."""
        if not self.caching:
            return await super().retrieve(sender_id)
        return await self._with_retries("read", lambda: self._retrieve_cached(sender_id))

    async def _retrieve_cached(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """One attempt of `retrieve`."""
        with self.session_scope() as session:
            self._check_outside_writes(session)
        self._settle_in_doubt(sender_id)
        cached = self._cache.get(sender_id)
        if cached is not None:
            self._cache.move_to_end(sender_id)
            if not cached:
                return None  # nothing stored for this conversation, as Rasa's store answers
            return DialogueStateTracker.from_events(sender_id, cached, self.domain.slots)
        tracker = await SQLTrackerStore.retrieve(self, sender_id)
        if tracker is None:
            # Known to have no events: the new conversation's first saves take the quick path.
            self._remember(sender_id, [])
            return None
        self._remember(sender_id, list(tracker.events))
        cached = self._cache[sender_id]
        if len(cached) == len(tracker.events):
            return tracker
        return DialogueStateTracker.from_events(sender_id, cached, self.domain.slots)

    def _continues_cache(self, tracker: DialogueStateTracker) -> Optional[List[Event]]:
        """The cached events when `tracker` is them plus new events (the usual message), else None."""
        cached = self._cache.get(tracker.sender_id)
        events = tracker.events
        if cached is None or len(events) < len(cached):
            return None
        if not cached:  # a conversation with nothing stored yet: every event is new
            return cached
        # Trackers made from the cache hold the cached event objects themselves.
        if events[len(cached) - 1] is not cached[-1] or events[0] is not cached[0]:
            return None
        return cached

    async def _save_once(self, tracker: DialogueStateTracker) -> None:
        """One attempt of `save` (retried, and its turn recorded in doubt if it fails for good,
        by the resilient store): the cached write when caching, else Rasa's."""
        if not self.caching:
            return await super()._save_once(tracker)
        await self._save_cached(tracker)

    def _new_events(self, tracker: DialogueStateTracker) -> Optional[List[Event]]:
        """The events `save` is about to write: those after the cached ones (when caching)."""
        if not self.caching:
            return super()._new_events(tracker)
        cached = self._continues_cache(tracker)
        return None if cached is None else list(tracker.events)[len(cached) :]

    def _forget(self, sender_id: Text) -> None:
        """Drop the conversation's cached session too."""
        super()._forget(sender_id)
        self._cache.pop(sender_id, None)

    async def _save_cached(self, tracker: DialogueStateTracker) -> None:
        """Write the new events (the rows Rasa's save writes) in one statement, commit, then
        update the cache; a tracker that does not continue the cache goes through Rasa's save."""
        with self.session_scope() as session:
            self._check_outside_writes(session)
            cached = self._continues_cache(tracker)
            if cached is not None:
                events = list(tracker.events)
                if self.event_broker is not None:  # the new events are known: nothing to re-read
                    await self._stream_new_events(
                        self.event_broker, events[len(cached) :], tracker.sender_id
                    )
                rows = [self._row(tracker.sender_id, event) for event in events[len(cached) :]]
                try:
                    if rows:  # one executemany, not the ORM's per-object unit of work
                        session.execute(self.SQLEvent.__table__.insert(), rows)
                    session.commit()
                except BaseException:
                    self._cache.pop(tracker.sender_id, None)
                    raise
        if cached is None:
            self._cache.pop(tracker.sender_id, None)
            return await SQLTrackerStore.save(self, tracker)
        new_session = any(isinstance(event, SessionStarted) for event in events[len(cached) :])
        self._remember(tracker.sender_id, latest_session(events) if new_session else events)
        logger.debug(f"Tracker with sender_id '{tracker.sender_id}' stored to database")
