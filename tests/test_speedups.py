"""The once-checked action-response validator (smtpbot/runtime/patches/speedups.py) decides exactly like Rasa's."""

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from smtpbot.runtime.patches import speedups

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


@pytest.mark.parametrize("result", RESPONSES)
def test_same_decision_and_error_as_rasa(result):
    """Valid responses pass, invalid ones raise the same error (message and path) as Rasa's code."""
    rasa_validate = RemoteAction.__dict__["_validate_action_result"]
    if getattr(rasa_validate, speedups.MARK, False):
        pytest.fail("Rasa's original method was replaced before this test ran")
    assert outcome(speedups.validate_action_result, result) == outcome(rasa_validate, result)


def test_install_is_idempotent(monkeypatch):
    """Installing twice replaces Rasa's method once (and the test restores it afterwards)."""
    monkeypatch.setattr(
        RemoteAction, "_validate_action_result", RemoteAction._validate_action_result
    )
    speedups.install()
    installed = RemoteAction._validate_action_result
    speedups.install()
    assert RemoteAction._validate_action_result is installed is speedups.validate_action_result


def test_endpoint_requests_reuse_one_connection_and_survive_a_server_restart():
    """Action calls go over one kept-alive connection; after the server restarts they reconnect."""
    import asyncio

    from aiohttp import web
    from rasa.utils.endpoints import EndpointConfig

    speedups.install()

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


EVENT_TYPES = [
    alt["properties"]["event"]["const"]
    for alt in RemoteAction.action_response_format_spec()["properties"]["events"]["items"]["oneOf"]
]


@pytest.mark.parametrize(
    "event",
    [{"event": kind} for kind in EVENT_TYPES]
    + [{"event": kind, "name": "step", "value": 2, "timestamp": "x"} for kind in EVENT_TYPES[:6]],
)
def test_every_event_type_gets_rasas_verdict(event):
    """Each of the schema's event types, bare and with odd fields: the quick check agrees with Rasa."""
    rasa_validate = RemoteAction.__dict__["_validate_action_result"]
    result = {"events": [event], "responses": []}
    assert outcome(speedups.validate_action_result, result) == outcome(rasa_validate, result)


def test_quick_check_of_another_schema_is_the_full_validator():
    """A schema without per-type alternatives: the quick check is jsonschema's own verdict."""
    from jsonschema import Draft202012Validator

    schema = {"type": "object", "properties": {"events": {"type": "array"}}}
    check = speedups.quick_check(Draft202012Validator, schema)
    assert check({"events": []}) and not check({"events": 3}) and not check([])


@pytest.fixture(scope="module")
def agent():
    """The trained bot loaded in this process (no action server needed to parse and predict)."""
    import asyncio

    from rasa.core.agent import load_agent
    from stackkit import MODEL

    return asyncio.run(load_agent(model_path=str(MODEL)))


def rasa_graph_run():
    """Rasa's DaskGraphRunner.run, whether or not install() has replaced it in this process."""
    from rasa.engine.runner.dask import DaskGraphRunner

    return speedups.ORIGINALS.get("graph_run", DaskGraphRunner.run)


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
    import asyncio

    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered

    results = []
    for run in (rasa_graph_run(), speedups.run_graph_in_order):
        monkeypatch.setattr(DaskGraphRunner, "run", run)
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


def test_event_types_resolve_as_rasa_resolves_them():
    """Every event type name, Rasa's 'topic' case and unknown names: the table gives Rasa's answer."""
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    original = speedups.RASA_RESOLVE_BY_TYPE
    names = {cls.type_name for cls in all_subclasses(Event)} | {"topic"}
    for name in sorted(names):
        assert speedups.resolve_event_type(name) is original(name), name
    assert speedups.resolve_event_type("no-such-event", Event) is original("no-such-event", Event)
    with pytest.raises(ValueError, match="Unknown event name"):
        speedups.resolve_event_type("no-such-event")
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
    speedups.install()  # as the pipeline component does: Rasa's deserialising now uses the table
    assert Event.resolve_by_type is speedups.resolve_event_type
    assert [type(Event.from_parameters(e)) for e in events] == [
        original(e["event"]) for e in events
    ]


def test_input_naming_a_node_is_refused_like_rasa(agent):
    """An input whose value names a node of the run: Rasa's GraphRunError under both runners."""
    from rasa.engine.exceptions import GraphRunError

    runner = agent.processor.graph_runner
    target = agent.processor.model_metadata.nlu_target
    node = next(
        name for name in runner._graph_schema.minimal_graph_schema([target]).nodes if name != target
    )
    for run in (rasa_graph_run(), speedups.run_graph_in_order):
        with pytest.raises(GraphRunError, match="clashes with a node name"):
            run(runner, inputs={"__message__": node}, targets=[target])
