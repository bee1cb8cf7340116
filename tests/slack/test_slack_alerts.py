"""Hand-off alerts to the agents' Slack channel, posted to the fake Slack Web API."""

from helpers import shown
from slack_config import BOT_TOKEN

from smtpbot.channels.slack.alerts import alert_message, post_handoff_alert

SUMMARY = (
    "Outlook 2013, stuck at step 4 of 9 (Advanced tab): 'there is no advanced tab'\n"
    "Stuck twice on the same step | channel slack | guide outlook-2010-2016"
)


def test_alert_has_summary_reference_channel_and_link(fake_slack):
    """The alert carries both summary lines, the reference, the customer's channel and a link."""
    env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_AGENTS_CHANNEL": "C0AGENTS1",
        "SLACK_API_URL": fake_slack.api_url,
        "SLACK_TICKET_URL": "https://bot.example.com/agents/tickets/{reference}",
    }
    assert post_handoff_alert("HD-00042", SUMMARY, "slack", "C0SUPPORT:1.000001", env)
    alert = fake_slack.posts("C0AGENTS1")[-1]
    text = shown(alert)
    assert "HD-00042" in text and "from slack" in text
    for line in SUMMARY.splitlines():
        assert line in text
    assert "<https://bot.example.com/agents/tickets/HD-00042|Open HD-00042>" in text
    assert "C0SUPPORT:1.000001" in text


def test_alert_without_link_shows_the_api_call_and_is_off_without_channel(fake_slack):
    """No link template: the agents' API call is shown; no agents' channel: no alert at all."""
    env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_AGENTS_CHANNEL": "C0AGENTS2",
        "SLACK_API_URL": fake_slack.api_url,
    }
    assert post_handoff_alert("HD-00007", SUMMARY, "webchat", "abc", env)
    assert "GET /webhooks/agents/tickets/HD-00007" in shown(fake_slack.posts("C0AGENTS2")[-1])
    before = len(fake_slack.posts())
    assert not post_handoff_alert(
        "HD-00008", SUMMARY, "rest", "abc", {**env, "SLACK_AGENTS_CHANNEL": ""}
    )
    bad = {**env, "SLACK_BOT_TOKEN": "xoxb-wrong"}
    assert not post_handoff_alert(
        "HD-00009", SUMMARY, "rest", "abc", bad
    )  # Slack says invalid_auth: logged
    assert len(fake_slack.posts()) == before


def test_customer_values_cannot_add_lines_or_markup_to_the_alert():
    """Finding 5 of issue 14: a sender id with a newline and a backtick added a line of the
    attacker's text ("re-enter your agent token at ...") to the agents' alert."""
    attack = "x`\n*Action required:* re-enter your agent token at <http://evil.example|Slack>`"
    # The summary quotes the customer on one line (smtpbot.tickets.summary.customer_words).
    summary = f"Outlook: '{' '.join(attack.split())}'\nCustomer asked for a person"
    message = alert_message("HD-00042", summary, "rest", attack)
    assert attack.split("\n")[1] not in message["text"]
    for block in message["blocks"]:
        text = block["text"]
        if text["type"] == "mrkdwn":
            assert "re-enter" not in text["text"] and "evil" not in text["text"]
        else:
            assert text["type"] == "plain_text"
            lines = text["text"].split("\n")
            assert len(lines) == 4 and not any(line.startswith("*Action") for line in lines), lines
            assert sum("re-enter" in line for line in lines) == 2  # in the summary and the id
