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


def follow_up(slack: Any, fake: Any, user: str, channel: str, thread: Any, text: str, expect: str):
    """Send `text` in the conversation and wait for its reply (a post showing `expect`).

    The conversation's earlier messages were handled before this one, so whatever they were
    going to post has arrived by then: instead of waiting a fixed time for "nothing more", a
    test checks the posts once this returns. Asserts that nothing else was posted in the
    conversation between sending `text` and its reply. Returns the posts from the reply on.
    """
    count = len(fake.posts(channel, thread))
    slack.say(user, channel, text, thread_ts=thread)
    new = fake.wait(
        lambda: (
            containing(fake.posts(channel, thread)[count:], expect)
            and fake.posts(channel, thread)[count:]
        ),
        what=f"the reply to {text!r} in {channel}/{thread}",
    )
    assert expect in shown(new[0]), f"posted before the reply to {text!r}: {shown(new[0])!r}"
    return new
