"""The patches to Rasa (smtpbot/runtime/patches): each behaves exactly like Rasa's original.

Rasa's originals are captured when this module is imported, before any test runs (nothing
installs a patch at import), and every test starts from them and gets them back afterwards
(`rasa_originals`, with monkeypatch), so a parity test never compares a patch with itself.
"""

import asyncio
import inspect
import os
import subprocess
import sys
import types
from pathlib import Path

import jsonschema
import pytest
import rasa
import rasa.core.processor
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.utils.endpoints import EndpointConfig

import smtpbot.runtime.patches as patches
from smtpbot.runtime.patches import (
    action_guard,
    action_validation,
    domain_empty,
    event_types,
    graph_runner,
    http_session,
    no_fallback,
    self_service,
    turn_metrics,
)
from smtpbot.runtime.patches.base import ORIGINAL_MARK, PatchMismatch

ROOT = Path(__file__).resolve().parents[1]

# Every attribute of Rasa a patch replaces: (owner, name).
PATCHED = [
    (RemoteAction, "run"),
    (RemoteAction, "_validate_action_result"),
    (EndpointConfig, "session"),
    (Event, "resolve_by_type"),
    (Domain, "is_empty"),
    *[(FailSafeTrackerStore, name) for name in no_fallback.METHODS],
    (rasa.core.processor, "DaskGraphRunner"),
    (Agent, "handle_message"),
    (rasa.core.processor.MessageProcessor, "_run_prediction_loop"),
]
# Rasa's own values (descriptors as they sit in the class), taken at import.
ORIGINALS = {(owner, name): inspect.getattr_static(owner, name) for owner, name in PATCHED}


def rasas(owner, name):
    """Rasa's original `owner.name`, as captured at import (a function or class)."""
    value = ORIGINALS[(owner, name)]
    return value.__func__ if isinstance(value, staticmethod) else value


@pytest.fixture(autouse=True)
def rasa_originals(monkeypatch):
    """Rasa's originals in place for the test; whatever was there before, back afterwards.

    A patch installed before this test (by a store another test built in this process) gets its
    original-mark back too: installing over a test's stand-in re-marks the same function.
    """
    for (owner, name), value in ORIGINALS.items():
        current = inspect.getattr_static(owner, name)
        current = getattr(current, "__func__", current)
        if ORIGINAL_MARK in getattr(current, "__dict__", {}):
            monkeypatch.setattr(current, ORIGINAL_MARK, getattr(current, ORIGINAL_MARK))
        monkeypatch.setattr(owner, name, value)


@pytest.fixture
def installed():
    """All patches installed (undone after the test by `rasa_originals`)."""
    patches.install_all()


def test_originals_were_captured_before_any_patch():
    """Nothing had installed a patch when this module was imported."""
    marked = [name for (owner, name) in PATCHED if ORIGINAL_MARK in vars(rasas(owner, name))]
    assert not marked, f"patched before capture: {marked}"


def test_install_all_replaces_each_target_once(installed):
    """Every patched attribute is replaced, a second install changes nothing."""
    first = {key: inspect.getattr_static(*key) for key in ORIGINALS}
    assert all(first[key] is not ORIGINALS[key] for key in ORIGINALS), first
    patches.install_all()
    assert {key: inspect.getattr_static(*key) for key in ORIGINALS} == first
    assert rasa.core.processor.DaskGraphRunner is graph_runner.OrderedGraphRunner
    assert Event.resolve_by_type is event_types.resolve_event_type
    assert Domain.is_empty is domain_empty.is_empty


def test_every_target_has_the_tested_signature():
    """The installed Rasa is the tested one: no problem reported, version as pinned."""
    assert patches.problems() == []
    requirement = (ROOT / "requirements.txt").read_text()
    assert f"rasa[spacy]=={patches.TESTED_RASA_VERSION}" in requirement


def test_another_rasa_version_is_refused_and_nothing_installed(monkeypatch):
    """A different `rasa.__version__`: a clear refusal, Rasa left as it is."""
    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    with pytest.raises(PatchMismatch, match=r"Rasa 3\.7\.0 is installed.*tested with 3\.6"):
        patches.install_all()
    assert all(inspect.getattr_static(*key) is ORIGINALS[key] for key in ORIGINALS)


def test_a_changed_signature_is_refused_naming_the_function(monkeypatch):
    """A patched function whose signature differs from the expected one: refused, named."""
    target = action_validation.TARGETS[0]
    changed = type(target)(target.path, "(self, result, strict=True) -> bool")
    monkeypatch.setattr(action_validation, "TARGETS", (changed,))
    with pytest.raises(PatchMismatch, match="RemoteAction._validate_action_result"):
        patches.install_all()
    assert RemoteAction._validate_action_result is rasas(RemoteAction, "_validate_action_result")


STORE_PROBE = """
import sys, rasa
if sys.argv[1] != "same":
    rasa.__version__ = sys.argv[1]
from rasa.core.actions.action import RemoteAction
from rasa.core.tracker_store import create_tracker_store
from rasa.utils.endpoints import read_endpoint_config
create_tracker_store(read_endpoint_config(sys.argv[2], "tracker_store"))
import rasa.core.processor
print("patched:", sorted(
    name for name, value in [
        ("guard", RemoteAction.run), ("validation", RemoteAction._validate_action_result),
        ("runner", rasa.core.processor.DaskGraphRunner),
    ] if "_smtpbot_original" in vars(value)
))
"""


@pytest.mark.parametrize("version", ["same", "3.7.0"])
def test_rasa_creating_the_configured_tracker_store_installs_or_refuses(tmp_path, version):
    """Rasa creating endpoints.yml's tracker store (as any `rasa run` does) installs the
    patches; with another Rasa version the process stops, saying why."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", STORE_PROBE, version, str(ROOT / "endpoints.yml")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if version == "same":
        assert done.returncode == 0, done.stderr[-2000:]
        assert "patched: ['guard', 'runner', 'validation']" in done.stdout, done.stdout
    else:
        assert done.returncode == patches.EXIT_MISMATCH, done.stderr[-2000:]
        assert "Refusing to start" in done.stderr and "Rasa 3.7.0 is installed" in done.stderr
        assert "patched:" not in done.stdout


RESPONSES = [
    {
        "events": [{"event": "slot", "name": "step", "value": 2}],
        "responses": [{"text": "Step 2", "buttons": []}],
    },
    {"events": [], "responses": []},
    {},
    {"events": [{"event": 5}], "responses": []},
    {"events": "not a list", "responses": []},
    {"events": [], "responses": "x"},
    {"events": [{"event": "slot"}], "responses": [{"text": 3}]},
    # what this bot's actions send: slots, a pause (hand-off), bot replies with buttons
    {
        "events": [
            {"event": "slot", "timestamp": None, "name": "guide", "value": "outlook-2007"},
            {"event": "slot", "timestamp": 1.5, "name": "asked", "value": None},
            {"event": "pause", "timestamp": None},
        ],
        "responses": [
            {
                "text": "Step 1 of 9",
                "buttons": [{"title": "Done", "payload": "/done"}],
                "custom": {},
                "image": None,
                "attachment": None,
                "elements": [],
                "quick_replies": [],
                "template": None,
                "response": None,
            }
        ],
    },
    {
        "events": [
            {"event": "bot", "text": "hi", "data": {}, "metadata": {}},
            {"event": "followup", "name": "action_x"},
            {
                "event": "user",
                "text": "done",
                "parse_data": {
                    "intent": {"name": "done", "confidence": 1.0},
                    "entities": [{"entity": "client", "value": "outlook"}],
                },
            },
            {"event": "restart"},
            {"event": "session_started"},
            {"event": "action", "name": "action_listen"},
        ],
        "responses": [],
    },
    # invalid in ways a buggy action could produce
    {
        "events": [{"event": "slot", "name": "step", "value": 2, "timestamp": "yesterday"}],
        "responses": [],
    },
    {"events": [{"event": "nonsense"}], "responses": []},
    {"events": [{"event": "user", "parse_data": "done"}], "responses": []},
    {
        "events": [{"event": "user", "parse_data": {"entities": [{"entity": "client"}]}}],
        "responses": [],
    },
    {"events": [{"event": "slot", "name": 7, "value": 1}], "responses": []},
    {"events": [{"event": "followup"}], "responses": []},
    {"events": [None], "responses": []},
]


def outcome(validate, result):
    """True, or the validation error's message and path."""
    action = RemoteAction.__new__(RemoteAction)
    try:
        return validate(action, result)
    except jsonschema.ValidationError as error:
        return ("invalid", error.message, list(error.absolute_path))


EVENT_KINDS = [
    alt["properties"]["event"]["const"]
    for alt in RemoteAction.action_response_format_spec()["properties"]["events"]["items"]["oneOf"]
]


@pytest.mark.parametrize(
    "result",
    RESPONSES
    + [{"events": [{"event": kind}], "responses": []} for kind in EVENT_KINDS]
    + [
        {"events": [{"event": kind, "name": "step", "value": 2, "timestamp": "x"}], "responses": []}
        for kind in EVENT_KINDS[:6]
    ],
)
def test_validation_gives_rasas_verdict_and_error(installed, result):
    """Valid responses pass, invalid ones raise the same error (message and path) as Rasa's;
    every event type of the schema, bare and with odd fields, included."""
    patched = RemoteAction._validate_action_result
    assert patched is action_validation.validate_action_result
    rasa_validate = rasas(RemoteAction, "_validate_action_result")
    assert outcome(patched, result) == outcome(rasa_validate, result)


def test_quick_check_of_another_schema_is_the_full_validator():
    """A schema without per-type alternatives: the quick check is jsonschema's own verdict."""
    from jsonschema import Draft202012Validator

    schema = {"type": "object", "properties": {"events": {"type": "array"}}}
    check = action_validation.quick_check(Draft202012Validator, schema)
    assert check({"events": []}) and not check({"events": 3}) and not check([])


def test_kept_session_has_rasas_headers_auth_and_timeout(installed):
    """The lasting session is configured like the one Rasa makes for each request."""
    endpoint = EndpointConfig(
        "http://127.0.0.1:1/webhook",
        headers={"X-Token": "t"},
        basic_auth={"username": "u", "password": "p"},
    )

    async def configuration(make):
        async with make(endpoint) as session:
            return dict(session.headers), session._default_auth, session.timeout.total

    assert EndpointConfig.session is http_session.lasting_session
    ours = asyncio.run(configuration(EndpointConfig.session))
    theirs = asyncio.run(configuration(rasas(EndpointConfig, "session")))
    assert ours == theirs and ours[0] == {"X-Token": "t"}


def test_endpoint_requests_reuse_one_connection_and_survive_a_server_restart(installed):
    """Action calls go over one kept-alive connection; after the server restarts they reconnect."""
    from aiohttp import web

    async def scenario():
        async def echo_peer(request):
            return web.json_response(
                {
                    "port": request.transport.get_extra_info("peername")[1],
                    "body": await request.json(),
                }
            )

        async def serve(port=0):
            app = web.Application()
            app.router.add_post("/webhook", echo_peer)
            runner = web.AppRunner(app)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", port)
            await site.start()
            return runner, site._server.sockets[0].getsockname()[1]

        runner, port = await serve()
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
        first = await endpoint.request(json={"n": 1}, method="post")
        second = await endpoint.request(json={"n": 2}, method="post")
        assert (first["body"], second["body"]) == ({"n": 1}, {"n": 2})
        assert first["port"] == second["port"]  # the same client connection
        await runner.cleanup()
        runner, _ = await serve(port)
        try:
            try:  # the kept connection died with the old server: one failure at most (the guard retries)
                third = await endpoint.request(json={"n": 3}, method="post")
            except Exception:
                third = await endpoint.request(json={"n": 3}, method="post")
            assert third["body"] == {"n": 3} and third["port"] != first["port"]
        finally:
            await runner.cleanup()

    asyncio.run(scenario())


def test_domain_is_empty_gives_rasas_answer_once_per_domain(installed, monkeypatch):
    """The project's domain and an empty one: Rasa's answer, worked out on the first call only
    (the dicts are not rebuilt for later messages), and per domain instance."""
    original = rasas(Domain, "is_empty")
    calls = []
    dicts = Domain.as_dict

    def counted(self):
        calls.append(self)
        return dicts(self)

    monkeypatch.setattr(Domain, "as_dict", counted)
    project, empty = Domain.load(str(ROOT / "domain.yml")), Domain.empty()
    assert Domain.is_empty is domain_empty.is_empty
    assert (original(project), original(empty)) == (False, True)
    calls.clear()
    assert [project.is_empty(), empty.is_empty()] == [False, True]
    first = len(calls)
    assert first > 0
    assert [project.is_empty() for _ in range(5)] == [False] * 5
    assert [empty.is_empty() for _ in range(5)] == [True] * 5
    assert len(calls) == first


def test_event_types_resolve_as_rasa_resolves_them(installed):
    """Every event type name, Rasa's 'topic' case and unknown names: the table gives Rasa's
    answer, and Rasa's own deserialising (now through the table) gives the same classes."""
    from rasa.shared.utils.common import all_subclasses

    original = rasas(Event, "resolve_by_type")
    assert Event.resolve_by_type is event_types.resolve_event_type
    names = {cls.type_name for cls in all_subclasses(Event)} | {"topic"}
    for name in sorted(names):
        assert Event.resolve_by_type(name) is original(name), name
    assert Event.resolve_by_type("no-such-event", Event) is original("no-such-event", Event)
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no-such-event")
    events = [
        {"event": "slot", "name": "step", "value": 3},
        {
            "event": "user",
            "text": "done",
            "parse_data": {"intent": {"name": "done"}, "entities": []},
        },
        {"event": "bot", "text": "Step 3"},
        {"event": "pause"},
        {"event": "session_started"},
    ]
    assert [type(Event.from_parameters(e)) for e in events] == [
        original(e["event"]) for e in events
    ]


class BrokenStore(InMemoryTrackerStore):
    """A tracker store whose database is down."""

    async def retrieve(self, sender_id):
        raise ConnectionError("database down")

    async def retrieve_full_tracker(self, sender_id):
        raise ConnectionError("database down")

    async def save(self, tracker):
        raise ConnectionError("database down")

    async def keys(self):
        raise ConnectionError("database down")


class BrokenNoFallbackStore(BrokenStore):
    """The same, asking for its errors to be raised (as ResilientSQLTrackerStore does)."""

    raise_instead_of_fallback = True


def failsafe_outcomes(store_class):
    """What FailSafeTrackerStore's four methods give for a broken store: a value or the error."""
    from rasa.shared.core.trackers import DialogueStateTracker

    async def run():
        from rasa.shared.core.domain import Domain

        store = FailSafeTrackerStore(store_class(Domain.empty()))
        calls = {
            "retrieve": lambda: store.retrieve("c"),
            "retrieve_full_tracker": lambda: store.retrieve_full_tracker("c"),
            "save": lambda: store.save(DialogueStateTracker("c", [])),
            "keys": lambda: store.keys(),
        }
        results = {}
        for name, call in calls.items():
            try:
                value = await call()
                results[name] = list(value) if name == "keys" else value
            except ConnectionError as error:
                results[name] = ("raised", str(error))
        return results

    return asyncio.run(run())


def test_no_fallback_keeps_rasas_fallback_for_other_stores(installed):
    """A store that does not ask: Rasa's wrapper falls back exactly as before the patch."""
    patched = failsafe_outcomes(BrokenStore)
    for name in no_fallback.METHODS:
        setattr(FailSafeTrackerStore, name, ORIGINALS[(FailSafeTrackerStore, name)])
    assert patched == failsafe_outcomes(BrokenStore)
    assert patched["retrieve"] is None  # Rasa's fallback: a blank slate


def test_no_fallback_passes_errors_of_stores_that_ask(installed):
    """A store that asks: each of the four methods raises the store's own error."""
    assert set(failsafe_outcomes(BrokenNoFallbackStore).values()) == {("raised", "database down")}


GUARD_RESPONSE = {
    "events": [{"event": "slot", "name": "step", "value": 2}],
    "responses": [{"text": "Step 2 of 9", "buttons": [{"title": "Done", "payload": "/done"}]}],
}


def run_remote_action(url, run):
    """Events and sent messages of `run` (a RemoteAction.run) calling the action server `url`."""
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.load(str(ROOT / "domain.yml"))
    tracker = DialogueStateTracker("c", domain.slots)
    channel = CollectingOutputChannel()
    action = RemoteAction("action_done", EndpointConfig(url))
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    events = asyncio.run(run(action, channel, nlg, tracker, domain))
    return [(type(e).__name__, e.as_dict().get("value"), e.as_dict().get("text")) for e in events]


def action_server(body):
    """A running aiohttp action server answering every call with `body`; (runner, url)."""
    from aiohttp import web

    async def start():
        app = web.Application()
        app.router.add_post("/webhook", lambda request: web.json_response(body))
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        return runner, f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/webhook"

    loop = asyncio.new_event_loop()
    runner, url = loop.run_until_complete(start())
    return loop, runner, url


def test_guard_returns_rasas_events_when_the_action_server_answers(installed):
    """A working action server: the guarded call gives exactly Rasa's events."""
    import threading

    loop, runner, url = action_server(GUARD_RESPONSE)
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        guarded = run_remote_action(url, RemoteAction.run)
        original = run_remote_action(url, rasas(RemoteAction, "run"))
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result()
        loop.call_soon_threadsafe(loop.stop)
    assert guarded == original
    assert ("SlotSet", 2, None) in guarded and ("BotUttered", None, "Step 2 of 9") in guarded


def test_guard_answers_trouble_where_rasa_raises(installed):
    """No action server: Rasa's run raises; the guarded run tells the customer, no state change."""
    import socket

    from rasa.shared.exceptions import RasaException

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/webhook"
    with pytest.raises(RasaException):
        run_remote_action(url, rasas(RemoteAction, "run"))
    assert run_remote_action(url, RemoteAction.run) == [
        ("BotUttered", None, action_guard.trouble_message())
    ]


def test_guard_retries_failed_calls_within_its_budget():
    """Refused connections and 5xx are retried until one succeeds; a rejection is not retried;
    a call that never succeeds gives None (the trouble reply)."""
    from rasa.core.actions.action import ActionExecutionRejection

    attempts = []

    async def flaky():
        attempts.append(1)
        if len(attempts) < 3:
            raise ConnectionRefusedError("action server restarting")
        return ["events"]

    async def rejected():
        attempts.append(1)
        raise ActionExecutionRejection("action_x")

    async def down():
        raise ConnectionRefusedError("down")

    settings = action_guard.GuardSettings(timeout=30, retry_interval=0.01)
    assert asyncio.run(action_guard.call_with_retries(flaky, settings)) == ["events"]
    assert len(attempts) == 3
    attempts.clear()
    with pytest.raises(ActionExecutionRejection):
        asyncio.run(action_guard.call_with_retries(rejected, settings))
    assert len(attempts) == 1
    short = action_guard.GuardSettings(timeout=0.05, retry_interval=0.01)
    assert asyncio.run(action_guard.call_with_retries(down, short)) is None


def test_guard_timeout_is_a_runtime_setting(monkeypatch):
    """ACTION_GUARD_TIMEOUT sets the budget when the patches are installed (default 1.5 s)."""
    monkeypatch.delenv("ACTION_GUARD_TIMEOUT", raising=False)
    assert action_guard.settings_from_env().timeout == 1.5
    monkeypatch.setenv("ACTION_GUARD_TIMEOUT", "15")
    monkeypatch.setattr(action_guard, "SETTINGS", action_guard.GuardSettings())
    patches.install_all()
    assert action_guard.SETTINGS.timeout == 15.0


@pytest.fixture(scope="module")
def agent():
    """The trained bot loaded in this process (no action server needed to parse and predict)."""
    from rasa.core.agent import load_agent
    from stackkit import MODEL

    return asyncio.run(load_agent(model_path=str(MODEL)))


@pytest.mark.parametrize(
    "text",
    [
        "outlook 2013",
        "done",
        "thunderbrid 115",
        "Mail on my Mac, Ventura",
        "why 587?",
        "asdf qwe",
        "",
        "/done",
        "talk to a human please",
    ],
)
def test_graphs_run_in_order_give_rasas_results(agent, monkeypatch, text):
    """NLU parse and the policy's prediction: identical under Rasa's dask runner and ours."""
    from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered

    runner = agent.processor.graph_runner
    results = []
    for run in (
        rasas(rasa.core.processor, "DaskGraphRunner").run,
        graph_runner.OrderedGraphRunner.run,
    ):
        monkeypatch.setattr(runner, "run", types.MethodType(run, runner))
        parsed = asyncio.run(agent.parse_message(text))
        tracker = agent.processor.tracker_store.init_tracker("t")
        for event in (
            ActionExecuted("action_session_start"),
            SessionStarted(),
            ActionExecuted("action_listen"),
            UserUttered(text, parsed["intent"], parsed["entities"]),
        ):
            tracker.update(event)
        prediction = agent.processor._predict_next_with_tracker(tracker)
        results.append((parsed, prediction.probabilities, prediction.policy_name))
    assert results[0] == results[1]
    assert results[0][2] == "IntentActionPolicy"


def test_input_naming_a_node_is_refused_like_rasa(agent):
    """An input whose value names a node of the run: Rasa's GraphRunError under both runners."""
    from rasa.engine.exceptions import GraphRunError

    runner = agent.processor.graph_runner
    target = agent.processor.model_metadata.nlu_target
    node = next(
        name for name in runner._graph_schema.minimal_graph_schema([target]).nodes if name != target
    )
    for run in (
        rasas(rasa.core.processor, "DaskGraphRunner").run,
        graph_runner.OrderedGraphRunner.run,
    ):
        with pytest.raises(GraphRunError, match="clashes with a node name"):
            run(runner, inputs={"__message__": node}, targets=[target])


def test_models_load_with_the_ordered_runner_once_installed(installed):
    """Rasa's processor hands the rebound class to its loader: the agent runs our runner."""
    from rasa.core.agent import load_agent
    from stackkit import MODEL

    loaded = asyncio.run(load_agent(model_path=str(MODEL)))
    assert type(loaded.processor.graph_runner) is graph_runner.OrderedGraphRunner
    assert DaskGraphRunner.run is not graph_runner.OrderedGraphRunner.run  # Rasa's class untouched


def test_turn_metrics_answer_as_rasa_does_and_count_the_turn(monkeypatch):
    """The wrapped handle_message returns and sends exactly what Rasa's does, and counts it."""
    from smtpbot.runtime.metrics import metrics

    async def rasas_handle_message(self, message):  # stands in for Rasa's: replies, returns
        await message.output_channel.send_response(message.sender_id, {"text": "Step 1"})
        return [{"recipient_id": message.sender_id, "text": "Step 1"}]

    monkeypatch.setattr(Agent, "handle_message", rasas_handle_message)
    turn_metrics.install()
    counters = metrics()
    before = (
        counters.messages_in.labels("rest")._value.get(),
        counters.messages_out.labels("rest")._value.get(),
    )
    results = []
    for handle in (rasas_handle_message, Agent.handle_message):
        output = CollectingOutputChannel()
        returned = asyncio.run(handle(None, UserMessage("hi", output, "s1", input_channel="rest")))
        results.append((returned, output.messages))
    assert results[0] == results[1]
    assert Agent.handle_message is not rasas_handle_message
    assert counters.messages_in.labels("rest")._value.get() == before[0] + 1
    assert counters.messages_out.labels("rest")._value.get() == before[1] + 1


def test_the_prediction_loop_is_rasas_own_for_every_other_conversation(monkeypatch):
    """Parity: a conversation that is not waiting for a person after an uncovered program gets
    Rasa's loop with the same arguments, and its tracker is left as it was."""
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    calls = []

    async def rasas_loop(self, output_channel, tracker):
        calls.append((self, output_channel, tracker))

    monkeypatch.setattr(rasa.core.processor.MessageProcessor, "_run_prediction_loop", rasas_loop)
    self_service.install()
    loop = rasa.core.processor.MessageProcessor._run_prediction_loop
    assert loop is not rasas_loop
    tracker = DialogueStateTracker.from_events("t-parity", [UserUttered("outlook 2016")])
    before = list(tracker.events)
    channel = CollectingOutputChannel()
    asyncio.run(loop("processor", channel, tracker))
    assert calls == [("processor", channel, tracker)]
    assert list(tracker.events) == before and channel.messages == []
