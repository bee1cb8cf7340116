"""Every environment variable of the project: its name, default, meaning and who reads it.

This is the only module that touches `os.environ`. Values are read when asked, never at import:
tests and launchers give each process its own environment. A blank value counts as unset and
surrounding whitespace is ignored. Two kinds of settings are listed:

- read by this project's code (`Setting.get`, `get_int`, `get_float`, `get_list`);
- read by Rasa, rasa_sdk or TensorFlow themselves, which our launchers set for the processes they
  start (their `name` is used to build those environments, so no name is spelt twice).

`python -m smtpbot.settings` prints the README's table of them (tests/test_settings.py checks
that the README's table is exactly this output).
"""

import os
import sys
from dataclasses import dataclass
from typing import Dict, List, Mapping, Optional, Tuple

Environ = Mapping[str, str]

# Who reads a setting (the "Read by" column of the README's table).
RASA = "Rasa server"
ACTIONS = "action server"
STACK = "`make run` (smtpbot.tools.stack)"
SCALE = "`make run-scale` (smtpbot.tools.scale)"
WEB = "page server (smtpbot.tools.webpage)"
CLI = "agents' CLI (smtpbot.tickets)"
BENCH = "`make bench`"


class SettingError(ValueError):
    """An environment variable holds a value of the wrong kind (the message names it)."""


@dataclass(frozen=True)
class Setting:
    """One environment variable.

    Attributes:
        name: the variable's name.
        default: the value used when the variable is unset or blank (None: no value).
        meaning: what it sets, in one sentence (the README's table shows it).
        read_by: the processes that read it.
        shown_default: the README's default when it is computed at run time (login name...).
    """

    name: str
    default: Optional[str]
    meaning: str
    read_by: str
    shown_default: Optional[str] = None

    def configured(self, environ: Optional[Environ] = None) -> Optional[str]:
        """The value (stripped) from `environ` (default: this process's); None when unset."""
        return value_of(self.name, environ) or None

    def get(self, environ: Optional[Environ] = None) -> Optional[str]:
        """The configured value, else the default."""
        return self.configured(environ) or self.default

    def is_set(self, environ: Optional[Environ] = None) -> bool:
        """Whether the variable has a non-blank value (the default does not count)."""
        return self.configured(environ) is not None

    def get_int(self, environ: Optional[Environ] = None) -> int:
        """The value as a whole number; SettingError names the variable when it is not one."""
        value = self.get(environ)
        try:
            return int(value or "")
        except ValueError:
            raise SettingError(f"{self.name} must be a whole number, not {value!r}") from None

    def get_float(self, environ: Optional[Environ] = None) -> float:
        """The value as a number; SettingError names the variable when it is not one."""
        value = self.get(environ)
        try:
            return float(value or "")
        except ValueError:
            raise SettingError(f"{self.name} must be a number, not {value!r}") from None

    def get_list(self, environ: Optional[Environ] = None) -> List[str]:
        """The value split at commas and spaces (empty list when unset)."""
        return (self.get(environ) or "").replace(",", " ").split()

    def setdefault(self, value: str) -> None:
        """Set the variable in this process's environment unless it has a value already."""
        if not self.is_set():
            os.environ[self.name] = value


def value_of(name: str, environ: Optional[Environ] = None) -> str:
    """The stripped value of the variable `name` ("" when unset).

    Only for variables whose name the configuration chooses (credentials.yml `token_env`,
    `url_env`, `secret_env`); their default names are listed in SETTINGS.
    """
    return (os.environ if environ is None else environ).get(name, "").strip()


def child_environment(extra: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """A copy of this process's environment with `extra` on top, for a process we start."""
    return {**os.environ, **(extra or {})}


# --- Knowledge base and tickets -------------------------------------------------------------
SMTPBOT_KB_DIR = Setting(
    "SMTPBOT_KB_DIR",
    None,
    "Folder of the knowledge base (guides, clients, dialogue, hand-off, headers YAML).",
    f"{RASA}, {ACTIONS}",
    shown_default="`kb/` of the project",
)
SMTPBOT_TICKETS_DB = Setting(
    "SMTPBOT_TICKETS_DB",
    "sqlite:///tickets.db",
    "Tickets database (SQLAlchemy URL); the same for the Rasa and action servers.",
    f"{RASA}, {ACTIONS}",
)
SMTPBOT_INSIGHTS_DB = Setting(
    "SMTPBOT_INSIGHTS_DB",
    "sqlite:///insights.db",
    "Insights store (SQLAlchemy URL): per-conversation facts and per-day counts.",
    f"{RASA}, insights CLI (smtpbot.insights)",
)
SMTPBOT_INSIGHTS_RETENTION_DAYS = Setting(
    "SMTPBOT_INSIGHTS_RETENTION_DAYS",
    "90",
    "Days of raw broker events and example texts kept; each ingest deletes older ones (0: keep).",
    f"{RASA}, insights CLI (smtpbot.insights)",
)
AGENT_API_TOKEN = Setting(
    "AGENT_API_TOKEN",
    None,
    "Token of the agents' API and CLI (credentials.yml `token_env`); unset: API refuses all.",
    f"{RASA}, {CLI}",
)
SMTPBOT_API_URL = Setting(
    "SMTPBOT_API_URL",
    "http://localhost:5005",
    "The Rasa server the agents' CLI talks to.",
    CLI,
)
SMTPBOT_AGENT_NAME = Setting(
    "SMTPBOT_AGENT_NAME",
    None,
    "Author of the CLI's replies in the transcript.",
    CLI,
    shown_default="the login name",
)

# --- Channels ------------------------------------------------------------------------------
WEBCHAT_ALLOWED_ORIGINS = Setting(
    "WEBCHAT_ALLOWED_ORIGINS",
    None,
    "Origins (comma-separated) allowed to open a web chat; replaces credentials.yml's list.",
    RASA,
    shown_default="credentials.yml `cors_allowed_origins`; `make run`: the page's address",
)
CHATWOOT_URL = Setting(
    "CHATWOOT_URL",
    None,
    "Chatwoot's API base URL (credentials.yml `url_env`).",
    RASA,
)
CHATWOOT_API_TOKEN = Setting(
    "CHATWOOT_API_TOKEN",
    None,
    "Chatwoot agent-bot token (credentials.yml `token_env`).",
    RASA,
)
CHATWOOT_WEBHOOK_SECRET = Setting(
    "CHATWOOT_WEBHOOK_SECRET",
    None,
    "Secret Chatwoot's webhooks must carry (credentials.yml `secret_env`).",
    RASA,
)
CHATWOOT_ALLOW_UNSIGNED_WEBHOOKS = Setting(
    "CHATWOOT_ALLOW_UNSIGNED_WEBHOOKS",
    None,
    "true: without a webhook secret, accept unsigned Chatwoot webhooks (Chatwoot < 4.13, private "
    "network only; logged as a warning).",
    RASA,
    shown_default="off (refused with 503)",
)
SLACK_BOT_TOKEN = Setting(
    "SLACK_BOT_TOKEN",
    None,
    "Slack bot token (xoxb-...); with SLACK_SIGNING_SECRET turns the Slack channel on.",
    f"{RASA}, {ACTIONS}",
)
SLACK_SIGNING_SECRET = Setting(
    "SLACK_SIGNING_SECRET",
    None,
    "The Slack app's signing secret; requests not signed with it are refused.",
    RASA,
)
SLACK_CHANNEL = Setting(
    "SLACK_CHANNEL",
    None,
    "Slack channel id(s), comma-separated, where the bot answers every message.",
    RASA,
)
SLACK_API_URL = Setting(
    "SLACK_API_URL",
    "https://slack.com/api/",
    "Slack Web API base URL (tests point it at a fake).",
    f"{RASA}, {ACTIONS}",
)
SLACK_DEDUP_DB = Setting(
    "SLACK_DEDUP_DB",
    "slack-events.db",
    "Slack handled-events database: a SQLite path or a SQLAlchemy URL shared by all servers.",
    RASA,
)
SLACK_AGENTS_CHANNEL = Setting(
    "SLACK_AGENTS_CHANNEL",
    None,
    "Slack channel id for hand-off alerts to agents; unset: no alerts.",
    ACTIONS,
)
SLACK_TICKET_URL = Setting(
    "SLACK_TICKET_URL",
    None,
    "Link template for a ticket in the alert, e.g. https://.../tickets/{reference}.",
    ACTIONS,
    shown_default="the agents' API call",
)

# --- Rasa server: runtime behaviour ----------------------------------------------------------
ACTION_GUARD_TIMEOUT = Setting(
    "ACTION_GUARD_TIMEOUT",
    "1.5",
    "Seconds the Rasa server waits for the action server (all retries) before 'having trouble'.",
    RASA,
)
# A PostgreSQL fast restart takes ~1 s; 3 s covers it and keeps replies near the 2 s goal.
TRACKER_DB_RETRY_SECONDS = Setting(
    "TRACKER_DB_RETRY_SECONDS",
    "3",
    "Seconds the tracker store retries a failed database before 'having trouble'.",
    RASA,
)

# --- Metrics (Prometheus /metrics of each process, smtpbot/runtime/metrics.py) ----------------
SMTPBOT_METRICS_HOST = Setting(
    "SMTPBOT_METRICS_HOST",
    "127.0.0.1",
    "Address the /metrics listeners bind to (loopback: not open to the world).",
    f"{RASA}, {ACTIONS}",
)
SMTPBOT_METRICS_PORT = Setting(
    "SMTPBOT_METRICS_PORT",
    "9105",
    "Port of the Rasa server's /metrics (0 = off; `make run-scale`: one per process).",
    RASA,
    shown_default="9105 (`make run`); 0 for other Stack users",
)
SMTPBOT_ACTIONS_METRICS_PORT = Setting(
    "SMTPBOT_ACTIONS_METRICS_PORT",
    "9106",
    "Port of the action server's /metrics (0 = off; `make run-scale`: one per process).",
    ACTIONS,
    shown_default="9106 (`make run`); 0 for other Stack users",
)

# --- Launchers: `make run`, page server, scale-out, bench ------------------------------------
RASA_PORT = Setting(
    "RASA_PORT",
    "5005",
    "Port of the Rasa server (scale-out: of nginx in front of the Rasa servers).",
    f"{STACK}, {SCALE}, {WEB}",
)
ACTIONS_PORT = Setting("ACTIONS_PORT", "5055", "Port of the action server.", STACK)
ACTIONS_HOST = Setting(
    "ACTIONS_HOST",
    "127.0.0.1",
    "Address the action server started by `Stack` listens on (sets SANIC_HOST for it).",
    STACK,
)
WEB_PORT = Setting("WEB_PORT", "8080", "Port of the support page.", f"{STACK}, {WEB}")
WEB_HOST = Setting("WEB_HOST", "127.0.0.1", "Address the support page listens on.", WEB)
WEBCHAT_SERVER_URL = Setting(
    "WEBCHAT_SERVER_URL",
    None,
    "Chat server URL the support page connects to.",
    WEB,
    shown_default="same host, RASA_PORT",
)
WEB_ORIGIN = Setting(
    "WEB_ORIGIN",
    "http://localhost:8080",
    "The support page's origin(s): the Rasa server's CORS when RASA_CORS is unset.",
    STACK,
    shown_default="http://localhost:8080; `make run`: the page's address",
)
RASA_CORS = Setting(
    "RASA_CORS",
    None,
    "Origins (comma or space separated) the Rasa server's CORS allows; never `*`.",
    STACK,
    shown_default="WEB_ORIGIN",
)
RASA_TOKEN = Setting(
    "RASA_TOKEN",
    None,
    "Turns Rasa's HTTP API on with this auth token; passed in the environment, never as an "
    "argument.",
    f"{STACK}, {RASA}",
)
RASA_JWT_SECRET = Setting(
    "RASA_JWT_SECRET",
    None,
    "Turns Rasa's HTTP API on with JWT authentication; passed in the environment, never as an "
    "argument.",
    f"{STACK}, {RASA}",
)
RASA_JWT_METHOD = Setting("RASA_JWT_METHOD", "HS256", "JWT algorithm (`--jwt-method`).", STACK)
RASA_SERVERS = Setting("RASA_SERVERS", "2", "Number of Rasa servers.", SCALE)
ACTION_SERVERS = Setting("ACTION_SERVERS", "2", "Number of action servers.", SCALE)
SCALE_HOST = Setting("SCALE_HOST", "127.0.0.1", "Address nginx listens on.", SCALE)
TRACKER_DB_PASSWORD = Setting(
    "TRACKER_DB_PASSWORD",
    None,
    "PostgreSQL password (endpoints.scale.yml); the launcher passes it to the Rasa servers.",
    f"{SCALE}, {RASA}",
    shown_default="generated per run",
)
SMTPBOT_BENCH_CACHE = Setting(
    "SMTPBOT_BENCH_CACHE",
    None,
    "Folder of the bench's cached stock Rasa bot.",
    BENCH,
    shown_default="~/.cache/smtpbot-bench",
)

# --- Read by Rasa, rasa_sdk or TensorFlow; set by our launchers -------------------------------
SANIC_HOST = Setting(
    "SANIC_HOST",
    "127.0.0.1",
    "Address rasa_sdk's action server listens on (rasa_sdk's own default is 0.0.0.0; ours comes "
    "from `Stack`, or from rasa_sdk_plugins/ for a plain `rasa run actions`).",
    ACTIONS,
)
ACTION_ENDPOINT_URL = Setting(
    "ACTION_ENDPOINT_URL",
    None,
    "Action server URL in endpoints.scale.yml (set by the scale-out launcher: nginx).",
    RASA,
    shown_default="set by the launcher",
)
TRACKER_DB_HOST = Setting(
    "TRACKER_DB_HOST", None, "PostgreSQL host (endpoints.scale.yml).", RASA, "set by the launcher"
)
TRACKER_DB_PORT = Setting(
    "TRACKER_DB_PORT", None, "PostgreSQL port (endpoints.scale.yml).", RASA, "set by the launcher"
)
TRACKER_DB_NAME = Setting(
    "TRACKER_DB_NAME",
    None,
    "PostgreSQL database (endpoints.scale.yml).",
    RASA,
    "set by the launcher",
)
EVENTS_DB_NAME = Setting(
    "EVENTS_DB_NAME",
    None,
    "PostgreSQL database of the event broker (endpoints.scale.yml).",
    RASA,
    "set by the launcher",
)
TRACKER_DB_USER = Setting(
    "TRACKER_DB_USER", None, "PostgreSQL user (endpoints.scale.yml).", RASA, "set by the launcher"
)
LOCK_STORE_HOST = Setting(
    "LOCK_STORE_HOST", None, "Redis host (endpoints.scale.yml).", RASA, "set by the launcher"
)
LOCK_STORE_PORT = Setting(
    "LOCK_STORE_PORT", None, "Redis port (endpoints.scale.yml).", RASA, "set by the launcher"
)
SQL_POOL_SIZE = Setting(
    "SQL_POOL_SIZE",
    None,
    "Rasa's SQL tracker store pool size per process (Rasa's default 50).",
    RASA,
    shown_default="scale-out: 5",
)
SQL_MAX_OVERFLOW = Setting(
    "SQL_MAX_OVERFLOW",
    None,
    "Rasa's SQL tracker store pool overflow per process (Rasa's default 100).",
    RASA,
    shown_default="scale-out: 5",
)
RASA_CACHE_DIRECTORY = Setting(
    "RASA_CACHE_DIRECTORY",
    None,
    "Rasa's training cache folder (the bench empties it to time a cold training).",
    "`rasa train`",
    shown_default="`.rasa/cache`",
)
TF_CPP_MIN_LOG_LEVEL = Setting(
    "TF_CPP_MIN_LOG_LEVEL",
    None,
    "TensorFlow's log level; the Makefile and the bench set 3 (errors only).",
    "`rasa train`, plain `rasa run`",
    shown_default="Makefile: 3",
)

# Every Setting above, in the order defined (the README's table follows it).
SETTINGS: Tuple[Setting, ...] = tuple(
    value for value in list(globals().values()) if isinstance(value, Setting)
)


def markdown_table() -> str:
    """The README's table of every setting (one row each, in the order above)."""
    rows = ["| Variable | Default | Read by | Meaning |", "|---|---|---|---|"]
    for setting in SETTINGS:
        default = setting.shown_default or (f"`{setting.default}`" if setting.default else "unset")
        rows.append(f"| `{setting.name}` | {default} | {setting.read_by} | {setting.meaning} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    sys.stdout.write(markdown_table())
