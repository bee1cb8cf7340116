"""Chatwoot de-duplication holds across processes: the first to claim a message in the shared
database acts, every other process refuses it (the scale-out profile's two Rasa servers), on
SQLite (one server's file) and on PostgreSQL (really started)."""

import asyncio
import multiprocessing
import secrets
import time
import uuid

import pytest
import sqlalchemy as sa
from chatwoot_claim_worker import deliver_all
from fake_chatwoot import message_created
from sqlalchemy.exc import SQLAlchemyError
from stackkit import free_port
from store_worker import open_all

from smtpbot.channels import chatwoot as chatwoot_module
from smtpbot.channels import claims as claims_module
from smtpbot.channels.chatwoot import ChatwootInput
from smtpbot.channels.claims import ClaimStore
from smtpbot.tickets.store import TicketStore
from smtpbot.tools.scale import Postgres


@pytest.fixture(scope="module")
def postgres():
    """A real PostgreSQL server (the scale-out profile's)."""
    server = Postgres(free_port(), secrets.token_urlsafe(12), max_connections=20).start()
    try:
        yield server
    finally:
        server.remove()


def fresh_database(server):
    """The URL of a new, empty database on `server`."""
    name = f"tickets_{uuid.uuid4().hex[:12]}"
    server.create_databases(name)
    return f"postgresql://{server.user}:{server.password}@127.0.0.1:{server.port}/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """The (new) tickets' database the Rasa servers share."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tickets.db'}"
    return fresh_database(request.getfixturevalue("postgres"))


def test_servers_starting_together_on_a_new_database_all_start(postgres):
    """Two processes open the same new PostgreSQL database at the same moment, five times: the
    one that loses the race to create the tables finds them made (a catalogue unique violation
    or "relation already exists" failed it before), so no server is left without its store."""
    context = multiprocessing.get_context("spawn")
    urls = [fresh_database(postgres) for _ in range(5)]
    barrier, results = context.Barrier(2), context.Queue()
    servers = [context.Process(target=open_all, args=(urls, barrier, results)) for _ in range(2)]
    for server in servers:
        server.start()
    try:
        failures = [results.get(timeout=120) for _ in servers]
    finally:
        for server in servers:
            server.join(timeout=30)
    assert failures == [[], []]


def click(message_id, conversation_id=41, status="read"):
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
        "status": status,
        "private": False,
        "sender": {"id": 3, "name": "Mail setup bot", "type": "agent_bot"},
        "conversation": {"id": conversation_id, "status": "pending", "inbox_id": 1},
        "account": {"id": 7, "name": "Acme Inc"},
    }


def webhooks(count):
    """`count` messages and clicks, each delivered three times: the delivery, its redelivery
    (same delivery id) and Chatwoot's retry (a new delivery of the same message or update)."""
    deliveries = []
    for n in range(count):
        conversation = 1000 + n
        if n % 2:
            payload, retry = click(9000 + n, conversation), click(9000 + n, conversation, "sent")
        else:
            status = "pending" if n % 4 == 0 else "open"  # "open": recorded into the ticket
            payload = message_created(conversation, f"outlook 20{n:02d}", status=status)
            retry = payload
        delivery = uuid.uuid4().hex
        deliveries += [(n, payload, delivery), (n, payload, delivery), (n, retry, uuid.uuid4().hex)]
    return deliveries


def test_each_webhook_is_acted_on_by_one_server_only(database):
    """Two processes (a Rasa server's channel each) get the same 120 deliveries, one in order
    and one in reverse, started at the same moment: every message and click is acted on exactly
    once in all, whichever server a copy lands on and however they interleave."""
    context = multiprocessing.get_context("spawn")
    ready, results, go = context.Queue(), context.Queue(), context.Event()
    sent = webhooks(40)
    servers = [
        context.Process(target=deliver_all, args=(database, order, ready, go, results))
        for order in (sent, sent[::-1])
    ]
    for server in servers:
        server.start()
    try:
        for _ in servers:
            ready.get(timeout=120)
        go.set()
        acted = [results.get(timeout=120) for _ in servers]
    finally:
        for server in servers:
            server.join(timeout=30)
    assert sorted(acted[0] + acted[1]) == list(range(40)), acted


def server(url):
    """A Chatwoot channel as one Rasa server holds it: its own ticket store (own engine, own
    connections) on the shared database."""
    store = TicketStore(url)
    return ChatwootInput(claims=ClaimStore(lambda: store.engine))


def decide(channel, payload, delivery=None):
    return asyncio.run(channel.decide(payload, delivery))[0]


def test_a_claim_is_all_or_nothing(database):
    """A message and its delivery are claimed together: a refused claim leaves nothing behind."""
    first, second = server(database), server(database)
    assert decide(first, click(901), "d-1") == "handle"
    assert decide(second, click(901), "d-2") == "duplicate"  # Chatwoot's retry, other server
    assert decide(first, click(902), "d-2") == "handle"  # so d-2 was not left claimed
    assert decide(second, click(903), "d-1") == "duplicate"  # a replayed delivery id
    assert decide(second, click(903), "d-3") == "handle"
    assert decide(second, click(901, conversation_id=42)) == "handle"  # another conversation


def test_ignored_events_claim_nothing(tmp_path):
    channel = server(f"sqlite:///{tmp_path / 'tickets.db'}")
    typing = message_created(41, "hi", event="conversation_typing_on")
    assert decide(channel, typing, "d-1") == "ignored"
    assert not channel.claims.holds("chatwoot:delivery:d-1")


def test_database_down_claims_nothing_and_a_retry_is_decided_afresh(tmp_path):
    """A failed claim raises (the webhook answers 503) and leaves nothing claimed."""
    url = f"sqlite:///{tmp_path / 'missing-dir' / 'tickets.db'}"
    channel = ChatwootInput(claims=ClaimStore(lambda: sa.create_engine(url)))
    with pytest.raises(SQLAlchemyError):
        decide(channel, click(901), "d-1")
    (tmp_path / "missing-dir").mkdir()  # the database is back
    assert decide(channel, click(901), "d-1") == "handle"
    assert decide(channel, click(901), "d-1") == "duplicate"


def test_a_message_that_never_reached_the_bot_is_released(tmp_path, monkeypatch):
    """Handling failed before the bot got the message (the tickets' database is gone): the
    claim is released, a redelivery is handled. A failure inside the bot keeps the claim."""
    channel = server(f"sqlite:///{tmp_path / 'tickets.db'}")
    given = []

    async def bot(message):
        given.append(message.text)
        raise RuntimeError("the bot failed after it may have answered")

    async def deliver(payload, delivery):
        decision, message = await channel.decide(payload, delivery)
        if decision == "handle":
            await channel.handle(None, bot, message, "http://chatwoot.invalid", "token")
        return decision

    gone = f"sqlite:///{tmp_path / 'missing-dir' / 'tickets.db'}"
    monkeypatch.setattr(chatwoot_module, "get_store", lambda: TicketStore(gone))
    assert asyncio.run(deliver(click(901), "d-1")) == "handle"
    assert not given
    tickets = TicketStore(f"sqlite:///{tmp_path / 'tickets.db'}")
    monkeypatch.setattr(chatwoot_module, "get_store", lambda: tickets)  # the database is back
    assert asyncio.run(deliver(click(901), "d-1")) == "handle"  # the redelivery is handled
    assert given == ["outlook"]
    assert asyncio.run(deliver(click(901), "d-2")) == "duplicate"  # the bot got it: kept


def test_claims_older_than_a_day_are_pruned(tmp_path, monkeypatch):
    store = ClaimStore(lambda: sa.create_engine(f"sqlite:///{tmp_path / 'tickets.db'}"))
    assert store.claim(["old"])
    day_later = time.time() + claims_module.CLAIM_TTL_SECONDS + claims_module.PRUNE_EVERY_SECONDS
    monkeypatch.setattr(claims_module.time, "time", lambda: day_later + 1)
    assert store.claim(["new"])  # pruning runs after a successful claim
    assert not store.holds("old") and store.holds("new")
    assert store.claim(["old"])  # forgotten: a day-old key is claimable again
    assert not store.claim(["new"])
