"""Browser fixtures: a dedicated bot stack with the support page, and Debian's Chromium via Playwright.

The web tests stop and restart this stack's Rasa server (reconnect test), so it is not the shared
session `stack`. Playwright never downloads a browser here: it drives /usr/bin/chromium.
"""

import importlib.util
import sys
from pathlib import Path
from typing import Iterator

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _shared_fixtures():
    """tests/conftest.py under its own name: every conftest is `conftest` to pytest."""
    name = "smtpbot_tests_shared_conftest"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / "conftest.py")
        sys.modules[name] = module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return sys.modules[name]


_shared = _shared_fixtures()
from stackkit import TOKEN, BotClient, debian_chromium, free_port, make_stack  # noqa: E402 (tests/ is on sys.path once the shared conftest is loaded)

from smtpbot.tools.stack import Stack  # noqa: E402 (tests/conftest.py puts ROOT on sys.path)

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
WEBCHAT = "smtpbot.channels.webchat.WebChatInput"


class WebStack:
    """The bot stack plus its support page, and where the page is."""

    def __init__(self, stack: Stack, web_port: int):
        self.stack, self.web_port = stack, web_port
        self.url = f"http://127.0.0.1:{web_port}/"
        self.bot = BotClient(f"http://127.0.0.1:{stack.rasa_port}", TOKEN)

    def restart_rasa(self) -> None:
        """Start the Rasa server again (after a test stopped it)."""
        self.stack.start_rasa()


def web_credentials(path: Path) -> Path:
    """REST plus the web chat block exactly as credentials.yml configures it (other channels,
    tested by their own suites, stay out of this stack)."""
    configured = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump({"rest": None, WEBCHAT: configured[WEBCHAT]}), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def web_stack(tmp_path_factory) -> Iterator[WebStack]:
    """Action server, Rasa server (origins limited to the page) and the page, on free ports."""
    if not (ROOT / "web" / "node_modules" / "socket.io-client").is_dir():
        pytest.fail("web/node_modules is missing: run `make install`")
    tmp = tmp_path_factory.mktemp("web-stack")
    web_port = free_port()
    stack = make_stack(
        tmp,
        "web",
        credentials=str(web_credentials(tmp / "credentials.yml")),
        env={"WEBCHAT_ALLOWED_ORIGINS": f"http://127.0.0.1:{web_port}"},
    )
    try:
        stack.start()
        stack.start_web(web_port)
        yield WebStack(stack, web_port)
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium driven by Playwright."""
    with debian_chromium() as chromium:
        yield chromium


@pytest.fixture
def screenshots() -> Path:
    """The folder the screenshots of this run go to (not committed)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def pytest_terminal_summary(terminalreporter) -> None:
    """Name the screenshot folder in the test report."""
    if SCREENSHOTS.is_dir() and any(SCREENSHOTS.glob("*.png")):
        count = len(list(SCREENSHOTS.glob("*.png")))
        terminalreporter.write_line(f"web chat screenshots ({count}): {SCREENSHOTS}")
