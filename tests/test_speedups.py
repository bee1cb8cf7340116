"""The once-checked action-response validator (smtpbot/speedups.py) decides exactly like Rasa's."""
import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from smtpbot import speedups

RESPONSES = [
    {"events": [{"event": "slot", "name": "step", "value": 2}], "responses": [{"text": "Step 2", "buttons": []}]},
    {"events": [], "responses": []},
    {},
    {"events": [{"event": 5}], "responses": []},
    {"events": "not a list", "responses": []},
    {"events": [], "responses": "x"},
    {"events": [{"event": "slot"}], "responses": [{"text": 3}]},
]


def outcome(validate, result):
    """True, or the validation error's message and path."""
    action = RemoteAction.__new__(RemoteAction)
    try:
        return validate(action, result)
    except jsonschema.ValidationError as error:
        return ("invalid", error.message, list(error.absolute_path))


@pytest.mark.parametrize("result", RESPONSES)
def test_same_decision_and_error_as_rasa(result):
    """Valid responses pass, invalid ones raise the same error (message and path) as Rasa's code."""
    rasa_validate = RemoteAction.__dict__["_validate_action_result"]
    if getattr(rasa_validate, speedups.MARK, False):
        pytest.fail("Rasa's original method was replaced before this test ran")
    assert outcome(speedups.validate_action_result, result) == outcome(rasa_validate, result)


def test_install_is_idempotent(monkeypatch):
    """Installing twice replaces Rasa's method once (and the test restores it afterwards)."""
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    speedups.install()
    installed = RemoteAction._validate_action_result
    speedups.install()
    assert RemoteAction._validate_action_result is installed is speedups.validate_action_result
