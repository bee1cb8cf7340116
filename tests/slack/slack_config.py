"""Test settings of the Slack suite (a throwaway secret and token made up per run)."""

import socket
import uuid
from pathlib import Path

import requests

SECRET = "test-signing-secret-" + uuid.uuid4().hex
BOT_TOKEN = "xoxb-test-" + uuid.uuid4().hex[:16]
BOT_USER = "UBOT0001"
AGENTS_CHANNEL = "C0AGENTS"  # SLACK_AGENTS_CHANNEL: hand-off alerts
SUPPORT_CHANNEL = "C0SUPPORT"  # SLACK_CHANNEL: the bot answers every message here
SLACK_VARS = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_CHANNEL",
    "SLACK_API_URL",
    "SLACK_DEDUP_DB",
    "SLACK_AGENTS_CHANNEL",
)
RASA_TOKEN = "test-token-" + uuid.uuid4().hex
ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "smtpbot.tar.gz"


def free_port() -> int:
    """A TCP port nobody listens on right now (as tests/conftest.py's)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def slots(base: str, sender: str) -> dict:
    """A conversation's slots, read through Rasa's HTTP API."""
    response = requests.get(
        f"{base}/conversations/{sender}/tracker", params={"token": RASA_TOKEN}, timeout=30
    )
    response.raise_for_status()
    return response.json()["slots"]
