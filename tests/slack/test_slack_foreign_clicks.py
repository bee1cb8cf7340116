"""Clicks on messages the bot did not post are ignored (block_actions, as Slack sends them).

Slack's block_actions payload (api.slack.com/reference/interaction-payloads/block-actions)
names the clicked message in `container` ({"type": "message", "message_ts", "channel_id",
"is_ephemeral"}) and includes it in `message`, except for ephemeral messages
(`is_ephemeral: true`, no `message`). A message an app posted carries `bot_id`, `app_id` and
`bot_profile`; `api_app_id` is the app receiving the click.
"""

import copy
import json
import urllib.parse

import pytest
from helpers import containing, shown
from slack_config import SUPPORT_CHANNEL
from slack_events import sign

from smtpbot.channels.slack.channel import posted_by_this_app


def payload_of(body: bytes) -> dict:
    return json.loads(urllib.parse.parse_qs(body.decode())["payload"][0])


def body_of(payload: dict) -> bytes:
    return urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()


def another_apps_message(payload):
    message = payload["message"]
    message.update({"bot_id": "B0OTHER01", "app_id": "A0OTHER01", "user": "U0OTHER01"})
    message["bot_profile"].update({"id": "B0OTHER01", "app_id": "A0OTHER01", "name": "polls"})


def ephemeral_message(payload):
    payload["container"]["is_ephemeral"] = True
    del payload["message"]  # Slack does not include an ephemeral message


def a_persons_message(payload):
    message = payload["message"]
    for key in ("bot_id", "app_id", "bot_profile"):
        message.pop(key)
    message["user"] = "U0PERSON1"


def a_modal(payload):
    payload["container"] = {"type": "view", "view_id": "V0TEST001"}
    del payload["message"]


FOREIGN = {
    "another app's message": another_apps_message,
    "an ephemeral message": ephemeral_message,
    "a person's message": a_persons_message,
    "a modal view": a_modal,
}


@pytest.mark.parametrize("kind", sorted(FOREIGN))
def test_a_click_on_a_message_the_bot_did_not_post_is_ignored(slack, fake_slack, user, kind):
    event = slack.say(user, SUPPORT_CHANNEL, "I use Outlook 2013")
    thread = event["ts"]
    step1 = fake_slack.wait(
        lambda: containing(fake_slack.posts(SUPPORT_CHANNEL, thread), "Step 1 of 9")
    )[0]
    before = len(fake_slack.posts())
    # The same buttons in a message the bot did not post, in the same thread.
    payload = payload_of(slack.interaction_body(user, SUPPORT_CHANNEL, step1, "/done"))
    FOREIGN[kind](payload)
    body = body_of(payload)
    response = slack.send(
        body, {"Content-Type": "application/x-www-form-urlencoded", **sign(slack.secret, body)}
    )
    assert response.status_code == 200 and "ignored" in response.text.lower()
    # The customer then asks to repeat on the bot's own message: step 1 again, and that
    # reply is the only thing the bot posted anywhere since (no step 2, no "didn't
    # understand", no new thread).
    slack.click(user, SUPPORT_CHANNEL, step1, "/repeat_step")
    fake_slack.wait(lambda: len(fake_slack.posts()) > before)
    again = fake_slack.wait(
        lambda: containing(fake_slack.posts(SUPPORT_CHANNEL, thread), "Step 1 of 9")[1:]
    )
    since = [p for p in fake_slack.posts()[before:] if p["channel"] == SUPPORT_CHANNEL]
    assert [shown(p).split(":")[0] for p in since] == ["Step 1 of 9"], since
    assert again[0]["thread_ts"] == thread


def test_the_bots_own_message_is_recognised(slack, fake_slack, user):
    event = slack.say(user, SUPPORT_CHANNEL, "I use Outlook 2007")
    step1 = fake_slack.wait(
        lambda: containing(fake_slack.posts(SUPPORT_CHANNEL, event["ts"]), "Step 1 of 9")
    )[0]
    payload = payload_of(slack.interaction_body(user, SUPPORT_CHANNEL, step1, "/done"))
    assert posted_by_this_app(payload)
    for change in FOREIGN.values():
        foreign = copy.deepcopy(payload)
        change(foreign)
        assert not posted_by_this_app(foreign)
