"""Fixtures for the Slack suite: a fake Slack Web API, and the real bot with the real Slack channel.

Three Rasa servers are started side by side (in parallel, to keep the suite short):
  A and B: Slack on, same tracker store and handled-events database (two processes behind one
           Request URL, as in a scaled deployment; B shows that de-duplication is not in memory);
  off:     no Slack variables at all (Slack must be off, the server up, one log line).
"""

import threading
import uuid
from pathlib import Path
from typing import Dict, List

import pytest
import requests
from fake_slack import FakeSlack
from slack_config import (
    AGENTS_CHANNEL,
    BOT_TOKEN,
    BOT_USER,
    MODEL,
    RASA_TOKEN,
    ROOT,
    SECRET,
    SLACK_VARS,
    SUPPORT_CHANNEL,
    free_port,
)
from slack_events import SlackSender

from smtpbot.tools.stack import Stack, write_endpoints

LOG_DIR = ROOT / "test-artifacts" / "logs" / "slack"


def credentials_file(path: Path) -> Path:
    """REST plus our Slack channel, registered by module path (settings come from the environment)."""
    path.write_text("rest:\nsmtpbot.channels.slack.channel.SlackInput:\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def fake_slack():
    """The fake Slack Web API on a free port."""
    fake = FakeSlack(BOT_TOKEN, bot_user=BOT_USER).start(free_port())
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def slack_servers(tmp_path_factory, fake_slack) -> Dict[str, Stack]:
    """Action server + Rasa A and B (Slack on) + Rasa 'off' (no Slack variables), all started at once."""
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does)")
    tmp = tmp_path_factory.mktemp("slack")
    for old in LOG_DIR.glob("*/*.log"):
        old.unlink()
    actions_port = free_port()
    endpoints = str(write_endpoints(tmp / "endpoints.yml", actions_port, tmp / "tracker.db"))
    credentials = str(credentials_file(tmp / "credentials.yml"))
    slack_env = {
        "RASA_TOKEN": RASA_TOKEN,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_CHANNEL": SUPPORT_CHANNEL,
        "SLACK_API_URL": fake_slack.api_url,
        "SLACK_DEDUP_DB": str(tmp / "slack-handled.db"),
        "SLACK_AGENTS_CHANNEL": AGENTS_CHANNEL,
        "SMTPBOT_TICKETS_DB": f"sqlite:///{tmp / 'tickets.db'}",
    }
    servers = {
        name: Stack(
            free_port(),
            actions_port,
            model=str(MODEL),
            endpoints=endpoints,
            credentials=credentials,
            log_dir=LOG_DIR / name,
            env=slack_env,
        )
        for name in ("a", "b", "off")
    }
    for var in SLACK_VARS:
        servers["off"].env.pop(var, None)
    servers["off"].env["RASA_TOKEN"] = RASA_TOKEN
    errors: List[BaseException] = []

    def start(target) -> None:
        try:
            target()
        except BaseException as error:  # noqa: BLE001 - re-raised below in the main thread
            errors.append(error)

    threads = [
        threading.Thread(target=start, args=(target,))
        for target in (
            servers["a"].start_actions,
            servers["a"].start_rasa,
            servers["b"].start_rasa,
            servers["off"].start_rasa,
        )
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
        for name in ("a", "b"):  # the first action call loads the KB: not inside a timed test
            requests.post(
                f"http://127.0.0.1:{servers[name].rasa_port}/webhooks/rest/webhook",
                json={"sender": f"warm-up-{name}", "message": "hi"},
                timeout=60,
            )
        yield servers
    finally:
        for thread in threads:
            thread.join()
        stoppers = [threading.Thread(target=server.stop) for server in servers.values()]
        for stopper in stoppers:
            stopper.start()
        for stopper in stoppers:
            stopper.join()


def webhook(server: Stack) -> str:
    """The Slack Request URL of one server."""
    return f"http://127.0.0.1:{server.rasa_port}/webhooks/slack/webhook"


@pytest.fixture(scope="session")
def slack(slack_servers) -> SlackSender:
    """Slack's side, sending to server A."""
    return SlackSender(webhook(slack_servers["a"]), SECRET, BOT_USER)


@pytest.fixture(scope="session")
def slack_b(slack_servers) -> SlackSender:
    """Slack's side, sending to server B (another process, same databases)."""
    return SlackSender(webhook(slack_servers["b"]), SECRET, BOT_USER)


@pytest.fixture
def user() -> str:
    """A fresh Slack user id."""
    return "U" + uuid.uuid4().hex[:8].upper()


@pytest.fixture
def dm() -> str:
    """A fresh DM channel id."""
    return "D" + uuid.uuid4().hex[:8].upper()
