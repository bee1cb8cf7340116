"""What goes into a ticket, from a conversation's events: transcript, stuck text, two-line summary.

Works on plain event dicts (as the action server receives them and the tracker store returns
them), so the action server and the Rasa server share it.
"""

import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Tuple

from smtpbot.kb.knowledge import Guide, KnowledgeBase, handoff_config

QUOTED = re.compile(r'"([^"]{1,40})"(?:\s+(tab|menu|button|box|checkbox))?')
# Intents whose message says what is wrong; preferred as "what the customer said".
TELLING_INTENTS = {"stuck", "still_broken", "human", "nlu_fallback", "out_of_scope", "deny"}
MAX_SAID = 160


@dataclass
class HandoffContext:
    """Everything a ticket records about where the customer is."""

    client: Optional[str]
    version: Optional[str]
    guide: Optional[Guide]
    step: Optional[int]
    stuck_text: Optional[str]
    transcript: List[Tuple[str, str, float]]


def transcript_from_events(events: Iterable[Dict[str, Any]]) -> List[Tuple[str, str, float]]:
    """(role, text, timestamp) for every customer and bot message, in order."""
    lines = []
    for event in events:
        kind, text = event.get("event"), event.get("text")
        if kind in ("user", "bot") and isinstance(text, str) and text.strip():
            lines.append(
                ("customer" if kind == "user" else "bot", text, float(event.get("timestamp") or 0))
            )
    return lines


def customer_words(events: List[Dict[str, Any]]) -> Optional[str]:
    """What the customer said about the problem: their latest typed message that tells it.

    Button payloads ("/stuck") say nothing, so the latest typed message with a "telling" intent
    wins, else the latest typed message at all.
    """
    typed = [
        e
        for e in events
        if e.get("event") == "user"
        and isinstance(e.get("text"), str)
        and e["text"].strip()
        and not e["text"].lstrip().startswith("/")
    ]
    telling = [
        e
        for e in typed
        if ((e.get("parse_data") or {}).get("intent") or {}).get("name") in TELLING_INTENTS
    ]
    chosen = (telling or typed or [None])[-1]
    if chosen is None:
        return None
    text = " ".join(chosen["text"].split())
    return text if len(text) <= MAX_SAID else text[: MAX_SAID - 1] + "…"


def step_label(text: str) -> str:
    """A few words naming a step: 'Click on the "Advanced" tab' -> 'Advanced tab'."""
    match = QUOTED.search(text)
    if match:
        return " ".join(part for part in match.groups() if part)
    words = text.split()
    return " ".join(words[:5]) + ("…" if len(words) > 5 else "")


def client_label(kb: KnowledgeBase, client: Optional[str], version: Optional[str]) -> str:
    """'Outlook 2013', 'Thunderbird 115.3.1', or 'Unknown mail program'."""
    label = kb.clients.get(client or "", {}).get("label") if client else None
    if not label:
        return "Unknown mail program" + (f" {version}" if version else "")
    return f"{label} {version}" if version else label


def summarise(
    kb: KnowledgeBase, context: HandoffContext, reason: str, channel: str, finished: bool = False
) -> str:
    """The two lines an agent reads in five seconds."""
    config = handoff_config()
    templates = config["summary"]
    said = f"'{context.stuck_text}'" if context.stuck_text else templates["nothing_said"]
    who = client_label(kb, context.client, context.version)
    if context.guide and finished:
        first = templates["finished"].format(
            who=who, total=context.guide.total, title=context.guide.title, said=said
        )
    elif context.guide and context.step:
        first = templates["at_step"].format(
            who=who,
            step=context.step,
            total=context.guide.total,
            label=step_label(context.guide.steps[context.step - 1]),
            said=said,
        )
    else:
        first = templates["no_guide"].format(who=who, said=said)
    why = config["reasons"].get(reason, reason)
    guide = f" | guide {context.guide.id}" if context.guide else ""
    return f"{first}\n{why} | channel {channel}{guide}"
