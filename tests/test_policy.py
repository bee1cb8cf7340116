"""IntentActionPolicy (smtpbot/dialogue/policy.py): the intent -> action table of data/rules.yml, the next action."""

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.core.training_data.structures import StoryGraph
from rasa.shared.exceptions import InvalidConfigException
from stackkit import ROOT

from smtpbot.dialogue.policy import IntentActionPolicy, intent_actions


@pytest.fixture(scope="module")
def domain():
    """The bot's domain."""
    return Domain.load(str(ROOT / "domain.yml"))


def rule_trackers(domain, yaml_text=None):
    """The rule trackers Rasa's training makes of data/rules.yml (or of `yaml_text`)."""
    from rasa.shared.core.generator import TrainingDataGenerator

    reader = YAMLStoryReader(domain)
    steps = (
        reader.read_from_string(yaml_text)
        if yaml_text
        else reader.read_from_file(str(ROOT / "data" / "rules.yml"))
    )
    trackers = TrainingDataGenerator(
        StoryGraph(steps), domain, augmentation_factor=0, remove_duplicates=True
    ).generate()
    return [t for t in trackers if isinstance(t, TrackerWithCachedStates)]


def policy(domain, tmp_path, trackers):
    """A policy trained on `trackers`."""
    trained = IntentActionPolicy.create(
        {**IntentActionPolicy.get_default_config(), "fallback_action_name": "action_rephrase"},
        LocalModelStorage(tmp_path),
        Resource("policy"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    trained.train(trackers, domain)
    return trained


def tracker_after(domain, *events):
    """A tracker of a session start and `events`."""
    return DialogueStateTracker.from_events(
        "t",
        [
            ActionExecuted("action_session_start"),
            SessionStarted(),
            ActionExecuted("action_listen"),
            *events,
        ],
        domain.slots,
    )


def said(intent):
    """The customer's message classified as `intent`."""
    return UserUttered(intent, {"name": intent, "confidence": 1.0})


def test_table_is_every_rule_of_rules_yml(domain):
    """The learned table holds each rule's intent -> action, nothing else."""
    table = intent_actions(rule_trackers(domain))
    assert table["done"] == "action_next_step" and table["inform"] == "action_identify_client"
    assert table["nlu_fallback"] == "action_rephrase" and len(table) == 26
    assert table["pause"] == "action_pause"


def test_conflicting_rules_are_refused(domain, tmp_path):
    """Two rules sending one intent to different actions fail training, naming the intent."""
    conflicting = rule_trackers(
        domain,
        """
rules:
- rule: a
  steps:
  - intent: done
  - action: action_next_step
- rule: b
  steps:
  - intent: done
  - action: action_repeat_step
""",
    )
    with pytest.raises(InvalidConfigException, match="'done'"):
        policy(domain, tmp_path, conflicting)


def test_next_action_follows_the_latest_intent_then_listens(domain, tmp_path):
    """After a message: its intent's action; after any bot action: listen; default intents and
    unknown intents as RulePolicy serves them; the trained table survives save and load."""
    trained = policy(domain, tmp_path, rule_trackers(domain))
    loaded = IntentActionPolicy.load(
        trained.config,
        trained._model_storage,
        trained._resource,
        ExecutionContext(GraphSchema({}), "test"),
    )
    for candidate in (trained, loaded):
        assert candidate.next_action(tracker_after(domain, said("done"))) == "action_next_step"
        assert (
            candidate.next_action(
                tracker_after(domain, said("done"), ActionExecuted("action_next_step"))
            )
            == "action_listen"
        )
        assert candidate.next_action(tracker_after(domain, said("restart"))) == "action_restart"
        assert candidate.next_action(tracker_after(domain, said("back"))) == "action_back"
        assert candidate.next_action(tracker_after(domain, said("affirm"))) == "action_rephrase"
        assert candidate.next_action(tracker_after(domain)) == "action_listen"
    prediction = loaded.predict_action_probabilities(tracker_after(domain, said("stuck")), domain)
    assert prediction.max_confidence == 1.0
    assert domain.action_names_or_texts[prediction.max_confidence_index] == "action_stuck"
