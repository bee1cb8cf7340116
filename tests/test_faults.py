"""Faults of the action server, on the real stack: frozen (slow) or killed, then back.

The customer must get a clear "having trouble / how to reach us" reply instead of silence (the
action guard's budget, ACTION_GUARD_TIMEOUT, is 1.5 s; the reply times are printed, not
asserted: a loaded machine must not fail the test), and once the action server is back the
conversation continues at its step.
"""

import os
import signal
import subprocess
import time
from typing import Iterator

import pytest
from stackkit import texts


def action_server(stack) -> subprocess.Popen:
    """The stack's running `rasa run actions` process."""
    procs = [p for p in stack.procs if "actions" in p.args and p.poll() is None]
    assert len(procs) == 1, "expected exactly one running action server"
    return procs[0]


def timed_say(bot, sender: str, text: str):
    """Send a message; return its replies (and print how long they took)."""
    start = time.monotonic()
    replies = bot.say(sender, text)
    print(f"reply to {text!r} in {time.monotonic() - start:.2f} s")
    return replies


def assert_trouble_reply(replies) -> None:
    """The reply says we have trouble, that nothing is lost, and how to reach support."""
    answer = texts(replies)
    assert "having trouble" in answer and "Nothing is lost" in answer, answer
    assert "support team" in answer, answer
    assert "Traceback" not in answer


@pytest.fixture
def on_step_2(bot, sender) -> Iterator[str]:
    """A conversation at step 2 of the Outlook 2010-2016 guide."""
    bot.say(sender, "outlook 2013")
    assert "Step 2 of 9" in texts(bot.say(sender, "done"))
    yield sender


def test_frozen_action_server_gets_a_clear_reply_and_state_survives(bot, stack, on_step_2):
    """SIGSTOP = an action server that accepts connections but never answers (overloaded, hung)."""
    proc = action_server(stack)
    os.killpg(proc.pid, signal.SIGSTOP)
    try:
        assert_trouble_reply(timed_say(bot, on_step_2, "done"))
        # still frozen: same answer again
        assert_trouble_reply(timed_say(bot, on_step_2, "done"))
    finally:
        os.killpg(proc.pid, signal.SIGCONT)
    slots = bot.slots(on_step_2)
    assert slots["guide"] == "outlook-2010-2016" and slots["step"] == 2
    assert texts(bot.say(on_step_2, "done")).startswith("Step 3 of 9:")
    assert bot.slots(on_step_2)["step"] == 3


def test_dead_action_server_gets_a_clear_reply_and_state_survives(bot, stack, on_step_2):
    """SIGKILL the action server: refused connections are retried, then the trouble reply."""
    proc = action_server(stack)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    try:
        # (that refused connections are retried is tests/test_patches.py's guard tests)
        assert_trouble_reply(timed_say(bot, on_step_2, "done"))
        assert "having trouble" in texts(timed_say(bot, on_step_2, "what about ssl?"))
    finally:
        stack.procs.remove(proc)
        stack.start_actions()
    slots = bot.slots(on_step_2)
    assert slots["guide"] == "outlook-2010-2016" and slots["step"] == 2
    assert texts(bot.say(on_step_2, "done")).startswith("Step 3 of 9:")
    assert texts(bot.say(on_step_2, "done")).startswith("Step 4 of 9:")


def test_failed_turn_is_recorded_without_state_changes(bot, stack, on_step_2):
    """The tracker shows the trouble reply and no slot event for the failed turn."""
    proc = action_server(stack)
    os.killpg(proc.pid, signal.SIGSTOP)
    try:
        bot.say(on_step_2, "go back")
    finally:
        os.killpg(proc.pid, signal.SIGCONT)
    events = bot.tracker(on_step_2)["events"]
    last_user = max(i for i, e in enumerate(events) if e["event"] == "user")
    turn = events[last_user:]
    assert any(e["event"] == "bot" and "having trouble" in e.get("text", "") for e in turn)
    assert not [e for e in turn if e["event"] == "slot"]
    assert bot.slots(on_step_2)["step"] == 2
