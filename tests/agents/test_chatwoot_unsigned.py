"""Chatwoot without a webhook secret: refused unless CHATWOOT_ALLOW_UNSIGNED_WEBHOOKS is on.

Chatwoot signs agent-bot webhooks from v4.13.0 on; older versions send them unsigned. Two real
Rasa servers (no action server: a reply is then "having trouble", which is enough to see that
the message was handled) with the Chatwoot channel and no secret, one with the opt-in.
"""

import shutil
import time
import uuid

import pytest
import requests
from fake_chatwoot import FakeChatwoot
from stackkit import CHATWOOT_TOKEN, ROOT, free_port, make_stack
from test_chatwoot import event

from smtpbot.channels.chatwoot import unsigned_allowed
from smtpbot.tools.stack import wait_for

LOGS = ROOT / "test-artifacts" / "logs" / "chatwoot-unsigned"


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """{"off": Rasa server without the opt-in, "on": with it}, both without a secret."""
    fake = FakeChatwoot().start(free_port())
    common = {
        "CHATWOOT_URL": f"http://127.0.0.1:{fake.server.server_address[1]}",
        "CHATWOOT_API_TOKEN": CHATWOOT_TOKEN,
        "CHATWOOT_WEBHOOK_SECRET": "",
        "SMTPBOT_TICKETS_DB": f"sqlite:///{tmp_path_factory.mktemp('tickets')}/tickets.db",
    }
    stacks = {}
    for name, allow in (("off", ""), ("on", "true")):
        tmp = tmp_path_factory.mktemp(f"unsigned-{name}")
        env = {**common, "CHATWOOT_ALLOW_UNSIGNED_WEBHOOKS": allow}
        shutil.rmtree(LOGS / name, ignore_errors=True)  # logs are appended to
        stacks[name] = make_stack(tmp, log_name=f"chatwoot-unsigned/{name}", env=env)
        stacks[name].launch_rasa()
    try:
        for stack in stacks.values():
            wait_for(f"http://127.0.0.1:{stack.rasa_port}/", 180, stack.rasa_proc)
        yield stacks, fake.calls
    finally:
        for stack in stacks.values():
            stack.stop()
        fake.stop()


def unsigned(stack, payload):
    url = f"http://127.0.0.1:{stack.rasa_port}/webhooks/chatwoot/webhook"
    return requests.post(url, json=payload, timeout=10)


def test_without_a_secret_unsigned_webhooks_are_refused_by_default(servers):
    stacks, _ = servers
    response = unsigned(stacks["off"], event(uuid.uuid4().int % 10**6, "outlook 2007"))
    assert response.status_code == 503
    assert "CHATWOOT_ALLOW_UNSIGNED_WEBHOOKS" in response.json()["error"]


def test_the_opt_in_accepts_unsigned_webhooks_and_says_so_in_the_log(servers):
    stacks, calls = servers
    conv = uuid.uuid4().int % 10**6
    response = unsigned(stacks["on"], event(conv, "outlook 2007"))
    assert response.status_code == 200 and response.json()["status"] == "handle"
    deadline = time.monotonic() + 30
    while not [c for c in calls if f"/conversations/{conv}/" in c["path"]]:
        assert time.monotonic() < deadline, "no reply reached Chatwoot"
        time.sleep(0.1)
    log = (LOGS / "on" / "rasa.log").read_text()
    assert "UNSIGNED webhooks are accepted" in log  # at start-up
    assert "Chatwoot webhook accepted UNSIGNED" in log  # and for each one


@pytest.mark.parametrize(
    "value, allowed",
    [("", False), ("0", False), ("no", False), ("1", True), ("true", True), ("YES", True)],
)
def test_the_opt_in_setting(monkeypatch, value, allowed):
    monkeypatch.setenv("CHATWOOT_ALLOW_UNSIGNED_WEBHOOKS", value)
    assert unsigned_allowed() is allowed
