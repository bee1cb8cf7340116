"""Where the insights read from, and the one call the CLI and the agents' API make: bring the
store up to date, then answer the report."""

from __future__ import annotations

import re
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Dict, Optional

import sqlalchemy as sa
import yaml

from smtpbot import settings
from smtpbot.insights.report import ReportQuery, build_report
from smtpbot.insights.store import InsightsStore, make_engine

ROOT = Path(__file__).resolve().parents[2]
_ENV = re.compile(r"\$\{([^}]+)\}")
_lock = threading.Lock()  # one ingest at a time per process (across processes: see store.py)
_stores: Dict[str, InsightsStore] = {}


def events_url_from_endpoints(endpoints: Path = ROOT / "endpoints.yml") -> str:
    """The event broker's database URL from an endpoints file (`${VAR}` read from the
    environment, as Rasa does); a relative SQLite path is relative to the project root."""
    text = _ENV.sub(lambda m: settings.value_of(m.group(1)), endpoints.read_text(encoding="utf-8"))
    broker = (yaml.safe_load(text) or {}).get("event_broker") or {}
    if not broker:
        raise ValueError(f"{endpoints} has no event_broker: nothing to read the insights from")
    dialect = broker.get("dialect") or "sqlite"
    db = str(broker.get("db") or "events.db")
    if dialect == "sqlite":
        path = Path(db) if Path(db).is_absolute() else ROOT / db
        return f"sqlite:///{path}"
    return str(
        sa.engine.URL.create(
            dialect,
            username=broker.get("username") or None,
            password=broker.get("password") or None,
            host=broker.get("url") or None,
            port=int(broker["port"]) if broker.get("port") else None,
            database=db,
        )
    )


def business_hours_check() -> Callable[[float], bool]:
    """`in_hours(timestamp)` for the support team's hours in kb/handoff.yml."""
    from smtpbot.kb.knowledge import handoff_config
    from smtpbot.tickets.hours import is_open

    hours = handoff_config()["business_hours"]
    return lambda at: is_open(hours, datetime.fromtimestamp(at, tz=timezone.utc))


def get_store(url: Optional[str] = None) -> InsightsStore:
    """One store per URL per process."""
    from smtpbot.insights.store import insights_url

    key = url or insights_url()
    if key not in _stores:
        _stores[key] = InsightsStore(key)
    return _stores[key]


def refresh(events: Any, store: Optional[InsightsStore] = None):
    """Ingest what the broker wrote since the last time; `events`: an engine or a URL."""
    engine = make_engine(events) if isinstance(events, str) else events
    with _lock:
        return (store or get_store()).ingest(engine, business_hours_check())


def refreshed_report(
    events: Any, query: ReportQuery, store: Optional[InsightsStore] = None
) -> Dict[str, Any]:
    """Ingest, then the report for `query`."""
    store = store or get_store()
    refresh(events, store)
    return build_report(store, query)
