"""One Rasa server's Chatwoot channel in its own process, given a list of webhooks."""

import asyncio

from smtpbot.channels.chatwoot import ChatwootInput
from smtpbot.channels.claims import ClaimStore
from smtpbot.tickets.store import TicketStore


def deliver_all(url, webhooks, ready, go, results):
    """Decide each (name, payload, delivery id) webhook as the webhook does; report the names
    this process acted on. Its own ticket store (engine, connections) on the shared database,
    as a Rasa server holds it; `go` starts every process's deliveries at the same moment."""
    store = TicketStore(url)
    channel = ChatwootInput(claims=ClaimStore(lambda: store.engine))
    channel.claims.holds("warm-up")  # connected and the table made before the race starts
    ready.put(True)
    go.wait(timeout=60)

    async def deliver():
        acted = []
        for name, payload, delivery in webhooks:
            decision, _ = await channel.decide(payload, delivery)
            if decision in ("handle", "record"):
                acted.append(name)
        return acted

    results.put(asyncio.run(deliver()))
