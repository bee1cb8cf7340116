"""Build and send Slack's requests as Slack documents them: Events API callbacks (message,
app_mention, url_verification) as JSON, interactivity (block_actions) as a form field `payload`,
each signed with v0=HMAC-SHA256(signing secret, "v0:<timestamp>:<body>")."""

import hashlib
import hmac
import itertools
import json
import time
import urllib.parse
import uuid
from typing import Any, Dict, Optional, Tuple

import requests

TEAM = "T0TEST001"
APP = "A0TEST001"
_ts_counter = itertools.count(1)


def new_ts() -> str:
    """A fresh Slack message timestamp ("seconds.micro"), unique within the run."""
    return f"{int(time.time())}.{next(_ts_counter):06d}"


def sign(secret: str, body: bytes, timestamp: Optional[int] = None) -> Dict[str, str]:
    """The X-Slack-Request-Timestamp and X-Slack-Signature headers for a body."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    base = f"v0:{timestamp}:".encode() + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": f"v0={digest}"}


class SlackSender:
    """Plays Slack's side: posts signed requests to the bot's webhook."""

    def __init__(self, url: str, secret: str, bot_user: str):
        """Post to `url`, signing with `secret`; the app's bot user is `bot_user`."""
        self.url, self.secret, self.bot_user = url, secret, bot_user

    def envelope(self, event: Dict[str, Any], event_id: Optional[str] = None) -> Dict[str, Any]:
        """The event_callback wrapper Slack puts around every event."""
        return {
            "token": "legacy-verification-token",
            "team_id": TEAM,
            "api_app_id": APP,
            "event": event,
            "type": "event_callback",
            "event_id": event_id or "Ev" + uuid.uuid4().hex[:10].upper(),
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": TEAM,
                    "user_id": self.bot_user,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": "4-" + uuid.uuid4().hex,
        }

    @staticmethod
    def message_event(
        user: str,
        channel: str,
        text: str,
        ts: Optional[str] = None,
        thread_ts: Optional[str] = None,
        channel_type: str = "channel",
        kind: str = "message",
    ) -> Dict[str, Any]:
        """A message (or app_mention) event from a person."""
        ts = ts or new_ts()
        event = {
            "type": kind,
            "client_msg_id": str(uuid.uuid4()),
            "text": text,
            "user": user,
            "ts": ts,
            "team": TEAM,
            "channel": channel,
            "event_ts": ts,
        }
        if kind == "message":
            event["channel_type"] = channel_type
        if thread_ts:
            event["thread_ts"] = thread_ts
            event["parent_user_id"] = user
        return event

    def post_json(
        self,
        payload: Dict[str, Any],
        headers: Optional[Dict[str, str]] = None,
        timestamp: Optional[int] = None,
    ) -> Tuple[requests.Response, bytes, Dict[str, str]]:
        """Sign and send a JSON body; return the response and what was sent (for replays)."""
        body = json.dumps(payload).encode()
        sent = {
            "Content-Type": "application/json",
            **sign(self.secret, body, timestamp),
            **(headers or {}),
        }
        return self.send(body, sent), body, sent

    def send(self, body: bytes, headers: Dict[str, str]) -> requests.Response:
        """Send exactly these bytes and headers (a replay sends the same twice)."""
        return requests.post(self.url, data=body, headers=headers, timeout=10)

    def say(
        self,
        user: str,
        channel: str,
        text: str,
        thread_ts: Optional[str] = None,
        channel_type: str = "channel",
        event_id: Optional[str] = None,
        headers: Optional[Dict[str, str]] = None,
        ts: Optional[str] = None,
    ) -> Dict[str, Any]:
        """A person writes a message; returns the event (its ts starts the thread)."""
        event = self.message_event(user, channel, text, ts, thread_ts, channel_type)
        response, _, _ = self.post_json(self.envelope(event, event_id), headers)
        assert response.status_code == 200, response.text
        return event

    def interaction_body(
        self, user: str, channel: str, posted: Dict[str, Any], value: str
    ) -> bytes:
        """The block_actions payload Slack sends when `user` clicks the button with `value`."""
        message = posted["message"]
        for block in message.get("blocks") or []:
            for element in block.get("elements", []) if block.get("type") == "actions" else []:
                if element.get("value") == value:
                    action = {
                        "action_id": element.get("action_id", "x"),
                        "block_id": block.get("block_id", "b1"),
                        "text": element["text"],
                        "value": value,
                        "type": "button",
                        "action_ts": f"{time.time():.6f}",
                    }
                    break
            else:
                continue
            break
        else:
            raise AssertionError(f"no button {value!r} in {message.get('blocks')}")
        container = {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": channel,
            "is_ephemeral": False,
        }
        if message.get("thread_ts"):
            container["thread_ts"] = message["thread_ts"]
        payload = {
            "type": "block_actions",
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM},
            "api_app_id": APP,
            "token": "legacy-verification-token",
            "container": container,
            "trigger_id": f"{int(time.time())}.{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex}",
            "team": {"id": TEAM, "domain": "example"},
            "enterprise": None,
            "is_enterprise_install": False,
            "channel": {
                "id": channel,
                "name": "directmessage" if channel.startswith("D") else "support",
            },
            "message": message,
            "state": {"values": {}},
            "response_url": "https://hooks.slack.com/actions/T0TEST001/1/abc",
            "actions": [action],
        }
        return urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()

    def click(
        self, user: str, channel: str, posted: Dict[str, Any], value: str
    ) -> requests.Response:
        """Click a button of a message the bot posted."""
        body = self.interaction_body(user, channel, posted, value)
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(self.secret, body)}
        response = self.send(body, headers)
        assert response.status_code == 200, response.text
        return response
