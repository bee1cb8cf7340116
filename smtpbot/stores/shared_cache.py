"""The scale-out profile's tracker store: PostgreSQL, with each conversation's session shared
through Redis so a long conversation costs each server the same at message 1,000 as at 1.

Rasa's SQL store reads and deserialises the whole latest session from the database on every
message (a 1,000-message conversation: ~7,000 rows each time). The single-server store
(`CachedSQLTrackerStore`, smtpbot/stores/tracker_cache.py) keeps the session in memory,
compacted past `max_events`; several servers cannot share that memory, and nginx sends
consecutive messages of one conversation to different servers. `SharedCacheSQLTrackerStore`
does what the single-server store does, and after each save also puts the cached session (the
compacted events, as JSON) into Redis with the id of the conversation's last database row:

- `retrieve` asks the database only for that last row id (`max(id)` over the conversation's
  rows, an index lookup) and uses this process's cached session, else the one in Redis, when
  it was made at that row; otherwise (another writer, Redis emptied or down) it reads the
  session from the database as Rasa does, and shares it again;
- `save` writes only the events added to the retrieved tracker, if the conversation's last row
  is still the one it was read at; a retry after a commit whose answer was lost (PostgreSQL
  restarting) finds its rows there and does not write them twice (Rasa's count-based save would
  drop them for a compacted session); the database keeps every event (the HTTP API, tickets and
  transcripts read it all);
- messages of one conversation are handled one at a time across servers (the Redis lock store),
  so the last row id read after a save is that save's;
- a save that fails for good (its commit may still have landed: the customer is told "having
  trouble") records its rows as the conversation's in-doubt turn in Redis (in this process only
  when Redis cannot be written), so whichever server reads the conversation next undoes them if
  they were committed (the resilient store's `_settle_in_doubt`). Committed, they make the
  conversation's last row newer than any cached or shared session, so the record is looked up
  only on that slower path (reading the session from the database), never per message.

Options: those of `ResilientSQLTrackerStore` (Rasa's `type: SQL` plus retries), the cache's
`cache_size` and `max_events`, and `redis_host`, `redis_port`, `redis_db`, `redis_password`,
`key_prefix`, `redis_ttl` (seconds a shared session is kept, default one day), `in_doubt_prefix`
(the Redis keys of in-doubt turns, kept as long).
"""

from __future__ import annotations

import json
import logging
from typing import Any, List, Optional, Text

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

from smtpbot.stores.tracker_cache import CachedSQLTrackerStore, latest_session

logger = logging.getLogger(__name__)

DEFAULT_TTL = 24 * 3600
# Delete KEYS[1] only if it still holds ARGV[1] (atomic in Redis).
DELETE_IF_EQUAL = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


class SharedCacheSQLTrackerStore(CachedSQLTrackerStore):
    """CachedSQLTrackerStore for several processes on one SQL database, sharing via Redis."""

    def __init__(
        self,
        *args: Any,
        redis_host: Text = "localhost",
        redis_port: Any = 6379,
        redis_db: Any = 2,
        redis_password: Optional[Text] = None,
        key_prefix: Text = "smtpbot-session:",
        redis_ttl: Any = DEFAULT_TTL,
        in_doubt_prefix: Text = "smtpbot-in-doubt:",
        **kwargs: Any,
    ) -> None:
        """Rasa's SQL store options, the cache's, and where the shared sessions live."""
        import redis

        super().__init__(*args, **kwargs)
        self.caching = self.cache_size > 0  # any dialect: validity is checked per conversation
        self.redis = redis.StrictRedis(
            host=redis_host,
            port=int(redis_port),
            db=int(redis_db),
            password=redis_password or None,
            socket_timeout=2,
        )
        self.key_prefix, self.ttl = key_prefix, int(redis_ttl)
        self.in_doubt_prefix = in_doubt_prefix
        self._last_ids: dict = {}  # sender_id -> last row id the cached session was made at
        # sender_id -> (events the latest retrieved tracker was built from, last row id then)
        self._bases: dict = {}

    def _check_outside_writes(self, session: Any) -> None:
        """Replaced by the per-conversation last-row check (SQLite's data_version is per file)."""

    def _last_row_id(self, session: Any, sender_id: Text) -> Optional[int]:
        """The id of the conversation's newest database row (None: no rows)."""
        import sqlalchemy as sa

        query = sa.select(sa.func.max(self.SQLEvent.id)).where(self.SQLEvent.sender_id == sender_id)
        return session.execute(query).scalar()

    async def _retrieve_cached(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """One attempt of `retrieve`: the cached or shared session if still current, else the
        database's."""
        with self.session_scope() as session:
            last = self._last_row_id(session, sender_id)
        if last is None:
            self._remember(sender_id, [])
            self._last_ids[sender_id] = None
            self._bases[sender_id] = ([], None)
            return None
        events = self._cache.get(sender_id)
        if events is None or self._last_ids.get(sender_id) != last:
            events = self._shared(sender_id, last)
        if events is None:
            if self._settle_in_doubt(sender_id):  # rows deleted: read the conversation again
                return await self._retrieve_cached(sender_id)
            tracker = await SQLTrackerStore.retrieve(self, sender_id)
            if tracker is None:
                return None
            self._remember(sender_id, list(tracker.events))
            self._last_ids[sender_id] = last
            self._share(sender_id)
            events = self._cache[sender_id]
        else:
            self._cache.move_to_end(sender_id)
        self._bases[sender_id] = (events, last)
        return DialogueStateTracker.from_events(sender_id, events, self.domain.slots)

    def _shared(self, sender_id: Text, last: int) -> Optional[List[Event]]:
        """The session shared in Redis if it was made at row `last` (now also cached here)."""
        try:
            raw = self.redis.get(self.key_prefix + sender_id)
        except Exception as error:  # Redis down: the database still answers
            logger.warning("Shared session cache unavailable: %s", error)
            return None
        if not raw:
            return None
        entry = json.loads(raw)
        if entry.get("last_id") != last:
            return None
        events = [Event.from_parameters(data) for data in entry["events"]]
        self._cache[sender_id] = events
        self._last_ids[sender_id] = last
        return events

    def _share(self, sender_id: Text) -> None:
        """Put this process's cached session into Redis, with its last row id."""
        if len(self._last_ids) > 2 * self.cache_size:  # forget conversations the LRU dropped
            self._last_ids = {key: self._last_ids.get(key) for key in self._cache}
            self._bases = {key: self._bases[key] for key in self._cache if key in self._bases}
        events = self._cache.get(sender_id)
        key = self.key_prefix + sender_id
        try:
            if events is None or self._last_ids.get(sender_id) is None:
                self.redis.delete(key)
                return
            entry = {
                "last_id": self._last_ids[sender_id],
                "events": [event.as_dict() for event in events],
            }
            self.redis.set(key, json.dumps(entry), ex=self.ttl)
        except Exception as error:  # the next reader goes to the database
            logger.warning("Shared session cache not updated: %s", error)

    def _new_events(self, tracker: DialogueStateTracker) -> Optional[List[Event]]:
        """The events `save` is about to write: those added to the retrieved tracker."""
        base, _ = self._bases.get(tracker.sender_id, (None, None))
        events = list(tracker.events)
        if base is None or not _continues(events, base):
            return None
        return events[len(base) :]

    def _record_in_doubt(self, sender_id: Text, rows: List[Text]) -> None:
        """Record the in-doubt turn in Redis, where every server settles it; in this process
        only when Redis cannot be written."""
        try:
            self.redis.set(self.in_doubt_prefix + sender_id, json.dumps(rows), ex=self.ttl)
        except Exception as error:
            logger.error("In-doubt turn of %s kept by this server only: %s", sender_id, error)
            super()._record_in_doubt(sender_id, rows)

    def _in_doubt_rows(self, sender_id: Text) -> Optional[List[Text]]:
        """The in-doubt turn recorded in Redis, else one this process kept (Redis was down)."""
        try:
            raw = self.redis.get(self.in_doubt_prefix + sender_id)
        except Exception as error:  # settled by a later read, once Redis answers
            logger.warning("In-doubt turns unavailable: %s", error)
            raw = None
        return json.loads(raw) if raw else super()._in_doubt_rows(sender_id)

    def _forget_in_doubt(self, sender_id: Text, rows: List[Text]) -> None:
        """Drop the record of `rows` here and in Redis; a newer record (another turn) stays."""
        super()._forget_in_doubt(sender_id, rows)
        try:
            self.redis.eval(DELETE_IF_EQUAL, 1, self.in_doubt_prefix + sender_id, json.dumps(rows))
        except Exception as error:  # a record left behind matches no later rows
            logger.warning("In-doubt turn of %s not removed from Redis: %s", sender_id, error)

    def _forget(self, sender_id: Text) -> None:
        """Drop the conversation's cached session and the row ids it was made at.

        The session shared in Redis stays: it was made at the last row before the undone turn,
        which is again the conversation's last row."""
        super()._forget(sender_id)
        self._last_ids.pop(sender_id, None)
        self._bases.pop(sender_id, None)

    async def _save_cached(self, tracker: DialogueStateTracker) -> None:
        """One attempt of `save`: insert the events added to the retrieved tracker, if the
        conversation's last row is still the one it was built at; then cache and share it.

        A retry after a commit whose answer was lost (the database restarting) finds the rows
        already there and does not write them twice; rows written by anything else in between
        raise (the customer is told we are having trouble) rather than being overwritten. A
        tracker not built by `retrieve` is saved by Rasa's code and the cached session dropped.
        """
        sender_id = tracker.sender_id
        events = list(tracker.events)
        base, base_last = self._bases.get(sender_id, (None, None))
        if base is None or not _continues(events, base):
            self._cache.pop(sender_id, None)
            self._last_ids.pop(sender_id, None)
            self._bases.pop(sender_id, None)
            await SQLTrackerStore.save(self, tracker)
            self._share(sender_id)
            return
        await self.stream_events(tracker)
        rows = [self._row(sender_id, event) for event in events[len(base) :]]
        with self.session_scope() as session:
            last = self._last_row_id(session, sender_id)
            if last != base_last:
                written = self._rows_after(session, sender_id, base_last)
                if written != [row["data"] for row in rows]:
                    self._bases.pop(sender_id, None)
                    raise ConversationChanged(
                        f"conversation {sender_id} was written by someone else meanwhile"
                    )
            elif rows:  # one executemany, not the ORM's per-object unit of work
                session.execute(self.SQLEvent.__table__.insert(), rows)
                session.commit()
            last = self._last_row_id(session, sender_id)
        new_session = any(isinstance(event, SessionStarted) for event in events[len(base) :])
        self._remember(sender_id, latest_session(events) if new_session else events)
        self._last_ids[sender_id] = last
        self._bases[sender_id] = (self._cache[sender_id], last)
        self._share(sender_id)

    def _rows_after(self, session: Any, sender_id: Text, last: Optional[int]) -> List[str]:
        """The stored JSON of the conversation's rows after row `last`, in order."""
        import sqlalchemy as sa

        query = sa.select(self.SQLEvent.data).where(self.SQLEvent.sender_id == sender_id)
        if last is not None:
            query = query.where(self.SQLEvent.id > last)
        return list(session.execute(query.order_by(self.SQLEvent.id)).scalars())


class ConversationChanged(RuntimeError):
    """The conversation's rows changed between reading and saving it (not retried)."""


def _continues(events: List[Event], base: List[Event]) -> bool:
    """Whether `events` are the `base` events (the same objects) plus new ones."""
    if len(events) < len(base):
        return False
    return not base or (events[0] is base[0] and events[len(base) - 1] is base[-1])
