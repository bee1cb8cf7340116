"""How a patch replaces one of Rasa's attributes, and how the original is found again.

Every replacement carries its original (`ORIGINAL_MARK`), so installing twice is a no-op,
`original()` gives Rasa's own function whether or not a patch is in place (parity tests,
signature checks), and a test that restores the attribute (pytest's monkeypatch) undoes the
install completely.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from typing import Any, Optional, Text

ORIGINAL_MARK = "_smtpbot_original"


class PatchMismatch(RuntimeError):
    """The installed Rasa is not the one the patches were written and tested against.

    A RuntimeError on purpose: Rasa turns an ImportError or AttributeError raised by a custom
    tracker store into a silent fallback to the in-memory store.
    """


@dataclass(frozen=True)
class Target:
    """One function of Rasa a patch relies on, with the signature it was written for.

    Attributes:
        path: dotted path, module then attributes (`rasa.core.actions.action.RemoteAction.run`).
        signature: `str(inspect.signature(...))` of Rasa's original.
    """

    path: Text
    signature: Text

    def problem(self) -> Optional[Text]:
        """None when Rasa's function is there with the expected signature, else what differs."""
        try:
            found = str(inspect.signature(resolve(self.path)))
        except (ImportError, AttributeError) as error:
            return f"{self.path} is missing ({error})"
        if found != self.signature:
            return f"{self.path}{found} (expected {self.path}{self.signature})"
        return None


def unwrap(value: Any) -> Any:
    """Rasa's original behind a replacement (the value itself when it is not one)."""
    while ORIGINAL_MARK in getattr(value, "__dict__", {}):
        value = value.__dict__[ORIGINAL_MARK]
    return value


def resolve(path: Text) -> Any:
    """The original object at a dotted path (each attribute unwrapped on the way)."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            value: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            value = unwrap(getattr(value, attr))
        return value
    raise ImportError(f"no module in {path}")


def original(owner: Any, name: Text) -> Any:
    """Rasa's own `owner.name`, whether or not a patch replaced it."""
    return unwrap(getattr(owner, name))


def is_replaced(owner: Any, name: Text) -> bool:
    """Whether a patch of this package is in place at `owner.name`."""
    return ORIGINAL_MARK in getattr(getattr(owner, name), "__dict__", {})


def replace(owner: Any, name: Text, replacement: Any) -> None:
    """Put `replacement` at `owner.name`, once (a second call leaves the first in place).

    A static method stays static. The replacement must be a function or class made for this
    one place: it is marked with the original.
    """
    if is_replaced(owner, name):
        return
    setattr(replacement, ORIGINAL_MARK, getattr(owner, name))
    if isinstance(inspect.getattr_static(owner, name), staticmethod):
        replacement = staticmethod(replacement)
    setattr(owner, name, replacement)
