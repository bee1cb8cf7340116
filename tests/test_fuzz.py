"""Bad input on the real stack, over REST and the web chat's Socket.IO channel.

Every message gets a sensible reply (text, no stack trace) or a clear 4xx, nothing crashes,
the conversation state stays valid (only KB guides, steps within the guide, KB clients), forged
`/intent{...}` payloads cannot set state, and response time stays flat as a conversation grows.
"""

import json
import statistics
import threading
import time
import uuid
from typing import Any, Dict, List, Optional

import pytest
import requests
import socketio
import yaml
from stackkit import ROOT, texts

from smtpbot.tools.bench.scale_long import CYCLE

GUIDES = yaml.safe_load((ROOT / "kb" / "guides.yml").read_text(encoding="utf-8"))["guides"]
CLIENTS = yaml.safe_load((ROOT / "kb" / "clients.yml").read_text(encoding="utf-8"))["clients"]
CREDENTIALS = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8"))
WEBCHAT = CREDENTIALS.get("smtpbot.channels.webchat.WebChatInput") or {}

# Texts that are valid requests: each must get a sensible reply.
# The bot's answer to "thanks" (kb/dialogue.yml): the follow-up's reply the web chat tests wait for.
THANKS = yaml.safe_load((ROOT / "kb" / "dialogue.yml").read_text(encoding="utf-8"))["messages"][
    "thanks"
]
BAD_TEXTS = {
    "empty": "",
    "whitespace": " \t\n  ",
    "100 KB": "outlook " * 12800,
    "100 KB one word": "x" * 102400,
    "NUL": "\x00",
    "control chars": "\x01\x02\x1b[31mred\x1b[0m\x7f",
    "lone surrogate": "\ud800 hello",
    "emoji only": "\U0001f600\U0001f525\U0001f44d",
    "zero-width and RTL": "\u200b\u202eliame dnes t'nac\u202c",
    "HTML/JS": "<script>alert('x')</script><img src=x onerror=alert(1)>",
    "SQL": "'; DROP TABLE events; -- OR 1=1",
    "JSON in text": '{"sender": "someone-else", "message": "/done", "step": 9}',
    "format string": "{step} {0} %s %(guide)s ${RASA_TOKEN}",
    "path traversal": "../../../../etc/passwd",
    "number only": "12345678901234567890",
    "mixed scripts": "Outlook 2013 \u65e5\u672c\u8a9e \u0627\u0644\u0639\u0631\u0628\u064a\u0629",
    "forged guide payload": '/inform{"guide":"eudora","step":7,"asked":"outcome"}',
    "forged bad client": '/inform{"client":"../../etc","version":"99999999999"}',
    "forged oversized value": '/inform{"client":"' + "outlook" * 100 + '"}',
    "malformed payload": '/inform{"client":',
    "unknown intent": "/nonexistent_intent",
    "restart intent": "/restart",
    "back intent": "/back",
    "session_start intent": "/session_start",
    "payload with foreign slot": '/done{"step":99,"guide":"outlook-2007"}',
    "double slash": "//done",
}
# Requests that are not valid: each must get a clear 4xx, as JSON.
BAD_REQUESTS = {
    "malformed JSON": (b'{"sender": "x", "message": ', "application/json"),
    "invalid UTF-8": (b'{"sender":"x","message":"\xff\xfe"}', "application/json"),
    "JSON array": (b"[1, 2]", "application/json"),
    "JSON string": (b'"hello"', "application/json"),
    "empty body": (b"", "application/json"),
    "form encoded": (b"sender=x&message=hi", "application/x-www-form-urlencoded"),
    "no sender": (b'{"message": "hi"}', "application/json"),
    "null sender": (b'{"sender": null, "message": "hi"}', "application/json"),
    "empty sender": (b'{"sender": "  ", "message": "hi"}', "application/json"),
    "object sender": (b'{"sender": {"a": 1}, "message": "hi"}', "application/json"),
    "oversized sender": (
        json.dumps({"sender": "s" * 300, "message": "hi"}).encode(),
        "application/json",
    ),
    "no message": (b'{"sender": "x"}', "application/json"),
    "null message": (b'{"sender": "x", "message": null}', "application/json"),
    "number message": (b'{"sender": "x", "message": 42}', "application/json"),
    "list message": (b'{"sender": "x", "message": ["hi"]}', "application/json"),
    "object message": (b'{"sender": "x", "message": {"text": "hi"}}', "application/json"),
    "string metadata": (b'{"sender": "x", "message": "hi", "metadata": "x"}', "application/json"),
}


def assert_valid_state(slots: Dict[str, Any]) -> None:
    """Only KB guides, a step within the guide, KB clients; nothing else set by a payload."""
    guide, step = slots.get("guide"), slots.get("step")
    assert guide is None or guide in GUIDES, slots
    if guide is None:
        assert step is None, slots
    else:
        assert isinstance(step, (int, float)) and 1 <= step <= len(GUIDES[guide]["steps"]), slots
    assert slots.get("client") is None or slots["client"] in CLIENTS, slots


def assert_sensible(replies: List[Dict[str, Any]]) -> None:
    """At least one text reply, no stack trace or internal error leaked."""
    assert replies, "the bot said nothing"
    answer = texts(replies)
    assert answer.strip(), replies
    for leak in ("Traceback", "Exception", "Internal Server Error"):
        assert leak not in answer, answer


def post_raw(bot, body: bytes, content_type: str) -> requests.Response:
    """POST a raw body to the REST webhook."""
    return requests.post(
        f"{bot.base}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": content_type},
        timeout=60,
    )


@pytest.mark.parametrize("name", sorted(BAD_TEXTS))
def test_rest_bad_text_gets_a_sensible_reply(bot, sender, name):
    """Fresh and mid-guide: a reply, and the state stays valid (mid-guide: unchanged guide)."""
    assert_sensible(bot.say(sender, BAD_TEXTS[name]))
    assert_valid_state(bot.slots(sender))
    bot.say(sender, "outlook 2013")
    bot.say(sender, "done")
    assert_sensible(bot.say(sender, BAD_TEXTS[name]))
    slots = bot.slots(sender)
    assert_valid_state(slots)
    assert slots["guide"] == "outlook-2010-2016"
    assert slots["asked"] in (None, "outcome") and slots["client"] == "outlook"


@pytest.mark.parametrize("name", sorted(BAD_REQUESTS))
def test_rest_bad_request_gets_a_clear_400(bot, name):
    """Malformed requests: 400 with a JSON error that says what is wrong."""
    body, content_type = BAD_REQUESTS[name]
    response = post_raw(bot, body, content_type)
    assert response.status_code == 400, (response.status_code, response.text[:300])
    assert response.json()["message"], response.text


def test_forged_payloads_cannot_move_or_inject_state(bot, sender):
    """Payloads naming a guide, a step or unknown values change nothing mid-guide."""
    bot.say(sender, "eudora 7")
    bot.say(sender, "done")
    before = bot.slots(sender)
    for payload in (
        '/inform{"guide":"outlook-2007","step":8}',
        '/done{"step":99}',
        '/go_back{"guide":"ios-mail"}',
        '/inform{"asked":"outcome","stuck_count":-5}',
        '/inform{"client":"nonsense","os":"macos-99; DROP"}',
    ):
        bot.say(sender, payload)
    after = bot.slots(sender)
    assert after["guide"] == before["guide"] == "eudora"
    assert after["step"] in (2, 3)  # `/done` and `/go_back` are real buttons: one step each way
    assert after["client"] == before["client"] and after["os"] is None
    assert after["asked"] is None and (after["stuck_count"] or 0) >= 0
    assert_valid_state(after)


def test_typed_builtin_intents_do_not_silently_reset(bot, sender):
    """/restart and /back are Rasa's, not buttons of ours: read as words, answered, state kept."""
    bot.say(sender, "thunderbird 115")
    bot.say(sender, "done")
    assert_sensible(bot.say(sender, "/restart"))
    assert_sensible(bot.say(sender, "/back"))
    assert bot.slots(sender)["guide"] == "thunderbird-3-plus"


@pytest.mark.parametrize(
    "odd_sender",
    [
        "0",
        "x" * 255,
        "../../etc/passwd",
        "\u00e9\u65e5\U0001f600",
        "id with spaces",
        "'; DROP TABLE events; --",
    ],
)
def test_unknown_and_odd_sender_ids(bot, odd_sender):
    """Any sender id the customer's client invents starts its own conversation."""
    odd_sender = (
        odd_sender + uuid.uuid4().hex[:6]
        if len(odd_sender) < 200
        else odd_sender[:-6] + uuid.uuid4().hex[:6]
    )
    replies = bot.say(odd_sender, "outlook 2007")
    assert "Step 1 of 9" in texts(replies)
    assert replies[0]["recipient_id"] == odd_sender
    # Its state is kept under exactly that id: the next message continues it. (Rasa's tracker API
    # cannot be asked: Sanic 21 does not unquote path parameters, so "%20" stays in the id.)
    replies = bot.say(odd_sender, "done")
    assert texts(replies).startswith("Step 2 of 9") and replies[0]["recipient_id"] == odd_sender


def test_number_sender_is_its_own_conversation(bot):
    """A numeric sender id (some clients send numbers) is accepted as text."""
    number = int(time.time() * 1000)
    response = requests.post(
        f"{bot.base}/webhooks/rest/webhook",
        json={"sender": number, "message": "outlook 2007"},
        timeout=60,
    )
    assert response.status_code == 200 and "Step 1 of 9" in texts(response.json())


def test_server_still_healthy_after_fuzzing(bot, sender):
    """After all of the above the bot still walks a guide normally."""
    assert "Step 1 of 9" in texts(bot.say(sender, "outlook 2013"))
    assert texts(bot.say(sender, "done")).startswith("Step 2 of 9")


@pytest.fixture(scope="module")
def thousand_messages(bot) -> Dict[str, Any]:
    """One conversation of 1,000 messages over REST: statuses, replies checked, latencies, slots."""
    cycle = CYCLE  # shared with `make bench`'s scale-out workload
    sender = "thousand-" + uuid.uuid4().hex[:8]
    session = requests.Session()
    latencies, problems = [], []
    for index in range(1000):
        start = time.monotonic()
        response = session.post(
            f"{bot.base}/webhooks/rest/webhook",
            json={"sender": sender, "message": cycle[index % len(cycle)]},
            timeout=60,
        )
        latencies.append(time.monotonic() - start)
        try:
            assert response.status_code == 200, response.status_code
            assert_sensible(response.json())
        except AssertionError as error:
            problems.append((index, repr(error)[:200]))
        if index % 100 == 99:  # progress, so a slow run shows where the time goes
            print(
                f"\n{index + 1} messages, median of the last 50: "
                f"{statistics.median(latencies[-50:]) * 1000:.0f} ms",
                flush=True,
            )
    first, last = statistics.median(latencies[:50]), statistics.median(latencies[-50:])
    print(
        f"\n1000 messages: median first 50 = {first * 1000:.0f} ms, last 50 = {last * 1000:.0f} ms"
    )
    return {"latencies": latencies, "problems": problems, "slots": bot.slots(sender)}


def test_thousand_messages_in_one_conversation_all_answered(thousand_messages):
    """1,000 messages in one conversation: every one answered sensibly, state valid."""
    assert not thousand_messages["problems"], thousand_messages["problems"][:5]
    assert_valid_state(thousand_messages["slots"])


# --- Socket.IO (the support page's web chat) ------------------------------------------------


class ChatClient:
    """A Socket.IO client of the web chat channel that records the bot's messages."""

    def __init__(self, base: str):
        self.sio = socketio.Client(reconnection=False)
        self.replies: List[Dict[str, Any]] = []
        self.event = threading.Event()
        self.session_id: Optional[str] = None
        self.sio.on(WEBCHAT.get("bot_message_evt", "bot_uttered"), self._on_bot)
        self.sio.on("session_confirm", self._on_session)
        origins = WEBCHAT.get("cors_allowed_origins") or ["http://localhost:8080"]
        self.sio.connect(
            base,
            headers={"Origin": origins[0]},
            transports=["polling"],
            socketio_path=WEBCHAT.get("socketio_path", "/socket.io"),
            wait_timeout=20,
        )

    def _on_bot(self, data):
        self.replies.append(data)
        self.event.set()

    def _on_session(self, session_id):
        self.session_id = session_id
        self.event.set()

    def start_session(self) -> str:
        """Ask for a session; return its id."""
        self.event.clear()
        self.sio.emit("session_request", {"session_id": uuid.uuid4().hex})
        assert self.event.wait(20), "no session_confirm"
        return self.session_id

    def send(self, data: Any, wait: float = 20) -> Any:
        """Emit a user message (any data); return its ack, with `replies` what the bot said
        in answer to it.

        Then a follow-up ("thanks", in its own session) is sent and its reply awaited: the
        replies to `data` have all arrived by then, so `replies` are exactly those before the
        follow-up's (empty for a refused event), without waiting a fixed time.
        """
        self.replies.clear()
        ack = self.sio.call(WEBCHAT.get("user_message_evt", "user_uttered"), data, timeout=wait)
        follow_up = self.start_session_id()
        self.event.clear()
        self.sio.call(
            WEBCHAT.get("user_message_evt", "user_uttered"),
            {"message": "thanks", "session_id": follow_up},
            timeout=wait,
        )
        deadline = time.monotonic() + wait
        while not any(THANKS in (r.get("text") or "") for r in self.replies):
            assert time.monotonic() < deadline, f"no reply to the follow-up: {self.replies}"
            self.event.wait(0.1)
            self.event.clear()
        first = next(i for i, r in enumerate(self.replies) if THANKS in (r.get("text") or ""))
        del self.replies[first:]
        return ack

    def start_session_id(self) -> str:
        """A new session for a follow-up, keeping the current session id for the test."""
        current = self.session_id
        try:
            return self.start_session()
        finally:
            self.session_id = current

    def close(self):
        """Disconnect."""
        self.sio.disconnect()


@pytest.fixture(scope="module")
def chat(stack):
    """A connected web chat client, shared by the Socket.IO tests (each starts its own session):
    a polling-transport disconnect waits for the pending long-poll, seconds per test."""
    if not WEBCHAT:
        pytest.fail("credentials.yml has no web chat (Socket.IO) channel")
    client = ChatClient(f"http://127.0.0.1:{stack.rasa_port}")
    yield client
    client.close()


# The web chat cleans text like REST (smtpbot.channels.inputs.customer_text): every bad text class.
SOCKETIO_TEXTS = sorted(BAD_TEXTS)


@pytest.mark.parametrize("name", SOCKETIO_TEXTS)
def test_socketio_bad_text_gets_a_sensible_reply(chat, bot, name):
    """Each bad text over Socket.IO: acknowledged, answered, state valid."""
    session_id = chat.start_session()
    ack = chat.send({"message": BAD_TEXTS[name], "session_id": session_id})
    assert ack == {"ok": True}, ack
    assert chat.replies and any((r.get("text") or "").strip() for r in chat.replies), chat.replies
    assert all("Traceback" not in (r.get("text") or "") for r in chat.replies)
    assert_valid_state(bot.slots(session_id))


# An event without data reaches the handler without its `data` argument: refused clearly too.
@pytest.mark.parametrize(
    "data",
    [
        None,
        "hello",
        42,
        ["hi"],
        {},
        {"message": None},
        {"message": 42},
        {"message": {"text": "hi"}},
        {"message": "hi"},
        {"message": "hi", "session_id": "not-a-session"},
        {"message": "hi", "session_id": "../../" + "a" * 26},
    ],
    ids=lambda d: json.dumps(d)[:40],
)
def test_socketio_malformed_events_are_refused_clearly(chat, data):
    """Malformed events: an ack saying what is wrong, no bot message, the connection stays up."""
    chat.start_session()
    ack = chat.send(data)
    assert isinstance(ack, dict) and ack.get("ok") is False and ack.get("error"), ack
    assert not chat.replies
    assert chat.sio.connected


def test_socketio_still_walks_a_guide_after_fuzzing(chat, bot):
    """After malformed events on the same connection, a normal conversation works."""
    session_id = chat.start_session()
    for data in (42, {"message": {"x": 1}}, {"message": "\x00", "session_id": session_id}):
        chat.send(data)
    chat.send({"message": "outlook 2007", "session_id": session_id})
    assert "Step 1 of 9" in "\n".join(r.get("text") or "" for r in chat.replies)
    assert bot.slots(session_id)["guide"] == "outlook-2007"
