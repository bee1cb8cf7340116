"""End-to-end over REST against the real `rasa run` + `rasa run actions`: every guide, start to end."""

import pytest
import yaml
from stackkit import OPENERS, ROOT, payloads, texts

GUIDES = yaml.safe_load((ROOT / "kb" / "guides.yml").read_text(encoding="utf-8"))["guides"]
OUR_NOTE = yaml.safe_load((ROOT / "kb" / "dialogue.yml").read_text(encoding="utf-8"))["messages"][
    "our_note"
]


def step_text(guide_id: str, number: int) -> str:
    """Step `number` as served: the article's words verbatim, then our marked notes on it."""
    guide = GUIDES[guide_id]
    text = f"Step {number} of {len(guide['steps'])}: {guide['steps'][number - 1]}"
    for note in guide.get("notes", []):
        if note["step"] == number:
            text += "\n\n" + OUR_NOTE.format(note=note["text"])
    return text


def test_every_guide_has_an_opener():
    assert set(OPENERS) == set(GUIDES)


@pytest.mark.parametrize("guide_id", sorted(GUIDES))
def test_complete_walkthrough(bot, sender, guide_id):
    """First message -> understood + step 1; each 'done' -> next step; end -> test email check."""
    steps = GUIDES[guide_id]["steps"]
    replies = bot.say(sender, OPENERS[guide_id])
    assert "Got it" in texts(replies)
    assert f"Step 1 of {len(steps)}: {steps[0]}" in texts(replies)
    assert payloads(replies)[-4:] == ["/done", "/repeat_step", "/go_back", "/stuck"]
    assert bot.slots(sender)["guide"] == guide_id
    assert bot.slots(sender)["step"] == 1
    for number in range(2, len(steps) + 1):
        replies = bot.say(sender, "/done" if number % 2 else "done")
        assert texts(replies) == step_text(guide_id, number)
        assert bot.slots(sender)["step"] == number
    replies = bot.say(sender, "done")
    assert "send a test email" in texts(replies)
    assert payloads(replies) == ["/it_worked", "/still_broken"]
    replies = bot.say(sender, "yes")
    assert "587" in texts(replies)
    assert bot.slots(sender)["guide"] == guide_id


def test_navigation_faq_and_switch(bot, sender):
    """Repeat, back, FAQ mid-guide, switching guide, start over, gibberish: state stays right."""
    bot.say(sender, "outlook 2013")
    bot.say(sender, "next")
    assert bot.slots(sender)["step"] == 2
    assert "Step 2 of 9" in texts(bot.say(sender, "repeat that"))
    assert "Step 1 of 9" in texts(bot.say(sender, "go back"))
    answer = texts(bot.say(sender, "do I change the incoming port too?"))
    assert "110" in answer and "NOT" in answer and "step 1 of 9" in answer
    answer = texts(bot.say(sender, "should I use SSL?"))
    assert "This server requires a secure connection" in answer
    answer = texts(bot.say(sender, "why 587?"))
    assert "25" in answer
    assert bot.slots(sender)["step"] == 1
    answer = texts(bot.say(sender, "asdkjh qwe"))
    assert "didn't understand" in answer and "step 1 of 9" in answer
    assert bot.slots(sender)["step"] == 1
    answer = texts(bot.say(sender, "it's actually Outlook 2007"))
    assert "Outlook 2007" in answer and "Step 1 of 9" in answer
    assert bot.slots(sender)["guide"] == "outlook-2007"
    bot.say(sender, "done")
    assert "Step 1 of 9" in texts(bot.say(sender, "start over"))
    assert bot.slots(sender)["step"] == 1


def test_asks_what_is_missing(bot, sender):
    """'Outlook' alone asks for the version with buttons; the answer starts the guide."""
    replies = bot.say(sender, "outlook")
    assert "Which version of Outlook" in texts(replies)
    assert bot.slots(sender)["guide"] is None
    assert '/inform{"client":"outlook","version":"2007"}' in payloads(replies)
    replies = bot.say(sender, "2007")
    assert bot.slots(sender)["guide"] == "outlook-2007"
    assert "Step 1 of 9" in texts(replies)


def test_uncovered_client_is_answered_honestly(bot, sender):
    """Windows Live Mail: not covered, the general settings, the nearest guide, a person."""
    answer = texts(bot.say(sender, "I use Windows Live Mail"))
    assert "doesn't cover" in answer and "587" in answer and "110" in answer
    assert "Outlook Express" in answer and "support" in answer
    assert bot.slots(sender)["guide"] is None


def test_forged_payload_cannot_inject_state(bot, sender):
    """A typed /inform{...} with unknown values or foreign slots changes nothing."""
    bot.say(sender, '/inform{"guide":"eudora","client":"nonsense","step":7}')
    slots = bot.slots(sender)
    assert slots["guide"] is None and slots["step"] is None and slots["client"] is None
