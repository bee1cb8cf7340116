"""MailClientEntityExtractor's intent overrides, on Rasa Messages as the pipeline hands them over."""

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from smtpbot.understanding.entities import MailClientEntityExtractor


@pytest.fixture(scope="module")
def component():
    return MailClientEntityExtractor(MailClientEntityExtractor.get_default_config())


def classified(component, text: str, intent: str) -> str:
    """The intent after the component, given the classifier's `intent`."""
    message = Message({TEXT: text})
    message.set(INTENT, {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: 0.8})
    component.process([message])
    return message.get(INTENT)[INTENT_NAME_KEY]


@pytest.mark.parametrize(
    "text",
    [
        "Can't connect to Gmail",
        "After latest update can't connect to spectrum Charter email",
        "Cannot connect Thunderbird to Spectrum",
    ],
)
def test_human_without_anyone_to_talk_to_is_a_problem_description(component, text):
    assert classified(component, text, "human") == "inform"


@pytest.mark.parametrize(
    "text",
    ["connect me to a person", "get me an agent", "operator", "call me", "Outlook 2016, a human"],
)
def test_asking_for_someone_stays_human(component, text):
    assert classified(component, text, "human") == "human"


def test_a_named_program_makes_small_talk_inform(component):
    assert classified(component, "thanks, it's Outlook 2016", "thanks") == "inform"
    assert classified(component, "thanks", "thanks") == "thanks"


@pytest.mark.parametrize(
    "text,expected",
    [
        # the classifier learned "working" from "it's working now": a negation says it fails
        ("it's not working", "still_broken"),
        ("it is not working", "still_broken"),
        ("still isn't sending", "still_broken"),
        ("doesn't work", "still_broken"),
        # ... and only a negation of the success itself
        ("it's working now, no more errors", "it_worked"),
        ("I can't believe it, it works", "it_worked"),
    ],
)
def test_a_negated_success_is_still_broken(component, text, expected):
    assert classified(component, text, "it_worked") == expected
