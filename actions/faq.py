"""Questions the article answers or implies: incoming port, why 587, SSL/TLS, what SMTP is, how
long it takes."""

import re
from typing import List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.resolution import identify_stated
from actions.state import (
    WalkState,
    kb,
    message,
    offer_a_person,
    person_button,
    resume_prompt,
    says_any,
    serve_named_step,
)
from smtpbot.kb.knowledge import KnowledgeBase
from smtpbot.kb.step_terms import note_naming, step_naming, words_of

# "465", "port 465", "465/SSL": the other port customers are told about
PORT_465 = re.compile(r"(?<!\d)465(?!\d)")
# "the port field already says 587", "587 is already there"
ALREADY_587 = re.compile(r"\balready\b.*(?<!\d)587(?!\d)|(?<!\d)587(?!\d).*\balready\b", re.I)

WHY = re.compile(r"\bwhy\b", re.I)
ALREADY = re.compile(r"\balready\b", re.I)
# "why do I need authentication?", "what is the password for?": about logging in, not the port
AUTH = re.compile(r"\bauth\w*|\bpassword|\blog ?in\b|\bsign ?in\b", re.I)
PORTS = re.compile(r"\bports?\b|(?<!\d)(?:25|587)(?!\d)", re.I)  # "why 587 with authentication?"

FAQ_BY_INTENT = {
    "faq_incoming_port": "incoming_port",
    "faq_why_587": "why_587",
    "faq_what_smtp": "what_smtp",
}


class ActionAnswerFaq(Action):
    """Answer the question, then bring the customer back to where they were."""

    def name(self) -> Text:
        """The action's name in domain.yml."""
        return "action_answer_faq"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Answer from kb/dialogue.yml `faq` (SSL: the current guide's security step; how long:
        the current guide's steps)."""
        knowledge = kb()
        state = WalkState.read(tracker, knowledge)
        faq = knowledge.dialogue["faq"]
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        asked = tracker.latest_message.get("text") or ""
        places = knowledge.dialogue["step_terms"]["topics"]
        if intent == "faq_what_smtp" and state.step and step_help_topic(knowledge, asked) in places:
            # "there is no Outgoing Server (SMTP) in my menu": where it is, not what SMTP is
            return answer_step_question(dispatcher, tracker)
        if intent == "faq_ssl":
            guide = state.guide
            if guide:
                number = guide.security_step
                said = faq["ssl_with_guide"].format(
                    title=guide.title, number=number, step=guide.steps[number - 1]
                )
            else:
                said = faq["ssl_without_guide"]
        elif intent == "faq_how_long":
            said = how_long(knowledge, state)
        elif intent == "faq_why_587":
            said = faq[port_answer(asked)]
        else:
            said = faq[FAQ_BY_INTENT.get(intent, "incoming_port")]
        dispatcher.utter_message(text=said)
        return identify_stated(dispatcher, tracker, state) or resume_prompt(dispatcher, state)


def port_answer(text: str) -> str:
    """The kb `faq` answer to a message about the ports: "is it 587 or 465?" asks which port,
    "it already says 587" says the port is set, "why do I need authentication?" why logging in
    (when no port is named; "it's already set to Password": that it is set); else why 587."""
    if PORT_465.search(text):
        return "port_465"
    if AUTH.search(text) and not PORTS.search(text):
        # "Authentication is already set to Password": nothing to change there
        return "already_set" if ALREADY.search(text) and not WHY.search(text) else "why_auth"
    if ALREADY_587.search(text) and not WHY.search(text):  # not "I did that already, why 587?"
        return "already_587"
    return "why_587"


def how_long(knowledge: KnowledgeBase, state: WalkState) -> str:
    """How long the fix takes: the current guide's steps and where the customer is, or the
    range of the guides' lengths before one is chosen."""
    faq = knowledge.dialogue["faq"]
    if state.guide and state.step:
        return faq["how_long_with_guide"].format(
            title=state.guide.title, total=state.guide.total, number=state.step
        )
    totals = [guide.total for guide in knowledge.guides.values()]
    return faq["how_long_without_guide"].format(fewest=min(totals), most=max(totals))


class ActionStepHelp(Action):
    """A question about the current step: answer it from kb/dialogue.yml, stay on the step."""

    def name(self) -> Text:
        """The action's name in domain.yml."""
        return "action_step_help"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Answer the step question (or offer a person), then show where the customer is."""
        return answer_step_question(dispatcher, tracker)


def answer_step_question(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """Answer a question about the current step from kb/dialogue.yml `step_help` (or offer a
    person), then show where the customer is; before any guide, a program named comes first."""
    knowledge = kb()
    state = WalkState.read(tracker, knowledge)
    topics = knowledge.dialogue["step_help"]
    topic = step_help_topic(knowledge, tracker.latest_message.get("text") or "")
    values = {}
    if state.guide and state.step:
        guide = state.guide
        values = {
            "title": guide.title,
            "number": state.step,
            "step": guide.steps[state.step - 1],
            "security_number": guide.security_step,
            "security_step": guide.steps[guide.security_step - 1],
        }
        saving = guide.saving_step
        if saving:  # (a guide none of whose steps saves has none: no answer to give)
            values.update(save_number=saving, save_step=guide.steps[saving - 1])
    if not state.guide:
        events = identify_stated(dispatcher, tracker, state)
        if events:  # no guide yet and the message names the program: that comes first
            return events
    named = None if topic else serve_named_step(dispatcher, tracker, state)
    if named is not None:
        return named  # "what does step 5 say?"
    if say_note_elsewhere(dispatcher, tracker, state, topic):  # "..., only Preferences"
        return resume_prompt(dispatcher, state)
    if say_step_elsewhere(dispatcher, tracker, state, topic):  # "I don't see Server Settings"
        return resume_prompt(dispatcher, state)
    answer = topics[topic]["answer"] if topic else None
    if answer:
        try:
            answer = answer.format(**values)
        except KeyError:
            # it needs what is not there: the customer's guide (SSL then gets the general
            # answer, the rest the question) or, in that guide, a step that saves ("where do I
            # click save?" in Apple Mail 10+)
            ssl_anyway = topic == "ssl" and not values
            answer = knowledge.dialogue["faq"]["ssl_without_guide"] if ssl_anyway else None
    if answer:
        dispatcher.utter_message(text=answer)
    if topic == "not_found" and state.guide and state.step:
        # "I don't have Preferences, only Settings": our note on the step says where it moved
        for note in state.guide.notes_for(state.step):
            dispatcher.utter_message(text=message("our_note", note=note))
    article_note_for_missing(dispatcher, state, topic)  # "I don't have More Settings"
    spec = topics[topic] if topic else {}
    if spec.get("offer_contact"):  # "I forgot my password": a person, not a look at the menus
        offer_a_person(dispatcher)
    elif (answer is None and state.guide) or spec.get("offer_person"):
        # (before any guide there is no step to describe: the program's question follows)
        dispatcher.utter_message(text=message("step_help_more"), buttons=[person_button()])
    return resume_prompt(dispatcher, state)


def article_note_for_missing(
    dispatcher: CollectingDispatcher, state: WalkState, topic: Optional[str]
) -> bool:
    """ "I don't have a More Settings button" in a guide whose article section has a note on
    a changed layout (Outlook 2010-2016: newer Outlook moved the settings): the note again,
    which is the way there; said after the step's own answer. False, saying nothing, for
    another topic or a guide with no note."""
    if topic != "not_found" or not state.guide or not state.guide.note or state.step == 1:
        return False  # (step 1 is shown with the note already)
    dispatcher.utter_message(text=message("missing_note", note=state.guide.note))
    return True


def say_step_elsewhere(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    state: WalkState,
    topic: Optional[str],
    later_only: bool = False,
) -> bool:
    """During a guide, say which other step names what the customer can't find or change (kb
    `step_terms`; `topic` is the message's step_help_topic, as the caller found it), with its
    text; for a setting that won't change, a person is offered too (kb
    `step_terms.offer_person`). False, saying nothing, when the current step names it or no
    step does (or, with `later_only`, only an earlier one)."""
    knowledge = kb()
    text = tracker.latest_message.get("text") or ""
    guide, current = state.guide, state.step
    terms = knowledge.dialogue["step_terms"]
    if not guide or not current or topic not in terms["topics"]:
        return False
    other = step_naming(guide.steps, text, current, set(terms["ignore"]), set(terms["stop"]))
    if other is None or (later_only and other < current):
        return False
    key = "step_elsewhere_later" if other > current else "step_elsewhere_earlier"
    dispatcher.utter_message(
        text=message(
            key,
            other=other,
            other_step=guide.steps[other - 1],
            number=current,
            step=guide.steps[current - 1],
        )
    )
    if topic in terms["offer_person"]:  # "the port box is greyed out": it may stay so there
        dispatcher.utter_message(text=message("step_help_more"), buttons=[person_button()])
    return True


def say_note_elsewhere(
    dispatcher: CollectingDispatcher, tracker: Tracker, state: WalkState, topic: Optional[str]
) -> bool:
    """During a guide, our note on another step when it is about what the customer can't find
    ("I don't see Settings, only Preferences" after Apple Mail's step 1, whose note says the
    menu item's two names). False, saying nothing, when no such note is there."""
    guide, current = state.guide, state.step
    terms = kb().dialogue["step_terms"]
    if not guide or not current or topic not in terms["topics"]:
        return False
    text = tracker.latest_message.get("text") or ""
    ignore, stop = set(terms["ignore"]), set(terms["stop"])
    found = note_naming(guide.steps, guide.notes, text, current, ignore, stop)
    if found is None:
        return False
    dispatcher.utter_message(text=message("note_elsewhere", other=found[0], note=found[1]))
    return True


def step_help_topic(knowledge: KnowledgeBase, text: str) -> Optional[str]:
    """The kb/dialogue.yml `step_help` topic whose words the message contains, or whose
    `asked_about` word it asks about ("what should the port be?"), if any."""
    dialogue = knowledge.dialogue
    words = words_of(text)
    window = dialogue["step_help_asking_window"]
    asking = set(dialogue["step_help_asking"])

    def asked_about(nouns: List[str]) -> bool:
        """Whether one of `nouns` follows a question word closely ("what should the port")."""
        return any(
            word in nouns and asking & set(words[max(0, i - window) : i])
            for i, word in enumerate(words)
        )

    return next(
        (
            key
            for key, spec in dialogue["step_help"].items()
            if says_any(text, spec["words"]) or asked_about(spec.get("asked_about", []))
        ),
        None,
    )
