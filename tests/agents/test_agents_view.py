"""The agents' view (web/agents.html) in a real browser (Debian Chromium via Playwright) on the running stack.

The page is served by the project's static server (smtpbot.tools.webpage) on the port tests/conftest.py
reserved for it (the stack's CORS allows that origin) and calls the real agents' API.
"""

import os
import threading

import pytest
from playwright.sync_api import expect
from stackkit import AGENT_TOKEN, ROOT, debian_chromium, texts

from smtpbot.tools.webpage import make_server

TIMEOUT = 30_000
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


@pytest.fixture(scope="module")
def view_url(stack):
    """The agents' view, served for the stack's Rasa server on the reserved port."""
    port = int(os.environ["TEST_AGENTS_PAGE_PORT"])
    server = make_server("127.0.0.1", port, stack.rasa_port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/agents.html"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium (module scope: closed before tests/web starts its own Playwright)."""
    with debian_chromium() as chromium:
        yield chromium


@pytest.fixture
def page(browser):
    """A fresh profile: empty sessionStorage."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


def sign_in(page, token):
    page.locator("#ag-token").fill(token)
    page.locator("#ag-signin button[type=submit]").click()


def test_agent_answers_and_hands_back_from_the_view(page, view_url, bot, sender):
    bot.say(sender, "I use Outlook 2013 and can't send")
    bot.say(sender, "done")
    reply = bot.say(sender, "can I talk to a person please")
    reference = [r["custom"]["handoff"]["reference"] for r in reply if "custom" in r][0]
    attack = '<img src=x onerror="window.__pwned=1">'
    assert bot.say(sender, attack) == []  # paused: into the ticket, no bot reply

    page.goto(view_url)
    sign_in(page, "wrong-token")
    expect(page.locator("#ag-status")).to_contain_text("Token refused", timeout=TIMEOUT)
    expect(page.locator("#ag-main")).to_be_hidden()
    assert page.evaluate("sessionStorage.getItem('smtpbot-agents:token')") is None

    sign_in(page, AGENT_TOKEN)
    entry = page.locator("#ag-tickets button", has_text=reference)
    expect(entry).to_contain_text("Outlook 2013, stuck at step 2 of 9", timeout=TIMEOUT)
    assert page.evaluate("sessionStorage.getItem('smtpbot-agents:token')") == AGENT_TOKEN
    assert AGENT_TOKEN not in page.content()

    entry.click()
    expect(page.locator("#ag-ref")).to_have_text(f"{reference} (open)", timeout=TIMEOUT)
    expect(page.locator("#ag-fields")).to_contain_text("outlook 2013")
    transcript = page.locator("#ag-transcript")
    expect(transcript).to_contain_text("I use Outlook 2013 and can't send")
    expect(transcript).to_contain_text("Step 2 of 9")
    # The customer's HTML is shown as text and never runs.
    expect(transcript.locator("li.ag-customer").last).to_contain_text(attack)
    assert transcript.locator("img").count() == 0 and page.evaluate("window.__pwned") is None

    page.locator("#ag-reply-text").fill("Hi, I'm Sam. Which tabs do you see?")
    page.locator("#ag-reply button[type=submit]").click()
    expect(page.locator("#ag-status")).to_contain_text(
        f"Reply sent on {reference}", timeout=TIMEOUT
    )
    expect(transcript.locator("li.ag-agent")).to_contain_text("Hi, I'm Sam. Which tabs do you see?")
    assert (
        texts(bot.say(sender, "General and Outgoing Server"))
        == "Hi, I'm Sam. Which tabs do you see?"
    )

    page.reload()  # still signed in: the token is in this tab's sessionStorage
    page.locator("#ag-tickets button", has_text=reference).click()
    expect(page.locator("#ag-ref")).to_have_text(f"{reference} (open)", timeout=TIMEOUT)
    expect(transcript).to_contain_text("General and Outgoing Server", timeout=TIMEOUT)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "agents-view.png"), full_page=True)

    page.locator("#ag-guide").fill("outlook-2010-2016")
    page.locator("#ag-step").fill("4")
    page.locator("#ag-handback button[type=submit]").click()
    expect(page.locator("#ag-status")).to_have_text(
        f"{reference} handed back to the bot at step 4 of outlook-2010-2016.", timeout=TIMEOUT
    )
    expect(page.locator("#ag-tickets button", has_text=reference)).to_have_count(0, timeout=TIMEOUT)
    expect(page.locator("#ag-ref")).to_have_text(f"{reference} (handed_back)", timeout=TIMEOUT)
    expect(page.locator("#ag-actions")).to_be_hidden()
    replies = bot.say(sender, "thanks")
    assert "handed you back" in texts(replies) and "Step 4 of 9" in texts(replies)
    assert bot.slots(sender)["step"] == 4


def test_resolve_and_sign_out(page, view_url, bot, sender):
    reference = [
        r["custom"]["handoff"]["reference"]
        for r in bot.say(sender, "talk to a human")
        if "custom" in r
    ][0]
    page.goto(view_url)
    sign_in(page, AGENT_TOKEN)
    page.locator("#ag-tickets button", has_text=reference).click()
    expect(page.locator("#ag-ref")).to_have_text(f"{reference} (open)", timeout=TIMEOUT)
    page.locator("#ag-resolve").click()
    expect(page.locator("#ag-status")).to_have_text(f"{reference} resolved.", timeout=TIMEOUT)
    expect(page.locator("#ag-ref")).to_have_text(f"{reference} (resolved)", timeout=TIMEOUT)
    page.locator("#ag-show-all").check()
    expect(page.locator("#ag-tickets button", has_text=reference)).to_contain_text(
        "resolved", timeout=TIMEOUT
    )

    page.locator("#ag-signout").click()
    expect(page.locator("#ag-signin")).to_be_visible()
    expect(page.locator("#ag-main")).to_be_hidden()
    assert page.evaluate("sessionStorage.getItem('smtpbot-agents:token')") is None
