"""Reading what the bot posted to the fake Slack."""

import html
from typing import Any, Dict, List


def shown(post: Dict[str, Any]) -> str:
    """What a Slack user sees of a post: its section blocks, else its (unescaped) text."""
    sections = [b["text"]["text"] for b in post.get("blocks") or [] if b.get("type") == "section"]
    return "\n".join(sections) if sections else html.unescape(post["text"])


def buttons(post: Dict[str, Any]) -> List[Dict[str, str]]:
    """The post's buttons as {title, value}, in order."""
    return [
        {"title": e["text"]["text"], "value": e["value"]}
        for b in post.get("blocks") or []
        if b.get("type") == "actions"
        for e in b["elements"]
    ]


def values(post: Dict[str, Any]) -> List[str]:
    """The post's button values (Rasa payloads)."""
    return [b["value"] for b in buttons(post)]


def containing(posts: List[Dict[str, Any]], text: str) -> List[Dict[str, Any]]:
    """Posts whose visible text contains `text`."""
    return [p for p in posts if text in shown(p)]
