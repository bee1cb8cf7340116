"""Rasa graph component: the spaCy KB matcher as an entity extractor in the NLU pipeline."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from smtpbot.kb.knowledge import get_kb
from smtpbot.kb.replies import states_success, success_denied
from smtpbot.understanding.mentions import MentionExtractor
from smtpbot.understanding.normalise import normalise
from smtpbot.understanding.selection import fact_entities


def plain_words(text: str) -> List[str]:
    """The message's words, lower-case, without the punctuation around them."""
    return [w.strip(".,:;!?\"'()") for w in text.lower().split()]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class MailClientEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Finds client, version, platform and OS with spaCy rules built from kb/clients.yml.

    Placed after the intent classifiers: a message that names a mail program, device or OS
    is information about the customer's set-up, so intents that carry no request of their
    own (configured in `inform_over`) become `inform`.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """kb_dir: None = the project's kb/ folder."""
        return {
            "kb_dir": None,
            "inform_intent": "inform",
            "inform_over": [
                "nlu_fallback",
                "greet",
                "deny",
                "done",
                "thanks",
                "still_broken",
                "other_client",
                "dont_know",
                "it_worked",
                "out_of_scope",
            ],
            # Commands that are also said in long descriptions ("I'm stuck: Outlook 2010 keeps
            # ..."): `inform` only in a message at least this many words long.
            "inform_over_long": [
                "stuck",
                "repeat_step",
                "go_back",
                "start_over",
                "goodbye",
                "step_question",
                "human",  # "help me, Outlook 2010 won't send since..." describes, asks nobody
            ],
            "long_words": 12,
            # An intent that stands only with one of its words; without them the message is a
            # problem described in words the classifier learned from these requests: `inform`
            # (the bot identifies the program or asks for it). `human` asks for someone ("can't
            # connect to Gmail" is no request for a person); "hotmail account not syncing" is
            # no "are you a bot?".
            "intent_words": {
                "human": [
                    "person",
                    "human",
                    "someone",
                    "somebody",
                    "anyone",
                    "anybody",
                    "agent",
                    "operator",
                    "support",
                    "staff",
                    "technician",
                    "tech",
                    "representative",
                    "rep",
                    "people",
                    "helpdesk",
                    "engineer",
                    "specialist",
                    "call",
                    "phone",
                    "speak",
                    "talk",
                    "escalate",
                    "ticket",
                    "live",
                    "real",
                    "callback",
                    "man",
                    "woman",
                ],
                "bot_challenge": [
                    "bot",
                    "robot",
                    "chatbot",
                    "human",
                    "person",
                    "real",
                    "automated",
                    "automatic",
                    "ai",
                    "machine",
                    "computer",
                    "someone",
                    "people",
                ],
                "all_steps": [
                    "all",
                    "whole",
                    "every",
                    "everything",
                    "list",
                    "entire",
                    "once",
                    "print",
                    "full",
                    "overview",
                    "instructions",
                    "steps",
                ],
                "pause": [
                    "stop",
                    "cancel",
                    "quit",
                    "pause",
                    "never",
                    "nevermind",
                    "forget",
                    "later",
                    "exit",
                    "stopp",
                    "arrête",
                    "basta",
                    "now",
                    "enough",
                    "leave",
                ],
                "faq_how_long": [
                    "long",
                    "longer",
                    "time",
                    "minutes",
                    "steps",
                    "quick",
                    "many",
                    "much",
                    "forever",
                    "ages",
                    "almost",
                    "left",
                    "remaining",
                ],
                "faq_what_smtp": ["smtp", "smpt", "stmp", "outgoing"],
            },
            # Short requests, never a long description: said in a message of `long_words` or
            # more ("steps to reproduce: ... Thunderbird 115 stopped sending"), `inform`.
            "short_only": ["pause", "bot_challenge", "all_steps", "faq_how_long", "faq_what_smtp"],
            "small_talk": ["thanks", "goodbye", "greet", "it_worked", "deny", "done"],
            "worked_intent": "it_worked",
            # Intents a reply that says the mail goes out is taken for ("... 587 and it works":
            # faq_why_587; "it worked, no errors": stuck): it is `it_worked`. Not `thanks` or
            # `done`: mid-guide, "done, that worked" is about the step.
            "success_over": [
                "nlu_fallback",
                "stuck",
                "still_broken",
                "faq_why_587",
                "faq_incoming_port",
                "faq_ssl",
                "step_question",
                "out_of_scope",
                "deny",
            ],
            "broken_intent": "still_broken",
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        """Build the matcher once, when the model is loaded."""
        self.config = config
        self.extractor = MentionExtractor(get_kb(config.get("kb_dir")))

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MailClientEntityExtractor:
        """Create the component (nothing to train)."""
        return cls(config)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> MailClientEntityExtractor:
        """Load the component: the matcher is rebuilt from the KB."""
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training examples are left as they are."""
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Add the facts as entities; reclassify content-free intents as `inform`."""
        for message in messages:
            text: Optional[str] = message.get(TEXT)
            if not text or text.startswith("/"):
                continue
            text = normalise(text[:2000])
            self._unless_its_words_said(message, text)
            self._unless_negated(message, text)
            self._success_said(message, text)
            found = self.add_extractor_name(fact_entities(text, self.extractor))
            if not found:
                self._maybe_problem(message, text)
                continue
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
            self._maybe_inform(message, found, len(text.split()))
        return messages

    def _unless_its_words_said(self, message: Message, text: str) -> None:
        """An intent of `intent_words` said without one of its words, or one of `short_only`
        in a long message, is a problem description: `inform` (the bot identifies the program
        or asks for it; a person stays one click away)."""
        name = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        needed = self.config["intent_words"].get(name)
        if needed is None and name not in self.config["short_only"]:
            return  # most messages: no word to look at
        words = plain_words(text)
        if needed is not None and not set(words) & set(needed):
            self._set_inform(message)
        elif name in self.config["short_only"] and len(words) >= self.config["long_words"]:
            self._set_inform(message)

    def _unless_negated(self, message: Message, text: str) -> None:
        """`it_worked` said with a negation ("it's not working", "it is not working") or of the
        past ("it worked before the update"): the classifier learned "working" from success; the
        customer says it still fails."""
        intent = message.get(INTENT) or {}
        if intent.get(INTENT_NAME_KEY) != self.config["worked_intent"]:
            return
        if success_denied(text):
            message.set(
                INTENT,
                {INTENT_NAME_KEY: self.config["broken_intent"], PREDICTED_CONFIDENCE_KEY: 1.0},
                add_to_output=True,
            )

    def _success_said(self, message: Message, text: str) -> None:
        """A short reply that says the mail goes out now ("I changed the port to 587 and it
        works", "it worked, no errors") is `it_worked`, whatever the classifier learned from its
        other words (the port, "errors")."""
        intent = message.get(INTENT) or {}
        if intent.get(INTENT_NAME_KEY) not in self.config["success_over"]:
            return
        if len(plain_words(text)) > self.config["long_words"]:
            return  # a story ("it worked fine for years, then ..."), not a reply
        if states_success(self.extractor.kb.dialogue["closing_check"], text):
            message.set(
                INTENT,
                {INTENT_NAME_KEY: self.config["worked_intent"], PREDICTED_CONFIDENCE_KEY: 1.0},
                add_to_output=True,
            )

    def _maybe_problem(self, message: Message, text: str) -> None:
        """A long message about sending mail read as small talk ("thanks", "bye") is a problem
        description without a program: `inform`, so the bot asks which program it is."""
        intent = message.get(INTENT) or {}
        words = plain_words(text)
        if (
            intent.get(INTENT_NAME_KEY) in self.config["small_talk"]
            and len(words) >= self.config["long_words"]
            and set(words) & set(self.extractor.kb.dialogue["problem_words"])
        ):
            self._set_inform(message)

    def _set_inform(self, message: Message) -> None:
        """Make the message's intent `inform`, surely (a rule decided it, not the classifier)."""
        message.set(
            INTENT,
            {INTENT_NAME_KEY: self.config["inform_intent"], PREDICTED_CONFIDENCE_KEY: 1.0},
            add_to_output=True,
        )

    def _maybe_inform(self, message: Message, entities: List[Dict[Text, Any]], words: int) -> None:
        """Make the intent `inform` when the message states facts and asks nothing else.

        Whatever the intent, a message that names a program is used to identify it: FAQ
        intents keep theirs (the action answers, then identifies), so does a short `human`.
        """
        intent = message.get(INTENT) or {}
        name = intent.get(INTENT_NAME_KEY)
        states_setup = any(e["entity"] in ("client", "platform", "os") for e in entities)
        over = list(self.config["inform_over"])
        if words >= self.config["long_words"]:
            over += self.config["inform_over_long"]
        if name in over and (states_setup or name == "nlu_fallback"):
            message.set(
                INTENT,
                {
                    INTENT_NAME_KEY: self.config["inform_intent"],
                    PREDICTED_CONFIDENCE_KEY: intent.get(PREDICTED_CONFIDENCE_KEY, 1.0),
                },
                add_to_output=True,
            )
