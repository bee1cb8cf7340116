"""The real Rasa server with the real Slack channel, driven by Slack-documented requests.

Guides in threads by clicking buttons, DMs, two customers in one channel, mentions elsewhere,
questions whose every choice must survive in Slack, and typed answers.
"""

import re
import time

import requests
import yaml
from helpers import buttons, containing, follow_up, shown, values
from slack_config import AGENTS_CHANNEL, BOT_USER, RASA_TOKEN, ROOT, SUPPORT_CHANNEL, slots
from slack_events import sign

GUIDES = yaml.safe_load((ROOT / "kb" / "guides.yml").read_text(encoding="utf-8"))["guides"]
QUESTIONS = yaml.safe_load((ROOT / "kb" / "dialogue.yml").read_text(encoding="utf-8"))["questions"]
STEP_BUTTONS = ["/done", "/repeat_step", "/go_back", "/stuck"]


class tracker_api:  # noqa: N801 - reads like a function at the call sites
    """Rasa's HTTP API on server A (to read slots)."""

    def __init__(self, servers):
        """Point at server A."""
        self.base = f"http://127.0.0.1:{servers['a'].rasa_port}"

    def slots(self, sender: str) -> dict:
        """The conversation's slots."""
        return slots(self.base, sender)


def wait_step(fake, channel, thread, number, total, after=0):
    """The first post after index `after` in the thread that shows step `number`."""

    def found():
        posts = fake.posts(channel, thread)[after:]
        return containing(posts, f"Step {number} of {total}:")

    return fake.wait(found, what=f"step {number} in {channel}/{thread}")[0]


def test_url_verification(slack):
    """Slack checks the Request URL with a signed challenge; the bot echoes it."""
    challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    response, _, _ = slack.post_json(
        {"token": "Jhj5dZrVaK7ZwHHjRyZWjbDl", "challenge": challenge, "type": "url_verification"}
    )
    assert response.status_code == 200
    assert response.json() == {"challenge": challenge}


def test_full_guide_in_a_thread_by_buttons(slack, fake_slack, slack_servers, user):
    """A channel message starts a thread; every reply goes there; Done/Repeat/Back buttons drive the guide."""
    steps = GUIDES["outlook-2010-2016"]["steps"]
    total = len(steps)
    before = len(fake_slack.posts())
    event = slack.say(user, SUPPORT_CHANNEL, "I use Outlook 2013 and can't send")
    thread = event["ts"]
    post = wait_step(fake_slack, SUPPORT_CHANNEL, thread, 1, total)
    assert steps[0] in shown(post)
    assert values(post) == STEP_BUTTONS
    assert [b["title"] for b in buttons(post)] == ["Done", "Repeat", "Back", "I'm stuck"]
    assert containing(fake_slack.posts(SUPPORT_CHANNEL, thread), "Got it: Outlook 2013")
    sender = f"{SUPPORT_CHANNEL}:{thread}"
    assert tracker_api(slack_servers).slots(sender)["guide"] == "outlook-2010-2016"

    # Back on step 2 returns to step 1, Repeat shows it again, then Done to the end.
    count = len(fake_slack.posts(SUPPORT_CHANNEL, thread))
    slack.click(user, SUPPORT_CHANNEL, post, "/done")
    post = wait_step(fake_slack, SUPPORT_CHANNEL, thread, 2, total, count)
    count = len(fake_slack.posts(SUPPORT_CHANNEL, thread))
    slack.click(user, SUPPORT_CHANNEL, post, "/go_back")
    post = wait_step(fake_slack, SUPPORT_CHANNEL, thread, 1, total, count)
    count = len(fake_slack.posts(SUPPORT_CHANNEL, thread))
    slack.click(user, SUPPORT_CHANNEL, post, "/repeat_step")
    post = wait_step(fake_slack, SUPPORT_CHANNEL, thread, 1, total, count)
    for number in range(2, total + 1):
        count = len(fake_slack.posts(SUPPORT_CHANNEL, thread))
        slack.click(user, SUPPORT_CHANNEL, post, "/done")
        post = wait_step(fake_slack, SUPPORT_CHANNEL, thread, number, total, count)
        assert shown(post) == f"Step {number} of {total}: {steps[number - 1]}"
        assert values(post) == STEP_BUTTONS
    assert tracker_api(slack_servers).slots(sender)["step"] == total

    count = len(fake_slack.posts(SUPPORT_CHANNEL, thread))
    slack.click(user, SUPPORT_CHANNEL, post, "/done")
    outcome = fake_slack.wait(
        lambda: containing(fake_slack.posts(SUPPORT_CHANNEL, thread)[count:], "send a test email")
    )[0]
    assert values(outcome) == ["/it_worked", "/still_broken"]
    count = len(fake_slack.posts(SUPPORT_CHANNEL, thread))
    slack.click(user, SUPPORT_CHANNEL, outcome, "/it_worked")
    fake_slack.wait(
        lambda: containing(fake_slack.posts(SUPPORT_CHANNEL, thread)[count:], "port 587 now")
    )

    # Every reply stayed in the thread: nothing was posted anywhere else (top level, another
    # thread, another channel) during the conversation.
    elsewhere = [
        (p["channel"], p["thread_ts"], p["text"][:60])
        for p in fake_slack.posts()[before:]
        if (p["channel"], p["thread_ts"]) != (SUPPORT_CHANNEL, thread)
    ]
    assert not elsewhere, elsewhere
    # Each clicked message had its buttons replaced by the choice.
    clicked = fake_slack.wait(lambda: [u for u in fake_slack.updates() if u["ts"] == outcome["ts"]])
    assert not any(b["type"] == "actions" for b in clicked[0]["blocks"])
    assert f"<@{user}> chose *Yes, it works*" in str(clicked[0]["blocks"])


def test_dm_is_one_conversation_with_typed_answers(slack, fake_slack, slack_servers, user, dm):
    """In a DM the bot replies at top level and the whole DM is one conversation; typing works like clicking."""
    slack.say(user, dm, "outlook", channel_type="im")
    question = fake_slack.wait(
        lambda: containing(fake_slack.posts(dm, None), "Which version of Outlook")
    )[0]
    choices = QUESTIONS["outlook-version"]["choices"]
    assert [b["title"] for b in buttons(question)] == [c["title"] for c in choices]
    slack.say(user, dm, "2007", channel_type="im")
    wait_step(fake_slack, dm, None, 1, 9)
    slack.say(user, dm, "done", channel_type="im")
    wait_step(fake_slack, dm, None, 2, 9)
    assert tracker_api(slack_servers).slots(dm)["guide"] == "outlook-2007"
    assert tracker_api(slack_servers).slots(dm)["step"] == 2
    assert fake_slack.posts(dm) == fake_slack.posts(dm, None)  # nothing went into a thread


def test_two_customers_in_one_channel_never_mix(slack, fake_slack, slack_servers):
    """Two people start at the same time in the same channel: two threads, two states, no crossed replies."""
    alice, bob = "UALICE" + str(time.time_ns())[-6:], "UBOB" + str(time.time_ns())[-6:]
    a = slack.say(alice, SUPPORT_CHANNEL, "outlook 2007")["ts"]
    b = slack.say(bob, SUPPORT_CHANNEL, "thunderbird 115")["ts"]
    a_total, b_total = (
        len(GUIDES["outlook-2007"]["steps"]),
        len(GUIDES["thunderbird-3-plus"]["steps"]),
    )
    a_post = wait_step(fake_slack, SUPPORT_CHANNEL, a, 1, a_total)
    b_post = wait_step(fake_slack, SUPPORT_CHANNEL, b, 1, b_total)
    # Interleaved: Alice advances twice (a click, then typing in her thread), Bob once.
    slack.click(alice, SUPPORT_CHANNEL, a_post, "/done")
    slack.click(bob, SUPPORT_CHANNEL, b_post, "/done")
    a_post = wait_step(fake_slack, SUPPORT_CHANNEL, a, 2, a_total)
    wait_step(fake_slack, SUPPORT_CHANNEL, b, 2, b_total)
    slack.say(alice, SUPPORT_CHANNEL, "next", thread_ts=a)
    wait_step(fake_slack, SUPPORT_CHANNEL, a, 3, a_total)
    api = tracker_api(slack_servers)
    assert api.slots(f"{SUPPORT_CHANNEL}:{a}")["guide"] == "outlook-2007"
    assert api.slots(f"{SUPPORT_CHANNEL}:{a}")["step"] == 3
    assert api.slots(f"{SUPPORT_CHANNEL}:{b}")["guide"] == "thunderbird-3-plus"
    assert api.slots(f"{SUPPORT_CHANNEL}:{b}")["step"] == 2
    a_texts = " ".join(shown(p) for p in fake_slack.posts(SUPPORT_CHANNEL, a))
    b_texts = " ".join(shown(p) for p in fake_slack.posts(SUPPORT_CHANNEL, b))
    assert "Got it: Outlook 2007" in a_texts and "Got it: Thunderbird" not in a_texts
    assert "Got it: Thunderbird" in b_texts and "Got it: Outlook" not in b_texts
    assert GUIDES["thunderbird-3-plus"]["steps"][0] not in a_texts
    assert GUIDES["outlook-2007"]["steps"][0] not in b_texts
    assert not fake_slack.posts(SUPPORT_CHANNEL, None)  # never a reply outside a thread


def test_mention_in_another_channel(slack, fake_slack, user):
    """Elsewhere the bot answers @mentions (once, though Slack sends app_mention and message events)
    and then the whole thread, but not other people's channel messages."""
    channel = "C0GENERAL" + str(time.time_ns())[-5:]
    ts = f"{int(time.time())}.{time.time_ns() % 10**6:06d}"
    text = f"<@{BOT_USER}> my iPhone can't send mail"
    for kind in ("app_mention", "message"):
        event = slack.message_event(user, channel, text, ts=ts, kind=kind)
        response, _, _ = slack.post_json(slack.envelope(event))
        assert response.status_code == 200
    first = fake_slack.wait(lambda: containing(fake_slack.posts(channel, ts), "Step 1 of"))
    assert len(first) == 1
    assert "iPhone" in " ".join(shown(p) for p in fake_slack.posts(channel, ts))
    slack.say(user, channel, "done", thread_ts=ts)  # no mention needed inside the bot's thread
    wait_step(fake_slack, channel, ts, 2, len(GUIDES["ios-mail"]["steps"]))
    other = slack.say(user, channel, "lunch anyone?")["ts"]  # not for the bot
    follow_up(slack, fake_slack, user, channel, ts, "repeat that", "Step 2 of")
    assert not fake_slack.posts(channel, other)
    assert len(containing(fake_slack.posts(channel, ts), "Step 1 of")) == 1


def test_health_and_bad_requests(slack, slack_servers):
    """The channel's health URL answers; unreadable signed bodies get a clear 400, not a stack trace."""
    base = slack.url.rsplit("/", 1)[0]
    assert requests.get(base + "/", timeout=10).json() == {"status": "ok"}

    body = b"{not json"
    response = slack.send(body, {"Content-Type": "application/json", **sign(slack.secret, body)})
    assert response.status_code == 400


def test_handoff_alerts_the_agents_channel(slack, fake_slack, user):
    """A customer in Slack asks for a person: a ticket is opened and the agents' channel is alerted
    with the summary, the reference, the channel and how to open it."""
    thread = slack.say(user, SUPPORT_CHANNEL, "outlook 2007")["ts"]
    wait_step(fake_slack, SUPPORT_CHANNEL, thread, 1, 9)
    slack.say(user, SUPPORT_CHANNEL, "I want to talk to a person", thread_ts=thread)
    told = fake_slack.wait(
        lambda: [
            m
            for p in fake_slack.posts(SUPPORT_CHANNEL, thread)
            for m in re.findall(r"HD-\d{5}", shown(p))
        ],
        what="the ticket reference",
    )
    reference = told[0]
    alert = fake_slack.wait(
        lambda: [p for p in fake_slack.posts(AGENTS_CHANNEL) if reference in shown(p)],
        what=f"the alert for {reference}",
    )[0]
    text = shown(alert)
    assert "Hand-off" in text and "from slack" in text
    assert "Outlook 2007" in text and "step 1 of 9" in text  # line 1 of the summary
    assert "Customer asked for a person" in text  # line 2
    assert f"{SUPPORT_CHANNEL}:{thread}" in text
    assert f"/webhooks/agents/tickets/{reference}" in text
    assert not any('"handoff"' in p["text"] for p in fake_slack.posts(SUPPORT_CHANNEL, thread))


def test_slack_text_is_cleaned_like_every_channel(slack, fake_slack, slack_servers, user, dm):
    """Finding 4 of issue 14: Slack text skipped the cleaning (control characters) and the
    5,000-character cap that every other channel applies."""
    slack.say(user, dm, "outlook 2007 \x1b[2J\x07" + "x" * 6000, channel_type="im")
    wait_step(fake_slack, dm, None, 1, 9)
    response = requests.get(
        f"{tracker_api(slack_servers).base}/conversations/{dm}/tracker",
        params={"token": RASA_TOKEN},
        timeout=30,
    )
    said = [e["text"] for e in response.json()["events"] if e["event"] == "user"]
    assert said and "\x1b" not in said[0] and "\x07" not in said[0] and len(said[0]) <= 5000
