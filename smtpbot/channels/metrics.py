"""Metrics of the Rasa server: counts every channel's messages and serves them to Prometheus.

Registered in credentials.yml like a channel because Rasa builds every channel inside the
server process, whichever command starts it (`make run`, `rasa run`, the scale-out profile).
Building it wraps `Agent.handle_message`, which every channel calls for a customer message,
and starts the /metrics listener (smtpbot/runtime/metrics.py; loopback, port
SMTPBOT_METRICS_PORT). Its own URL prefix (/webhooks/metrics/) has no routes.
"""

import time
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.agent import Agent
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint

from smtpbot.runtime.metrics import metrics, serve

MARK = "_smtpbot_metrics"


def is_trouble(message: Dict[Text, Any]) -> bool:
    """Whether a bot message is the "having trouble" reply (kb/dialogue.yml support.trouble)."""
    from smtpbot.kb.knowledge import get_kb

    text = message.get("text")
    return isinstance(text, str) and text.startswith(get_kb().dialogue["support"]["trouble"])


def instrument() -> None:
    """Wrap Agent.handle_message once: messages in and out, trouble replies, turn latency."""
    if getattr(Agent.handle_message, MARK, False):
        return
    original = Agent.handle_message

    async def handle_message(self: Agent, message: UserMessage) -> Optional[Any]:
        m = metrics()
        channel = message.input_channel or message.output_channel.name()
        m.messages_in.labels(channel).inc()
        output = message.output_channel
        send = output.send_response

        async def counted_send(recipient_id: Text, reply: Dict[Text, Any]) -> None:
            m.messages_out.labels(channel).inc()
            if is_trouble(reply):
                m.trouble_replies.labels(channel).inc()
            await send(recipient_id, reply)

        output.send_response = counted_send  # this message's output only
        started = time.perf_counter()
        try:
            return await original(self, message)
        finally:
            m.turn_seconds.labels(channel).observe(time.perf_counter() - started)

    setattr(handle_message, MARK, True)
    Agent.handle_message = handle_message  # type: ignore[method-assign]


class MetricsInput(InputChannel):
    """Not a channel customers use: installs the counters and the /metrics listener."""

    @classmethod
    def name(cls) -> Text:
        return "metrics"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Instrument the server and start /metrics (once per process)."""
        instrument()
        serve("rasa")
        return Blueprint("smtpbot_metrics", __name__)
