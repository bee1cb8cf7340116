"""Creating tables in a database that several processes open at the same moment."""

import time

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError


def create_tables(metadata: sa.MetaData, engine: sa.engine.Engine, attempts: int = 5) -> None:
    """`metadata.create_all`, retried while another process creates the same tables.

    Processes starting together on a fresh database race: SQLite answers "database is locked",
    PostgreSQL "relation already exists" or a unique violation in its catalogue (pg_type); the
    next attempt finds the tables made. Few attempts: a database that is down must fail a
    request fast (Chatwoot and Slack give up after a few seconds).

    Raises:
        sqlalchemy.exc.SQLAlchemyError: still failing after `attempts`.
    """
    for attempt in range(attempts):
        try:
            metadata.create_all(engine)
            return
        except (OperationalError, IntegrityError, ProgrammingError):
            if attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))
