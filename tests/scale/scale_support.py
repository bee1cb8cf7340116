"""Helpers of the scale-out tests: talk to one Rasa server, read the customer's view of a step."""

import re
import time
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import requests
import yaml

ROOT = Path(__file__).resolve().parents[2]
GUIDES = yaml.safe_load((ROOT / "kb" / "guides.yml").read_text(encoding="utf-8"))["guides"]
# First messages that pick a guide (smtpbot/tools/bench/openers.yml), for a subset of the guides.
SCALE_GUIDES = (
    "outlook-2010-2016",
    "outlook-2007",
    "outlook-2002-2003",
    "outlook-express",
    "outlook-mac",
    "apple-mail-10-plus",
    "ios-mail",
    "thunderbird-3-plus",
    "entourage",
    "eudora",
)
OPENERS = {
    guide: opener
    for guide, opener in yaml.safe_load(
        (ROOT / "smtpbot" / "tools" / "bench" / "openers.yml").read_text(encoding="utf-8")
    ).items()
    if guide in SCALE_GUIDES
}
SCALE_TOKEN = "scale-token-" + uuid.uuid4().hex

STEP = re.compile(r"^Step (\d+) of (\d+):", re.MULTILINE)
TROUBLE = "having trouble"


class Server:
    """REST and tracker API of one Rasa server (or of the nginx address)."""

    def __init__(self, port: int, token: str):
        self.base, self.token = f"http://127.0.0.1:{port}", token
        self.http = requests.Session()

    def say(
        self, sender: str, text: str, timeout: float = 60
    ) -> Tuple[List[Dict[str, Any]], float]:
        """Send one message; return (replies, seconds)."""
        start = time.monotonic()
        response = self.http.post(
            f"{self.base}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=timeout,
        )
        response.raise_for_status()
        return response.json(), time.monotonic() - start

    def tracker(self, sender: str) -> Dict[str, Any]:
        """The conversation's tracker."""
        response = self.http.get(
            f"{self.base}/conversations/{sender}/tracker", params={"token": self.token}, timeout=30
        )
        response.raise_for_status()
        return response.json()


def joined(replies: List[Dict[str, Any]]) -> str:
    """All reply texts."""
    return "\n".join(r.get("text") or "" for r in replies)


def shown_step(replies: List[Dict[str, Any]]) -> Optional[int]:
    """The step number the replies show, if any."""
    found = STEP.findall(joined(replies))
    return int(found[-1][0]) if found else None


def user_events(tracker: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The customer's messages recorded in the tracker."""
    return [e for e in tracker["events"] if e["event"] == "user"]


def step_events(tracker: Dict[str, Any]) -> List[int]:
    """Every value the `step` slot was set to, in order."""
    return [
        int(e["value"])
        for e in tracker["events"]
        if e["event"] == "slot" and e["name"] == "step" and e["value"] is not None
    ]
