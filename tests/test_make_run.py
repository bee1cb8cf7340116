"""`make run`'s launcher (`python -m smtpbot.tools.stack`): everything up on the chosen ports, a guide
served, the page served, a clean stop. (`make run` = install + train when needed + this.)"""

import os
import signal
import subprocess
import sys
import time
import uuid

import requests
from stackkit import ROOT, free_port, texts


def test_launcher_serves_the_bot_and_the_page_on_chosen_ports(tmp_path):
    """RASA_PORT, ACTIONS_PORT (not endpoints.yml's 5055) and WEB_PORT are all honoured."""
    ports = {"RASA_PORT": free_port(), "ACTIONS_PORT": free_port(), "WEB_PORT": free_port()}
    env = dict(
        os.environ,
        **{k: str(v) for k, v in ports.items()},
        SMTPBOT_TICKETS_DB=f"sqlite:///{tmp_path / 'tickets.db'}",
    )
    env.pop("RASA_TOKEN", None)
    log = open(tmp_path / "run.log", "w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "smtpbot.tools.stack"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        while "Support page with the chat" not in (tmp_path / "run.log").read_text():
            assert proc.poll() is None and time.monotonic() < deadline, (
                tmp_path / "run.log"
            ).read_text()[-3000:]
            time.sleep(0.5)
        reply = requests.post(
            f"http://127.0.0.1:{ports['RASA_PORT']}/webhooks/rest/webhook",
            timeout=30,
            json={"sender": "make-run-" + uuid.uuid4().hex[:8], "message": "thunderbrid 115"},
        )
        assert "Step 1 of 7" in texts(reply.json()), reply.text
        assert requests.get(f"http://127.0.0.1:{ports['WEB_PORT']}/", timeout=10).status_code == 200
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        log.close()
