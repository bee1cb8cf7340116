"""The ticket store: hand-off tickets, their messages and the outbox, through SQLAlchemy 1.4.

SQLite file by default (`tickets.db` in the working directory), PostgreSQL (or any SQLAlchemy
URL) from the environment variable SMTPBOT_TICKETS_DB. The action server creates tickets and the
Rasa server (agents' API, channels) reads and updates them, so both open the same database.

At most one *open* ticket per conversation is enforced by the database itself (a partial
unique index), so customers sending several messages at once, or two servers handling the same
conversation, can never create a duplicate: the loser of the race gets the existing ticket.
"""

import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    create_engine,
    event,
    select,
    update,
)
from sqlalchemy import text as sql_text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import declarative_base, sessionmaker
from sqlalchemy.pool import QueuePool

from smtpbot import settings
from smtpbot.stores.schema import create_tables

REFERENCE_PREFIX = "HD-"

OPEN, RESOLVED, HANDED_BACK = "open", "resolved", "handed_back"

Base = declarative_base()


class TicketRow(Base):
    """One hand-off: who, where in the guide, why, and its state."""

    __tablename__ = "tickets"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    channel = Column(String(64), nullable=False, default="rest")
    status = Column(String(16), nullable=False, default=OPEN)
    reason = Column(String(32), nullable=False)
    client = Column(String(64))
    version = Column(String(32))
    guide = Column(String(64))
    step = Column(Integer)
    total_steps = Column(Integer)
    stuck_text = Column(Text)
    summary = Column(Text, nullable=False, default="")
    created_at = Column(Float, nullable=False)
    updated_at = Column(Float, nullable=False)
    synced_until = Column(Float, nullable=False, default=0.0)  # tracker events copied up to here

    __table_args__ = (
        # The guarantee against duplicates: one open ticket per conversation.
        Index(
            "uq_open_ticket_per_conversation",
            "conversation_id",
            unique=True,
            sqlite_where=sql_text("status = 'open'"),
            postgresql_where=sql_text("status = 'open'"),
        ),
    )


class MessageRow(Base):
    """A line of the ticket's transcript (customer, bot, agent or an internal note)."""

    __tablename__ = "ticket_messages"
    id = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, ForeignKey("tickets.id"), nullable=False, index=True)
    role = Column(String(16), nullable=False)  # customer | bot | agent | note
    text = Column(Text, nullable=False)
    at = Column(Float, nullable=False)
    author = Column(String(128))

    __table_args__ = (Index("uq_message_once", "ticket_id", "role", "at", unique=True),)


class OutboxRow(Base):
    """A message for a customer on a pull channel (REST), delivered with their next exchange."""

    __tablename__ = "ticket_outbox"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False)
    payload = Column(Text, nullable=False)  # JSON of one bot message, as REST returns them
    created_at = Column(Float, nullable=False)
    delivered_at = Column(Float)

    __table_args__ = (Index("ix_outbox_pending", "conversation_id", "delivered_at"),)


class ConversationKeyRow(Base):
    """The key a pull-channel (REST) conversation's own client proves itself with (hash only)."""

    __tablename__ = "conversation_keys"
    conversation_id = Column(String(255), primary_key=True)
    key_hash = Column(String(64), nullable=False)
    created_at = Column(Float, nullable=False)


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


@dataclass
class Ticket:
    """A ticket as plain data (detached from the database session)."""

    id: int
    conversation_id: str
    channel: str
    status: str
    reason: str
    client: Optional[str]
    version: Optional[str]
    guide: Optional[str]
    step: Optional[int]
    total_steps: Optional[int]
    stuck_text: Optional[str]
    summary: str
    created_at: float
    updated_at: float
    synced_until: float = 0.0
    messages: List[Dict[str, Any]] = field(default_factory=list)

    @property
    def reference(self) -> str:
        """The reference customers and agents quote ("HD-00042")."""
        return reference_for(self.id)

    def as_dict(self, with_messages: bool = True) -> Dict[str, Any]:
        """JSON-ready form, as the agents' API returns it."""
        data = {
            name: getattr(self, name)
            for name in (
                "id",
                "conversation_id",
                "channel",
                "status",
                "reason",
                "client",
                "version",
                "guide",
                "step",
                "total_steps",
                "stuck_text",
                "summary",
                "created_at",
                "updated_at",
            )
        }
        data["reference"] = self.reference
        if with_messages:
            data["transcript"] = list(self.messages)
        return data


def reference_for(ticket_id: int) -> str:
    """HD-00042 for ticket 42."""
    return f"{REFERENCE_PREFIX}{ticket_id:05d}"


def parse_reference(reference: str) -> Optional[int]:
    """42 for "HD-00042", "hd-42" or "42"; None when it is not a reference."""
    value = reference.strip().upper()
    if value.startswith(REFERENCE_PREFIX):
        value = value[len(REFERENCE_PREFIX) :]
    return int(value) if value.isdigit() and len(value) < 10 else None


def _ticket(row: TicketRow, messages: Optional[List[MessageRow]] = None) -> Ticket:
    ticket = Ticket(**{c.name: getattr(row, c.name) for c in TicketRow.__table__.columns})
    ticket.messages = [
        {"role": m.role, "text": m.text, "at": m.at, "author": m.author} for m in messages or []
    ]
    return ticket


class TicketStore:
    """Create, read and update tickets. Thread-safe; each call is one short transaction."""

    def __init__(self, url: Optional[str] = None):
        """Connect (lazily: the engine opens connections on first use) and create the tables."""
        self.url = url or settings.SMTPBOT_TICKETS_DB.get() or ""
        sqlite = self.url.startswith("sqlite")
        kwargs: Dict[str, Any] = {"future": True}
        if sqlite:
            # Two processes write the file: wait for the lock instead of failing at once.
            kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
            # Pooled connections: the REST channel reads the outbox on every message, and a new
            # connection each time (SQLAlchemy's default for files) cost its connect and pragmas -
            # ~7% of the Rasa server's CPU per message, profiled under `make bench`.
            kwargs.update(poolclass=QueuePool, pool_size=2, max_overflow=4)
        else:
            kwargs.update(pool_pre_ping=True, pool_size=2, max_overflow=3)
        self.engine = create_engine(self.url, **kwargs)
        if sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False, future=True)
        create_tables(Base.metadata, self.engine)  # the servers may start together

    # --- tickets ---------------------------------------------------------------------------

    def open_ticket(
        self,
        conversation_id: str,
        reason: str,
        *,
        channel: str = "rest",
        client: Optional[str] = None,
        version: Optional[str] = None,
        guide: Optional[str] = None,
        step: Optional[int] = None,
        total_steps: Optional[int] = None,
        stuck_text: Optional[str] = None,
        summary: str = "",
        transcript: Optional[List[Tuple[str, str, float]]] = None,
    ) -> Tuple[Ticket, bool]:
        """The conversation's open ticket: a new one (created=True) or the one already open."""
        now = time.time()
        row = TicketRow(
            conversation_id=conversation_id,
            channel=channel,
            status=OPEN,
            reason=reason,
            client=client,
            version=version,
            guide=guide,
            step=step,
            total_steps=total_steps,
            stuck_text=stuck_text,
            summary=summary,
            created_at=now,
            updated_at=now,
            synced_until=now,
        )
        try:
            with self.sessions.begin() as session:
                session.add(row)
                session.flush()
                seen = set()
                for role, text, at in transcript or []:
                    if (role, at) in seen:
                        continue
                    seen.add((role, at))
                    session.add(MessageRow(ticket_id=row.id, role=role, text=text, at=at))
            return self.get(row.id), True
        except IntegrityError:
            existing = self.open_for(conversation_id)
            if existing is None:  # resolved between our insert and this read: try once more
                return self.open_ticket(
                    conversation_id,
                    reason,
                    channel=channel,
                    client=client,
                    version=version,
                    guide=guide,
                    step=step,
                    total_steps=total_steps,
                    stuck_text=stuck_text,
                    summary=summary,
                    transcript=transcript,
                )
            return existing, False

    def get(self, ticket_id: int) -> Optional[Ticket]:
        """A ticket with its transcript, or None."""
        with self.sessions() as session:
            row = session.get(TicketRow, ticket_id)
            if row is None:
                return None
            messages = (
                session.execute(
                    select(MessageRow)
                    .where(MessageRow.ticket_id == ticket_id)
                    .order_by(MessageRow.at, MessageRow.id)
                )
                .scalars()
                .all()
            )
            return _ticket(row, messages)

    def open_for(self, conversation_id: str) -> Optional[Ticket]:
        """The conversation's open ticket, if any."""
        with self.sessions() as session:
            row = session.execute(
                select(TicketRow).where(
                    TicketRow.conversation_id == conversation_id, TicketRow.status == OPEN
                )
            ).scalar()
            return self.get(row.id) if row else None

    def latest_for(self, conversation_id: str) -> Optional[Ticket]:
        """The conversation's most recent ticket, whatever its status."""
        with self.sessions() as session:
            row = session.execute(
                select(TicketRow)
                .where(TicketRow.conversation_id == conversation_id)
                .order_by(TicketRow.id.desc())
                .limit(1)
            ).scalar()
            return self.get(row.id) if row else None

    def list(self, status: Optional[str] = OPEN, limit: int = 100) -> List[Ticket]:
        """Tickets, newest first, without transcripts (status None = all)."""
        with self.sessions() as session:
            query = select(TicketRow).order_by(TicketRow.id.desc()).limit(limit)
            if status:
                query = query.where(TicketRow.status == status)
            return [_ticket(row) for row in session.execute(query).scalars().all()]

    def set_status(self, ticket_id: int, status: str) -> Optional[Ticket]:
        """Resolve or hand back; returns the updated ticket (None if unknown)."""
        with self.sessions.begin() as session:
            result = session.execute(
                update(TicketRow)
                .where(TicketRow.id == ticket_id)
                .values(status=status, updated_at=time.time())
            )
            if result.rowcount == 0:
                return None
        return self.get(ticket_id)

    # --- transcript ------------------------------------------------------------------------

    def add_message(
        self,
        ticket_id: int,
        role: str,
        text: str,
        at: Optional[float] = None,
        author: Optional[str] = None,
    ) -> bool:
        """Append a line; False when that exact line (role, time) is already there."""
        try:
            with self.sessions.begin() as session:
                session.add(
                    MessageRow(
                        ticket_id=ticket_id,
                        role=role,
                        text=text,
                        at=at if at is not None else time.time(),
                        author=author,
                    )
                )
                session.execute(
                    update(TicketRow)
                    .where(TicketRow.id == ticket_id)
                    .values(updated_at=time.time())
                )
            return True
        except IntegrityError:
            return False

    def mark_synced(self, ticket_id: int, until: float) -> None:
        """Remember up to which tracker event time the transcript has been copied."""
        with self.sessions.begin() as session:
            session.execute(
                update(TicketRow)
                .where(TicketRow.id == ticket_id, TicketRow.synced_until < until)
                .values(synced_until=until)
            )

    # --- outbox for pull channels ----------------------------------------------------------

    def queue_for_customer(self, conversation_id: str, messages: List[Dict[str, Any]]) -> None:
        """Keep bot/agent messages for a REST customer until their next exchange."""
        now = time.time()
        with self.sessions.begin() as session:
            for offset, message in enumerate(messages):
                session.add(
                    OutboxRow(
                        conversation_id=conversation_id,
                        payload=json.dumps(message),
                        created_at=now + offset * 1e-6,
                    )
                )

    def take_for_customer(self, conversation_id: str) -> List[Dict[str, Any]]:
        """The undelivered messages of a conversation, marked delivered (each goes out once)."""
        with self.sessions.begin() as session:
            rows = (
                session.execute(
                    select(OutboxRow)
                    .where(
                        OutboxRow.conversation_id == conversation_id,
                        OutboxRow.delivered_at.is_(None),
                    )
                    .order_by(OutboxRow.id)
                )
                .scalars()
                .all()
            )
            if not rows:
                return []
            # Conditional update: a concurrent request that already took a row does not get it twice.
            taken = []
            for row in rows:
                result = session.execute(
                    update(OutboxRow)
                    .where(OutboxRow.id == row.id, OutboxRow.delivered_at.is_(None))
                    .values(delivered_at=time.time())
                )
                if result.rowcount:
                    taken.append(json.loads(row.payload))
            return taken

    def take_for_owner(
        self, conversation_id: str, key: Optional[str]
    ) -> Tuple[List[Dict[str, Any]], Optional[str]]:
        """(Undelivered messages, new key) for a request of a pull-channel conversation.

        A conversation without a key gets one now: the requester is its first client and owns it
        (the new key is returned once, to be handed to that client). Otherwise the messages go
        only to a request carrying the conversation's key; anyone else gets none and they stay
        queued for the owner.
        """
        with self.sessions.begin() as session:
            row = session.get(ConversationKeyRow, conversation_id)
        if row is None:
            new_key = secrets.token_urlsafe(24)
            try:
                with self.sessions.begin() as session:
                    session.add(
                        ConversationKeyRow(
                            conversation_id=conversation_id,
                            key_hash=_key_hash(new_key),
                            created_at=time.time(),
                        )
                    )
            except IntegrityError:  # another request of this conversation was first: not ours
                return [], None
            return self.take_for_customer(conversation_id), new_key
        if not key or not hmac.compare_digest(_key_hash(key), row.key_hash):
            return [], None
        return self.take_for_customer(conversation_id), None


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets readers and one writer work at once across the two server processes."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


_stores: Dict[str, TicketStore] = {}
_lock = threading.Lock()


def get_store(url: Optional[str] = None) -> TicketStore:
    """One store per database URL per process, opened on first use (never at import)."""
    key = url or settings.SMTPBOT_TICKETS_DB.get() or ""
    with _lock:
        if key not in _stores:
            _stores[key] = TicketStore(key)
        return _stores[key]
