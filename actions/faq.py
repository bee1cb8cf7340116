"""Questions the article answers or implies: incoming port, why 587, SSL/TLS."""

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.state import WalkState, kb, resume_prompt

FAQ_BY_INTENT = {"faq_incoming_port": "incoming_port", "faq_why_587": "why_587"}


class ActionAnswerFaq(Action):
    """Answer the question, then bring the customer back to where they were."""

    def name(self) -> Text:
        """The action's name in domain.yml."""
        return "action_answer_faq"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Answer from kb/dialogue.yml `faq` (SSL: the current guide's security step)."""
        knowledge = kb()
        state = WalkState.read(tracker, knowledge)
        faq = knowledge.dialogue["faq"]
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "faq_ssl":
            guide = state.guide
            if guide:
                number = guide.security_step
                text = faq["ssl_with_guide"].format(
                    title=guide.title, number=number, step=guide.steps[number - 1]
                )
            else:
                text = faq["ssl_without_guide"]
        else:
            text = faq[FAQ_BY_INTENT.get(intent, "incoming_port")]
        dispatcher.utter_message(text=text)
        return resume_prompt(dispatcher, state)
