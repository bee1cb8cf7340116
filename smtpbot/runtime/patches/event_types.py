"""Event classes found by type name in a table, not by walking every subclass of `Event`.

Rasa walks every subclass of `Event` (and checks each for abstract methods) for every event
it deserialises: for a conversation read back from the database that was a third of the
Rasa server's time (py-spy, scale-out profile, 500 messages).
"""

from __future__ import annotations

from typing import Dict, Optional, Text

from rasa.shared.core.events import Event

from smtpbot.runtime.patches.base import Target, original, replace

TARGETS = (
    Target(
        "rasa.shared.core.events.Event.resolve_by_type",
        "(type_name: str, default: Optional[Type[ForwardRef('Event')]] = None) "
        "-> Optional[Type[ForwardRef('Event')]]",
    ),
)
# Event type name -> class, as Rasa's resolve_by_type finds it (filled on first use).
EVENT_TYPES: Dict[Text, type] = {}


def resolve_event_type(type_name: Text, default: Optional[type] = None) -> Optional[type]:
    """Rasa's `Event.resolve_by_type` with the type names looked up in a table.

    Rasa walks every subclass of `Event` (and checks each for abstract methods) for every event
    it deserialises: for a conversation read back from the database that was a third of the
    Rasa server's time (py-spy, scale-out profile, 500 messages). The table is built from the
    same walk, and rebuilt when a name is not in it (a class defined later), so the answer is
    Rasa's, including for unknown names.
    """
    from rasa.shared.utils.common import all_subclasses

    if type_name not in EVENT_TYPES:
        EVENT_TYPES.clear()
        for cls in all_subclasses(Event):  # Rasa's walk, in its order: the first match wins
            EVENT_TYPES.setdefault(cls.type_name, cls)
    if type_name in EVENT_TYPES:
        return EVENT_TYPES[type_name]
    return original(Event, "resolve_by_type")(type_name, default)


def install() -> None:
    """Replace `Event.resolve_by_type` (once per process)."""
    replace(Event, "resolve_by_type", resolve_event_type)
