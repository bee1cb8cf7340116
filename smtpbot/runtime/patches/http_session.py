"""One kept-open HTTP session per endpoint for action calls, instead of one per call.

Rasa's `EndpointConfig.request` opens a new `aiohttp.ClientSession` - a new TCP connection -
for every action call (`EndpointConfig.session`). This patch makes the session once per
endpoint and event loop and reuses it, so calls go over keep-alive connections. A connection
the action server closed (restart) fails one attempt, which the action guard retries.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

from smtpbot.runtime.patches.base import Target, replace

TARGETS = (
    Target("rasa.utils.endpoints.EndpointConfig.session", "(self) -> aiohttp.client.ClientSession"),
    Target(
        "rasa.utils.endpoints.EndpointConfig.request",
        "(self, method: str = 'post', subpath: Optional[str] = None, "
        "content_type: Optional[str] = 'application/json', compress: bool = False, "
        "**kwargs: Any) -> Optional[Any]",
    ),
)
SESSIONS = "_smtpbot_sessions"
# Idle keep-alive connections are dropped after this long: shorter than the action server's
# (Sanic: 5 s), so a request never goes out on a connection the server is just closing.
KEEPALIVE_SECONDS = 2.0


class _KeptOpen:
    """`async with` for a lasting session: gives the session, leaves it open on exit."""

    def __init__(self, session: Any) -> None:
        """Wrap the lasting session."""
        self.session = session

    async def __aenter__(self) -> Any:
        """The session itself."""
        return self.session

    async def __aexit__(self, *exc_info: Any) -> None:
        """Keep the session (and its pooled connections) for the next request."""


def lasting_session(self: EndpointConfig) -> _KeptOpen:
    """Rasa's `EndpointConfig.session` (same headers, auth and timeout), made once per endpoint
    and event loop and then reused, so action calls reuse keep-alive connections."""
    import aiohttp

    loop = asyncio.get_running_loop()
    sessions = self.__dict__.setdefault(SESSIONS, {})
    session = sessions.get(loop)
    if session is None or session.closed:
        auth = (
            aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
            if self.basic_auth
            else None
        )
        session = aiohttp.ClientSession(
            headers=self.headers,
            auth=auth,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
        )
        sessions.clear()  # a session of a finished loop cannot be used (or closed) any more
        sessions[loop] = session
    return _KeptOpen(session)


def install() -> None:
    """Replace `EndpointConfig.session` (once per process)."""
    replace(EndpointConfig, "session", lasting_session)
