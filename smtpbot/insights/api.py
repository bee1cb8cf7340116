"""The insights report over HTTP, for the agents' API (GET /webhooks/agents/insights).

Served by the Rasa server behind the agents' token (smtpbot/channels/agents.py). It reads the
running server's own event broker: the broker configured in its endpoints file.

    GET /webhooks/agents/insights?since=2026-03-01&until=2026-03-31&channel=rest

brings the insights store up to date (incremental) and answers the report as JSON
(smtpbot/insights/report.py); a bad date is a 400, no SQL event broker a 503.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from smtpbot.insights.report import ReportQuery, parse_day
from smtpbot.insights.service import refreshed_report

logger = logging.getLogger(__name__)


def broker_engine(app: Any) -> Any:
    """The SQLAlchemy engine of the running server's SQL event broker, or None."""
    agent = getattr(app.ctx, "agent", None)
    store = getattr(agent, "tracker_store", None)
    return getattr(getattr(store, "event_broker", None), "engine", None)


async def insights_response(request: Request) -> HTTPResponse:
    """The report for the request's `since`, `until` (YYYY-MM-DD) and `channel`."""
    try:
        query = ReportQuery(
            parse_day(request.args.get("since"), "since"),
            parse_day(request.args.get("until"), "until"),
            (request.args.get("channel") or "").strip()[:64] or None,
        )
        if query.since and query.until and query.since > query.until:
            raise ValueError("since is after until")
    except ValueError as error:
        return response.json({"error": str(error)}, status=400)
    engine = broker_engine(request.app)
    if engine is None:
        return response.json(
            {"error": "no SQL event broker configured (endpoints.yml event_broker)"}, status=503
        )
    try:
        report = await asyncio.to_thread(refreshed_report, engine, query)
    except Exception:  # the store or the broker's database is unreachable
        logger.exception("insights report failed")
        return response.json({"error": "the insights store is unavailable"}, status=503)
    return response.json(report)
