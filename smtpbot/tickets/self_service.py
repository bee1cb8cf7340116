"""A hand-off the customer did not ask for ends when they name a program the guides cover.

After "our guide doesn't cover the Outlook app for iPhone" the bot opens a ticket and pauses
(actions/resolution.py). A customer who then writes "ok, and the iPhone's own Mail app?" should
not wait for a person (out of hours: until the next working day): as long as no agent has
answered, the bot takes the conversation back, closes the ticket as handed back with a note,
says so, and the turn goes on as usual (the guide starts, or its version is asked). The same
holds after a hand-off because the bot twice did not understand, before any guide started
("asdf", "??", then "outlook 2010": the customer's answer came late, not a wish for a person).

Runs in the Rasa server, before its prediction loop (smtpbot/runtime/patches/self_service.py).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Iterable, List, Optional

from smtpbot.kb.entities import FACT_NAMES, facts_from_entities
from smtpbot.kb.facts import Facts
from smtpbot.kb.knowledge import KnowledgeBase, get_kb, handoff_config
from smtpbot.kb.resolver import Resolution, resolve_guide

logger = logging.getLogger(__name__)

ACTION_LISTEN = "action_listen"
UNCOVERED = "uncovered"  # the hand-off reason actions/resolution.py gives a program with no guide
NOT_UNDERSTOOD = "not_understood"  # ... and actions/conversation.py after two misunderstandings
ASKED_FOR_A_PERSON = "human"  # the intent of "can I talk to a person?"


def person_wanted_since_pause(events: Iterable[Any]) -> bool:
    """Whether, since the pause, an agent answered (a bot message with `agent` metadata) or the
    customer asked for a person ("can I talk to a human"): then the person keeps the customer."""
    for event in reversed(list(events)):
        name = type(event).__name__
        if name == "ConversationPaused":
            return False
        if name == "BotUttered" and (getattr(event, "metadata", None) or {}).get("agent"):
            return True
        if name == "UserUttered" and (event.intent or {}).get("name") == ASKED_FOR_A_PERSON:
            return True
    return False


def handed_off_unasked(tracker: Any) -> bool:
    """Whether the conversation waits for a person only because the bot could not go on: the
    last program had no guide, or the bot twice did not understand before any guide started."""
    reason = tracker.get_slot("handoff_reason")
    return reason == UNCOVERED or (reason == NOT_UNDERSTOOD and not tracker.get_slot("guide"))


def covered_resolution(kb: KnowledgeBase, tracker: Any) -> Optional[Resolution]:
    """Where the customer's new message leads when it names a program the guides cover while
    the conversation waits for a person they did not ask for (`handed_off_unasked`); else None.

    The new facts are read over the ones known before the hand-off ("thunderbird" after
    "Thunderbird on iPhone" is still the phone's), and only a guide or a question about a named
    program counts: a program named now, or, after two misunderstandings with the program
    known, its version ("2010" after "Which version of Outlook?").
    """
    if not tracker.is_paused() or not handed_off_unasked(tracker):
        return None
    if person_wanted_since_pause(tracker.events):
        return None
    latest = tracker.latest_message
    new = facts_from_entities(kb, latest.entities if latest else ())
    older = Facts(**{name: tracker.get_slot(name) for name in FACT_NAMES})
    late_version = (
        tracker.get_slot("handoff_reason") == NOT_UNDERSTOOD and new.version and older.client
    )
    if not new.client and not late_version:
        return None
    resolution = resolve_guide(kb, new.merged_over(older))
    return resolution if resolution.kind in ("guide", "ask") else None


def _title(kb: KnowledgeBase, resolution: Resolution) -> str:
    """The guide's title, or the program's label for a question."""
    if resolution.kind == "guide":
        return kb.guide(resolution.target).title
    return kb.clients.get(resolution.client or "", {}).get("label", resolution.client or "")


async def take_back_for_guide(output_channel: Any, tracker: Any) -> bool:
    """Resume the bot when `covered_resolution` holds: close the open ticket as handed back
    (with a note for agents), tell the customer, and leave the tracker resumed. Whether it did.

    A failing ticket store leaves everything as it was: the customer stays with the support team.
    """
    from rasa.shared.core.events import ActionExecuted, BotUttered, ConversationResumed

    from smtpbot.tickets.store import HANDED_BACK, get_store

    if not tracker.is_paused():
        return False  # nearly every turn: nothing to read, not even the KB's folder setting
    kb = get_kb()
    resolution = covered_resolution(kb, tracker)
    if resolution is None:
        return False
    texts = handoff_config()["messages"]
    said = (tracker.latest_message.text or "") if tracker.latest_message else ""
    try:
        store = get_store()
        ticket = await asyncio.to_thread(store.open_for, tracker.sender_id)
        if ticket is not None:
            note = texts["resumed_note"].format(title=_title(kb, resolution), said=said)
            await asyncio.to_thread(store.add_message, ticket.id, "note", note)
            await asyncio.to_thread(store.set_status, ticket.id, HANDED_BACK)
    except Exception:  # the ticket stays open and the conversation with the support team
        logger.exception("could not close the ticket of %s", tracker.sender_id)
        return False
    tracker.update(ConversationResumed())
    # The message came while paused, so no listen preceded it: the turn's action follows one
    tracker.update(ActionExecuted(ACTION_LISTEN))
    # the web chat leaves its "with our support team" state, as after an agent's hand-back
    messages: List[Dict[str, Any]] = [{"custom": {"handback": {"status": "resumed"}}}]
    if ticket is not None:
        text = texts["resumed_for_guide"].format(reference=ticket.reference)
        tracker.update(BotUttered(text))
        messages.append({"text": text})
    for message in messages:
        await output_channel.send_response(tracker.sender_id, message)
    return True
