"""Rasa's REST channel with its input checked: a clear 400 for bad requests, a reply for every message.

Same URL and protocol as `rest:` (POST /webhooks/rest/webhook with {"sender", "message"},
answered with the list of bot messages). Rasa's own channel instead:
- puts every request without a sender into one shared conversation ("default"), so anonymous
  customers would see each other's state;
- answers 500 for a body that is not a JSON object, and an empty list (silence) for a missing or
  non-text message, invalid metadata, or a message the tracker store cannot save (NUL);
- lets the body choose the `input_channel` recorded in the tracker.
`CheckedRestInput` answers 400 with a JSON error for a malformed request, cleans the text
(smtpbot/channels/inputs.py) and, if handling the message fails all the same (e.g. the database
is restarting), answers with the "having trouble" text instead of an empty list. An empty list
is still a valid answer when the bot is deliberately silent (conversation paused for an agent).

With `?stream=true` (what Rasa's own terminal client sends) the answer is Rasa's streaming form:
`text/event-stream`, one JSON object per line, the same messages in the same order. They are
written once the turn is stored, so a reply is never shown for a turn that could not be saved
(the customer gets the "having trouble" line instead, as without streaming).

`AgentAwareRestInput` (the one in credentials.yml) also returns the agents' replies queued for
the customer while they were not asking (smtpbot/tickets), before this exchange's replies - but
only to the conversation's own client: the first answer of a conversation carries a key in the
header `X-Conversation-Key`, and queued replies are handed over only to requests that send it
back in the same header (anyone can post as any sender id; not everyone can read the replies).
"""

import asyncio
import json
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.utils.endpoints import bool_arg
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from smtpbot.channels.inputs import (
    app_intents,
    customer_text,
    metadata_problem,
    sender_problem,
)
from smtpbot.runtime.metrics import metrics
from smtpbot.runtime.patches.action_guard import trouble_message

logger = logging.getLogger(__name__)

KEY_HEADER = "X-Conversation-Key"


def bad_request(reason: Text) -> HTTPResponse:
    """A 400 that says what is wrong, as JSON like the rest of the API."""
    return response.json({"status": 400, "error": "bad_request", "message": reason}, status=400)


def parse_body(raw: bytes) -> Tuple[Optional[Dict[Text, Any]], Optional[Text]]:
    """(sender, message, metadata) checked; (None, reason) when the request is malformed."""
    try:
        body = json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, ValueError):
        return None, "the body must be UTF-8 JSON"
    if not isinstance(body, dict):
        return None, 'the body must be a JSON object {"sender": ..., "message": ...}'
    sender = body.get("sender")
    if isinstance(sender, int) and not isinstance(sender, bool):
        sender = str(sender)
    problem = sender_problem(sender, "rest")
    if problem:
        return None, problem
    message = body.get("message")
    if not isinstance(message, str):
        return None, '"message" must be a string'
    metadata = body.get("metadata")
    problem = metadata_problem(metadata)
    if problem:
        return None, problem
    return {"sender": sender, "message": message, "metadata": metadata}, None


class CheckedRestInput(RestInput):
    """The `rest` channel, validating requests and never answering a message with silence."""

    @classmethod
    def name(cls) -> Text:
        """Keep Rasa's name, hence its URL /webhooks/rest/webhook."""
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """GET / (health) and POST /webhook, as Rasa's REST channel."""
        webhook = Blueprint("checked_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            fields, problem = parse_body(request.body)
            if fields is None:
                return bad_request(problem or "bad request")
            text = customer_text(fields["message"], app_intents(request.app))
            # Queued agents' replies come first, and the conversation key (issued with the first
            # answer) goes in a header, which a streamed answer sends before its first line.
            queued, key = await self.queued_messages(
                fields["sender"], request.headers.get(KEY_HEADER)
            )
            headers = {KEY_HEADER: key} if key else None
            if bool_arg(request, "stream", default=False):
                return response.stream(
                    self.stream_lines(on_new_message, text, fields, queued),
                    content_type="text/event-stream",
                    headers=headers,
                )
            messages = await self.turn(on_new_message, text, fields)
            return response.json(queued + messages, headers=headers)

        return webhook

    def stream_lines(
        self,
        on_new_message: Callable,
        text: Text,
        fields: Dict[Text, Any],
        queued: List[Dict[str, Any]],
    ) -> Callable[[Any], Awaitable[None]]:
        """Rasa's streamed answer: the messages of the JSON answer, one JSON object per line."""

        async def write(stream: Any) -> None:
            for message in queued + await self.turn(on_new_message, text, fields):
                await stream.write(json.dumps(message) + "\n")

        return write

    async def turn(
        self, on_new_message: Callable, text: Text, fields: Dict[Text, Any]
    ) -> List[Dict[str, Any]]:
        """Handle one message; the bot's replies, or the "having trouble" text if it failed."""
        collector = CollectingOutputChannel()
        failed = False
        try:
            await on_new_message(
                UserMessage(
                    text,
                    collector,
                    fields["sender"],
                    input_channel=self.name(),
                    metadata=fields["metadata"],
                )
            )
        except Exception:
            failed = True
            logger.exception("Could not handle a REST message")
            metrics().trouble_replies.labels(self.name()).inc()
        messages: List[Dict[str, Any]] = collector.messages
        if failed:
            # Replies built before the failure (e.g. the tracker could not be saved) would
            # show a step the stored conversation never reached: ask for a resend instead.
            messages = [{"recipient_id": fields["sender"], "text": trouble_message()}]
        return messages

    async def queued_messages(
        self, sender: Text, key: Optional[Text]
    ) -> Tuple[List[Dict[str, Any]], Optional[Text]]:
        """(Messages waiting for this customer from elsewhere, a newly issued conversation key);
        nothing for the plain channel."""
        return [], None


class AgentAwareRestInput(CheckedRestInput):
    """The checked REST channel that also hands over agents' replies queued for the customer."""

    async def queued_messages(
        self, sender: Text, key: Optional[Text]
    ) -> Tuple[List[Dict[str, Any]], Optional[Text]]:
        """The undelivered outbox messages of this conversation (each delivered once) when `key`
        is the conversation's; a conversation without a key gets one (returned once)."""
        from smtpbot.tickets.store import get_store  # opened on first use, never at import

        try:
            return await asyncio.to_thread(get_store().take_for_owner, sender, key)
        except Exception:  # the ticket database being down must not block the bot's answer
            logger.exception("Could not read the agents' queued replies")
            return [], None
