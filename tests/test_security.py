"""Security: the HTTP API only with authentication, CORS only for the support page, the action
server on loopback only, and no secrets in the repository (README "Security").

The API and CORS checks run against the shared real stack (tests/conftest.py), which is started
exactly like `make run` with RASA_TOKEN set.
"""

import asyncio
import json
import os
import re
import socket
import subprocess
import time
import uuid
from pathlib import Path
from typing import Iterator, List, Set, Tuple

import pytest
import requests
import yaml
from fake_chatwoot import FakeChatwoot, message_created, post_signed
from stackkit import AGENT_TOKEN, CHATWOOT_SECRET, ROOT, TOKEN, free_port, texts

from smtpbot.tools.stack import BIN, WEB_ORIGIN, Stack, wait_for

# -- the HTTP API needs the token ----------------------------------------------------------------

# (method, path, JSON body) of API endpoints that read or change conversations or the model.
API_CALLS = [
    ("GET", "/status", None),
    ("GET", "/conversations/{sender}/tracker", None),
    (
        "POST",
        "/conversations/{sender}/tracker/events",
        {"event": "slot", "name": "step", "value": 7},
    ),
    ("POST", "/conversations/{sender}/trigger_intent", {"name": "done"}),
    ("POST", "/conversations/{sender}/messages", {"text": "done", "sender": "user"}),
    ("POST", "/model/parse", {"text": "outlook 2013"}),
    ("PUT", "/model", {"model_file": "/tmp/none.tar.gz"}),
    ("DELETE", "/model", None),
]


@pytest.mark.parametrize("method,path,body", API_CALLS)
@pytest.mark.parametrize(
    "credentials", [{}, {"token": "wrong-" + TOKEN}], ids=["no-token", "wrong-token"]
)
def test_api_refuses_calls_without_the_token(bot, sender, method, path, body, credentials):
    """No token or a wrong one: 401/403, and nothing happens to the conversation."""
    bot.say(sender, "outlook 2013")
    response = requests.request(
        method, bot.base + path.format(sender=sender), params=credentials, json=body, timeout=30
    )
    assert response.status_code in (401, 403), (
        method,
        path,
        response.status_code,
        response.text[:200],
    )
    assert bot.slots(sender)["step"] == 1  # the forged slot event was not applied


def test_api_answers_with_the_token(bot, sender):
    """The same API with the token works (so the refusals above are about authentication)."""
    bot.say(sender, "outlook 2013")
    status = requests.get(f"{bot.base}/status", params={"token": TOKEN}, timeout=30)
    assert status.status_code == 200 and status.json()["model_file"]
    assert bot.slots(sender)["guide"] == "outlook-2010-2016"


def test_api_is_never_enabled_without_authentication():
    """The command line Stack (make run, tests) builds: --enable-api only with a token or JWT secret."""
    from smtpbot.runtime.lean import secrets_from_env

    stack = Stack()
    base = {k: v for k, v in os.environ.items() if k not in ("RASA_TOKEN", "RASA_JWT_SECRET")}
    stack.env = dict(base)
    assert "--enable-api" not in stack.rasa_args()
    stack.env = dict(base, RASA_TOKEN="")
    assert "--enable-api" not in stack.rasa_args()
    stack.env = dict(base, RASA_TOKEN="t0ken")
    args = stack.rasa_args()
    # The lean launcher takes the secrets from its environment, inside the process.
    assert "--enable-api" in args and "t0ken" not in args
    inside = secrets_from_env(args, stack.env)
    assert inside[inside.index("--auth-token") + 1] == "t0ken"
    stack.env = dict(base, RASA_JWT_SECRET="jwt-s3cret")
    args = stack.rasa_args()
    assert "--enable-api" in args and "jwt-s3cret" not in args
    inside = secrets_from_env(args, stack.env)
    assert inside[inside.index("--jwt-secret") + 1] == "jwt-s3cret"
    assert args[args.index("--jwt-method") + 1] == "HS256"
    assert secrets_from_env(["run"], {"RASA_TOKEN": "t0ken"}) == ["run"]  # no API: no token
    plain = Stack(lean=False)  # the plain `rasa` command can only take them as arguments
    plain.env = dict(base, RASA_TOKEN="t0ken")
    args = plain.rasa_args()
    assert args[args.index("--auth-token") + 1] == "t0ken"


def test_secrets_are_not_on_the_rasa_servers_command_line(stack, bot, sender):
    """Finding 6 of issue 14: `ps` showed --auth-token <RASA_TOKEN> of the running server."""
    cmdline = Path(f"/proc/{stack.rasa_proc.pid}/cmdline").read_bytes().split(b"\0")
    assert TOKEN.encode() not in cmdline and b"--enable-api" in cmdline
    assert not any(TOKEN.encode() in arg for arg in cmdline)
    bot.say(sender, "hi")
    assert bot.tracker(sender)["sender_id"] == sender  # the API still takes the token


def documented_files() -> List[Path]:
    """Files where commands are documented or scripted: Markdown, Makefile, CI and shell scripts."""
    return [
        ROOT / name
        for name in tracked_files()
        if name.endswith((".md", ".sh", ".yml"))
        or Path(name).name == "Makefile"
        or name.startswith(".ci/")
    ]


def test_every_documented_command_with_the_api_has_authentication():
    """Every `rasa run ... --enable-api` command in the docs/scripts has --auth-token or --jwt-secret."""
    found = 0
    for path in documented_files():
        for number, line in enumerate(
            path.read_text(encoding="utf-8", errors="replace").splitlines(), 1
        ):
            if "--enable-api" in line and re.search(r"\brasa\b.*\brun\b|RASA\) run", line):
                found += 1
                assert "--auth-token" in line or "--jwt-secret" in line, (
                    f"{path.name}:{number}: {line.strip()}"
                )
    assert found, "the README documents the API command"


# -- CORS: only the support page's origin --------------------------------------------------------


def configured_origins(stack) -> List[str]:
    """The origins the running stack's Rasa server was started with (--cors ...)."""
    args = stack.rasa_args()
    return args[args.index("--cors") + 1 :]


def test_cors_default_is_the_support_page_only(stack):
    """Without configuration the Rasa server allows exactly the support page (WEB_ORIGIN);
    RASA_CORS / WEB_ORIGIN replace it; the running stack allows no wildcard."""
    plain = Stack()
    base = {k: v for k, v in os.environ.items() if k not in ("RASA_CORS", "WEB_ORIGIN")}
    plain.env = dict(base)
    assert configured_origins(plain) == [WEB_ORIGIN] == ["http://localhost:8080"]
    plain.env = dict(base, WEB_ORIGIN="http://localhost:8081,http://127.0.0.1:8081")
    assert configured_origins(plain) == ["http://localhost:8081", "http://127.0.0.1:8081"]
    plain.env = dict(base, WEB_ORIGIN="http://a.example", RASA_CORS="https://help.example.com")
    assert configured_origins(plain) == ["https://help.example.com"]
    assert configured_origins(stack) and "*" not in configured_origins(stack)


def cors_request(bot, sender, origin, method):
    """A browser's request (or preflight) to the REST webhook from a page of `origin`."""
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    return requests.request(
        method,
        f"{bot.base}/webhooks/rest/webhook",
        headers=headers,
        json={"sender": sender, "message": "hi"},
        timeout=30,
    )


@pytest.mark.parametrize("method", ["POST", "OPTIONS"])
def test_cors_allows_the_support_page(bot, stack, sender, method):
    """The page's origin gets Access-Control-Allow-Origin on the REST webhook (and the preflight)."""
    origin = configured_origins(stack)[0]
    response = cors_request(bot, sender, origin, method)
    assert response.status_code < 400
    assert response.headers.get("Access-Control-Allow-Origin") == origin


@pytest.mark.parametrize("origin", ["http://evil.example", "http://localhost:9999", "null"])
@pytest.mark.parametrize("method", ["POST", "OPTIONS"])
def test_cors_refuses_other_origins(bot, sender, origin, method):
    """Another origin gets no Access-Control-Allow-Origin: a browser will not let that page read replies."""
    response = cors_request(bot, sender, origin, method)
    assert "Access-Control-Allow-Origin" not in response.headers


# -- the action server on loopback ---------------------------------------------------------------


def listening_addresses(port: int) -> Set[str]:
    """Local addresses with a TCP socket in LISTEN state on `port` (from /proc/net/tcp{,6})."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if fields[3] == "0A" and int(hex_port, 16) == port:
                found.add(decode_address(address, width))
    return found


def decode_address(hexed: str, width: int) -> str:
    """/proc/net/tcp's little-endian hex address as text."""
    raw = bytes.fromhex(hexed)
    if width == 8:
        return socket.inet_ntop(socket.AF_INET, raw[::-1])
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
    return socket.inet_ntop(socket.AF_INET6, words)


def outside_address() -> str:
    """This machine's address on its default route (not loopback), or '' if it has none."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("192.0.2.1", 9))  # TEST-NET-1: nothing is sent for UDP connect
            address = sock.getsockname()[0]
        except OSError:
            return ""
    return "" if address.startswith("127.") else address


def assert_loopback_only(port: int) -> None:
    """The port listens on 127.0.0.1 only, and refuses a connection to this machine's outside
    address; on a machine without one the test is reported skipped, saying which check ran."""
    assert listening_addresses(port) == {"127.0.0.1"}
    address = outside_address()
    if not address:
        pytest.skip(
            "listens on 127.0.0.1 only (checked), but the connection from an outside address "
            "was not tried: this machine has no address besides loopback"
        )
    with pytest.raises(OSError):
        socket.create_connection((address, port), timeout=3).close()


def test_action_server_of_the_stack_listens_on_loopback_only(stack):
    """`make run`/Stack start the action server on 127.0.0.1."""
    requests.get(f"http://127.0.0.1:{stack.actions_port}/health", timeout=10).raise_for_status()
    assert_loopback_only(stack.actions_port)


def test_plain_rasa_run_actions_listens_on_loopback_only(tmp_path):
    """The documented bare command `rasa run actions` also binds 127.0.0.1 (actions/__init__.py)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "SANIC_HOST"}
    with open(tmp_path / "actions.log", "wb") as log:
        proc = subprocess.Popen(
            [str(BIN / "rasa"), "run", "actions", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(f"http://127.0.0.1:{port}/health", 120, proc)
        assert_loopback_only(port)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# -- secrets only from the environment -----------------------------------------------------------

SECRET_PATTERNS = [
    ("Slack token", re.compile(r"\bxox[abposr]-\d{6,}-[A-Za-z0-9-]{10,}")),
    ("Slack app token", re.compile(r"\bxapp-\d-[A-Z0-9]{6,}-\d{6,}-[a-f0-9]{20,}")),
    ("GitHub token", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36}\b")),
    ("AWS access key", re.compile(r"\bAKIA[0-9A-Z]{16}\b")),
    ("private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    # A token/secret/password/API key assigned a long literal with letters and digits.
    (
        "assigned secret",
        re.compile(
            r"(?i)(?:api_access_token|access_token|auth_token|token|secret|password|passwd|api_key|apikey)"
            r"[\"']?\s*[:=]\s*[\"']([A-Za-z0-9_\-+/=.]{20,})[\"']"
        ),
    ),
]
PLACEHOLDER = re.compile(r"(?i)test|fake|dummy|example|placeholder|changeme|your[_-]")
# Public example values copied from vendors' documentation (not anyone's secret).
DOCUMENTED_EXAMPLES = {
    "Jhj5dZrVaK7ZwHHjRyZWjbDl",  # Slack Events API docs: the url_verification example payload
}


def tracked_files() -> List[str]:
    """Every file git tracks or would track (committed, staged, or new and not ignored)."""
    output = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [name for name in output.splitlines() if (ROOT / name).is_file()]


def find_secrets(text: str) -> Iterator[Tuple[str, str]]:
    """(kind, match) for every token-looking secret in a text."""
    for kind, pattern in SECRET_PATTERNS:
        for match in pattern.finditer(text):
            value = match.group(1) if pattern.groups else match.group(0)
            if value in DOCUMENTED_EXAMPLES:
                continue
            if kind == "assigned secret" and (
                PLACEHOLDER.search(value)
                or not re.search(r"\d", value)
                or not re.search(r"[A-Za-z]", value)
            ):
                continue
            yield kind, match.group(0)


def test_secret_scanner_finds_planted_secrets():
    """The scanner recognises real-looking secrets (built here so no such string is committed)."""
    planted = {
        "Slack token": "SLACK_BOT_TOKEN="
        + "xoxb"
        + "-123456789012-1234567890123-"
        + "AbCdEfGhIjKlMnOpQrStUvWx",
        "GitHub token": "gh" + "p_" + "a1B2" * 9,
        "AWS access key": "AKIA" + "Z7Q3" * 4,
        "private key": "-----BEGIN RSA " + "PRIVATE KEY-----",
        "assigned secret": "api_access_token: " + '"' + "Jq8mK2pX9vLr4TnW7yZs1bQd" + '"',
    }
    for kind, text in planted.items():
        assert kind in {k for k, _ in find_secrets(text)}, kind
    harmless = (
        'token_env: CHATWOOT_API_TOKEN\nBOT_TOKEN = "xoxb-test-" + uuid\n'
        'password: "${DB_PASSWORD}"\nsecret = os.environ["SLACK_SIGNING_SECRET"]\n'
    )
    assert list(find_secrets(harmless)) == []


def test_no_tracked_file_contains_a_secret():
    """No committed (or about to be committed) file holds a token-looking secret."""
    findings = []
    for name in tracked_files():
        path = ROOT / name
        if path.stat().st_size > 2_000_000:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        findings += [f"{name}: {kind}: {match[:40]}" for kind, match in find_secrets(text)]
    assert findings == []


SECRET_KEY = re.compile(r"(?i)token|secret|password|passwd|api_key|apikey|credential")


def secret_settings(node, path="") -> Iterator[Tuple[str, object]]:
    """(key path, value) of every secret-named setting in a parsed YAML document."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}" if path else str(key)
            if SECRET_KEY.search(str(key)) and not isinstance(value, (dict, list)):
                yield here, value
            yield from secret_settings(value, here)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from secret_settings(value, f"{path}[{index}]")


def test_config_files_take_secrets_from_the_environment():
    """In credentials.yml/endpoints.yml a secret setting is empty, a ${ENV_VAR} reference, or
    (`*_env` keys) the name of the environment variable that holds it."""
    checked = 0
    for name in ("credentials.yml", "endpoints.yml"):
        document = yaml.safe_load((ROOT / name).read_text(encoding="utf-8")) or {}
        for key, value in secret_settings(document):
            checked += 1
            if value in (None, "") or re.fullmatch(r"\$\{[A-Z0-9_]+\}", str(value)):
                continue
            assert key.endswith("_env") and re.fullmatch(r"[A-Z][A-Z0-9_]*", str(value)), (
                name,
                key,
                value,
            )
    assert checked, "the channels name their secrets' environment variables"


# -- issue 14: what an attacker tried, one regression test per finding ---------------------------


def rest_post(bot, body: bytes, headers=None) -> requests.Response:
    """POST raw bytes to the REST channel."""
    return requests.post(
        f"{bot.base}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json", **(headers or {})},
        timeout=30,
    )


def handoff_reference(replies) -> str:
    """The ticket reference of a hand-off in REST replies."""
    return [
        r["custom"]["handoff"]["reference"] for r in replies if "handoff" in r.get("custom", {})
    ][0]


def agents_api(stack, method: str, path: str, **kwargs) -> requests.Response:
    """A call to the agents' API of the running stack, with the agents' token."""
    return requests.request(
        method,
        f"http://127.0.0.1:{stack.rasa_port}/webhooks/agents{path}",
        headers={"Authorization": f"Bearer {AGENT_TOKEN}"},
        timeout=60,
        **kwargs,
    )


def signed_chatwoot(stack, body: bytes) -> requests.Response:
    """POST a body to the Chatwoot webhook, signed with the stack's secret."""
    url = f"http://127.0.0.1:{stack.rasa_port}/webhooks/chatwoot/webhook"
    return post_signed(url, body, CHATWOOT_SECRET)


@pytest.fixture(scope="module")
def fake_chatwoot(stack):
    """The fake Chatwoot API on the port the shared stack's CHATWOOT_URL names."""
    fake = FakeChatwoot().start(int(os.environ["TEST_CHATWOOT_PORT"]))
    yield fake
    fake.stop()


def test_unstorable_sender_is_refused_and_the_server_stays_up(bot, stack, sender):
    """Finding 1: a lone surrogate as REST sender made Rasa exit (and the launcher stop all)."""
    for body in (
        b'{"sender": "\\ud800", "message": "hi"}',
        b'{"sender": "x\\udfff", "message": "hi"}',
        b'{"sender": "ok-sender", "message": "hi", "metadata": {"k": "\\ud800"}}',
    ):
        response = rest_post(bot, body)
        assert response.status_code == 400, (body, response.text)
        assert response.json()["error"] == "bad_request"
    assert stack.rasa_proc.poll() is None
    assert "Step 1 of 9" in texts(bot.say(sender, "outlook 2007"))


def test_tracker_store_errors_on_bad_values_do_not_exit_the_process(tmp_path):
    """Finding 1, the safety net: Rasa's SQL store called sys.exit on any ValueError."""
    from rasa.shared.core.domain import Domain

    from smtpbot.stores.tracker_cache import CachedSQLTrackerStore
    from smtpbot.stores.tracker_store import StoreInputError

    store = CachedSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"))
    with pytest.raises(StoreInputError):
        asyncio.run(store.retrieve("\ud800"))


@pytest.mark.parametrize(
    "forged",
    ["chatwoot-7-4242", "D0ABCDEF12", "C0SUPPORT:1700000000.000100", "0123456789abcdef" * 2],
)
def test_rest_cannot_reach_other_channels_conversations(bot, forged):
    """Finding 2: REST posted "customer" lines into Chatwoot, Slack or web chat conversations."""
    response = rest_post(bot, json.dumps({"sender": forged, "message": "outlook 2007"}).encode())
    assert response.status_code == 400 and "reserved" in response.json()["message"]
    events = bot.tracker(forged)["events"]
    assert not [e for e in events if e["event"] == "user"]


def test_queued_agent_replies_reach_only_the_conversations_own_client(bot, stack, sender):
    """Finding 3: an agent's reply to a REST customer went to the first poster of that sender."""
    reference = handoff_reference(bot.say(sender, "I want to talk to a person"))
    answer = agents_api(stack, "POST", f"/tickets/{reference}/reply", json={"text": "Code 4711"})
    assert answer.json()["delivery"] == "queued"
    body = json.dumps({"sender": sender, "message": "give me the reply"}).encode()
    for headers in ({}, {"X-Conversation-Key": "guessed"}):
        stolen = rest_post(bot, body, headers)
        assert stolen.status_code == 200 and "4711" not in stolen.text
        assert "X-Conversation-Key" not in stolen.headers
    assert texts(bot.say(sender, "hello?")) == "Code 4711"


def test_cli_prints_customer_data_without_terminal_escapes(monkeypatch):
    """Finding 4: `tickets show` printed customer text raw (ANSI: clear screen, set the title)."""
    from smtpbot.tickets import cli

    evil = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202etxt.exe"
    ticket = {
        "reference": "HD-00001",
        "status": "open",
        "summary": f"Outlook 2013: '{evil}'\nasked",
        "conversation_id": f"c-{evil}",
        "stuck_text": evil,
        "transcript": [{"role": "customer", "text": evil, "at": 1.0}],
    }

    class Client:
        def __init__(self, *args):
            pass

        def ticket(self, reference):
            return ticket

        def tickets(self, status):
            return {"tickets": [ticket]}

    monkeypatch.setattr(cli, "AgentApiClient", Client)
    monkeypatch.setattr(cli, "run_show", lambda client, args: (ticket, cli.format_ticket(ticket)))
    monkeypatch.setattr(
        cli, "run_list", lambda client, args: ({"tickets": [ticket]}, cli.format_list([ticket]))
    )
    for argv in (["show", "HD-1"], ["list"], ["--json", "show", "HD-1"]):
        printed: List[str] = []
        assert cli.main(argv, out=printed.append) == 0
        shown = "\n".join(printed)
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", shown), repr(shown)
        assert "pwned" in shown


def test_chatwoot_text_is_cleaned_like_every_channel(stack, bot, fake_chatwoot):
    """Finding 4: Chatwoot text skipped the cleaning and the 5,000-character cap."""
    conversation = uuid.uuid4().int % 10**6 + 10**6
    text = "outlook 2007 \x1b[2J\x07" + "x" * 6000
    assert signed_chatwoot(stack, json.dumps(message_created(conversation, text)).encode()).ok
    sender = f"chatwoot-7-{conversation}"
    deadline = time.monotonic() + 30
    said: List[str] = []
    while time.monotonic() < deadline and not said:
        said = [e["text"] for e in bot.tracker(sender)["events"] if e["event"] == "user"]
        time.sleep(0.2)
    assert said and "\x1b" not in said[0] and "\x07" not in said[0] and len(said[0]) <= 5000


def test_web_chat_refuses_a_page_whose_host_header_names_the_server(stack):
    """Finding 8: the origin check trusted the Host header, which a DNS-rebinding page controls."""
    import socketio

    own = f"http://127.0.0.1:{stack.rasa_port}"  # Origin == scheme://Host, as after rebinding
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(own, headers={"Origin": own}, transports=["polling"], wait_timeout=10)
    client.disconnect()


def test_malformed_agent_and_chatwoot_input_gets_400(bot, stack, sender):
    """Finding 9: an unhashable guide in a hand-back and `account.id: Infinity` were 500s."""
    reference = handoff_reference(bot.say(sender, "can I talk to a human"))
    for body in ({"guide": ["x"]}, {"guide": {"a": 1}}, {"guide": "outlook-2007", "step": "2"}):
        back = agents_api(stack, "POST", f"/tickets/{reference}/handback", json=body)
        assert back.status_code == 400 and back.json()["error"], back.text
    raw = json.dumps(message_created(4242, "hi")).encode()
    for account in (b"Infinity", b"NaN", b"1e400", b"-1", b"true", b'"7x"', b"[7]"):
        response = signed_chatwoot(stack, raw.replace(b'"id": 7', b'"id": ' + account))
        assert response.status_code == 400, (account, response.text)
    assert agents_api(stack, "GET", f"/tickets/{reference}").json()["status"] == "open"


def test_customer_sees_the_reference_not_the_internals(bot, sender):
    """Finding 10: REST replies carried the agents' summary and the ticket's database id."""
    bot.say(sender, "I use Outlook 2013 and can't send")
    replies = bot.say(sender, "I want to talk to a human")
    customs = [r["custom"] for r in replies if "custom" in r]
    assert customs == [{"handoff": {"reference": handoff_reference(replies)}}]
    assert "summary" not in json.dumps(replies) and "ticket_id" not in json.dumps(replies)
    assert handoff_reference(replies) in texts(replies)
