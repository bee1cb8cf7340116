"""Keys a channel acts on only once, shared by every process using the same database.

Behind a load balancer a webhook redelivery can land on another server than the first copy,
so "already handled" cannot live in process memory: the first process to INSERT a key wins
(the primary key is the arbiter, in SQLite as in PostgreSQL), the others are refused. Used by
the Chatwoot channel (in the tickets' database) and the Slack channel (its own database).
"""

import logging
import threading
import time
from typing import Callable, Iterable, Optional

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from smtpbot.stores.schema import create_tables

logger = logging.getLogger(__name__)

# Chatwoot retries a failed delivery within minutes and its signatures are valid for five:
# a day of keys covers redeliveries and late `message_updated` events with a wide margin.
CLAIM_TTL_SECONDS = 24 * 3600
# Prune at most this often per process: a DELETE per webhook would cost more than it saves.
PRUNE_EVERY_SECONDS = 600


class ClaimStore:
    """Claimed keys in one table; a claim is all-or-nothing and its first maker wins.

    Args:
        engine: returns the SQLAlchemy engine (called once, on first use, so that nothing
            connects at import or construction).
        table: the table's name (created on first use if missing).
        time_column: the name of the column holding when a key was claimed.
        ttl: seconds a claim is kept; older ones are pruned (at most every PRUNE_EVERY_SECONDS
            per process, after a successful claim), so the table stays small.
    """

    def __init__(
        self,
        engine: Callable[[], sa.engine.Engine],
        table: str = "channel_claims",
        time_column: str = "claimed_at",
        ttl: float = CLAIM_TTL_SECONDS,
    ):
        self._engine_source, self.ttl = engine, ttl
        self._metadata = sa.MetaData()
        self.table = sa.Table(
            table,
            self._metadata,
            sa.Column("key", sa.String(255), primary_key=True),
            sa.Column(time_column, sa.Float, nullable=False, index=True),
        )
        self._at = self.table.c[time_column]
        self._engine: Optional[sa.engine.Engine] = None
        self._lock = threading.Lock()
        self._pruned_at = 0.0

    @property
    def engine(self) -> sa.engine.Engine:
        """The engine, creating the table the first time (idempotent, safe across processes)."""
        with self._lock:
            if self._engine is None:
                engine = self._engine_source()
                create_tables(self._metadata, engine)
                self._engine = engine
            return self._engine

    def claim(self, keys: Iterable[str]) -> bool:
        """Record all `keys` in one transaction; False (and nothing recorded) if any process
        claimed any of them before.

        Raises:
            sqlalchemy.exc.SQLAlchemyError: the database failed; nothing was claimed, so the
                caller must not act (and should ask for a redelivery).
        """
        now = time.time()
        rows = [{"key": key[:255], self._at.name: now} for key in dict.fromkeys(keys)]
        try:
            with self.engine.begin() as conn:
                conn.execute(self.table.insert(), rows)
        except IntegrityError:
            return False
        self._prune(now)
        return True

    def release(self, keys: Iterable[str]) -> None:
        """Forget `keys`: what they stood for was not done after all, a redelivery may do it.

        Raises:
            sqlalchemy.exc.SQLAlchemyError: the database failed; the claims stay until pruned.
        """
        with self.engine.begin() as conn:
            conn.execute(self.table.delete().where(self.table.c.key.in_([k[:255] for k in keys])))

    def holds(self, key: str) -> bool:
        """Whether `key` is claimed (by any process)."""
        query = sa.select(self.table.c.key).where(self.table.c.key == key[:255])
        with self.engine.connect() as conn:
            return conn.execute(query).first() is not None

    def _prune(self, now: float) -> None:
        """Forget claims older than the TTL (best effort: a failure here harms nothing)."""
        if now - self._pruned_at < PRUNE_EVERY_SECONDS:
            return
        self._pruned_at = now
        try:
            with self.engine.begin() as conn:
                conn.execute(self.table.delete().where(self._at < now - self.ttl))
        except Exception as error:  # noqa: BLE001 - pruning must never fail a request
            logger.debug("Pruning %s skipped: %s", self.table.name, error)
