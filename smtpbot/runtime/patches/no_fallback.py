"""Tracker stores that ask for it get their errors passed through instead of a blank slate.

Rasa 3.6 wraps every tracker store in `FailSafeTrackerStore`: when the database cannot be read
it carries on with a NEW, empty conversation, and when it cannot be written it keeps the turn in
process memory - a conversation losing its place (smtpbot/stores/tracker_store.py). Rasa's
Agent always wraps the configured store and offers no option, so this patch makes the
wrapper call the store's own method directly when the store's class sets
`raise_instead_of_fallback = True`; for every other store the wrapper behaves as before.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Text

from rasa.core.tracker_store import FailSafeTrackerStore

from smtpbot.runtime.patches.base import Target, replace

METHODS = ("retrieve", "retrieve_full_tracker", "save", "keys")
PATH = "rasa.core.tracker_store.FailSafeTrackerStore"
TARGETS = (
    Target(f"{PATH}.retrieve", "(self, sender_id: 'Text') -> 'Optional[DialogueStateTracker]'"),
    Target(
        f"{PATH}.retrieve_full_tracker",
        "(self, sender_id: 'Text') -> 'Optional[DialogueStateTracker]'",
    ),
    Target(f"{PATH}.save", "(self, tracker: 'DialogueStateTracker') -> 'None'"),
    Target(f"{PATH}.keys", "(self) -> 'Iterable[Text]'"),
    Target(
        f"{PATH}.__init__",
        "(self, tracker_store: 'TrackerStore', "
        "on_tracker_store_error: 'Optional[Callable[[Exception], None]]' = None, "
        "fallback_tracker_store: 'Optional[TrackerStore]' = None) -> 'None'",
    ),
)


def raises(store: Any) -> bool:
    """Whether `store`'s class asks for its errors to be raised, not fallen back from."""
    return bool(getattr(type(store), "raise_instead_of_fallback", False))


def passing_through(name: Text, original: Callable[..., Awaitable[Any]]) -> Callable[..., Any]:
    """FailSafeTrackerStore's method `name` that leaves stores asking for it to themselves."""

    async def method(self: FailSafeTrackerStore, *args: Any) -> Any:
        """The primary store's own method when it must not fall back, else Rasa's wrapper."""
        if raises(self._tracker_store):
            return await getattr(self._tracker_store, name)(*args)
        return await original(self, *args)

    method.__name__ = method.__qualname__ = name
    return method


def install() -> None:
    """Replace FailSafeTrackerStore's four store methods (once per process)."""
    for name in METHODS:
        replace(
            FailSafeTrackerStore, name, passing_through(name, getattr(FailSafeTrackerStore, name))
        )
