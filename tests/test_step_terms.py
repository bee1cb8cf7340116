"""Which step names what the customer can't find (smtpbot/kb/step_terms.py), without Rasa."""

import pytest

from smtpbot.kb.knowledge import get_kb
from smtpbot.kb.step_terms import note_naming, step_naming

KB = get_kb()
IGNORE = set(KB.dialogue["step_terms"]["ignore"])
STOP = set(KB.dialogue["step_terms"]["stop"])


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
        # what the customer does see ("only ...") is not what they look for, and the current
        # step keeps a place it names as surely as another step does
        (
            "outlook-2010-2016",
            4,
            "I don't see the Advanced tab, only General, Outgoing Server and Connection",
            None,
        ),
        # the program's own name says no place
        ("thunderbird-legacy", 3, "there is no Edit button in Thunderbird", None),
        # nothing named, or nothing any step names
        ("outlook-2010-2016", 2, "I can't find it", None),
        ("outlook-2010-2016", 2, "where is the coffee machine", None),
    ],
)
def test_the_step_naming_what_is_asked(guide, current, question, expected):
    assert step_naming(KB.guide(guide).steps, question, current, IGNORE, STOP) == expected


def test_the_answer_is_the_same_in_every_process():
    """Terms of one length are tried in the question's order, not in a set's (hash) order:
    "Preferences, only Settings" gave step 1 or step 3 by PYTHONHASHSEED."""
    import os
    import subprocess
    import sys

    code = (
        "from smtpbot.kb.knowledge import get_kb; from smtpbot.kb.step_terms import step_naming;"
        "kb = get_kb(); t = kb.dialogue['step_terms'];"
        "print(step_naming(kb.guide('apple-mail-10-plus').steps,"
        " \"I don't see Preferences or Settings\", 2, set(t['ignore']), set(t['stop'])))"
    )
    answers = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in range(1, 7)
    }
    assert answers == {"1"}


@pytest.mark.parametrize(
    "guide, current, question, expected",
    [
        # a note on another step that names what the customer sees and misses
        ("apple-mail-10-plus", 2, "I don't see Settings, only Preferences", 1),
        ("ios-mail", 3, "there is no Passwords & Accounts", 1),
        ("thunderbird-3-plus", 3, "I don't have Normal password", 5),
        # one word in common is not enough; a note on the current step is not another's
        ("apple-mail-10-plus", 2, "I don't see Settings", None),
        ("apple-mail-10-plus", 1, "I don't see Settings, only Preferences", None),
        # a step that names as much comes first: step 5 says "Connection Security option"
        ("thunderbird-3-plus", 4, "I can't find the Connection Security option", None),
        # nor when the current step names a word of the question: the port step
        (
            "apple-mail-10-plus",
            6,
            "I can't find the port, my Mail Settings window has only Preferences tabs",
            None,
        ),
    ],
)
def test_a_note_on_another_step_that_names_the_place(guide, current, question, expected):
    steps = KB.guide(guide).steps
    found = note_naming(steps, KB.guide(guide).notes, question, current, IGNORE, STOP)
    assert (found[0] if found else None) == expected
