"""Metrics of the Rasa server: counts every channel's messages and serves them to Prometheus.

Registered in credentials.yml like a channel because Rasa builds every channel inside the
server process, whichever command starts it (`make run`, `rasa run`, the scale-out profile).
Building it makes sure the turn counters are installed (smtpbot/runtime/patches/turn_metrics.py)
and starts the /metrics listener (smtpbot/runtime/metrics.py; loopback, port
SMTPBOT_METRICS_PORT). Its own URL prefix (/webhooks/metrics/) has no routes.
"""

from typing import Any, Awaitable, Callable, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint

from smtpbot.runtime.metrics import serve
from smtpbot.runtime.patches import turn_metrics


class MetricsInput(InputChannel):
    """Not a channel customers use: installs the counters and the /metrics listener."""

    @classmethod
    def name(cls) -> Text:
        return "metrics"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Instrument the server and start /metrics (once per process)."""
        turn_metrics.install()  # also installed by install_all(); idempotent
        serve("rasa")
        return Blueprint("smtpbot_metrics", __name__)
