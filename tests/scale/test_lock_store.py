"""AtomicRedisLockStore on a real redis-server: one holder at a time, no lost or stuck tickets.

Several threads, each with its own store (as separate Rasa servers have), take the lock of the
same conversation many times with Rasa's own `LockStore.lock` context manager.
"""

import asyncio
import threading
import time
import uuid

import pytest

from smtpbot.stores.lock_store import AtomicRedisLockStore
from smtpbot.tools.scale import Redis
from smtpbot.tools.stack import free_port

WORKERS = 6
ROUNDS = 15
# Far longer than the whole test: a ticket left behind or resurrected blocks every later holder
# until the overall deadline, so the test fails on the behaviour (not everyone served), whatever
# the machine's speed.
LOCK_LIFETIME = 600
DEADLINE = 120


@pytest.fixture(scope="module")
def redis_server():
    """A throw-away redis-server."""
    server = Redis(free_port()).start()
    try:
        yield server
    finally:
        server.remove()


def test_concurrent_servers_never_hold_a_conversation_lock_together(redis_server):
    conversation = "lock-" + uuid.uuid4().hex
    inside, overlaps, served = [], [], []
    guard = threading.Lock()

    async def work(store: AtomicRedisLockStore, worker: int) -> None:
        for round_ in range(ROUNDS):
            async with store.lock(
                conversation, lock_lifetime=LOCK_LIFETIME, wait_time_in_seconds=0.005
            ):
                with guard:
                    if inside:
                        overlaps.append((worker, round_, list(inside)))
                    inside.append(worker)
                await asyncio.sleep(0.002)
                with guard:
                    inside.remove(worker)
                    served.append(worker)

    def run(worker: int) -> None:
        store = AtomicRedisLockStore(host="127.0.0.1", port=redis_server.port, key_prefix="test")
        asyncio.run(work(store, worker))

    start = time.monotonic()
    threads = [threading.Thread(target=run, args=(w,), daemon=True) for w in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:  # daemon threads and one overall deadline: a stuck lock fails, not hangs
        thread.join(timeout=max(0.0, start + DEADLINE - time.monotonic()))
    print(f"\n{WORKERS * ROUNDS} lock turns in {time.monotonic() - start:.1f} s")

    assert not overlaps, overlaps[:3]
    # A ticket left behind (lost cleanup, resurrected by a stale write) would keep the others
    # waiting for its lifetime: not everyone would have been served by the deadline.
    assert len(served) == WORKERS * ROUNDS, f"{len(served)} of {WORKERS * ROUNDS} turns served"
    store = AtomicRedisLockStore(host="127.0.0.1", port=redis_server.port, key_prefix="test")
    assert store.get_lock(conversation) is None, "the lock was not removed after the last holder"


def test_lock_key_expires_with_its_last_ticket(redis_server):
    store = AtomicRedisLockStore(host="127.0.0.1", port=redis_server.port, key_prefix="test")
    conversation = "crashed-" + uuid.uuid4().hex
    store.issue_ticket(conversation, lock_lifetime=1)  # a server that dies holding the lock
    ttl_ms = store.red.pttl(store.key_prefix + conversation)
    assert 0 < ttl_ms <= 1000
    time.sleep(1.2)
    assert store.get_lock(conversation) is None
