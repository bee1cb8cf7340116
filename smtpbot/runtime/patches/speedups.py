"""Speed-ups of Rasa's per-message machinery, each with the same results as Rasa's own code.

Validating action responses:

Rasa 3.6 validates every action-server response with `jsonschema.validate(result, spec)`.
That function first checks the *schema itself* against the JSON-Schema 2020-12 meta-schema,
on every call; profiling the Rasa server under `make bench` (py-spy, README "Performance")
showed that this self-check was about half of the server's CPU time per message, since every
reply of this bot comes from a custom action. The schema is a constant, so this module checks
it once and keeps the validator: the same validator class, the same checks, the same error
(best match, with Rasa's explanation appended) for an invalid response. A valid response is
recognised by checking each event against its own type's part of the schema (`quick_check`).

It also keeps one HTTP session (and its keep-alive connections) per endpoint instead of Rasa's
new `aiohttp.ClientSession` - a new TCP connection - for every action call (`EndpointConfig.request`);
see `lasting_session`.

And it runs Rasa's NLU and policy graphs by calling their nodes in dependency order instead of
through a freshly built dask graph (`run_graph_in_order`), and finds event classes by type name
in a table (`resolve_event_type`).

Like `smtpbot.runtime.patches.action_guard`, it must run inside every Rasa server process whichever command
starts it, so a pipeline component (`ActionResponseValidation` in config.yml), loaded with the
model, installs it; the component does nothing to messages.
"""

from __future__ import annotations

import asyncio
from functools import lru_cache
from typing import Any, Callable, Dict, List, Optional, Text, Tuple

from rasa.core.actions.action import RemoteAction
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

MARK = "_smtpbot_cached_schema"
SESSIONS = "_smtpbot_sessions"
ORDERS = "_smtpbot_node_orders"
# Rasa's own methods replaced by install(), for comparison (tests/test_speedups.py).
ORIGINALS: Dict[str, Any] = {}
# Taken when this module is imported, before install() replaces it.
RASA_RESOLVE_BY_TYPE = Event.resolve_by_type
# Event type name -> class, as Rasa's resolve_by_type finds it (filled on first use).
EVENT_TYPES: Dict[Text, type] = {}
# Idle keep-alive connections are dropped after this long: shorter than the action server's
# (Sanic: 5 s), so a request never goes out on a connection the server is just closing.
KEEPALIVE_SECONDS = 2.0


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


class _KeptOpen:
    """`async with` for a lasting session: gives the session, leaves it open on exit."""

    def __init__(self, session: Any) -> None:
        """Wrap the lasting session."""
        self.session = session

    async def __aenter__(self) -> Any:
        """The session itself."""
        return self.session

    async def __aexit__(self, *exc_info: Any) -> None:
        """Keep the session (and its pooled connections) for the next request."""


def lasting_session(self: EndpointConfig) -> _KeptOpen:
    """Rasa's `EndpointConfig.session` (same headers, auth and timeout), made once per endpoint
    and event loop and then reused, so action calls reuse keep-alive connections."""
    import aiohttp

    loop = asyncio.get_running_loop()
    sessions = self.__dict__.setdefault(SESSIONS, {})
    session = sessions.get(loop)
    if session is None or session.closed:
        auth = (
            aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
            if self.basic_auth
            else None
        )
        session = aiohttp.ClientSession(
            headers=self.headers,
            auth=auth,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
        )
        sessions.clear()  # a session of a finished loop cannot be used (or closed) any more
        sessions[loop] = session
    return _KeptOpen(session)


def run_graph_in_order(
    self: Any, inputs: Optional[Dict[Text, Any]] = None, targets: Optional[List[Text]] = None
) -> Dict[Text, Any]:
    """Rasa's `DaskGraphRunner.run`, computed by calling the nodes in dependency order.

    Rasa builds a dask task graph on every run (twice per message: NLU, then the policy) and
    lets dask's scheduler walk it; for graphs of a dozen nodes run one at a time, building and
    scheduling cost more than the nodes themselves (~2 ms per message, profiled with cProfile).
    This computes the same: each node of the targets' dependencies is called once, after its
    needs, with the same arguments (`(name, output)` pairs; a need that nothing provides is
    passed as its bare name, as dask does), inputs replace nodes of the same name, and errors
    surface the same way. The order is worked out once per targets and inputs.
    """
    from rasa.engine.exceptions import GraphRunError

    inputs = inputs or {}
    run_targets = list(targets if targets else self._graph_schema.target_names)
    nodes = self._graph_schema.nodes
    orders = self.__dict__.setdefault(ORDERS, {})
    key = (tuple(run_targets), frozenset(inputs))
    if key not in orders:
        orders[key] = (
            _dependency_order(nodes, run_targets, set(inputs)),
            list(self._graph_schema.minimal_graph_schema(run_targets).nodes),
        )
    order, minimal_nodes = orders[key]
    # Rasa's own check that no input value names a node of the run (raises its GraphRunError).
    self._add_inputs_to_graph(inputs, dict.fromkeys(minimal_nodes))
    values: Dict[Text, Any] = {name: (name, value) for name, value in inputs.items()}
    try:
        for name in order:
            values[name] = self._instantiated_nodes[name](
                *[values.get(need, need) for need in nodes[name].needs.values()]
            )
    except RuntimeError as error:
        raise GraphRunError("Error running runner.") from error
    return dict(values.get(target, target) for target in run_targets)


def _dependency_order(nodes: Dict[Text, Any], targets: List[Text], given: set) -> List[Text]:
    """The nodes `targets` need, each after its own needs (inputs in `given` are not run)."""
    order: List[Text] = []
    seen = set(given)

    def visit(name: Text) -> None:
        if name in seen or name not in nodes:
            return
        seen.add(name)
        for need in nodes[name].needs.values():
            visit(need)
        order.append(name)

    for target in targets:
        visit(target)
    return order


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
    return RASA_RESOLVE_BY_TYPE(type_name, default)


def install() -> None:
    """Replace `RemoteAction._validate_action_result`, `EndpointConfig.session`,
    `DaskGraphRunner.run` and `Event.resolve_by_type` once per process."""
    from rasa.engine.runner.dask import DaskGraphRunner

    if getattr(RemoteAction._validate_action_result, MARK, False):
        return
    setattr(validate_action_result, MARK, True)
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    EndpointConfig.session = lasting_session  # type: ignore[method-assign]
    ORIGINALS.setdefault("graph_run", DaskGraphRunner.run)
    DaskGraphRunner.run = run_graph_in_order  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(resolve_event_type)  # type: ignore[method-assign]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class ActionResponseValidation(GraphComponent):
    """Installs the once-checked response validator when the model is loaded; messages pass through."""

    def __init__(self, config: Dict[Text, Any]) -> None:
        """Install the validator (idempotent)."""
        self.config = config
        install()

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ActionResponseValidation:
        """Create the component (nothing to train)."""
        return cls(config)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> ActionResponseValidation:
        """Load the component: install the validator in this process."""
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data is left as it is."""
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Messages are left as they are."""
        return messages
