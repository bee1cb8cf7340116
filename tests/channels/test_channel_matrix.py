"""The channel matrix: every mission path works end to end on every customer channel.

Rows are channels (REST, web chat in Chromium, Slack, Chatwoot), columns the paths a customer
takes (CELLS). Each channel's customer walks them in order on the running bot (tests/channels/
conftest.py): one test per cell, so the report is the matrix. A channel without a customer
driver, or a path a channel's journey never reaches, is a failing cell, never a skipped one:
add a channel to CUSTOMERS and a path to CELLS and JOURNEY, and every row gets it.
"""

import re
import uuid
from typing import Any, Callable, Dict, List

import pytest
from allchannels import CHATWOOT_SECRET
from customers import (
    ChatwootCustomer,
    Customer,
    RestCustomer,
    SlackCustomer,
    WebChatCustomer,
    wait,
)
from stackkit import debian_chromium

REFERENCE = r"HD-\d{5}"
CELLS = [
    "identify and walk a guide",
    "ask for a person: reference shown, bot paused and silent",
    "agent reply delivered to that customer only",
    "hand-back resumes at the right step",
    "closing: did it work?",
]
CUSTOMERS: Dict[str, Callable[[Any, Any], Customer]] = {
    "rest": lambda everything, browser: RestCustomer(everything),
    "webchat": lambda everything, browser: WebChatCustomer(everything, browser),
    "slack": lambda everything, browser: SlackCustomer(everything),
    "chatwoot": lambda everything, browser: ChatwootCustomer(everything, CHATWOOT_SECRET),
}
CHANNELS = ["rest", "webchat", "slack", "chatwoot"]


class Journey:
    """One customer (and a bystander on the same channel) through every cell, in order."""

    def __init__(self, everything: Any, customer: Customer, bystander: Customer):
        self.all, self.customer, self.bystander = everything, customer, bystander
        self.reference = ""
        self.outcomes: Dict[str, str] = {}

    def run(self) -> None:
        """Every cell in order; after a failure the later cells say which one stopped them."""
        failed = None
        for cell, step in zip(CELLS, JOURNEY):
            if failed:
                self.outcomes[cell] = f"not reached: {failed!r} failed"
                continue
            try:
                step(self)
                self.outcomes[cell] = "ok"
            except Exception as error:  # noqa: BLE001 - reported as this cell's failure
                self.outcomes[cell] = f"{type(error).__name__}: {error}"
                failed = cell

    def slots(self) -> Dict[str, Any]:
        return self.all.bot.slots(self.customer.sender)


def walk_a_guide(journey: Journey) -> None:
    customer = journey.customer
    journey.bystander.say("I use Outlook 2013")
    journey.bystander.wait_for("Step 1 of 9")
    customer.say("I use Outlook 2007")
    customer.wait_for(r"Outlook 2007")
    customer.wait_for("Step 1 of 9")
    customer.click("/done")
    customer.wait_for("Step 2 of 9")
    assert journey.slots()["guide"] == "outlook-2007" and journey.slots()["step"] == 2


def ask_for_a_person(journey: Journey) -> None:
    customer, seen = journey.customer, len(journey.customer.shown())
    customer.say("I want to talk to a human")
    told = customer.wait_for(REFERENCE, seen)
    journey.reference = re.search(REFERENCE, told["text"]).group()
    assert customer.paused()
    ticket = journey.all.agent("GET", f"/tickets/{journey.reference}").json()
    assert ticket["status"] == "open" and ticket["conversation_id"] == customer.sender
    assert ticket["channel"] == customer.channel
    assert "summary" not in told["text"]
    if isinstance(customer, WebChatCustomer):
        wait(lambda: customer.banner() == journey.reference, "the hand-off banner")
    # Silent: the next message is taken (and kept for the agent) but nothing is answered.
    seen = len(customer.shown())
    customer.say("hello? is anyone there?")
    assert customer.shown()[seen:] == []
    assert customer.paused()


def agent_replies(journey: Journey) -> None:
    customer, bystander = journey.customer, journey.bystander
    text = f"Hi, I'm Sam from support ({uuid.uuid4().hex[:6]}). Which tabs do you see?"
    answer = journey.all.agent(
        "POST", f"/tickets/{journey.reference}/reply", json={"text": text, "agent": "Sam"}
    )
    assert answer.status_code == 200, answer.text
    if isinstance(customer, RestCustomer):  # pull: it comes with the customer's next request
        customer.say("General and Outgoing Server")
    customer.wait_for(re.escape(text))
    assert sum(text in m["text"] for m in customer.shown()) == 1
    bystander.click("/done")  # the bystander's own conversation goes on, without Sam's words
    bystander.wait_for("Step 2 of 9")
    assert not any(text in m["text"] for m in bystander.shown())


def hand_back(journey: Journey) -> None:
    customer, seen = journey.customer, len(journey.customer.shown())
    back = journey.all.agent("POST", f"/tickets/{journey.reference}/handback", json={})
    assert back.status_code == 200, back.text
    if isinstance(customer, RestCustomer):
        customer.say("thanks")
    customer.wait_for("handed you back", seen)
    customer.wait_for("Step 2 of 9", seen)  # where the customer was when they asked
    assert not customer.paused() and journey.slots()["step"] == 2
    if isinstance(customer, WebChatCustomer):
        wait(lambda: customer.banner() == "", "the hand-off banner to go")
    customer.click("/done")
    customer.wait_for("Step 3 of 9", seen)
    assert journey.slots()["step"] == 3


def closing(journey: Journey) -> None:
    customer = journey.customer
    for number in range(4, 10):
        seen = len(customer.shown())
        customer.click("/done")
        customer.wait_for(f"Step {number} of 9", seen)
    seen = len(customer.shown())
    customer.click("/done")
    customer.wait_for("Did it go out", seen)
    seen = len(customer.shown())
    customer.click("/it_worked")
    customer.wait_for("your mail goes out on port 587", seen)
    assert journey.all.agent("GET", f"/tickets/{journey.reference}").json()["status"] == (
        "handed_back"
    )


JOURNEY: List[Callable[[Journey], None]] = [
    walk_a_guide,
    ask_for_a_person,
    agent_replies,
    hand_back,
    closing,
]


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium for the web chat row."""
    with debian_chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def journeys(channels, browser):
    """Each channel's journey, run once on first use."""
    done: Dict[str, Journey] = {}
    held: List[Customer] = []

    def journey_of(channel: str) -> Journey:
        if channel not in done:
            make = CUSTOMERS[channel]
            customer, bystander = make(channels, browser), make(channels, browser)
            held.extend([customer, bystander])
            done[channel] = Journey(channels, customer, bystander)
            done[channel].run()
        return done[channel]

    yield journey_of
    for customer in held:
        customer.close()


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("channel", CHANNELS)
def test_channel_matrix(journeys, channel, cell):
    """One cell: this channel's customer got through this path of the mission."""
    assert channel in CUSTOMERS, f"no customer driver for channel {channel}"
    outcome = journeys(channel).outcomes.get(cell)
    assert outcome is not None, f"{channel}: the journey has no step for {cell!r}"
    assert outcome == "ok", f"{channel} / {cell}: {outcome}"
