"""The agents' HTTP API, served by the Rasa server as a custom channel (/webhooks/agents/...).

    GET  /webhooks/agents/tickets[?status=open|resolved|handed_back|all]   list
    GET  /webhooks/agents/tickets/<ref>                                    one, with transcript
    POST /webhooks/agents/tickets/<ref>/reply     {"text": ..., "agent": ...}
    POST /webhooks/agents/tickets/<ref>/resolve
    POST /webhooks/agents/tickets/<ref>/handback  {"guide": ..., "step": ..., "text": ...}
    GET  /webhooks/agents/insights[?since=&until=&channel=]               report (insights/api.py)

Every request needs the token of the environment variable named in credentials.yml
(AGENT_API_TOKEN) as `Authorization: Bearer <token>`; with no token configured the API refuses
everything. `handback` resumes the bot: at `guide`/`step` when given, else at the client and
version read from `text` (pasted mail headers first, then the bot's own NLU), else where the
customer was.
"""

import asyncio
import hmac
import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from smtpbot import settings
from smtpbot.channels.inputs import encodable
from smtpbot.kb.entities import FACT_NAMES, facts_from_entities
from smtpbot.kb.headers import facts_from_headers
from smtpbot.kb.knowledge import get_kb
from smtpbot.tickets import conversation
from smtpbot.tickets.store import OPEN, get_store, parse_reference

logger = logging.getLogger(__name__)
STATUSES = {"open", "resolved", "handed_back", "all"}
MAX_TEXT = 5000
SYNC_EVERY = 5.0  # seconds between copies of paused customers' messages into their tickets


def _error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)


class AgentApiInput(InputChannel):
    """Agents' API for tickets: list, read, reply, resolve, hand back."""

    @classmethod
    def name(cls) -> Text:
        return "agents"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        return cls(token_env=credentials.get("token_env", settings.AGENT_API_TOKEN.name))

    def __init__(self, token_env: str = settings.AGENT_API_TOKEN.name):
        """The token is read from the environment at each request (rotation needs no restart)."""
        self.token_env = token_env

    def authorised(self, request: Request) -> Optional[HTTPResponse]:
        """None when the request carries the configured token, else the refusal."""
        token = settings.value_of(self.token_env)
        if not token:
            return _error(403, f"agents' API disabled: {self.token_env} is not set")
        header = request.headers.get("authorization", "")
        given = header[7:] if header.lower().startswith("bearer ") else ""
        if not given or not hmac.compare_digest(given.encode(), token.encode()):
            return _error(401, "missing or wrong token")
        return None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Routes of the API; `request.app.ctx.agent` is the running Rasa agent."""
        api = Blueprint("smtpbot_agents_api", __name__)
        channel = self

        async def load(request: Request, reference: str):
            refused = channel.authorised(request)
            if refused:
                return None, refused
            ticket_id = parse_reference(reference)
            ticket = await asyncio.to_thread(get_store().get, ticket_id) if ticket_id else None
            if ticket is None:
                return None, _error(404, f"no ticket {reference}")
            return ticket, None

        async def load_open(request: Request, reference: str):
            """The ticket for an action on it (reply, resolve, hand back): refused with 409 unless
            open, before its body is looked at - a closed ticket takes no action whatever is sent."""
            ticket, refused = await load(request, reference)
            if refused is None and ticket.status != OPEN:
                refused = _error(409, f"ticket {ticket.reference} is {ticket.status}, not open")
            return ticket, refused

        def body(request: Request) -> Dict[str, Any]:
            try:
                data = request.json
            except Exception:  # malformed JSON is the client's error, not ours
                return {"__invalid__": True}
            return data if isinstance(data, dict) else {"__invalid__": True}

        @api.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            refused = channel.authorised(request)
            return refused or response.json({"status": "ok"})

        @api.route("/tickets", methods=["GET"])
        async def list_tickets(request: Request) -> HTTPResponse:
            refused = channel.authorised(request)
            if refused:
                return refused
            status = request.args.get("status", OPEN)
            if status not in STATUSES:
                return _error(400, f"status must be one of {sorted(STATUSES)}")
            store = get_store()
            tickets = await asyncio.to_thread(store.list, None if status == "all" else status)
            return response.json({"tickets": [t.as_dict(with_messages=False) for t in tickets]})

        @api.route("/tickets/<reference>", methods=["GET"])
        async def show(request: Request, reference: str) -> HTTPResponse:
            ticket, refused = await load(request, reference)
            if refused:
                return refused
            store = get_store()
            if ticket.status == OPEN:
                await conversation.sync_transcript(request.app, store, ticket)
                ticket = await asyncio.to_thread(store.get, ticket.id)
            return response.json(ticket.as_dict())

        @api.route("/tickets/<reference>/reply", methods=["POST"])
        async def reply(request: Request, reference: str) -> HTTPResponse:
            ticket, refused = await load_open(request, reference)
            if refused:
                return refused
            data = body(request)
            text = data.get("text")
            if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
                return _error(
                    400, f"'text' must be a non-empty string of at most {MAX_TEXT} characters"
                )
            author = str(data.get("agent") or "agent")[:100]
            if not encodable(text) or not encodable(author):  # lone surrogates: not storable
                return _error(400, "'text' and 'agent' must be valid text")
            delivery = await conversation.agent_reply(
                request.app, get_store(), ticket, text.strip(), author
            )
            return response.json({"reference": ticket.reference, "delivery": delivery})

        @api.route("/tickets/<reference>/resolve", methods=["POST"])
        async def resolve(request: Request, reference: str) -> HTTPResponse:
            ticket, refused = await load_open(request, reference)
            if refused:
                return refused
            await conversation.resolve(request.app, get_store(), ticket)
            return response.json({"reference": ticket.reference, "status": "resolved"})

        @api.route("/tickets/<reference>/handback", methods=["POST"])
        async def handback(request: Request, reference: str) -> HTTPResponse:
            ticket, refused = await load_open(request, reference)
            if refused:
                return refused
            data = body(request)
            if data.get("__invalid__"):
                return _error(400, "the body must be a JSON object")
            slots, problem = await handback_slots(request.app, data)
            if problem:
                return _error(400, problem)
            delivery = await conversation.hand_back(request.app, get_store(), ticket, slots)
            return response.json(
                {
                    "reference": ticket.reference,
                    "status": "handed_back",
                    "slots": slots,
                    "delivery": delivery,
                }
            )

        @api.route("/insights", methods=["GET"])
        async def insights(request: Request) -> HTTPResponse:
            refused = channel.authorised(request)
            if refused:
                return refused
            from smtpbot.insights.api import insights_response  # only this route needs it

            return await insights_response(request)

        @api.listener("after_server_start")
        async def start_sync(app, _loop) -> None:
            app.add_task(sync_open_tickets(app))

        return api


async def handback_slots(app: Any, data: Dict[str, Any]):
    """The slots a hand-back sets, from {"guide", "step"} or {"text"}; (slots, error)."""
    kb = get_kb()
    guide_id, step, text = data.get("guide"), data.get("step"), data.get("text")
    if guide_id is not None:
        if not isinstance(guide_id, str) or guide_id not in kb.guides:  # ["x"] is unhashable
            return None, f"unknown guide {guide_id!r}"
        guide = kb.guides[guide_id]
        if step is None:
            step = 1
        if not isinstance(step, int) or isinstance(step, bool) or not 1 <= step <= guide.total:
            return None, f"step must be an integer from 1 to {guide.total}"
        return {"guide": guide_id, "step": float(step), "asked": None}, None
    if step is not None:
        return None, "'step' needs 'guide'"
    if text is None:
        return {}, None
    if not isinstance(text, str) or len(text) > 200_000 or not encodable(text):
        return None, "'text' must be valid text of at most 200,000 characters"
    facts = facts_from_headers(kb, text)
    if facts is None:
        facts = await facts_from_nlu(app, text[:MAX_TEXT])
    if facts is None:
        return {}, None
    slots = {name: getattr(facts, name) for name in FACT_NAMES}
    slots.update(guide=None, step=None, asked=None)
    return slots, None


async def facts_from_nlu(app: Any, text: str):
    """The client/version the bot's own NLU finds in free text ("she uses outlook 2007")."""
    from smtpbot.kb.facts import Facts

    parsed = await app.ctx.agent.parse_message(text)
    facts = facts_from_entities(get_kb(), parsed.get("entities", []))
    return None if facts == Facts() else facts


async def sync_open_tickets(app: Any) -> None:
    """Keep open tickets' transcripts current while customers write to a paused bot."""
    while True:
        await asyncio.sleep(SYNC_EVERY)
        try:
            store = get_store()
            for ticket in await asyncio.to_thread(store.list, OPEN):
                await conversation.sync_transcript(app, store, ticket)
        except asyncio.CancelledError:
            raise
        except Exception:  # a failed round is retried at the next one
            logger.exception("ticket transcript sync failed")
