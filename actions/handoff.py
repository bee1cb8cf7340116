"""Hand-off to a person: open a ticket with the full context, tell the customer, pause the bot.

Every trigger calls `offer_human`: the customer asks for a person, is stuck twice on one step,
still can't send at the end, uses a program the guides don't cover, or the bot failed to
understand twice in a row. The conversation is then paused (Rasa's ConversationPaused): the
customer's messages keep going into the conversation and the ticket, the bot stays silent until
an agent hands it back (smtpbot/channels/agents.py, then `action_handback` in actions/support.py).
"""

import logging
import re
from typing import List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.state import ASKED_OUTCOME, WalkState, kb
from smtpbot.channels.slack.alerts import alert_agents
from smtpbot.kb.facts import Facts
from smtpbot.kb.knowledge import handoff_config
from smtpbot.runtime.metrics import metrics
from smtpbot.tickets.hours import describe_next_opening, is_open
from smtpbot.tickets.store import get_store
from smtpbot.tickets.summary import (
    HandoffContext,
    customer_words,
    summarise,
    transcript_from_events,
)

WORD = re.compile(r"\w")  # a letter or digit of any script
logger = logging.getLogger(__name__)
STUCK_LIMIT = 2  # "I'm stuck" this many times on one step hands off
NOT_UNDERSTOOD_LIMIT = 2  # consecutive messages the NLU could not place
NOT_UNDERSTOOD_INTENTS = {"nlu_fallback", "out_of_scope"}


def handoff_context(tracker: Tracker, facts: Optional[Facts] = None) -> HandoffContext:
    """Where the customer is, what they said, and the transcript, from the tracker."""
    state = WalkState.read(tracker, kb())
    facts = facts or state.facts
    events = list(tracker.events or [])
    return HandoffContext(
        client=facts.client,
        version=facts.version,
        guide=state.guide,
        step=state.step,
        stuck_text=customer_words(events),
        transcript=transcript_from_events(events),
    )


def handoff_text(reference: str, created: bool) -> str:
    """What the customer is told: the reference and what happens next (in or out of hours)."""
    config = handoff_config()
    texts, hours = config["messages"], config["business_hours"]
    if not created:
        return texts["already_open"].format(reference=reference)
    if is_open(hours):
        return texts["created_in_hours"].format(
            reference=reference, response_time=hours["response_time"]
        )
    return texts["created_out_of_hours"].format(
        reference=reference, hours=hours["label"], next_open=describe_next_opening(hours)
    )


def offer_human(
    dispatcher: CollectingDispatcher, tracker: Tracker, reason: Text, facts: Optional[Facts] = None
) -> List[EventType]:
    """Open (or find) the conversation's ticket, say so, and pause the bot.

    Args:
        dispatcher: where the customer's messages go.
        tracker: the conversation (its sender id keys the ticket).
        reason: why ("asked", "stuck", "still_broken", "uncovered", "not_understood").
        facts: overrides the slots when the caller has just learnt them (an uncovered client).

    Returns:
        The events: counters reset and ConversationPaused; none when the ticket store is
        unreachable, in which case the customer still gets the support contact (a hand-off
        must never end in silence).
    """
    context = handoff_context(tracker, facts)
    if reason == "uncovered":  # an earlier guide is not where this customer is
        context.guide, context.step = None, None
    channel = tracker.get_latest_input_channel() or "rest"
    finished = reason == "still_broken" or tracker.get_slot("asked") == ASKED_OUTCOME
    summary = summarise(kb(), context, reason, channel, finished=finished)
    try:
        ticket, created = get_store().open_ticket(
            tracker.sender_id,
            reason,
            channel=channel,
            client=context.client,
            version=context.version,
            guide=context.guide.id if context.guide else None,
            step=context.step,
            total_steps=context.guide.total if context.guide else None,
            stuck_text=context.stuck_text,
            summary=summary,
            transcript=context.transcript,
        )
    except Exception:  # the database is down: say how to reach support instead
        logger.exception("could not open a ticket for %s", tracker.sender_id)
        dispatcher.utter_message(text=kb().dialogue["support"]["contact"])
        return []
    metrics().handoffs.labels(reason).inc()
    if created:  # agents hear of it in Slack (no-op unless SLACK_AGENTS_CHANNEL is set)
        alert_agents(ticket.reference, ticket.summary, channel, tracker.sender_id)
    # Channels that can hand off natively (Chatwoot) act on this; the web chat shows it. Only
    # what the customer may see: the summary and ids are for agents (read from the ticket store).
    dispatcher.utter_message(json_message={"handoff": {"reference": ticket.reference}})
    dispatcher.utter_message(text=handoff_text(ticket.reference, created))
    return [
        SlotSet("stuck_count", 0),
        SlotSet("fallback_count", 0),
        SlotSet("handoff_reason", reason),  # read by the insights report from the event stream
        ConversationPaused(),
    ]


def has_words(text: Text) -> bool:
    """Whether a message has any letter or digit (in any script): "?" and "🙏" have none."""
    return bool(WORD.search(text))


def not_understood_in_a_row(tracker: Tracker) -> int:
    """How many of the latest customer messages in a row the NLU could not place."""
    count = 0
    for event in reversed(list(tracker.events or [])):
        if event.get("event") != "user" or not has_words(event.get("text") or ""):
            continue  # "?", "🙏", "...": nothing said, nothing missed
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent not in NOT_UNDERSTOOD_INTENTS:
            break
        count += 1
    return count
