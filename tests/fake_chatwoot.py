"""A local stand-in for Chatwoot's REST API (Chatwoot cannot run here), and its webhooks.

The fake answers every POST the way Chatwoot's API does for the calls the bot makes
(`conversations/<id>/messages`, `conversations/<id>/toggle_status`: 200 with a JSON object) and
records method, path, `api_access_token` and JSON body. `message_created` builds a webhook body
shaped like Chatwoot's documented agent-bot event; `post_signed` signs it like Chatwoot.
"""

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional

import requests

from smtpbot.channels.chatwoot import signature_for


class FakeChatwoot:
    """The fake API server on 127.0.0.1 and the calls it received."""

    def __init__(self) -> None:
        self.calls: List[Dict[str, Any]] = []
        self.server: Optional[ThreadingHTTPServer] = None

    def start(self, port: int) -> "FakeChatwoot":
        """Serve in a background thread."""
        calls = self.calls

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                calls.append(
                    {
                        "path": self.path,
                        "token": self.headers.get("api_access_token"),
                        "body": json.loads(body or b"{}"),
                    }
                )
                reply = json.dumps({"id": len(calls)}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    def for_conversation(self, account: int, conversation: int) -> List[Dict[str, Any]]:
        """The calls made for one conversation, in order."""
        prefix = f"/api/v1/accounts/{account}/conversations/{conversation}/"
        return [c for c in list(self.calls) if c["path"].startswith(prefix)]


def message_created(
    conversation: int, content: str, account: Any = 7, status: str = "pending", **changes: Any
) -> Dict[str, Any]:
    """A `message_created` webhook body (incoming, public) as Chatwoot sends it."""
    payload = {
        "event": "message_created",
        "id": uuid.uuid4().int % 10**9,
        "content": content,
        "created_at": "2021-07-23T18:02:48.000Z",
        "message_type": "incoming",
        "content_type": "text",
        "private": False,
        "content_attributes": {},
        "source_id": None,
        "sender": {"id": 14, "name": "little-haze-776", "avatar": "", "type": "contact"},
        "inbox": {"id": 1, "name": "Acme Support"},
        "conversation": {
            "additional_attributes": {},
            "can_reply": True,
            "channel": "Channel::WebWidget",
            "id": conversation,
            "inbox_id": 1,
            "status": status,
            "unread_count": 1,
            "timestamp": 1627063369,
        },
        "account": {"id": account, "name": "Acme Inc"},
    }
    payload.update(changes)
    return payload


def post_signed(url: str, body: bytes, secret: str) -> requests.Response:
    """POST a webhook body signed as Chatwoot signs it (timestamp, HMAC, delivery id)."""
    timestamp = str(int(time.time()))
    return requests.post(
        url,
        data=body,
        headers={
            "Content-Type": "application/json",
            "X-Chatwoot-Timestamp": timestamp,
            "X-Chatwoot-Signature": signature_for(secret, timestamp, body),
            "X-Chatwoot-Delivery": uuid.uuid4().hex,
        },
        timeout=30,
    )
