"""How bot messages look in Slack: Block Kit sections and buttons, text escaping.

Rasa's own Slack connector drops every button when a message has more than 5; here every
choice is kept (up to Slack's 25 elements per actions block, 5 per row for readability),
so no question ever loses a choice in Slack.
"""

from typing import Any, Dict, List

SECTION_LIMIT = 3000  # characters in a section block's text (Block Kit limit)
BUTTONS_PER_ROW = 5
BUTTON_TITLE_LIMIT = 75  # characters in a button's text (Block Kit limit)


def escape(text: str) -> str:
    """Escape the three characters Slack's message text reserves for links and mentions."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def text_sections(text: str) -> List[Dict[str, Any]]:
    """The text as plain-text section blocks, split at paragraph or line ends when too long."""
    chunks: List[str] = []
    rest = text.strip()
    while len(rest) > SECTION_LIMIT:
        cut = max(rest.rfind("\n", 0, SECTION_LIMIT), rest.rfind(" ", 0, SECTION_LIMIT))
        cut = cut if cut > 0 else SECTION_LIMIT
        chunks.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    chunks.append(rest)
    return [
        {"type": "section", "text": {"type": "plain_text", "text": chunk}}
        for chunk in chunks
        if chunk
    ]


def button_rows(buttons: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Every button as a Block Kit button (value = Rasa payload), in rows of up to five."""
    elements = [
        {
            "type": "button",
            "action_id": f"choice-{index}",
            "text": {"type": "plain_text", "text": str(button["title"])[:BUTTON_TITLE_LIMIT]},
            "value": str(button["payload"]),
        }
        for index, button in enumerate(buttons)
    ]
    return [
        {"type": "actions", "elements": elements[start : start + BUTTONS_PER_ROW]}
        for start in range(0, len(elements), BUTTONS_PER_ROW)
    ]


def message_with_buttons(text: str, buttons: List[Dict[str, Any]]) -> Dict[str, Any]:
    """chat.postMessage arguments for a text with buttons (text is the notification fallback)."""
    return {"text": escape(text), "blocks": text_sections(text) + button_rows(buttons)}


def chosen_blocks(blocks: List[Dict[str, Any]], user_id: str, title: str) -> List[Dict[str, Any]]:
    """The clicked message's blocks with its buttons replaced by who chose what."""
    kept = [block for block in blocks if block.get("type") != "actions"]
    note = {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": f"<@{user_id}> chose *{escape(title)}*"}],
    }
    return kept + [note]
