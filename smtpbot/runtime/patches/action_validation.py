"""Action-server responses validated with a schema checked once, not on every response.

Rasa 3.6 validates every action-server response with `jsonschema.validate(result, spec)`.
That function first checks the *schema itself* against the JSON-Schema 2020-12 meta-schema,
on every call; profiling the Rasa server under `make bench` (py-spy, README "Performance")
showed that this self-check was about half of the server's CPU time per message, since every
reply of this bot comes from a custom action. The schema is a constant, so this patch checks
it once and keeps the validator: the same validator class, the same checks, the same error
(best match, with Rasa's explanation appended) for an invalid response. A valid response is
recognised by checking each event against its own type's part of the schema (`quick_check`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Dict, Text, Tuple

from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

from smtpbot.runtime.patches.base import Target, replace

TARGETS = (
    Target(
        "rasa.core.actions.action.RemoteAction._validate_action_result",
        "(self, result: Dict[str, Any]) -> bool",
    ),
    Target(
        "rasa.core.actions.action.RemoteAction.action_response_format_spec", "() -> Dict[str, Any]"
    ),
)


@lru_cache(maxsize=4)
def _validators_for(action_class: type) -> Tuple[Any, Callable[[Any], bool]]:
    """jsonschema's checked validator for an action class's response schema (a constant of the
    class: Rasa's `action_response_format_spec` is a static method building the same dict each
    time), and a quick exact check of a valid response (`quick_check`)."""
    from jsonschema.validators import validator_for

    schema = action_class.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # what jsonschema.validate does on each call, done once
    return cls(schema), quick_check(cls, schema)


def quick_check(cls: Any, schema: Dict[Text, Any]) -> Callable[[Any], bool]:
    """A check that says True exactly for the responses `schema` accepts, much faster when
    there are events: each event is validated against the one `oneOf` alternative of its type.

    Rasa's schema checks each event against `oneOf` 23 alternatives (one per event type), all of
    which jsonschema tries - ~2.5 ms per response of this bot, a fifth of the Rasa server's CPU
    per message. Every alternative fixes `event` to a different constant and `event` is required,
    so an event is valid exactly when its own type's alternative (with the common properties)
    accepts it. If the schema is not of that shape, the check is simply the full validator.
    """
    full = cls(schema)
    try:
        items = schema["properties"]["events"]["items"]
        alternatives = {alt["properties"]["event"]["const"]: alt for alt in items["oneOf"]}
        if len(alternatives) != len(items["oneOf"]) or "event" not in items.get("required", []):
            return full.is_valid
    except (KeyError, TypeError):
        return full.is_valid
    common = {key: value for key, value in items.items() if key != "oneOf"}
    per_type = {name: cls({"allOf": [common, alt]}) for name, alt in alternatives.items()}
    outer = cls(
        {
            **schema,
            "properties": {
                **schema["properties"],
                "events": {k: v for k, v in schema["properties"]["events"].items() if k != "items"},
            },
        }
    )

    def check(result: Any) -> bool:
        if not outer.is_valid(result):
            return False
        for event in (result.get("events") or []) if isinstance(result, dict) else []:
            kind = event.get("event") if isinstance(event, dict) else None
            validator = per_type.get(kind) if isinstance(kind, str) else None
            if validator is None or not validator.is_valid(event):
                return False
        return True

    return check


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """Rasa's `RemoteAction._validate_action_result`: same verdict, same error, quick when valid.

    A response the quick check accepts is valid; anything else gets jsonschema's full verdict
    and, if invalid, Rasa's own error: the best match, with Rasa's explanation appended.
    """
    from jsonschema.exceptions import best_match

    validator, quick = _validators_for(type(self))
    if quick(result):
        return True
    error = best_match(validator.iter_errors(result))
    if error is None:
        return True
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    """Replace `RemoteAction._validate_action_result` (once per process)."""
    replace(RemoteAction, "_validate_action_result", validate_action_result)
