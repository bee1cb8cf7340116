"""Which step names what the customer can't find (smtpbot/kb/step_terms.py), without Rasa."""

import pytest

from smtpbot.kb.knowledge import get_kb
from smtpbot.kb.step_terms import step_naming

KB = get_kb()
IGNORE = set(KB.dialogue["step_terms"]["ignore"])


@pytest.mark.parametrize(
    "guide, current, question, expected",
    [
        ("apple-mail-10-plus", 2, "I don't see the Server Settings tab", 3),
        # the port box is greyed out until step 3's box is ticked
        ("outlook-mac", 2, "the port field is greyed out", 3),
        ("thunderbird-3-plus", 2, "where do I find the port?", 4),
        ("outlook-2010-2016", 2, "where is the advanced tab", 4),
        # the longest run of words wins: "More Settings", not "Account Settings"
        ("outlook-2010-2016", 1, "I can't find More Settings", 3),
        # an earlier step
        ("outlook-2010-2016", 5, "I don't see account settings", 1),
        # the current step names it: the step again, not another one
        ("outlook-2010-2016", 3, "I can't find More Settings", None),
        # nothing named, or nothing any step names
        ("outlook-2010-2016", 2, "I can't find it", None),
        ("outlook-2010-2016", 2, "where is the coffee machine", None),
    ],
)
def test_the_step_naming_what_is_asked(guide, current, question, expected):
    assert step_naming(KB.guide(guide).steps, question, current, IGNORE) == expected
