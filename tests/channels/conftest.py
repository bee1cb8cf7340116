"""One bot stack with every customer channel on, for the channel matrix and the abuse suite.

Action server, Rasa server (REST, web chat, Slack, Chatwoot, agents' API, as credentials.yml
configures them), the support page, a fake Slack Web API and a fake Chatwoot API, on free ports.
Slack's and Chatwoot's own servers cannot run here: their fakes answer and record the API calls
the bot makes, and the tests sign webhooks as Slack and Chatwoot do.
"""

import sys
import uuid
from pathlib import Path
from typing import Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from allchannels import (  # noqa: E402
    AGENT_TOKEN,
    CHATWOOT_SECRET,
    CHATWOOT_TOKEN,
    ROOT,
    SLACK_BOT_USER,
    SLACK_SECRET,
    SLACK_TOKEN,
    AllChannels,
)
from fake_chatwoot import FakeChatwoot  # noqa: E402
from fake_slack import FakeSlack  # noqa: E402
from stackkit import free_port, make_stack  # noqa: E402


@pytest.fixture(scope="session")
def channels(tmp_path_factory) -> Iterator[AllChannels]:
    """Start everything once for the session; stop it at the end."""
    if not (ROOT / "web" / "node_modules" / "socket.io-client").is_dir():
        pytest.fail("web/node_modules is missing: run `make install`")
    tmp = tmp_path_factory.mktemp("all-channels")
    slack = FakeSlack(SLACK_TOKEN, bot_user=SLACK_BOT_USER).start(free_port())
    chatwoot = FakeChatwoot().start(free_port())
    web_port = free_port()
    env = {
        "SMTPBOT_TICKETS_DB": f"sqlite:///{tmp / 'tickets.db'}",
        "AGENT_API_TOKEN": AGENT_TOKEN,
        "CHATWOOT_URL": f"http://127.0.0.1:{chatwoot.server.server_address[1]}",
        "CHATWOOT_API_TOKEN": CHATWOOT_TOKEN,
        "CHATWOOT_WEBHOOK_SECRET": CHATWOOT_SECRET,
        "SLACK_BOT_TOKEN": SLACK_TOKEN,
        "SLACK_SIGNING_SECRET": SLACK_SECRET,
        "SLACK_API_URL": slack.api_url,
        "SLACK_DEDUP_DB": str(tmp / "slack-handled.db"),
        "WEBCHAT_ALLOWED_ORIGINS": f"http://127.0.0.1:{web_port}",
        "RASA_CORS": f"http://127.0.0.1:{web_port}",
    }
    stack = make_stack(tmp, "channels", env=env)
    try:
        stack.start()
        stack.start_web(web_port)
        everything = AllChannels(stack, web_port, slack, chatwoot)
        everything.bot.say(
            "warm-up-" + uuid.uuid4().hex[:6], "hi"
        )  # first action call loads the KB
        yield everything
    finally:
        stack.stop()
        slack.stop()
        chatwoot.stop()
