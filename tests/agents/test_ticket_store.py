"""The ticket store on a real SQLite file: one open ticket per conversation under concurrency."""

import concurrent.futures
from datetime import datetime, timezone

from smtpbot.tickets.hours import is_open, next_opening
from smtpbot.tickets.store import TicketStore, parse_reference, reference_for
from smtpbot.tickets.summary import handoff_config


def test_concurrent_handoffs_make_one_ticket(tmp_path):
    url = f"sqlite:///{tmp_path / 't.db'}"
    stores = [TicketStore(url) for _ in range(4)]  # like several processes

    def open_one(i):
        return stores[i % 4].open_ticket(
            "conv-1", "asked", transcript=[("customer", f"m{i}", float(i))]
        )

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(open_one, range(16)))
    assert sum(created for _, created in results) == 1
    assert len({ticket.id for ticket, _ in results}) == 1
    assert len(stores[0].list(status=None)) == 1
    # Survives a "restart": a fresh store on the same file sees it.
    assert TicketStore(url).open_for("conv-1").id == results[0][0].id


def test_resolved_ticket_allows_a_new_one_and_outbox_delivers_once(tmp_path):
    store = TicketStore(f"sqlite:///{tmp_path / 't.db'}")
    first, _ = store.open_ticket("c", "stuck")
    store.set_status(first.id, "resolved")
    second, created = store.open_ticket("c", "asked")
    assert created and second.id != first.id
    store.queue_for_customer("c", [{"text": "a"}, {"text": "b"}])
    assert [m["text"] for m in store.take_for_customer("c")] == ["a", "b"]
    assert store.take_for_customer("c") == []


def test_references():
    assert reference_for(42) == "HD-00042" and parse_reference("hd-00042") == 42
    assert parse_reference("42") == 42 and parse_reference("DROP TABLE") is None


def test_business_hours():
    hours = handoff_config()["business_hours"]
    tuesday_noon = datetime(2024, 3, 5, 12, 0, tzinfo=timezone.utc)
    saturday = datetime(2024, 3, 9, 12, 0, tzinfo=timezone.utc)
    assert is_open(hours, tuesday_noon) and not is_open(hours, saturday)
    assert next_opening(hours, saturday).strftime("%A %H:%M") == "Monday 08:00"
