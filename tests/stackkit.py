"""Shared test helpers (ports, tokens, REST client). Import from here, not from conftest:
pytest loads every conftest.py as the module `conftest`, so a subfolder's conftest would shadow it."""

import os
import sys
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, List

import requests
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from smtpbot.tools.stack import WEB_ORIGIN, Stack, free_port, free_ports, write_endpoints  # noqa: E402, F401 (free_port: for the tests)

MODEL = ROOT / "models" / "smtpbot.tar.gz"
# A first message per guide, as customers type them (shared with the benchmark's workload).
OPENERS = yaml.safe_load(
    (ROOT / "smtpbot" / "tools" / "bench" / "openers.yml").read_text(encoding="utf-8")
)
TOKEN = "test-token-" + uuid.uuid4().hex
# Hand-off (tests/agents/): the agents' API token, and a fake Chatwoot API on a reserved port.
AGENT_TOKEN = "agent-token-" + uuid.uuid4().hex
CHATWOOT_SECRET = "chatwoot-secret-" + uuid.uuid4().hex
CHATWOOT_TOKEN = "chatwoot-api-" + uuid.uuid4().hex
# Actions run in-process by unit tests open tickets too: never in the working tree.
os.environ.setdefault(
    "SMTPBOT_TICKETS_DB", f"sqlite:///{tempfile.mkdtemp(prefix='tickets-')}/tickets.db"
)


def make_stack(
    tmp: Path,
    log_name: str = "",
    env: Dict[str, str] = None,
    credentials: str = "credentials.yml",
    lean: bool = True,
) -> Stack:
    """The trained bot's action and Rasa servers on free ports, with their own SQLite tracker store
    (`stack.db`, in `tmp`), the API on with TOKEN, logs in test-artifacts/logs[/log_name]; not started."""
    import pytest

    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does)")
    actions_port, rasa_port, metrics_port, actions_metrics_port = free_ports(4)
    db = tmp / "tracker.db"
    endpoints = write_endpoints(tmp / "endpoints.yml", actions_port, db)
    stack = Stack(
        rasa_port,
        actions_port,
        model=str(MODEL),
        endpoints=str(endpoints),
        credentials=credentials,
        log_dir=ROOT / "test-artifacts" / "logs" / log_name,
        env={
            "RASA_TOKEN": TOKEN,
            # /metrics of both servers on ports of their own (tests run side by side).
            "SMTPBOT_METRICS_PORT": str(metrics_port),
            "SMTPBOT_ACTIONS_METRICS_PORT": str(actions_metrics_port),
            **(env or {}),
        },
        lean=lean,
    )
    stack.db = db
    return stack


class BotClient:
    """Talk to a running Rasa server over the REST channel and read trackers through the API."""

    def __init__(self, base: str, token: str):
        self.base, self.token = base, token
        # Each conversation's key (X-Conversation-Key), as a customer's REST client keeps it.
        self.keys: Dict[str, str] = {}

    def say(self, sender: str, text: str) -> List[Dict[str, Any]]:
        """Send one message (with the conversation's key once issued); return the bot's replies."""
        key = self.keys.get(sender)
        response = requests.post(
            f"{self.base}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            headers={"X-Conversation-Key": key} if key else None,
            timeout=30,
        )
        response.raise_for_status()
        if response.headers.get("X-Conversation-Key"):
            self.keys[sender] = response.headers["X-Conversation-Key"]
        return response.json()

    def tracker(self, sender: str) -> Dict[str, Any]:
        """The conversation's tracker (slots, events)."""
        response = requests.get(
            f"{self.base}/conversations/{sender}/tracker", params={"token": self.token}, timeout=30
        )
        response.raise_for_status()
        return response.json()

    def slots(self, sender: str) -> Dict[str, Any]:
        """The conversation's slots."""
        return self.tracker(sender)["slots"]


def handoff_env(tmp: Path) -> Dict[str, str]:
    """Environment of the hand-off parts: ticket database, agents' token, fake Chatwoot's address."""
    # Reserved once per test process: tests of the shared stack (fake Chatwoot, agents' page)
    # read these, so a later stack must not move them.
    if "TEST_CHATWOOT_PORT" not in os.environ:
        chatwoot, page = free_ports(2)
        os.environ["TEST_CHATWOOT_PORT"] = str(chatwoot)
        # The agents' view (web/agents.html, tests/agents/test_agents_view.py) is served on a
        # reserved port and calls the agents' API from that origin: CORS allows it besides the
        # support page.
        os.environ["TEST_AGENTS_PAGE_PORT"] = str(page)
    chatwoot_port = int(os.environ["TEST_CHATWOOT_PORT"])
    agents_page_port = int(os.environ["TEST_AGENTS_PAGE_PORT"])
    return {
        "SMTPBOT_TICKETS_DB": os.environ["SMTPBOT_TICKETS_DB"],
        "AGENT_API_TOKEN": AGENT_TOKEN,
        "CHATWOOT_URL": f"http://127.0.0.1:{chatwoot_port}",
        "CHATWOOT_API_TOKEN": CHATWOOT_TOKEN,
        "CHATWOOT_WEBHOOK_SECRET": CHATWOOT_SECRET,
        "RASA_CORS": f"{os.environ.get('RASA_CORS') or os.environ.get('WEB_ORIGIN') or WEB_ORIGIN} http://127.0.0.1:{agents_page_port}",
    }


def texts(replies: List[Dict[str, Any]]) -> str:
    """All reply texts joined, for assertions."""
    return "\n".join(r.get("text", "") for r in replies)


def payloads(replies: List[Dict[str, Any]]) -> List[str]:
    """All button payloads of the replies."""
    return [b["payload"] for r in replies for b in r.get("buttons", []) or []]


# Debian's Chromium for the browser tests; Playwright never downloads a browser here.
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def debian_chromium() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright, closed on exit."""
    import pytest
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make install` (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
