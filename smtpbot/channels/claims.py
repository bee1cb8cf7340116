"""Keys a channel acts on only once, shared by every process using the same database.

Behind a load balancer a webhook redelivery can land on another server than the first copy,
so "already handled" cannot live in process memory alone: the first process to INSERT a key
wins (the primary key is the arbiter), the others are refused. Memory is only a fast path for
keys this process has already settled.
"""

import logging
import threading
import time
from collections import OrderedDict
from typing import Callable, Optional

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

logger = logging.getLogger(__name__)

# Chatwoot retries a failed delivery within minutes and its signatures are valid for five:
# a day of keys covers redeliveries and late `message_updated` events with a wide margin.
CLAIM_TTL_SECONDS = 24 * 3600
# Prune at most this often per process: a DELETE per webhook would cost more than it saves.
PRUNE_EVERY_SECONDS = 600

_metadata = sa.MetaData()
claims = sa.Table(
    "channel_claims",
    _metadata,
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("claimed_at", sa.Float, nullable=False, index=True),
)


class ClaimStore:
    """Claim keys in a database table; the first claim of a key wins across processes.

    Args:
        engine: returns the SQLAlchemy engine (called once, on first use, so that nothing
            connects at import or construction).
    """

    def __init__(self, engine: Callable[[], sa.engine.Engine]):
        self._engine_source = engine
        self._engine: Optional[sa.engine.Engine] = None
        self._lock = threading.Lock()
        self._pruned_at = 0.0

    @property
    def engine(self) -> sa.engine.Engine:
        """The engine, creating the table the first time (idempotent, safe across processes)."""
        with self._lock:
            if self._engine is None:
                engine = self._engine_source()
                _create_table(engine)
                self._engine = engine
            return self._engine

    def claim(self, key: str) -> bool:
        """Record `key` as handled; False if any process claimed it before.

        Raises:
            sqlalchemy.exc.SQLAlchemyError: the database is unreachable; nothing was claimed,
                so the caller must not act (and should ask for a redelivery).
        """
        now = time.time()
        try:
            with self.engine.begin() as conn:
                conn.execute(claims.insert(), [{"key": key[:255], "claimed_at": now}])
        except IntegrityError:
            return False
        self._prune(now)
        return True

    def _prune(self, now: float) -> None:
        """Forget keys older than a day (best effort: a failure here harms nothing)."""
        if now - self._pruned_at < PRUNE_EVERY_SECONDS:
            return
        self._pruned_at = now
        try:
            with self.engine.begin() as conn:
                conn.execute(claims.delete().where(claims.c.claimed_at < now - CLAIM_TTL_SECONDS))
        except Exception as error:  # noqa: BLE001 - pruning must never fail a request
            logger.debug("Claim pruning skipped: %s", error)


class SharedSeen:
    """Act on each key once across processes: memory answers repeats, the database decides.

    Args:
        store: the shared claims.
        prefix: namespaces the keys (e.g. "chatwoot:delivery:").
        size: how many settled keys the memory fast path keeps.
    """

    def __init__(self, store: ClaimStore, prefix: str, size: int = 5000):
        self.store, self.prefix, self.size = store, prefix, size
        self.keys: "OrderedDict[str, bool]" = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, key: str) -> bool:
        """True only for the first claim of `key` in any process (blocking: call off the loop).

        Raises:
            sqlalchemy.exc.SQLAlchemyError: the database failed; the key is not remembered, so a
                retry is decided afresh.
        """
        key = self.prefix + str(key)
        with self._lock:
            if key in self.keys:
                return False
        first = self.store.claim(key)
        with self._lock:  # settled either way: later copies need no database round trip
            self.keys[key] = True
            if len(self.keys) > self.size:
                self.keys.popitem(last=False)
        return first


def _create_table(engine: sa.engine.Engine, attempts: int = 3) -> None:
    """create_all, retried: processes starting together race (SQLite: "database is locked").

    Few attempts: a database that is down must fail the webhook fast, not after Chatwoot's 5 s.
    """
    for attempt in range(attempts):
        try:
            _metadata.create_all(engine)
            return
        except OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))
