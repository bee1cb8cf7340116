"""Scale-out profile: several Rasa servers behind one address, PostgreSQL, Redis, several action servers.

    python -m smtpbot.tools.scale [--rasa-servers 2] [--action-servers 2] [--port 5005]   (make run-scale)

Starts, on loopback, with the Debian packages (`make services` installs them):
- PostgreSQL (a fresh cluster in a temporary folder, run as the `postgres` user when started by
  root) holding the tracker store;
- Redis (no persistence) for Rasa's RedisLockStore, which serialises each conversation's messages
  across all Rasa servers;
- N action servers and M Rasa servers (endpoints.scale.yml), each started like `make run` does;
- nginx on `--port`: the Rasa servers round-robin (the web chat's Socket.IO sticky per client
  address, as engine.io needs), and on an internal port the action servers (a failed call is
  retried on the next action server).

The tests (tests/scale/) use the same classes. Nothing here is meant to replace a production
database or proxy setup; it is the same topology, small, to run and test on one machine.
"""

import argparse
import glob
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List, Optional

from smtpbot import settings
from smtpbot.tools.stack import ROOT, Stack, free_ports

# Per Rasa process: SQLAlchemy pool size and overflow for the tracker store (Rasa reads these env
# variables; its defaults, 50 + 100 per process, exceed PostgreSQL's default 100 connections).
SQL_POOL_SIZE = 5
SQL_MAX_OVERFLOW = 5
# Connections kept for psql, the launcher itself and PostgreSQL's superuser reserve.
SPARE_CONNECTIONS = 10


def find_binary(name: str) -> str:
    """A server binary from PATH or from where Debian puts it (PostgreSQL's are not on PATH)."""
    found = shutil.which(name)
    candidates = ([found] if found else []) + sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True
    )
    candidates += [f"/usr/sbin/{name}", f"/usr/bin/{name}"]
    for path in candidates:
        if path and os.access(path, os.X_OK):
            return path
    raise FileNotFoundError(
        f"{name} not found: run `make services` (apt-get install postgresql redis-server nginx-light)"
    )


def wait_port(port: int, timeout: float, proc: Optional[subprocess.Popen] = None) -> None:
    """Wait until something accepts TCP connections on 127.0.0.1:port."""
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process for port {port} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port} after {timeout:.0f}s")


class Postgres:
    """A throw-away PostgreSQL cluster on loopback, password-protected."""

    def __init__(
        self,
        port: int,
        password: str,
        max_connections: int,
        user: str = "rasa",
        database: str = "rasa",
        events_database: str = "rasa_events",
        insights_database: str = "rasa_insights",
        tickets_database: str = "rasa_tickets",
    ):
        """Configure; nothing starts until start(). Conversations in `database`, the event
        broker's rows in `events_database` (its table is also called `events`), the insights
        store in `insights_database`, tickets and channel claims in `tickets_database` (shared
        by every Rasa server, wherever it runs)."""
        self.port, self.password, self.max_connections = port, password, max_connections
        self.user, self.database = user, database
        self.events_database, self.insights_database = events_database, insights_database
        self.tickets_database = tickets_database
        self.dir = Path(tempfile.mkdtemp(prefix="smtpbot-pg-"))
        self.data = self.dir / "data"

    def _as_owner(self, args: List[str]) -> List[str]:
        # PostgreSQL refuses to run as root: run it as the Debian package's `postgres` user.
        return ["runuser", "-u", "postgres", "--"] + args if os.geteuid() == 0 else args

    def _pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        options = (
            f"-c port={self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.dir} "
            f"-c max_connections={self.max_connections} -c fsync=off"
        )
        return subprocess.run(
            self._as_owner(
                [
                    find_binary("pg_ctl"),
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.dir / "postgres.log"),
                    "-o",
                    options,
                    *args,
                ]
            ),
            check=check,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def start(self) -> "Postgres":
        """initdb (first time), start, create the database."""
        if not self.data.exists():
            pwfile = self.dir / "pwfile"
            pwfile.write_text(self.password, encoding="utf-8")
            if os.geteuid() == 0:
                shutil.chown(self.dir, "postgres")
                shutil.chown(pwfile, "postgres")
            subprocess.run(
                self._as_owner(
                    [
                        find_binary("initdb"),
                        "-D",
                        str(self.data),
                        "-U",
                        self.user,
                        "--pwfile",
                        str(pwfile),
                        "--auth",
                        "scram-sha-256",
                        "-E",
                        "UTF8",
                        "--no-sync",
                    ]
                ),
                check=True,
                capture_output=True,
                text=True,
                timeout=120,
            )
            pwfile.unlink()
            self._pg_ctl("-w", "start")
            self.create_databases(
                self.database, self.events_database, self.insights_database, self.tickets_database
            )
        else:
            self._pg_ctl("-w", "start")
        return self

    def create_databases(self, *names: str) -> None:
        """Create empty databases (the running server's; for the store, the events and the
        insights at first start, any other for the tests)."""
        import psycopg2

        connection = psycopg2.connect(
            host="127.0.0.1",
            port=self.port,
            user=self.user,
            password=self.password,
            dbname="postgres",
        )
        connection.autocommit = True
        with connection.cursor() as cursor:
            for name in names:
                cursor.execute(f'CREATE DATABASE "{name}"')
        connection.close()

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (data kept)."""
        self._pg_ctl("-w", "-m", mode, "stop", check=False)

    def restart(self, mode: str = "fast") -> None:
        """Stop then start again (all client connections are cut)."""
        self._pg_ctl("-w", "-m", mode, "restart")

    def remove(self) -> None:
        """Stop and delete the cluster."""
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)

    def env(self) -> Dict[str, str]:
        """The variables endpoints.scale.yml reads for the tracker store and the event broker,
        and the insights store's URL (smtpbot/insights)."""
        from sqlalchemy.engine import URL

        def url(database: str) -> str:
            return URL.create(
                "postgresql",
                username=self.user,
                password=self.password,
                host="127.0.0.1",
                port=self.port,
                database=database,
            ).render_as_string(hide_password=False)

        return {
            settings.TRACKER_DB_HOST.name: "127.0.0.1",
            settings.TRACKER_DB_PORT.name: str(self.port),
            settings.TRACKER_DB_NAME.name: self.database,
            settings.TRACKER_DB_USER.name: self.user,
            settings.TRACKER_DB_PASSWORD.name: self.password,
            settings.EVENTS_DB_NAME.name: self.events_database,
            settings.SMTPBOT_INSIGHTS_DB.name: url(self.insights_database),
            settings.SMTPBOT_TICKETS_DB.name: url(self.tickets_database),
        }


class Redis:
    """A Redis on loopback without persistence (the lock store needs none)."""

    def __init__(self, port: int):
        """Configure; nothing starts until start()."""
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="smtpbot-redis-"))
        self.proc: Optional[subprocess.Popen] = None

    def start(self) -> "Redis":
        """Start redis-server and wait until it accepts connections."""
        self.proc = subprocess.Popen(
            [
                find_binary("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=open(self.dir / "redis.log", "ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_port(self.port, 20, self.proc)
        return self

    def stop(self) -> None:
        """Stop redis-server."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def remove(self) -> None:
        """Stop and delete its folder."""
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def env(self) -> Dict[str, str]:
        """The variables endpoints.scale.yml reads for the lock store."""
        return {
            settings.LOCK_STORE_HOST.name: "127.0.0.1",
            settings.LOCK_STORE_PORT.name: str(self.port),
        }


NGINX_CONF = """\
worker_processes 1;
error_log {dir}/error.log warn;
pid {dir}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/tmp/body;
    proxy_temp_path {dir}/tmp/proxy;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;
    client_max_body_size 1m;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    upstream rasa {{ {rasa} }}
    upstream rasa_sticky {{ hash $remote_addr consistent; {rasa} }}
    upstream actions {{ {actions} }}
    server {{
        listen {host}:{port};
        location / {{
            proxy_pass http://rasa;
            proxy_read_timeout 60s;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }}
        location /socket.io/ {{
            proxy_pass http://rasa_sticky;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header Origin $http_origin;
            proxy_read_timeout 3600s;
        }}
    }}
    server {{
        listen 127.0.0.1:{actions_port};
        location / {{
            proxy_pass http://actions;
            # Action calls are pure functions of the tracker sent: safe to retry elsewhere.
            proxy_next_upstream error timeout http_502 http_503 non_idempotent;
            proxy_connect_timeout 1s;
        }}
    }}
}}
"""


class Nginx:
    """nginx as the one address of the Rasa servers, and as the action servers' balancer."""

    def __init__(
        self,
        port: int,
        actions_port: int,
        rasa_ports: List[int],
        action_ports: List[int],
        host: str = "127.0.0.1",
    ):
        """Configure; nothing starts until start()."""
        self.port, self.actions_port, self.host = port, actions_port, host
        self.rasa_ports, self.action_ports = rasa_ports, action_ports
        self.dir = Path(tempfile.mkdtemp(prefix="smtpbot-nginx-"))
        self.proc: Optional[subprocess.Popen] = None

    def config(self) -> str:
        """nginx.conf for these ports."""

        def servers(ports):
            return " ".join(f"server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;" for p in ports)

        return NGINX_CONF.format(
            dir=self.dir,
            host=self.host,
            port=self.port,
            actions_port=self.actions_port,
            rasa=servers(self.rasa_ports),
            actions=servers(self.action_ports),
        )

    def start(self) -> "Nginx":
        """Write the config and run nginx in the foreground of its own process group."""
        (self.dir / "tmp").mkdir()
        os.chmod(self.dir, 0o755)
        os.chmod(self.dir / "tmp", 0o1777)  # workers run as nobody when the master is root
        conf = self.dir / "nginx.conf"
        conf.write_text(self.config(), encoding="utf-8")
        self.proc = subprocess.Popen(
            [find_binary("nginx"), "-p", str(self.dir), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=open(self.dir / "stderr.log", "ab"),
            start_new_session=True,
        )
        wait_port(self.port, 20, self.proc)
        return self

    def remove(self) -> None:
        """Stop nginx and delete its folder."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


class ScaleOut:
    """The whole profile: PostgreSQL, Redis, action servers, Rasa servers, nginx."""

    def __init__(
        self,
        rasa_servers: int = 2,
        action_servers: int = 2,
        port: Optional[int] = None,
        host: str = "127.0.0.1",
        model: str = "models",
        log_dir: Optional[Path] = None,
        env: Optional[Dict[str, str]] = None,
    ):
        """Pick ports and secrets; nothing starts until start()."""
        servers = rasa_servers + action_servers
        ports = free_ports(2 * servers + 4)  # all different (see free_ports)
        self.rasa_ports = ports[:rasa_servers]
        self.action_ports = ports[rasa_servers:servers]
        self.port = port or ports[servers]
        # /metrics of every process, on loopback (SMTPBOT_METRICS_HOST to change).
        self.rasa_metrics_ports = ports[servers + 1 : servers + 1 + rasa_servers]
        self.action_metrics_ports = ports[servers + 1 + rasa_servers : 2 * servers + 1]
        self.model, self.log_dir, self.extra_env = model, log_dir, env or {}
        password = settings.TRACKER_DB_PASSWORD.get() or secrets.token_urlsafe(18)
        max_connections = rasa_servers * (SQL_POOL_SIZE + SQL_MAX_OVERFLOW) + SPARE_CONNECTIONS
        self.postgres = Postgres(ports[-3], password, max_connections)
        self.redis = Redis(ports[-2])
        self.nginx = Nginx(self.port, ports[-1], self.rasa_ports, self.action_ports, host)
        self.actions: List[Stack] = []
        self.servers: List[Stack] = []

    def rasa_env(self) -> Dict[str, str]:
        """Environment of every Rasa server: stores, pool limits, action endpoint."""
        return {
            **self.extra_env,
            **self.postgres.env(),
            **self.redis.env(),
            settings.SQL_POOL_SIZE.name: str(SQL_POOL_SIZE),
            settings.SQL_MAX_OVERFLOW.name: str(SQL_MAX_OVERFLOW),
            settings.ACTION_ENDPOINT_URL.name: f"http://127.0.0.1:{self.nginx.actions_port}/webhook",
        }

    def start(self) -> "ScaleOut":
        """Start everything; the Rasa servers and action servers in parallel."""
        self.postgres.start()
        self.redis.start()
        self.nginx.start()
        self.actions = [
            Stack(
                actions_port=port,
                log_dir=self._logs(f"actions-{i}"),
                env={
                    **self.extra_env,
                    # hand-offs open tickets here; the Rasa servers' channels read them
                    settings.SMTPBOT_TICKETS_DB.name: self.postgres.env()[
                        settings.SMTPBOT_TICKETS_DB.name
                    ],
                    "SMTPBOT_ACTIONS_METRICS_PORT": str(self.action_metrics_ports[i]),
                },
            )
            for i, port in enumerate(self.action_ports)
        ]
        self.servers = [
            Stack(
                rasa_port=port,
                model=self.model,
                endpoints=str(ROOT / "endpoints.scale.yml"),
                log_dir=self._logs(f"rasa-{i}"),
                env={**self.rasa_env(), "SMTPBOT_METRICS_PORT": str(self.rasa_metrics_ports[i])},
            )
            for i, port in enumerate(self.rasa_ports)
        ]
        with ThreadPoolExecutor(len(self.actions) + len(self.servers)) as pool:
            jobs = [pool.submit(s.start_actions) for s in self.actions]
            jobs += [pool.submit(s.start_rasa, 300) for s in self.servers]
            for job in jobs:
                job.result()
        return self

    def _logs(self, name: str) -> Optional[Path]:
        return self.log_dir / name if self.log_dir else None

    def stop(self) -> None:
        """Stop every process and delete the temporary data."""
        for stack in self.servers + self.actions:
            stack.stop()
        self.nginx.remove()
        self.redis.remove()
        self.postgres.remove()


def main() -> int:
    """`make run-scale`: run the profile in the foreground until Ctrl-C."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    try:
        rasa_servers, action_servers = (
            settings.RASA_SERVERS.get_int(),
            settings.ACTION_SERVERS.get_int(),
        )
        port = settings.RASA_PORT.get_int()
    except settings.SettingError as error:
        parser.error(str(error))
    parser.add_argument("--rasa-servers", type=int, default=rasa_servers)
    parser.add_argument("--action-servers", type=int, default=action_servers)
    parser.add_argument("--port", type=int, default=port)
    parser.add_argument("--host", default=settings.SCALE_HOST.get())
    args = parser.parse_args()
    profile = ScaleOut(
        args.rasa_servers,
        args.action_servers,
        args.port,
        args.host,
        log_dir=ROOT / "logs" / "scale",
    )
    stopping: List[int] = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    try:
        print(
            f"Starting PostgreSQL, Redis, {args.action_servers} action servers and "
            f"{args.rasa_servers} Rasa servers...",
            flush=True,
        )
        profile.start()
        print(
            f"Bot ready: REST at http://{args.host}:{args.port}/webhooks/rest/webhook "
            f"(Rasa servers on {profile.rasa_ports}, logs in logs/scale/)",
            flush=True,
        )
        print(
            f"Metrics: Rasa servers on ports {profile.rasa_metrics_ports}, action servers on "
            f"{profile.action_metrics_ports} (http://127.0.0.1:<port>/metrics)",
            flush=True,
        )
        procs = [p for s in profile.servers + profile.actions for p in s.procs]
        while not stopping and all(p.poll() is None for p in procs):
            time.sleep(0.5)
        return 0 if stopping else 1
    except KeyboardInterrupt:
        return 0
    finally:
        profile.stop()


if __name__ == "__main__":
    sys.exit(main())
