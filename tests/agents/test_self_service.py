"""When a conversation handed off for a program with no guide goes back to the bot by itself
(smtpbot/tickets/self_service.py): decided on saved conversation states, without a server."""

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    ConversationPaused,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from stackkit import ROOT

from smtpbot.kb.knowledge import get_kb
from smtpbot.tickets.self_service import covered_resolution

DOMAIN = Domain.load(str(ROOT / "domain.yml"))


def said(text, intent="inform", **entities):
    """A customer message with the NLU's intent and fact entities."""
    found = [{"entity": name, "value": value} for name, value in entities.items()]
    return UserUttered(text, {"name": intent, "confidence": 0.9}, found)


def handed_off(client, platform=None, reason="uncovered", paused=True):
    """The events of a first message whose program has no guide, up to the pause."""
    events = [
        ActionExecuted("action_listen"),
        said(f"I use {client}", client=client),
        ActionExecuted("action_identify_client"),
        SlotSet("client", client),
        SlotSet("platform", platform),
        SlotSet("handoff_reason", reason),
    ]
    return events + ([ConversationPaused()] if paused else [])


def tracker(events):
    return DialogueStateTracker.from_events("t-self-service", events, DOMAIN.slots)


def outcome(events):
    resolution = covered_resolution(get_kb(), tracker(events))
    return resolution and (resolution.kind, resolution.target)


def test_a_program_with_a_guide_named_after_an_uncovered_one_leads_to_its_guide():
    events = handed_off("outlook", platform="ios")
    events.append(said("what about the iphone mail app then?", client="mail", platform="ios"))
    assert outcome(events) == ("guide", "ios-mail")


def test_a_program_named_after_a_hand_off_for_not_understanding_leads_to_its_guide():
    events = handed_off("unknown", reason="not_understood")
    events.append(said("outlook 2010", client="outlook", version="2010"))
    assert outcome(events) == ("guide", "outlook-2010-2016")


def test_a_late_version_after_a_hand_off_for_not_understanding_leads_to_its_guide():
    """Two misses at "Which version of Outlook?", then "2010": the program is known."""
    events = handed_off("outlook", reason="not_understood")
    events.append(said("2010", version="2010"))
    assert outcome(events) == ("guide", "outlook-2010-2016")


def test_a_covered_program_without_its_version_leads_to_the_question():
    events = handed_off("em-client") + [said("I also have outlook on my pc", client="outlook")]
    assert outcome(events) == ("ask", "outlook-version")


@pytest.mark.parametrize(
    "events",
    [
        # the same program again: still the phone's (Thunderbird on an iPhone has no guide)
        handed_off("thunderbird", platform="ios") + [said("thunderbird", client="thunderbird")],
        # no program named
        handed_off("mailspring") + [said("thanks", intent="thanks")],
        # handed off for another reason: the customer asked for a person
        handed_off("mailspring", reason="asked")
        + [said("outlook 2016", client="outlook", version="2016")],
        # not understood twice during a guide: the person has the step's context
        handed_off("outlook", reason="not_understood")[:-1]
        + [SlotSet("guide", "outlook-2007"), ConversationPaused()]
        + [said("outlook 2010", client="outlook", version="2010")],
        # the customer asked for a person while waiting
        handed_off("mailspring")
        + [
            said("can I talk to a human", intent="human"),
            said("outlook 2016", client="outlook", version="2016"),
        ],
        # an agent has answered
        handed_off("mailspring")
        + [
            BotUttered("Hi, I'm Sam.", metadata={"agent": "Sam"}),
            said("outlook 2016", client="outlook", version="2016"),
        ],
        # not paused at all
        handed_off("mailspring", paused=False)
        + [said("outlook 2016", client="outlook", version="2016")],
    ],
    ids=[
        "same-program",
        "no-program",
        "asked",
        "not-understood-in-a-guide",
        "asked-while-waiting",
        "agent-answered",
        "not-paused",
    ],
)
def test_the_person_keeps_the_customer(events):
    assert outcome(events) is None


def test_taking_back_hands_the_ticket_back_with_a_note(tmp_path, monkeypatch):
    """On a real SQLite ticket store: handed back, a note for agents, the customer told."""
    import asyncio

    from rasa.core.channels.channel import CollectingOutputChannel

    from smtpbot.tickets import self_service
    from smtpbot.tickets.store import TicketStore

    store = TicketStore(f"sqlite:///{tmp_path}/tickets.db")
    monkeypatch.setattr("smtpbot.tickets.store.get_store", lambda: store)
    ticket, _ = store.open_ticket("t-self-service", "uncovered", channel="rest", summary="s")
    events = handed_off("em-client") + [
        said("I also have outlook 2016", client="outlook", version="2016")
    ]
    state, channel = tracker(events), CollectingOutputChannel()
    assert asyncio.run(self_service.take_back_for_guide(channel, state)) is True
    assert not state.is_paused() and state.latest_action_name == "action_listen"
    assert channel.messages[0]["custom"] == {"handback": {"status": "resumed"}}
    assert f"closed ticket {ticket.reference}" in channel.messages[1]["text"]
    after = store.get(ticket.id)
    assert after.status == "handed_back"
    assert [m["text"] for m in after.messages if m["role"] == "note"] == [
        "The customer named a program with a guide (Outlook 2010/2013/2016 (also 2019, 2021, 2024,"
        " 365)), so the bot took the conversation back. Their message: I also have outlook 2016"
    ]


def test_a_failing_ticket_store_leaves_the_customer_with_the_support_team(monkeypatch):
    import asyncio

    from rasa.core.channels.channel import CollectingOutputChannel

    from smtpbot.tickets import self_service

    def broken():
        raise ConnectionError("database down")

    monkeypatch.setattr("smtpbot.tickets.store.get_store", broken)
    events = handed_off("em-client") + [
        said("I also have outlook 2016", client="outlook", version="2016")
    ]
    state, channel = tracker(events), CollectingOutputChannel()
    assert asyncio.run(self_service.take_back_for_guide(channel, state)) is False
    assert state.is_paused() and channel.messages == []
