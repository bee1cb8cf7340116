"""Prometheus metrics of one bot process, served by prometheus_client on its own listener.

Each process (Rasa server, action server; each of them in the scale-out profile) serves
`GET /metrics` on `SMTPBOT_METRICS_HOST` (default 127.0.0.1: not open to the world) and a port
of its own: `SMTPBOT_METRICS_PORT` for a Rasa server (default 9105), `SMTPBOT_ACTIONS_METRICS_PORT`
for an action server (default 9106); port 0 turns it off. A separate listener, not a route of
the Rasa server, because that port is public and, behind a reverse proxy, every request comes
from loopback.

The metrics live in one registry per process, created on first use (nothing at import). All
counters are named `smtpbot_*`; see `Metrics` for the list and labels.
"""

import logging
import threading
from typing import Optional

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

from smtpbot import settings

logger = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """Every metric of the bot, in its own registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.messages_in = Counter(
            "smtpbot_messages_in", "Customer messages handled, by channel.", ["channel"], registry=r
        )
        self.messages_out = Counter(
            "smtpbot_messages_out", "Bot messages sent, by channel.", ["channel"], registry=r
        )
        self.turn_seconds = Histogram(
            "smtpbot_turn_seconds",
            "Time from a customer message to the bot's last reply, by channel.",
            ["channel"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.action_call_seconds = Histogram(
            "smtpbot_action_call_seconds",
            "Rasa server -> action server calls (each attempt).",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.action_call_errors = Counter(
            "smtpbot_action_call_errors",
            "Failed action server calls (each attempt), by cause: timeout, error.",
            ["cause"],
            registry=r,
        )
        self.trouble_replies = Counter(
            "smtpbot_trouble_replies",
            'Messages answered "Sorry, I\'m having trouble", by channel.',
            ["channel"],
            registry=r,
        )
        self.handoffs = Counter(
            "smtpbot_handoffs", "Hand-offs to the agents, by reason.", ["reason"], registry=r
        )
        self.webhooks_refused = Counter(
            "smtpbot_webhooks_refused",
            "Slack and Chatwoot requests refused, by channel and cause.",
            ["channel", "cause"],
            registry=r,
        )
        self.tracker_store_retries = Counter(
            "smtpbot_tracker_store_retries",
            "Tracker store operations retried after a database connection error.",
            ["operation"],
            registry=r,
        )
        self.tracker_store_undone_turns = Counter(
            "smtpbot_tracker_store_undone_turns",
            "Turns whose save was reported failed but had been committed, undone afterwards.",
            registry=r,
        )
        self.tickets_open = Gauge(
            "smtpbot_tickets_open", "Hand-off tickets open (read at each scrape).", registry=r
        )


_metrics: Optional[Metrics] = None
_lock = threading.Lock()
_serving = set()


def metrics() -> Metrics:
    """This process's metrics (created on first use)."""
    global _metrics
    with _lock:
        if _metrics is None:
            _metrics = Metrics()
        return _metrics


def listen_address(role: str) -> tuple:
    """(host, port) where a process of `role` ("rasa" or "actions") serves /metrics."""
    port = {"rasa": settings.SMTPBOT_METRICS_PORT, "actions": settings.SMTPBOT_ACTIONS_METRICS_PORT}
    return settings.SMTPBOT_METRICS_HOST.get(), port[role].get_int()


def serve(role: str) -> Optional[int]:
    """Start this process's /metrics listener once; its port, or None when off or taken."""
    host, port = listen_address(role)
    if port == 0 or role in _serving:
        return None
    try:
        start_http_server(port, addr=host, registry=metrics().registry)
    except OSError as error:  # never stop the bot for its metrics
        logger.warning("Metrics not served on %s:%s: %s", host, port, error)
        return None
    _serving.add(role)
    logger.info("Metrics on http://%s:%s/metrics", host, port)
    return port


def count_open_tickets() -> None:
    """Read the number of open tickets into the gauge at every scrape (the database holds it)."""
    from sqlalchemy import func, select

    from smtpbot.tickets.store import OPEN, TicketRow, get_store

    def read() -> float:
        try:
            store = get_store()
            with store.sessions() as session:
                query = select(func.count()).select_from(TicketRow).where(TicketRow.status == OPEN)
                return float(session.execute(query).scalar() or 0)
        except Exception:  # the ticket database being down must not break the scrape
            logger.exception("Could not count open tickets")
            return float("nan")

    metrics().tickets_open.set_function(read)
