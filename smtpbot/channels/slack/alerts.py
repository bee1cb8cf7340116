"""Hand-off alerts for agents in Slack: when a ticket is opened (from any channel), post it to the
agents' channel with its two-line summary, reference, customer channel and how to open it.

Settings from the environment: SLACK_BOT_TOKEN, SLACK_AGENTS_CHANNEL (channel id; unset = no
alerts), optional SLACK_API_URL and SLACK_TICKET_URL (a link template such as
https://bot.example.com/agents/tickets/{reference}; without it the alert shows the agents' API
call). Posting runs in a background thread: a slow or unreachable Slack never delays the
customer's answer, and a failure is logged, never raised.
"""

import logging
import threading
from typing import Any, Dict, Optional

from slack_sdk import WebClient

from smtpbot import settings
from smtpbot.channels.slack.render import escape
from smtpbot.tickets.printable import terminal_safe

logger = logging.getLogger(__name__)


def one_line(value: str) -> str:
    """A customer-controlled value on one line: line breaks and control characters as escapes."""
    return terminal_safe(str(value)).replace("\n", "\\n").replace("\t", " ")


def alert_message(
    reference: str,
    summary: str,
    channel: str,
    conversation_id: str,
    ticket_url: Optional[str] = None,
) -> Dict[str, Any]:
    """chat.postMessage arguments: headline, the summary's two lines, where, and how to open it.

    Only our own values (the reference, the configured link) are in mrkdwn; everything a
    customer controls (summary with their words, conversation id) is in a plain_text block, one
    value per line, so it can neither format, link nor add lines of its own.
    """
    if ticket_url:
        open_it = f"<{ticket_url.format(reference=reference)}|Open {reference}>"
    else:
        open_it = f"Open it: `GET /webhooks/agents/tickets/{reference}` (agents' API)"
    headline = f":raising_hand: Hand-off *{escape(reference)}*"
    lines = [one_line(line) for line in summary.strip().splitlines()[:2]] or ["(no summary)"]
    details = "\n".join(
        [
            f"from {one_line(channel)}",
            *lines,
            f"Channel: {one_line(channel)} | conversation {one_line(conversation_id)}",
        ]
    )
    return {
        "text": f"Hand-off {reference}: a customer needs a person",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": f"{headline}\n{open_it}"}},
            {"type": "section", "text": {"type": "plain_text", "text": details[:3000]}},
        ],
    }


def post_handoff_alert(
    reference: str,
    summary: str,
    channel: str,
    conversation_id: str,
    environ: Optional[Dict[str, str]] = None,
) -> bool:
    """Post the alert now (blocking); False when alerts are off or Slack refused or failed."""
    token = settings.SLACK_BOT_TOKEN.get(environ)
    agents = settings.SLACK_AGENTS_CHANNEL.get(environ)
    if not (token and agents):
        logger.debug(
            "No Slack hand-off alert for %s: SLACK_AGENTS_CHANNEL or SLACK_BOT_TOKEN not set.",
            reference,
        )
        return False
    client = WebClient(token, base_url=settings.SLACK_API_URL.get(environ), timeout=10)
    message = alert_message(
        reference, summary, channel, conversation_id, settings.SLACK_TICKET_URL.get(environ)
    )
    try:
        client.chat_postMessage(channel=agents, **message)
        return True
    except Exception as error:  # noqa: BLE001 - an alert must never break the hand-off itself
        logger.error("Slack hand-off alert for %s to %s failed: %s", reference, agents, error)
        return False


def alert_agents(reference: str, summary: str, channel: str, conversation_id: str) -> None:
    """Post the alert in a background thread (the customer's answer does not wait for Slack)."""
    threading.Thread(
        target=post_handoff_alert,
        args=(reference, summary, channel, conversation_id),
        name=f"slack-alert-{reference}",
        daemon=True,
    ).start()
