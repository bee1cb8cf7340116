"""IntentActionPolicy: the dialogue policy of this bot, learned from data/rules.yml.

Every rule of this bot is "intent X -> action Y" (the walkthrough's state lives in slots and the
actions read it), so the next action depends only on the latest user intent. RulePolicy answers
the same but featurises the whole conversation on every turn (its cost grows with the
conversation); this policy looks at the last intent and the last action only, so a turn costs
the same at message 1,000 as at message 1 (README "Performance").
"""

import json
import logging
import warnings
from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import (
    ACTION_BACK_NAME,
    ACTION_LISTEN_NAME,
    ACTION_RESTART_NAME,
    ACTION_SESSION_START_NAME,
    RULE_SNIPPET_ACTION_NAME,
    USER_INTENT_BACK,
    USER_INTENT_RESTART,
    USER_INTENT_SESSION_START,
)
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import InvalidConfigException

logger = logging.getLogger(__name__)

# Rasa's default intents, served as RulePolicy serves them.
DEFAULT_INTENT_ACTIONS = {
    USER_INTENT_RESTART: ACTION_RESTART_NAME,
    USER_INTENT_BACK: ACTION_BACK_NAME,
    USER_INTENT_SESSION_START: ACTION_SESSION_START_NAME,
}
MAPPING_FILE = "intent_actions.json"
# Rasa's recipe validator warns whenever RulePolicy itself is absent, saying that /restart and
# /back would stop working; this policy serves both (DEFAULT_INTENT_ACTIONS), so the warning is wrong here.
warnings.filterwarnings(
    "ignore", message="'RulePolicy' is not included in the model's policy configuration"
)


def intent_actions(trackers: List[TrackerWithCachedStates]) -> Dict[Text, Text]:
    """The intent -> action table of the rule trackers; a ValueError names conflicting rules."""
    table: Dict[Text, Text] = {}
    conflicts: List[Text] = []
    for tracker in trackers:
        intent = None
        for event in tracker.events:
            if isinstance(event, UserUttered):
                intent = event.intent_name
            elif isinstance(event, ActionExecuted) and event.action_name not in (
                ACTION_LISTEN_NAME,
                RULE_SNIPPET_ACTION_NAME,
                None,
            ):
                if intent is None:
                    continue
                known = table.setdefault(intent, event.action_name)
                if known != event.action_name:
                    conflicts.append(
                        f"'{intent}' -> '{known}' or '{event.action_name}' ({tracker.sender_id})"
                    )
                intent = None
    if conflicts:
        raise ValueError("an intent must lead to one action: " + "; ".join(sorted(set(conflicts))))
    return table


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class IntentActionPolicy(Policy):
    """Predicts the action of the latest user intent, then action_listen; the fallback action
    for an intent no rule covers."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Priority as RulePolicy's; the action for an intent without a rule."""
        return {"priority": 6, "fallback_action_name": "action_default_fallback"}

    @staticmethod
    def supported_data() -> SupportedData:
        """Trained on rules (data/rules.yml) only."""
        return SupportedData.RULE_DATA

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Any = None,
        table: Optional[Dict[Text, Text]] = None,
    ) -> None:
        """A policy with its intent -> action table (empty until trained)."""
        super().__init__(config, model_storage, resource, execution_context, featurizer=featurizer)
        self.table = dict(table or {})

    def _standard_featurizer(self) -> None:
        """No featurizer: the policy reads the latest intent and action directly."""
        return None

    def train(
        self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        """Learn the intent -> action table from the rule trackers and store it."""
        try:
            table = intent_actions([t for t in training_trackers if t.is_rule_tracker])
        except ValueError as error:
            raise InvalidConfigException(f"data/rules.yml: {error}") from error
        unknown = sorted(set(table.values()) - set(domain.action_names_or_texts))
        if unknown:
            raise InvalidConfigException(f"rules use actions missing from the domain: {unknown}")
        self.table = table
        with self._model_storage.write_to(self._resource) as path:
            (path / MAPPING_FILE).write_text(
                json.dumps(table, indent=1, sort_keys=True), encoding="utf-8"
            )
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "IntentActionPolicy":
        """The trained policy with its table."""
        with model_storage.read_from(resource) as path:
            table = json.loads((path / MAPPING_FILE).read_text(encoding="utf-8"))
        return cls(config, model_storage, resource, execution_context, table=table)

    def next_action(self, tracker: DialogueStateTracker) -> Text:
        """action_listen after any bot action; after the customer spoke, the action of their intent."""
        message = tracker.latest_message
        intent = message.intent.get("name") if message is not None else None
        if tracker.latest_action_name != ACTION_LISTEN_NAME or not intent:
            return ACTION_LISTEN_NAME  # a bot action ran, or nobody has said anything yet
        return (
            DEFAULT_INTENT_ACTIONS.get(intent)
            or self.table.get(intent)
            or self.config["fallback_action_name"]
        )

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """Certainty 1.0 for next_action, 0 for every other action."""
        probabilities = self._default_predictions(domain)
        action = self.next_action(tracker)
        probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities)
