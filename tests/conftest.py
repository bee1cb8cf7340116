"""Shared fixtures: the real bot stack (action server + Rasa server) on free ports.

Helpers and constants live in tests/stackkit.py (import them from there).
"""
import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from stackkit import MODEL, ROOT, TOKEN, BotClient, Stack, free_port, handoff_env, write_endpoints  # noqa: E402


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """The real `rasa run actions` + `rasa run` on free ports, a temporary SQLite tracker store."""
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does)")
    tmp = tmp_path_factory.mktemp("stack")
    actions_port, rasa_port = free_port(), free_port()
    endpoints = write_endpoints(tmp / "endpoints.yml", actions_port, tmp / "tracker.db")
    bot = Stack(rasa_port, actions_port, model=str(MODEL), endpoints=str(endpoints),
                log_dir=ROOT / "test-artifacts" / "logs",
                env={"RASA_TOKEN": TOKEN, **handoff_env(tmp)})
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
