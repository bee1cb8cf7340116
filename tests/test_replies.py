"""smtpbot.kb.replies: what a short reply says about the outcome of the fix (pure, no Rasa)."""

import pytest
from stackkit import ROOT

from smtpbot.kb.knowledge import load_kb
from smtpbot.kb.replies import finished_step, named_step, states_success, step_term

WORDS = load_kb(ROOT / "kb").dialogue["closing_check"]


@pytest.mark.parametrize(
    "text",
    [
        "I changed the port to 587 and it works",
        "it worked, no errors",
        "that fixed it",
        "works now without errors",
    ],
)
def test_a_reply_that_says_the_mail_goes_out(text):
    assert states_success(WORDS, text)


@pytest.mark.parametrize(
    "text",
    [
        "it doesn't work",
        "it worked until yesterday",
        "does it work on port 465?",
        "it works in webmail but not in Outlook",
        "it works, it says 550 though",
        "not yet, let me see if it works",
        "it works? I still get an error",
        "I changed the port to 587",
        "it stopped working",
        "sending broke after the update, it was working",
    ],
)
def test_a_reply_that_does_not(text):
    assert not states_success(WORDS, text)


@pytest.mark.parametrize(
    "text, any_step, reached",
    [
        ("what's step 5?", 5, None),
        ("go back to step 2", 2, 2),
        ("skip to step 5", 5, 5),
        ("I'm at step 4 now", 4, 4),
        ("done with step 3", 3, None),
        ("steps 1 to 4 are done", None, None),
        ("step 2 or step 3?", None, None),
        ("step 2 or 3", None, None),
        ("I changed the port to 587", None, None),
    ],
)
def test_a_step_named_by_its_number(text, any_step, reached):
    assert named_step(text) == any_step
    assert named_step(text, reached=True) == reached


@pytest.mark.parametrize(
    "text, last_done",
    [
        ("i'm done with step 4 too", 4),
        ("steps 1 and 2 done", 2),
        ("I did steps 2 through 5", 5),
        ("steps 3-5 are done", 5),
        ("finished step 6, what now?", 6),
        ("what's step 3?", None),
        ("I'm at step 4", None),
        ("step 2 or 3?", None),
        ("done", None),
        ("I set the port to 587, done", None),
        ("I'm not done with step 4 yet", None),
        ("i haven't finished step 3", None),
        ("I did step 3 but it still fails", None),
        ("i havent finished step 4", None),
        ("I haven\u2019t finished step 4", None),
    ],
)
def test_steps_said_to_be_done(text, last_done):
    assert finished_step(text) == last_done


@pytest.mark.parametrize(
    "text, term",
    [
        ("I'm at the port step already", "port"),
        ("skip to the password step", "password"),
        ("can we go back to the beginning?", "first"),
        ("start from the very start please", "first"),
        ("what is the 5 step", None),
        ("ok, what's the next step?", None),
        ("show the last step again", None),
        ("I went to the start menu and nothing", None),
        ("I haven't got to the port step yet", None),
        ("when do we get to the port step?", None),
        ("go back to the beginning of the guide", "first"),
        ("go back to the very first step", "first"),
        ("I changed the port", None),
    ],
)
def test_a_step_named_by_what_it_does(text, term):
    assert step_term(text) == term
