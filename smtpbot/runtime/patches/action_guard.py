"""A clear reply within ~2 s when the action server is down or slow, instead of silence.

Rasa 3.6 calls the action server with a 5-minute timeout; when the call fails it logs the error
and the customer gets nothing at all. Rasa has no setting for either, and every message of this
bot is answered by a custom action, so this patch wraps `RemoteAction.run`:

- the whole call (all attempts) gets `timeout` seconds (ACTION_GUARD_TIMEOUT, smtpbot/settings.py);
- a refused connection or a 5xx (server restarting, a kept-alive connection the restarted
  server closed) is retried every `retry_interval` seconds until that budget is spent;
- then the customer is told we are having trouble, that their place is kept and how to reach
  the support team (kb/dialogue.yml `support`). The action's events are not applied, so the
  conversation stays exactly where it was and the next message continues from there.

Rejections (HTTP 400 from the action server, used by forms) keep Rasa's own handling.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, List, Optional, Text

from smtpbot import settings
from smtpbot.kb.knowledge import get_kb
from smtpbot.runtime.patches.base import Target, replace

logger = logging.getLogger(__name__)

TARGETS = (
    Target(
        "rasa.core.actions.action.RemoteAction.run",
        "(self, output_channel: 'OutputChannel', nlg: 'NaturalLanguageGenerator', "
        "tracker: 'DialogueStateTracker', domain: 'Domain') -> List[rasa.shared.core.events.Event]",
    ),
)


@dataclass
class GuardSettings:
    """How long the customer may wait for the action server, and what they are told after."""

    timeout: float = 1.5
    retry_interval: float = 0.25
    message: Text = "Sorry, I'm having trouble on my side right now."


SETTINGS = GuardSettings()


def trouble_message(kb_dir: Optional[str] = None) -> Text:
    """The reply when the action server cannot answer: the apology, then how to reach support."""
    support = get_kb(kb_dir).dialogue["support"]
    return f"{support['trouble']} {support['contact']}"


def settings_from_env() -> GuardSettings:
    """The guard's settings for this process: ACTION_GUARD_TIMEOUT (seconds) and the KB's text."""
    return GuardSettings(
        timeout=settings.ACTION_GUARD_TIMEOUT.get_float(), message=trouble_message()
    )


async def call_with_retries(
    call: Callable[[], Awaitable[List[Any]]], guard: GuardSettings
) -> Optional[List[Any]]:
    """Run `call` within `guard.timeout`, retrying failures; None when it never succeeded."""
    from rasa.core.actions.action import ActionExecutionRejection

    loop = asyncio.get_running_loop()
    deadline = loop.time() + guard.timeout
    attempt = 0
    while True:
        attempt += 1
        remaining = deadline - loop.time()
        try:
            return await asyncio.wait_for(call(), timeout=max(remaining, 0.01))
        except ActionExecutionRejection:
            raise
        except asyncio.TimeoutError:
            logger.warning(
                "Action server did not answer within %.1f s (attempt %d).",
                guard.timeout,
                attempt,
            )
            return None
        except Exception as error:  # connection refused, 5xx, invalid response: all retryable
            logger.warning("Action server call failed (attempt %d): %s", attempt, error)
            if loop.time() + guard.retry_interval >= deadline:
                return None
            await asyncio.sleep(guard.retry_interval)


def install(guard: Optional[GuardSettings] = None) -> None:
    """Wrap `RemoteAction.run` once per process; a later call only updates the settings.

    Args:
        guard: the budget and reply; by default `settings_from_env()`.
    """
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import BotUttered

    guard = guard or settings_from_env()
    SETTINGS.timeout, SETTINGS.retry_interval = guard.timeout, guard.retry_interval
    SETTINGS.message = guard.message
    original = RemoteAction.run

    async def guarded_run(
        self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any
    ) -> List[Any]:
        """RemoteAction.run within the time budget; on failure, the trouble reply and no events."""
        events = await call_with_retries(
            lambda: original(self, output_channel, nlg, tracker, domain), SETTINGS
        )
        if events is not None:
            return events
        logger.error(
            "Action '%s' for conversation '%s' failed: told the customer, state unchanged.",
            self.name(),
            tracker.sender_id,
        )
        return [BotUttered(text=SETTINGS.message, metadata={"action_server_unavailable": True})]

    replace(RemoteAction, "run", guarded_run)
