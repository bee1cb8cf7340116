"""Slack channel: customers and staff talk to the bot in DMs and in channel threads.

Registered in credentials.yml as `smtpbot.channels.slack.channel.SlackInput`; all settings come from
the environment (secrets are never in files):

  SLACK_BOT_TOKEN       bot token (xoxb-...)                                   required
  SLACK_SIGNING_SECRET  the app's signing secret                               required
  SLACK_CHANNEL         channel id(s), comma-separated, where the bot answers
                        every message; elsewhere it answers DMs and @mentions  optional
  SLACK_API_URL         Web API base URL (default https://slack.com/api/)      optional
  SLACK_DEDUP_DB        handled-events database: SQLite path or SQLAlchemy URL optional

Without the token or the secret the server starts with Slack off and says so in one log line.

Conversations: a DM is one conversation (sender id = the DM channel id); in channels every
thread is one conversation (sender id = "<channel>:<thread ts>") and the bot answers in it.
Every request is checked against the signing secret (missing, wrong or older than 5 minutes:
refused) and claimed in the database before it is handled, so a Slack retry (any
X-Slack-Retry-Reason), a duplicate mention event or a replayed request is answered only once,
whichever process receives it.
"""

import asyncio
import json
import logging
import re
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Dict, List, Optional, Set, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot
from rasa.core.channels.slack import SlackInput as RasaSlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.exc import SQLAlchemyError

from smtpbot import settings
from smtpbot.channels.inputs import CHANNEL_IDS, app_intents, customer_text
from smtpbot.channels.slack.render import chosen_blocks, escape, message_with_buttons
from smtpbot.channels.slack.store import SlackStore, database_url
from smtpbot.runtime.metrics import metrics

logger = logging.getLogger(__name__)

SLACK_CHANNEL_ID = re.compile(r"^[CDG][A-Z0-9]{8,}$")
SLACK_TS = re.compile(r"^\d+\.\d+$")
SLACK_ERRORS = (
    Exception,
)  # any failure to post is logged; one lost reply must not stop the others


def slack_settings(environ: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
    """The channel's settings from the environment (None for the required ones when unset)."""
    return {
        "token": settings.SLACK_BOT_TOKEN.get(environ),
        "signing_secret": settings.SLACK_SIGNING_SECRET.get(environ),
        "listen_channels": settings.SLACK_CHANNEL.get_list(environ),
        "api_url": settings.SLACK_API_URL.get(environ),
        "dedup_db": database_url(settings.SLACK_DEDUP_DB.get(environ)),
    }


def conversation_id(channel: str, thread_ts: Optional[str], is_dm: bool) -> str:
    """A DM is one conversation; in a channel, each thread is one."""
    return channel if is_dm else f"{channel}:{thread_ts}"


def posted_by_this_app(payload: Dict[str, Any]) -> bool:
    """True when a block_actions click is on a message this app posted in the conversation.

    Slack gives the clicked message in `message` (absent for ephemeral messages, whose
    `container.is_ephemeral` is true); a message posted by an app has a `bot_id` and its app's
    id in `app_id` (also `bot_profile.app_id`), which must be the app receiving the click
    (`api_app_id`). The bot never posts ephemeral messages, so those are never its own.
    """
    container, message = payload.get("container") or {}, payload.get("message")
    if container.get("type") != "message" or container.get("is_ephemeral") is not False:
        return False
    if not isinstance(message, dict) or not message.get("bot_id"):
        return False
    app = message.get("app_id") or (message.get("bot_profile") or {}).get("app_id")
    return bool(app) and app == payload.get("api_app_id")


def valid_conversation(channel: Any, thread_ts: Any, is_dm: bool) -> bool:
    """True when channel and thread are shaped like Slack's ids (so no other channel's id)."""
    if not isinstance(channel, str) or not SLACK_CHANNEL_ID.match(channel):
        return False
    if not is_dm and not (isinstance(thread_ts, str) and SLACK_TS.match(thread_ts)):
        return False
    return bool(CHANNEL_IDS["slack"].match(conversation_id(channel, thread_ts, is_dm)))


def is_dm_channel(channel: str) -> bool:
    """Slack's DM conversation ids start with D (C: public channel, G: private channel)."""
    return channel.startswith("D")


class SlackOutput(SlackBot):
    """Posts the bot's replies with chat.postMessage, in the conversation's thread."""

    @classmethod
    def name(cls) -> Text:
        """Same name as Rasa's connector, so trackers say input_channel 'slack'."""
        return "slack"

    def __init__(
        self, token: Text, channel: Text, thread_ts: Optional[Text], api_url: Text
    ) -> None:
        """Replies go to `channel`, in thread `thread_ts` when given, through `api_url`."""
        super().__init__(token, channel, thread_ts)
        self.client = AsyncWebClient(token, base_url=api_url)

    async def _post_message(self, channel: Text, **kwargs: Any) -> None:
        """chat.postMessage; failures are logged, never raised (the next message still goes out)."""
        kwargs.pop("as_user", None)  # legacy argument, refused for the bot tokens of new Slack apps
        kwargs.pop("type", None)  # not a chat.postMessage argument
        if self.thread_id:
            kwargs["thread_ts"] = self.thread_id
        try:
            await self.client.chat_postMessage(channel=channel, **kwargs)
        except SLACK_ERRORS as error:
            logger.error("Slack chat.postMessage to %s failed: %s", channel, error)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        """One Slack message per paragraph, as Rasa's connector does, with Slack's escaping."""
        for part in text.strip().split("\n\n"):
            if part.strip():
                await self._post_message(self.slack_channel or recipient_id, text=escape(part))

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        """Text and every button (rows of five; none dropped, unlike Rasa's connector)."""
        await self._post_message(
            self.slack_channel or recipient_id, **message_with_buttons(text, buttons)
        )

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        """Post custom messages that are Slack messages; others (e.g. {"handoff": ...}) are for other channels."""
        if not any(key in json_message for key in ("text", "blocks", "attachments")):
            logger.debug("Custom message not for Slack, not posted: %s", list(json_message))
            return
        await super().send_custom_json(recipient_id, dict(json_message), **kwargs)

    async def mark_choice(
        self, channel: Text, message: Dict[str, Any], user_id: Text, title: Text
    ) -> None:
        """Replace a clicked message's buttons with who chose what, so old buttons cannot be re-clicked."""
        try:
            await self.client.chat_update(
                channel=channel,
                ts=message["ts"],
                text=message.get("text", ""),
                blocks=chosen_blocks(message.get("blocks") or [], user_id, title),
            )
        except SLACK_ERRORS as error:
            logger.warning("Slack chat.update of %s failed: %s", message.get("ts"), error)


class SlackDisabled(InputChannel):
    """Stands in for the Slack channel when it is not configured: the webhook answers 503."""

    @classmethod
    def name(cls) -> Text:
        """Same URL as the real channel: /webhooks/slack/webhook."""
        return "slack"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """A webhook that tells callers Slack is off on this server."""
        slack_webhook = Blueprint("slack_webhook", __name__)

        @slack_webhook.route("/webhook", methods=["GET", "POST"])
        async def webhook(_: Request) -> HTTPResponse:
            return response.text(
                "Slack is not configured on this server.", status=HTTPStatus.SERVICE_UNAVAILABLE
            )

        return slack_webhook


class SlackInput(RasaSlackInput):
    """Receives Slack's Events API and interactivity requests on /webhooks/slack/webhook."""

    @classmethod
    def name(cls) -> Text:
        """The URL prefix: /webhooks/slack/."""
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        """Read the environment (not credentials.yml); without token and secret, Slack is off."""
        config = slack_settings()
        missing = [
            name
            for name, key in (
                ("SLACK_BOT_TOKEN", "token"),
                ("SLACK_SIGNING_SECRET", "signing_secret"),
            )
            if not config[key]
        ]
        if missing:
            logger.warning(
                "Slack channel off: %s not set (see README, section Slack).", " and ".join(missing)
            )
            return SlackDisabled()
        logger.info(
            "Slack channel on: webhook /webhooks/slack/webhook, API %s%s.",
            config["api_url"],
            f", answering every message in {', '.join(config['listen_channels'])}"
            if config["listen_channels"]
            else "",
        )
        return cls(
            config["token"],
            config["signing_secret"],
            config["listen_channels"],
            config["api_url"],
            SlackStore(config["dedup_db"]),
        )

    def __init__(
        self,
        token: Text,
        signing_secret: Text,
        listen_channels: List[Text],
        api_url: Text,
        store: SlackStore,
    ) -> None:
        """Configure; the signing secret is mandatory (Rasa's check raises without it)."""
        super().__init__(token, slack_signing_secret=signing_secret, use_threads=True)
        self.listen_channels = set(listen_channels)
        self.api_url = api_url
        self.store = store
        self._tasks: Set[asyncio.Task] = set()

    def get_output_channel(
        self, channel: Optional[Text] = None, thread_id: Optional[Text] = None
    ) -> OutputChannel:
        """The Slack poster for one conversation (channel and thread)."""
        return SlackOutput(self.slack_token, channel or "", thread_id, self.api_url)

    # ----- the webhook -----

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """GET / (health) and POST /webhook (Events API and interactivity)."""
        slack_webhook = Blueprint("slack_webhook", __name__)

        @slack_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @slack_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self.is_request_from_slack_authentic(request):
                logger.warning("Refused a Slack request with a missing, wrong or stale signature.")
                metrics().webhooks_refused.labels("slack", "bad_signature").inc()
                return response.text(
                    "Request refused: missing, wrong or stale X-Slack-Signature.",
                    status=HTTPStatus.UNAUTHORIZED,
                )
            content_type = (request.headers.get("content-type") or "").split(";")[0].strip()
            try:
                if content_type == "application/json":
                    return await self._handle_event(request, request.json or {}, on_new_message)
                if content_type == "application/x-www-form-urlencoded" and request.form.get(
                    "payload"
                ):
                    return await self._handle_interaction(
                        request, json.loads(request.form.get("payload")), on_new_message
                    )
            except (ValueError, TypeError, AttributeError, KeyError) as error:
                logger.warning("Unreadable Slack request: %s", error)
                metrics().webhooks_refused.labels("slack", "unreadable").inc()
                return response.text("Unreadable request.", status=HTTPStatus.BAD_REQUEST)
            except SQLAlchemyError as error:
                # Not claimed, not handled: 503 makes Slack retry later instead of losing the message.
                logger.error(
                    "Slack request not handled, the handled-events database failed: %s", error
                )
                metrics().webhooks_refused.labels("slack", "database").inc()
                return response.text(
                    "Temporarily unavailable.", status=HTTPStatus.SERVICE_UNAVAILABLE
                )
            return response.text("Nothing to do.")

        return slack_webhook

    async def _handle_event(
        self,
        request: Request,
        body: Dict[str, Any],
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> HTTPResponse:
        """url_verification, or a message / app_mention event from a person."""
        if body.get("type") == "url_verification":
            return response.json({"challenge": body.get("challenge", "")})
        event = body.get("event") or {}
        if body.get("type") != "event_callback" or event.get("type") not in (
            "message",
            "app_mention",
        ):
            return response.text("Event ignored.")
        bot_user = ((body.get("authorizations") or [{}])[0] or {}).get("user_id")
        channel, ts, user = (
            event.get("channel") or "",
            event.get("ts") or "",
            event.get("user") or "",
        )
        from_person = (
            user
            and user != bot_user
            and not event.get("bot_id")
            and event.get("subtype") in (None, "thread_broadcast", "file_share")
        )
        if not (from_person and channel and ts):
            return response.text("Event ignored.")
        is_dm = event.get("channel_type") == "im" or is_dm_channel(channel)
        thread_ts = event.get("thread_ts") if is_dm else event.get("thread_ts") or ts
        if not valid_conversation(channel, thread_ts, is_dm):
            return response.text("Event ignored: not a Slack conversation id.")
        if not is_dm and not await self._is_for_the_bot(event, channel, thread_ts):
            return response.text("Event ignored: not addressed to the bot.")
        keys = [
            f"event:{body.get('event_id') or ''}",
            f"message:{channel}:{ts}",
            self._signature_key(request),
        ]
        if not await self._claim(request, keys):
            return self._already_handled()
        if not is_dm:
            await self._run(self.store.join_thread, conversation_id(channel, thread_ts, False))
        text = self._sanitize_user_message(event.get("text") or "", [bot_user] if bot_user else [])
        text = customer_text(text, app_intents(request.app))  # cleaned as on every channel
        metadata = {
            "out_channel": channel,
            "thread_id": thread_ts,
            "users": [bot_user] if bot_user else [],
            "slack_user": user,
            "slack_channel": channel,
            "slack_team": body.get("team_id"),
        }
        self._dispatch(
            on_new_message, text or "/greet", conversation_id(channel, thread_ts, is_dm), metadata
        )
        return response.text("")

    async def _handle_interaction(
        self,
        request: Request,
        payload: Dict[str, Any],
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> HTTPResponse:
        """A button click (block_actions) on one of the bot's messages: send its payload as the user."""
        if payload.get("type") != "block_actions" or not self._is_interactive_message(payload):
            return response.text("Interaction ignored.")
        if not posted_by_this_app(payload):
            logger.info("Ignored a click on a message this app did not post.")
            return response.text("Interaction ignored: not the bot's message.")
        action = payload["actions"][0]
        text = self._get_interactive_response(action)
        container = payload.get("container") or {}
        message = payload.get("message") or {}
        channel = (payload.get("channel") or {}).get("id") or container.get("channel_id") or ""
        user = (payload.get("user") or {}).get("id") or ""
        if not (text and channel and user):
            return response.text("Interaction ignored.")
        is_dm = is_dm_channel(channel)
        thread_ts = message.get("thread_ts") or container.get("thread_ts")
        if not is_dm:
            thread_ts = thread_ts or message.get("ts") or container.get("message_ts")
        if not valid_conversation(channel, thread_ts, is_dm):
            return response.text("Interaction ignored: not a Slack conversation id.")
        text = customer_text(text, app_intents(request.app))
        keys = [
            f"action:{payload.get('trigger_id') or ''}:{action.get('action_ts') or ''}",
            self._signature_key(request),
        ]
        if not await self._claim(request, keys):
            return self._already_handled()
        output = self.get_output_channel(channel, thread_ts)
        if message.get("ts"):
            title = (action.get("text") or {}).get("text") or text
            self._background(output.mark_choice(channel, message, user, title))
        metadata = {
            "out_channel": channel,
            "thread_id": thread_ts,
            "users": [],
            "slack_user": user,
            "slack_channel": channel,
            "slack_team": (payload.get("team") or {}).get("id"),
        }
        self._dispatch(
            on_new_message, text, conversation_id(channel, thread_ts, is_dm), metadata, output
        )
        return response.text("")

    async def _is_for_the_bot(self, event: Dict[str, Any], channel: str, thread_ts: str) -> bool:
        """In channels: mentions, the configured channels, and threads the bot already talks in."""
        if event.get("type") == "app_mention" or channel in self.listen_channels:
            return True
        if event.get("thread_ts"):
            return await self._run(self.store.in_thread, conversation_id(channel, thread_ts, False))
        return False

    async def _claim(self, request: Request, keys: List[str]) -> bool:
        """Claim the request in the shared database; False if it (or its event) was handled before."""
        retry = request.headers.get("X-Slack-Retry-Num")
        reason = request.headers.get("X-Slack-Retry-Reason")
        first = await self._run(self.store.claim, keys)
        if retry:
            logger.info(
                "Slack retry #%s (%s): %s.",
                retry,
                reason,
                "handling it, the first delivery never reached us" if first else "already answered",
            )
        elif not first:
            logger.warning(
                "Ignored a Slack request that was already handled (replay or duplicate event)."
            )
        return first

    @staticmethod
    def _signature_key(request: Request) -> str:
        """A signed request can be replayed for 5 minutes; its signature identifies the copy."""
        return "signature:" + request.headers.get("X-Slack-Signature", "")

    @staticmethod
    def _already_handled() -> HTTPResponse:
        """200 so that Slack stops retrying; nothing is processed."""
        return response.text("Already handled.", headers={"X-Slack-No-Retry": "1"})

    def _dispatch(
        self,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        text: str,
        sender_id: str,
        metadata: Dict[str, Any],
        output: Optional[OutputChannel] = None,
    ) -> None:
        """Hand the message to Rasa in the background: Slack wants its answer within 3 seconds."""
        output = output or self.get_output_channel(metadata["out_channel"], metadata["thread_id"])
        message = UserMessage(text, output, sender_id, input_channel=self.name(), metadata=metadata)
        self._background(on_new_message(message))

    def _background(self, coroutine: Awaitable[Any]) -> None:
        """Run a coroutine after the response, keeping a reference so it is not garbage-collected."""
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _run(function: Callable[..., Any], *args: Any) -> Any:
        """Run a blocking database call off the event loop."""
        return await asyncio.get_running_loop().run_in_executor(None, function, *args)
