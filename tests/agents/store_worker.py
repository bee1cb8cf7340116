"""A process opening the tickets' database as a starting server does (kept light: no Rasa)."""

from smtpbot.channels.claims import ClaimStore
from smtpbot.tickets.store import TicketStore


def open_all(urls, barrier, results):
    """Open each fresh database at the same moment as the other processes; report failures."""
    failures = []
    for url in urls:
        barrier.wait(timeout=60)
        try:
            store = TicketStore(url)
            ClaimStore(lambda: store.engine).holds("any")  # noqa: B023 (used at once)
        except Exception as error:  # noqa: BLE001 - reported to the test
            failures.append(f"{url.rsplit('/', 1)[-1]}: {error!r}"[:300])
    results.put(failures)
