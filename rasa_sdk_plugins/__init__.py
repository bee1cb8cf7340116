"""rasa_sdk plugin of the project: the action server listens on loopback unless told otherwise.

rasa_sdk 3.6 imports a package named `rasa_sdk_plugins` when its action server starts
(`rasa_sdk.plugin._discover_plugins`, found from the project root like the `actions` package)
and calls our `attach_sanic_app_extensions` hook after loading the actions and before it reads
SANIC_HOST (`rasa_sdk.endpoint.run`, default 0.0.0.0: every interface). The hook gives SANIC_HOST
the project's default, 127.0.0.1, when it is unset, so a plain `rasa run actions` from the
project root is not reachable from the network (README "Security"). To listen elsewhere on
purpose: `SANIC_HOST=0.0.0.0 rasa run actions`. Importing this package changes nothing.
"""

import sys

import pluggy
from sanic import Sanic

from smtpbot import settings

hookimpl = pluggy.HookimplMarker("rasa_sdk")


def init_hooks(manager: pluggy.PluginManager) -> None:
    """Register this module's hooks with rasa_sdk's plugin manager (rasa_sdk calls this)."""
    manager.register(sys.modules[__name__])


@hookimpl
def attach_sanic_app_extensions(app: Sanic) -> None:
    """Set SANIC_HOST to its default (loopback) unless it is set, before rasa_sdk binds."""
    settings.SANIC_HOST.setdefault(settings.SANIC_HOST.default or "127.0.0.1")
