"""Patches to Rasa's internals, for the Rasa server process only: one module per patch.

Each module has `TARGETS` (the functions of Rasa it relies on, with their signatures) and
`install()` (idempotent). `install_all()` first checks that the installed Rasa is the version
these patches were tested against and that every target has the expected signature, and
refuses on any difference, so an upgrade of Rasa fails at start-up instead of misbehaving.

Installed by the lean launcher (smtpbot/runtime/lean.py) and by this project's tracker and
lock stores when Rasa creates them from endpoints.yml (smtpbot/stores), so any `rasa run`
with these endpoints gets them; never by training (config.yml has no such component).

Where Rasa offers an extension point it is used instead: the graph runner is a subclass of
Rasa's, handed to Rasa's loader (graph_runner.py); retries of action calls on another action
server are nginx's (smtpbot/tools/scale.py).
"""

from __future__ import annotations

import logging
import os
import sys
from types import ModuleType
from typing import List, Text

logger = logging.getLogger(__name__)

# The Rasa release every patch's parity test passed against (requirements.txt pins it).
TESTED_RASA_VERSION = "3.6.21"
# Exit status when Rasa does not match (sysexits' EX_CONFIG).
EXIT_MISMATCH = 78


def patch_modules() -> List[ModuleType]:
    """Every patch module, in the order they are installed."""
    from smtpbot.runtime.patches import (
        action_guard,
        action_validation,
        domain_empty,
        event_types,
        graph_runner,
        http_session,
        no_fallback,
        self_service,
        turn_metrics,
    )

    return [
        action_guard,
        action_validation,
        http_session,
        event_types,
        domain_empty,
        graph_runner,
        no_fallback,
        self_service,
        turn_metrics,
    ]


def problems() -> List[Text]:
    """What differs from the Rasa the patches were written for (empty when nothing)."""
    import rasa

    if rasa.__version__ != TESTED_RASA_VERSION:
        return [
            f"Rasa {rasa.__version__} is installed; the patches are tested with {TESTED_RASA_VERSION}"
        ]
    return [
        problem
        for module in patch_modules()
        for target in module.TARGETS
        if (problem := target.problem()) is not None
    ]


def install_all() -> None:
    """Check Rasa, then install every patch (idempotent: patches in place stay as they are).

    Raises:
        PatchMismatch: Rasa's version or a patched function's signature is not the tested one;
            nothing is installed then.
    """
    from smtpbot.runtime.patches.base import PatchMismatch

    found = problems()
    if found:
        raise PatchMismatch(
            "Refusing to start: smtpbot's patches to Rasa (smtpbot/runtime/patches) do not fit "
            "the installed Rasa - " + "; ".join(found) + ". Install the tested Rasa "
            "(requirements.txt) or update the patches and their parity tests."
        )
    for module in patch_modules():
        module.install()


def install_all_or_exit() -> None:
    """`install_all()` for a server being started: on a mismatch, say why and exit.

    The process exits at once with the reason (EXIT_MISMATCH) rather than leaving a start-up
    hook's exception to Rasa and Sanic.
    """
    from smtpbot.runtime.patches.base import PatchMismatch

    try:
        install_all()
    except PatchMismatch as error:
        logger.critical(str(error))
        print(str(error), file=sys.stderr, flush=True)
        logging.shutdown()
        os._exit(EXIT_MISMATCH)
