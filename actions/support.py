"""Actions around a person: 'I'm stuck', 'talk to a person', and the agents' hand-back.

Opening the ticket and pausing the bot is actions/handoff.py's `offer_human`.
"""

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.faq import (
    answer_step_question,
    article_note_for_missing,
    say_note_elsewhere,
    say_step_elsewhere,
    step_help_topic,
)
from actions.handoff import STUCK_LIMIT, offer_human
from actions.resolution import before_any_guide, start_resolution
from actions.state import (
    WalkState,
    explain_error,
    kb,
    message,
    offer_a_person,
    resume_prompt,
    says_any,
    serve_step,
)
from smtpbot.kb.knowledge import handoff_config
from smtpbot.kb.resolver import resolve_guide


class ActionStuck(Action):
    """'I'm stuck': show the step again and offer a person; the second time, hand off."""

    def name(self) -> Text:
        """The action's name in domain.yml."""
        return "action_stuck"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Count the 'stuck' on this step; below the limit repeat it with the offer, else hand off."""
        state = WalkState.read(tracker, kb())
        if not state.guide or not state.step:
            # "Thunderbird freezes and won't start": the program to help with, else the contact
            note = kb().dialogue["support"]["contact"]
            return before_any_guide(dispatcher, tracker, state, note=note)
        return stuck_on_step(dispatcher, tracker, state)


def stuck_on_step(
    dispatcher: CollectingDispatcher, tracker: Tracker, state: WalkState
) -> List[EventType]:
    """The customer is stuck on the current step: show it again with the offer of a person;
    the STUCK_LIMIT-th time on this step, hand off. A pasted error ("I get error 0x800CCC0F")
    is explained first, with the step of the guide that fixes it, and the step stays; so does a
    place another step names (say_step_elsewhere). "I still get the same error" before the
    last step is answered that nothing is saved yet (a strike all the same: said again, a
    person takes over)."""
    text = tracker.latest_message.get("text") or ""
    if explain_error(dispatcher, text, state.guide):
        return resume_prompt(dispatcher, state)
    # "the port is greyed out" at step 2: a later step's; but "I'm stuck, there is no Advanced
    # tab" after that step was done is being stuck (the step again, then a person)
    topic = step_help_topic(kb(), text)
    if topic and kb().dialogue["step_help"][topic].get("answers_stuck"):
        return answer_step_question(dispatcher, tracker)  # "I lost my password, reset it?"
    if say_note_elsewhere(dispatcher, tracker, state, topic):  # "..., only Preferences"
        return resume_prompt(dispatcher, state)
    if say_step_elsewhere(dispatcher, tracker, state, topic, later_only=True):
        return resume_prompt(dispatcher, state)
    count = int(tracker.get_slot("stuck_count") or 0) + 1
    if count >= STUCK_LIMIT:
        return offer_human(dispatcher, tracker, reason="stuck")
    if topic is None and state.step < state.guide.total and speaks_of_the_mail(text):
        # "I still get the same error" at step 2 (not "I can't find Sending Mail", a place)
        prefix = message("not_saved_yet", total=state.guide.total)
        return resume_prompt(dispatcher, state, prefix) + [SlotSet("stuck_count", count)]
    dispatcher.utter_message(text=message("stuck"))
    events = serve_step(dispatcher, state.guide, state.step)
    # "I don't have a More Settings button": the article's note on the newer layout, if any
    article_note_for_missing(dispatcher, state, topic)
    offer_a_person(dispatcher)
    return events + [SlotSet("stuck_count", count)]


def speaks_of_the_mail(text: str) -> bool:
    """Whether the message is about the mail still failing ("same error", "it still won't
    send"), not about the step: kb/dialogue.yml `not_saved_yet` words or phrases."""
    return says_any(text, kb().dialogue["not_saved_yet"])


class ActionOfferHuman(Action):
    """'Talk to a person': hand off."""

    def name(self) -> Text:
        """The action's name in domain.yml."""
        return "action_offer_human"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Acknowledge, then open the ticket and pause the bot."""
        dispatcher.utter_message(text=message("human"))
        return offer_human(dispatcher, tracker, reason="asked")


class ActionHandback(Action):
    """Run by the agents' API when an agent hands the conversation back to the bot.

    The API has set the slots: `guide`/`step` to continue at, or only the facts (client,
    version, ...) read from the ticket's text, or nothing (continue where the customer was).
    """

    def name(self) -> Text:
        """The action's name in domain.yml."""
        return "action_handback"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Say the bot is back, then continue at the step, resolve the facts, or re-ask."""
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
