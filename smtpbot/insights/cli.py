"""`python -m smtpbot.insights`: bring the insights up to date and print a report.

    python -m smtpbot.insights report [--since 2026-01-01] [--until 2026-01-31] [--channel rest]
                                      [--format table|csv|json] [--no-ingest]
    python -m smtpbot.insights ingest

The event broker's database comes from the endpoints file's `event_broker` (`--endpoints`,
default endpoints.yml; endpoints.scale.yml with its environment for the scale-out profile), the
store from SMTPBOT_INSIGHTS_DB. Exit codes: 0 done, 2 wrong command line or settings.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

from smtpbot.insights.report import ReportQuery, build_report, parse_day
from smtpbot.insights.service import events_url_from_endpoints, get_store, refresh


def _pct(value: Optional[float]) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def tables(report: Dict[str, Any]) -> List[tuple]:
    """The report as (title, header, rows) tables: what the table and CSV formats print."""
    s = report["summary"]
    out = [
        (
            "Summary",
            ["metric", "value"],
            [
                ["conversations", s["conversations"]],
                ["with a guide", s["guided"]],
                ["share with a guide", _pct(s["guided_share"])],
                ["median turns to step 1", s["median_turns_to_step1"]],
                ["median seconds to step 1", s["median_seconds_to_step1"]],
                ["it works", s["worked"]],
                ["resolution rate", _pct(s["resolution_rate"])],
                ["hand-offs", s["handoffs"]],
                ["messages not understood", s["not_understood_messages"]],
            ],
        ),
        (
            "Per channel",
            ["channel", "conversations", "with a guide", "it works", "resolution rate"],
            [
                [
                    c["channel"],
                    c["conversations"],
                    c["guided"],
                    c["worked"],
                    _pct(c["resolution_rate"]),
                ]
                for c in report["by_channel"]
            ],
        ),
        (
            "Funnel per guide",
            [
                "guide",
                "started",
                "reached step 1..n",
                "finished",
                "it works",
                "still not sending",
                "handed off",
                "abandoned",
            ],
            [
                [
                    f["guide"],
                    f["started"],
                    " ".join(map(str, f["reached"])),
                    f["finished"],
                    f["worked"],
                    f["failed"],
                    f["handed_off"],
                    f["abandoned"],
                ]
                for f in report["funnel"]
            ],
        ),
        (
            "Steps",
            ["guide", "step", "reached", "stuck", "back", "repeat", "dropped", "drop-off"],
            [
                [
                    r["guide"],
                    r["step"],
                    r["reached"],
                    r["stuck"],
                    r["back"],
                    r["repeat"],
                    r["dropped"],
                    _pct(r["drop_off_rate"]),
                ]
                for r in report["steps"]
                if r["reached"] or r["stuck"] or r["back"] or r["repeat"]
            ],
        ),
        (
            "Hand-offs",
            ["reason", "count", "in business hours", "out of hours"],
            [
                [h["reason"], h["count"], h["in_hours"], h["out_of_hours"]]
                for h in report["handoffs"]["by_reason"]
            ],
        ),
        (
            "Programs not covered",
            ["program", "count"],
            [[u["program"], u["count"]] for u in report["uncovered"]],
        ),
        (
            "Not understood (masked)",
            ["message", "count"],
            [[n["text"], n["count"]] for n in report["not_understood"]],
        ),
        (
            "Per day",
            ["day", "conversations", "with a guide", "it works", "hand-offs"],
            [
                [d["day"], d["conversations"], d["guided"], d["worked"], d["handoffs"]]
                for d in report["trend"]
            ],
        ),
    ]
    return out


def as_text(report: Dict[str, Any]) -> str:
    """Plain-text tables with aligned columns."""
    q = report["query"]
    lines = [
        f"Insights {q['since'] or 'start'} .. {q['until'] or 'today'}, "
        f"channel {q['channel'] or 'all'} (generated {report['generated_at']})"
    ]
    for title, header, rows in tables(report):
        lines += ["", title]
        cells = [header] + [["-" if v is None else str(v) for v in row] for row in rows]
        widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
        for row in cells:
            lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip())
        if not rows:
            lines.append("(none)")
    return "\n".join(lines) + "\n"


def as_csv(report: Dict[str, Any]) -> str:
    """One CSV: a `table` column naming the table, then that table's columns."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for title, header, rows in tables(report):
        writer.writerow(["table", *header])
        for row in rows:
            writer.writerow([title, *row])
    return buffer.getvalue()


def main(argv: Optional[List[str]] = None) -> int:
    """Run the command line; the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m smtpbot.insights",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--endpoints", default="endpoints.yml", help="where the broker is")
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser("report", help="ingest, then print a report")
    report.add_argument("--since", help="first day, YYYY-MM-DD (UTC)")
    report.add_argument("--until", help="last day, YYYY-MM-DD (UTC), included")
    report.add_argument("--channel", help="one channel (rest, socketio, slack, chatwoot)")
    report.add_argument("--format", choices=("table", "csv", "json"), default="table")
    report.add_argument("--no-ingest", action="store_true", help="report what is stored")
    commands.add_parser("ingest", help="bring the insights store up to date")
    args = parser.parse_args(argv)
    try:
        events = None
        if args.command == "ingest" or not args.no_ingest:
            endpoints = Path(args.endpoints)
            events = events_url_from_endpoints(endpoints.resolve())
        store = get_store()
        if events:
            result = refresh(events, store)
            if args.command == "ingest":
                print(
                    f"{result.events} events of {result.conversations} conversations ingested "
                    f"(last event id {result.last_event_id}); retention removed "
                    f"{result.purged_events} events, {result.purged_examples} example texts"
                )
                return 0
        query = ReportQuery(
            parse_day(args.since, "--since"), parse_day(args.until, "--until"), args.channel
        )
        if query.since and query.until and query.since > query.until:
            raise ValueError("--since is after --until")
        data = build_report(store, query)
    except (ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(data, indent=2))
    elif args.format == "csv":
        sys.stdout.write(as_csv(data))
    else:
        sys.stdout.write(as_text(data))
    return 0
