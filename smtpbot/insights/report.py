"""Answer a report from the insights store: aggregates for a date range and channel.

A conversation belongs to the day (UTC) of its first customer message; everything it did
(walks, hand-offs, uncovered programs, not-understood messages) counts in that day's reports.
Conversations without a customer message (a web visitor who never typed) are not counted.
A walk is *abandoned* when it is the conversation's latest, ended neither with an outcome nor a
hand-off, and nothing happened in the conversation for the session expiry (domain.yml
`session_expiration_time`) - so the latest walks count as abandoned only once that has passed.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

import sqlalchemy as sa
import yaml

from smtpbot.insights.store import (
    InsightsStore,
    conversations,
    examples,
    handoffs,
    step_counts,
    uncovered,
    walks,
)

ROOT = Path(__file__).resolve().parents[2]
HANDOFF_REASONS = ("asked", "stuck", "still_broken", "uncovered", "not_understood")
TOP = 25  # rows of the "not understood" and "uncovered" lists


def session_expiry_seconds(domain: Path = ROOT / "domain.yml") -> float:
    """domain.yml's session_config.session_expiration_time (minutes), in seconds."""
    config = (yaml.safe_load(domain.read_text(encoding="utf-8")) or {}).get("session_config") or {}
    return float(config.get("session_expiration_time") or 60) * 60


def parse_day(value: Optional[str], name: str) -> Optional[date]:
    """A YYYY-MM-DD date, or None; a clear ValueError otherwise."""
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{name} must be a date like 2026-01-31, not {value!r}") from None


def _epoch(day: date) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp()


def _rate(part: int, whole: int) -> Optional[float]:
    return round(part / whole, 4) if whole else None


@dataclass
class ReportQuery:
    """What to report: days `since`..`until` (inclusive, UTC), one channel or all."""

    since: Optional[date] = None
    until: Optional[date] = None
    channel: Optional[str] = None

    def conversation_filter(self) -> List[Any]:
        """WHERE clauses selecting the conversations of the range."""
        clauses = [conversations.c.turns > 0]
        if self.since:
            clauses.append(conversations.c.first_at >= _epoch(self.since))
        if self.until:
            clauses.append(conversations.c.first_at < _epoch(self.until + timedelta(days=1)))
        if self.channel:
            clauses.append(conversations.c.channel == self.channel)
        return clauses


def build_report(
    store: InsightsStore,
    query: ReportQuery,
    guides: Optional[Dict[str, Any]] = None,
    now: Optional[float] = None,
    expiry: Optional[float] = None,
) -> Dict[str, Any]:
    """The report as a JSON-ready dict. `guides`: guide id -> object with `title` and `total`
    (the KB's guides; default loaded from kb/), `now`/`expiry` for the abandonment rule."""
    if guides is None:
        from smtpbot.kb.knowledge import get_kb

        guides = get_kb().guides
    now = time.time() if now is None else now
    expiry = session_expiry_seconds() if expiry is None else expiry
    where = sa.and_(*query.conversation_filter())
    chosen = sa.select(conversations.c.sender_id).where(where).scalar_subquery()
    worked = sa.and_(conversations.c.guided, conversations.c.outcome == "worked")
    abandoned = sa.and_(
        walks.c.is_last,
        walks.c.outcome.is_(None),
        walks.c.handoff.is_(None),
        conversations.c.last_at < now - expiry,
    )
    # Everything is counted by the database (GROUP BY): the report reads a few hundred rows,
    # whatever the number of conversations in the range.
    with store.engine.connect() as db:
        rows = db.execute(
            sa.select(
                conversations.c.channel,
                conversations.c.day,
                sa.func.count(),
                sa.func.sum(sa.case((conversations.c.guided, 1), else_=0)),
                sa.func.sum(sa.case((worked, 1), else_=0)),
            )
            .where(where)
            .group_by(conversations.c.channel, conversations.c.day)
        ).fetchall()
        turns = db.execute(
            sa.select(conversations.c.step1_turns, sa.func.count())
            .where(where, conversations.c.step1_turns.isnot(None))
            .group_by(conversations.c.step1_turns)
        ).fetchall()
        seconds = _sql_median(db, conversations.c.step1_seconds, where)
        walk_rows = db.execute(
            sa.select(
                walks.c.guide,
                walks.c.max_step,
                walks.c.last_step,
                walks.c.finished,
                walks.c.outcome,
                walks.c.handoff.isnot(None),
                abandoned,
                sa.func.count(),
            )
            .select_from(walks.join(conversations, walks.c.sender_id == conversations.c.sender_id))
            .where(where)
            .group_by(
                walks.c.guide,
                walks.c.max_step,
                walks.c.last_step,
                walks.c.finished,
                walks.c.outcome,
                walks.c.handoff.isnot(None),
                abandoned,
            )
        ).fetchall()
        step_rows = db.execute(
            sa.select(
                step_counts.c.guide,
                step_counts.c.step,
                sa.func.sum(step_counts.c.stuck),
                sa.func.sum(step_counts.c.back),
                sa.func.sum(step_counts.c.repeat),
            )
            .where(step_counts.c.sender_id.in_(chosen))
            .group_by(step_counts.c.guide, step_counts.c.step)
        ).fetchall()
        handoff_rows = db.execute(
            sa.select(handoffs.c.reason, handoffs.c.in_hours, sa.func.count())
            .where(handoffs.c.sender_id.in_(chosen))
            .group_by(handoffs.c.reason, handoffs.c.in_hours)
        ).fetchall()
        handoff_days = db.execute(
            sa.select(conversations.c.day, sa.func.count())
            .select_from(
                handoffs.join(conversations, handoffs.c.sender_id == conversations.c.sender_id)
            )
            .where(where)
            .group_by(conversations.c.day)
        ).fetchall()
        uncovered_rows = db.execute(
            sa.select(uncovered.c.program, sa.func.count().label("n"))
            .where(uncovered.c.sender_id.in_(chosen))
            .group_by(uncovered.c.program)
            .order_by(sa.desc("n"), uncovered.c.program)
        ).fetchall()
        example_rows = db.execute(
            sa.select(sa.func.lower(examples.c.text).label("t"), sa.func.count().label("n"))
            .where(examples.c.sender_id.in_(chosen))
            .group_by("t")
            .order_by(sa.desc("n"), "t")
            .limit(TOP)
        ).fetchall()
        not_understood_total = db.execute(
            sa.select(sa.func.coalesce(sa.func.sum(conversations.c.not_understood), 0)).where(where)
        ).scalar()

    summary, by_channel, trend = _conversation_figures(rows, turns, seconds, handoff_days)
    funnel, steps = _walk_figures(walk_rows, step_rows, guides)
    by_reason = defaultdict(lambda: {"in_hours": 0, "out_of_hours": 0})
    for reason, in_hours, count in handoff_rows:
        by_reason[reason]["in_hours" if in_hours else "out_of_hours"] += count
    reasons = [r for r in HANDOFF_REASONS if r in by_reason] + sorted(
        r for r in by_reason if r not in HANDOFF_REASONS
    )
    handoff_list = [
        {"reason": r, "count": sum(by_reason[r].values()), **by_reason[r]} for r in reasons
    ]
    summary["handoffs"] = sum(item["count"] for item in handoff_list)
    summary["not_understood_messages"] = int(not_understood_total or 0)
    return {
        "query": {
            "since": query.since.isoformat() if query.since else None,
            "until": query.until.isoformat() if query.until else None,
            "channel": query.channel,
        },
        "generated_at": datetime.fromtimestamp(now, tz=timezone.utc).isoformat(timespec="seconds"),
        "summary": summary,
        "by_channel": by_channel,
        "trend": trend,
        "funnel": funnel,
        "steps": steps,
        "handoffs": {
            "by_reason": handoff_list,
            "in_hours": sum(item["in_hours"] for item in handoff_list),
            "out_of_hours": sum(item["out_of_hours"] for item in handoff_list),
        },
        "uncovered": [{"program": p, "count": n} for p, n in uncovered_rows[:TOP]],
        "not_understood": [{"text": t, "count": n} for t, n in example_rows],
    }


def _sql_median(db: Any, column: Any, where: Any) -> Optional[float]:
    """The median of `column` over the rows of `where` (NULLs left out), sorted by the database."""
    present = sa.and_(where, column.isnot(None))
    count = db.execute(sa.select(sa.func.count()).where(present)).scalar() or 0
    if not count:
        return None
    middle = (
        db.execute(
            sa.select(column).where(present).order_by(column).offset((count - 1) // 2).limit(2)
        )
        .scalars()
        .all()
    )
    values = middle[:1] if count % 2 else middle
    return round(sum(values) / len(values), 2)


def _histogram_median(histogram: List[Any]) -> Optional[float]:
    """The median of values given as (value, count) pairs."""
    total = sum(count for _, count in histogram)
    if not total:
        return None
    ordered, seen, wanted = sorted(histogram), 0, []
    for value, count in ordered:
        seen += count
        while len(wanted) < 2 and seen > (total - 1) // 2 + len(wanted):
            wanted.append(value)
        if len(wanted) == 2:
            break
    values = wanted[:1] if total % 2 else wanted
    return round(sum(values) / len(values), 2)


def _conversation_figures(rows: List[Any], turns: List[Any], seconds: Any, handoff_days: List[Any]):
    """Summary, per-channel and per-day figures from the conversations' counts per (channel, day)."""
    channels: Dict[str, Dict[str, int]] = defaultdict(lambda: defaultdict(int))
    days: Dict[str, Dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for channel, day, count, guided, worked in rows:
        for bucket in (channels[channel], days[day]):
            bucket["conversations"] += count
            bucket["guided"] += int(guided or 0)
            bucket["worked"] += int(worked or 0)
    for day, count in handoff_days:
        days[day]["handoffs"] += count
    total = sum(c["conversations"] for c in channels.values())
    guided = sum(c["guided"] for c in channels.values())
    worked = sum(c["worked"] for c in channels.values())
    summary = {
        "conversations": total,
        "guided": guided,
        "guided_share": _rate(guided, total),
        "median_turns_to_step1": _histogram_median(turns),
        "median_seconds_to_step1": seconds,
        "worked": worked,
        "resolution_rate": _rate(worked, guided),
    }
    by_channel = [
        {
            "channel": name,
            "conversations": c["conversations"],
            "guided": c["guided"],
            "guided_share": _rate(c["guided"], c["conversations"]),
            "worked": c["worked"],
            "resolution_rate": _rate(c["worked"], c["guided"]),
        }
        for name, c in sorted(channels.items())
    ]
    trend = [
        {
            "day": day,
            "conversations": d["conversations"],
            "guided": d["guided"],
            "worked": d["worked"],
            "handoffs": d["handoffs"],
        }
        for day, d in sorted(days.items())
    ]
    return summary, by_channel, trend


def _walk_figures(walk_rows: List[Any], step_rows: List[Any], guides: Dict[str, Any]):
    """The funnel per guide and the per-step table (trouble counts and drop-off)."""
    per_guide: Dict[str, Dict[str, Any]] = {}
    dropped: Dict[tuple, int] = defaultdict(int)
    reached_max: Dict[str, Dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for guide_id, max_step, last_step, finished, outcome, handed_off, gone, n in walk_rows:
        g = per_guide.setdefault(
            guide_id,
            {
                "started": 0,
                "finished": 0,
                "worked": 0,
                "failed": 0,
                "handed_off": 0,
                "abandoned": 0,
            },
        )
        g["started"] += n
        g["finished"] += n if finished else 0
        g["worked"] += n if outcome == "worked" else 0
        g["failed"] += n if outcome == "failed" else 0
        g["handed_off"] += n if handed_off else 0
        if gone:
            g["abandoned"] += n
            dropped[(guide_id, last_step)] += n
        reached_max[guide_id][max_step] += n
    trouble = {(g, int(s)): (int(a), int(b), int(c)) for g, s, a, b, c in step_rows}
    funnel, steps = [], []
    for guide_id in sorted(set(per_guide) | {g for g, _ in trouble}):
        guide = guides.get(guide_id)
        total = guide.total if guide else max(reached_max[guide_id] or [0])
        reached, running = [], 0
        for step in range(max(total, max(reached_max[guide_id] or [0])), 0, -1):
            running += reached_max[guide_id].get(step, 0)
            reached.append(running)
        reached.reverse()
        figures = per_guide.get(guide_id) or dict.fromkeys(
            ("started", "finished", "worked", "failed", "handed_off", "abandoned"), 0
        )
        funnel.append(
            {
                "guide": guide_id,
                "title": guide.title if guide else guide_id,
                "steps": total,
                **figures,
                "reached": reached,
            }
        )
        for step, count in enumerate(reached, start=1):
            stuck, back, repeat = trouble.get((guide_id, step), (0, 0, 0))
            drop = dropped.get((guide_id, step), 0)
            steps.append(
                {
                    "guide": guide_id,
                    "step": step,
                    "reached": count,
                    "stuck": stuck,
                    "back": back,
                    "repeat": repeat,
                    "dropped": drop,
                    "drop_off_rate": _rate(drop, count),
                }
            )
    return funnel, steps
