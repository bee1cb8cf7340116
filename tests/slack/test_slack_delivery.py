"""Slack's delivery rules against the real server: retries answered once (in any process),
signatures checked (missing, wrong, stale refused; replays not processed twice), and a server
without Slack variables still starting."""

import json
import time

import pytest
import requests
from helpers import containing, follow_up
from slack_config import SLACK_VARS, SUPPORT_CHANNEL
from slack_events import sign

# Slack's documented X-Slack-Retry-Reason values.
RETRY_REASONS = [
    "http_timeout",
    "http_error",
    "connection_failed",
    "unknown_error",
    "too_many_redirects",
    "ssl_error",
]


def answers(fake, channel, thread):
    """How many times the bot answered 'outlook 2007' in this thread (its 'Got it' line)."""
    return len(containing(fake.posts(channel, thread), "Got it: Outlook 2007"))


def settle(slack, fake, user, channel, thread):
    """Wait for the first answer, then for the reply to a follow-up in the same thread (any
    second answer would have come before it); return the answer count."""
    fake.wait(
        lambda: (
            answers(fake, channel, thread) and containing(fake.posts(channel, thread), "Step 1 of")
        ),
        what="the answer",
    )
    follow_up(slack, fake, user, channel, thread, "repeat that", "Step 1 of")
    return answers(fake, channel, thread)


@pytest.mark.parametrize("reason", RETRY_REASONS)
def test_retry_after_delivery_is_answered_once(slack, slack_b, fake_slack, user, reason):
    """The first delivery reached us; Slack retries anyway (to another process, B): one answer."""
    event = slack.message_event(user, SUPPORT_CHANNEL, "outlook 2007")
    envelope = slack.envelope(event)
    first, _, _ = slack.post_json(envelope)
    retry, _, _ = slack_b.post_json(
        envelope, {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": reason}
    )
    again, _, _ = slack.post_json(
        envelope, {"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": reason}
    )
    assert first.status_code == retry.status_code == again.status_code == 200
    assert retry.text == again.text == "Already handled."
    assert settle(slack, fake_slack, user, SUPPORT_CHANNEL, event["ts"]) == 1


@pytest.mark.parametrize("reason", RETRY_REASONS)
def test_retry_of_lost_delivery_is_answered_once(slack, fake_slack, user, reason):
    """The first delivery never reached us: the retry is the message and must be answered (once)."""
    event = slack.message_event(user, SUPPORT_CHANNEL, "outlook 2007")
    envelope = slack.envelope(event)
    for number in ("1", "2"):
        response, _, _ = slack.post_json(
            envelope, {"X-Slack-Retry-Num": number, "X-Slack-Retry-Reason": reason}
        )
        assert response.status_code == 200
    assert settle(slack, fake_slack, user, SUPPORT_CHANNEL, event["ts"]) == 1


def test_forged_missing_and_stale_signatures_are_refused(slack, fake_slack, user):
    """Nothing is processed from a request that is not provably from Slack, and recent."""
    cases = {}
    for case in ("wrong secret", "missing", "stale", "tampered body"):
        event = slack.message_event(user, SUPPORT_CHANNEL, "outlook 2007")
        body = slack.envelope(event)
        raw = json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if case == "wrong secret":
            headers.update(sign("not-the-secret", raw))
        elif case == "stale":
            headers.update(sign(slack.secret, raw, int(time.time()) - 6 * 60))
        elif case == "tampered body":
            headers.update(sign(slack.secret, raw))
            raw = raw.replace(b"outlook 2007", b"outlook 2003")
        cases[case] = (event["ts"], slack.send(raw, headers))
    for case, (_thread, response) in cases.items():
        assert response.status_code == 401, case
        assert "X-Slack-Signature" in response.text
    # A genuine message sent after them is answered; by then nothing of theirs was posted.
    genuine = slack.say(user, SUPPORT_CHANNEL, "outlook 2007")["ts"]
    fake_slack.wait(lambda: containing(fake_slack.posts(SUPPORT_CHANNEL, genuine), "Step 1 of"))
    for case, (thread, _) in cases.items():
        assert not fake_slack.posts(SUPPORT_CHANNEL, thread), case


def test_replayed_requests_are_not_processed_twice(slack, fake_slack, user):
    """The same signed bytes sent again inside the 5-minute window: refused, for events and clicks."""
    event = slack.message_event(user, SUPPORT_CHANNEL, "outlook 2007")
    first, body, headers = slack.post_json(slack.envelope(event))
    replay = slack.send(body, headers)
    assert first.status_code == 200 and replay.text == "Already handled."
    assert settle(slack, fake_slack, user, SUPPORT_CHANNEL, event["ts"]) == 1

    step1 = containing(fake_slack.posts(SUPPORT_CHANNEL, event["ts"]), "Step 1 of")[0]
    click = slack.interaction_body(user, SUPPORT_CHANNEL, step1, "/done")
    click_headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        **sign(slack.secret, click),
    }
    assert slack.send(click, click_headers).status_code == 200
    assert slack.send(click, click_headers).text == "Already handled."
    fake_slack.wait(lambda: containing(fake_slack.posts(SUPPORT_CHANNEL, event["ts"]), "Step 2 of"))
    follow_up(slack, fake_slack, user, SUPPORT_CHANNEL, event["ts"], "repeat that", "Step 2 of")
    posts = fake_slack.posts(SUPPORT_CHANNEL, event["ts"])
    assert len(containing(posts, "Step 2 of")) == 2 and not containing(posts, "Step 3 of")


def test_server_without_slack_variables_starts_with_slack_off(slack_servers):
    """No SLACK_* variables: the server runs (REST answers), Slack's URL says it is off, one log line."""
    off = slack_servers["off"]
    assert not any(var in off.env for var in SLACK_VARS)
    base = f"http://127.0.0.1:{off.rasa_port}"
    replies = requests.post(
        f"{base}/webhooks/rest/webhook",
        json={"sender": "no-slack", "message": "outlook 2007"},
        timeout=30,
    ).json()
    assert any("Step 1 of 9" in r.get("text", "") for r in replies)
    response = requests.post(f"{base}/webhooks/slack/webhook", data=b"{}", timeout=10)
    assert response.status_code == 503 and "not configured" in response.text
    log = (off.log_dir / "rasa.log").read_text(encoding="utf-8", errors="replace")
    lines = [line for line in log.splitlines() if "Slack channel off" in line]
    assert len(lines) == 1
    assert "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET not set" in lines[0]
    on_log = (slack_servers["a"].log_dir / "rasa.log").read_text(encoding="utf-8", errors="replace")
    assert "Slack channel on" in on_log and "Slack channel off" not in on_log
