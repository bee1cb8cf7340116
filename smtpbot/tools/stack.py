"""Start the whole bot: the action server and the Rasa server, wait until both answer.

Used by `make run` and by the end-to-end tests, so both start the stack the same way.
"""

import argparse
import ctypes
import fcntl
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Callable, List, Optional, Set, TextIO

from smtpbot import settings

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# Security defaults (README "Security", defaults in smtpbot/settings.py): the action server only
# on loopback (rasa_sdk reads SANIC_HOST, default 0.0.0.0), the HTTP API only with a token/JWT,
# CORS only for the page.
WEB_ORIGIN = settings.WEB_ORIGIN.default
# endpoints.yml's tracker store: Rasa's SQL store with conversations cached (smtpbot/stores/tracker_cache.py).
TRACKER_STORE = "smtpbot.stores.tracker_cache.CachedSQLTrackerStore"
# endpoints.yml's event broker: Rasa's SQL broker writing off the turn (smtpbot/insights/broker.py).
EVENT_BROKER = "smtpbot.insights.broker.BufferedSQLEventBroker"
# The action server's port in endpoints.yml.
DEFAULT_ACTIONS_PORT = int(settings.ACTIONS_PORT.default or 0)


# Every port free_ports has handed out in this process: a port chosen but not yet listened on
# is free to the kernel, so a later call could get it again (the channels tests' page server
# once found its port taken by the stack's servers, chosen after it: "Address already in use")
_HANDED_OUT: Set[int] = set()


def free_ports(count: int) -> List[int]:
    """`count` different TCP ports on loopback that nobody listens on right now, none handed out
    before by this process.

    All are held open until every one is chosen: ports picked one after another can repeat (the
    kernel may hand out a just-closed port again), and two servers on one port answer for each
    other (a metrics listener once answered a test stack's REST requests with 405).
    """
    sockets = []
    chosen: List[int] = []
    try:
        while len(chosen) < count:
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)  # held, so the kernel offers another port next
            port = sock.getsockname()[1]
            if port not in _HANDED_OUT:
                chosen.append(port)
        _HANDED_OUT.update(chosen)
        return chosen
    finally:
        for sock in sockets:
            sock.close()


def free_port() -> int:
    """A TCP port on loopback that nobody listens on right now."""
    return free_ports(1)[0]


def write_endpoints(path: Path, actions_port: int, tracker_db: Path) -> Path:
    """An endpoints file like the project's, for another action port and SQLite file (the event
    broker's `events.db` beside it)."""
    events_db = tracker_db.parent / "events.db"
    path.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n'
        f'tracker_store:\n  type: {TRACKER_STORE}\n  dialect: "sqlite"\n  db: "{tracker_db}"\n'
        f'event_broker:\n  type: {EVENT_BROKER}\n  dialect: "sqlite"\n  db: "{events_db}"\n',
        encoding="utf-8",
    )
    return path


def use_sqlite_wal(endpoints: Path) -> Optional[Path]:
    """Put a SQLite tracker store (if the endpoints use one) in write-ahead-log mode; its path.

    Rasa commits after every message; with SQLite's default rollback journal each commit costs
    several fsyncs (16 ms on the benchmark machine), with WAL one (3 ms), and the event loop
    waits for it. WAL is as safe against a killed process; the mode is stored in the file, so
    setting it once before Rasa opens the database is enough.
    """
    import yaml

    store = (yaml.safe_load(endpoints.read_text(encoding="utf-8")) or {}).get("tracker_store") or {}
    if (
        str(store.get("type", "")).lower() not in ("sql", TRACKER_STORE.lower())
        or store.get("dialect") != "sqlite"
        or not store.get("db")
    ):
        return None
    db = Path(store["db"]) if Path(store["db"]).is_absolute() else ROOT / store["db"]
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
    return db


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent() -> Optional[Callable[[], None]]:
    """A Popen preexec_fn that makes the child get SIGTERM when this process dies, even by
    SIGKILL or the OOM killer (Linux prctl PR_SET_PDEATHSIG); None where prctl is missing.

    The kernel sends the signal when the *thread* that forked the child ends, so children spawned
    from another thread (tests start servers in parallel threads) are left alone: None there.
    """
    if threading.current_thread() is not threading.main_thread():
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl  # loaded before the fork
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the launcher died before prctl took effect
            os._exit(1)

    return preexec


def wait_for(url: str, timeout: float, proc: Optional[subprocess.Popen] = None) -> None:
    """Poll `url` until it answers 200, or fail (early if `proc` has died)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process for {url} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f}s")


class Stack:
    """The two server processes of one bot instance."""

    def __init__(
        self,
        rasa_port: int = 5005,
        actions_port: int = DEFAULT_ACTIONS_PORT,
        model: str = "models",
        endpoints: str = "endpoints.yml",
        credentials: str = "credentials.yml",
        log_dir: Optional[Path] = None,
        env: Optional[dict] = None,
        lean: bool = True,
    ):
        """Configure; nothing starts until start(). `lean`: Rasa without TensorFlow (smtpbot/runtime/lean.py),
        else the plain `rasa` command."""
        self.rasa_port, self.actions_port = rasa_port, actions_port
        self.model, self.endpoints, self.credentials = model, endpoints, credentials
        self.log_dir = log_dir
        self.env = settings.child_environment(env)
        # /metrics only where the caller asks for it (`make run` does): parallel test stacks
        # would fight over the default ports.
        for setting in (settings.SMTPBOT_METRICS_PORT, settings.SMTPBOT_ACTIONS_METRICS_PORT):
            self.env.setdefault(setting.name, "0")
        self.procs: List[subprocess.Popen] = []
        self.rasa_proc: Optional[subprocess.Popen] = None
        self.lean = lean

    def _spawn(
        self, name: str, args: List[str], extra_env: Optional[dict] = None
    ) -> subprocess.Popen:
        """Start one server process in its own session, output to log_dir/<name>.log."""
        out = subprocess.DEVNULL
        if self.log_dir:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            out = open(self.log_dir / f"{name}.log", "ab")
        env = dict(self.env, **(extra_env or {}))
        proc = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=die_with_parent(),  # no orphans holding the ports if we are killed
        )
        self.procs.append(proc)
        return proc

    def launch_actions(self) -> subprocess.Popen:
        """Spawn the action server on loopback (ACTIONS_HOST env overrides); don't wait.

        `python -m rasa_sdk` is what `rasa run actions` ends up calling, without importing
        the whole of Rasa first: 55 MB instead of 127 MB, half the start-up (README Performance).
        """
        host = settings.ACTIONS_HOST.get(self.env) or ""
        return self._spawn(
            "actions",
            [
                sys.executable,
                "-m",
                "smtpbot.runtime.actions_server",  # rasa_sdk with /metrics
                "--actions",
                "actions",
                "--port",
                str(self.actions_port),
            ],
            extra_env={settings.SANIC_HOST.name: host},
        )

    def start_actions(self, timeout: float = 60) -> subprocess.Popen:
        """Start the action server (rasa_sdk) and wait for its /health."""
        proc = self.launch_actions()
        wait_for(f"http://127.0.0.1:{self.actions_port}/health", timeout, proc)
        return proc

    def rasa_args(self) -> List[str]:
        """The `rasa run` command line, run without TensorFlow (smtpbot/runtime/lean.py, 375 MB less):
        the HTTP API only with RASA_TOKEN and/or RASA_JWT_SECRET (passed in the environment,
        never as arguments; JWT: RASA_JWT_METHOD, default HS256), CORS for RASA_CORS
        (comma/space separated) or the support page's origin WEB_ORIGIN."""
        rasa = [sys.executable, "-m", "smtpbot.runtime.lean"] if self.lean else [str(BIN / "rasa")]
        args = rasa + [
            "run",
            "--model",
            self.model,
            "--port",
            str(self.rasa_port),
            "--endpoints",
            self.endpoints,
            "--credentials",
            self.credentials,
        ]
        token, jwt_secret = (
            settings.RASA_TOKEN.get(self.env),
            settings.RASA_JWT_SECRET.get(self.env),
        )
        if token or jwt_secret:
            args += ["--enable-api"]
        # The lean launcher reads the secrets from its environment (lean.secrets_from_env): on
        # the command line, `ps` would show them to every user of the machine. Only the plain
        # `rasa` command (lean=False: tests, the bench's stock bot) needs them as arguments.
        if token and not self.lean:
            args += ["--auth-token", token]
        if jwt_secret and not self.lean:
            args += ["--jwt-secret", jwt_secret]
        if jwt_secret:
            args += ["--jwt-method", settings.RASA_JWT_METHOD.get(self.env) or ""]
        origins = settings.RASA_CORS.get_list(self.env) or settings.WEB_ORIGIN.get_list(self.env)
        return args + ["--cors", *origins]

    def launch_rasa(self) -> subprocess.Popen:
        """Spawn `rasa run` (see rasa_args); don't wait."""
        use_sqlite_wal(ROOT / self.endpoints)
        self.rasa_proc = self._spawn("rasa", self.rasa_args())
        return self.rasa_proc

    def restart_rasa(self, sig: int = signal.SIGTERM, timeout: float = 180) -> subprocess.Popen:
        """Stop the Rasa server with `sig` (SIGKILL: a crash) and start it again on the same port."""
        old = self.rasa_proc
        os.killpg(old.pid, sig)
        old.wait(timeout=30)
        self.procs.remove(old)
        return self.start_rasa(timeout)

    def start_rasa(self, timeout: float = 180) -> subprocess.Popen:
        """Start `rasa run` (REST and the configured channels) and wait until the model is loaded."""
        proc = self.launch_rasa()
        wait_for(f"http://127.0.0.1:{self.rasa_port}/", timeout, proc)
        return proc

    def start_web(self, web_port: int, timeout: float = 30) -> subprocess.Popen:
        """Start the support page's static server (smtpbot.tools.webpage) and wait until it answers."""
        proc = self._spawn(
            "web",
            [
                sys.executable,
                "-m",
                "smtpbot.tools.webpage",
                "--port",
                str(web_port),
                "--rasa-port",
                str(self.rasa_port),
            ],
        )
        wait_for(f"http://127.0.0.1:{web_port}/", timeout, proc)
        return proc

    def start(self, timeout: float = 180) -> "Stack":
        """Start both servers at once (the Rasa server needs no action server to load) and wait."""
        actions, rasa = self.launch_actions(), self.launch_rasa()
        wait_for(f"http://127.0.0.1:{self.actions_port}/health", timeout, actions)
        wait_for(f"http://127.0.0.1:{self.rasa_port}/", timeout, rasa)
        return self

    def stop(self) -> None:
        """Stop every process of the stack (SIGTERM, then SIGKILL)."""
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.procs.clear()


def hold_run_lock(path: Path) -> Optional[TextIO]:
    """Take the launcher's lock (one `make run` per tracker database); None if another holds it.

    The kernel drops a flock when its holder dies, however it dies, so a stale file never
    blocks. The holder's pid and ports are written into the file for the refusal message.
    """
    handle = open(path, "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle


def port_in_use(port: int) -> bool:
    """True when something accepts connections on the port on loopback."""
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def refuse_second_run(lock_path: Path, ports: List[int]) -> Optional[str]:
    """Why this launcher must not start (one line), or None (then the lock is held)."""
    global RUN_LOCK
    RUN_LOCK = hold_run_lock(lock_path)
    if RUN_LOCK is None:
        holder = lock_path.read_text(encoding="utf-8").strip() or "another launcher"
        return f"make run is already running ({holder}); stop it first."
    busy = [port for port in ports if port_in_use(port)]
    if busy:
        return (
            f"make run cannot start: port {', '.join(map(str, busy))} already in use "
            "(another bot or program; RASA_PORT, ACTIONS_PORT, WEB_PORT choose others)."
        )
    RUN_LOCK.seek(0)
    RUN_LOCK.truncate()
    RUN_LOCK.write(f"pid {os.getpid()}, REST on port {ports[0]}")
    RUN_LOCK.flush()
    return None


RUN_LOCK: Optional[TextIO] = None  # held for the launcher's lifetime


def main() -> int:
    """`make run`: start the stack in the foreground until Ctrl-C."""
    parser = argparse.ArgumentParser(description=__doc__)
    try:
        rasa_port, actions_port = settings.RASA_PORT.get_int(), settings.ACTIONS_PORT.get_int()
        web_port = settings.WEB_PORT.get_int()
    except settings.SettingError as error:
        parser.error(str(error))
    parser.add_argument("--rasa-port", type=int, default=rasa_port)
    parser.add_argument("--actions-port", type=int, default=actions_port)
    parser.add_argument("--web-port", type=int, default=web_port)
    args = parser.parse_args()
    # The chat channel accepts the support page's origin (unless WEBCHAT_ALLOWED_ORIGINS says otherwise).
    page = f"http://localhost:{args.web_port},http://127.0.0.1:{args.web_port}"
    allowed = settings.WEBCHAT_ALLOWED_ORIGINS.get() or page
    # REST CORS: the same page's origin only (RASA_CORS overrides; see Stack.rasa_args).
    web_env = {
        settings.WEBCHAT_ALLOWED_ORIGINS.name: allowed,
        settings.WEB_ORIGIN.name: settings.WEB_ORIGIN.configured() or allowed,
        # /metrics of each server, on loopback unless SMTPBOT_METRICS_HOST says otherwise.
        settings.SMTPBOT_METRICS_PORT.name: settings.SMTPBOT_METRICS_PORT.get(),
        settings.SMTPBOT_ACTIONS_METRICS_PORT.name: settings.SMTPBOT_ACTIONS_METRICS_PORT.get(),
    }
    endpoints = "endpoints.yml"
    if args.actions_port != DEFAULT_ACTIONS_PORT:
        # endpoints.yml names the action server's default port: point Rasa at the chosen one,
        # same SQLite file.
        endpoints = str(
            write_endpoints(
                Path(tempfile.mkdtemp(prefix="smtpbot-run-")) / "endpoints.yml",
                args.actions_port,
                ROOT / "rasa.db",
            )
        )
    problem = refuse_second_run(
        ROOT / "rasa.db-lock", [args.rasa_port, args.actions_port, args.web_port]
    )
    if problem:
        print(problem, file=sys.stderr, flush=True)
        return 75  # EX_TEMPFAIL
    stack = Stack(args.rasa_port, args.actions_port, endpoints=endpoints, env=web_env)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    try:
        print("Starting the action server and the Rasa server...", flush=True)
        stack.start()
        print(
            f"Bot ready: REST at http://localhost:{args.rasa_port}/webhooks/rest/webhook",
            flush=True,
        )
        stack.start_web(args.web_port)
        print(f"Support page with the chat: http://localhost:{args.web_port}/", flush=True)
        if not (settings.RASA_TOKEN.is_set() or settings.RASA_JWT_SECRET.is_set()):
            print(
                "HTTP API off (set RASA_TOKEN or RASA_JWT_SECRET to enable it with authentication).",
                flush=True,
            )
        while not stopping and all(p.poll() is None for p in stack.procs):
            time.sleep(0.5)
        return 1 if not stopping else 0
    except KeyboardInterrupt:
        return 0
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
