"""Turn metrics: every channel's customer messages, replies and turn latency, counted.

Every channel hands a customer message to `Agent.handle_message`, whichever command started
the server, so wrapping it counts them all without touching each channel. The counters are
served by the /metrics listener (smtpbot/runtime/metrics.py), started by the metrics channel
(smtpbot/channels/metrics.py).
"""

from __future__ import annotations

import time
from typing import Any, Dict, List, Optional, Text

from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage

from smtpbot.runtime.metrics import metrics
from smtpbot.runtime.patches.base import Target, original, replace

TARGETS = (
    Target(
        "rasa.core.agent.Agent.handle_message",
        "(self, message: 'UserMessage') -> 'Optional[List[Dict[Text, Any]]]'",
    ),
)


def is_trouble(message: Dict[Text, Any]) -> bool:
    """Whether a bot message is the "having trouble" reply (kb/dialogue.yml support.trouble)."""
    from smtpbot.kb.knowledge import get_kb

    text = message.get("text")
    return isinstance(text, str) and text.startswith(get_kb().dialogue["support"]["trouble"])


async def counted_handle_message(
    self: Agent, message: UserMessage
) -> Optional[List[Dict[Text, Any]]]:
    """Rasa's `Agent.handle_message`, counting the message, its replies and the turn's time."""
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
        return await original(Agent, "handle_message")(self, message)
    finally:
        m.turn_seconds.labels(channel).observe(time.perf_counter() - started)


def install() -> None:
    """Wrap `Agent.handle_message` (once per process)."""
    replace(Agent, "handle_message", counted_handle_message)
