"""/metrics of the Rasa server and the action server, scraped after real conversations.

Its own stack (the counts are exact, so no other test may talk to it): REST conversations, a
hand-off, a "having trouble" reply (the database locked, then the action server stopped),
refused Slack and Chatwoot webhooks. Both listeners are on loopback only.
"""

import json
import os
import signal
import sqlite3
import time
import uuid

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families
from stackkit import ROOT, free_port, handoff_env, make_stack

from smtpbot.channels.chatwoot import signature_for


@pytest.fixture(scope="module")
def own(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("metrics")
    env = handoff_env(tmp)
    env.update(
        {
            "SMTPBOT_TICKETS_DB": f"sqlite:///{tmp / 'tickets.db'}",
            "SLACK_BOT_TOKEN": "xoxb-metrics-test",
            "SLACK_SIGNING_SECRET": uuid.uuid4().hex,
            "SLACK_DEDUP_DB": str(tmp / "slack.db"),
            "SLACK_API_URL": f"http://127.0.0.1:{free_port()}/api/",
        }
    )
    for log in (ROOT / "test-artifacts" / "logs" / "metrics").glob("*.log"):
        log.unlink()
    stack = make_stack(tmp, log_name="metrics", env=env)
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


def scrape(port):
    """{(name, labels as a sorted tuple): value} of one /metrics page."""
    text = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def say(stack, sender, text):
    url = f"http://127.0.0.1:{stack.rasa_port}/webhooks/rest/webhook"
    response = requests.post(url, json={"sender": sender, "message": text}, timeout=30)
    response.raise_for_status()
    return response.json()


def test_metrics_listen_on_loopback_only(own):
    """From /proc/net/tcp: both listeners are bound to 127.0.0.1 (runs first: the next test
    stops the action server)."""
    listening = set()
    for line in open("/proc/net/tcp").read().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        if state == "0A":  # LISTEN
            address, port = local.split(":")
            listening.add((address, int(port, 16)))
    for name in ("SMTPBOT_METRICS_PORT", "SMTPBOT_ACTIONS_METRICS_PORT"):
        port = int(own.env[name])
        assert ("0100007F", port) in listening, name  # 127.0.0.1, little-endian hex
        assert not any(p == port and a != "0100007F" for a, p in listening)


def test_counts_after_real_conversations(own):
    rasa_port = int(own.env["SMTPBOT_METRICS_PORT"])
    actions_port = int(own.env["SMTPBOT_ACTIONS_METRICS_PORT"])
    before = scrape(rasa_port)
    assert value(before, "smtpbot_messages_in_total", channel="rest") == 0

    replies = []
    walker, asker = "metrics-" + uuid.uuid4().hex[:8], "metrics-" + uuid.uuid4().hex[:8]
    replies += say(own, walker, "I use Outlook 2013")
    replies += say(own, walker, "done")
    replies += say(own, asker, "thunderbird 115")
    replies += say(own, asker, "I want to talk to a person")
    assert any("HD-" in (r.get("text") or "") for r in replies)

    # Refused webhooks: Chatwoot unsigned and forged, Slack unsigned.
    chatwoot = f"http://127.0.0.1:{own.rasa_port}/webhooks/chatwoot/webhook"
    body = json.dumps({"event": "message_created"}).encode()
    assert requests.post(chatwoot, data=body, timeout=10).status_code == 401
    ts = str(int(time.time()))
    forged = {"X-Chatwoot-Timestamp": ts, "X-Chatwoot-Signature": signature_for("x", ts, body)}
    assert requests.post(chatwoot, data=body, headers=forged, timeout=10).status_code == 401
    slack = f"http://127.0.0.1:{own.rasa_port}/webhooks/slack/webhook"
    assert requests.post(slack, json={"type": "event_callback"}, timeout=10).status_code == 401

    actions = scrape(actions_port)
    assert value(actions, "smtpbot_handoffs_total", reason="asked") == 1
    assert value(actions, "smtpbot_tickets_open") == 1

    # "Having trouble": the tracker database locked (the REST channel answers it) ...
    lock = sqlite3.connect(own.db, timeout=0)
    lock.execute("BEGIN EXCLUSIVE")
    try:
        trouble = say(own, walker, "done")
    finally:
        lock.rollback()
        lock.close()
    # ... and the action server gone (the action-call guard answers it).
    actions_proc = own.procs[0]
    os.killpg(actions_proc.pid, signal.SIGTERM)
    actions_proc.wait(timeout=30)
    trouble += say(own, walker, "done")
    assert len(trouble) == 2 and all("having trouble" in r["text"] for r in trouble), trouble

    after = scrape(rasa_port)
    assert value(after, "smtpbot_messages_in_total", channel="rest") == 6
    # Out: every bot message given to the channel: the replies above, the step built before the
    # locked save failed (which the REST channel replaced by its trouble text, counted below)
    # and the action-call guard's trouble reply.
    assert value(after, "smtpbot_messages_out_total", channel="rest") == len(replies) + 2
    assert value(after, "smtpbot_turn_seconds_count", channel="rest") == 6
    assert value(after, "smtpbot_trouble_replies_total", channel="rest") == 2
    failed_attempts = (
        (ROOT / "test-artifacts" / "logs" / "metrics" / "rasa.log")
        .read_text()
        .count("Action server call failed (attempt")
    )
    assert failed_attempts >= 1
    assert value(after, "smtpbot_action_call_errors_total", cause="error") == failed_attempts
    assert value(after, "smtpbot_action_call_seconds_count") >= 4 + failed_attempts
    assert value(after, "smtpbot_webhooks_refused_total", channel="chatwoot", cause="unsigned") == 1
    assert (
        value(after, "smtpbot_webhooks_refused_total", channel="chatwoot", cause="bad_signature")
        == 1
    )
    assert (
        value(after, "smtpbot_webhooks_refused_total", channel="slack", cause="bad_signature") == 1
    )
    assert value(after, "smtpbot_tracker_store_retries_total", operation="read") == 0
