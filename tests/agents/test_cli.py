"""`python -m smtpbot.tickets` as agents run it: a subprocess against the running stack's agents' API."""

import os
import subprocess
import sys
from typing import Dict, Optional

import pytest
from stackkit import AGENT_TOKEN, ROOT, free_port, texts

PYTHON = ROOT / ".venv" / "bin" / "python"


class Cli:
    """Runs the CLI with the stack's address and, unless told otherwise, the agents' token."""

    def __init__(self, url: str):
        self.url = url

    def run(
        self,
        *args: str,
        token: Optional[str] = AGENT_TOKEN,
        url: Optional[str] = None,
        stdin: Optional[str] = None,
    ) -> subprocess.CompletedProcess:
        env: Dict[str, str] = {k: v for k, v in os.environ.items() if k != "AGENT_API_TOKEN"}
        env["SMTPBOT_API_URL"] = url or self.url
        if token is not None:
            env["AGENT_API_TOKEN"] = token
        python = str(PYTHON) if PYTHON.exists() else sys.executable
        result = subprocess.run(
            [python, "-m", "smtpbot.tickets", *args],
            cwd=ROOT,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )
        # Whatever happens, agents never see a Python stack trace.
        assert "Traceback" not in result.stderr + result.stdout, result.stderr
        return result


@pytest.fixture(scope="module")
def cli(stack) -> Cli:
    return Cli(f"http://127.0.0.1:{stack.rasa_port}")


def handoff(replies) -> str:
    """The reference of the ticket a bot reply announced."""
    return [r["custom"]["handoff"]["reference"] for r in replies if "custom" in r][0]


def test_agent_works_a_ticket_from_the_command_line(cli, bot, sender):
    bot.say(sender, "I use Outlook 2013 and can't send")
    for _ in range(2):
        bot.say(sender, "done")
    assert bot.slots(sender)["step"] == 3
    reference = handoff(bot.say(sender, "I want to talk to a person, there is no Account Settings"))
    bot.say(sender, "hello? anyone there?")

    listed = cli.run("list")
    assert listed.returncode == 0, listed.stderr
    line = [row for row in listed.stdout.splitlines() if row.startswith(reference)][0]
    assert "open" in line and "rest" in line and "Outlook 2013" in line

    shown = cli.run("show", reference.lower().replace("hd-0000", "hd-"))  # "hd-7" works too
    assert shown.returncode == 0, shown.stderr
    out = shown.stdout
    assert out.splitlines()[0] == reference
    assert "Outlook 2013, stuck at step 3 of 9" in out.splitlines()[1]
    assert "Client:       outlook 2013" in out and "Guide:        outlook-2010-2016" in out
    assert (
        "Step:         3 of 9" in out
        and f"Conversation: {sender}" in out
        and "Reason:       asked" in out
    )
    transcript = out.split("Transcript:\n", 1)[1]
    assert transcript.index("I use Outlook 2013 and can't send") < transcript.index(
        "hello? anyone there?"
    )
    assert "customer" in transcript and "Step 3 of 9" in transcript  # the bot's own lines are there

    answer = cli.run(
        "reply", reference, "Hi, I'm Sam.", "Which", "tabs do you see?", "--agent", "Sam"
    )
    assert answer.returncode == 0, answer.stderr
    assert (
        answer.stdout.strip()
        == f"Replied on {reference}, queued: the customer gets it with their next message (REST)."
    )
    assert (
        texts(bot.say(sender, "General and Outgoing Server"))
        == "Hi, I'm Sam. Which tabs do you see?"
    )
    assert "agent Sam" in cli.run("show", reference).stdout

    back = cli.run("handback", reference, "--guide", "outlook-2010-2016", "--step", "4")
    assert back.returncode == 0, back.stderr
    assert (
        back.stdout.strip() == f"{reference} handed back to the bot at step 4 of outlook-2010-2016."
    )
    replies = bot.say(sender, "thanks")
    assert "handed you back" in texts(replies) and "Step 4 of 9" in texts(replies)
    assert bot.slots(sender)["step"] == 4

    assert reference not in cli.run("list").stdout
    everything = cli.run("list", "--all").stdout
    assert [row for row in everything.splitlines() if row.startswith(reference)][0].split()[
        1
    ] == "handed_back"

    again = cli.run("handback", reference)
    assert again.returncode == 1 and f"ticket {reference} is handed_back, not open" in again.stderr


def test_handback_from_pasted_headers_on_stdin(cli, bot, sender):
    reference = handoff(bot.say(sender, "can I talk to a person please"))
    pasted = "Customer forwarded a bounce:\nReceived: from [10.0.0.2]\nX-Mailer: Microsoft Office Outlook 12.0\n"
    back = cli.run("handback", reference, "--text-file", "-", stdin=pasted)
    assert back.returncode == 0, back.stderr
    assert "with outlook 2007 read from the text" in back.stdout
    replies = bot.say(sender, "hi")
    assert "Outlook 2007" in texts(replies) and "Step 1 of 9" in texts(replies)
    assert bot.slots(sender)["guide"] == "outlook-2007"


def test_handback_text_argument_and_json_output(cli, bot, sender):
    reference = handoff(bot.say(sender, "talk to a human"))
    back = cli.run(
        "--json",
        "handback",
        reference,
        "--text",
        "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:102.0) Gecko/20100101 Thunderbird/115.3.1",
    )
    assert back.returncode == 0, back.stderr
    assert '"client": "thunderbird"' in back.stdout and '"status": "handed_back"' in back.stdout
    assert "Thunderbird" in texts(bot.say(sender, "ok"))
    assert bot.slots(sender)["guide"] == "thunderbird-3-plus"


def test_resolve_and_refusals(cli, bot, sender):
    reference = handoff(bot.say(sender, "talk to a human"))
    done = cli.run("resolve", reference)
    assert done.returncode == 0 and done.stdout.strip() == f"{reference} resolved."
    assert "Status:       resolved" in cli.run("show", reference).stdout
    twice = cli.run("resolve", reference)
    assert twice.returncode == 1 and "is resolved, not open" in twice.stderr
    late = cli.run("reply", reference, "hello")
    assert late.returncode == 1 and "not open" in late.stderr

    unknown = cli.run("show", "HD-99999")
    assert unknown.returncode == 1 and unknown.stderr.strip() == "error: no ticket HD-99999"
    bad_step = cli.run("handback", "HD-99999", "--step", "2")
    assert bad_step.returncode == 2 and "--step needs --guide" in bad_step.stderr
    open_ref = handoff(bot.say(sender + "-2", "talk to a human"))
    wrong_guide = cli.run("handback", open_ref, "--guide", "eudora", "--step", "99")
    assert wrong_guide.returncode == 1 and "step must be an integer from 1 to" in wrong_guide.stderr
    assert cli.run("show", open_ref).stdout.count("Status:       open") == 1  # refused = unchanged
    not_a_ref = cli.run("show", "../../status")
    assert not_a_ref.returncode == 2 and "is not a ticket reference" in not_a_ref.stderr


@pytest.mark.parametrize(
    "token, code, message",
    [
        (None, 3, "no agent token: set AGENT_API_TOKEN"),
        ("", 3, "no agent token: set AGENT_API_TOKEN"),
        ("wrong-token", 3, "refused the token (401)"),
    ],
)
def test_token_problems(cli, token, code, message):
    result = cli.run("list", token=token)
    assert result.returncode == code and message in result.stderr and result.stdout == ""


def test_server_down(cli):
    url = f"http://127.0.0.1:{free_port()}"
    result = cli.run("list", url=url)
    assert result.returncode == 4
    assert f"cannot reach the bot at {url}" in result.stderr and "SMTPBOT_API_URL" in result.stderr


def test_not_the_agents_api(cli, stack):
    """A URL where something answers but not the agents' API (the action server): clear, exit 4."""
    url = f"http://127.0.0.1:{stack.actions_port}"
    result = cli.run("list", url=url)
    assert (
        result.returncode == 4 and f"{url}/webhooks/agents/tickets?status=open (" in result.stderr
    )
    assert "is SMTPBOT_API_URL the Rasa server" in result.stderr
    result = cli.run("list", url=url + "/somewhere")
    assert result.returncode == 4 and "is SMTPBOT_API_URL the Rasa server" in result.stderr


def test_usage_errors_exit_2(cli):
    assert cli.run("frobnicate").returncode == 2
    assert cli.run("reply", "HD-00001").returncode == 2
    both = cli.run("handback", "HD-00001", "--guide", "eudora", "--text", "X-Mailer: Eudora")
    assert both.returncode == 2 and "not both" in both.stderr
