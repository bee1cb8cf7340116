"""The insights store: per-conversation facts, brought up to date from the event broker's table.

`InsightsStore.ingest(events_engine)` reads the broker's `events` rows after the last processed
id (kept in the store), folds each conversation's new events into its facts
(smtpbot/insights/facts.py) and writes the facts and the new last id in one transaction, so an
ingest that dies half-way is simply repeated, and two ingests at once cannot both count a batch
(the second one's update of the last id finds it changed and is rolled back). Only the
conversations with new events are touched: an ingest costs what happened since the last one.

Tables: `conversations` (one row per conversation: channel, first/last message time, turns,
time to step 1, outcome, the fold's state), `walks` (one per guide started in a conversation),
`step_counts` ("I'm stuck"/back/repeat per conversation, guide and step), `handoffs`,
`uncovered` (programs the guides don't cover), `examples` (masked not-understood messages, with
their time, deleted by the retention), `rollup` (every count of the reports per day, channel,
kind and key, recounted from the facts for the days a batch touched: a report adds up its days'
rows, so a month costs about 30 days' rows whatever the traffic), `checkpoints` (last event id
and time of each ingest batch, for the retention of raw events) and `meta` (the last processed
event id).

SQLite (`insights.db`) by default, any SQLAlchemy URL (PostgreSQL in the scale-out profile) from
SMTPBOT_INSIGHTS_DB.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence

import sqlalchemy as sa

from smtpbot import settings
from smtpbot.insights.facts import ConversationFacts
from smtpbot.stores.schema import create_tables

logger = logging.getLogger(__name__)
DEFAULT_URL = "sqlite:///insights.db"
DEFAULT_RETENTION_DAYS = 90
BATCH = 20_000  # broker rows per transaction
CHUNK = 500  # ids per IN (...) list

metadata = sa.MetaData()
conversations = sa.Table(
    "conversations",
    metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("channel", sa.String(64)),
    sa.Column("first_at", sa.Float, index=True),
    sa.Column("day", sa.String(10), index=True),  # UTC date of the first message
    sa.Column("last_at", sa.Float, index=True),
    sa.Column("turns", sa.Integer, nullable=False),
    sa.Column("step1_turns", sa.Integer),
    sa.Column("step1_seconds", sa.Float),
    sa.Column("guided", sa.Boolean, nullable=False),
    sa.Column("outcome", sa.String(16)),
    sa.Column("not_understood", sa.Integer, nullable=False),
    sa.Column("last_text", sa.Text),  # masked; only until the next event (retention clears it)
    sa.Column("state", sa.Text, nullable=False),
)
walks = sa.Table(
    "walks",
    metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("guide", sa.String(64), nullable=False),
    sa.Column("max_step", sa.Integer, nullable=False),
    sa.Column("last_step", sa.Integer, nullable=False),
    sa.Column("finished", sa.Boolean, nullable=False),
    sa.Column("outcome", sa.String(16)),
    sa.Column("handoff", sa.String(32)),
    sa.Column("is_last", sa.Boolean, nullable=False),
)
step_counts = sa.Table(
    "step_counts",
    metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("guide", sa.String(64), primary_key=True),
    sa.Column("step", sa.Integer, primary_key=True),
    sa.Column("stuck", sa.Integer, nullable=False),
    sa.Column("back", sa.Integer, nullable=False),
    sa.Column("repeat", sa.Integer, nullable=False),
)
handoffs = sa.Table(
    "handoffs",
    metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("reason", sa.String(32), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("in_hours", sa.Boolean, nullable=False),
    sa.Column("guide", sa.String(64)),
    sa.Column("step", sa.Integer),
)
uncovered = sa.Table(
    "uncovered",
    metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("program", sa.String(100), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
)
examples = sa.Table(
    "examples",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("at", sa.Float, nullable=False, index=True),
    sa.Column("text", sa.Text, nullable=False),
)
checkpoints = sa.Table(
    "checkpoints",
    metadata,
    sa.Column("event_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("at", sa.Float, nullable=False),
)
meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(255), nullable=False),
)
# Per day and channel, every count a report adds up (kind, key, number -> value): a report reads
# these rows for its days, so a month costs about 30 days' rows, whatever the traffic.
rollup = sa.Table(
    "rollup",
    metadata,
    sa.Column("day", sa.String(10), primary_key=True),
    sa.Column("channel", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(16), primary_key=True),
    sa.Column("key", sa.String(300), primary_key=True),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("value", sa.Integer, nullable=False),
)
CHILD_TABLES = (walks, step_counts, handoffs, uncovered)
LAST_ID = "last_event_id"

# Rasa's SQLEventBroker table (rasa/core/brokers/sql.py), read only.
broker_events = sa.Table(
    "events",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255)),
    sa.Column("data", sa.Text),
)


def insights_url() -> str:
    """The store's database: SMTPBOT_INSIGHTS_DB, default sqlite:///insights.db."""
    return settings.SMTPBOT_INSIGHTS_DB.get() or DEFAULT_URL


def retention_days() -> float:
    """SMTPBOT_INSIGHTS_RETENTION_DAYS (default 90): raw events and example texts older than
    this are deleted by each ingest; 0 keeps them forever."""
    return max(settings.SMTPBOT_INSIGHTS_RETENTION_DAYS.get_float(), 0.0)


def make_engine(url: str) -> sa.engine.Engine:
    """An engine for `url`; SQLite in WAL mode so a report never blocks an ingest."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=2)


@dataclass
class IngestResult:
    """What one ingest did."""

    events: int
    conversations: int
    last_event_id: int
    purged_events: int = 0
    purged_examples: int = 0


# Broker rows the facts never read (the fold ignores them): skipped before parsing their JSON,
# a third of a conversation's rows. Both Rasa's broker and ours write `json.dumps(event)`.
_SKIP = (
    '"event": "user_featurization"',
    '"event": "session_started"',
    '"name": "action_listen"',
    '"name": "stuck_count"',
    '"name": "fallback_count"',
)


def _irrelevant(data: str) -> bool:
    """True for a row the fold would ignore: a bot message other than a hand-off, or _SKIP."""
    if '"event": "bot"' in data:
        return '"handoff"' not in data
    return any(marker in data for marker in _SKIP)


def _read_events(engine: sa.engine.Engine, after: int, limit: int) -> List[tuple]:
    """(id, sender_id, data) of the broker's rows after id `after`, in order: plain DB-API
    tuples, as building SQLAlchemy rows cost a tenth of the ingest."""
    sql = "SELECT id, sender_id, data FROM events WHERE id > %s ORDER BY id LIMIT %s"
    if engine.dialect.paramstyle == "qmark":
        sql = sql.replace("%s", "?")
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(sql, (after, limit))
        rows = cursor.fetchall()
        cursor.close()
        return rows
    finally:
        connection.close()


def _utc_day(epoch: Optional[float]) -> Optional[str]:
    return datetime.fromtimestamp(epoch, tz=timezone.utc).date().isoformat() if epoch else None


def _rollup_days(db: sa.engine.Connection, days: List[str]) -> None:
    """Recount the `rollup` rows of `days` from the facts of the conversations started then."""
    from collections import Counter

    c = conversations
    counts: Counter = Counter()
    of_days = sa.and_(c.c.day.in_(days), c.c.turns > 0)
    worked = sa.and_(c.c.guided, c.c.outcome == "worked")
    for day, channel, n, guided, ok, missed in db.execute(
        sa.select(
            c.c.day,
            c.c.channel,
            sa.func.count(),
            sa.func.sum(sa.case((c.c.guided, 1), else_=0)),
            sa.func.sum(sa.case((worked, 1), else_=0)),
            sa.func.sum(c.c.not_understood),
        )
        .where(of_days)
        .group_by(c.c.day, c.c.channel)
    ):
        for kind, value in (
            ("conversations", n),
            ("guided", guided),
            ("worked", ok),
            ("not_understood", missed),
        ):
            counts[(day, channel, kind, "", 0)] += int(value or 0)
    for day, channel, turns, seconds in db.execute(
        sa.select(c.c.day, c.c.channel, c.c.step1_turns, c.c.step1_seconds).where(
            of_days, c.c.step1_turns.isnot(None)
        )
    ):
        counts[(day, channel, "turns", "", int(turns))] += 1
        counts[(day, channel, "seconds", "", int(round(seconds or 0)))] += 1
    joined = walks.join(c, walks.c.sender_id == c.c.sender_id)
    open_ended = sa.and_(walks.c.is_last, walks.c.outcome.is_(None), walks.c.handoff.is_(None))
    for day, channel, guide, top, last, finished, outcome, handed, unfinished, n in db.execute(
        sa.select(
            c.c.day,
            c.c.channel,
            walks.c.guide,
            walks.c.max_step,
            walks.c.last_step,
            walks.c.finished,
            walks.c.outcome,
            walks.c.handoff.isnot(None),
            open_ended,
            sa.func.count(),
        )
        .select_from(joined)
        .where(of_days)
        .group_by(
            c.c.day,
            c.c.channel,
            walks.c.guide,
            walks.c.max_step,
            walks.c.last_step,
            walks.c.finished,
            walks.c.outcome,
            walks.c.handoff.isnot(None),
            open_ended,
        )
    ):
        counts[(day, channel, "started", guide, 0)] += n
        counts[(day, channel, "reached_max", guide, top)] += n
        if finished:
            counts[(day, channel, "finished", guide, 0)] += n
        if outcome in ("worked", "failed"):
            counts[(day, channel, f"walk_{outcome}", guide, 0)] += n
        if handed:
            counts[(day, channel, "handed_off", guide, 0)] += n
        if unfinished:
            counts[(day, channel, "open", guide, last)] += n
    for day, channel, guide, step, stuck, back, repeat in db.execute(
        sa.select(
            c.c.day,
            c.c.channel,
            step_counts.c.guide,
            step_counts.c.step,
            sa.func.sum(step_counts.c.stuck),
            sa.func.sum(step_counts.c.back),
            sa.func.sum(step_counts.c.repeat),
        )
        .select_from(step_counts.join(c, step_counts.c.sender_id == c.c.sender_id))
        .where(of_days)
        .group_by(c.c.day, c.c.channel, step_counts.c.guide, step_counts.c.step)
    ):
        for kind, value in (("stuck", stuck), ("back", back), ("repeat", repeat)):
            if value:
                counts[(day, channel, kind, guide, step)] += int(value)
    for day, channel, reason, in_hours, n in db.execute(
        sa.select(c.c.day, c.c.channel, handoffs.c.reason, handoffs.c.in_hours, sa.func.count())
        .select_from(handoffs.join(c, handoffs.c.sender_id == c.c.sender_id))
        .where(of_days)
        .group_by(c.c.day, c.c.channel, handoffs.c.reason, handoffs.c.in_hours)
    ):
        counts[(day, channel, "handoff", reason, 1 if in_hours else 0)] += n
    for day, channel, program, n in db.execute(
        sa.select(c.c.day, c.c.channel, uncovered.c.program, sa.func.count())
        .select_from(uncovered.join(c, uncovered.c.sender_id == c.c.sender_id))
        .where(of_days)
        .group_by(c.c.day, c.c.channel, uncovered.c.program)
    ):
        counts[(day, channel, "uncovered", program, 0)] += n
    for day, channel, text in db.execute(
        sa.select(c.c.day, c.c.channel, examples.c.text)
        .select_from(examples.join(c, examples.c.sender_id == c.c.sender_id))
        .where(of_days)
    ):
        counts[(day, channel, "text", text.lower()[:300], 0)] += 1
    db.execute(rollup.delete().where(rollup.c.day.in_(days)))
    if counts:
        db.execute(
            rollup.insert(),
            [
                {"day": d, "channel": ch, "kind": k, "key": key, "number": n, "value": v}
                for (d, ch, k, key, n), v in counts.items()
            ],
        )


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class InsightsStore:
    """Facts per conversation, their incremental ingest and the retention."""

    def __init__(self, url: Optional[str] = None):
        """Open (and create the tables of) the store at `url`, default `insights_url()`."""
        self.engine = make_engine(url or insights_url())
        create_tables(metadata, self.engine)  # the scale-out servers start together
        try:
            with self.engine.begin() as db:
                if db.execute(sa.select(meta.c.key).where(meta.c.key == LAST_ID)).first() is None:
                    db.execute(meta.insert().values(key=LAST_ID, value="0"))
        except sa.exc.IntegrityError:
            pass  # another process created it at the same moment

    def last_event_id(self, connection: Optional[sa.engine.Connection] = None) -> int:
        """The id of the last broker event folded into the facts (0 before the first ingest)."""
        query = sa.select(meta.c.value).where(meta.c.key == LAST_ID)
        if connection is None:
            with self.engine.connect() as own:
                value = own.execute(query).scalar()
        else:
            value = connection.execute(query).scalar()
        return int(value or 0)

    def ingest(
        self,
        events_engine: sa.engine.Engine,
        in_hours: Callable[[float], bool],
        batch: int = BATCH,
        now: Optional[float] = None,
        retention: Optional[float] = None,
    ) -> IngestResult:
        """Fold every broker event after the last processed one into the facts, then apply the
        retention (`retention` days, default `retention_days()`)."""
        total_events, touched, last = 0, set(), self.last_event_id()
        while True:
            rows = _read_events(events_engine, last, batch)
            if not rows:
                break
            if self._fold_batch(rows, last, in_hours):
                total_events += len(rows)
                touched.update(row[1] for row in rows)
            last = self.last_event_id()  # ours, or another ingest's if it won the race
        result = IngestResult(total_events, len(touched), last)
        days = retention_days() if retention is None else retention
        if days > 0:
            cutoff = (now or time.time()) - days * 86400
            result.purged_events, result.purged_examples = self.purge(events_engine, cutoff)
        return result

    def _fold_batch(self, rows: List[Any], last: int, in_hours: Callable[[float], bool]) -> bool:
        """Fold one batch and move the last id from `last` to the batch's end, atomically;
        False when another ingest moved it first (nothing written)."""
        by_sender: Dict[str, List[Dict[str, Any]]] = {}
        newest = 0.0
        for _, sender_id, data in rows:
            if not sender_id or not data or _irrelevant(data):
                continue
            try:
                event = json.loads(data)
            except ValueError:
                continue  # a row that is not an event is skipped, never fatal
            if isinstance(event, dict):
                by_sender.setdefault(sender_id, []).append(event)
                stamp = event.get("timestamp")
                if isinstance(stamp, (int, float)) and stamp > newest:
                    newest = stamp
        senders = list(by_sender)
        with self.engine.begin() as db:
            moved = db.execute(
                meta.update()
                .where(meta.c.key == LAST_ID, meta.c.value == str(last))
                .values(value=str(rows[-1][0]))
            ).rowcount
            if not moved:
                return False  # another ingest took this batch: roll back
            states: Dict[str, Any] = {}
            for chunk in _chunks(senders):
                for sender_id, state, text in db.execute(
                    sa.select(
                        conversations.c.sender_id, conversations.c.state, conversations.c.last_text
                    ).where(conversations.c.sender_id.in_(chunk))
                ):
                    states[sender_id] = (json.loads(state), text)
            rows_out: Dict[Any, List[Dict[str, Any]]] = {t: [] for t in CHILD_TABLES}
            conversation_rows, example_rows = [], []
            for sender_id in senders:
                facts = ConversationFacts()
                if sender_id in states:
                    facts.state, facts.state["last_text"] = (
                        states[sender_id][0],
                        (states[sender_id][1] or ""),
                    )
                facts.apply(by_sender[sender_id], in_hours)
                conversation_rows.append(self._conversation_row(sender_id, facts.state))
                example_rows += [
                    {"sender_id": sender_id, "at": at, "text": text} for at, text in facts.examples
                ]
                self._child_rows(sender_id, facts.state, rows_out)
            for chunk in _chunks(senders):
                for table in (conversations, *CHILD_TABLES):
                    db.execute(table.delete().where(table.c.sender_id.in_(chunk)))
            if conversation_rows:
                db.execute(conversations.insert(), conversation_rows)
            for table, table_rows in rows_out.items():
                if table_rows:
                    db.execute(table.insert(), table_rows)
            if example_rows:
                db.execute(examples.insert(), example_rows)
            db.execute(checkpoints.insert().values(event_id=rows[-1][0], at=newest))
            days = sorted({row["day"] for row in conversation_rows if row["day"]})
            for chunk in _chunks(days, 50):
                _rollup_days(db, list(chunk))
        return True

    @staticmethod
    def _conversation_row(sender_id: str, state: Dict[str, Any]) -> Dict[str, Any]:
        stored = dict(state)
        text = stored.pop("last_text", "") or None
        return {
            "sender_id": sender_id,
            "channel": state["channel"] or "unknown",
            "first_at": state["first_at"],
            "day": _utc_day(state["first_at"]),
            "last_at": state["last_at"],
            "turns": state["turns"],
            "step1_turns": state["step1_turns"],
            "step1_seconds": state["step1_seconds"],
            "guided": bool(state["walks"]),
            "outcome": state["outcome"],
            "not_understood": state["not_understood"],
            "last_text": text,
            "state": json.dumps(stored, separators=(",", ":")),
        }

    @staticmethod
    def _child_rows(sender_id: str, state: Dict[str, Any], out: Dict[Any, List[Dict]]) -> None:
        count = len(state["walks"])
        for seq, walk in enumerate(state["walks"]):
            out[walks].append(
                {
                    "sender_id": sender_id,
                    "seq": seq,
                    "guide": walk["guide"],
                    "max_step": walk["max_step"],
                    "last_step": walk["last_step"],
                    "finished": bool(walk["finished"]),
                    "outcome": walk["outcome"],
                    "handoff": walk["handoff"],
                    "is_last": seq == count - 1,
                }
            )
        for key, (stuck, back, repeat) in state["steps"].items():
            guide, step = key.split("\t")
            out[step_counts].append(
                {
                    "sender_id": sender_id,
                    "guide": guide,
                    "step": int(step),
                    "stuck": stuck,
                    "back": back,
                    "repeat": repeat,
                }
            )
        for seq, (reason, at, in_hours, guide, step) in enumerate(state["handoffs"]):
            out[handoffs].append(
                {
                    "sender_id": sender_id,
                    "seq": seq,
                    "reason": reason,
                    "at": at,
                    "in_hours": in_hours,
                    "guide": guide,
                    "step": step,
                }
            )
        for seq, (program, at) in enumerate(state["uncovered"]):
            out[uncovered].append(
                {"sender_id": sender_id, "seq": seq, "program": program, "at": at}
            )

    def purge(self, events_engine: sa.engine.Engine, cutoff: float) -> tuple:
        """Delete processed raw events and example texts older than `cutoff` (epoch seconds);
        (events deleted, examples deleted). Facts (counts) are kept."""
        with self.engine.begin() as db:
            upto = db.execute(
                sa.select(sa.func.max(checkpoints.c.event_id)).where(checkpoints.c.at < cutoff)
            ).scalar()
            removed_examples = db.execute(examples.delete().where(examples.c.at < cutoff)).rowcount
            # The example texts of the days before the cutoff go from the per-day counts too.
            db.execute(
                rollup.delete().where(rollup.c.kind == "text", rollup.c.day < _utc_day(cutoff))
            )
            db.execute(
                conversations.update()
                .where(conversations.c.last_at < cutoff, conversations.c.last_text.isnot(None))
                .values(last_text=None)
            )
        removed_events = 0
        if upto:
            with events_engine.begin() as source:
                removed_events = source.execute(
                    broker_events.delete().where(broker_events.c.id <= upto)
                ).rowcount
            with self.engine.begin() as db:
                db.execute(checkpoints.delete().where(checkpoints.c.event_id < upto))
        return removed_events, removed_examples
