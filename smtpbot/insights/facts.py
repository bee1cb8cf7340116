"""Fold a conversation's events (as Rasa's event broker publishes them) into its facts.

Pure Python, no database and no Rasa import: `ConversationFacts.apply` takes the events of one
conversation in order, in any number of calls (the ingest resumes from the last processed
event), and keeps a JSON-serialisable state. What it reads is the public conversation state the
actions write (README "A conversation"): the `guide`/`step`/`asked` slots, the actions run, the
customer's messages and the `handoff_reason` slot every hand-off sets.

- a guide is *started* when the `guide` slot becomes a guide other than the conversation's
  latest one (a new walk); *reached step n* when `step` is set to n on it;
- *finished* when `asked` becomes "outcome" (the "did your test email go out?" question);
- "it works" / "still not sending": the outcome actions, or "done" / "no" at that question;
- "I'm stuck", "back", "repeat": their actions, counted at the step shown before them;
- an *uncovered program*: the identify action clearing `guide` after setting the facts;
- *not understood*: the customer message before each "please rephrase" (action_rephrase).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from smtpbot.insights.mask import mask

OUTCOME_QUESTION = "outcome"
STEP_ACTIONS = {
    "action_stuck": 0,
    "action_previous_step": 1,
    "action_repeat_step": 2,
}  # index into a step's [stuck, back, repeat] counters
WORKED_ACTIONS = {"action_outcome_worked"}
FAILED_ACTIONS = {"action_outcome_failed"}
AT_OUTCOME_WORKED = {"action_next_step"}  # "done" at the outcome question means it works
AT_OUTCOME_FAILED = {"action_deny"}  # "no" there means still not sending


def step_key(guide: str, step: int) -> str:
    """Key of a (guide, step) counter in the JSON state."""
    return f"{guide}\t{step}"


def _new_state() -> Dict[str, Any]:
    return {
        "channel": None,
        "first_at": None,
        "last_at": None,
        "turns": 0,
        "step1_turns": None,
        "step1_seconds": None,
        "guide": None,
        "step": None,
        "asked": None,
        "slots": {},
        "action": None,
        "last_text": "",
        "outcome": None,
        "walks": [],
        "steps": {},
        "handoffs": [],
        "uncovered": [],
        "not_understood": 0,
    }


@dataclass
class ConversationFacts:
    """What one conversation did, built up event by event (`state` is stored between ingests).

    `examples` collects the masked not-understood messages of the latest `apply` calls (they are
    stored as rows, with their time, so the retention can delete them; the state keeps no text
    of the customer's beyond the latest message).
    """

    state: Dict[str, Any] = field(default_factory=_new_state)
    examples: List[Tuple[float, str]] = field(default_factory=list)

    def apply(self, events: Iterable[Dict[str, Any]], in_hours: Callable[[float], bool]) -> None:
        """Fold `events` (broker JSON, in order); `in_hours(timestamp)` says whether a hand-off
        at that time was within business hours."""
        for event in events:
            self._apply(event, in_hours)

    # --- one event ---

    def _apply(self, event: Dict[str, Any], in_hours: Callable[[float], bool]) -> None:
        s = self.state
        kind = event.get("event")
        at = float(event.get("timestamp") or 0.0)
        if kind == "user":
            self._user(event, at)
        elif kind == "action":
            self._action(str(event.get("name") or ""), at)
        elif kind == "slot":
            name, value = str(event.get("name") or ""), event.get("value")
            if name == "handoff_reason":
                if value and s["first_at"] is not None:
                    self._handoff(str(value), at, in_hours(at))
            else:
                self._slot(name, value, at)
        elif kind in ("restart", "reset_slots"):
            s["guide"] = s["step"] = s["asked"] = None
            s["slots"] = {}
        if s["first_at"] is not None:
            s["last_at"] = max(s["last_at"] or at, at)

    def _user(self, event: Dict[str, Any], at: float) -> None:
        s = self.state
        s["turns"] += 1
        if s["first_at"] is None:
            s["first_at"] = at
        if not s["channel"] and event.get("input_channel"):
            s["channel"] = str(event["input_channel"])[:64]
        s["last_text"] = mask(str(event.get("text") or ""))
        s["action"] = None

    def _action(self, name: str, at: float) -> None:
        s = self.state
        s["action"] = name
        walk = self._walk()
        on_step = walk is not None and s["guide"] == walk["guide"] and s["step"]
        if name in STEP_ACTIONS and on_step:
            counters = s["steps"].setdefault(step_key(s["guide"], s["step"]), [0, 0, 0])
            counters[STEP_ACTIONS[name]] += 1
        at_outcome = s["asked"] == OUTCOME_QUESTION and walk is not None
        if name in WORKED_ACTIONS or (name in AT_OUTCOME_WORKED and at_outcome):
            self._outcome("worked", walk)
        elif name in FAILED_ACTIONS or (name in AT_OUTCOME_FAILED and at_outcome):
            self._outcome("failed", walk)
        elif name == "action_rephrase" and s["last_text"]:
            s["not_understood"] += 1
            self.examples.append((at, s["last_text"]))
            s["last_text"] = ""  # one example per message

    def _slot(self, name: str, value: Any, at: float) -> None:
        s = self.state
        if name == "guide":
            s["guide"] = value if isinstance(value, str) else None
            if value is None and s["action"] == "action_identify_client":
                program = " ".join(
                    str(s["slots"][key])
                    for key in ("client", "version")
                    if s["slots"].get(key) and (key == "client" or s["slots"].get("client"))
                ) or str(s["slots"].get("platform") or "unknown")
                s["uncovered"].append([program[:100], at])
        elif name == "step":
            step = int(value) if isinstance(value, (int, float)) and value >= 1 else None
            s["step"] = step
            if step and s["guide"]:
                self._reach(s["guide"], step, at)
        elif name == "asked":
            s["asked"] = value if isinstance(value, str) else None
            walk = self._walk()
            if value == OUTCOME_QUESTION and walk is not None:
                walk["finished"] = True
        elif name in ("client", "version", "platform"):
            s["slots"][name] = value if isinstance(value, str) else None

    # --- helpers ---

    def _walk(self) -> Optional[Dict[str, Any]]:
        walks = self.state["walks"]
        return walks[-1] if walks else None

    def _reach(self, guide: str, step: int, at: float) -> None:
        s = self.state
        walk = self._walk()
        if walk is None or walk["guide"] != guide:
            walk = {
                "guide": guide,
                "max_step": 0,
                "last_step": step,
                "finished": False,
                "outcome": None,
                "handoff": None,
                "started_at": at,
            }
            s["walks"].append(walk)
        walk["max_step"] = max(walk["max_step"], step)
        walk["last_step"] = step
        if s["step1_turns"] is None:
            s["step1_turns"] = s["turns"]
            s["step1_seconds"] = round(at - (s["first_at"] or at), 3)

    def _outcome(self, outcome: str, walk: Optional[Dict[str, Any]]) -> None:
        if walk is None:
            return
        walk["outcome"] = outcome
        self.state["outcome"] = outcome

    def _handoff(self, reason: str, at: float, in_hours: bool) -> None:
        s = self.state
        walk = self._walk()
        # An uncovered program is no step of the guide walked before.
        if walk is not None and s["guide"] == walk["guide"] and reason != "uncovered":
            walk["handoff"] = reason
        s["handoffs"].append([reason[:32], at, bool(in_hours), s["guide"], s["step"]])
