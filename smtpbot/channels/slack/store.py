"""What the Slack channel must remember across processes: requests already handled, threads joined.

Slack resends an event when it thinks delivery failed, and several bot processes may sit behind
one Request URL, so "already answered" lives in a database (SQLAlchemy: a SQLite file by default,
or any URL such as postgresql://...), never in process memory.
"""

import logging
import time
from typing import Iterable, Optional

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

logger = logging.getLogger(__name__)

DEFAULT_DB = "slack-events.db"
# Slack retries within about 5 minutes (now, +1 min, +5 min) and signatures are valid for
# 5 minutes: an hour of handled keys covers both with a wide margin.
HANDLED_TTL_SECONDS = 3600
# A thread the bot answers in stays its conversation for a week (sessions expire after a day).
THREAD_TTL_SECONDS = 7 * 24 * 3600

_metadata = sa.MetaData()
handled = sa.Table(
    "slack_handled",
    _metadata,
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("handled_at", sa.Float, nullable=False, index=True),
)
threads = sa.Table(
    "slack_threads",
    _metadata,
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("started_at", sa.Float, nullable=False, index=True),
)


def database_url(setting: Optional[str]) -> str:
    """A SQLAlchemy URL from SLACK_DEDUP_DB: a URL as is, anything else is a SQLite file path."""
    value = (setting or DEFAULT_DB).strip()
    return value if "://" in value else f"sqlite:///{value}"


class SlackStore:
    """Handled request keys and joined threads, shared by every process using the same database."""

    def __init__(self, url: str):
        """Remember the URL; the engine and tables are created on first use, not at import."""
        self.url = url
        self._engine: Optional[sa.engine.Engine] = None

    @property
    def engine(self) -> sa.engine.Engine:
        """The engine, creating the tables the first time (idempotent, safe across processes)."""
        if self._engine is None:
            kwargs = {"connect_args": {"timeout": 30}} if self.url.startswith("sqlite") else {}
            engine = sa.create_engine(self.url, future=True, **kwargs)
            self._create_tables(engine)
            self._engine = engine
        return self._engine

    @staticmethod
    def _create_tables(engine: sa.engine.Engine, attempts: int = 10) -> None:
        """create_all, retried: processes starting together race (SQLite: "database is locked")."""
        for attempt in range(attempts):
            try:
                _metadata.create_all(engine)
                return
            except OperationalError:
                if attempt == attempts - 1:
                    raise
                time.sleep(0.2 * (attempt + 1))

    def claim(self, keys: Iterable[str]) -> bool:
        """Record all `keys` as handled in one transaction; False if any was handled before.

        The primary key makes the insert the arbiter: of two processes claiming the same
        event at the same moment, exactly one commits.
        """
        now = time.time()
        rows = [{"key": key[:255], "handled_at": now} for key in dict.fromkeys(keys)]
        try:
            with self.engine.begin() as conn:
                conn.execute(handled.insert(), rows)
        except IntegrityError:
            return False
        self._prune(handled, handled.c.handled_at, now - HANDLED_TTL_SECONDS)
        return True

    def join_thread(self, key: str) -> None:
        """Remember that the bot holds a conversation in this thread."""
        try:
            with self.engine.begin() as conn:
                conn.execute(threads.insert(), [{"key": key[:255], "started_at": time.time()}])
        except IntegrityError:
            pass  # already joined

    def in_thread(self, key: str) -> bool:
        """Whether the bot holds a conversation in this thread."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(threads.c.key).where(threads.c.key == key[:255])).first()
        return row is not None

    def _prune(self, table: sa.Table, column: sa.Column, before: float) -> None:
        """Forget old rows so the table stays small (best effort: a failure here harms nothing)."""
        try:
            with self.engine.begin() as conn:
                conn.execute(table.delete().where(column < before))
                if table is handled:
                    conn.execute(
                        threads.delete().where(
                            threads.c.started_at < time.time() - THREAD_TTL_SECONDS
                        )
                    )
        except Exception as error:  # noqa: BLE001 - pruning must never fail a request
            logger.debug("Slack store pruning skipped: %s", error)
