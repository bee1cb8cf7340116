"""A customer on each channel, behind one interface, for the channel matrix.

Each `Customer` types, clicks buttons and reads what the bot showed *that customer* on its own
channel: REST replies (with the conversation key the server issued), the web chat page in
Chromium, the DM the fake Slack received, the messages the fake Chatwoot received.
"""

import html
import json
import re
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import yaml
from fake_chatwoot import message_created, post_signed

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 30.0
_LABELS = yaml.safe_load((ROOT / "kb" / "dialogue.yml").read_text(encoding="utf-8"))["messages"][
    "buttons"
]
BUTTON_TITLES = {
    "/done": _LABELS["done"],
    "/stuck": _LABELS["stuck"],
    "/it_worked": _LABELS["worked"],
    "/still_broken": _LABELS["failed"],
}


def wait(condition: Callable[[], Any], what: str, timeout: float = TIMEOUT) -> Any:
    """Poll until condition() is truthy; its value, or AssertionError naming `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class Customer:
    """What every channel's customer can do. `shown` lists the bot's messages as
    {"text", "buttons": [payloads]} in the order the customer saw them."""

    channel = ""  # the input_channel Rasa records
    sender = ""  # the conversation id

    def __init__(self, everything: Any):
        self.all = everything

    def say(self, text: str) -> None:
        """Type and send a message."""
        raise NotImplementedError

    def click(self, payload: str) -> None:
        """Click the button with this payload on the latest message that has it."""
        raise NotImplementedError

    def shown(self) -> List[Dict[str, Any]]:
        """The bot's messages so far."""
        raise NotImplementedError

    def close(self) -> None:
        """Release what the customer holds (a browser page)."""

    # -- shared on top of the above ---------------------------------------------------------

    def wait_for(self, pattern: str, after: int = 0) -> Dict[str, Any]:
        """The first bot message after index `after` whose text matches `pattern`."""

        def found() -> Optional[Dict[str, Any]]:
            return next((m for m in self.shown()[after:] if re.search(pattern, m["text"])), None)

        return wait(found, f"{pattern!r} on {self.channel}; shown: {self.shown()[after:]}")

    def until_recorded(self, send: Callable[[], Any]) -> None:
        """Send, then wait until the conversation holds one more customer message: Rasa saves
        it after the bot's replies went out (or right away, silent, while paused)."""
        turns = self.user_turns()
        send()
        wait(lambda: self.user_turns() > turns, f"the message to reach {self.sender}")

    def user_turns(self) -> int:
        """How many customer messages the conversation's tracker holds (Rasa's API)."""
        tracker = self.all.bot.tracker(self.sender)
        return sum(1 for event in tracker["events"] if event["event"] == "user")

    def paused(self) -> bool:
        """Whether the bot is paused for an agent (latest pause/resume event is a pause)."""
        moves = [
            e["event"]
            for e in self.all.bot.tracker(self.sender)["events"]
            if e["event"] in ("pause", "resume")
        ]
        return bool(moves) and moves[-1] == "pause"


class RestCustomer(Customer):
    """A REST client: replies come with each request, agents' replies with the next one."""

    channel = "rest"

    def __init__(self, everything: Any):
        super().__init__(everything)
        self.sender = "matrix-" + uuid.uuid4().hex[:10]
        self.messages: List[Dict[str, Any]] = []

    def say(self, text: str) -> None:
        for reply in self.all.bot.say(self.sender, text):
            if "text" in reply or reply.get("buttons"):
                payloads = [b["payload"] for b in reply.get("buttons") or []]
                self.messages.append({"text": reply.get("text") or "", "buttons": payloads})

    def click(self, payload: str) -> None:
        assert any(payload in m["buttons"] for m in self.messages), payload
        self.say(payload)

    def shown(self) -> List[Dict[str, Any]]:
        return list(self.messages)


class WebChatCustomer(Customer):
    """The support page's chat in Chromium (its own browser profile)."""

    channel = "socketio"

    def __init__(self, everything: Any, browser: Any):
        super().__init__(everything)
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.page = self.context.new_page()
        self.page.goto(everything.page)
        wait(
            lambda: self.page.locator(".sbc").get_attribute("data-connection") == "online",
            "the web chat to connect",
        )
        self.sender = self.page.evaluate("JSON.parse(localStorage.getItem('smtpbot-chat:session'))")
        self.greeting = 1  # the page's own greeting is not the bot's

    def say(self, text: str) -> None:
        self.page.locator(".sbc-input").fill(text)
        self.page.locator(".sbc-input").press("Enter")
        self._delivered()

    def click(self, payload: str) -> None:
        title = BUTTON_TITLES[payload]  # the page shows titles; payloads stay in the script
        self.page.locator(".sbc-choice:enabled", has_text=title).last.click()
        self._delivered()

    def _delivered(self) -> None:
        """Until the server acknowledged the customer's latest message (answered by then)."""
        last = self.page.locator(".sbc-log .sbc-user").last
        wait(lambda: last.get_attribute("data-delivery") == "sent", "the message to be sent")

    def shown(self) -> List[Dict[str, Any]]:
        texts = self.page.locator(".sbc-log .sbc-bot .sbc-bubble").all_inner_texts()
        return [{"text": text, "buttons": []} for text in texts][self.greeting :]

    def banner(self) -> str:
        """The hand-off banner's reference ('' while the bot is active)."""
        return self.page.locator(".sbc").get_attribute("data-handoff") or ""

    def close(self) -> None:
        self.context.close()


class SlackCustomer(Customer):
    """A person in a DM with the bot; their messages and clicks are signed like Slack's."""

    channel = "slack"

    def __init__(self, everything: Any):
        super().__init__(everything)
        self.user = "U" + uuid.uuid4().hex[:8].upper()
        self.sender = "D" + uuid.uuid4().hex[:8].upper()

    def say(self, text: str) -> None:
        self.until_recorded(
            lambda: self.all.slack.say(self.user, self.sender, text, channel_type="im")
        )

    def click(self, payload: str) -> None:
        for post in reversed(self.all.slack_api.posts(self.sender)):
            values = [
                e["value"]
                for b in post.get("blocks") or []
                if b.get("type") == "actions"
                for e in b["elements"]
            ]
            if payload in values:
                self.until_recorded(
                    lambda: self.all.slack.click(self.user, self.sender, post, payload)  # noqa: B023
                )
                return
        raise AssertionError(f"no button {payload} posted to {self.sender}")

    def shown(self) -> List[Dict[str, Any]]:
        shown = []
        for post in self.all.slack_api.posts(self.sender):
            sections = [
                b["text"]["text"] for b in post.get("blocks") or [] if b.get("type") == "section"
            ]
            text = "\n".join(sections) if sections else html.unescape(post["text"])
            shown.append({"text": text, "buttons": []})
        return shown


class ChatwootCustomer(Customer):
    """A contact in a Chatwoot inbox whose agent bot is ours; webhooks signed like Chatwoot's."""

    channel = "chatwoot"
    account = 7

    def __init__(self, everything: Any, secret: str):
        super().__init__(everything)
        self.conversation = uuid.uuid4().int % 10**6 + 10**6
        self.sender = f"chatwoot-{self.account}-{self.conversation}"
        self.secret = secret

    def status(self) -> str:
        """The conversation's status in Chatwoot: "pending" (bot) until the bot toggles it."""
        calls = self.all.chatwoot_api.for_conversation(self.account, self.conversation)
        toggles = [c["body"]["status"] for c in calls if c["path"].endswith("/toggle_status")]
        return toggles[-1] if toggles else "pending"

    def _post(self, payload: Dict[str, Any]) -> None:
        """Send a webhook; wait until the bot handled it, or (an agent has the conversation)
        until it is in the ticket's transcript."""
        status = self.status()
        payload["conversation"]["status"] = status
        body = json.dumps(payload).encode()

        def send() -> None:
            response = post_signed(self.all.chatwoot_hook, body, self.secret)
            assert response.status_code == 200, response.text

        if status == "pending":
            self.until_recorded(send)
            return
        send()
        wait(lambda: payload["content"] in self.ticket_transcript(), "the ticket to record it")

    def ticket_transcript(self) -> List[str]:
        """The customer lines of this conversation's open ticket (agents' API)."""
        tickets = self.all.agent("GET", "/tickets").json()["tickets"]
        mine = [t for t in tickets if t["conversation_id"] == self.sender]
        if not mine:
            return []
        ticket = self.all.agent("GET", f"/tickets/{mine[0]['reference']}").json()
        return [m["text"] for m in ticket["transcript"] if m["role"] == "customer"]

    def say(self, text: str) -> None:
        self._post(message_created(self.conversation, text, self.account))

    def click(self, payload: str) -> None:
        for call in reversed(self._messages()):
            items = (call["body"].get("content_attributes") or {}).get("items") or []
            for item in items:
                if item["value"] == payload:
                    submitted = [{"title": item["title"], "value": payload}]
                    self._post(
                        message_created(
                            self.conversation,
                            item["title"],
                            self.account,
                            content_attributes={"submitted_values": submitted},
                        )
                    )
                    return
        raise AssertionError(f"no input_select item {payload} sent to {self.sender}")

    def _messages(self) -> List[Dict[str, Any]]:
        """Public messages the bot (or an agent through our API) sent to this conversation."""
        return [
            c
            for c in self.all.chatwoot_api.for_conversation(self.account, self.conversation)
            if c["path"].endswith("/messages") and c["body"].get("private") is False
        ]

    def shown(self) -> List[Dict[str, Any]]:
        return [{"text": c["body"].get("content") or "", "buttons": []} for c in self._messages()]
