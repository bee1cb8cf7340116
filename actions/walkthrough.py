"""Serve the guide's steps one at a time: next, repeat, back, start over, and the outcome."""

from typing import List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.faq import answer_step_question, step_help_topic
from actions.handoff import offer_human
from actions.resolution import before_any_guide, identify_stated
from actions.state import (
    ASKED_OUTCOME,
    FACT_SLOTS,
    WalkState,
    ask_for_program,
    button,
    explain_error,
    kb,
    message,
    outcome_buttons,
    person_button,
    resume_prompt,
    says_any,
    serve_named_step,
    serve_step,
    states_the_problem,
)
from actions.support import stuck_on_step
from smtpbot.kb.errors import get_errors
from smtpbot.kb.facts import Facts
from smtpbot.kb.replies import finished_step, read_outcome


def finish_guide(dispatcher: CollectingDispatcher) -> List[EventType]:
    """After the last step: how to check it worked, and ask whether it did."""
    dispatcher.utter_message(text=message("finished"), buttons=outcome_buttons())
    return [SlotSet("asked", ASKED_OUTCOME)]


def closing_answer_heard(text: str) -> bool:
    """Whether a message the NLU did not understand still answers "Did it go out?" (a wait, a
    failure word, an SMTP reply code or a known error)."""
    words = kb().dialogue["closing_check"]
    return read_outcome(words, text) is not None or get_errors().find(text) is not None


def answer_closing_check(
    dispatcher: CollectingDispatcher, tracker: Tracker, state: WalkState, meant: str
) -> List[EventType]:
    """Act on the answer to "Did it go out?": `meant` ("worked" or "failed") is what its intent
    says, overruled by a wait, a quoted error (explained, with the step that fixes it) or a
    failure word."""
    text = tracker.latest_message.get("text") or ""
    reading = read_outcome(kb().dialogue["closing_check"], text)
    if reading == "wait":
        dispatcher.utter_message(text=message("test_when_ready"), buttons=outcome_buttons())
        return []
    if explain_error(dispatcher, text, state.guide) or reading == "failed":
        meant = "failed"
    return outcome_failed(dispatcher, tracker) if meant == "failed" else outcome_worked(dispatcher)


def outcome_worked(dispatcher: CollectingDispatcher) -> List[EventType]:
    """The test email went out: say so and close the walkthrough."""
    dispatcher.utter_message(text=message("worked"))
    return [SlotSet("asked", None)]


def outcome_failed(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """It still does not send: say so and hand off to a person."""
    dispatcher.utter_message(text=message("failed"))
    return [SlotSet("asked", None)] + offer_human(dispatcher, tracker, reason="still_broken")


def serve_after_finished_step(
    dispatcher: CollectingDispatcher, tracker: Tracker, state: WalkState
) -> Optional[List[EventType]]:
    """Steps said to be done by their numbers ("done with step 4 too", "steps 1 and 2 done"):
    the step after the last one done, the closing check after the guide's last step, or the
    current step again when only earlier steps are named. None when no guide is under way or
    no step is said to be done."""
    number = finished_step(tracker.latest_message.get("text") or "")
    if not (state.guide and state.step and number):
        return None
    if number > state.guide.total:
        dispatcher.utter_message(
            text=message("no_such_step", title=state.guide.title, total=state.guide.total)
        )
        return resume_prompt(dispatcher, state)
    if number < state.step:  # "done with step 2" at step 5: step 5 is not said to be done
        return resume_prompt(dispatcher, state)
    if number == state.guide.total:
        return finish_guide(dispatcher)
    return serve_step(dispatcher, state.guide, number + 1)


class ActionNextStep(Action):
    """'Done' / 'ok' / 'next': the next step, or the closing check after the last one."""

    def name(self) -> Text:
        """The action's name in domain.yml."""
        return "action_next_step"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Serve the next step; at the closing check 'done' means it worked."""
        state = WalkState.read(tracker, kb())
        if state.asked == ASKED_OUTCOME and state.guide:
            return answer_closing_check(dispatcher, tracker, state, "worked")
        offered = tracker.get_slot("offered")
        if not state.guide and offered in kb().guides:  # "yes" to the nearest guide offered
            guide = kb().guide(offered)
            dispatcher.utter_message(
                text=message("trying_nearest", title=guide.title, total=guide.total)
            )
            return [SlotSet("offered", None)] + serve_step(dispatcher, guide, 1)
        if not state.guide or not state.step:
            return before_any_guide(dispatcher, tracker, state)
        named = serve_named_step(dispatcher, tracker, state, reached=True)
        if named is not None:
            return named  # "skip to step 5"
        after = serve_after_finished_step(dispatcher, tracker, state)
        if after is not None:
            return after  # "steps 3 and 4 done"
        if tracker.get_slot("guide_paused"):
            # "continue" after "stop": the step we stopped at is not done yet
            dispatcher.utter_message(text=message("welcome_back"))
            return serve_step(dispatcher, state.guide, state.step)
        if state.step >= state.guide.total:
            return finish_guide(dispatcher)
        return serve_step(dispatcher, state.guide, state.step + 1)


class ActionPause(Action):
    """'Stop' / 'cancel': stop for now, keeping the customer's place in the guide."""

    def name(self) -> Text:
        """The action's name in domain.yml."""
        return "action_pause"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Mid-guide: say where we stopped, with a Continue button ("continue" then shows the
        same step again, not the next). Otherwise: drop the pending question and say goodbye."""
        state = WalkState.read(tracker, kb())
        if state.guide and state.step and state.asked != ASKED_OUTCOME:
            labels = kb().dialogue["messages"]["buttons"]
            dispatcher.utter_message(
                text=message(
                    "paused", number=state.step, total=state.guide.total, title=state.guide.title
                ),
                buttons=[button(labels["continue"], "done")],
            )
            return [SlotSet("guide_paused", True)]
        if state.guide and state.asked == ASKED_OUTCOME:
            dispatcher.utter_message(text=message("test_later"))  # "I'll test it later"
            return []  # the closing question stays open
        if not state.guide and states_the_problem(tracker.latest_message.get("text") or ""):
            return ask_for_program(dispatcher, tracker, state)  # "my mail stopped sending"
        dispatcher.utter_message(text=message("stopped"))
        return [SlotSet("asked", None), SlotSet("asked_count", 0)]


class ActionRepeatStep(Action):
    """'Repeat': show the current step again."""

    def name(self) -> Text:
        """The action's name in domain.yml."""
        return "action_repeat_step"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Serve the current step again, or the step named ("what's step 5?"); or say no
        guide is under way."""
        state = WalkState.read(tracker, kb())
        if not state.guide or not state.step:
            return before_any_guide(dispatcher, tracker, state)
        named = serve_named_step(dispatcher, tracker, state)
        if named is not None:
            return named
        events = serve_step(dispatcher, state.guide, state.step)
        if state.asked == ASKED_OUTCOME:  # "repeat" at "Did it go out?": the question stays
            return events + finish_guide(dispatcher)
        return events


class ActionPreviousStep(Action):
    """'Go back': the previous step (or the first one again)."""

    def name(self) -> Text:
        """The action's name in domain.yml."""
        return "action_previous_step"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Serve the step before the current one (or the step named: "go back to step 2");
        from the closing check, the last step."""
        state = WalkState.read(tracker, kb())
        if not state.guide or not state.step:
            return before_any_guide(dispatcher, tracker, state)
        named = serve_named_step(dispatcher, tracker, state)
        if named is not None:
            return named
        if state.asked == ASKED_OUTCOME:
            return serve_step(dispatcher, state.guide, state.guide.total)
        if state.step == 1:
            dispatcher.utter_message(text=message("first_step"))
            return serve_step(dispatcher, state.guide, 1)
        return serve_step(dispatcher, state.guide, state.step - 1)


class ActionStartOver(Action):
    """'Start over': step 1 of the current guide, or a fresh start when there is none."""

    def name(self) -> Text:
        """The action's name in domain.yml."""
        return "action_start_over"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Restart the guide at step 1, or forget the facts and ask for the program again."""
        state = WalkState.read(tracker, kb())
        text = tracker.latest_message.get("text") or ""
        if state.guide and state.step and asks_about_restarting(text):
            # "do I need to restart my mac?": a question about the computer, not the guide
            return answer_step_question(dispatcher, tracker)
        if state.guide:
            dispatcher.utter_message(text=message("start_over", title=state.guide.title))
            return serve_step(dispatcher, state.guide, 1)
        stated = identify_stated(dispatcher, tracker, state)
        if stated:
            return stated  # "... connection to the server has been reset": a description
        dispatcher.utter_message(text=message("start_fresh"))
        reset = [SlotSet(name, None) for name in (*FACT_SLOTS, "asked")]
        fresh = WalkState(None, None, None, Facts())
        return reset + resume_prompt(dispatcher, fresh)


def asks_about_restarting(text: str) -> bool:
    """Whether a message read as "start over" asks about restarting the computer or the
    program ("do I need to restart my mac?", kb/dialogue.yml `step_help.restart`), not the
    guide ("I need to restart from the beginning")."""
    knowledge = kb()
    spec = knowledge.dialogue["step_help"]["restart"]
    return (
        step_help_topic(knowledge, text) == "restart"
        and says_any(text, spec["things"])
        and not says_any(text, spec["guide_words"])
    )


class ActionOutcomeWorked(Action):
    """The test email went out: close the walkthrough."""

    def name(self) -> Text:
        """The action's name in domain.yml."""
        return "action_outcome_worked"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """See outcome_worked; before any guide, "the server test works" describes the problem."""
        state = WalkState.read(tracker, kb())
        if not state.guide:
            return ask_for_program(dispatcher, tracker, state)
        if state.asked == ASKED_OUTCOME:
            return answer_closing_check(dispatcher, tracker, state, "worked")
        return outcome_worked(dispatcher)


class ActionOutcomeFailed(Action):
    """It still does not send: say so and offer a person."""

    def name(self) -> Text:
        """The action's name in domain.yml."""
        return "action_outcome_failed"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """See outcome_failed; before any guide, "account creation error" describes the problem;
        in the middle of a guide, "it's not working" is about the step (as "I'm stuck")."""
        state = WalkState.read(tracker, kb())
        if not state.guide:
            return ask_for_program(dispatcher, tracker, state)
        if state.step and state.asked != ASKED_OUTCOME and state.step < state.guide.total:
            return stuck_on_step(dispatcher, tracker, state)
        # at the closing check, or at the last step ("nope, error 0x800CCC0E"): a quoted
        # error is explained before the hand-off
        return answer_closing_check(dispatcher, tracker, state, "failed")


def decline_nearest(
    dispatcher: CollectingDispatcher, tracker: Tracker, state: WalkState
) -> List[EventType]:
    """ "no thanks" to the nearest guide offered (kb `nearest`): say so and offer a person; the
    offer stays open for a later "yes". [] when no such offer is pending."""
    if state.guide or tracker.get_slot("offered") not in kb().guides:
        return []
    dispatcher.utter_message(text=message("nearest_declined"), buttons=[person_button()])
    return [SlotSet("asked", None)]  # no question of ours is open any more


class ActionDeny(Action):
    """'No': at the closing check it means it failed; mid-guide, 'not yet'; to the nearest
    guide offered for an uncovered program, it declines it."""

    def name(self) -> Text:
        """The action's name in domain.yml."""
        return "action_deny"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Hand off at the closing check; otherwise bring the customer back to the step."""
        state = WalkState.read(tracker, kb())
        if state.asked == ASKED_OUTCOME and state.guide:
            return answer_closing_check(dispatcher, tracker, state, "failed")
        corrected = identify_stated(dispatcher, tracker, state)
        if corrected:  # "no wait, it's 2007", "nope, Thunderbird 2": a correction, not "not yet"
            return corrected
        return decline_nearest(dispatcher, tracker, state) or resume_prompt(
            dispatcher, state, message("not_done_yet")
        )
