"""Scale-out: tickets live in PostgreSQL, shared by the action servers that open them and the
Rasa servers whose channels read them (and hold Chatwoot's claims), wherever each runs."""

import uuid

import requests

from smtpbot import settings
from smtpbot.tickets.store import TicketStore


def test_a_hand_off_opens_its_ticket_in_postgresql(cluster):
    url = cluster.postgres.env()[settings.SMTPBOT_TICKETS_DB.name]
    assert url.startswith("postgresql")
    sender = "tickets-" + uuid.uuid4().hex[:8]
    for text in ("I use Outlook 2013", "I want to talk to a person"):
        response = requests.post(
            f"http://127.0.0.1:{cluster.port}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=60,
        )
        assert response.status_code == 200 and response.json()
    ticket = TicketStore(url).open_for(sender)
    assert ticket is not None and ticket.guide == "outlook-2010-2016"
