"""REST `?stream=true`, tested with Rasa's own terminal client code against the running bot.

`rasa shell` posts each message to /webhooks/rest/webhook?stream=true and reads one JSON
object per line (rasa/core/channels/console.py `_send_message_receive_stream`), as Rasa's
`RestInput` streams (rasa/core/channels/rest.py `stream_response`).
"""

import asyncio

import requests
from rasa.core.channels.console import _send_message_receive_stream, send_message_receive_block
from stackkit import TOKEN


def shell_says(stack, sender, text):
    """What `rasa shell` receives for one message: the streamed objects, in order."""

    async def receive():
        url = f"http://127.0.0.1:{stack.rasa_port}"
        return [reply async for reply in _send_message_receive_stream(url, TOKEN, sender, text)]

    return asyncio.run(receive())


def test_rasa_shells_streaming_client_gets_each_reply(stack, bot, sender):
    replies = shell_says(stack, sender, "I use Outlook 2013")
    assert [type(r) for r in replies] == [dict, dict]
    assert replies[0]["text"].startswith("Got it: Outlook 2013")
    assert replies[1]["text"].startswith("Step 1 of 9")
    assert [b["payload"] for b in replies[1]["buttons"]] == [
        "/done",
        "/repeat_step",
        "/go_back",
        "/stuck",
    ]
    assert all(r["recipient_id"] == sender for r in replies)
    # The same conversation continues in the streamed and the plain form alike.
    assert shell_says(stack, sender, "done")[0]["text"].startswith("Step 2 of 9")
    plain = asyncio.run(
        send_message_receive_block(f"http://127.0.0.1:{stack.rasa_port}", TOKEN, sender, "done")
    )
    assert plain[0]["text"].startswith("Step 3 of 9")
    assert bot.slots(sender)["step"] == 3


def test_stream_is_one_json_object_per_line(stack, sender):
    response = requests.post(
        f"http://127.0.0.1:{stack.rasa_port}/webhooks/rest/webhook?stream=true",
        json={"sender": sender, "message": "thunderbird 115"},
        timeout=30,
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/event-stream")
    lines = response.text.splitlines()
    assert len(lines) == 2 and all(line.startswith("{") for line in lines)
    # A malformed request is still a clear 400, not a stream.
    bad = requests.post(
        f"http://127.0.0.1:{stack.rasa_port}/webhooks/rest/webhook?stream=true",
        json={"sender": sender},
        timeout=30,
    )
    assert bad.status_code == 400 and bad.json()["error"] == "bad_request"
