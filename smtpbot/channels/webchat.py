"""The web chat channel: Rasa's Socket.IO channel, limited to the support page's origin, plus history.

Rasa's own `socketio` channel accepts every origin (it disables python-engineio's origin check)
and cannot give a reloaded page its conversation back. This subclass keeps its protocol and
settings (`user_message_evt`, `bot_message_evt`, `session_persistence`, `socketio_path`, ...) and:

- accepts connections only from pages of `cors_allowed_origins` (credentials.yml), or of the
  comma-separated env `WEBCHAT_ALLOWED_ORIGINS` when set (the stack runner sets it to the page's
  address, and Rasa's `--cors` to the same); other origins are refused at connect;
- answers `history_request` ({"session_id"}) with that conversation's messages, so a reload or a
  second tab shows what was said. Whoever holds a session id can already join its room and talk
  in it, so the id is the capability; ids must look like the ones the channel hands out (32 hex
  digits) and only conversations held over this channel are returned, so Slack, REST or Chatwoot
  conversations, whose ids are guessable, stay out of reach;
- drops a resent message (same `message_id` in its metadata as one already in the tracker): the
  page resends what the server had not acknowledged when the connection dropped;
- sends custom payloads (the hand-off's ticket reference) to the page as {"custom": ...}: Rasa's
  output passes every key of a custom message to `emit()` as a keyword argument, so the
  hand-off raised TypeError and the customer never saw the reference (`WebChatOutput`).
"""

import inspect
import json
import logging
import re
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from smtpbot import settings
from smtpbot.channels.inputs import MAX_MESSAGE_CHARS, customer_text, encodable

logger = logging.getLogger(__name__)

SESSION_ID = re.compile(r"^[0-9a-f]{32}$")
MESSAGE_ID = re.compile(r"^[0-9A-Za-z_-]{1,64}$")
# A reload shows the latest messages; a conversation of thousands of turns is cut at the top.
MAX_HISTORY_MESSAGES = 300
# Resends come right after a reconnect: the last few user turns are enough to spot one.
DEDUP_WINDOW = 20


def parse_origins(value: Any) -> Optional[List[Text]]:
    """Origins from a YAML list or a comma-separated string; None (same origin only) when empty."""
    if isinstance(value, str):
        value = value.split(",")
    origins = [str(origin).strip().rstrip("/") for origin in (value or []) if str(origin).strip()]
    return origins or None


def domain_intents(blueprint: Blueprint) -> List[Text]:
    """The intents of the loaded model's domain (for payload checks), from the app the blueprint is on."""
    for app in getattr(blueprint, "apps", ()) or ():
        agent = getattr(app.ctx, "agent", None)
        if agent is not None and agent.domain:
            return agent.domain.intents
    return []


def valid_session_id(value: Any) -> bool:
    """True for ids shaped like the ones handed out (uuid4 hex)."""
    return isinstance(value, str) and bool(SESSION_ID.match(value))


def history_from_events(events: List[Dict[str, Any]], channel: Text) -> List[Dict[str, Any]]:
    """The messages of a conversation as the page shows them, from its tracker events.

    Bot texts are split at blank lines with buttons on the last part, as the Socket.IO output
    channel sends them. A clicked button shows the title the page displayed (metadata
    `shown_text`), else the title of the matching button of the bot's previous message.
    Returns [] unless the conversation was held over `channel`.
    """
    if not any(e.get("event") == "user" and e.get("input_channel") == channel for e in events):
        return []
    messages: List[Dict[str, Any]] = []
    last_buttons: List[Dict[str, Any]] = []
    for event in events:
        kind, when = event.get("event"), event.get("timestamp")
        if kind == "user":
            text = event.get("text") or ""
            metadata = event.get("metadata") or {}
            shown = metadata.get("shown_text")
            if not isinstance(shown, str) or not shown.strip():
                shown = next(
                    (b.get("title") for b in last_buttons if b.get("payload") == text), text
                )
            message = {"sender": "user", "text": shown[:MAX_MESSAGE_CHARS], "ts": when}
            if isinstance(metadata.get("message_id"), str):
                message["id"] = metadata["message_id"]  # lets the page drop it from its outbox
            messages.append(message)
        elif kind == "bot":
            data = event.get("data") or {}
            buttons = [
                {"title": b.get("title", ""), "payload": b.get("payload", "")}
                for b in data.get("buttons") or []
            ]
            text = event.get("text") or ""
            parts = text.strip().split("\n\n")
            if parts == [""] and not buttons:
                continue  # images or custom payloads: the page shows text and buttons only
            for index, part in enumerate(parts):
                reply: Dict[str, Any] = {"sender": "bot", "text": part, "ts": when}
                if index == len(parts) - 1 and buttons:
                    reply["buttons"] = buttons
                messages.append(reply)
            last_buttons = buttons or last_buttons
    return messages[-MAX_HISTORY_MESSAGES:]


def handoff_state(events: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """{"reference"} of the hand-off the conversation is paused for, None when the bot is active."""
    for event in reversed(events):
        if event.get("event") == "resume":
            return None
        if event.get("event") == "pause":
            for earlier in reversed(events):
                custom = ((earlier.get("data") or {}).get("custom") or {}).get("handoff")
                if earlier.get("event") == "bot" and isinstance(custom, dict):
                    return {"reference": custom.get("reference")}
            return {"reference": None}
    return None


class WebChatOutput(SocketIOOutput):
    """Rasa's Socket.IO output, with custom payloads sent as one {"custom": ...} message."""

    @classmethod
    def name(cls) -> Text:
        """Rasa's name, so trackers keep saying input_channel 'socketio'."""
        return "socketio"

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        """The payload under "custom", to the conversation's room (as Rasa's webchat expects)."""
        await self._send_message(recipient_id, {"custom": json_message})


def already_received(events: List[Dict[str, Any]], message_id: Text) -> bool:
    """True when one of the latest user messages carries `message_id`."""
    user_events = [e for e in events if e.get("event") == "user"][-DEDUP_WINDOW:]
    return any((e.get("metadata") or {}).get("message_id") == message_id for e in user_events)


class WebChatInput(SocketIOInput):
    """Socket.IO for the support page: origin-limited, with history and resend de-duplication."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "WebChatInput":
        """Read the `socketio` options plus `cors_allowed_origins` (overridden by the env)."""
        credentials = credentials or {}
        channel = cls(
            credentials.get("user_message_evt", "user_uttered"),
            credentials.get("bot_message_evt", "bot_uttered"),
            credentials.get("namespace"),
            credentials.get("session_persistence", False),
            credentials.get("socketio_path", "/socket.io"),
            credentials.get("jwt_key"),
            credentials.get("jwt_method", "HS256"),
            credentials.get("metadata_key", "metadata"),
        )
        configured = settings.WEBCHAT_ALLOWED_ORIGINS.get() or credentials.get(
            "cors_allowed_origins"
        )
        channel.allowed_origins = parse_origins(configured)
        return channel

    allowed_origins: Optional[List[Text]] = None

    def origin_allowed(self, environ: Dict[str, Any]) -> bool:
        """True for a page of a configured origin, or a client without an Origin.

        Never compared with the Host header: a DNS-rebinding page controls it (its own name
        resolving to this server), so "same origin as the Host" would let any site in.
        """
        origin = environ.get("HTTP_ORIGIN")
        if not origin:
            return True  # not a browser page: browsers always send Origin on these requests
        return origin.rstrip("/") in (self.allowed_origins or [])

    def get_output_channel(self) -> Optional[WebChatOutput]:
        """The output agents' replies and hand-backs are pushed through (to the conversation's room)."""
        return WebChatOutput(self.sio, self.bot_message_evt) if self.sio is not None else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's Socket.IO blueprint with the origin check, history and de-duplication added."""
        webhook = super().blueprint(on_new_message)
        sio = self.sio
        # engine.io keeps Rasa's cors_allowed_origins=[] (no CORS headers of its own: `rasa run
        # --cors` sets them, and two Access-Control-Allow-Origin headers would break polling);
        # the origin is checked here, at connect, for WebSocket and polling alike.
        logger.info(
            "Web chat accepts Socket.IO connections from: %s",
            ", ".join(self.allowed_origins or ["the Rasa server's own origin"]),
        )

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict] = None) -> bool:
            if not self.origin_allowed(environ):
                logger.warning(
                    "Refused a web chat connection from origin %r", environ.get("HTTP_ORIGIN")
                )
                return False
            if self.jwt_key:  # as Rasa's channel: a valid bearer token in the auth payload
                token = auth.get("token") if isinstance(auth, dict) else None
                payload = (
                    decode_bearer_token(token, self.jwt_key, self.jwt_algorithm) if token else None
                )
                return bool(payload)
            return True

        async def tracker_events(sid: Text, session_id: Text) -> List[Dict[str, Any]]:
            """The stored events of conversation `session_id` ([] when there is none)."""
            request = sio.get_environ(sid, namespace=self.namespace).get("sanic.request")
            agent = getattr(request.app.ctx, "agent", None) if request is not None else None
            if agent is None or agent.tracker_store is None:
                return []
            tracker = await agent.tracker_store.retrieve_full_tracker(session_id)
            return [event.as_dict() for event in tracker.events] if tracker else []

        @sio.on("history_request", namespace=self.namespace)
        async def history_request(sid: Text, data: Any) -> Dict[str, Any]:
            session_id = data.get("session_id") if isinstance(data, dict) else None
            if not valid_session_id(session_id):
                return {"messages": [], "error": "invalid session_id"}
            try:
                events = await tracker_events(sid, session_id)
            except Exception:  # the store being down must not break the chat itself
                logger.exception("Could not read the history of a web chat conversation")
                return {"messages": [], "error": "history unavailable"}
            messages = history_from_events(events, self.name())
            paused = handoff_state(events) if messages else None
            return {"messages": messages, "handoff": paused} if paused else {"messages": messages}

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Any) -> None:
            # As Rasa's, but an id of the wrong shape gets a fresh one instead of a room.
            data = data if isinstance(data, dict) else {}
            session_id = data.get("session_id")
            if not valid_session_id(session_id):
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                # python-socketio 5.x made enter_room a coroutine; Rasa 3.6 calls it without
                # await, so its own channel never joins the room and replies go nowhere.
                joined = sio.enter_room(sid, session_id, namespace=self.namespace)
                if inspect.isawaitable(joined):
                    await joined
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any = None) -> Dict[str, Any]:
            """A customer's message: checked, cleaned like every channel's, then handed to Rasa."""
            if not isinstance(data, dict):
                return {"ok": False, "error": "message must be an object"}
            text = data.get("message")
            if not isinstance(text, str):
                return {"ok": False, "error": "message must be text"}
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            metadata = metadata if isinstance(metadata, dict) and encodable(metadata) else {}
            if self.session_persistence:
                sender_id = data.get("session_id")
                if not valid_session_id(sender_id):
                    return {"ok": False, "error": "send session_request first"}
            else:
                sender_id = sid
            message_id = metadata.get("message_id")
            if isinstance(message_id, str) and MESSAGE_ID.match(message_id):
                if already_received(await tracker_events(sid, sender_id), message_id):
                    logger.debug("Dropped a resent web chat message %s", message_id)
                    return {"ok": True, "duplicate": True}
            output = WebChatOutput(sio, self.bot_message_evt)
            text = customer_text(text, domain_intents(webhook))
            await on_new_message(
                UserMessage(text, output, sender_id, input_channel=self.name(), metadata=metadata)
            )
            return {"ok": True}

        return webhook
