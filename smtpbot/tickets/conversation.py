"""What agents do to a live Rasa conversation, from inside the Rasa server.

Used by the agents' API and the Chatwoot channel (both run in the Rasa server, next to
`app.ctx.agent`): copy the customer's new messages into the ticket, send an agent's reply to
the customer's channel, hand the conversation back to the bot (optionally at a guide and step).
Every change to the tracker happens under the conversation's lock, like Rasa's own API.
"""

import asyncio
import logging
from typing import Any, Dict, List, Optional

from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel
from rasa.core.policies.policy import PolicyPrediction
from rasa.shared.core.events import ActionExecuted, BotUttered, ConversationResumed, SlotSet

from smtpbot.tickets.store import HANDED_BACK, RESOLVED, Ticket, TicketStore

logger = logging.getLogger(__name__)
HANDBACK_ACTION = "action_handback"
ACTION_LISTEN = "action_listen"


def output_channel_for(app: Any, channel_name: str) -> Optional[OutputChannel]:
    """The output channel that pushes to the customer's channel, or None for pull channels (REST)."""
    for channel in getattr(app.ctx, "input_channels", None) or []:
        if channel.name() == channel_name:
            return channel.get_output_channel()
    return None


async def sync_transcript(app: Any, store: TicketStore, ticket: Ticket) -> int:
    """Copy the customer's messages sent since the last sync into the ticket; how many were new."""
    tracker = await app.ctx.agent.tracker_store.retrieve_full_tracker(ticket.conversation_id)
    if tracker is None:
        return 0
    added, latest = 0, ticket.synced_until
    for event in tracker.events:
        data = event.as_dict()
        at = float(data.get("timestamp") or 0)
        if (
            data.get("event") != "user"
            or at <= ticket.synced_until
            or not (data.get("text") or "").strip()
        ):
            continue
        if await asyncio.to_thread(store.add_message, ticket.id, "customer", data["text"], at):
            added += 1
        latest = max(latest, at)
    if latest > ticket.synced_until:
        await asyncio.to_thread(store.mark_synced, ticket.id, latest)
    return added


async def deliver(
    app: Any, store: TicketStore, ticket: Ticket, messages: List[Dict[str, Any]]
) -> str:
    """Send bot-format messages to the customer's channel; queue them for pull channels."""
    output = output_channel_for(app, ticket.channel)
    if output is None or isinstance(output, CollectingOutputChannel):
        await asyncio.to_thread(store.queue_for_customer, ticket.conversation_id, messages)
        return "queued"
    for message in messages:
        body = {k: v for k, v in message.items() if k != "recipient_id"}
        await output.send_response(ticket.conversation_id, body)
    return "sent"


async def agent_reply(app: Any, store: TicketStore, ticket: Ticket, text: str, author: str) -> str:
    """Put the agent's reply into the conversation (as a bot message) and deliver it."""
    agent = app.ctx.agent
    async with agent.lock_store.lock(ticket.conversation_id):
        tracker = await agent.processor.get_tracker(ticket.conversation_id)
        tracker.update(BotUttered(text, metadata={"agent": author, "ticket": ticket.reference}))
        await agent.processor.save_tracker(tracker)
    await asyncio.to_thread(store.add_message, ticket.id, "agent", text, None, author)
    return await deliver(
        app, store, ticket, [{"recipient_id": ticket.conversation_id, "text": text}]
    )


async def resume(
    app: Any, ticket: Ticket, slots: Optional[Dict[str, Any]] = None, run_handback: bool = True
) -> List[Dict[str, Any]]:
    """Resume the bot: ConversationResumed, the given slots, then `action_handback` if asked.

    Returns the bot's messages when the customer's channel is a pull channel (to be queued);
    push channels get them directly.
    """
    agent = app.ctx.agent
    sender = ticket.conversation_id
    output = output_channel_for(app, ticket.channel)
    pull = output is None or isinstance(output, CollectingOutputChannel)
    collector = CollectingOutputChannel() if pull else output
    async with agent.lock_store.lock(sender):
        tracker = await agent.processor.get_tracker(sender)
        tracker.update(ConversationResumed())
        for name, value in (slots or {}).items():
            tracker.update(SlotSet(name, value))
        await agent.processor.save_tracker(tracker)
        if not pull:  # the web chat page leaves its "with our support team" state
            await output.send_custom_json(sender, {"handback": {"status": "resumed"}})
        if run_handback:
            prediction = PolicyPrediction.for_action_name(agent.domain, HANDBACK_ACTION, None, 1.0)
            await agent.processor.execute_action(
                sender, HANDBACK_ACTION, collector, agent.nlg, prediction
            )
        # The next customer message must follow a listen, as after any bot turn.
        tracker = await agent.processor.get_tracker(sender)
        tracker.update(ActionExecuted(ACTION_LISTEN))
        await agent.processor.save_tracker(tracker)
    return list(collector.messages) if pull else []


async def hand_back(app: Any, store: TicketStore, ticket: Ticket, slots: Dict[str, Any]) -> str:
    """Close the ticket as handed back and let the bot continue with the customer."""
    await sync_transcript(app, store, ticket)
    await asyncio.to_thread(store.set_status, ticket.id, HANDED_BACK)
    messages = await resume(app, ticket, slots, run_handback=True)
    if messages:
        await asyncio.to_thread(store.queue_for_customer, ticket.conversation_id, messages)
        return "queued"
    return "sent"


async def resolve(app: Any, store: TicketStore, ticket: Ticket) -> None:
    """Close the ticket as resolved; the bot quietly listens again for a returning customer."""
    await sync_transcript(app, store, ticket)
    await asyncio.to_thread(store.set_status, ticket.id, RESOLVED)
    await resume(app, ticket, run_handback=False)
