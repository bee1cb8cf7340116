"""A local stand-in for Slack's Web API (we cannot reach slack.com from tests).

Answers chat.postMessage and chat.update the way Slack documents them ({"ok": true, "channel",
"ts", "message"}; errors as {"ok": false, "error": ...} with HTTP 200) and records every call,
so tests can see what the bot posted, where, and in which thread.
"""

import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional


class FakeSlack:
    """The fake Web API server and the calls it received."""

    def __init__(
        self,
        token: str,
        bot_user: str = "UBOT0001",
        bot_id: str = "BBOT0001",
        app_id: str = "A0TEST001",
    ):
        """Accept only `token`; post messages as `bot_user`/`bot_id` of the app `app_id`."""
        self.token, self.bot_user, self.bot_id, self.app_id = token, bot_user, bot_id, app_id
        self.calls: List[Dict[str, Any]] = []
        self.lock = threading.Lock()
        self._ts = itertools.count(1)
        self.server: Optional[ThreadingHTTPServer] = None

    @property
    def api_url(self) -> str:
        """Base URL to give the bot as SLACK_API_URL."""
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/"

    def start(self, port: int) -> "FakeSlack":
        """Serve on 127.0.0.1:port in a background thread."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                body = (
                    json.loads(raw or b"{}")
                    if "json" in (self.headers.get("Content-Type") or "")
                    else {}
                )
                answer = fake.answer(
                    self.path.rsplit("/", 1)[-1], self.headers.get("Authorization", ""), body
                )
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

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

    def answer(self, method: str, authorization: str, body: Dict[str, Any]) -> Dict[str, Any]:
        """What Slack answers to one Web API call."""
        if authorization != f"Bearer {self.token}":
            return {"ok": False, "error": "invalid_auth"}
        if method not in ("chat.postMessage", "chat.update"):
            return {"ok": False, "error": "unknown_method"}
        channel = body.get("channel")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if not body.get("text") and not body.get("blocks"):
            return {"ok": False, "error": "no_text"}
        ts = body["ts"] if method == "chat.update" else f"{int(time.time())}.{next(self._ts):06d}"
        # A message posted with a bot token, as Slack returns it: the bot user, bot id, app id
        # and the bot's profile.
        message = {
            "type": "message",
            "user": self.bot_user,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "ts": ts,
            "text": body.get("text", ""),
            "team": "T0TEST001",
            "bot_profile": {
                "id": self.bot_id,
                "app_id": self.app_id,
                "name": "smtpbot",
                "icons": {"image_36": "https://a.slack-edge.com/80588/img/plugins/app/bot_36.png"},
                "deleted": False,
                "updated": 1700000000,
                "team_id": "T0TEST001",
            },
        }
        if body.get("blocks"):
            message["blocks"] = body["blocks"]
        if body.get("thread_ts"):
            message["thread_ts"] = body["thread_ts"]
        with self.lock:
            self.calls.append(
                {
                    "method": method,
                    "channel": channel,
                    "thread_ts": body.get("thread_ts"),
                    "ts": ts,
                    "text": body.get("text", ""),
                    "blocks": body.get("blocks"),
                    "message": message,
                    "body": body,
                }
            )
        if method == "chat.update":
            return {
                "ok": True,
                "channel": channel,
                "ts": ts,
                "text": body.get("text", ""),
                "message": message,
            }
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def posts(self, channel: Optional[str] = None, thread_ts: Any = ...) -> List[Dict[str, Any]]:
        """chat.postMessage calls, optionally only those to one channel / thread (None = top level)."""
        with self.lock:
            calls = list(self.calls)
        return [
            c
            for c in calls
            if c["method"] == "chat.postMessage"
            and (channel is None or c["channel"] == channel)
            and (thread_ts is ... or c["thread_ts"] == thread_ts)
        ]

    def updates(self) -> List[Dict[str, Any]]:
        """chat.update calls."""
        with self.lock:
            return [c for c in self.calls if c["method"] == "chat.update"]

    def wait(
        self, condition: Callable[[], Any], timeout: float = 30, what: str = "Slack posts"
    ) -> Any:
        """Poll until condition() is truthy; return its value or fail with what was posted."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(
            f"timed out waiting for {what}; posted: "
            f"{[(c['channel'], c['thread_ts'], c['text'][:60]) for c in self.posts()]}"
        )
