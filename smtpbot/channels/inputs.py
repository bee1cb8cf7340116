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

import re
from typing import Iterable, Text

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
