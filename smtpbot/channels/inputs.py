"""Clean what a customer typed before Rasa sees it: the same rules for every channel.

- Control characters (NUL, escape sequences...) and lone UTF-16 surrogates are removed: they
  carry no meaning, and NUL or a surrogate makes the tracker store fail to save the turn
  (the customer would get silence).
- Text is cut at MAX_MESSAGE_CHARS: a question or a pasted error fits; 100 KB does not need
  to go through NLU and into the database.
- A typed `/intent{...}` payload is honoured only for the intents the bot itself offers as
  buttons (domain.yml `intents`). Rasa's built-in ones (`/restart`, `/back`, `/session_start`,
  `/nlu_fallback`) would silently reset, undo or end the conversation without a reply, so they
  are read as ordinary words instead ("/restart" -> "restart", which NLU understands).
  Entities in payloads are validated by the actions (actions/identify.py), never trusted here.
"""

import json
import re
from typing import Any, Iterable, List, Optional, Text

from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.core.constants import (
    USER_INTENT_BACK,
    USER_INTENT_RESTART,
    USER_INTENT_SESSION_START,
)

MAX_MESSAGE_CHARS = 5000
# C0/C1 controls except tab, newline, carriage return; and lone surrogates.
UNWANTED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
TYPED_INTENT = re.compile(r"^\s*/+([A-Za-z0-9_-]+)")
# Rasa's own intents that act on the conversation itself, never offered as buttons.
BUILTIN_INTENTS = {
    USER_INTENT_RESTART,
    USER_INTENT_BACK,
    USER_INTENT_SESSION_START,
    DEFAULT_NLU_FALLBACK_INTENT_NAME,
}


# Tracker stores key conversations on the sender id (PostgreSQL: VARCHAR(255)).
MAX_SENDER_CHARS = 255
# Metadata is stored with every message: a few fields, not a document.
MAX_METADATA_CHARS = 10_000
# The conversation ids each channel hands out; no other channel may use them, so that nobody can
# write into (or read) a Slack, Chatwoot or web chat conversation through another channel.
CHANNEL_IDS = {
    "socketio": re.compile(r"^[0-9a-f]{32}$"),
    "chatwoot": re.compile(r"^chatwoot-\d+-\d+$"),
    "slack": re.compile(r"^[CDG][A-Z0-9]{8,}(:\d+\.\d+)?$"),
}


def encodable(value: Any) -> bool:
    """True when `value` (text, or JSON data) can be written as UTF-8: no lone surrogates."""
    try:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        text.encode("utf-8")
    except (UnicodeEncodeError, TypeError, ValueError):
        return False
    return True


def sender_problem(sender: Any, channel: Text) -> Optional[Text]:
    """Why `sender` cannot be a conversation id of `channel`, or None when it can.

    Refused: non-text, empty, longer than MAX_SENDER_CHARS, not storable as UTF-8 (a lone
    surrogate made the tracker store fail), control characters (they end up in agents' alerts
    and terminals), and the id shapes other channels hand out.
    """
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        return f'"sender" must be a non-empty string of at most {MAX_SENDER_CHARS} characters'
    if not encodable(sender) or UNWANTED.search(sender):
        return '"sender" must be valid text without control characters'
    for owner, shape in CHANNEL_IDS.items():
        if owner != channel and shape.match(sender):
            return f'"sender" has the shape of a {owner} conversation id, reserved for that channel'
    return None


def metadata_problem(metadata: Any) -> Optional[Text]:
    """Why message metadata cannot be stored, or None (None and small JSON objects are fine)."""
    if metadata is None:
        return None
    if not isinstance(metadata, dict):
        return '"metadata" must be a JSON object'
    if not encodable(metadata) or len(json.dumps(metadata)) > MAX_METADATA_CHARS:
        return f'"metadata" must be valid text of at most {MAX_METADATA_CHARS} characters as JSON'
    return None


def app_intents(app: Any) -> List[Text]:
    """The intents of the model loaded in a Sanic app (for `customer_text`); [] before it loads."""
    agent = getattr(getattr(app, "ctx", None), "agent", None)
    return list(agent.domain.intents) if agent is not None and agent.domain else []


def clean_text(text: Text) -> Text:
    """The message without control characters or surrogates, cut to MAX_MESSAGE_CHARS."""
    return UNWANTED.sub("", text[: MAX_MESSAGE_CHARS * 2])[:MAX_MESSAGE_CHARS]


def neutralise_payload(text: Text, allowed_intents: Iterable[Text]) -> Text:
    """Keep `/intent...` for the bot's own intents; otherwise drop the slash(es) so it is just text."""
    match = TYPED_INTENT.match(text)
    if not match:
        return text
    if match.group(1) in set(allowed_intents) - BUILTIN_INTENTS:
        return text.lstrip()
    return text.lstrip().lstrip("/")


def customer_text(text: Text, allowed_intents: Iterable[Text]) -> Text:
    """`clean_text` then `neutralise_payload`: what Rasa should process for this message."""
    return neutralise_payload(clean_text(text), allowed_intents)
