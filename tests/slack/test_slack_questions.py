"""Every clarifying question works in Slack: all its choices arrive as buttons, each button click is
understood, and typing the answer works as well as clicking."""

import uuid

import pytest
import yaml
from helpers import buttons, containing, shown
from slack_config import ROOT, SUPPORT_CHANNEL, slots

from smtpbot.channels.slack.render import BUTTONS_PER_ROW, message_with_buttons
from smtpbot.kb.facts import Facts
from smtpbot.kb.knowledge import get_kb
from smtpbot.kb.resolver import resolve_guide

DIALOGUE = yaml.safe_load((ROOT / "kb" / "dialogue.yml").read_text(encoding="utf-8"))
QUESTIONS = DIALOGUE["questions"]
FACT_SLOTS = ("client", "version", "platform", "os")
# question id -> (a first message that makes the bot ask it, a typed answer, the guide it leads to)
ASKED_BY = {
    "client": ("hi", "thunderbird 115", "thunderbird-3-plus"),
    "mac-client": ("I'm on a Mac", "Outlook", "outlook-mac"),
    "windows-client": ("on my windows pc", "outlook 2007", "outlook-2007"),
    "outlook-version": ("outlook", "2003", "outlook-2002-2003"),
    "eudora-variant": ("eudora 8", "Eudora OSE", "eudora-ose"),
    "windows-mail-variant": ("windows mail", "vista", "outlook-express"),
    "outlook-10": ("Outlook 10", "2010", "outlook-2010-2016"),
    "outlook-11": ("outlook 11 won't send", "2003", "outlook-2002-2003"),
    "phone-kind": ("my phone", "iphone", "ios-mail"),
    "computer-kind": ("on my laptop", "a mac with outlook", "outlook-mac"),
}
# In kb/dialogue.yml but not asked by a first message: no client asks mail-client (yet);
# Thunderbird and Apple Mail start their dominant guide when no version is given (issue 10).
UNREACHABLE = {"mail-client", "thunderbird-version", "apple-mail-version"}
# Asked with the two programs the customer named as extra buttons (tests/test_e2e_dialogue.py).
DYNAMIC = {"which-program"}


def choice_buttons(question_id):
    """The Rasa buttons the actions build for a question (same code path as the bot)."""
    from actions.state import question_buttons

    return question_buttons(question_id)


@pytest.mark.parametrize("question_id", sorted(QUESTIONS))
def test_every_choice_is_rendered_as_a_button(question_id):
    """Rendering for Slack keeps every choice (Rasa's connector would drop all above 5)."""
    rasa_buttons = choice_buttons(question_id)
    message = message_with_buttons(QUESTIONS[question_id]["text"], rasa_buttons)
    rendered = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [e["value"] for e in rendered] == [b["payload"] for b in rasa_buttons]
    assert [e["text"]["text"] for e in rendered] == [
        c["title"] for c in QUESTIONS[question_id]["choices"]
    ]
    assert all(
        len(b["elements"]) <= BUTTONS_PER_ROW for b in message["blocks"] if b["type"] == "actions"
    )


def test_more_than_five_buttons_are_all_kept():
    """A question that grows past 5 choices still shows them all, in rows of five."""
    many = [{"title": f"Choice {n}", "payload": f'/inform{{"client":"c{n}"}}'} for n in range(7)]
    rows = [b for b in message_with_buttons("Pick one", many)["blocks"] if b["type"] == "actions"]
    assert [len(r["elements"]) for r in rows] == [5, 2]
    assert [e["value"] for r in rows for e in r["elements"]] == [b["payload"] for b in many]


def test_every_question_is_reachable_or_known_unreachable():
    """The table below covers every question of kb/dialogue.yml."""
    assert set(ASKED_BY) | UNREACHABLE | DYNAMIC == set(QUESTIONS)


def intent_answer(intent, question_id):
    """The beginnings of what the bot says to a choice that is a request (kb/dialogue.yml)."""
    if intent == "other_client":
        return [DIALOGUE["messages"]["other_client"][:40]]
    if intent == "dont_know":  # how to find the answer, then the question again
        hints = DIALOGUE["find_version"]
        return [hints.get(question_id, hints["default"])[:40], QUESTIONS[question_id]["text"]]
    raise AssertionError(f"no expected answer for a choice with intent {intent!r}")


def _ask(slack, fake, question_id):
    """Start a thread whose first reply is the question; return (user, thread, question post)."""
    user = "U" + uuid.uuid4().hex[:8].upper()
    thread = slack.say(user, SUPPORT_CHANNEL, ASKED_BY[question_id][0])["ts"]
    text = QUESTIONS[question_id]["text"]
    post = fake.wait(
        lambda: containing(fake.posts(SUPPORT_CHANNEL, thread), text),
        what=f"question {question_id}",
    )
    return user, thread, post[-1]


@pytest.mark.parametrize("question_id", sorted(ASKED_BY))
def test_question_in_slack_every_button_click_and_typed_answer(
    slack, fake_slack, slack_servers, question_id
):
    """Over the real channel: all buttons arrive, clicking each is understood and leads where the
    knowledge base says (the guide, the next question or the "not covered" answer, from what the
    conversation knew before the click plus the choice), typing the answer works."""
    choices = QUESTIONS[question_id]["choices"]
    base = f"http://127.0.0.1:{slack_servers['a'].rasa_port}"
    clicks = []
    for choice in choices:
        user, thread, question = _ask(slack, fake_slack, question_id)
        assert [b["title"] for b in buttons(question)] == [c["title"] for c in choices]
        known = slots(base, f"{SUPPORT_CHANNEL}:{thread}")
        before = Facts(**{k: known.get(k) for k in FACT_SLOTS})
        count = len(fake_slack.posts(SUPPORT_CHANNEL, thread))
        value = next(b["value"] for b in buttons(question) if b["title"] == choice["title"])
        slack.click(user, SUPPORT_CHANNEL, question, value)
        clicks.append((choice, thread, count, before))
    checked = []
    for choice, thread, count, before in clicks:
        replies = fake_slack.wait(
            lambda: fake_slack.posts(SUPPORT_CHANNEL, thread)[count:],  # noqa: B023 (waited on here)
            what=f"answer to {choice['title']}",
        )
        said = " ".join(shown(p) for p in replies)
        assert "didn't understand" not in said, (choice, said)
        facts = Facts(**{k: choice.get(k) for k in FACT_SLOTS}).merged_over(before)
        outcome = resolve_guide(get_kb(), facts)
        sender = f"{SUPPORT_CHANNEL}:{thread}"
        if "intent" in choice:  # a request, not a fact ("Something else", "I don't know")
            for expected in intent_answer(choice["intent"], question_id):
                fake_slack.wait(
                    lambda: containing(fake_slack.posts(SUPPORT_CHANNEL, thread)[count:], expected),  # noqa: B023
                    what=f"{choice['intent']} after {choice['title']}: {expected!r}",
                )
            assert slots(base, sender)["guide"] is None, choice
        elif outcome.kind == "guide":  # the slots are saved just after the reply is posted
            fake_slack.wait(
                lambda: slots(base, sender)["guide"] == outcome.target,  # noqa: B023
                what=f"guide {outcome.target} after {choice['title']}",
            )
        else:
            expected = (
                QUESTIONS[outcome.target]["text"]
                if outcome.kind == "ask"
                else DIALOGUE["uncovered"][outcome.target]["what"]
            )
            fake_slack.wait(
                lambda: containing(fake_slack.posts(SUPPORT_CHANNEL, thread)[count:], expected),  # noqa: B023
                what=f"{outcome.kind} {outcome.target} after {choice['title']}",
            )
            assert slots(base, sender)["guide"] is None, (choice, outcome)
        checked.append(choice.get("intent") or outcome.kind)
    assert len(checked) == len(choices)

    user, thread, question = _ask(slack, fake_slack, question_id)
    slack.say(user, SUPPORT_CHANNEL, ASKED_BY[question_id][1], thread_ts=thread)
    fake_slack.wait(
        lambda: containing(fake_slack.posts(SUPPORT_CHANNEL, thread), "Step 1 of"),
        what=f"typed answer to {question_id}",
    )
    assert slots(base, f"{SUPPORT_CHANNEL}:{thread}")["guide"] == ASKED_BY[question_id][2]
