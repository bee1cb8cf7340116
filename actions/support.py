"""Hand-off to a person: open a ticket with the full context, tell the customer, pause the bot.

Every trigger calls `offer_human`: the customer asks for a person, is stuck twice on one step,
still can't send at the end, uses a program the guides don't cover, or the bot failed to
understand twice in a row. The conversation is then paused (Rasa's ConversationPaused): the
customer's messages keep going into the conversation and the ticket, the bot stays silent until
an agent hands it back (smtpbot/channels/agents.py).
"""

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.state import ASKED_OUTCOME, WalkState, button, kb, message, resume_prompt, serve_step
from smtpbot.channels.slack.alerts import alert_agents
from smtpbot.kb.facts import Facts
from smtpbot.tickets.hours import describe_next_opening, is_open
from smtpbot.tickets.store import get_store
from smtpbot.tickets.summary import (
    HandoffContext,
    customer_words,
    handoff_config,
    summarise,
    transcript_from_events,
)

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
) -> List[Dict[str, Any]]:
    """Open (or find) the conversation's ticket, say so, and pause the bot.

    `facts` overrides the slots when the caller has just learnt them (an uncovered client).
    If the ticket store is unreachable the customer still gets the support contact: a hand-off
    must never end in silence.
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
    if created:  # agents hear of it in Slack (no-op unless SLACK_AGENTS_CHANNEL is set)
        alert_agents(ticket.reference, ticket.summary, channel, tracker.sender_id)
    # Channels that can hand off natively (Chatwoot) act on this; the web chat shows it. Only
    # what the customer may see: the summary and ids are for agents (read from the ticket store).
    dispatcher.utter_message(json_message={"handoff": {"reference": ticket.reference}})
    dispatcher.utter_message(text=handoff_text(ticket.reference, created))
    return [SlotSet("stuck_count", 0), SlotSet("fallback_count", 0), ConversationPaused()]


def not_understood_in_a_row(tracker: Tracker) -> int:
    """How many of the latest customer messages in a row the NLU could not place."""
    count = 0
    for event in reversed(list(tracker.events or [])):
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent not in NOT_UNDERSTOOD_INTENTS:
            break
        count += 1
    return count


class ActionStuck(Action):
    """'I'm stuck': show the step again and offer a person; the second time, hand off."""

    def name(self) -> Text:
        return "action_stuck"

    def run(self, dispatcher, tracker, domain):
        state = WalkState.read(tracker, kb())
        support = kb().dialogue["support"]
        labels = kb().dialogue["messages"]["buttons"]
        if not state.guide or not state.step:
            dispatcher.utter_message(text=support["contact"])
            return resume_prompt(dispatcher, state, message("not_started"))
        count = int(tracker.get_slot("stuck_count") or 0) + 1
        if count >= STUCK_LIMIT:
            return offer_human(dispatcher, tracker, reason="stuck")
        dispatcher.utter_message(text=message("stuck"))
        events = serve_step(dispatcher, state.guide, state.step)
        dispatcher.utter_message(
            text=f"{support['offer']} {support['contact']}",
            buttons=[button(labels["human"], "human")],
        )
        return events + [SlotSet("stuck_count", count)]


class ActionOfferHuman(Action):
    """'Talk to a person': hand off."""

    def name(self) -> Text:
        return "action_offer_human"

    def run(self, dispatcher, tracker, domain):
        dispatcher.utter_message(text=message("human"))
        return offer_human(dispatcher, tracker, reason="asked")


class ActionHandback(Action):
    """Run by the agents' API when an agent hands the conversation back to the bot.

    The API has set the slots: `guide`/`step` to continue at, or only the facts (client,
    version, ...) read from the ticket's text, or nothing (continue where the customer was).
    """

    def name(self) -> Text:
        return "action_handback"

    def run(self, dispatcher, tracker, domain):
        from actions.identify import start_resolution  # identify imports this module
        from smtpbot.kb.resolver import resolve_guide

        knowledge = kb()
        state = WalkState.read(tracker, knowledge)
        texts = handoff_config()["messages"]
        dispatcher.utter_message(text=texts["handed_back"])
        reset = [SlotSet("stuck_count", 0), SlotSet("fallback_count", 0)]
        if state.guide and state.step:
            dispatcher.utter_message(text=texts["continue_at_step"].format(title=state.guide.title))
            return reset + serve_step(dispatcher, state.guide, state.step)
        if state.facts.client or state.facts.platform:
            resolution = resolve_guide(knowledge, state.facts)
            return reset + start_resolution(dispatcher, knowledge, state, state.facts, resolution)
        return reset + resume_prompt(dispatcher, state)
