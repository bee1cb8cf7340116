"""Small talk and the fallback: greet, thanks, goodbye, and 'please rephrase' in context."""

from typing import Text

from rasa_sdk import Action
from rasa_sdk.events import SlotSet

from actions.state import WalkState, explain_error, kb, message, resume_prompt
from actions.support import NOT_UNDERSTOOD_LIMIT, not_understood_in_a_row, offer_human


class ActionRephrase(Action):
    """Not understood: say so, with the choices that make sense where the customer is."""

    def name(self) -> Text:
        return "action_rephrase"

    def run(self, dispatcher, tracker, domain):
        state = WalkState.read(tracker, kb())
        if explain_error(dispatcher, tracker.latest_message.get("text"), state.guide):
            return resume_prompt(dispatcher, state)  # a pasted error is understood
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
