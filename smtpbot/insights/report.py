"""Answer a report from the insights store: aggregates for a date range and channel, added up
from the per-day counts (`rollup`, smtpbot/insights/store.py).

A conversation belongs to the day (UTC) of its first customer message; everything it did
(walks, hand-offs, uncovered programs, not-understood messages) counts in that day's reports.
Conversations without a customer message (a web visitor who never typed) are not counted.
A walk is *abandoned* when it is the conversation's latest, ended neither with an outcome nor a
hand-off, and nothing happened in the conversation for the session expiry (domain.yml
`session_expiration_time`) - so the latest walks count as abandoned only once that has passed.
Seconds to step 1 are counted in whole seconds (the median's resolution).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

import sqlalchemy as sa
import yaml

from smtpbot.insights.store import InsightsStore, conversations, rollup, walks

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


def _rate(part: int, whole: int) -> Optional[float]:
    return round(part / whole, 4) if whole else None


@dataclass
class ReportQuery:
    """What to report: days `since`..`until` (inclusive, UTC), one channel or all."""

    since: Optional[date] = None
    until: Optional[date] = None
    channel: Optional[str] = None


def build_report(
    store: InsightsStore,
    query: ReportQuery,
    guides: Optional[Dict[str, Any]] = None,
    now: Optional[float] = None,
    expiry: Optional[float] = None,
) -> Dict[str, Any]:
    """The report as a JSON-ready dict, added up from the per-day counts (`rollup`) of the
    range. `guides`: guide id -> object with `title` and `total` (default: the KB's guides);
    `now`/`expiry` for the abandonment rule."""
    if guides is None:
        from smtpbot.kb.knowledge import get_kb

        guides = get_kb().guides
    now = time.time() if now is None else now
    expiry = session_expiry_seconds() if expiry is None else expiry
    where = [rollup.c.day >= query.since.isoformat()] if query.since else []
    if query.until:
        where.append(rollup.c.day <= query.until.isoformat())
    if query.channel:
        where.append(rollup.c.channel == query.channel)
    total = sa.func.sum(rollup.c.value)
    per_day = ("conversations", "guided", "worked", "handoff")
    with store.engine.connect() as db:
        counts = db.execute(
            sa.select(rollup.c.kind, rollup.c.key, rollup.c.number, total)
            .where(*where)
            .group_by(rollup.c.kind, rollup.c.key, rollup.c.number)
        ).fetchall()
        days = db.execute(
            sa.select(rollup.c.day, rollup.c.kind, total)
            .where(*where, rollup.c.kind.in_(per_day))
            .group_by(rollup.c.day, rollup.c.kind)
        ).fetchall()
        channels = db.execute(
            sa.select(rollup.c.channel, rollup.c.kind, total)
            .where(*where, rollup.c.kind.in_(per_day[:3]))
            .group_by(rollup.c.channel, rollup.c.kind)
        ).fetchall()
        # Open-ended walks count as abandoned once the session expiry has passed: the counts
        # hold all open-ended ones, so the few still fresh are looked up and taken off.
        fresh = _fresh_open_walks(db, query, now - expiry)
    kinds: Dict[str, Dict[tuple, int]] = defaultdict(dict)
    for kind, key, number, value in counts:
        kinds[kind][(key, number)] = int(value or 0)
    for key, value in fresh.items():
        kinds["open"][key] = kinds["open"].get(key, 0) - value

    def one(kind: str) -> int:
        return kinds[kind].get(("", 0), 0)

    guided, worked, conversations_count = one("guided"), one("worked"), one("conversations")
    summary = {
        "conversations": conversations_count,
        "guided": guided,
        "guided_share": _rate(guided, conversations_count),
        "median_turns_to_step1": _histogram_median(
            [(n, v) for (_, n), v in kinds["turns"].items()]
        ),
        "median_seconds_to_step1": _histogram_median(
            [(n, v) for (_, n), v in kinds["seconds"].items()]
        ),
        "worked": worked,
        "resolution_rate": _rate(worked, guided),
    }
    handoff_list = _handoffs(kinds["handoff"])
    summary["handoffs"] = sum(item["count"] for item in handoff_list)
    summary["not_understood_messages"] = one("not_understood")
    funnel, steps = _walk_figures(kinds, guides)
    return {
        "query": {
            "since": query.since.isoformat() if query.since else None,
            "until": query.until.isoformat() if query.until else None,
            "channel": query.channel,
        },
        "generated_at": datetime.fromtimestamp(now, tz=timezone.utc).isoformat(timespec="seconds"),
        "summary": summary,
        "by_channel": _by_channel(channels),
        "trend": _trend(days),
        "funnel": funnel,
        "steps": steps,
        "handoffs": {
            "by_reason": handoff_list,
            "in_hours": sum(item["in_hours"] for item in handoff_list),
            "out_of_hours": sum(item["out_of_hours"] for item in handoff_list),
        },
        "uncovered": _top(kinds["uncovered"], "program"),
        "not_understood": _top(kinds["text"], "text"),
    }


def _fresh_open_walks(db: Any, query: ReportQuery, since: float) -> Dict[tuple, int]:
    """(guide, last step) -> open-ended walks of the range's conversations active after `since`."""
    c = conversations
    where = [c.c.last_at >= since, c.c.turns > 0, walks.c.is_last]
    where += [walks.c.outcome.is_(None), walks.c.handoff.is_(None)]
    if query.since:
        where.append(c.c.day >= query.since.isoformat())
    if query.until:
        where.append(c.c.day <= query.until.isoformat())
    if query.channel:
        where.append(c.c.channel == query.channel)
    rows = db.execute(
        sa.select(walks.c.guide, walks.c.last_step, sa.func.count())
        .select_from(walks.join(c, walks.c.sender_id == c.c.sender_id))
        .where(*where)
        .group_by(walks.c.guide, walks.c.last_step)
    )
    return {(guide, step): n for guide, step, n in rows}


def _histogram_median(histogram: List[Any]) -> Optional[float]:
    """The median of values given as (value, count) pairs."""
    total = sum(count for _, count in histogram)
    if not total:
        return None
    seen, wanted = 0, []
    for value, count in sorted(histogram):
        seen += count
        while len(wanted) < 2 and seen > (total - 1) // 2 + len(wanted):
            wanted.append(value)
        if len(wanted) == 2:
            break
    values = wanted[:1] if total % 2 else wanted
    return round(sum(values) / len(values), 2)


def _handoffs(counts: Dict[tuple, int]) -> List[Dict[str, Any]]:
    by_reason: Dict[str, Dict[str, int]] = defaultdict(lambda: {"in_hours": 0, "out_of_hours": 0})
    for (reason, in_hours), value in counts.items():
        by_reason[reason]["in_hours" if in_hours else "out_of_hours"] += value
    reasons = [r for r in HANDOFF_REASONS if r in by_reason]
    reasons += sorted(r for r in by_reason if r not in HANDOFF_REASONS)
    return [{"reason": r, "count": sum(by_reason[r].values()), **by_reason[r]} for r in reasons]


def _top(counts: Dict[tuple, int], name: str) -> List[Dict[str, Any]]:
    ranked = sorted(((-v, key) for (key, _), v in counts.items() if v), key=lambda x: x)[:TOP]
    return [{name: key, "count": -negative} for negative, key in ranked]


def _by_channel(rows: List[Any]) -> List[Dict[str, Any]]:
    channels: Dict[str, Dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for channel, kind, value in rows:
        channels[channel][kind] += int(value or 0)
    return [
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


def _trend(rows: List[Any]) -> List[Dict[str, Any]]:
    days: Dict[str, Dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for day, kind, value in rows:
        days[day][kind] += int(value or 0)
    return [
        {
            "day": day,
            "conversations": d["conversations"],
            "guided": d["guided"],
            "worked": d["worked"],
            "handoffs": d["handoff"],
        }
        for day, d in sorted(days.items())
    ]


def _walk_figures(kinds: Dict[str, Dict[tuple, int]], guides: Dict[str, Any]):
    """The funnel per guide and the per-step table (trouble counts and drop-off)."""
    names = {key for key, _ in kinds["started"]} | {key for key, _ in kinds["stuck"]}
    names |= {key for key, _ in kinds["back"]} | {key for key, _ in kinds["repeat"]}
    funnel, steps = [], []
    for guide_id in sorted(names):
        guide = guides.get(guide_id)
        reached_max = {n: v for (g, n), v in kinds["reached_max"].items() if g == guide_id}
        longest = max(reached_max or [0])
        total = guide.total if guide else longest
        reached, running = [], 0
        for step in range(max(total, longest), 0, -1):
            running += reached_max.get(step, 0)
            reached.append(running)
        reached.reverse()
        dropped = {n: v for (g, n), v in kinds["open"].items() if g == guide_id}
        funnel.append(
            {
                "guide": guide_id,
                "title": guide.title if guide else guide_id,
                "steps": total,
                "started": kinds["started"].get((guide_id, 0), 0),
                "finished": kinds["finished"].get((guide_id, 0), 0),
                "worked": kinds["walk_worked"].get((guide_id, 0), 0),
                "failed": kinds["walk_failed"].get((guide_id, 0), 0),
                "handed_off": kinds["handed_off"].get((guide_id, 0), 0),
                "abandoned": sum(dropped.values()),
                "reached": reached,
            }
        )
        for step, count in enumerate(reached, start=1):
            drop = dropped.get(step, 0)
            steps.append(
                {
                    "guide": guide_id,
                    "step": step,
                    "reached": count,
                    "stuck": kinds["stuck"].get((guide_id, step), 0),
                    "back": kinds["back"].get((guide_id, step), 0),
                    "repeat": kinds["repeat"].get((guide_id, step), 0),
                    "dropped": drop,
                    "drop_off_rate": _rate(drop, count),
                }
            )
    return funnel, steps
