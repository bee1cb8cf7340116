"""The support page's chat in a real browser (Debian Chromium via Playwright) against the real stack.

Every test opens the page the stack serves, talks to the real Rasa server over Socket.IO and
checks what a customer sees, plus the conversation state (slots) the server holds. The last test
stops the Rasa server, so it stays last in this file.
"""

import re
import secrets
import time
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect

STEP = re.compile(r"Step (\d+) of (\d+)")
LOG = ".sbc-log"
BOT = ".sbc-log .sbc-bot"
USER = ".sbc-log .sbc-user"
TIMEOUT = 30_000
ROOT = Path(__file__).resolve().parents[2]
GUIDES = yaml.safe_load((ROOT / "kb" / "guides.yml").read_text(encoding="utf-8"))["guides"]


def open_page(context, web_stack) -> Page:
    """The support page with the chat connected and its history shown."""
    page = context.new_page()
    page.goto(web_stack.url)
    expect(page.locator(".sbc")).to_have_attribute("data-connection", "online", timeout=TIMEOUT)
    expect(page.locator(BOT).first).to_be_visible()
    return page


def send(page: Page, text: str) -> None:
    """Type a message and press Enter."""
    page.locator(".sbc-input").fill(text)
    page.locator(".sbc-input").press("Enter")


def wait_for_step(page: Page, number: int, total: int = 9) -> None:
    """Until the newest step shown is `number`, with its enabled Done button."""
    last_step = page.locator(BOT).filter(has_text=STEP).last
    expect(last_step).to_contain_text(f"Step {number} of {total}", timeout=TIMEOUT)
    expect(page.locator(".sbc-choice:enabled", has_text="Done")).to_have_count(1, timeout=TIMEOUT)
    expect(page.locator(".sbc-typing")).to_be_hidden(timeout=TIMEOUT)


def wait_for_log(web_stack, line: str, count: int) -> int:
    """Until the Rasa server's log has `line` at least `count` times; how many times it has."""
    log = web_stack.stack.log_dir / "rasa.log"
    deadline = time.monotonic() + TIMEOUT / 1000
    while True:
        found = log.read_text(encoding="utf-8", errors="replace").count(line)
        if found >= count:
            return found
        assert time.monotonic() < deadline, f"{line!r} {found} times in {log}, expected {count}"
        time.sleep(0.1)


def session_id(page: Page) -> str:
    """The conversation id the widget keeps in localStorage."""
    return page.evaluate("JSON.parse(localStorage.getItem('smtpbot-chat:session'))")


def click_done(page: Page) -> None:
    """Click the newest Done button."""
    page.locator(".sbc-choice:enabled", has_text="Done").click()


@pytest.fixture
def context(browser):
    """A fresh browser profile (own localStorage, so its own conversation)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    yield ctx
    ctx.close()


def test_walkthrough_survives_a_reload(context, web_stack, screenshots):
    page = open_page(context, web_stack)
    log = page.locator(LOG)
    expect(log).to_have_attribute("role", "log")
    expect(log).to_have_attribute("aria-live", "polite")
    send(page, "I use Outlook 2007")
    wait_for_step(page, 1)
    expect(page.locator(USER).last).to_have_text(re.compile(r"^I use Outlook 2007"))
    expect(page.locator(BOT).filter(has_text="Outlook 2007").first).to_be_visible()
    expect(page.locator(".sbc-time").first).to_have_attribute("datetime", re.compile(r"^\d{4}-"))
    page.screenshot(path=str(screenshots / "01-step-1.png"))

    click_done(page)
    wait_for_step(page, 2)
    # The click shows the button's title as the customer's message; the old buttons are disabled.
    expect(page.locator(USER).last.locator(".sbc-bubble")).to_have_text("Done")
    assert page.locator(".sbc-choice:disabled").count() >= 4
    sender = session_id(page)
    assert web_stack.bot.slots(sender)["guide"] == "outlook-2007"
    assert web_stack.bot.slots(sender)["step"] == 2
    page.screenshot(path=str(screenshots / "02-step-2.png"))
    messages_before = page.locator(".sbc-msg").count()

    page.reload()
    expect(page.locator(".sbc")).to_have_attribute("data-connection", "online", timeout=TIMEOUT)
    wait_for_step(page, 2)
    expect(page.locator(USER).first).to_contain_text("I use Outlook 2007")
    expect(page.locator(USER).last.locator(".sbc-bubble")).to_have_text("Done")
    assert page.locator(BOT).filter(has_text="Step 1 of 9").count() == 1
    assert page.locator(".sbc-msg").count() == messages_before
    assert session_id(page) == sender
    page.screenshot(path=str(screenshots / "03-after-reload.png"))

    click_done(page)
    wait_for_step(page, 3)
    assert web_stack.bot.slots(sender)["step"] == 3

    # A second tab continues the same conversation; the bot's replies reach both tabs.
    tab = open_page(context, web_stack)
    assert session_id(tab) == sender
    wait_for_step(tab, 3)
    click_done(tab)
    wait_for_step(tab, 4)
    wait_for_step(page, 4)
    assert web_stack.bot.slots(sender)["step"] == 4


def test_second_browser_context_is_an_independent_conversation(browser, web_stack, screenshots):
    first, second = browser.new_context(), browser.new_context()
    try:
        page_a, page_b = open_page(first, web_stack), open_page(second, web_stack)
        send(page_a, "I use Outlook 2007")
        wait_for_step(page_a, 1)
        click_done(page_a)
        wait_for_step(page_a, 2)

        send(page_b, "thunderbrid 115")
        wait_for_step(page_b, 1, total=len(GUIDES["thunderbird-3-plus"]["steps"]))
        assert session_id(page_a) != session_id(page_b)
        assert web_stack.bot.slots(session_id(page_b))["guide"] == "thunderbird-3-plus"
        assert web_stack.bot.slots(session_id(page_b))["step"] == 1
        # Nothing of B's conversation reached A, and A is still at its own step.
        expect(page_b.locator(LOG)).to_contain_text("Got it: Thunderbird")
        expect(page_a.locator(LOG)).not_to_contain_text("Got it: Thunderbird")
        expect(page_b.locator(LOG)).not_to_contain_text("Got it: Outlook 2007")
        expect(page_b.locator(LOG)).not_to_contain_text("of 9")
        click_done(page_a)
        wait_for_step(page_a, 3)
        assert web_stack.bot.slots(session_id(page_b))["step"] == 1
        page_b.screenshot(path=str(screenshots / "04-second-conversation.png"))
    finally:
        first.close()
        second.close()


def test_history_is_only_given_for_this_channels_own_conversations(context, web_stack):
    page = open_page(context, web_stack)
    rest_sender = secrets.token_hex(16)  # a REST conversation whose id looks like a web chat id
    web_stack.bot.say(rest_sender, "I use Outlook 2007")
    ask = "id => window.SmtpBotChat.socket.timeout(10000).emitWithAck('history_request', {session_id: id})"
    assert page.evaluate(ask, rest_sender)["messages"] == []
    assert page.evaluate(ask, "../../etc/passwd")["messages"] == []
    send(page, "I use Outlook 2007")
    wait_for_step(page, 1)
    own = page.evaluate(ask, session_id(page))["messages"]
    assert own[0] == {
        "sender": "user",
        "text": "I use Outlook 2007",
        "ts": own[0]["ts"],
        "id": own[0]["id"],
    }
    assert any(
        m["sender"] == "bot" and m["text"].startswith("Step 1 of 9") and m.get("buttons")
        for m in own
    )


def test_page_of_another_origin_cannot_chat(context, web_stack):
    # Same page and port, but "localhost" is another origin than the allowed 127.0.0.1.
    page = context.new_page()
    refused = f"Refused a web chat connection from origin 'http://localhost:{web_stack.web_port}'"
    page.goto(f"http://localhost:{web_stack.web_port}/")
    expect(page.locator(".sbc-status")).to_contain_text("can't be reached", timeout=TIMEOUT)
    first = wait_for_log(web_stack, refused, 1)
    # Instead of waiting a while for "still not connected": the page tries once more, and only
    # once the server has refused that attempt too is the page checked.
    page.evaluate("window.SmtpBotChat.socket.connect()")
    wait_for_log(web_stack, refused, first + 1)
    expect(page.locator(".sbc")).not_to_have_attribute("data-connection", "online")
    assert page.evaluate("window.SmtpBotChat.socket.connected") is False


def test_phone_width_with_keyboard_only(browser, web_stack, screenshots):
    ctx = browser.new_context(
        viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True
    )
    try:
        page = open_page(ctx, web_stack)
        panel = page.locator(".sbc-panel").bounding_box()
        assert panel["x"] >= 0 and panel["x"] + panel["width"] <= 375
        # Keyboard only: Tab to the message field, type, Enter; Shift+Tab back to Done, Enter.
        for _ in range(20):
            if page.evaluate("document.activeElement.classList.contains('sbc-input')"):
                break
            page.keyboard.press("Tab")
        else:
            pytest.fail("Tab never reached the message field")
        page.keyboard.type("I use Outlook 2007")
        page.keyboard.press("Enter")
        wait_for_step(page, 1)
        for _ in range(10):
            page.keyboard.press("Shift+Tab")
            if page.evaluate("document.activeElement.textContent") == "Done":
                break
        else:
            pytest.fail("Shift+Tab never reached the Done button")
        page.keyboard.press("Enter")
        wait_for_step(page, 2)
        # Everything fits: no sideways scrolling, every enabled control on screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        for control in page.locator(
            ".sbc-choice:enabled, .sbc-input, .sbc-send, .sbc-restart"
        ).all():
            box = control.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375 and box["height"] >= 24
        page.screenshot(path=str(screenshots / "05-phone-375px.png"))

        # Restart: a new conversation id and a clean log.
        old = session_id(page)
        page.locator(".sbc-restart").click()
        expect(page.locator(".sbc")).to_have_attribute("data-connection", "online", timeout=TIMEOUT)
        assert session_id(page) != old
        expect(page.locator(".sbc-user")).to_have_count(0)
        send(page, "I use Outlook 2007")
        wait_for_step(page, 1)
    finally:
        ctx.close()


def test_html_in_a_message_is_shown_as_text(context, web_stack, screenshots):
    page = open_page(context, web_stack)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    payload = "<img src=x onerror=alert(1)>"
    send(page, payload)
    expect(page.locator(USER).last.locator(".sbc-bubble")).to_have_text(payload)
    # The bot answers (it asks to rephrase), and nothing ran meanwhile.
    expect(page.locator(BOT)).to_have_count(2, timeout=TIMEOUT)
    expect(page.locator(".sbc-typing")).to_be_hidden(timeout=TIMEOUT)
    # A follow-up message answered: whatever the payload could have run has had its turn.
    send(page, "I use Outlook 2007")
    wait_for_step(page, 1)
    assert page.locator(".sbc-log img").count() == 0
    assert dialogs == [] and errors == []
    page.screenshot(path=str(screenshots / "06-html-as-text.png"))
    # Reloaded from the server's history, it is still text (checked after another answer).
    page.reload()
    expect(page.locator(USER).first.locator(".sbc-bubble")).to_have_text(payload, timeout=TIMEOUT)
    click_done(page)
    wait_for_step(page, 2)
    assert page.locator(".sbc-log img").count() == 0 and dialogs == [] and errors == []


def test_handoff_shows_the_ticket_reference_and_pauses(context, web_stack, screenshots):
    """Issue 14: asking for a person showed "Of course." and nothing more (the hand-off's custom
    payload broke Rasa's Socket.IO output): now the reference is shown and the chat pauses."""
    page = open_page(context, web_stack)
    send(page, "I use Outlook 2007")
    wait_for_step(page, 1)
    send(page, "I want to talk to a human")
    banner = page.locator(".sbc-handoff")
    expect(banner).to_be_visible(timeout=TIMEOUT)
    expect(banner).to_contain_text(re.compile(r"Ticket HD-\d{5}"))
    reference = page.locator(".sbc-handoff-ref").text_content()
    expect(page.locator(".sbc")).to_have_attribute("data-handoff", reference)
    expect(page.locator(BOT).last).to_contain_text(reference, timeout=TIMEOUT)
    expect(page.locator(".sbc-choice:enabled")).to_have_count(0)
    sender = session_id(page)
    moves = [e["event"] for e in web_stack.bot.tracker(sender)["events"]]
    assert "pause" in moves and "resume" not in moves[moves.index("pause") :]
    # Paused: the customer's next message is delivered and answered by nobody (yet).
    answers = page.locator(BOT).count()
    send(page, "hello? anyone there?")
    expect(page.locator(USER).last).to_have_attribute("data-delivery", "sent", timeout=TIMEOUT)
    assert page.locator(BOT).count() == answers
    page.screenshot(path=str(screenshots / "07-handoff.png"))
    # A reload shows the same state.
    page.reload()
    expect(page.locator(".sbc-handoff-ref")).to_have_text(reference, timeout=TIMEOUT)


def test_reconnects_and_sends_what_was_typed_offline(context, web_stack, screenshots):
    """Last: stops and restarts this stack's Rasa server."""
    page = open_page(context, web_stack)
    send(page, "I use Outlook 2007")
    wait_for_step(page, 1)
    sender = session_id(page)

    rasa = next(proc for proc in web_stack.stack.procs if "--model" in proc.args)  # `rasa run`
    rasa.terminate()
    rasa.wait(timeout=30)
    status = page.locator(".sbc-status")
    expect(page.locator(".sbc")).to_have_attribute(
        "data-connection", "reconnecting", timeout=TIMEOUT
    )
    expect(status).to_be_visible()
    expect(status).to_contain_text("Reconnecting")
    click_done(page)  # clicked while the server is down: kept, not lost
    expect(page.locator(USER).last).to_have_attribute("data-delivery", "queued")
    expect(page.locator(USER).last).to_contain_text("Not sent yet")
    page.screenshot(path=str(screenshots / "07-reconnecting.png"))

    web_stack.stack.procs.remove(rasa)
    web_stack.restart_rasa()
    expect(page.locator(".sbc")).to_have_attribute("data-connection", "online", timeout=60_000)
    expect(status).to_be_hidden()
    wait_for_step(page, 2)
    expect(page.locator(USER).last).to_have_attribute("data-delivery", "sent")
    assert web_stack.bot.slots(sender)["step"] == 2
    page.screenshot(path=str(screenshots / "08-reconnected.png"))
