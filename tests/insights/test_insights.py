"""The insights' ingest and report on crafted event streams (shaped like Rasa's broker rows)."""

import json
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eventkit import GUIDE, Conversation, all_rows  # noqa: E402

from smtpbot.insights import cli  # noqa: E402
from smtpbot.insights.mask import mask  # noqa: E402
from smtpbot.insights.report import ReportQuery, _histogram_median, build_report  # noqa: E402
from smtpbot.insights.service import business_hours_check  # noqa: E402
from smtpbot.insights.store import InsightsStore, broker_events, examples, make_engine  # noqa: E402


def at(day: int, hour: int, minute: int = 0) -> float:
    """Epoch seconds on March `day`, 2026, UTC (the 2nd is a Monday; London is on UTC then)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=timezone.utc).timestamp()


LATER = at(10, 12)  # a week later: every walk left alone is past the session expiry


def scenario():
    """Seven conversations; the expected figures are worked out in the tests."""
    a = Conversation("a", at(2, 10)).identify().step(2)
    a.turn("I'm stuck", "stuck", "action_stuck", {"guide": GUIDE, "step": 2.0, "stuck_count": 1})
    a.step(1, action="action_previous_step").step(1, action="action_repeat_step")
    for number in range(2, 10):
        a.step(number)
    a.finish().turn("done", "done", "action_next_step", {"asked": None})

    b = Conversation("b", at(2, 11)).turn("hi", "greet", "action_greet", {"asked": "client"})
    b.identify().step(2).step(3)

    c = Conversation("c", at(2, 20), "socketio")
    gmail = {"client": "gmail", "version": None, "platform": None, "os": None}
    gmail.update(guide=None, step=None, asked=None, stuck_count=0)
    c.turn("I use gmail", "inform", "action_identify_client", gmail, handoff="uncovered")

    d = Conversation("d", at(2, 10, 5))
    d.turn("my email is Bob@Example.com", "nlu_fallback", "action_rephrase", {"asked": "client"})
    d.turn("call 0123 456 7890", "nlu_fallback", "action_rephrase", {}, handoff="not_understood")

    e = Conversation("e", at(2, 12), "socketio").identify()
    e.turn("stuck", "stuck", "action_stuck", {"guide": GUIDE, "step": 1.0, "stuck_count": 1})
    e.turn("stuck", "stuck", "action_stuck", {"stuck_count": 0}, handoff="stuck")

    f = Conversation("f", at(2, 13)).identify()
    for number in range(2, 10):
        f.step(number)
    f.finish().turn("no", "deny", "action_deny", {"asked": None}, handoff="still_broken")

    g = Conversation("g", at(5, 9)).identify()
    g.turn("my email is bob@example.com", "nlu_fallback", "action_rephrase", {"fallback_count": 1})
    return [a, b, c, d, e, f, g]


def interleaved(conversations):
    """All events in time order, as the broker receives them from concurrent conversations."""
    events = [e for c in conversations for e in c.events]
    return sorted(events, key=lambda e: e["timestamp"])


def write(engine, events):
    broker_events.metadata.create_all(engine)
    with engine.begin() as db:
        db.execute(
            broker_events.insert(),
            [{"sender_id": e["sender_id"], "data": json.dumps(e)} for e in events],
        )


@pytest.fixture
def dbs(tmp_path):
    events = make_engine(f"sqlite:///{tmp_path / 'events.db'}")
    return events, InsightsStore(f"sqlite:///{tmp_path / 'insights.db'}")


def report(store, now=LATER, **query):
    data = build_report(store, ReportQuery(**query), now=now, expiry=86400)
    data.pop("generated_at")
    return data


def ingest(store, events, **kw):
    return store.ingest(events, business_hours_check(), now=LATER, retention=0, **kw)


def test_report_counts_of_a_crafted_stream(dbs):
    events, store = dbs
    write(events, interleaved(scenario()))
    result = ingest(store, events)
    assert (result.conversations, result.events) == (7, len(all_rows(events)))
    data = report(store)
    assert data["summary"] == {
        "conversations": 7,
        "guided": 5,
        "guided_share": 0.7143,
        "median_turns_to_step1": 1,
        "median_seconds_to_step1": 0,
        "worked": 1,
        "resolution_rate": 0.2,
        "handoffs": 4,
        "not_understood_messages": 3,
    }
    [funnel] = data["funnel"]
    assert funnel == {
        "guide": GUIDE,
        "title": funnel["title"],
        "steps": 9,
        "started": 5,
        "finished": 2,
        "worked": 1,
        "failed": 1,
        "handed_off": 2,
        "abandoned": 2,
        "reached": [5, 3, 3, 2, 2, 2, 2, 2, 2],
    }
    steps = {r["step"]: r for r in data["steps"]}
    assert (steps[1]["stuck"], steps[1]["back"], steps[1]["repeat"], steps[1]["dropped"]) == (
        2,
        0,
        1,
        1,
    )
    assert (steps[2]["stuck"], steps[2]["back"], steps[2]["repeat"]) == (1, 1, 0)
    assert (steps[3]["dropped"], steps[3]["drop_off_rate"]) == (1, round(1 / 3, 4))
    assert sum(r["dropped"] for r in data["steps"]) == 2
    assert data["handoffs"] == {
        "by_reason": [
            {"reason": "stuck", "count": 1, "in_hours": 1, "out_of_hours": 0},
            {"reason": "still_broken", "count": 1, "in_hours": 1, "out_of_hours": 0},
            {"reason": "uncovered", "count": 1, "in_hours": 0, "out_of_hours": 1},
            {"reason": "not_understood", "count": 1, "in_hours": 1, "out_of_hours": 0},
        ],
        "in_hours": 3,
        "out_of_hours": 1,
    }
    assert data["uncovered"] == [{"program": "gmail", "count": 1}]
    assert data["not_understood"] == [
        {"text": "my email is [email]", "count": 2},
        {"text": "call [phone]", "count": 1},
    ]
    assert [
        (c["channel"], c["conversations"], c["guided"], c["worked"]) for c in data["by_channel"]
    ] == [
        ("rest", 5, 4, 1),
        ("socketio", 2, 1, 0),
    ]
    assert [(d["day"], d["conversations"], d["handoffs"]) for d in data["trend"]] == [
        ("2026-03-02", 6, 4),
        ("2026-03-05", 1, 0),
    ]


def test_date_range_channel_and_abandonment_after_expiry_only(dbs):
    events, store = dbs
    write(events, interleaved(scenario()))
    ingest(store, events)
    later = report(store, since=date(2026, 3, 3))
    assert later["summary"]["conversations"] == 1 and later["funnel"][0]["abandoned"] == 1
    assert report(store, until=date(2026, 3, 2))["summary"]["conversations"] == 6
    web = report(store, channel="socketio")
    assert (web["summary"]["conversations"], web["summary"]["handoffs"]) == (2, 2)
    # B left at step 3 on March 2 at 11:00: abandoned only once the session expiry (a day) passed.
    assert report(store, until=date(2026, 3, 2), now=at(3, 10))["funnel"][0]["abandoned"] == 0
    assert report(store, until=date(2026, 3, 2), now=at(3, 12))["funnel"][0]["abandoned"] == 1


@pytest.mark.parametrize("batch", [1, 7, 64])
def test_incremental_ingest_gives_the_same_report(tmp_path, dbs, batch):
    """Ingested in small batches, and with the stream arriving in three parts between ingests,
    the report equals the one-go report: the facts continue from the last processed event."""
    events, store = dbs
    stream = interleaved(scenario())
    write(events, stream)
    ingest(store, events)
    expected = report(store)

    parts = make_engine(f"sqlite:///{tmp_path / 'parts.db'}")
    step_store = InsightsStore(f"sqlite:///{tmp_path / 'parts-insights.db'}")
    third = len(stream) // 3
    for chunk in (stream[:third], stream[third : 2 * third], stream[2 * third :]):
        write(parts, chunk)
        ingest(step_store, parts, batch=batch)
    assert report(step_store) == expected
    assert step_store.last_event_id() == len(stream)
    # Nothing new: nothing done, nothing counted twice.
    assert ingest(step_store, parts).events == 0 and report(step_store) == expected


def test_a_stale_ingest_cannot_count_a_batch_twice(dbs):
    events, store = dbs
    write(events, interleaved(scenario()))
    rows = all_rows(events)[:10]
    assert store._fold_batch(rows, 0, lambda _: True)
    assert not store._fold_batch(rows, 0, lambda _: True)  # another ingest's view: rolled back
    assert store.last_event_id() == rows[-1].id


def test_retention_purges_old_raw_events_and_examples_but_keeps_counts(dbs):
    events, store = dbs
    old, new = scenario(), [Conversation("h", at(20, 9)).identify()]
    new[0].turn("phone me 07700 900123", "nlu_fallback", "action_rephrase", {})
    write(events, interleaved(old))
    ingest(store, events)
    write(events, interleaved(new))
    ingest(store, events)
    kept_rows = len(new[0].events)
    before, total = report(store, now=at(20, 12)), len(all_rows(events))
    # 10 days kept at March 20, noon: everything of March 2-5 goes.
    result = store.ingest(events, business_hours_check(), now=at(20, 12), retention=10)
    assert result.purged_events == total - kept_rows
    assert len(all_rows(events)) == kept_rows
    assert result.purged_examples == 3
    with store.engine.connect() as db:
        assert db.execute(sa.select(examples.c.text)).scalars().all() == ["phone me [phone]"]
    after = report(store, now=at(20, 12))
    assert after["summary"] == before["summary"]
    assert after["not_understood"] == [{"text": "phone me [phone]", "count": 1}]


def test_medians_of_counted_values():
    assert _histogram_median([(1, 3), (2, 1)]) == 1
    assert _histogram_median([(2, 1), (1, 1)]) == 1.5
    assert _histogram_median([(9, 1), (1, 1), (5, 1)]) == 5
    assert _histogram_median([]) is None


def test_masking():
    assert mask("mail a.b+c@mail.example.org or +44 20 7946 0958") == "mail [email] or [phone]"
    assert mask("order 123456 on outlook 2013, thunderbird 115.3.1") == (
        "order [number] on outlook 2013, thunderbird 115.3.1"
    )
    assert mask("  two\n lines\t") == "two lines"


def test_cli_report_formats_and_bad_input(tmp_path, monkeypatch, capsys):
    events_db = tmp_path / "events.db"
    write(make_engine(f"sqlite:///{events_db}"), interleaved(scenario()))
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        f'event_broker:\n  type: SQL\n  dialect: sqlite\n  db: "{events_db}"\n', encoding="utf-8"
    )
    monkeypatch.setenv("SMTPBOT_INSIGHTS_DB", f"sqlite:///{tmp_path / 'insights.db'}")
    monkeypatch.setenv("SMTPBOT_INSIGHTS_RETENTION_DAYS", "0")
    base = ["--endpoints", str(endpoints), "report", "--until", "2026-03-02"]
    assert cli.main(base + ["--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["conversations"] == 6
    assert cli.main(base + ["--format", "csv", "--channel", "socketio"]) == 0
    out = capsys.readouterr().out
    assert "Summary,conversations,2" in out and "Hand-offs,uncovered,1,0,1" in out
    assert cli.main(base) == 0
    table = capsys.readouterr().out
    assert "resolution rate           25.0%" in table and "gmail" in table
    assert cli.main(base + ["--since", "March"]) == 2
    assert "--since must be a date" in capsys.readouterr().err
