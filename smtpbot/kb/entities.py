"""The facts a message's entities state, with only values the KB knows accepted.

One reading for every place that turns entities into facts: the actions (NLU entities or a
typed /intent{...} payload), the agents' hand-back from pasted text, and the Rasa server's
self-service take-back (smtpbot/tickets/self_service.py).
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable

from smtpbot.kb.facts import LATEST, PRERELEASE_MARK, Facts
from smtpbot.kb.knowledge import KnowledgeBase

FACT_NAMES = ("client", "version", "platform", "os")
# "8.0b1", "8beta": a pre-release keeps its mark (Eudora 8's betas are Eudora OSE); a first part
# of five digits is a Click-to-Run build ("13328.20356", kb `channel_versions`)
VERSION_VALUE = re.compile(
    rf"^v?\d{{1,5}}(\.\d{{1,5}}){{0,3}}(?:{PRERELEASE_MARK}\d{{0,3}})?$|^xp$|^{LATEST}$",
    re.IGNORECASE,
)
OS_VALUE = re.compile(r"^(macos-\d{1,2}(\.\d{1,2}){0,2}|windows-[a-z0-9.]{1,5})$")


def valid_entity(kb: KnowledgeBase, name: str, value: Any) -> bool:
    """Only values the KB knows are accepted, whether from NLU or a typed /intent{...} payload."""
    if not isinstance(value, str) or len(value) > 40:
        return False
    if name == "client":
        return value in kb.clients
    if name == "platform":
        return value in kb.platforms
    if name == "version":
        return bool(VERSION_VALUE.match(value))
    if name == "os":
        return bool(OS_VALUE.match(value))
    return False


def facts_from_entities(kb: KnowledgeBase, entities: Iterable[Dict[str, Any]]) -> Facts:
    """The facts the entities state (invalid values dropped; a later entity of a kind wins)."""
    found: Dict[str, str] = {}
    for entity in entities or ():
        name, value = entity.get("entity"), entity.get("value")
        if name in FACT_NAMES and valid_entity(kb, name, value):
            found[name] = value
    return Facts(**found)
