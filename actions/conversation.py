"""Small talk and the fallback: greet, thanks, goodbye, and 'please rephrase' in context."""

import re
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.faq import answer_step_question, step_help_topic
from actions.handoff import (
    NOT_UNDERSTOOD_LIMIT,
    has_words,
    not_understood_in_a_row,
    offer_human,
)
from actions.state import (
    ASKED_OUTCOME,
    WalkState,
    ask_for_program,
    explain_error,
    kb,
    message,
    names_the_provider,
    resume_prompt,
    serve_named_step,
    states_the_problem,
)
from actions.walkthrough import answer_closing_check, closing_answer_heard, decline_nearest
from smtpbot.kb.knowledge import KnowledgeBase


def asks_for_a_person(knowledge: KnowledgeBase, text: Text) -> bool:
    """Whether the message asks for a person in so many words (kb/dialogue.yml `person_requests`)."""
    said = " ".join(text.lower().split())
    return any(phrase in said for phrase in knowledge.dialogue["person_requests"])


class ActionRephrase(Action):
    """Not understood: say so, with the choices that make sense where the customer is."""

    def name(self) -> Text:
        """The action's name in domain.yml."""
        return "action_rephrase"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Ask to rephrase where the customer is; after too many misses in a row, hand off."""
        state = WalkState.read(tracker, kb())
        text = tracker.latest_message.get("text") or ""
        if asks_for_a_person(kb(), text):  # "I want to talk to a person, there is no ..."
            return offer_human(dispatcher, tracker, reason="asked")
        if (not state.guide and states_the_problem(text)) or names_the_provider(text):
            # "email not sending", "my isp is comcast" (ask_for_program explains a pasted
            # error first)
            return ask_for_program(dispatcher, tracker, state)
        if state.asked == ASKED_OUTCOME and state.guide and closing_answer_heard(text):
            # "no, I got an error about authentication" to "Did it go out?"
            return answer_closing_check(dispatcher, tracker, state, "failed")
        if explain_error(dispatcher, text, state.guide):
            return resume_prompt(dispatcher, state)  # a pasted error is understood
        if state.guide and step_help_topic(kb(), text):  # "where do I find preferences?"
            return answer_step_question(dispatcher, tracker)
        named = serve_named_step(dispatcher, tracker, state)
        if named is not None:
            return named  # "step 5 please"
        if not has_words(text):  # "?", "🙏": the prompt again, no "didn't understand"
            return resume_prompt(dispatcher, state)
        # Counted from the events, so any understood message in between resets it.
        count = max(not_understood_in_a_row(tracker), 1)
        if count >= NOT_UNDERSTOOD_LIMIT:
            dispatcher.utter_message(text=message("rephrase"))
            return offer_human(dispatcher, tracker, reason="not_understood")
        return resume_prompt(dispatcher, state, message("rephrase")) + [
            SlotSet("fallback_count", count)
        ]


class ActionGreet(Action):
    """'Hi': introduce the bot, or pick up where the customer left off."""

    def name(self) -> Text:
        """The action's name in domain.yml."""
        return "action_greet"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Greet a new customer; bring a returning one back to their step or question."""
        state = WalkState.read(tracker, kb())
        if not state.guide:
            dispatcher.utter_message(text=message("greet"))
        return resume_prompt(dispatcher, state)


# "no thanks", "nah, thanks anyway", "no thank you": thanks that decline (not "no problem,
# thanks", "no worries")
DECLINING = re.compile(r"^\W*(no|nah|nope)\b(?!\W*(problem|problems|worries|prob)\b)")


class ActionThanks(Action):
    """'Thanks': you're welcome, and where we are if a guide is under way; "no thanks" to the
    nearest guide offered declines it."""

    def name(self) -> Text:
        """The action's name in domain.yml."""
        return "action_thanks"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Say you're welcome, with the current step's prompt mid-guide."""
        state = WalkState.read(tracker, kb())
        said = (tracker.latest_message.get("text") or "").lower()
        if DECLINING.match(said):  # "no thanks" to the nearest guide offered
            declined = decline_nearest(dispatcher, tracker, state)
            if declined:
                return declined
        if state.guide and state.step and state.asked is None:
            return resume_prompt(dispatcher, state, message("thanks"))
        dispatcher.utter_message(text=message("thanks"))
        return []


ABOUT_THE_BOT = {"bot_challenge": "bot", "all_steps": "one_at_a_time"}


class ActionAboutTheBot(Action):
    """'Are you a bot?', 'show me all the steps': how the bot works, then where we are."""

    def name(self) -> Text:
        """The action's name in domain.yml."""
        return "action_about_the_bot"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Answer from kb/dialogue.yml `messages`, then bring the customer back."""
        state = WalkState.read(tracker, kb())
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        dispatcher.utter_message(text=message(ABOUT_THE_BOT.get(intent, "bot")))
        return resume_prompt(dispatcher, state)
