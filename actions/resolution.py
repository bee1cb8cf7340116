"""From what the customer said to a guide: check the entities, then start the guide or ask.

Shared by the actions that learn facts (actions/identify.py) and the agents' hand-back
(actions/support.py). The resolution itself is pure Python (smtpbot/kb/resolver.py).
"""

import re
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import offer_human
from actions.state import (
    FACT_SLOTS,
    WalkState,
    ask,
    button,
    explain_error,
    kb,
    message,
    offer_a_person,
    resume_prompt,
    serve_step,
)
from smtpbot.kb.entities import facts_from_entities
from smtpbot.kb.facts import LATEST, Facts
from smtpbot.kb.knowledge import KnowledgeBase
from smtpbot.kb.resolver import Resolution, resolve_guide


def facts_in_message(tracker: Tracker, kb: KnowledgeBase) -> Facts:
    """The facts stated by the latest message's entities (invalid values dropped)."""
    return facts_from_entities(kb, tracker.latest_message.get("entities", []) or [])


def os_label(kb: KnowledgeBase, os_id: str) -> str:
    """'macos-13' -> 'macOS 13 (Ventura)', 'windows-vista' -> 'Windows Vista'."""
    family, _, release = os_id.partition("-")
    if family == "macos":
        names = {v: k for k, v in kb.operating_systems["macos"]["names"].items()}
        name = f" ({names[release].title()})" if release in names else ""
        return f"{'Mac OS X' if release.startswith('10.') else 'macOS'} {release}{name}"
    return f"Windows {release.upper() if release == 'xp' else release.title()}"


def understood(kb: KnowledgeBase, facts: Facts) -> str:
    """What the bot understood, in words the customer can check ('Outlook 2013 on a Mac')."""
    client = kb.clients.get(facts.client or "", {})
    text = client.get("label") or kb.platforms.get(facts.platform or "", {}).get(
        "label", "your mail program"
    )
    if facts.version == LATEST:
        text = f"the latest {text}"
    elif facts.version:
        text += f" {facts.version}"
    if facts.os:
        text += f" on {os_label(kb, facts.os)}"
    elif facts.platform and facts.platform in kb.platforms and facts.client:
        device = kb.platforms[facts.platform]["label"]
        if device not in text:  # not "Mail on iPhone/iPad on iPhone/iPad"
            text += f" on {device}"
    return text


def _named(kb: KnowledgeBase, info: Dict[str, Any], facts: Optional[Facts]) -> str:
    """What is not covered, in words: "Mailspring", "Thunderbird for iOS", "Chromebook" where
    the KB's answer for the group says "this program" (`name: true`) and the program is known."""
    if not info.get("name") or facts is None:
        return info["what"]
    device = kb.platforms.get(facts.platform or "", {}).get("label")
    if facts.client and facts.client != "unknown-program" and facts.client in kb.clients:
        label = kb.clients[facts.client].get("label")
        if label and not kb.has_guide(facts.client):
            return label  # "Mailspring"
        if label and device:
            return f"{label} on {device}"  # "Thunderbird on iPhone/iPad": covered elsewhere
        return info["what"]
    return device or info["what"]  # "Chromebook"


def explain_uncovered(
    dispatcher: CollectingDispatcher,
    kb: KnowledgeBase,
    key: str,
    tracker: Optional[Tracker] = None,
    facts: Optional[Facts] = None,
) -> List[EventType]:
    """Honest answer: not covered, the general settings (unless moot), the nearest guide, a person.

    With no nearest guide to try, a person takes over (a ticket, see actions/handoff.py);
    with one, the customer may try it or press "Talk to a person".
    """
    info = kb.dialogue["uncovered"].get(key, kb.dialogue["uncovered"]["other"])
    text = message("uncovered", what=_named(kb, info, facts))
    if info.get("settings", True):  # a retired program has no settings left to offer
        text += " " + kb.dialogue["general_settings"]
    dispatcher.utter_message(text=text)
    labels = kb.dialogue["messages"]["buttons"]
    if info.get("nearest"):
        dispatcher.utter_message(
            text=message("nearest", title=kb.guide(info["nearest"]).title),
            buttons=[button(labels["try_nearest"], "done")],  # "done"/"yes" start it
        )
    if tracker is not None and not info.get("nearest"):
        return offer_human(dispatcher, tracker, reason="uncovered", facts=facts)
    offer_a_person(dispatcher)
    return [SlotSet("offered", info.get("nearest"))]


# "how do I find my version of thunderbird?", "where can I see which version I have?"
ASKS_FOR_THE_VERSION = re.compile(
    r"\b(?:how|where)\b.{0,30}\b(?:find|check|see|know|tell|look)\b.{0,30}\bversion\b"
    r"|\bwhich version (?:do i|have i|am i)\b|\bwhat version (?:do i|is my|am i)\b",
    re.IGNORECASE,
)


def version_hint(kb: KnowledgeBase, facts: Facts, text: str) -> Optional[str]:
    """Where the program shows its version (kb `find_version`), when the message asks."""
    if not ASKS_FOR_THE_VERSION.search(text):
        return None
    question = kb.clients.get(facts.client or "", {}).get("ask")
    return kb.dialogue["find_version"].get(question or "")


def start_resolution(
    dispatcher: CollectingDispatcher,
    kb: KnowledgeBase,
    state: WalkState,
    facts: Facts,
    resolution: Resolution,
    tracker: Optional[Tracker] = None,
) -> List[EventType]:
    """Act on a resolution: serve step 1, ask the question, or explain it is not covered.

    Args:
        dispatcher: where the customer's messages go.
        kb: the knowledge base.
        state: where the customer was (a guide already under way is continued, not restarted).
        facts: everything known about the customer's program (set as slots).
        resolution: what smtpbot.kb.resolver decided for `facts`.
        tracker: given, an uncovered program hands off to a person at once.

    Returns:
        The events: the fact slots, then those of the step, question or hand-off.
    """
    events: List[EventType] = [SlotSet(name, getattr(facts, name)) for name in FACT_SLOTS]
    events.append(SlotSet("offered", None))  # a nearest guide offered before is moot now
    text = tracker.latest_message.get("text") if tracker is not None else None
    if resolution.kind == "guide":
        guide = kb.guide(resolution.target)
        if state.guide and state.guide.id == guide.id and state.step:
            dispatcher.utter_message(text=message("already_on_guide", title=guide.title))
            explain_error(dispatcher, text, guide)
            return events + serve_step(dispatcher, guide, state.step)
        said = message(
            "understood", understood=understood(kb, facts), title=guide.title, total=guide.total
        )
        if resolution.note:  # assumed (how to switch) or placed by a range note (why it fits)
            said += " " + resolution.note
        dispatcher.utter_message(text=said)
        hint = version_hint(kb, facts, text or "")
        if hint:  # "how do I find my version of thunderbird?": where it shows, then step 1
            dispatcher.utter_message(text=hint)
        explain_error(dispatcher, text, guide)
        return events + serve_step(dispatcher, guide, 1)
    explain_error(dispatcher, text)
    if resolution.kind == "ask":
        # "it's part of Office Professional Plus" to "Which version of Outlook?": understood,
        # but it does not say which release, so the question comes again, saying so
        again = message("still_asking") if state.asked == resolution.target else None
        return events + ask(dispatcher, resolution.target, again, state=state)
    handoff = explain_uncovered(dispatcher, kb, resolution.target, tracker, facts)
    return (
        events + [SlotSet("guide", None), SlotSet("step", None), SlotSet("asked", None)] + handoff
    )


def identify_stated(
    dispatcher: CollectingDispatcher, tracker: Tracker, state: WalkState
) -> List[EventType]:
    """When the question came with the program ("Outlook 2010: should I tick SSL?") and it is
    news, identify it (start its guide or ask); else nothing, and the caller resumes."""
    knowledge = kb()
    new = facts_in_message(tracker, knowledge)
    facts = new.merged_over(state.facts)
    if new == Facts() or facts == state.facts:
        return []
    resolution = resolve_guide(knowledge, facts)
    return start_resolution(dispatcher, knowledge, state, facts, resolution, tracker)


def before_any_guide(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    state: WalkState,
    note: Optional[str] = None,
) -> List[EventType]:
    """A step command ('done', 'repeat', 'I'm stuck') with no guide under way: the program it
    names, if any ("pop from Tbird says the connection was reset" read as `start_over`), else
    `note` (when given), "no guide yet" and the pending question."""
    stated = identify_stated(dispatcher, tracker, state)
    if stated:
        return stated
    if note:
        dispatcher.utter_message(text=note)
    return resume_prompt(dispatcher, state, message("not_started"))
