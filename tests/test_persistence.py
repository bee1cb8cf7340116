"""Persistence of the default profile: conversations live in the SQLite tracker store, so a
restarted (or killed) Rasa server continues every conversation at its step, and a customer
who comes back within a day (session_config) is still mid-guide.

These tests restart the Rasa server, so they run their own stack, not the shared one.
"""

import json
import os
import signal
import sqlite3
import threading
import time
import uuid

import pytest
import requests
import yaml
from stackkit import ROOT, TOKEN, BotClient, make_stack, texts

GUIDES = yaml.safe_load((ROOT / "kb" / "guides.yml").read_text(encoding="utf-8"))["guides"]
# (opener, guide id, how many 'done's before the restart)
WALKS = [
    ("I use Outlook 2013 and can't send", "outlook-2010-2016", 0),
    ("thunderbrid 115", "thunderbird-3-plus", 2),
    ("Eudora OSE", "eudora-ose", 4),
    ("my iPhone", "ios-mail", 1),
    ("Outlook XP", "outlook-2002-2003", 6),
]


@pytest.fixture(scope="module")
def own_stack(tmp_path_factory):
    """Action server + Rasa server with their own SQLite tracker store file."""
    # A frozen action server is waited for (60 s, not 1.5 s): see the in-flight kill test.
    stack = make_stack(
        tmp_path_factory.mktemp("persistence"),
        "persistence",
        env={"ACTION_GUARD_TIMEOUT": "60"},
    )
    try:
        yield stack.start()
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def client(own_stack) -> BotClient:
    """A REST/API client for the module's stack."""
    return BotClient(f"http://127.0.0.1:{own_stack.rasa_port}", TOKEN)


def new_sender() -> str:
    """A fresh conversation id."""
    return "persist-" + uuid.uuid4().hex[:12]


def step_text(guide_id: str, number: int) -> str:
    """How the bot shows step `number` of a guide."""
    steps = GUIDES[guide_id]["steps"]
    return f"Step {number} of {len(steps)}: {steps[number - 1]}"


def walk(client: BotClient, opener: str, guide_id: str, dones: int) -> str:
    """Start a conversation and confirm `dones` steps; return its sender id."""
    sender = new_sender()
    assert step_text(guide_id, 1) in texts(client.say(sender, opener))
    for number in range(2, dones + 2):
        assert texts(client.say(sender, "done")) == step_text(guide_id, number)
    assert client.slots(sender)["step"] == dones + 1
    return sender


def test_restart_continues_every_conversation_at_its_step(own_stack, client):
    """Several conversations at different steps; restart the Rasa server; each 'done' -> its next step."""
    senders = [(walk(client, opener, guide, dones), guide, dones) for opener, guide, dones in WALKS]
    own_stack.restart_rasa(signal.SIGTERM)
    for sender, guide, dones in senders:
        slots = client.slots(sender)
        assert (slots["guide"], slots["step"]) == (guide, dones + 1)
        assert texts(client.say(sender, "done")) == step_text(guide, dones + 2)
        assert client.slots(sender)["step"] == dones + 2


def test_sigkill_mid_guide_then_next_done_serves_next_step(own_stack, client):
    """SIGKILL the Rasa server mid-guide (no shutdown hooks run); after a restart 'done' -> next step."""
    sender = walk(client, "outlook 2007", "outlook-2007", 3)
    own_stack.restart_rasa(signal.SIGKILL)
    assert client.slots(sender)["step"] == 4
    assert texts(client.say(sender, "done")) == step_text("outlook-2007", 5)
    assert texts(client.say(sender, "done")) == step_text("outlook-2007", 6)


def pending_requests(port: int) -> int:
    """Established connections to local `port` with request bytes nobody has read yet."""
    count = 0
    for line in open("/proc/net/tcp").read().splitlines()[1:]:
        fields = line.split()
        rx_queue = int(fields[4].split(":")[1], 16)
        if int(fields[1].split(":")[1], 16) == port and fields[3] == "01" and rx_queue:
            count += 1
    return count


def test_sigkill_with_a_message_in_flight_keeps_a_valid_step(own_stack, client):
    """Kill while a 'done' is being processed: the message is lost whole (never half counted),
    the conversation stays at step 3 and the next 'done' serves step 4.

    Mid-message for sure: the action server is frozen (SIGSTOP), so the Rasa server has read the
    message and sits waiting for the action's answer, whose request is seen unread in the action
    server's socket (/proc/net/tcp); the stack's action guard waits 60 s, so the kill comes first,
    and the customer's request gets no answer at all."""
    sender = walk(client, "Entourage 2008", "entourage", 2)
    url = f"{client.base}/webhooks/rest/webhook"
    outcome = {}

    def send_done():
        try:
            outcome["reply"] = requests.post(
                url, json={"sender": sender, "message": "done"}, timeout=120
            ).text
        except requests.RequestException as error:
            outcome["error"] = error  # the server died under it: expected

    actions = next(p for p in own_stack.procs if "actions" in p.args and p.poll() is None)
    os.killpg(actions.pid, signal.SIGSTOP)
    try:
        waiting = pending_requests(own_stack.actions_port)
        inflight = threading.Thread(target=send_done)
        inflight.start()
        deadline = time.monotonic() + 60
        while pending_requests(own_stack.actions_port) <= waiting:
            assert time.monotonic() < deadline, "the action call never reached the action server"
            time.sleep(0.05)
        own_stack.restart_rasa(signal.SIGKILL)
    finally:
        os.killpg(actions.pid, signal.SIGCONT)
    inflight.join()
    assert "error" in outcome, f"the message was answered before the kill: {outcome}"
    assert client.slots(sender)["step"] == 3
    assert texts(client.say(sender, "done")) == step_text("entourage", 4)
    assert client.slots(sender)["step"] == 4


def age_conversation(db, sender: str, hours: float) -> None:
    """Move every stored event of a conversation `hours` into the past (as if the customer left)."""
    shift = hours * 3600
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT id, data FROM events WHERE sender_id = ?", (sender,)
        ).fetchall()
        assert rows, "the conversation is not in the SQLite tracker store"
        for row_id, data in rows:
            event = json.loads(data)
            event["timestamp"] -= shift
            connection.execute(
                "UPDATE events SET data = ?, timestamp = timestamp - ? WHERE id = ?",
                (json.dumps(event), shift, row_id),
            )


def session_starts(client: BotClient, sender: str) -> int:
    """How many conversation sessions the tracker has (session_started events)."""
    response = requests.get(
        f"{client.base}/conversations/{sender}/tracker",
        params={"token": TOKEN, "include_events": "ALL"},
        timeout=30,
    )
    response.raise_for_status()
    return sum(1 for e in response.json()["events"] if e["event"] == "session_started")


def test_customer_back_within_a_day_is_still_mid_guide(own_stack, client):
    """23 hours later: the same session (no new session_started) and 'done' serves the next step."""
    sender = walk(client, "Apple Mail on El Capitan", "apple-mail-8-9", 2)
    sessions = session_starts(client, sender)
    age_conversation(own_stack.db, sender, hours=23)
    assert texts(client.say(sender, "done")) == step_text("apple-mail-8-9", 4)
    assert session_starts(client, sender) == sessions


def test_after_a_day_a_new_session_starts_and_keeps_the_step(own_stack, client):
    """25 hours later the session has expired (a new one starts), slots carry over: still at the step."""
    sender = walk(client, "Apple Mail on El Capitan", "apple-mail-8-9", 1)
    sessions = session_starts(client, sender)
    age_conversation(own_stack.db, sender, hours=25)
    assert texts(client.say(sender, "done")) == step_text("apple-mail-8-9", 3)
    assert session_starts(client, sender) == sessions + 1


def test_tracker_store_uses_a_write_ahead_log(own_stack, client):
    """Stack puts the SQLite tracker store in WAL mode (one fsync per commit; crash-safe)."""
    walk(client, "eudora 7", "eudora", 0)
    with sqlite3.connect(own_stack.db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_locked_database_gets_a_clear_reply_and_the_step_is_kept(own_stack, client):
    """The SQLite file locked by another program (a backup, the sqlite3 shell) while the customer
    says "done": they are told we are having trouble - not served from a blank conversation, nor
    from a step that was never stored - and the next "done" after the lock serves the next step."""
    sender = walk(client, "I use Outlook 2013 and can't send", "outlook-2010-2016", 1)
    lock = sqlite3.connect(own_stack.db, timeout=0)
    lock.execute("BEGIN EXCLUSIVE")
    try:
        start = time.monotonic()
        answer = texts(client.say(sender, "done"))
        waited = time.monotonic() - start
    finally:
        lock.rollback()
        lock.close()
    assert "having trouble" in answer and "Step" not in answer, answer
    print(f"\nlocked database: 'having trouble' after {waited:.1f} s")
    assert texts(client.say(sender, "done")) == step_text("outlook-2010-2016", 3)
    assert client.slots(sender)["step"] == 3
