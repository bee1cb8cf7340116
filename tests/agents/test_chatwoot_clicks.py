"""A click on a Chatwoot choice button, as Chatwoot really delivers it (contract tests).

Chatwoot's widget does not create a message when the customer picks an item of an
`input_select` message: it stores `submitted_values` on the bot's own outgoing message, and
`AgentBotListener#message_updated` (chatwoot/chatwoot app/listeners/agent_bot_listener.rb)
POSTs that message's `webhook_data` merged with `event: "message_updated"` to the agent bot.
Chatwoot's own bot integration (lib/integrations/bot_processor_service.rb) acts on it only for
outgoing `input_select` messages of a pending conversation and reads
`content_attributes.submitted_values.first.value`. The payloads below follow
`Message#webhook_data` (app/models/message.rb: account, additional_attributes,
content_attributes, content_type, content, conversation, created_at, id, inbox, message_type,
private, sender, source_id) with the sender an `AgentBot#webhook_data` (app/models/agent_bot.rb:
id, name, type "agent_bot") for the bot's messages and a `User#webhook_data` (type "user") for
an agent's.
"""

import time

import pytest
from test_chatwoot import ACCOUNT, chatwoot, event, hook, new_conversation, post

__all__ = ["chatwoot", "hook"]  # fixtures used by the tests below

BOT = {"id": 3, "name": "Mail setup bot", "type": "agent_bot"}
AGENT = {"id": 1, "name": "Sam", "email": "sam@example.com", "type": "user"}


def sent_messages(calls, conv):
    """The conversation's outgoing public messages as Chatwoot stored them, with their ids (the
    fake API answers each call with id = its position in the call log)."""
    prefix = f"/api/v1/accounts/{ACCOUNT}/conversations/{conv}/messages"
    return [
        {**c["body"], "id": calls.index(c) + 1}
        for c in list(calls)
        if c["path"] == prefix and c["body"].get("private") is False
    ]


def updated(conv, message, choice, *, sender=BOT, status="pending", **changes):
    """Chatwoot's `message_updated` webhook after the customer picked `choice` (a title)."""
    items = message["content_attributes"]["items"]
    picked = [item for item in items if item["title"] == choice] or [
        {"title": choice, "value": choice}
    ]
    payload = event(conv, message["content"], event="message_updated", status=status)
    payload.update(
        {
            "id": message["id"],
            "message_type": "outgoing",
            "content_type": message.get("content_type", "text"),
            "additional_attributes": {},
            "content_attributes": {"items": items, "submitted_values": picked[:1]},
            "sender": sender,
        }
    )
    payload.update(changes)
    return payload


def step_message(calls, conv, number):
    """The bot's (latest) input_select message showing step `number`."""
    for message in reversed(sent_messages(calls, conv)):
        if message.get("content_type") == "input_select" and message["content"].startswith(
            f"Step {number} of"
        ):
            return message
    raise AssertionError(f"no step {number} in {sent_messages(calls, conv)}")


def steps_shown(calls, conv):
    """The steps the bot has shown, in order ("Step 2 of 9", ...)."""
    return [
        m["content"].split(":")[0]
        for m in sent_messages(calls, conv)
        if m["content"].startswith("Step ")
    ]


def wait_for_steps(calls, conv, count, timeout=20):
    """Wait until the bot has shown `count` steps; return them."""
    deadline = time.monotonic() + timeout
    while len(steps_shown(calls, conv)) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return steps_shown(calls, conv)


def start_guide(calls, hook):
    conv = new_conversation()
    post(hook, event(conv, "I use Outlook 2013"))
    assert wait_for_steps(calls, conv, 1) == ["Step 1 of 9"]
    return conv


def test_a_click_on_the_bots_button_is_the_customers_answer_once(chatwoot, hook):
    conv = start_guide(chatwoot, hook)
    step1 = step_message(chatwoot, conv, 1)
    click = updated(conv, step1, "Done")
    response = post(hook, click)
    assert response.status_code == 200 and response.json()["status"] == "handle"
    assert wait_for_steps(chatwoot, conv, 2) == ["Step 1 of 9", "Step 2 of 9"]
    # Chatwoot's retry (a new delivery of the same update) and a later update of the same
    # message (e.g. its status set to "read") are not a second click.
    assert post(hook, click).json()["status"] == "duplicate"
    assert post(hook, {**click, "status": "read"}).json()["status"] == "duplicate"
    # The next click, on step 2's message, moves on by exactly one step.
    response = post(hook, updated(conv, step_message(chatwoot, conv, 2), "Done"))
    assert response.json()["status"] == "handle"
    assert wait_for_steps(chatwoot, conv, 3)[2:] == ["Step 3 of 9"]
    # Then the customer types "repeat" (after the step came, as a person would: two webhooks a
    # millisecond apart are handled concurrently): the third step again, nothing else came.
    post(hook, event(conv, "repeat please"))
    shown = wait_for_steps(chatwoot, conv, 4)
    assert shown == ["Step 1 of 9", "Step 2 of 9", "Step 3 of 9", "Step 3 of 9"]


@pytest.mark.parametrize(
    "name",
    [
        "an agent's input_select",
        "a value the message did not offer",
        "conversation open (an agent has it)",
        "conversation resolved",
        "private note",
        "plain text message of the bot",
        "the customer's own message edited",
        "no submitted values",
    ],
)
def test_other_message_updates_are_ignored(chatwoot, hook, name):
    conv = start_guide(chatwoot, hook)
    step1 = step_message(chatwoot, conv, 1)
    payload = {
        "an agent's input_select": lambda: updated(conv, step1, "Done", sender=AGENT),
        "a value the message did not offer": lambda: updated(conv, step1, "/stuck{}"),
        "conversation open (an agent has it)": lambda: updated(conv, step1, "Done", status="open"),
        "conversation resolved": lambda: updated(conv, step1, "Done", status="resolved"),
        "private note": lambda: updated(conv, step1, "Done", private=True),
        "plain text message of the bot": lambda: updated(conv, step1, "Done", content_type="text"),
        "the customer's own message edited": lambda: updated(
            conv, step1, "Done", message_type="incoming", sender={"id": 14, "type": "contact"}
        ),
        "no submitted values": lambda: {
            **updated(conv, step1, "Done"),
            "content_attributes": {"items": step1["content_attributes"]["items"]},
        },
    }[name]()
    response = post(hook, payload)
    assert response.status_code == 200 and response.json()["status"] == "ignored"
    # Nothing happened: the customer's next message, "repeat", repeats step 1.
    post(hook, event(conv, "repeat please"))
    assert wait_for_steps(chatwoot, conv, 2) == ["Step 1 of 9", "Step 1 of 9"]
