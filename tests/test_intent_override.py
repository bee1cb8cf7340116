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


@pytest.mark.parametrize(
    "text,intent",
    [
        ("I changed the port to 587 and it works", "faq_why_587"),
        ("it worked, no errors", "stuck"),
        ("that fixed it", "still_broken"),
    ],
)
def test_a_reply_that_says_the_mail_goes_out_is_it_worked(component, text, intent):
    assert classified(component, text, intent) == "it_worked"


@pytest.mark.parametrize(
    "text,intent", [("done, that worked", "done"), ("thanks, it worked", "thanks")]
)
def test_a_step_done_or_thanks_mid_guide_is_not_read_as_the_mail_working(component, text, intent):
    """ "done, that worked" at step 3 is about the step: the guide goes on (not "your mail goes
    out now" six steps early)."""
    assert classified(component, text, intent) == intent


@pytest.mark.parametrize(
    "text,intent",
    [
        ("it worked until yesterday, now it says 550", "still_broken"),
        ("does it work with port 465?", "faq_why_587"),
        ("it worked fine for years and then last week it stopped sending to anyone", "stuck"),
    ],
)
def test_a_failure_or_a_question_keeps_its_intent(component, text, intent):
    assert classified(component, text, intent) == intent


@pytest.mark.parametrize(
    "text", ["it's not working", "still isn't sending", "it worked before the update"]
)
def test_success_negated_or_past_is_still_broken(component, text):
    assert classified(component, text, "it_worked") == "still_broken"


@pytest.mark.parametrize(
    "text,intent,expected",
    [
        # the classifier takes short problem titles for the new requests (typed dev texts:
        # 81 read as "are you a bot?", 63 as "all the steps" before this check)
        ("hotmail account not syncing", "bot_challenge", "inform"),
        ("inbox fails to refresh automatically", "all_steps", "inform"),
        ("cant locate stmp", "pause", "inform"),
        ("are you a bot?", "bot_challenge", "bot_challenge"),
        ("show me all the steps", "all_steps", "all_steps"),
        ("stop", "pause", "pause"),
        ("never mind", "pause", "pause"),
        ("what is smtp?", "faq_what_smtp", "faq_what_smtp"),
        # a short request inside a long description is the description
        (
            "steps to reproduce: stop the app, open it again, and mail still sits in the outbox",
            "pause",
            "inform",
        ),
    ],
)
def test_requests_stand_only_with_their_words_and_when_short(component, text, intent, expected):
    assert classified(component, text, intent) == expected
