"""Crafted event streams shaped exactly like Rasa's event broker rows (as seen in a real run:
`action` first, then the action's `bot` messages, then its `slot` events)."""

from typing import Any, Dict, List, Optional

import sqlalchemy as sa

from smtpbot.insights.store import broker_events

GUIDE = "outlook-2007"  # 9 steps


class Conversation:
    """Builds one conversation's events; `t` is the clock in epoch seconds."""

    def __init__(self, sender: str, t: float, channel: str = "rest"):
        self.sender, self.t, self.channel = sender, t, channel
        self.events: List[Dict[str, Any]] = []
        self._add({"event": "action", "name": "action_session_start"})
        self._add({"event": "session_started"})
        self._add({"event": "action", "name": "action_listen"})

    def _add(self, event: Dict[str, Any]) -> None:
        event.setdefault("timestamp", self.t)
        event["sender_id"] = self.sender
        self.events.append(event)

    def turn(
        self,
        text: str,
        intent: str,
        action: str,
        slots: Optional[Dict[str, Any]] = None,
        handoff: Optional[str] = None,
        wait: float = 10.0,
    ) -> "Conversation":
        """The customer says `text` after `wait` seconds; the bot runs `action`, which sets `slots`
        (in order) and, with `handoff`, hands off for that reason."""
        self.t += wait
        self._add(
            {
                "event": "user",
                "text": text,
                "parse_data": {"intent": {"name": intent, "confidence": 0.9}, "entities": []},
                "input_channel": self.channel,
                "message_id": f"m{len(self.events)}",
            }
        )
        self._add({"event": "user_featurization", "use_text_for_featurization": False})
        self._add({"event": "action", "name": action, "policy": "IntentActionPolicy"})
        self._add({"event": "bot", "text": "reply", "data": {}})
        if handoff:
            self._add({"event": "bot", "text": None, "data": {"custom": {"handoff": {}}}})
        for name, value in (slots or {}).items():
            self._add({"event": "slot", "name": name, "value": value})
        if handoff:
            self._add({"event": "slot", "name": "handoff_reason", "value": handoff})
        if handoff:
            self._add({"event": "pause"})
        else:
            self._add({"event": "action", "name": "action_listen"})
        return self

    def step(self, number: int, guide: str = GUIDE, action: str = "action_next_step", **kw):
        """A turn that serves step `number` of `guide`."""
        text = {"action_next_step": "done", "action_previous_step": "back"}.get(action, action)
        slots = {"guide": guide, "step": float(number), "asked": None, "stuck_count": 0}
        return self.turn(kw.pop("text", text), kw.pop("intent", "done"), action, slots, **kw)

    def identify(self, guide: str = GUIDE, text: str = "I use Outlook 2007", **kw):
        slots = {"client": "outlook", "version": "2007", "platform": None, "os": None}
        slots.update({"guide": guide, "step": 1.0, "asked": None, "stuck_count": 0})
        return self.turn(text, "inform", "action_identify_client", slots, **kw)

    def finish(self, **kw):
        """'done' at the last step: the outcome question."""
        return self.turn("done", "done", "action_next_step", {"asked": "outcome"}, **kw)


def all_rows(engine: sa.engine.Engine) -> List[Any]:
    with engine.connect() as db:
        return db.execute(sa.select(broker_events).order_by(broker_events.c.id)).fetchall()
