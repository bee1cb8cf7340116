"""When the customer is stuck or wants a person: offer a human and say how to reach support."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.state import WalkState, button, kb, message, resume_prompt, serve_step


def offer_human(dispatcher: CollectingDispatcher, tracker: Tracker, reason: Text) -> List[Dict[str, Any]]:
    """Tell the customer how to reach the support team (the hand-off point)."""
    support = kb().dialogue["support"]
    dispatcher.utter_message(text=support["contact"])
    return []


class ActionStuck(Action):
    """'I'm stuck' / 'I don't see that button': show the step again and offer a person."""

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
        dispatcher.utter_message(text=message("stuck"))
        events = serve_step(dispatcher, state.guide, state.step)
        dispatcher.utter_message(text=f"{support['offer']} {support['contact']}",
                                 buttons=[button(labels["human"], "human")])
        return events + [SlotSet("stuck_count", count)]


class ActionOfferHuman(Action):
    """'Talk to a person'."""

    def name(self) -> Text:
        return "action_offer_human"

    def run(self, dispatcher, tracker, domain):
        dispatcher.utter_message(text=message("human"))
        return offer_human(dispatcher, tracker, reason="asked")
