"""Insights end to end: real conversations through the running bot (REST and the web chat in
Debian Chromium), the event broker's rows, the ingest, and exact counts in the CLI report, the
agents' API and the insights page (Playwright)."""

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
import yaml
from playwright.sync_api import expect
from stackkit import AGENT_TOKEN, ROOT, TOKEN, BotClient, debian_chromium, free_port, make_stack

TIMEOUT = 30_000
CHANNELS = (
    "smtpbot.channels.rest.AgentAwareRestInput",
    "smtpbot.channels.webchat.WebChatInput",
    "smtpbot.channels.agents.AgentApiInput",
)
# Not committed; the README's web/insights-screenshot.png is a copy of one.
SCREENSHOT = ROOT / "test-artifacts" / "screenshots" / "insights.png"


@pytest.fixture(scope="module")
def insights_stack(tmp_path_factory):
    """REST, web chat and the agents' API as credentials.yml configures them, the support and
    insights pages, the event broker and insights store in a temporary folder."""
    tmp = tmp_path_factory.mktemp("insights-stack")
    configured = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8"))
    credentials = tmp / "credentials.yml"
    credentials.write_text(yaml.safe_dump({name: configured[name] for name in CHANNELS}))
    web_port = free_port()
    page_origin = f"http://127.0.0.1:{web_port}"
    env = {
        "AGENT_API_TOKEN": AGENT_TOKEN,
        "SMTPBOT_TICKETS_DB": f"sqlite:///{tmp / 'tickets.db'}",
        "SMTPBOT_INSIGHTS_DB": f"sqlite:///{tmp / 'insights.db'}",
        "WEBCHAT_ALLOWED_ORIGINS": page_origin,
        "RASA_CORS": page_origin,
    }
    stack = make_stack(tmp, "insights", env=env, credentials=str(credentials))
    try:
        stack.start()
        stack.start_web(web_port)
        stack.page = f"{page_origin}/"
        stack.tmp, stack.test_env = tmp, env
        yield stack
    finally:
        stack.stop()


def wait_for_user_events(events_db: Path, expected: int) -> None:
    """Until the broker's writer thread has stored `expected` customer messages (it writes a
    few milliseconds after each reply)."""
    engine = sa.create_engine(f"sqlite:///{events_db}")
    deadline = time.monotonic() + 15
    count = -1
    while time.monotonic() < deadline:
        with engine.connect() as db:
            count = db.execute(
                sa.text(
                    'SELECT count(*) FROM events WHERE data LIKE \'{"sender_id"%"event": "user"%\''
                )
            ).scalar()
        if count >= expected:
            return
        time.sleep(0.1)
    raise AssertionError(f"{count} customer messages in the broker's table, expected {expected}")


def converse(bot: BotClient, sender: str, messages):
    return [bot.say(sender, text) for text in messages]


def test_real_conversations_show_exact_counts_in_report_and_page(insights_stack):
    stack = insights_stack
    bot = BotClient(f"http://127.0.0.1:{stack.rasa_port}", TOKEN)
    run = uuid.uuid4().hex[:8]
    # REST: a finished guide that works; an uncovered program; trouble on Thunderbird's steps;
    # two messages not understood; a request for a person.
    replies = converse(bot, f"ok-{run}", ["I use Outlook 2007 and can't send"] + ["done"] * 9)
    assert "Did it go out?" in json.dumps(replies[-1])
    assert bot.say(f"ok-{run}", "yes it works")
    assert bot.slots(f"ok-{run}")["asked"] is None
    converse(bot, f"gmail-{run}", ["I use gmail"])
    replies = converse(
        bot, f"tb-{run}", ["I use Thunderbird 115", "I'm stuck", "back", "done", "repeat"]
    )
    assert bot.slots(f"tb-{run}")["guide"] == "thunderbird-3-plus"
    assert "Step 2 of" in replies[-1][0]["text"]
    converse(bot, f"huh-{run}", ["blorp wizzle 12345678", "asdf qwerty"])
    converse(bot, f"person-{run}", ["can I talk to a person please"])
    rest_messages = 11 + 1 + 5 + 2 + 1

    with debian_chromium() as chromium:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        # Web chat: Outlook 2013, then the Done button: step 2.
        page.goto(stack.page)
        expect(page.locator(".sbc")).to_have_attribute("data-connection", "online", timeout=TIMEOUT)
        page.locator(".sbc-input").fill("I use Outlook 2013")
        page.locator(".sbc-input").press("Enter")
        expect(page.locator(".sbc-choice:enabled", has_text="Done")).to_have_count(
            1, timeout=TIMEOUT
        )
        page.locator(".sbc-choice:enabled", has_text="Done").click()
        expect(page.locator(".sbc-log .sbc-bot").last).to_contain_text(
            "Step 2 of 9", timeout=TIMEOUT
        )
        wait_for_user_events(stack.tmp / "events.db", rest_messages + 2)

        # The command line: ingest and report from the broker's table, exact counts.
        endpoints = stack.tmp / "endpoints.yml"
        cli = subprocess.run(
            [
                sys.executable,
                "-m",
                "smtpbot.insights",
                "--endpoints",
                str(endpoints),
                "report",
                "--format",
                "json",
            ],
            cwd=ROOT,
            env={**os.environ, **stack.test_env},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert cli.returncode == 0, cli.stderr
        report = json.loads(cli.stdout)
        summary = report["summary"]
        assert (summary["conversations"], summary["guided"], summary["worked"]) == (6, 3, 1)
        assert (summary["handoffs"], summary["not_understood_messages"]) == (3, 2)
        assert summary["median_turns_to_step1"] == 1
        assert summary["resolution_rate"] == round(1 / 3, 4)
        funnel = {f["guide"]: f for f in report["funnel"]}
        assert funnel["outlook-2007"]["reached"] == [1] * 9
        assert (funnel["outlook-2007"]["finished"], funnel["outlook-2007"]["worked"]) == (1, 1)
        assert funnel["thunderbird-3-plus"]["reached"][:3] == [1, 1, 0]
        assert funnel["outlook-2010-2016"]["reached"][:3] == [1, 1, 0]
        steps = {(r["guide"], r["step"]): r for r in report["steps"]}
        tb1, tb2 = steps[("thunderbird-3-plus", 1)], steps[("thunderbird-3-plus", 2)]
        assert (tb1["stuck"], tb1["back"], tb1["repeat"], tb2["repeat"]) == (1, 1, 0, 1)
        reasons = {h["reason"]: h["count"] for h in report["handoffs"]["by_reason"]}
        assert reasons == {"asked": 1, "uncovered": 1, "not_understood": 1}
        assert report["uncovered"] == [{"program": "gmail", "count": 1}]
        assert {n["text"] for n in report["not_understood"]} == {
            "blorp wizzle [phone]",
            "asdf qwerty",
        }
        assert [(c["channel"], c["conversations"]) for c in report["by_channel"]] == [
            ("rest", 5),
            ("socketio", 1),
        ]

        # The agents' API: the same authentication as the tickets.
        api = f"http://127.0.0.1:{stack.rasa_port}/webhooks/agents/insights"
        assert requests.get(api, timeout=30).status_code == 401
        wrong = {"Authorization": "Bearer wrong"}
        assert requests.get(api, headers=wrong, timeout=30).status_code == 401
        auth = {"Authorization": f"Bearer {AGENT_TOKEN}"}
        bad = requests.get(api, params={"since": "yesterday"}, headers=auth, timeout=30)
        assert bad.status_code == 400 and "since must be a date" in bad.json()["error"]
        web_only = requests.get(api, params={"channel": "socketio"}, headers=auth, timeout=30)
        assert web_only.json()["summary"]["conversations"] == 1

        # The page: exact counts in its tables, a chart drawn for each table.
        page.goto(stack.page + "insights.html")
        page.locator("#in-token").fill("wrong-token")
        page.locator("#in-signin button[type=submit]").click()
        expect(page.locator("#in-status")).to_contain_text("Token refused", timeout=TIMEOUT)
        page.locator("#in-token").fill(AGENT_TOKEN)
        page.locator("#in-signin button[type=submit]").click()
        expect(page.locator("#in-status")).to_contain_text("Report", timeout=TIMEOUT)
        metric = lambda name: page.locator(f"[data-metric={name}] dd")  # noqa: E731
        expect(metric("conversations")).to_have_text("6")
        expect(metric("guided_share")).to_have_text("50.0% (3)")
        expect(metric("resolution_rate")).to_have_text("33.3% (1)")
        expect(metric("handoffs")).to_have_text("3")
        row = page.locator("#in-funnel tbody tr", has_text="outlook-2007")
        expect(row.locator("td")).to_have_text(
            ["1", "1 / 1 / 1 / 1 / 1 / 1 / 1 / 1 / 1", "1", "1", "0", "0", "0"]
        )
        expect(page.locator("#in-handoffs tbody tr")).to_have_count(3)
        expect(
            page.locator("#in-handoffs tbody tr", has_text="Program not covered")
            .locator("td")
            .first
        ).to_have_text("1")
        expect(page.locator("#in-uncovered tbody tr")).to_have_text(["gmail1"])
        expect(
            page.locator("#in-not-understood tbody tr", has_text="blorp wizzle [phone]")
        ).to_have_count(1)
        expect(
            page.locator("#in-steps tbody tr", has_text="thunderbird-3-plus").first.locator("td")
        ).to_have_text(["1", "1", "1", "1", "0", "0", "0.0%"])
        expect(page.locator("#in-heat tbody tr")).to_have_count(3)
        expect(page.locator("#in-channels tbody tr")).to_have_text(
            ["rest52150.0%", "socketio1100.0%"]
        )
        for canvas in ("in-trend-chart", "in-funnel-chart", "in-handoff-chart"):
            assert page.evaluate(f"Boolean(Chart.getChart(document.getElementById('{canvas}')))")
        page.locator("#in-guide").select_option("outlook-2007")
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=True)

        # The date-range picker: a range before today has nothing.
        page.locator("#in-since").fill("2020-01-01")
        page.locator("#in-until").fill("2020-01-31")
        page.locator("#in-range button[type=submit]").click()
        expect(page.locator("#in-status")).to_contain_text(
            "2020-01-01 to 2020-01-31", timeout=TIMEOUT
        )
        expect(metric("conversations")).to_have_text("0")
        context.close()
