"""What the Slack channel must remember across processes: requests already handled, threads joined.

Slack resends an event when it thinks delivery failed, and several bot processes may sit behind
one Request URL, so "already answered" lives in a database (SQLAlchemy: a SQLite file by default,
or any URL such as postgresql://...), never in process memory.
"""

from typing import Iterable, Optional

import sqlalchemy as sa

from smtpbot.channels.claims import ClaimStore

DEFAULT_DB = "slack-events.db"
# Slack retries within about 5 minutes (now, +1 min, +5 min) and signatures are valid for
# 5 minutes: an hour of handled keys covers both with a wide margin.
HANDLED_TTL_SECONDS = 3600
# A thread the bot answers in stays its conversation for a week (sessions expire after a day).
THREAD_TTL_SECONDS = 7 * 24 * 3600


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
        self.handled = ClaimStore(
            lambda: self.engine, "slack_handled", "handled_at", HANDLED_TTL_SECONDS
        )
        self.threads = ClaimStore(
            lambda: self.engine, "slack_threads", "started_at", THREAD_TTL_SECONDS
        )

    @property
    def engine(self) -> sa.engine.Engine:
        """The engine (the claim stores create their tables on first use)."""
        if self._engine is None:
            kwargs = {"connect_args": {"timeout": 30}} if self.url.startswith("sqlite") else {}
            self._engine = sa.create_engine(self.url, future=True, **kwargs)
        return self._engine

    def claim(self, keys: Iterable[str]) -> bool:
        """Record all `keys` as handled in one transaction; False if any was handled before.

        The primary key makes the insert the arbiter: of two processes claiming the same
        event at the same moment, exactly one commits.
        """
        return self.handled.claim(keys)

    def join_thread(self, key: str) -> None:
        """Remember that the bot holds a conversation in this thread."""
        self.threads.claim([key])  # False: already joined

    def in_thread(self, key: str) -> bool:
        """Whether the bot holds a conversation in this thread."""
        return self.threads.holds(key)
