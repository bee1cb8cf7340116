"""The Chatwoot channel against a fake Chatwoot API that records calls (Chatwoot can't run here).

Webhook payloads follow Chatwoot's documented agent-bot/webhook events (message_created etc.).
"""

import json
import os
import time
import uuid

import pytest
import requests
from fake_chatwoot import FakeChatwoot, message_created
from stackkit import AGENT_TOKEN, CHATWOOT_SECRET, CHATWOOT_TOKEN

from smtpbot.channels.chatwoot import signature_for, verify

ACCOUNT = 7


@pytest.fixture(scope="module")
def chatwoot(stack, bot):
    bot.say(
        "chatwoot-warm-up", "outlook 2013"
    )  # first action call of a fresh action server is slow
    fake = FakeChatwoot().start(int(os.environ["TEST_CHATWOOT_PORT"]))
    yield fake.calls
    fake.stop()


@pytest.fixture(scope="module")
def hook(stack):
    return f"http://127.0.0.1:{stack.rasa_port}/webhooks/chatwoot/webhook"


def event(
    conversation_id,
    content,
    *,
    event="message_created",
    message_type="incoming",
    private=False,
    status="pending",
    message_id=None,
    submitted=None,
):
    """A webhook body shaped like Chatwoot's documented message_created payload."""
    payload = message_created(
        conversation_id,
        content,
        account=ACCOUNT,
        status=status,
        event=event,
        message_type=message_type,
        private=private,
    )
    if message_id:
        payload["id"] = message_id
    if submitted:
        payload["content_attributes"] = {"submitted_values": submitted}
    return payload


def post(
    hook,
    payload,
    *,
    sign=True,
    timestamp=None,
    secret=CHATWOOT_SECRET,
    delivery=None,
    signature=None,
):
    body = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"}
    if sign:
        ts = str(int(timestamp if timestamp is not None else time.time()))
        headers["X-Chatwoot-Timestamp"] = ts
        headers["X-Chatwoot-Signature"] = signature or signature_for(secret, ts, body)
        headers["X-Chatwoot-Delivery"] = delivery or uuid.uuid4().hex
    response = requests.post(hook, data=body, headers=headers, timeout=10)
    return response


def calls_for(calls, conversation_id, count, timeout=30):
    """Wait until the conversation has at least `count` API calls; return them."""
    prefix = f"/api/v1/accounts/{ACCOUNT}/conversations/{conversation_id}/"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        mine = [c for c in calls if c["path"].startswith(prefix)]
        if len(mine) >= count:
            return mine
        time.sleep(0.2)
    return [c for c in calls if c["path"].startswith(prefix)]


def calls_until(calls, conversation_id, done, timeout=30):
    """Wait until `done(the conversation's calls)` holds; return those calls. A wait for what
    must arrive, not for a number of calls: a reply may come in several calls (a hand-back
    toggles the status before the bot answers)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        mine = calls_for(calls, conversation_id, 0, timeout=0)
        if done(mine):
            return mine
        time.sleep(0.2)
    raise AssertionError(f"still waiting, the calls so far: {[c['body'] for c in mine]}")


def shows_step_one(mine):
    """Whether the bot showed the first step of a guide in these calls."""
    return any(content(c).startswith("Step 1 of") for c in mine)


def follow_up(calls, hook, conv, text="thunderbird 115"):
    """Send a message the bot answers in `conv` and wait for its guide step; the conversation's
    calls then. Whatever an earlier webhook of `conv` was going to cause has happened by then,
    so this replaces waiting a fixed time for "nothing happened"."""
    count = len(calls_for(calls, conv, 0, timeout=0))
    post(hook, event(conv, text))
    return calls_until(calls, conv, lambda mine: shows_step_one(mine[count:]))


def content(call):
    """The text of a Chatwoot API call (empty for a status toggle)."""
    return call["body"].get("content") or ""


def new_conversation():
    return uuid.uuid4().int % 10**6 + 1000


def test_signed_message_is_answered_through_the_api(chatwoot, hook):
    conv = new_conversation()
    response = post(hook, event(conv, "I use Outlook 2013"))
    assert response.status_code == 200 and response.json()["status"] == "handle"
    mine = calls_for(chatwoot, conv, 2)
    assert all(c["token"] == CHATWOOT_TOKEN for c in mine)
    assert all(c["path"].endswith("/messages") for c in mine)
    step = [c["body"] for c in mine if c["body"].get("content_type") == "input_select"][0]
    assert step["content"].startswith("Step 1 of 9") and step["private"] is False
    assert [i["value"] for i in step["content_attributes"]["items"]] == [
        "/done",
        "/repeat_step",
        "/go_back",
        "/stuck",
    ]
    # The customer picks "Done" in the widget: Chatwoot sends the chosen item.
    post(hook, event(conv, "Done", submitted=[{"title": "Done", "value": "/done"}]))
    mine = calls_for(chatwoot, conv, len(mine) + 1)
    assert mine[-1]["body"]["content"].startswith("Step 2 of 9")


def test_handoff_toggles_open_with_a_private_note_and_pending_resumes(chatwoot, hook, stack):
    conv = new_conversation()
    post(hook, event(conv, "thunderbird 115"))
    before = len(calls_until(chatwoot, conv, shows_step_one))
    post(hook, event(conv, "I want to talk to a person"))

    def handed_off(mine):  # the status toggle, the agents' note and the customer's message
        new = mine[before:]
        return (
            any(c["path"].endswith("/toggle_status") for c in new)
            and any(c["body"].get("private") is True for c in new)
            and any(c["body"].get("private") is False and "HD-" in content(c) for c in new)
        )

    mine = calls_until(chatwoot, conv, handed_off)
    toggle = [c for c in mine if c["path"].endswith("/toggle_status")]
    assert [c["body"] for c in toggle] == [{"status": "open"}]
    note = [c["body"] for c in mine if c["body"].get("private") is True][0]
    assert "Thunderbird 115" in note["content"] and "HD-" in note["content"]
    reference = note["content"].split("ticket ")[1].split("\n")[0]
    # While an agent has it (status open) the bot does not answer, but the ticket records it.
    count = len(mine)
    response = post(hook, event(conv, "my order number is 1234", status="open"))
    assert response.json()["status"] == "record"
    api = f"http://127.0.0.1:{stack.rasa_port}/webhooks/agents/tickets/{reference}"
    auth = {"Authorization": f"Bearer {AGENT_TOKEN}"}
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        ticket = requests.get(api, headers=auth, timeout=30).json()
        if "my order number is 1234" in [m["text"] for m in ticket["transcript"]]:
            break
        time.sleep(0.3)
    assert "my order number is 1234" in [m["text"] for m in ticket["transcript"]]
    assert ticket["channel"] == "chatwoot"
    # An agent's reply through our API reaches Chatwoot.
    sent = requests.post(api + "/reply", headers=auth, json={"text": "Hello from Sam"}, timeout=30)
    assert sent.status_code == 200 and sent.json()["delivery"] == "sent", sent.text
    mine = calls_until(chatwoot, conv, lambda mine: len(mine) > count)
    assert [content(c) for c in mine[count:]] == ["Hello from Sam"]
    # The agent sets the conversation back to pending: the bot resumes (its hand-back sets the
    # status to pending, then the bot answers the message).
    post(hook, event(conv, "repeat please"))
    mine = calls_until(chatwoot, conv, lambda mine: shows_step_one(mine[count + 1 :]))
    assert mine[count + 1]["body"] == {"status": "pending"}
    assert requests.get(api, headers=auth, timeout=30).json()["status"] == "handed_back"


@pytest.mark.parametrize("kind", ["unsigned", "forged", "wrong_secret", "stale", "tampered"])
def test_untrusted_webhooks_are_refused(chatwoot, hook, kind):
    conv = new_conversation()
    payload = event(conv, "outlook 2007")
    if kind == "unsigned":
        response = post(hook, payload, sign=False)
    elif kind == "forged":
        response = post(hook, payload, signature="sha256=" + "0" * 64)
    elif kind == "wrong_secret":
        response = post(hook, payload, secret="not-the-secret")
    elif kind == "stale":
        response = post(hook, payload, timestamp=time.time() - 3600)
    else:
        ts = str(int(time.time()))
        body = json.dumps(payload).encode()
        signature = signature_for(CHATWOOT_SECRET, ts, body)
        tampered = body.replace(b"outlook 2007", b"outlook 2010")
        response = requests.post(
            hook,
            data=tampered,
            timeout=10,
            headers={
                "Content-Type": "application/json",
                "X-Chatwoot-Timestamp": ts,
                "X-Chatwoot-Signature": signature,
            },
        )
    assert response.status_code == 401
    # A genuine message answered afterwards: every call of the conversation is its reply.
    mine = follow_up(chatwoot, hook, conv)
    assert not [content(c) for c in mine if "Outlook" in content(c)], mine


def test_replayed_and_retried_webhooks_act_once(chatwoot, hook):
    conv = new_conversation()
    payload = event(conv, "outlook 2007", message_id=987654)
    body = json.dumps(payload).encode()
    ts = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "X-Chatwoot-Timestamp": ts,
        "X-Chatwoot-Signature": signature_for(CHATWOOT_SECRET, ts, body),
        "X-Chatwoot-Delivery": "d-1",
    }
    assert requests.post(hook, data=body, headers=headers, timeout=10).json()["status"] == "handle"
    replay = requests.post(hook, data=body, headers=headers, timeout=10)
    assert replay.status_code == 200 and replay.json()["status"] == "duplicate"
    retry = post(hook, payload)  # Chatwoot's retry: new delivery, same message
    assert retry.json()["status"] == "duplicate"
    first = calls_for(chatwoot, conv, 2)
    assert content(first[-1]).startswith("Step 1 of 9"), first
    # A follow-up's reply comes right after the first answer: nothing answered the copies.
    mine = follow_up(chatwoot, hook, conv, "repeat please")
    after = [content(c) for c in mine[len(first) :]]
    assert after and after[0].startswith("Step 1 of 9"), after
    assert [content(c) for c in mine[: len(first)]] == [content(c) for c in first]


@pytest.mark.parametrize(
    "name, changes",
    [
        ("message_created outgoing", {"message_type": "outgoing"}),
        ("message_created template", {"message_type": "template"}),
        ("message_created private", {"private": True}),
        ("message_created status open", {"conversation_status": "open"}),
        ("message_created status resolved", {"conversation_status": "resolved"}),
        ("message_updated", {"event": "message_updated"}),
        ("conversation_created", {"event": "conversation_created"}),
        ("conversation_status_changed", {"event": "conversation_status_changed"}),
        ("conversation_updated", {"event": "conversation_updated"}),
        ("conversation_opened", {"event": "conversation_opened"}),
        ("conversation_resolved", {"event": "conversation_resolved"}),
        ("webwidget_triggered", {"event": "webwidget_triggered"}),
        ("conversation_typing_on", {"event": "conversation_typing_on"}),
    ],
)
def test_only_pending_incoming_public_messages_are_acted_on(chatwoot, hook, name, changes):
    conv = new_conversation()
    status = changes.pop("conversation_status", "pending")
    payload = event(conv, "outlook 2007", status=status, **changes)
    response = post(hook, payload)
    assert response.status_code == 200 and response.json()["status"] in ("ignored", "record")
    # A message the bot does answer, sent afterwards: the only calls are its replies.
    mine = follow_up(chatwoot, hook, conv)
    assert not [content(c) for c in mine if "Outlook" in content(c)], mine


def test_bad_bodies_get_a_clear_answer(hook, chatwoot):
    for body in (b"not json", b"[1, 2]"):
        ts = str(int(time.time()))
        response = requests.post(
            hook,
            data=body,
            timeout=10,
            headers={
                "X-Chatwoot-Timestamp": ts,
                "X-Chatwoot-Signature": signature_for(CHATWOOT_SECRET, ts, body),
            },
        )
        assert response.status_code == 400


def test_without_a_secret_nothing_is_trusted_unless_unsigned_is_allowed():
    """Finding 7 of issue 14: the webhook failed open when CHATWOOT_WEBHOOK_SECRET was unset."""
    assert verify("", {}, b"{}") == "webhook secret not configured"
    assert verify(None, {}, b"{}") == "webhook secret not configured"
    assert verify("", {}, b"{}", unsigned_ok=True) is None
    assert verify("s", {}, b"{}") == "unsigned"
