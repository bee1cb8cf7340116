"""Read the walkthrough state from slots, and the prompts that bring a customer back to it."""

import json
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from smtpbot.kb.errors import get_errors
from smtpbot.kb.facts import Facts
from smtpbot.kb.knowledge import Guide, KnowledgeBase, get_kb
from smtpbot.kb.replies import named_step, step_term
from smtpbot.kb.step_terms import step_naming

FACT_SLOTS = ("client", "version", "platform", "os")
ASK_LIMIT = 2  # the same question at most this many times in a row, then a default or a person
ASKED_OUTCOME = "outcome"  # waiting for "did your test email go out?"


@dataclass
class WalkState:
    """Where the customer is: the guide and step, the pending question, the known facts."""

    guide: Optional[Guide]
    step: Optional[int]
    asked: Optional[str]
    facts: Facts
    asked_count: int = 0  # how many times in a row `asked` was asked

    @classmethod
    def read(cls, tracker: Tracker, kb: KnowledgeBase) -> "WalkState":
        """Build the state from the tracker's slots, ignoring values the KB does not know."""
        guide_id = tracker.get_slot("guide")
        guide = kb.guides.get(guide_id) if isinstance(guide_id, str) else None
        step = tracker.get_slot("step")
        step = int(step) if guide and isinstance(step, (int, float)) else None
        if step is not None and not 1 <= step <= guide.total:
            step = 1
        facts = Facts(**{name: _text(tracker.get_slot(name)) for name in FACT_SLOTS})
        count = tracker.get_slot("asked_count")
        count = int(count) if isinstance(count, (int, float)) and 0 <= count < 100 else 0
        return cls(guide, step, _text(tracker.get_slot("asked")), facts, count)


def _text(value: Any) -> Optional[str]:
    """A slot's value when it is a non-empty string, else None."""
    return value if isinstance(value, str) and value else None


def kb() -> KnowledgeBase:
    """The knowledge base, loaded once per action-server process."""
    return get_kb()


def message(key: str, **values: Any) -> str:
    """A customer-facing text from kb/dialogue.yml, filled in."""
    return kb().dialogue["messages"][key].format(**values)


def button(title: str, intent: str, entities: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    """A quick-reply button that sends an intent (with entities) when clicked."""
    payload = f"/{intent}"
    if entities:
        payload += json.dumps(entities, separators=(",", ":"))
    return {"title": title, "payload": payload}


def person_button() -> Dict[str, str]:
    """The "Talk to a person" button."""
    return button(kb().dialogue["messages"]["buttons"]["human"], "human")


def step_buttons() -> List[Dict[str, str]]:
    """Done / Repeat / Back / I'm stuck: the confirmation turn after each step."""
    labels = kb().dialogue["messages"]["buttons"]
    return [
        button(labels["done"], "done"),
        button(labels["repeat"], "repeat_step"),
        button(labels["back"], "go_back"),
        button(labels["stuck"], "stuck"),
    ]


def outcome_buttons() -> List[Dict[str, str]]:
    """Did the test email go out? Yes / No."""
    labels = kb().dialogue["messages"]["buttons"]
    return [button(labels["worked"], "it_worked"), button(labels["failed"], "still_broken")]


def question_buttons(question_id: str) -> List[Dict[str, str]]:
    """The choices of a clarifying question, as buttons."""
    buttons = []
    for choice in kb().question(question_id)["choices"]:
        entities = {k: v for k, v in choice.items() if k in FACT_SLOTS}
        buttons.append(button(choice["title"], choice.get("intent", "inform"), entities or None))
    return buttons


def ask(
    dispatcher: CollectingDispatcher,
    question_id: str,
    prefix: Optional[str] = None,
    state: Optional["WalkState"] = None,
) -> List[EventType]:
    """Ask a clarifying question with its buttons; remember that it is pending.

    Never more than ASK_LIMIT times in a row (`state` says what was asked before): then the
    question's safest default guide starts (kb/dialogue.yml `default`), or a person is offered.
    """
    repeats = state.asked_count + 1 if state is not None and state.asked == question_id else 1
    if repeats > ASK_LIMIT:
        return stop_asking(dispatcher, question_id, prefix)
    text = kb().question(question_id)["text"]
    dispatcher.utter_message(
        text=f"{prefix} {text}" if prefix else text, buttons=question_buttons(question_id)
    )
    return [SlotSet("asked", question_id), SlotSet("asked_count", repeats)]


def ask_between(dispatcher: CollectingDispatcher, clients: List[str]) -> List[EventType]:
    """Two programs named and nothing says which has the problem: ask, with both as buttons."""
    labels = [kb().clients[c]["label"] for c in clients]
    buttons = [button(label, "inform", {"client": c}) for label, c in zip(labels, clients)]
    dispatcher.utter_message(
        text=kb().question("which-program")["text"],
        buttons=buttons + question_buttons("which-program"),
    )
    return [SlotSet("asked", "which-program"), SlotSet("asked_count", 1)]


def stop_asking(dispatcher, question_id: str, prefix: Optional[str]) -> List[EventType]:
    """The question was asked enough: start its default guide, or offer a person."""
    question = kb().question(question_id)
    default = question.get("default")
    if default:
        guide = kb().guide(default)
        text = message("assumed", title=guide.title)
        if question.get("switch"):
            text += " " + question["switch"]
        dispatcher.utter_message(text=f"{prefix} {text}" if prefix else text)
        return serve_step(dispatcher, guide, 1)
    dispatcher.utter_message(
        text=f"{prefix} {message('stop_asking')}" if prefix else message("stop_asking"),
        buttons=[person_button()],
    )
    return [SlotSet("asked", question_id), SlotSet("asked_count", ASK_LIMIT + 1)]


def serve_step(dispatcher: CollectingDispatcher, guide: Guide, number: int) -> List[EventType]:
    """Show step `number` (1-based) of the guide alone, then the confirmation buttons."""
    text = message("step", number=number, total=guide.total, text=guide.steps[number - 1])
    if number == 1 and guide.note:
        text += "\n\n" + message("note", note=guide.note)
    for note in guide.notes_for(number):  # ours, after the article's words, marked as ours
        text += "\n\n" + message("our_note", note=note)
    dispatcher.utter_message(text=text, buttons=step_buttons())
    return [
        SlotSet("guide", guide.id),
        SlotSet("step", number),
        SlotSet("asked", None),
        SlotSet("stuck_count", 0),
        SlotSet("guide_paused", None),
    ]


def serve_named_step(
    dispatcher: CollectingDispatcher, tracker: Tracker, state: WalkState, reached: bool = False
) -> Optional[List[EventType]]:
    """A step of the current guide named by its number ("what's step 5?", "go back to step 2";
    with `reached`, only "skip to step 5", "I'm at step 4") or, without `reached`, by what it
    does ("I'm at the port step already": the first step naming the port) or as the start
    ("back to the beginning"): that step, or the guide's length when it has no such step.
    None when no guide is under way or no step is named."""
    text = tracker.latest_message.get("text") or ""
    number = named_step(text, reached)
    # "I'm at the port step already" (not with `reached`: "I finished the port step" says
    # where the customer was, not where they are)
    term = None if number or reached else step_term(text)
    if term and state.guide and state.step:
        ignore = set(kb().dialogue["step_terms"]["ignore"])
        # (from the start: the first step naming it, the current one included)
        number = 1 if term == "first" else step_naming(state.guide.steps, term, 0, ignore)
    if not (state.guide and state.step and number):
        return None
    if not 1 <= number <= state.guide.total:
        dispatcher.utter_message(
            text=message("no_such_step", title=state.guide.title, total=state.guide.total)
        )
        return resume_prompt(dispatcher, state)
    return serve_step(dispatcher, state.guide, number)


LONG_WORDS = 12  # as smtpbot/understanding/entities.py `long_words`


def explain_error(
    dispatcher: CollectingDispatcher,
    text: Optional[str],
    guide: Optional[Guide] = None,
) -> bool:
    """A pasted error message (kb/errors.yml): what it means and which step fixes it.

    Said in one or two sentences; returns whether the text quoted a known error.
    """
    catalogue = get_errors()
    error = catalogue.find(text or "")
    if error is None:
        return False
    sentence = message("error_means", name=error.name, means=error.means)
    if error.fix == "person":  # "Cannot Verify Server Identity": no step changes it
        sentence += " " + message("error_person")
    elif guide is None:
        sentence += " " + message("error_later")
    else:
        number = catalogue.fixing_step(guide, error)
        sentence += " " + (
            message("error_step", number=number) if number else message("error_steps")
        )
    dispatcher.utter_message(text=sentence)
    return True


def ask_for_program(
    dispatcher: CollectingDispatcher, tracker: Tracker, state: WalkState
) -> List[EventType]:
    """No program in the message: ask for it (or repeat the pending question / the step).

    A message that states the trouble (a long description, or mail words: "my email won't
    send") is understood as the problem itself: it is not called unclear, and before any
    question or guide the bot says how it will help. Anything else gets "Sorry, I didn't
    understand that."
    """
    text = tracker.latest_message.get("text") or ""
    if explain_error(dispatcher, text, state.guide):
        return resume_prompt(dispatcher, state)  # "it says: cannot send mail ... failed"
    if names_the_provider(text) and not states_the_problem(text):
        prefix: Optional[str] = message("provider_heard")  # "my isp is comcast"
    elif not states_the_problem(text):
        prefix = message("rephrase")
    elif state.guide or state.asked:
        prefix = None
    else:
        prefix = message("problem_heard")
    return resume_prompt(dispatcher, state, prefix)


def states_the_problem(text: str) -> bool:
    """Whether the message describes the customer's mail trouble (kb/dialogue.yml
    `problem_words`, or a long description)."""
    words = re.findall(r"[\w'-]+", text.lower())
    return len(text.split()) >= LONG_WORDS or bool(set(words) & set(kb().dialogue["problem_words"]))


def offer_a_person(dispatcher: CollectingDispatcher) -> None:
    """Offer a person from support, with how to reach one and the button (kb `support`)."""
    support = kb().dialogue["support"]
    dispatcher.utter_message(
        text=f"{support['offer']} {support['contact']}", buttons=[person_button()]
    )


def says_any(text: str, phrases: List[str]) -> bool:
    """Whether the message has one of these words or phrases, as whole words (typographic
    apostrophes made plain)."""
    said = " " + " ".join(re.findall(r"[\w'-]+", text.lower().replace("’", "'"))) + " "
    return any(f" {phrase} " in said for phrase in phrases)


def names_the_provider(text: str) -> bool:
    """Whether the message is about the customer's internet provider ("my isp is comcast",
    kb/dialogue.yml `provider_words`, matched as whole words)."""
    return says_any(text, kb().dialogue["provider_words"])


def resume_prompt(
    dispatcher: CollectingDispatcher, state: WalkState, prefix: Optional[str] = None
) -> List[EventType]:
    """Bring the customer back to where they are: the current step, the pending question, or the start."""
    if state.asked == ASKED_OUTCOME and state.guide:
        text = message("finished")
        dispatcher.utter_message(
            text=f"{prefix} {text}" if prefix else text, buttons=outcome_buttons()
        )
        return []
    if state.guide and state.step:
        text = message(
            "resume_step", number=state.step, total=state.guide.total, title=state.guide.title
        )
        text += " " + message("step_prompt")
        dispatcher.utter_message(
            text=f"{prefix} {text}" if prefix else text, buttons=step_buttons()
        )
        return []
    return ask(dispatcher, state.asked or "client", prefix, state)
