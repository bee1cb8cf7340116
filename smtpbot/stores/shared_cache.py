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
- `save` writes only the new events, as the single-server store does; the database keeps every
  event (the HTTP API, tickets and transcripts read it all);
- messages of one conversation are handled one at a time across servers (the Redis lock store),
  so the last row id read after a save is that save's.

Options: those of `ResilientSQLTrackerStore` (Rasa's `type: SQL` plus retries), the cache's
`cache_size` and `max_events`, and `redis_host`, `redis_port`, `redis_db`, `redis_password`,
`key_prefix`, `redis_ttl` (seconds a shared session is kept, default one day).
"""

from __future__ import annotations

import json
import logging
from typing import Any, List, Optional, Text

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

from smtpbot.stores.tracker_cache import CachedSQLTrackerStore

logger = logging.getLogger(__name__)

DEFAULT_TTL = 24 * 3600


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
        self._last_ids: dict = {}  # sender_id -> last row id the cached session was made at

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
            return None
        events = self._cache.get(sender_id)
        if events is None or self._last_ids.get(sender_id) != last:
            events = self._shared(sender_id, last)
        if events is None:
            tracker = await SQLTrackerStore.retrieve(self, sender_id)
            if tracker is None:
                return None
            self._remember(sender_id, list(tracker.events))
            self._last_ids[sender_id] = last
            self._share(sender_id)
            events = self._cache[sender_id]
        else:
            self._cache.move_to_end(sender_id)
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

    async def _save_cached(self, tracker: DialogueStateTracker) -> None:
        """One attempt of `save` (the single-server store's), then share the new session."""
        sender_id = tracker.sender_id
        await super()._save_cached(tracker)
        with self.session_scope() as session:
            self._last_ids[sender_id] = self._last_row_id(session, sender_id)
        if sender_id not in self._cache:  # saved by Rasa's own code: no current cached session
            self._last_ids.pop(sender_id, None)
        self._share(sender_id)
