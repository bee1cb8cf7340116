"""smtpbot.kb.replies: what a short reply says about the outcome of the fix (pure, no Rasa)."""

import pytest
from stackkit import ROOT

from smtpbot.kb.knowledge import load_kb
from smtpbot.kb.replies import states_success

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
