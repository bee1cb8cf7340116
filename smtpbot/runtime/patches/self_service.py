"""Self-service after a hand-off: a paused conversation resumes when the customer names a program
with a guide, before Rasa's prediction loop would skip the message.

Rasa 3.6 predicts nothing for a paused conversation (`MessageProcessor._should_handle_message`):
right for a customer with an agent, wrong for one who was handed off only because their first
program has no guide and now names one that has. `smtpbot.tickets.self_service` decides and
does the resume; this wrapper only calls it first.
"""

from __future__ import annotations

from rasa.core.channels.channel import OutputChannel
from rasa.core.processor import MessageProcessor
from rasa.shared.core.trackers import DialogueStateTracker

from smtpbot.runtime.patches.base import Target, original, replace

TARGETS = (
    Target(
        "rasa.core.processor.MessageProcessor._run_prediction_loop",
        "(self, output_channel: rasa.core.channels.channel.OutputChannel, "
        "tracker: rasa.shared.core.trackers.DialogueStateTracker) -> None",
    ),
)


async def prediction_loop_resuming_for_a_guide(
    self: MessageProcessor, output_channel: OutputChannel, tracker: DialogueStateTracker
) -> None:
    """Rasa's prediction loop, after taking the conversation back when the customer named a
    program with a guide while waiting for a person for one without."""
    from smtpbot.tickets.self_service import take_back_for_guide

    await take_back_for_guide(output_channel, tracker)
    await original(MessageProcessor, "_run_prediction_loop")(self, output_channel, tracker)


def install() -> None:
    """Wrap `MessageProcessor._run_prediction_loop` (once per process)."""
    replace(MessageProcessor, "_run_prediction_loop", prediction_loop_resuming_for_a_guide)
