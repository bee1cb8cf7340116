"""Work out the customer's mail program from what they said, then start its guide or ask."""

import re
from dataclasses import replace
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.faq import answer_step_question, step_help_topic
from actions.resolution import facts_in_message, start_resolution, understood
from actions.state import (
    WalkState,
    ask,
    ask_between,
    ask_for_program,
    kb,
    message,
    resume_prompt,
    says_any,
)
from actions.support import stuck_on_step
from smtpbot.kb.entities import valid_entity
from smtpbot.kb.facts import Facts
from smtpbot.kb.knowledge import KnowledgeBase
from smtpbot.kb.resolver import resolve_guide


class ActionIdentifyClient(Action):
    """The customer named a program, version, device or OS: pick the guide or ask what is missing."""

    def name(self) -> Text:
        """The action's name in domain.yml."""
        return "action_identify_client"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Merge the message's facts over the known ones and act on their resolution."""
        knowledge = kb()
        state = WalkState.read(tracker, knowledge)
        new = facts_in_message(tracker, knowledge)
        text = tracker.latest_message.get("text") or ""
        if new == Facts():
            if state.guide and state.step and step_help_topic(knowledge, text):
                # "I don't have an Outgoing Mail Server section": a question about the step
                return answer_step_question(dispatcher, tracker)
            return ask_for_program(dispatcher, tracker, state)
        if state.guide and not guide_changes(knowledge, state, new):
            if new.client and knowledge.clients[new.client].get("gateway"):
                # "I see it in my browser", "through DavMail": beside the program, not instead
                return resume_prompt(dispatcher, state, message("gateway_noted"))
            if new.client:  # "I use gmail" during the Thunderbird guide: where the mail lives
                label = knowledge.clients[new.client]["label"]
                dispatcher.utter_message(
                    text=message("account_noted", account=label, title=state.guide.title)
                )
                return resume_prompt(dispatcher, state)
            return ask_for_program(dispatcher, tracker, state)  # "2" at step 3: not understood
        other = next(iter(entity_values(knowledge, tracker, "alternative", "client")), None)
        facts = new.merged_over(state.facts)
        if new.platform and not new.version and state.facts.version:
            bare = replace(facts, version=None)
            if resolve_guide(knowledge, bare) == resolve_guide(knowledge, facts):
                facts = bare  # "it's Outlook for Mac" after Outlook 2013: not "Outlook 2013 on Mac"
        if state.step and reads_on_a_phone(knowledge, new, text):
            # "I'm reading your steps on my iPad": where the customer chats, not the program
            return resume_prompt(dispatcher, state, message("phone_noted"))
        if (
            not new.client
            and state.facts.client in entity_values(knowledge, tracker, "denied", "client")
        ) or (state.step and moves_to_a_phone(knowledge, state, new, text)):
            # "it's my iPhone, not Outlook" at step 1 of Outlook 2013, "actually I'm doing this
            # on my iPad now" at step 3: the device's own mail app is the likely program (the
            # customer can still name another)
            facts = Facts(platform=new.platform, os=new.os)
        if other and new.client and other != new.client:
            served = program_to_serve(facts, other)
            if served is None:
                keep = [SlotSet(name, getattr(new, name)) for name in ("platform", "os")]
                return keep + ask_between(dispatcher, [new.client, other])
            facts = served
        apart = releases_apart(knowledge, tracker, facts)
        if apart:  # "2007 or 2010, not sure": releases with different guides
            bare = resolve_guide(knowledge, replace(facts, version=None))
            if bare.kind == "ask":  # the question again, saying why
                releases = ", ".join(apart[:-1]) + " and " + apart[-1]
                return ask(
                    dispatcher, bare.target, message("versions_differ", releases=releases), state
                )
            facts = replace(facts, version=None)  # "2 or 3" of Thunderbird: its usual guide
        resolution = resolve_guide(knowledge, facts)
        entities = tracker.latest_message.get("entities", []) or []
        if also_to_do(knowledge, state, new, text, entities):
            # "I have another account too, in Thunderbird" at step 2 of Outlook: this guide
            # first, the other one after (not the Outlook guide dropped half-way)
            said = message("also_later", other=understood(knowledge, new), title=state.guide.title)
            return resume_prompt(dispatcher, state, said)
        if (
            state.guide
            and state.step
            and resolution.guide == state.guide.id
            and step_help_topic(knowledge, text)
        ):
            # "my mac is in german", "my outlook 2013 has no More Settings": the same guide,
            # and a question about the step
            return answer_step_question(dispatcher, tracker)
        return start_resolution(dispatcher, knowledge, state, facts, resolution, tracker)


def also_to_do(
    knowledge: KnowledgeBase,
    state: WalkState,
    new: Facts,
    text: str,
    entities: List[Dict[str, Any]],
) -> bool:
    """Whether a message during a guide names another program or device as one more to do: an
    also-word in the program's own clause ("I have another account too, in Thunderbird",
    kb/dialogue.yml `also_words`), and no correction ("No, it's Thunderbird, not Outlook. I
    told you that before too"; kb `correction_words` in the program's phrase): a correction
    switches guides."""
    if not (state.guide and state.step):
        return False
    # what the message names, on its own: another guide or a device to ask about ("my wife has
    # an iPhone too"); a program not covered gets its answer at once
    alone = resolve_guide(knowledge, new)
    if alone.kind not in ("guide", "ask") or alone.target == state.guide.id:
        return False
    named = next((e for e in entities if e.get("entity") in ("client", "platform")), None)
    if named is None or ANSWERED_NO.match(text):
        return False  # "No, it's Thunderbird ... too"
    start, end = int(named.get("start", 0)), int(named.get("end", 0))
    # the correction in the program's own phrase ("not Outlook, it's Thunderbird"; not "no
    # rush, I also have thunderbird"), the also-word in its sentence
    phrase = around(text, start, end, r"[.,;:!?]|\bbut\b")
    if says_any(phrase, knowledge.dialogue["correction_words"]):
        return False
    return says_any(around(text, start, end, r"[.;!?]|\bbut\b"), knowledge.dialogue["also_words"])


# A reply that starts by saying no: "No, it's Thunderbird"
ANSWERED_NO = re.compile(r"^\W*(?:no|nope|nah)\b\s*[,.!:-]", re.IGNORECASE)


def around(text: str, start: int, end: int, boundary: str) -> str:
    """The text of the span [start, end) and what is around it up to the nearest `boundary`
    (a regex) on each side."""
    before = re.split(boundary, text[:start])[-1]
    after = re.split(boundary, text[end:])[0]
    return f"{before} {text[start:end]} {after}"


def guide_changes(knowledge: KnowledgeBase, state: WalkState, new: Facts) -> bool:
    """Whether what the customer just said, during a guide, can change it.

    Not a mail service alone ("I use gmail": the account, kb `account: true`), not a browser or
    a gateway alone (kb `gateway: true`: used beside the program), and not a bare
    number that is no release of the program ("2" at step 3 of the Outlook 2003 guide: the
    bot would otherwise drop the guide to ask "which version of Outlook?").
    """
    spec = knowledge.clients.get(new.client or "", {})
    if new == Facts(new.client) and (spec.get("account") or spec.get("gateway")):
        return False  # ... nor a browser or gateway alone ("I see it in Chrome": kb `gateway`)
    if new == Facts(version=new.version):
        merged = new.merged_over(state.facts)
        return resolve_guide(knowledge, merged).kind != "ask"
    return True


def releases_apart(knowledge: KnowledgeBase, tracker: Tracker, facts: Facts) -> List[str]:
    """ "2007 or 2010, not sure" (`version` and `other_version` entities): every release
    offered, when they do not all have the program's same guide; [] when they do ("2010 or
    2013": either is the guide for 2010-2016) or only one was offered."""
    others = entity_values(knowledge, tracker, "other_version", "version")
    if not facts.version or not others:
        return []
    chosen = resolve_guide(knowledge, facts)
    apart = any(resolve_guide(knowledge, replace(facts, version=v)) != chosen for v in others)
    return [facts.version] + others if apart else []


def entity_values(knowledge: KnowledgeBase, tracker: Tracker, entity: str, fact: str) -> List[str]:
    """The values of the latest message's `entity` entities that are valid as a `fact` ("client",
    "version"): the second program of "Thunderbird or Apple Mail" (`alternative`), the other
    releases of "2007 or 2010" (`other_version`), the program of "..., not Outlook" (`denied`)."""
    return [
        e["value"]
        for e in tracker.latest_message.get("entities", []) or []
        if e.get("entity") == entity and valid_entity(knowledge, fact, e.get("value"))
    ]


def _mobile(knowledge: KnowledgeBase, platform: Optional[str]) -> bool:
    """Whether the platform is a phone or tablet (kb platform `mobile`)."""
    return platform in knowledge.mobile_platforms


def reads_on_a_phone(knowledge: KnowledgeBase, new: Facts, text: str) -> bool:
    """Whether the customer says they read or type on a phone or tablet (kb platform `mobile`,
    kb/dialogue.yml `reading_words`), naming no program: "I'm reading your steps on my iPad"."""
    return (
        not new.client
        and _mobile(knowledge, new.platform)
        and says_any(text, knowledge.dialogue["reading_words"])
    )


def moves_to_a_phone(knowledge: KnowledgeBase, state: WalkState, new: Facts, text: str) -> bool:
    """Whether the customer says they now set up mail on a phone or tablet (kb platform
    `mobile`), with no program named, while the guide is for another device: "actually I'm
    doing this on my iPad now" (kb/dialogue.yml `moving_words`), not "I'm reading your steps
    on my iPad", not "I'm on my phone" in the iPhone guide."""
    return (
        not new.client
        and _mobile(knowledge, new.platform)
        and not _mobile(knowledge, state.facts.platform)
        and says_any(text, knowledge.dialogue["moving_words"])
    )


def program_to_serve(facts: Facts, other: str) -> Optional[Facts]:
    """Two programs named as equally likely to have the problem: the facts to act on, or None
    to ask which one it is.

    Only a choice between two programs the guides cover is worth a question ("Thunderbird or
    Apple Mail"). When just one has a guide ("tested with Apple Mail and Roundcube"), its guide
    is what can help; when neither has ("via Gmail and Lotus Notes"), the answer is the same
    "not covered" either way.
    """
    knowledge = kb()
    alternative = Facts(other, None, facts.platform, facts.os)
    first, second = resolve_guide(knowledge, facts), resolve_guide(knowledge, alternative)
    if first.kind != "uncovered" and second.kind != "uncovered":
        return facts if (first.kind, first.target) == (second.kind, second.target) else None
    return alternative if second.kind != "uncovered" else facts


class ActionExplainVersion(Action):
    """'I don't know': how to find what the pending question asks, then ask it again; mid-guide,
    how to find the version or the step again."""

    def name(self) -> Text:
        """The action's name in domain.yml."""
        return "action_explain_version"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Give the hint for the pending question, then repeat it; during a guide, the hint for
        the first step's switch line ("Tell me its macOS version"), or later the step again as
        for "I'm stuck"."""
        knowledge = kb()
        state = WalkState.read(tracker, knowledge)
        hints = knowledge.dialogue["find_version"]
        if state.guide and state.step and not state.asked:
            question = knowledge.clients.get(state.facts.client or "", {}).get("ask")
            if state.step > 1 or question not in hints:
                return stuck_on_step(dispatcher, tracker, state)  # "no idea" how to do the step
            # "no idea" to the first step's switch line ("Tell me its macOS version"): where
            # the program shows its version; the step stays
            dispatcher.utter_message(text=hints[question])
            return resume_prompt(dispatcher, state)
        dispatcher.utter_message(text=hints.get(state.asked or "", hints["default"]))
        return ask(dispatcher, state.asked or "client", state=state)


class ActionOtherClient(Action):
    """'Something else': ask the customer to type the program's name."""

    def name(self) -> Text:
        """The action's name in domain.yml."""
        return "action_other_client"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Ask for the program's name and remember that the client question is pending."""
        dispatcher.utter_message(text=message("other_client"))
        return [SlotSet("asked", "client")]
