"""Small talk and the fallback: greet, thanks, goodbye, and 'please rephrase' in context."""
from typing import Text

from rasa_sdk import Action
from rasa_sdk.events import SlotSet

from actions.state import WalkState, kb, message, resume_prompt


class ActionRephrase(Action):
    """Not understood: say so, with the choices that make sense where the customer is."""

    def name(self) -> Text:
        return "action_rephrase"

    def run(self, dispatcher, tracker, domain):
        state = WalkState.read(tracker, kb())
        count = int(tracker.get_slot("fallback_count") or 0) + 1
        return resume_prompt(dispatcher, state, message("rephrase")) + [SlotSet("fallback_count", count)]


class ActionGreet(Action):
    """'Hi': introduce the bot, or pick up where the customer left off."""

    def name(self) -> Text:
        return "action_greet"

    def run(self, dispatcher, tracker, domain):
        state = WalkState.read(tracker, kb())
        if not state.guide:
            dispatcher.utter_message(text=message("greet"))
        return resume_prompt(dispatcher, state)


class ActionThanks(Action):
    """'Thanks': you're welcome, and where we are if a guide is under way."""

    def name(self) -> Text:
        return "action_thanks"

    def run(self, dispatcher, tracker, domain):
        state = WalkState.read(tracker, kb())
        if state.guide and state.step and state.asked is None:
            return resume_prompt(dispatcher, state, message("thanks"))
        dispatcher.utter_message(text=message("thanks"))
        return []
