"""Shared fixtures: the real bot stack (action server + Rasa server) on free ports.

Helpers and constants live in tests/stackkit.py (import them from there).
"""

import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from stackkit import TOKEN, BotClient, handoff_env, make_stack  # noqa: E402


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """The real `rasa run actions` + `rasa run` on free ports, a temporary SQLite tracker store."""
    tmp = tmp_path_factory.mktemp("stack")
    bot = make_stack(tmp, env=handoff_env(tmp))
    try:
        bot.start()
        yield bot
    finally:
        bot.stop()


@pytest.fixture(scope="session")
def bot(stack) -> BotClient:
    """A client for the running stack."""
    return BotClient(f"http://127.0.0.1:{stack.rasa_port}", TOKEN)


@pytest.fixture
def sender() -> str:
    """A fresh conversation id."""
    return "test-" + uuid.uuid4().hex[:12]
