"""The abuse suite: every public endpoint gets what an attacker would send, answers it clearly
(a 4xx, or a normal reply to the cleaned text; never a 5xx), and afterwards every server is still
up and the next customer of every channel is served correctly.

Endpoints: REST, Socket.IO (web chat), Slack, Chatwoot, the agents' API and the page server, on
the all-channels stack (tests/channels/conftest.py). Attacks: malformed encodings (lone
surrogates, overlong UTF-8, NUL, control characters), oversized bodies, forged ids and ids of
another channel's conversations.
"""

import json
import urllib.parse
import uuid
from typing import Any, Callable, Dict, List

import pytest
import requests
import socketio
from allchannels import AGENT_TOKEN, CHATWOOT_SECRET, SLACK_SECRET
from customers import ChatwootCustomer, RestCustomer, SlackCustomer, wait
from fake_chatwoot import message_created, post_signed
from slack_events import sign

LONE_SURROGATE = "\ud800"
CONTROL = "\x00\x1b\x07\x08\x7f\x9b"
OVERLONG_SLASH = b"\xc0\xaf"  # "/" in two bytes: not UTF-8
ENCODED_SURROGATE = b"\xed\xa0\x80"  # U+D800 encoded: not UTF-8 either
BIG = "outlook 2007 " + "x" * 3_000_000
FORGED_IDS = ["chatwoot-7-1", "D0ABCDEF12", "C0SUPPORT:1700000000.000100", "ab" * 16]


def json_bytes(data: Any) -> bytes:
    """JSON as Python writes it: lone surrogates become \\ud800 escapes (valid JSON text)."""
    return json.dumps(data).encode()


# -- REST ----------------------------------------------------------------------------------------


def rest(everything, body: bytes) -> requests.Response:
    return requests.post(
        f"{everything.base}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=60,
    )


def fresh() -> str:
    return "abuse-" + uuid.uuid4().hex[:10]


REST_REFUSED: Dict[str, Callable[[], bytes]] = {
    "sender lone surrogate": lambda: json_bytes({"sender": LONE_SURROGATE, "message": "hi"}),
    "sender control characters": lambda: json_bytes({"sender": "a\x1b[2J\n", "message": "hi"}),
    "sender NUL": lambda: json_bytes({"sender": "a\x00b", "message": "hi"}),
    "metadata lone surrogate": lambda: json_bytes(
        {"sender": fresh(), "message": "hi", "metadata": {"x": LONE_SURROGATE}}
    ),
    "metadata oversized": lambda: json_bytes(
        {"sender": fresh(), "message": "hi", "metadata": {"x": "y" * 100_000}}
    ),
    "overlong UTF-8": lambda: b'{"sender": "s", "message": "' + OVERLONG_SLASH + b'"}',
    "encoded surrogate bytes": lambda: b'{"sender": "' + ENCODED_SURROGATE + b'", "message": "x"}',
    **{
        f"sender of another channel {forged}": (
            lambda forged=forged: json_bytes({"sender": forged, "message": "outlook 2007"})
        )
        for forged in FORGED_IDS
    },
}


@pytest.mark.parametrize("name", sorted(REST_REFUSED))
def test_rest_refuses_what_it_cannot_store(channels, name):
    response = rest(channels, REST_REFUSED[name]())
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "bad_request" and response.json()["message"]


@pytest.mark.parametrize(
    "text",
    [LONE_SURROGATE + "outlook 2007", "out" + CONTROL + "look 2007", BIG],
    ids=str.__len__,
)
def test_rest_answers_cleaned_text(channels, text):
    response = rest(channels, json_bytes({"sender": fresh(), "message": text}))
    assert response.status_code == 200, response.text[:200]
    assert "Step 1 of 9" in "\n".join(r.get("text", "") for r in response.json())


# -- Socket.IO -----------------------------------------------------------------------------------


class Chat:
    """A web chat client from the support page's origin, collecting the bot's messages."""

    def __init__(self, everything):
        self.replies: List[Dict[str, Any]] = []
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", self.replies.append)
        self.client.connect(
            everything.base,
            headers={"Origin": everything.page_origin},
            transports=["polling"],
            wait_timeout=20,
        )

    def session(self) -> str:
        session_id = uuid.uuid4().hex
        confirmed = []
        self.client.on("session_confirm", confirmed.append)
        self.client.emit("session_request", {"session_id": session_id})
        wait(lambda: session_id in confirmed, "session_confirm")
        return session_id

    def send(self, data: Any) -> Any:
        """The ack, which the server sends once the bot has answered."""
        return self.client.call("user_uttered", data, timeout=60)


@pytest.fixture(scope="module")
def chat(channels):
    client = Chat(channels)
    yield client
    client.client.disconnect()


@pytest.mark.parametrize(
    "text",
    [LONE_SURROGATE + "outlook 2007", "out" + CONTROL + "look 2007"],
    ids=["surrogate", "ctrl"],
)
def test_socketio_answers_cleaned_text(chat, text):
    session_id = chat.session()
    before = len(chat.replies)
    ack = chat.send(
        {"message": text, "session_id": session_id, "metadata": {"shown_text": LONE_SURROGATE}}
    )
    assert ack == {"ok": True}, ack
    assert any("Step 1 of 9" in (r.get("text") or "") for r in chat.replies[before:])


@pytest.mark.parametrize("forged", FORGED_IDS[:3] + ["test-rest-customer"])
def test_socketio_refuses_other_channels_conversations(chat, channels, forged):
    channels.bot.say("test-rest-customer", "outlook 2013")
    chat.session()
    ack = chat.send({"message": "outlook 2007", "session_id": forged})
    assert ack["ok"] is False and ack["error"], ack
    history = chat.client.call("history_request", {"session_id": forged}, timeout=30)
    assert history["messages"] == []


def test_socketio_oversized_and_garbled_packets_leave_the_server_up(channels):
    # A 3 MB message is beyond Engine.IO's packet limit: the connection is dropped, nothing else.
    big = Chat(channels)
    big.session()
    try:
        big.send({"message": BIG, "session_id": uuid.uuid4().hex})
    except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError):
        pass
    big.client.disconnect()
    # Raw Engine.IO polling: a handshake, then bytes that are not UTF-8.
    url = f"{channels.base}/socket.io/?EIO=4&transport=polling"
    headers = {"Origin": channels.page_origin}
    handshake = requests.get(url, headers=headers, timeout=10)
    sid = json.loads(handshake.text[1:])["sid"]
    for body in (b"4" + OVERLONG_SLASH, b"4" + ENCODED_SURROGATE, b"\x00" * 10):
        response = requests.post(f"{url}&sid={sid}", data=body, headers=headers, timeout=10)
        assert response.status_code < 500, response.text
    assert requests.get(f"{url}&sid=nonsense", headers=headers, timeout=10).status_code == 400


# -- Slack ---------------------------------------------------------------------------------------


def slack_post(everything, body: bytes, content_type: str = "application/json"):
    headers = {"Content-Type": content_type, **sign(SLACK_SECRET, body)}
    return requests.post(everything.slack.url, data=body, headers=headers, timeout=30)


def slack_dm(everything, text: str, channel: str = "") -> Dict[str, Any]:
    channel = channel or "D" + uuid.uuid4().hex[:8].upper()
    event = everything.slack.message_event("U0ABUSE01", channel, text, channel_type="im")
    return everything.slack.envelope(event)


def test_slack_refuses_unsigned_and_unreadable_requests(channels):
    body = json_bytes(slack_dm(channels, "outlook 2007"))
    unsigned = requests.post(
        channels.slack.url, data=body, headers={"Content-Type": "application/json"}, timeout=30
    )
    assert unsigned.status_code == 401
    for garbled in (b'{"type": "' + OVERLONG_SLASH + b'"}', ENCODED_SURROGATE, b"\x00" * 100):
        assert slack_post(channels, garbled).status_code == 400
    form = b"payload=" + urllib.parse.quote_from_bytes(b'{"type": "' + OVERLONG_SLASH).encode()
    assert slack_post(channels, form, "application/x-www-form-urlencoded").status_code == 400


@pytest.mark.parametrize("forged", ["chatwoot-7-1", "ab" * 16, "Dlower", "D0ABCDEF12:1.2"])
def test_slack_ignores_ids_that_are_not_slacks(channels, forged):
    response = slack_post(channels, json_bytes(slack_dm(channels, "outlook 2007", forged)))
    assert response.status_code == 200 and "ignored" in response.text
    events = channels.bot.tracker(forged)["events"]
    assert not [e for e in events if e["event"] == "user"]


@pytest.mark.parametrize(
    "text",
    [LONE_SURROGATE + "outlook 2007", "out" + CONTROL + "look 2007", BIG],
    ids=str.__len__,
)
def test_slack_answers_cleaned_text(channels, text):
    customer = SlackCustomer(channels)
    customer.until_recorded(
        lambda: slack_post(channels, json_bytes(slack_dm(channels, text, customer.sender)))
    )
    customer.wait_for("Step 1 of 9")


# -- Chatwoot ------------------------------------------------------------------------------------


def chatwoot(everything, body: bytes) -> requests.Response:
    return post_signed(everything.chatwoot_hook, body, CHATWOOT_SECRET)


@pytest.mark.parametrize(
    "body",
    [
        b'{"event": "message_created", "content": "' + OVERLONG_SLASH + b'"}',
        ENCODED_SURROGATE,
        b"\x00",
        json_bytes(message_created(5, "hi")).replace(b'"id": 7', b'"id": Infinity'),
        json_bytes(message_created(5, "hi")).replace(b'"id": 7', b'"id": "chatwoot"'),
        json_bytes(message_created(10**30, "hi")),
        json_bytes(message_created(-5, "hi")),
        json_bytes({**message_created(5, "hi"), "conversation": "x"}),
    ],
    ids=["overlong", "surrogate-bytes", "nul", "inf", "text-id", "huge-id", "negative", "shape"],
)
def test_chatwoot_refuses_malformed_webhooks(channels, body):
    response = chatwoot(channels, body)
    assert response.status_code == 400, response.text


def test_chatwoot_refuses_forged_signatures(channels):
    body = json_bytes(message_created(5, "outlook 2007"))
    forged = post_signed(channels.chatwoot_hook, body, "not-the-secret")
    assert forged.status_code == 401


@pytest.mark.parametrize(
    "text",
    [LONE_SURROGATE + "outlook 2007", "out" + CONTROL + "look 2007", BIG],
    ids=str.__len__,
)
def test_chatwoot_answers_cleaned_text(channels, text):
    customer = ChatwootCustomer(channels, CHATWOOT_SECRET)
    customer.say(text)
    customer.wait_for("Step 1 of 9")


# -- the agents' API -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ticket(channels) -> str:
    """An open ticket of a REST customer."""
    customer = RestCustomer(channels)
    customer.say("I want to talk to a person")
    return customer.wait_for(r"HD-\d{5}")["text"].split("HD-")[1][:5]


def agents(everything, method: str, path: str, body: bytes = b"", token: str = AGENT_TOKEN):
    return requests.request(
        method,
        everything.agents + path,
        data=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        timeout=60,
    )


@pytest.mark.parametrize(
    "route, body",
    [
        ("reply", json_bytes({"text": LONE_SURROGATE})),
        ("reply", json_bytes({"text": "hi", "agent": LONE_SURROGATE})),
        ("reply", json_bytes({"text": "x" * 3_000_000})),
        ("reply", b'{"text": "' + OVERLONG_SLASH + b'"}'),
        ("handback", json_bytes({"guide": ["x"]})),
        ("handback", json_bytes({"guide": "outlook-2007", "step": 1e300})),
        ("handback", json_bytes({"text": LONE_SURROGATE})),
        ("handback", ENCODED_SURROGATE),
        ("handback", b"[1, 2]"),
    ],
    ids=lambda value: value if isinstance(value, str) else str(len(value)),
)
def test_agents_api_refuses_malformed_bodies(channels, ticket, route, body):
    response = agents(channels, "POST", f"/tickets/HD-{ticket}/{route}", body)
    assert response.status_code == 400, response.text[:200]
    assert agents(channels, "GET", f"/tickets/HD-{ticket}").json()["status"] == "open"


@pytest.mark.parametrize(
    "path", ["/tickets/HD-%00", "/tickets/%ED%A0%80", "/tickets/HD-99999", "/tickets/1e400"]
)
def test_agents_api_forged_references_are_not_found(channels, path):
    assert agents(channels, "GET", path).status_code in (400, 404)


def test_agents_api_refuses_forged_tokens(channels, ticket):
    for token in ("", AGENT_TOKEN + "x", LONE_SURROGATE.encode("utf-8", "replace").decode()):
        assert agents(channels, "GET", "/tickets", token=token).status_code in (401, 403)


# -- the page server -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%c0%af%c0%afetc/passwd",
        "/%ed%a0%80",
        "/widget.js%00.png",
        "/node_modules/socket.io-client/package.json",
        "/" + "a" * 60_000,
    ],
)
def test_page_server_refuses_what_is_not_the_page(channels, path):
    response = requests.get(channels.page.rstrip("/") + path, timeout=10)
    assert 400 <= response.status_code < 500 or response.status_code == 414, response.status_code
    assert "root:" not in response.text


def test_page_server_serves_files_only(channels):
    for method in ("POST", "PUT", "DELETE"):
        response = requests.request(method, channels.page, data=BIG.encode(), timeout=30)
        assert response.status_code == 405 and response.headers["Allow"] == "GET, HEAD"
    assert requests.get(channels.page, timeout=10).status_code == 200


# -- afterwards ----------------------------------------------------------------------------------


def test_every_server_is_up_and_serves_the_next_customer(channels, chat):
    """Last: after all of the above, every process runs and every channel walks a guide."""
    assert channels.processes_alive()
    assert requests.get(channels.page, timeout=10).status_code == 200
    rest_customer = RestCustomer(channels)
    rest_customer.say("I use Outlook 2007")
    rest_customer.click("/done")
    rest_customer.wait_for("Step 2 of 9")
    session_id = chat.session()
    before = len(chat.replies)
    assert chat.send({"message": "I use Outlook 2007", "session_id": session_id}) == {"ok": True}
    assert any("Step 1 of 9" in (r.get("text") or "") for r in chat.replies[before:])
    for customer in (SlackCustomer(channels), ChatwootCustomer(channels, CHATWOOT_SECRET)):
        customer.say("I use Outlook 2007")
        customer.wait_for("Step 1 of 9")
        customer.click("/done")
        customer.wait_for("Step 2 of 9")
    assert agents(channels, "GET", "/tickets").status_code == 200
    assert channels.processes_alive()
