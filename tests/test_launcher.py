"""`make run`'s launcher cleans up after itself even when killed, and refuses a second run.

The launcher (`python -m smtpbot.tools.stack`) is SIGKILLed (as the OOM killer would): its
action, Rasa and page servers must go too and free their ports. A second launcher while one
runs, or with a port taken, says why in one line and exits non-zero.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from stackkit import ROOT, free_port

from smtpbot.tools.stack import port_in_use


def children_of(pid):
    """Pids whose parent is `pid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def launcher_env(ports, tmp_path):
    env = dict(
        os.environ,
        **{k: str(v) for k, v in ports.items()},
        SMTPBOT_TICKETS_DB=f"sqlite:///{tmp_path / 'tickets.db'}",
    )
    env.pop("RASA_TOKEN", None)
    return env


def launch(env, log_path):
    log = open(log_path, "w+")
    return subprocess.Popen(
        [sys.executable, "-m", "smtpbot.tools.stack"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_until(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what()
        time.sleep(0.2)


def run_again(env):
    return subprocess.run(
        [sys.executable, "-m", "smtpbot.tools.stack"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_killed_launcher_takes_its_servers_along_and_a_second_run_is_refused(tmp_path):
    ports = {"RASA_PORT": free_port(), "ACTIONS_PORT": free_port(), "WEB_PORT": free_port()}
    env = launcher_env(ports, tmp_path)
    log = tmp_path / "run.log"
    proc = launch(env, log)
    children = []
    try:
        wait_until(
            lambda: "Support page with the chat" in log.read_text() or proc.poll() is not None,
            180,
            lambda: log.read_text()[-3000:],
        )
        assert proc.poll() is None, log.read_text()[-3000:]
        children = children_of(proc.pid)
        assert len(children) == 3  # action server, Rasa server, page server

        # A second `make run` meanwhile: one line, non-zero, the first one untouched.
        second = run_again(env)
        assert second.returncode != 0
        assert second.stdout == "" and len(second.stderr.strip().splitlines()) == 1
        assert "already running" in second.stderr and f"pid {proc.pid}" in second.stderr
        assert all(port_in_use(port) for port in ports.values())

        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        wait_until(
            lambda: not any(alive(pid) for pid in children),
            60,
            lambda: f"still running: {[pid for pid in children if alive(pid)]}",
        )
        wait_until(
            lambda: not any(port_in_use(port) for port in ports.values()),
            30,
            lambda: f"ports still taken: {[p for p in ports.values() if port_in_use(p)]}",
        )
    finally:
        for pid in [proc.pid, *children]:
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


def test_a_port_in_use_is_named_in_one_line(tmp_path):
    ports = {"RASA_PORT": free_port(), "ACTIONS_PORT": free_port(), "WEB_PORT": free_port()}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", ports["ACTIONS_PORT"]))
        taken.listen()
        result = run_again(launcher_env(ports, tmp_path))
    assert result.returncode != 0 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"make run cannot start: port {ports['ACTIONS_PORT']} already in use (another bot or "
        "program; RASA_PORT, ACTIONS_PORT, WEB_PORT choose others)."
    ]
