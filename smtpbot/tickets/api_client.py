"""A small client for the agents' HTTP API (smtpbot/channels/agents.py), for the CLI.

It talks to the running Rasa server, never to the ticket database directly: replies and
hand-backs must go through the bot (to reach the customer's channel and to resume the
conversation). Only the standard library, so the CLI starts fast.
"""

import json
import urllib.error
import urllib.request
from typing import Any, Dict, Optional
from urllib.parse import quote, urlencode

API_PATH = "/webhooks/agents"
TIMEOUT = 60.0  # seconds; a hand-back runs the bot's next action before answering


class ApiError(Exception):
    """The API could not be used; `kind` says why (the CLI turns it into an exit code)."""

    NOT_CONFIGURED, REFUSED, UNREACHABLE, REJECTED = (
        "not_configured",
        "refused",
        "unreachable",
        "rejected",
    )

    def __init__(self, kind: str, message: str, status: Optional[int] = None):
        super().__init__(message)
        self.kind, self.message, self.status = kind, message, status


class AgentApiClient:
    """Calls to /webhooks/agents/... with the agent's Bearer token."""

    def __init__(self, base_url: str, token: str, timeout: float = TIMEOUT):
        """`base_url` is the Rasa server's address (http://localhost:5005)."""
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def request(
        self, method: str, path: str, body: Optional[Dict[str, Any]] = None
    ) -> Dict[str, Any]:
        """One call; the decoded JSON answer, or ApiError."""
        if not self.token:
            raise ApiError(
                ApiError.NOT_CONFIGURED, "no agent token: set AGENT_API_TOKEN (or pass --token)"
            )
        url = f"{self.base_url}{API_PATH}{path}"
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as response:
                return self._decode(response.read(), url)
        except urllib.error.HTTPError as error:
            raise self._refusal(error, url) from None
        except (urllib.error.URLError, OSError) as error:  # refused, DNS, timeout
            reason = getattr(error, "reason", error)
            raise ApiError(
                ApiError.UNREACHABLE,
                f"cannot reach the bot at {self.base_url}: {reason} "
                "(is it running? set SMTPBOT_API_URL)",
            ) from None

    @staticmethod
    def _decode(raw: bytes, url: str) -> Dict[str, Any]:
        """The JSON object of a 2xx answer."""
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            data = None
        if not isinstance(data, dict):
            raise ApiError(
                ApiError.UNREACHABLE, f"{url} did not answer with the agents' API's JSON"
            )
        return data

    def _refusal(self, error: urllib.error.HTTPError, url: str) -> ApiError:
        """The ApiError for a 4xx/5xx answer, with the API's own message ({"error": ...})."""
        try:
            data = json.loads(error.read().decode("utf-8"))
        except Exception:  # not JSON: a proxy's page, another server
            data = None
        # The agents' API refuses with {"error": message} and nothing else (rasa_sdk's action
        # server, on a wrong port, also says {"error": ...} but adds other keys).
        message = data.get("error") if isinstance(data, dict) and set(data) == {"error"} else None
        status = error.code
        if not isinstance(message, str):
            what = "no agents' API at" if status < 500 else "the server failed to answer"
            return ApiError(
                ApiError.UNREACHABLE,
                f"{what} {url} ({status}): is SMTPBOT_API_URL the Rasa "
                "server with credentials.yml's agents channel? (see its log)",
                status,
            )
        if status in (401, 403):
            return ApiError(
                ApiError.REFUSED, f"the agents' API refused the token ({status}): {message}", status
            )
        if status >= 500:
            return ApiError(
                ApiError.UNREACHABLE, f"the bot failed to answer ({status}): {message}", status
            )
        return ApiError(ApiError.REJECTED, message, status)

    def list_tickets(self, status: str = "open") -> Dict[str, Any]:
        """GET /tickets?status=..."""
        return self.request("GET", "/tickets?" + urlencode({"status": status}))

    def show(self, reference: str) -> Dict[str, Any]:
        """GET /tickets/<ref>: the ticket with its transcript."""
        return self.request("GET", f"/tickets/{quote(reference, safe='')}")

    def reply(self, reference: str, text: str, agent: str) -> Dict[str, Any]:
        """POST /tickets/<ref>/reply."""
        return self.request(
            "POST", f"/tickets/{quote(reference, safe='')}/reply", {"text": text, "agent": agent}
        )

    def resolve(self, reference: str) -> Dict[str, Any]:
        """POST /tickets/<ref>/resolve."""
        return self.request("POST", f"/tickets/{quote(reference, safe='')}/resolve", {})

    def handback(
        self,
        reference: str,
        guide: Optional[str] = None,
        step: Optional[int] = None,
        text: Optional[str] = None,
    ) -> Dict[str, Any]:
        """POST /tickets/<ref>/handback, at a guide/step, from pasted text, or where the customer was."""
        body: Dict[str, Any] = {}
        if guide is not None:
            body["guide"] = guide
        if step is not None:
            body["step"] = step
        if text is not None:
            body["text"] = text
        return self.request("POST", f"/tickets/{quote(reference, safe='')}/handback", body)
