"""The cached SQLite tracker store (smtpbot/stores/tracker_cache.py) reads and writes what Rasa's SQL store does."""

import asyncio
import sqlite3
import time

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    ConversationPaused,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from smtpbot.stores.tracker_cache import CachedSQLTrackerStore, compact

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent
# Event times after the trackers' creation (Rasa stamps that with the clock).
T = time.time() + 100


@pytest.fixture(scope="module")
def domain():
    """The bot's domain (its slots shape the trackers)."""
    return Domain.load(str(ROOT / "domain.yml"))


def run(coroutine):
    """Run one store call."""
    return asyncio.run(coroutine)


def dump(tracker):
    """A tracker's events as Rasa serialises them (what is compared)."""
    return [event.as_dict() for event in tracker.events]


def turn(text, step, at):
    """One customer message and the bot's answer, as the walkthrough records them."""
    return [
        UserUttered(text, {"name": "done", "confidence": 1.0}, timestamp=at),
        ActionExecuted("action_next_step", timestamp=at + 0.1),
        SlotSet("step", step, timestamp=at + 0.2),
        BotUttered(f"Step {step}", timestamp=at + 0.3),
        ActionExecuted("action_listen", timestamp=at + 0.4),
    ]


def rows(db):
    """Every stored row (without ids), in order."""
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT sender_id, type_name, timestamp, intent_name, action_name, data "
            "FROM events ORDER BY id"
        ).fetchall()


def walk(store, sender, turns, start=T):
    """A conversation of `turns` messages saved after each one, as Rasa's processor does."""
    tracker = run(store.get_or_create_tracker(sender))
    for n in range(turns):
        tracker = run(store.retrieve(sender))
        for event in turn("done", n + 1, start + n):
            tracker.update(event)
        run(store.save(tracker))


def test_same_rows_and_trackers_as_rasas_store(domain, tmp_path):
    """The same conversation through both stores: identical rows; each reads back the other's."""
    cached = CachedSQLTrackerStore(domain, db=str(tmp_path / "cached.db"))
    plain = SQLTrackerStore(domain, db=str(tmp_path / "plain.db"))
    for store in (cached, plain):
        walk(store, "alice", 4)
    strip = lambda table: [row[:2] + row[3:5] for row in table]  # noqa: E731 (creation times differ)
    assert strip(rows(tmp_path / "cached.db")) == strip(rows(tmp_path / "plain.db"))
    reader = SQLTrackerStore(domain, db=str(tmp_path / "cached.db"))
    assert dump(run(cached.retrieve("alice"))) == dump(run(reader.retrieve("alice")))
    assert run(cached.retrieve("alice")).get_slot("step") == 4
    assert "alice" in cached._cache  # served from memory, not the database


def test_a_new_session_is_cut_like_rasas_query(domain, tmp_path):
    """After a session_started, the cache holds what Rasa's query returns: the latest session."""
    db = str(tmp_path / "t.db")
    store = CachedSQLTrackerStore(domain, db=db)
    walk(store, "bob", 2)
    tracker = run(store.retrieve("bob"))
    tracker.update(ActionExecuted("action_session_start", timestamp=T + 5000.0))
    tracker.update(SessionStarted(timestamp=T + 5000.1))
    tracker.update(SlotSet("step", 2, timestamp=T + 5000.2))
    tracker.update(ActionExecuted("action_listen", timestamp=T + 5000.3))
    run(store.save(tracker))
    from_db = run(SQLTrackerStore(domain, db=db).retrieve("bob"))
    assert dump(run(store.retrieve("bob"))) == dump(from_db)
    assert [e["event"] for e in dump(from_db)][0] == "session_started"


def test_writes_by_another_connection_are_seen(domain, tmp_path):
    """Another writer (process, sqlite3 shell) changes the file: the next read comes from it."""
    db = tmp_path / "t.db"
    store = CachedSQLTrackerStore(domain, db=str(db))
    walk(store, "carol", 2)
    assert run(store.retrieve("carol")).get_slot("step") == 2
    other = SQLTrackerStore(domain, db=str(db))
    tracker = run(other.retrieve("carol"))
    tracker.update(SlotSet("step", 7, timestamp=T + 9000.0))
    run(other.save(tracker))
    assert run(store.retrieve("carol")).get_slot("step") == 7
    with sqlite3.connect(db) as connection:  # like the persistence tests' ageing of a conversation
        connection.execute("UPDATE events SET timestamp = timestamp - 10 WHERE sender_id = 'carol'")
    assert run(store.retrieve("carol")).events[-1].timestamp == pytest.approx(
        T + 9000.0
    )  # data, not column
    assert dump(run(store.retrieve("carol"))) == dump(run(other.retrieve("carol")))


def test_a_tracker_not_continuing_the_cache_is_saved_by_rasas_code(domain, tmp_path):
    """Two trackers of one conversation saved in turn: the same rows as Rasa's store writes."""
    results = []
    for cls in (CachedSQLTrackerStore, SQLTrackerStore):
        db = tmp_path / f"{cls.__name__}.db"
        store = cls(domain, db=str(db))
        walk(store, "dave", 1)
        first, second = run(store.retrieve("dave")), run(store.retrieve("dave"))
        for event in turn("done", 2, T + 2000.0):
            first.update(event)
        run(store.save(first))
        second.update(SlotSet("step", 9, timestamp=T + 3000.0))
        run(store.save(second))
        events = dump(run(SQLTrackerStore(domain, db=str(db)).retrieve("dave")))
        results.append(
            (
                [row[1:2] + row[3:5] for row in rows(db)],
                [dict(event, timestamp=None) for event in events[1:]] + [events[0]["event"]],
            )
        )
        if cls is CachedSQLTrackerStore:
            assert dump(run(store.retrieve("dave"))) == events
    assert results[0] == results[1]


def test_cache_keeps_only_the_most_recent_conversations(domain, tmp_path):
    """The least recently used conversations leave memory, and still read back from the file."""
    store = CachedSQLTrackerStore(domain, db=str(tmp_path / "t.db"), cache_size=2)
    for sender in ("a", "b", "c"):
        walk(store, sender, 1)
    assert list(store._cache) == ["b", "c"]
    assert run(store.retrieve("a")).get_slot("step") == 1
    assert list(store._cache) == ["c", "a"]


def state(tracker):
    """What the bot decides from: slots, pause, the latest message and action, and its time."""
    last = tracker.get_last_event_for(UserUttered)
    return (
        tracker.current_slot_values(),
        tracker.is_paused(),
        tracker.latest_message.text,
        tracker.latest_action_name,
        last.timestamp if last else None,
    )


def long_conversation(turns):
    """`turns` messages, the guide chosen on turn 3 and the bot paused (hand-off) on turn 40."""
    events = [
        ActionExecuted("action_session_start", timestamp=T - 1),
        SessionStarted(timestamp=T - 1),
        ActionExecuted("action_listen", timestamp=T - 1),
    ]
    for n in range(turns):
        events += turn(f"message {n}", n + 1, T + n)
        if n == 2:
            events.append(SlotSet("guide", "outlook-2007", timestamp=T + n + 0.5))
        if n == 39:
            events.append(ConversationPaused(timestamp=T + n + 0.5))
    return events


def test_compact_keeps_the_state_and_the_latest_turns_whole(domain):
    """A 100-turn session compacted to ~40 events replays to the same slots, pause, latest message
    and action and last message time; what is kept starts at a turn and is the real events."""
    events = long_conversation(100)
    short = compact(events, domain.slots, 40)
    full = DialogueStateTracker.from_events("a", events, domain.slots)
    replayed = DialogueStateTracker.from_events("a", short, domain.slots)
    assert len(events) == 505 and len(short) <= 40 + len(domain.slots) + 2
    assert state(replayed) == state(full)
    assert replayed.get_slot("guide") == "outlook-2007" and replayed.is_paused()
    kept = short[[isinstance(e, UserUttered) for e in short].index(True) - 1 :]
    assert kept == events[-len(kept) :] and kept[0].action_name == "action_listen"
    assert compact(events[:30], domain.slots, 40) == events[:30]


def test_long_conversation_is_cached_compact_but_stored_whole(domain, tmp_path):
    """300 messages through the store: the cache stays under max_events, the database holds every
    event as Rasa's store would, and after a restart the conversation continues at its step."""
    db = str(tmp_path / "t.db")
    store = CachedSQLTrackerStore(domain, db=db, max_events=60)
    walk(store, "long", 300)
    assert len(store._cache["long"]) <= 60 + len(domain.slots) + 2
    assert len(rows(db)) == 300 * 5 + 1  # every turn, plus the first action_listen Rasa stores
    plain = run(SQLTrackerStore(domain, db=db).retrieve("long"))
    assert state(run(store.retrieve("long"))) == state(plain)
    restarted = CachedSQLTrackerStore(domain, db=db, max_events=60)
    tracker = run(restarted.retrieve("long"))
    assert len(tracker.events) <= 60 + len(domain.slots) + 2 and state(tracker) == state(plain)
    tracker.update(UserUttered("done", {"name": "done", "confidence": 1.0}, timestamp=T + 400))
    run(restarted.save(tracker))
    assert len(rows(db)) == 300 * 5 + 2


def test_new_conversation_is_written_without_rasas_count_query(domain, tmp_path, monkeypatch):
    """A conversation the database has never seen: retrieve says None (as Rasa's store), and its
    first saves are the cache's plain inserts, with the same rows Rasa's store writes."""
    cached = CachedSQLTrackerStore(domain, db=str(tmp_path / "cached.db"))
    plain = SQLTrackerStore(domain, db=str(tmp_path / "plain.db"))
    for store in (cached, plain):
        assert run(store.retrieve("new")) is None
        walk(store, "new", 3)
    assert cached._cache["new"] and len(cached._cache["new"]) == len(
        run(plain.retrieve("new")).events
    )
    strip = lambda rows_: [r[:2] + r[3:5] for r in rows_]  # noqa: E731 (timestamps differ)
    assert strip(rows(tmp_path / "cached.db")) == strip(rows(tmp_path / "plain.db"))

    async def refuse(*_):
        raise AssertionError("Rasa's save (count query + ORM) was used")

    monkeypatch.setattr(SQLTrackerStore, "save", refuse)
    walk(cached, "another", 2)
    assert len(cached._cache["another"]) == 2 * 5 + 1


def test_a_turn_committed_before_a_long_failure_is_undone_on_the_next_read(domain, tmp_path):
    """The save's commit lands, then the database fails (injected: a connection error right after
    COMMIT, and every statement failing for longer than the retries): the save raises (the
    customer is told "having trouble"), and the next read finds the conversation as before it."""
    import sqlalchemy.exc
    from sqlalchemy import event

    db = tmp_path / "t.db"
    store = CachedSQLTrackerStore(domain, db=str(db), retry_seconds=0.5, retry_interval=0.1)
    walk(store, "erin", 2)
    before, rows_before = dump(run(store.retrieve("erin"))), rows(db)
    outage = {"lose_commit": False, "until": 0.0}

    def failure():
        return sqlalchemy.exc.OperationalError("COMMIT", {}, sqlite3.OperationalError("disk I/O"))

    @event.listens_for(store.sessionmaker, "after_commit")
    def answer_lost(session):
        if outage["lose_commit"]:
            outage["lose_commit"], outage["until"] = False, time.monotonic() + 1.5
            raise failure()

    @event.listens_for(store.engine, "before_cursor_execute")
    def down(*_):
        if time.monotonic() < outage["until"]:
            raise failure()

    tracker = run(store.retrieve("erin"))
    for event_ in turn("done", 3, T + 3):
        tracker.update(event_)
    outage["lose_commit"] = True
    with pytest.raises(sqlalchemy.exc.OperationalError):
        run(store.save(tracker))
    assert len(rows(db)) == len(rows_before) + 5  # committed all the same
    while time.monotonic() < outage["until"]:  # the database comes back
        time.sleep(0.05)
    assert dump(run(store.retrieve("erin"))) == before
    assert rows(db) == rows_before
    tracker = run(store.retrieve("erin"))  # the resent message is saved once
    for event_ in turn("done", 3, T + 4):
        tracker.update(event_)
    run(store.save(tracker))
    assert len(rows(db)) == len(rows_before) + 5
    assert dump(run(SQLTrackerStore(domain, db=str(db)).retrieve("erin")))[-3]["value"] == 3
