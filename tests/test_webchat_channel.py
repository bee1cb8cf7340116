"""The web chat channel's pure parts: history from tracker events, resend detection, origins."""

from smtpbot.channels.webchat import (
    WebChatInput,
    already_received,
    history_from_events,
    parse_origins,
    valid_session_id,
)

BUTTONS = [{"title": "Done", "payload": "/done"}, {"title": "I'm stuck", "payload": "/stuck"}]


def user(text, channel="socketio", **metadata):
    """A UserUttered event as the tracker store returns it."""
    return {
        "event": "user",
        "text": text,
        "timestamp": 1.0,
        "input_channel": channel,
        "metadata": metadata,
    }


def bot(text, buttons=None):
    """A BotUttered event."""
    return {"event": "bot", "text": text, "timestamp": 2.0, "data": {"buttons": buttons}}


def test_history_shows_texts_and_the_clicked_buttons_title():
    events = [
        {"event": "action", "name": "action_listen"},
        user("I use Outlook 2007", message_id="m1"),
        bot("Got it: Outlook 2007.\n\nStep 1 of 9: Tools", BUTTONS),
        {"event": "slot", "name": "step", "value": 1},
        user("/done"),
        bot("Step 2 of 9: Select", BUTTONS),
    ]
    history = history_from_events(events, "socketio")
    assert [(m["sender"], m["text"]) for m in history] == [
        ("user", "I use Outlook 2007"),
        ("bot", "Got it: Outlook 2007."),
        ("bot", "Step 1 of 9: Tools"),
        ("user", "Done"),
        ("bot", "Step 2 of 9: Select"),
    ]
    assert history[0]["id"] == "m1" and "id" not in history[3]
    assert "buttons" not in history[1] and history[2]["buttons"] == BUTTONS


def test_history_prefers_the_title_the_page_showed():
    events = [
        user("hi"),
        bot("Which version?", [{"title": "2007", "payload": "/inform"}]),
        user("/inform", shown_text="Outlook 2007"),
    ]
    assert history_from_events(events, "socketio")[-1]["text"] == "Outlook 2007"


def test_history_of_conversations_held_elsewhere_is_not_given():
    events = [user("I use Outlook 2007", channel="rest"), bot("Step 1 of 9", BUTTONS)]
    assert history_from_events(events, "socketio") == []
    assert history_from_events([], "socketio") == []


def test_history_keeps_html_as_plain_text_for_the_page():
    payload = "<img src=x onerror=alert(1)>"
    assert history_from_events([user(payload)], "socketio")[0]["text"] == payload


def test_resent_message_is_recognised_by_its_id():
    events = [user("done", message_id="a1"), bot("Step 2", BUTTONS)]
    assert already_received(events, "a1")
    assert not already_received(events, "b2")


def test_session_ids_must_look_like_the_ones_handed_out():
    assert valid_session_id("0123456789abcdef0123456789abcdef")
    for bad in ("U012ABCDEF", "../../etc/passwd", "0123456789ABCDEF0123456789ABCDEF", None, 42, ""):
        assert not valid_session_id(bad)


def test_origins_come_from_the_env_over_credentials(monkeypatch):
    assert parse_origins("http://a:1, http://b:2/") == ["http://a:1", "http://b:2"]
    assert parse_origins([]) is None and parse_origins(None) is None
    monkeypatch.setenv("WEBCHAT_ALLOWED_ORIGINS", "http://page.example")
    channel = WebChatInput.from_credentials(
        {"session_persistence": True, "cors_allowed_origins": ["http://x"]}
    )
    assert channel.allowed_origins == ["http://page.example"] and channel.session_persistence
    monkeypatch.delenv("WEBCHAT_ALLOWED_ORIGINS")
    channel = WebChatInput.from_credentials({"cors_allowed_origins": ["http://x"]})
    assert channel.allowed_origins == ["http://x"]
    assert channel.origin_allowed({"HTTP_ORIGIN": "http://x"})
    assert not channel.origin_allowed(
        {"HTTP_ORIGIN": "http://evil.example", "HTTP_HOST": "bot:5005"}
    )
    # The Host header is the requester's to choose (DNS rebinding): never the basis of trust.
    assert not channel.origin_allowed({"HTTP_ORIGIN": "http://bot:5005", "HTTP_HOST": "bot:5005"})
    assert not WebChatInput.from_credentials({}).origin_allowed({"HTTP_ORIGIN": "http://x"})
