"""Chatwoot agent-bot channel: the bot answers a Chatwoot inbox and hands off to its agents.

Chatwoot POSTs agent-bot webhooks to /webhooks/chatwoot/webhook. Acted on: `message_created`
events with message_type "incoming", `private` false and conversation status "pending" (the
bot's queue), and a customer's click on one of the bot's own choice buttons, which Chatwoot
sends as `message_updated` of the bot's outgoing `input_select` message carrying
`submitted_values` (as Chatwoot's own bot integration reads it); everything else is
acknowledged and ignored. When a secret is configured,
`X-Chatwoot-Signature` must be "sha256=" + HMAC-SHA256(secret, timestamp + "." + body) with
`X-Chatwoot-Timestamp` no older than five minutes, and a message or click is acted on once
(replays and Chatwoot's retries are acknowledged without acting twice): before acting, the
webhook claims the message and its delivery in the tickets' database (smtpbot/channels/claims.py),
so "once" holds across all the Rasa servers behind a load balancer; if that database fails,
nothing is claimed and the webhook answers 503. The webhook is acknowledged at once and the
message processed in the background: Chatwoot gives up after 5 s. If the background work fails
before the bot got the message, the claim is released (a redelivery is then handled).

Replies go to POST {url}/api/v1/accounts/{account}/conversations/{id}/messages with the
`api_access_token` header; buttons become `content_type: input_select`. A hand-off toggles the
conversation to "open" (agents' queue) and leaves the ticket summary as a private note; when an
agent sets the conversation back to "pending", the bot resumes.

Configuration (credentials.yml) names the environment variables holding the settings:
CHATWOOT_URL, CHATWOOT_API_TOKEN, CHATWOOT_WEBHOOK_SECRET. Without a secret, webhooks are
refused (503) unless CHATWOOT_ALLOW_UNSIGNED_WEBHOOKS is on (Chatwoot before v4.13.0 does not
sign agent-bot webhooks; for a private network only, logged as a warning).
"""

import asyncio
import hashlib
import hmac
import json
import logging
import re
import time
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError

from smtpbot import settings
from smtpbot.channels.claims import ClaimStore
from smtpbot.channels.inputs import app_intents, clean_text, customer_text
from smtpbot.runtime.metrics import metrics
from smtpbot.tickets import conversation
from smtpbot.tickets.store import HANDED_BACK, get_store, parse_reference

logger = logging.getLogger(__name__)
MAX_SKEW = 300  # seconds a signed webhook stays valid
ALLOW_UNSIGNED_ENV = settings.CHATWOOT_ALLOW_UNSIGNED_WEBHOOKS.name
SENDER = re.compile(r"^chatwoot-(\d+)-(\d+)$")
MAX_TEXT = 5000
MAX_ID = 2**53  # Chatwoot's ids are integers; JSON numbers beyond this are not exact anyway


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def sender_id(account_id: Any, conversation_id: Any) -> str:
    """The Rasa conversation id of a Chatwoot conversation; ValueError unless both are ids."""
    ids = []
    for value in (account_id, conversation_id):
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < MAX_ID:
            raise ValueError(f"{value!r} is not a Chatwoot id")
        ids.append(value)
    return f"chatwoot-{ids[0]}-{ids[1]}"


def signature_for(secret: str, timestamp: str, body: bytes) -> str:
    """Chatwoot's signature of a webhook: sha256=HMAC(secret, "<timestamp>.<body>")."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(
    secret: Optional[str],
    headers: Dict[str, str],
    body: bytes,
    now: Optional[float] = None,
    unsigned_ok: bool = False,
) -> Optional[str]:
    """None when the webhook may be trusted, else why not. Without a secret nothing is trusted
    unless `unsigned_ok` (CHATWOOT_ALLOW_UNSIGNED_WEBHOOKS)."""
    if not secret:
        return None if unsigned_ok else "webhook secret not configured"
    timestamp = headers.get("x-chatwoot-timestamp", "")
    signature = headers.get("x-chatwoot-signature", "")
    if not timestamp or not signature:
        return "unsigned"
    if not timestamp.isdigit() or abs((now or time.time()) - int(timestamp)) > MAX_SKEW:
        return "stale timestamp"
    if not hmac.compare_digest(signature.encode(), signature_for(secret, timestamp, body).encode()):
        return "bad signature"
    return None


def refused(cause: str) -> None:
    """Count a refused webhook (smtpbot_webhooks_refused{channel="chatwoot"})."""
    metrics().webhooks_refused.labels("chatwoot", cause).inc()


def unsigned_allowed() -> bool:
    """CHATWOOT_ALLOW_UNSIGNED_WEBHOOKS is "1", "true" or "yes": with no webhook secret set,
    unsigned webhooks are accepted (off by default)."""
    value = settings.CHATWOOT_ALLOW_UNSIGNED_WEBHOOKS.get() or ""
    return value.lower() in ("1", "true", "yes")


class ChatwootOutput(OutputChannel):
    """Sends the bot's messages to a Chatwoot conversation through its REST API."""

    @classmethod
    def name(cls) -> Text:
        return "chatwoot"

    def __init__(self, base_url: str, token: str):
        self.base_url, self.token = base_url.rstrip("/"), token

    async def _post(self, recipient_id: str, path: str, payload: Dict[str, Any]) -> None:
        match = SENDER.match(recipient_id)
        if not match:
            raise ValueError(f"{recipient_id} is not a Chatwoot conversation")
        account, conversation_id = match.groups()
        url = f"{self.base_url}/api/v1/accounts/{account}/conversations/{conversation_id}/{path}"
        timeout = aiohttp.ClientTimeout(total=10)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            async with session.post(
                url, json=payload, headers={"api_access_token": self.token}
            ) as reply:
                if reply.status >= 300:
                    logger.error(
                        "Chatwoot %s answered %s: %s", url, reply.status, await reply.text()
                    )

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        """A plain outgoing message."""
        for part in text.strip().split("\n\n"):
            await self._post(
                recipient_id,
                "messages",
                {"content": part, "message_type": "outgoing", "private": False},
            )

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        """Quick replies: Chatwoot's input_select, the button's payload as the item's value."""
        items = [{"title": b["title"], "value": b.get("payload", b["title"])} for b in buttons]
        await self._post(
            recipient_id,
            "messages",
            {
                "content": text,
                "message_type": "outgoing",
                "private": False,
                "content_type": "input_select",
                "content_attributes": {"items": items},
            },
        )

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        """A hand-off: give the conversation to the agents, with the summary as a private note.
        A hand-back (agents' API): the conversation goes back to the bot's queue ("pending")."""
        if json_message.get("handback"):
            await self._post(recipient_id, "toggle_status", {"status": "pending"})
            return
        handoff = json_message.get("handoff")
        if not isinstance(handoff, dict):
            return
        await self._post(recipient_id, "toggle_status", {"status": "open"})
        # The summary is for agents only: read from the ticket, never sent to the customer side.
        reference = str(handoff.get("reference"))
        ticket_id = parse_reference(reference)
        ticket = await asyncio.to_thread(get_store().get, ticket_id) if ticket_id else None
        note = f"Bot hand-off, ticket {reference}\n{ticket.summary if ticket else ''}"
        await self._post(
            recipient_id, "messages", {"content": note, "message_type": "outgoing", "private": True}
        )


class ChatwootInput(InputChannel):
    """Chatwoot agent-bot webhooks in, Chatwoot API calls out."""

    @classmethod
    def name(cls) -> Text:
        return "chatwoot"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        return cls(
            url_env=credentials.get("url_env", settings.CHATWOOT_URL.name),
            token_env=credentials.get("token_env", settings.CHATWOOT_API_TOKEN.name),
            secret_env=credentials.get("secret_env", settings.CHATWOOT_WEBHOOK_SECRET.name),
        )

    def __init__(
        self,
        url_env: str = settings.CHATWOOT_URL.name,
        token_env: str = settings.CHATWOOT_API_TOKEN.name,
        secret_env: str = settings.CHATWOOT_WEBHOOK_SECRET.name,
        claims: Optional[ClaimStore] = None,
    ):
        """Settings are environment variables (never secrets in the YAML); `claims` defaults to
        the tickets' database, which every Rasa server behind a load balancer shares."""
        self.url_env, self.token_env, self.secret_env = url_env, token_env, secret_env
        self.claims = claims or ClaimStore(lambda: get_store().engine)

    def settings(self) -> Tuple[str, str, str]:
        """(API base URL, API token, webhook secret) from the environment."""
        return (
            settings.value_of(self.url_env),
            settings.value_of(self.token_env),
            settings.value_of(self.secret_env),
        )

    def get_output_channel(self) -> Optional[OutputChannel]:
        """Used to push agents' replies to Chatwoot conversations."""
        url, token, _ = self.settings()
        return ChatwootOutput(url, token) if url and token else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The webhook: verify, filter, acknowledge, then handle in the background."""
        hook = Blueprint("smtpbot_chatwoot", __name__)
        channel = self
        if unsigned_allowed() and not self.settings()[2]:
            logger.warning(
                "Chatwoot: %s is on and no webhook secret is set: UNSIGNED webhooks are "
                "accepted. Only for Chatwoot before v4.13.0 on a private network.",
                ALLOW_UNSIGNED_ENV,
            )

        @hook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @hook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            url, token, secret = channel.settings()
            if not url or not token:
                refused("not_configured")
                return response.json({"error": "Chatwoot channel not configured"}, status=503)
            if not secret and not unsigned_allowed():
                refused("no_secret")
                logger.error(
                    "Chatwoot webhook refused: %s is not set (set it, or %s=true to accept "
                    "unsigned webhooks on purpose).",
                    channel.secret_env,
                    ALLOW_UNSIGNED_ENV,
                )
                return response.json(
                    {"error": f"webhook secret not set (or {ALLOW_UNSIGNED_ENV} for unsigned)"},
                    status=503,
                )
            if not secret:
                logger.warning(
                    "Chatwoot webhook accepted UNSIGNED (%s is on): anyone who can reach this "
                    "URL can speak for any customer",
                    ALLOW_UNSIGNED_ENV,
                )
            body = request.body or b""
            headers = {k.lower(): v for k, v in request.headers.items()}
            problem = verify(secret, headers, body, unsigned_ok=unsigned_allowed())
            if problem:
                refused(problem.replace(" ", "_"))
                return response.json({"error": problem}, status=401)
            try:
                payload = json.loads(body, parse_constant=_refuse_constant)
            except ValueError:  # also bytes that are not UTF-8 (UnicodeDecodeError)
                refused("bad_body")
                return response.json({"error": "body is not JSON"}, status=400)
            if not isinstance(payload, dict):
                refused("bad_body")
                return response.json({"error": "body is not a JSON object"}, status=400)
            # Without a secret the delivery header is anyone's word: the message id decides.
            delivery = headers.get("x-chatwoot-delivery") or headers.get("x-chatwoot-signature")
            try:
                decision, message = await channel.decide(payload, delivery if secret else None)
            except SQLAlchemyError as error:
                logger.error("Chatwoot webhook not handled, the claims database failed: %s", error)
                refused("database")
                # Nothing claimed, nothing handled: 503 asks for a redelivery.
                return response.json({"error": "temporarily unavailable"}, status=503)
            if decision == "invalid":
                return response.json({"error": "invalid account or conversation id"}, status=400)
            if decision == "handle":
                request.app.add_task(
                    channel.handle(request.app, on_new_message, message, url, token)
                )
            elif decision == "record":
                request.app.add_task(channel.record(message))
            return response.json({"status": decision})

        return hook

    def triage(self, payload: Dict[str, Any]) -> Tuple[str, Optional[Dict[str, Any]]]:
        """What to do with an event: 'handle' (the bot answers), 'record' (into a ticket) or 'ignored'.

        A message to handle or record carries the key to claim before acting ("key").
        """
        if payload.get("event") == "message_updated":
            return self.triage_click(payload)
        if payload.get("event") != "message_created" or payload.get("message_type") != "incoming":
            return "ignored", None
        if payload.get("private") is not False:
            return "ignored", None
        conv, account = payload.get("conversation") or {}, payload.get("account") or {}
        if not isinstance(conv, dict) or not isinstance(account, dict):
            return "invalid", None
        try:
            sender = sender_id(account.get("id"), conv.get("id", conv.get("display_id")))
        except ValueError:
            return "invalid", None
        text = _message_text(payload)
        if not text:
            return "ignored", None
        message = {"sender": sender, "text": text, "id": payload.get("id")}
        message["key"] = f"chatwoot:message:{sender}:{payload.get('id')}"
        if conv.get("status") == "pending":
            return "handle", message
        return "record", message  # an agent has the conversation: keep the ticket complete

    def triage_click(self, payload: Dict[str, Any]) -> Tuple[str, Optional[Dict[str, Any]]]:
        """A `message_updated` event: 'handle' a customer's choice on the bot's own buttons.

        Acted on only when the updated message is an outgoing, public `input_select` sent by the
        agent bot (sender type "agent_bot"), the conversation is pending (the bot owns it) and
        the submitted value is one of the message's items. Its key ("key") is the bot's message:
        each is answered once, so a redelivery or a later update of the same message (read
        receipts, edits) is 'duplicate' (see decide).
        """
        if (
            payload.get("message_type") != "outgoing"
            or payload.get("content_type") != "input_select"
            or payload.get("private") is not False
            or (payload.get("sender") or {}).get("type") != "agent_bot"
        ):
            return "ignored", None
        conv, account = payload.get("conversation") or {}, payload.get("account") or {}
        if conv.get("status") != "pending":
            return "ignored", None
        value = _chosen_value(payload.get("content_attributes"))
        if value is None:
            return "ignored", None
        try:
            sender = sender_id(account.get("id"), conv.get("id", conv.get("display_id")))
        except (TypeError, ValueError):
            return "ignored", None
        key = f"chatwoot:click:{sender}:{payload.get('id')}"
        return "handle", {"sender": sender, "text": value, "id": payload.get("id"), "key": key}

    async def decide(
        self, payload: Dict[str, Any], delivery: Optional[str]
    ) -> Tuple[str, Optional[Dict[str, Any]]]:
        """triage, then claim what is to be acted on: 'duplicate' if any process (any Rasa
        server on the same database) claimed the message or the delivery before.

        The message's and the delivery's keys are claimed together or not at all, and only
        when there is something to act on (ignored events cost no database write).

        Raises:
            sqlalchemy.exc.SQLAlchemyError: the database failed; nothing was claimed.
        """
        decision, message = self.triage(payload)
        if message is None:
            return decision, None
        message["claims"] = [message.pop("key")]
        if delivery:
            message["claims"].append(f"chatwoot:delivery:{delivery}")
        if not await asyncio.to_thread(self.claims.claim, message["claims"]):
            return "duplicate", None
        return decision, message

    async def release(self, message: Dict[str, Any]) -> None:
        """Forget the message's claims: it was not acted on, so a redelivery may be."""
        try:
            await asyncio.to_thread(self.claims.release, message["claims"])
        except SQLAlchemyError as error:
            logger.error("Chatwoot message %s stays claimed for a day: %s", message["id"], error)

    async def handle(
        self, app: Any, on_new_message: Callable, message: Dict[str, Any], url: str, token: str
    ) -> None:
        """A customer message for the bot; if a ticket is open, the agents handed it back first.

        A failure before the bot got the message releases its claim; a failure after it keeps
        the claim (the bot may have answered part already: answering twice is worse).
        """
        given = False
        try:
            store = get_store()
            ticket = await asyncio.to_thread(store.open_for, message["sender"])
            if ticket is not None:  # status "pending" again: the agents gave the conversation back
                await conversation.sync_transcript(app, store, ticket)
                await asyncio.to_thread(store.set_status, ticket.id, HANDED_BACK)
                await conversation.resume(app, ticket, run_handback=False)
            given = True
            await on_new_message(
                UserMessage(
                    customer_text(message["text"], app_intents(app)),
                    ChatwootOutput(url, token),
                    message["sender"],
                    input_channel=self.name(),
                    metadata={"chatwoot_message_id": message["id"]},
                )
            )
        except Exception:
            logger.exception("Chatwoot message %s failed", message.get("id"))
            if not given:
                await self.release(message)

    async def record(self, message: Dict[str, Any]) -> None:
        """A customer message while an agent has the conversation: add it to the open ticket
        (not recorded because of a failure: the claim is released)."""
        try:
            store = get_store()
            ticket = await asyncio.to_thread(store.open_for, message["sender"])
            if ticket is not None:
                await asyncio.to_thread(store.add_message, ticket.id, "customer", message["text"])
        except Exception:
            logger.exception("recording Chatwoot message %s failed", message.get("id"))
            await self.release(message)


def _chosen_value(attributes: Any) -> Optional[str]:
    """The value of the first submitted item if the message offered it (Chatwoot's bot
    integration reads `submitted_values.first.value`), else None."""
    if not isinstance(attributes, dict):
        return None
    items, submitted = attributes.get("items"), attributes.get("submitted_values")
    if not isinstance(items, list) or not isinstance(submitted, list) or not submitted:
        return None
    first = submitted[0]
    value = first.get("value") if isinstance(first, dict) else None
    offered = {item.get("value") for item in items if isinstance(item, dict)}
    if not isinstance(value, str) or not value.strip() or value not in offered:
        return None
    return value.strip()[:MAX_TEXT]


def _message_text(payload: Dict[str, Any]) -> str:
    """The customer's text; for a chosen quick reply, the button's payload."""
    attributes = payload.get("content_attributes") or {}
    submitted = attributes.get("submitted_values") if isinstance(attributes, dict) else None
    if isinstance(submitted, list) and submitted and isinstance(submitted[0], dict):
        value = submitted[0].get("value") or submitted[0].get("title")
        if isinstance(value, str) and value.strip():
            return clean_text(value).strip()[:MAX_TEXT]
    content = payload.get("content")
    return clean_text(content).strip()[:MAX_TEXT] if isinstance(content, str) else ""
