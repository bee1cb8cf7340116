"""Rasa's RedisLockStore with every change of a conversation's lock made atomically.

Rasa 3.6's `LockStore` changes a lock in two Redis round trips: GET the JSON ticket list, change
it in Python, SET it back. With two Rasa servers handling messages of one conversation, those
steps interleave:
- two servers issuing a ticket at the same moment both read "no lock", both write ticket 0 and
  both process their message at once (double processing);
- a server's periodic `update_lock` (every second while it waits) reads the lock, the holder
  removes its finished ticket, then the waiter writes its stale copy back: the finished ticket is
  resurrected and every later message of the conversation waits for it to expire (60 s).

`AtomicRedisLockStore` keeps Rasa's algorithm and Redis format (the same `TicketLock` JSON under
the same key), but each read-change-write runs in a WATCH/MULTI transaction that Redis retries
when another server changed the key in between. An empty lock is deleted, and the key expires
with its last ticket so a crashed server cannot leave a lock behind.

endpoints.scale.yml: `lock_store: type: smtpbot.stores.lock_store.AtomicRedisLockStore` (same options
as `type: redis`).
"""

from __future__ import annotations

import json
import time
from typing import Any, Callable, Optional, Text, Tuple, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

Result = TypeVar("Result")


class AtomicRedisLockStore(RedisLockStore):
    """RedisLockStore whose ticket changes are transactions (no lost or resurrected tickets)."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        """Same options as Rasa's `type: redis` (Rasa passes custom stores their endpoint config)."""
        if endpoint_config is not None:
            kwargs = {
                "host": endpoint_config.url or "localhost",
                **endpoint_config.kwargs,
                **kwargs,
            }
        if "socket_timeout" in kwargs:
            kwargs["socket_timeout"] = float(kwargs["socket_timeout"])
        super().__init__(**kwargs)

    def _change(
        self,
        conversation_id: Text,
        change: Callable[[Optional[TicketLock]], Tuple[Optional[TicketLock], Result]],
    ) -> Result:
        """Apply `change` to the stored lock atomically; it returns (new lock or None, result)."""
        key = self.key_prefix + conversation_id

        def transaction(pipe: Any) -> Result:
            raw = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(raw)) if raw else None
            new_lock, result = change(lock)
            pipe.multi()
            if new_lock is None or not new_lock.tickets:
                pipe.delete(key)
            else:
                expires_ms = int((max(t.expires for t in new_lock.tickets) - time.time()) * 1000)
                pipe.set(key, new_lock.dumps(), px=max(expires_ms, 1))
            return result

        return self.red.transaction(transaction, key, value_from_callable=True)

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Append a ticket to the conversation's lock (created if missing), atomically."""

        def issue(lock: Optional[TicketLock]) -> Tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except Exception as error:  # Redis down or timing out: Rasa's error type, as the base class
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: Text) -> None:
        """Drop expired tickets, atomically."""

        def drop_expired(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        """Remove the served ticket, atomically (the lock goes when it was the last one)."""

        def finish(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, finish)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Finish serving; the lock is deleted in the same transaction when nobody waits."""
        self.finish_serving(conversation_id, ticket_number)
