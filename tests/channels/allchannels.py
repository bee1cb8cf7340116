"""Settings and addresses of the all-channels stack (tests/channels/conftest.py starts it).

Action server, Rasa server (REST, web chat, Slack, Chatwoot, agents' API, as credentials.yml
configures them), the support page, a fake Slack Web API and a fake Chatwoot API, on free ports.
Slack's and Chatwoot's own servers cannot run here: their fakes answer and record the API calls
the bot makes, and the tests sign webhooks as Slack and Chatwoot do.
"""

import sys
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "slack"))

from fake_chatwoot import FakeChatwoot  # noqa: E402
from fake_slack import FakeSlack  # noqa: E402
from slack_events import SlackSender  # noqa: E402
from stackkit import TOKEN, BotClient  # noqa: E402

from smtpbot.tools.stack import Stack  # noqa: E402

AGENT_TOKEN = "agent-token-" + uuid.uuid4().hex
CHATWOOT_SECRET = "chatwoot-secret-" + uuid.uuid4().hex
CHATWOOT_TOKEN = "chatwoot-api-" + uuid.uuid4().hex
SLACK_SECRET = "slack-secret-" + uuid.uuid4().hex
SLACK_TOKEN = "xoxb-test-" + uuid.uuid4().hex[:16]
SLACK_BOT_USER = "UBOT0001"


class AllChannels:
    """The running stack, its fakes, and the address of every public endpoint."""

    def __init__(self, stack: Stack, web_port: int, slack: FakeSlack, chatwoot: FakeChatwoot):
        self.stack, self.slack_api, self.chatwoot_api = stack, slack, chatwoot
        self.base = f"http://127.0.0.1:{stack.rasa_port}"
        self.page = f"http://127.0.0.1:{web_port}/"
        self.page_origin = f"http://127.0.0.1:{web_port}"
        self.bot = BotClient(self.base, TOKEN)
        self.slack = SlackSender(
            f"{self.base}/webhooks/slack/webhook", SLACK_SECRET, SLACK_BOT_USER
        )
        self.chatwoot_hook = f"{self.base}/webhooks/chatwoot/webhook"
        self.agents = f"{self.base}/webhooks/agents"

    def agent(self, method: str, path: str, **kwargs) -> requests.Response:
        """A call to the agents' API with the agents' token."""
        headers = {"Authorization": f"Bearer {AGENT_TOKEN}"}
        return requests.request(method, self.agents + path, headers=headers, timeout=60, **kwargs)

    def processes_alive(self) -> bool:
        """True while every server process of the stack runs."""
        return all(proc.poll() is None for proc in self.stack.procs)
