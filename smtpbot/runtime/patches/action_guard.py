"""A clear reply within ~2 s when the action server is down or slow, instead of silence.

Rasa 3.6 calls the action server with a 5-minute timeout; when the call fails it logs the error
and the customer gets nothing at all. Rasa has no setting for either, and every message of this
bot is answered by a custom action, so this module wraps `RemoteAction.run`:

- the whole call (all attempts) gets `timeout` seconds;
- a refused connection or a 5xx (server restarting, one replica gone) is retried every
  `retry_interval` seconds until that budget is spent;
- then the customer is told we are having trouble, that their place is kept and how to reach
  the support team (kb/dialogue.yml `support`). The action's events are not applied, so the
  conversation stays exactly where it was and the next message continues from there.

Rejections (HTTP 400 from the action server, used by forms) keep Rasa's own handling.

The wrapper has to run inside every Rasa server process, whichever command starts it
(`rasa run`, `rasa shell`, `make run`, the scale-out launcher), so it is installed by a pipeline
component (`ActionServerGuard` in config.yml) that is loaded with the model; the component does
nothing to messages.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.events import BotUttered, Event
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from smtpbot import settings
from smtpbot.kb.knowledge import get_kb

logger = logging.getLogger(__name__)

GUARD_MARK = "_smtpbot_action_guard"


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


async def call_with_retries(
    call: Callable[[], Awaitable[List[Event]]], settings: GuardSettings
) -> Optional[List[Event]]:
    """Run `call` within `settings.timeout`, retrying failures; None when it never succeeded."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + settings.timeout
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
                settings.timeout,
                attempt,
            )
            return None
        except Exception as error:  # connection refused, 5xx, invalid response: all retryable
            logger.warning("Action server call failed (attempt %d): %s", attempt, error)
            if loop.time() + settings.retry_interval >= deadline:
                return None
            await asyncio.sleep(settings.retry_interval)


def install(settings: GuardSettings) -> None:
    """Wrap `RemoteAction.run` once per process; later calls only update the settings."""
    SETTINGS.timeout, SETTINGS.retry_interval = settings.timeout, settings.retry_interval
    SETTINGS.message = settings.message
    if getattr(RemoteAction.run, GUARD_MARK, False):
        return
    original = RemoteAction.run

    async def guarded_run(
        self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any
    ) -> List[Event]:
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

    setattr(guarded_run, GUARD_MARK, True)
    RemoteAction.run = guarded_run  # type: ignore[method-assign]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class ActionServerGuard(GraphComponent):
    """Pipeline component whose only job is to install the action-call guard where Rasa runs.

    Config: `timeout` (seconds for all attempts together, keep it under the 2 s reply goal;
    the environment variable ACTION_GUARD_TIMEOUT overrides it) and `retry_interval` (seconds
    between attempts after a failed connection).
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Defaults: 1.5 s budget, retry every 0.25 s, the KB of the project."""
        return {"timeout": 1.5, "retry_interval": 0.25, "kb_dir": None}

    def __init__(self, config: Dict[Text, Any]) -> None:
        """Install the guard (the model is being loaded in a Rasa process)."""
        timeout = (
            settings.ACTION_GUARD_TIMEOUT.get_float()
            if settings.ACTION_GUARD_TIMEOUT.is_set()
            else float(config["timeout"])
        )
        install(
            GuardSettings(
                timeout, float(config["retry_interval"]), trouble_message(config.get("kb_dir"))
            )
        )

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ActionServerGuard:
        """Create the component (nothing to train)."""
        return cls(config)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> ActionServerGuard:
        """Load the component with the model: this is what installs the guard in the server."""
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data passes through unchanged."""
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Messages pass through unchanged."""
        return messages
