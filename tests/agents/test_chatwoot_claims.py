"""Chatwoot de-duplication holds across processes: the first to claim a key in the shared
database acts, every other process refuses it (the scale-out profile's two Rasa servers)."""

import time

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from smtpbot.channels import claims as claims_module
from smtpbot.channels.chatwoot import ChatwootInput
from smtpbot.channels.claims import ClaimStore, SharedSeen
from smtpbot.tickets.store import TicketStore


def server(url):
    """A Chatwoot channel as one Rasa server holds it: its own ticket store (own engine, own
    connections) on the shared database, and its own memory."""
    store = TicketStore(url)
    return ChatwootInput(claims=ClaimStore(lambda: store.engine))


def click(message_id, conversation_id=41):
    """A customer's click as Chatwoot delivers it: `message_updated` of the bot's input_select
    message with `submitted_values` (Message#webhook_data, see test_chatwoot_clicks.py)."""
    return {
        "event": "message_updated",
        "id": message_id,
        "content": "Which mail program?",
        "content_type": "input_select",
        "content_attributes": {
            "items": [{"title": "Outlook", "value": "outlook"}],
            "submitted_values": [{"title": "Outlook", "value": "outlook"}],
        },
        "message_type": "outgoing",
        "private": False,
        "sender": {"id": 3, "name": "Mail setup bot", "type": "agent_bot"},
        "conversation": {"id": conversation_id, "status": "pending", "inbox_id": 1},
        "account": {"id": 7, "name": "Acme Inc"},
    }


def claimed(channel, payload):
    """What the webhook does after triage: claim the message, True if this server acts on it."""
    decision, message = channel.triage(payload)
    assert decision == "handle", decision
    return message.pop("seen").first_time(message["key"])


def test_a_delivery_claimed_by_one_server_is_refused_by_the_other(tmp_path):
    url = f"sqlite:///{tmp_path / 'tickets.db'}"
    first, second = server(url), server(url)
    assert second.deliveries.first_time("delivery-1")
    assert not first.deliveries.first_time("delivery-1")  # the redelivery reached the other one
    assert not second.deliveries.first_time("delivery-1")
    assert first.deliveries.first_time("delivery-2")
    assert not second.deliveries.first_time("delivery-2")


def test_a_click_is_answered_by_one_server_only(tmp_path):
    url = f"sqlite:///{tmp_path / 'tickets.db'}"
    first, second = server(url), server(url)
    assert claimed(first, click(901))
    assert not claimed(second, click(901))  # a redelivery or a later update of the same message
    assert not claimed(first, click(901))
    assert claimed(second, click(902))
    assert claimed(first, click(901, conversation_id=42))  # same id, another conversation


def test_keys_are_namespaced(tmp_path):
    """A delivery id equal to a message key does not swallow the message."""
    channel = server(f"sqlite:///{tmp_path / 'tickets.db'}")
    assert channel.deliveries.first_time("chatwoot:7:41:901")
    assert claimed(channel, click(901))


def test_database_down_claims_nothing_and_remembers_nothing(tmp_path):
    """A failed claim raises (the webhook answers 503) and a later retry is decided afresh."""
    url = f"sqlite:///{tmp_path / 'missing-dir' / 'tickets.db'}"
    seen = SharedSeen(ClaimStore(lambda: sa.create_engine(url)), "test:")
    with pytest.raises(SQLAlchemyError):
        seen.first_time("delivery-1")
    (tmp_path / "missing-dir").mkdir()  # the database is back
    assert seen.first_time("delivery-1")
    assert not seen.first_time("delivery-1")


def test_keys_older_than_a_day_are_pruned(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'tickets.db'}"
    store = ClaimStore(lambda: sa.create_engine(url))
    assert store.claim("old")
    day_later = time.time() + claims_module.CLAIM_TTL_SECONDS + claims_module.PRUNE_EVERY_SECONDS
    monkeypatch.setattr(claims_module.time, "time", lambda: day_later + 1)
    assert store.claim("new")  # pruning runs after a successful claim
    assert store.claim("old")  # forgotten: a day-old key is claimable again
    assert not store.claim("new")
