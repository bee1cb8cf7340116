"""The two bots under test: ours (trained fresh into a temp dir) and Rasa's stock starter bot.

The stock bot is `rasa init --no-prompt` in a cache folder (SMTPBOT_BENCH_CACHE, default
~/.cache/smtpbot-bench), trained once and reused; its training time is stored beside it.
"""

import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from smtpbot import settings
from smtpbot.tools.bench.stats import tree_cpu_seconds, tree_rss_mb
from smtpbot.tools.bench.workload import first_reply_time
from smtpbot.tools.stack import BIN, ROOT, Stack, wait_for, write_endpoints


def cache_dir() -> Path:
    """Where the stock bot is kept between runs (SMTPBOT_BENCH_CACHE)."""
    return Path(settings.SMTPBOT_BENCH_CACHE.get() or Path.home() / ".cache" / "smtpbot-bench")


@dataclass
class Trained:
    """A trained model and what it cost (train_seconds None: trained by an earlier run, not timed)."""

    model: Path
    train_seconds: Optional[float]

    @property
    def size_mb(self) -> float:
        """Size of the model archive in MB."""
        return self.model.stat().st_size / 1e6


def train_ours(out_dir: Path) -> Trained:
    """`rasa train` of this project into out_dir, with an empty component cache (a cold train)."""
    env = settings.child_environment({settings.RASA_CACHE_DIRECTORY.name: str(out_dir / "cache")})
    start = time.monotonic()
    subprocess.run(
        [
            str(BIN / "rasa"),
            "train",
            "--out",
            str(out_dir),
            "--fixed-model-name",
            "smtpbot",
            "--quiet",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return Trained(out_dir / "smtpbot.tar.gz", time.monotonic() - start)


def stock_bot(retrain: bool = False) -> Trained:
    """Rasa's starter bot from the cache, created and trained by `rasa init --no-prompt` if missing."""
    folder, timing = cache_dir() / "stock", cache_dir() / "stock-train-seconds.txt"
    models = sorted((folder / "models").glob("*.tar.gz")) if folder.exists() else []
    if models and not retrain:
        seconds = float(timing.read_text()) if timing.exists() else None
        return Trained(models[-1], seconds)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    cache = str(folder / ".rasa" / "cache")
    env = settings.child_environment({settings.RASA_CACHE_DIRECTORY.name: cache})
    start = time.monotonic()
    subprocess.run(
        [str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(folder)],
        cwd=folder,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seconds = time.monotonic() - start
    timing.write_text(f"{seconds:.1f}\n")
    return Trained(sorted((folder / "models").glob("*.tar.gz"))[-1], seconds)


@dataclass
class Running:
    """A started bot: its stack, REST base URL, start-up time and the pids whose memory counts."""

    stack: Stack
    base: str
    startup_seconds: float

    def rss_mb(self) -> dict:
        """Resident memory (MB, incl. children) per server process: 'rasa' and, for ours, 'actions'."""
        names = ["actions", "rasa"] if len(self.stack.procs) == 2 else ["rasa"]
        return {name: tree_rss_mb(proc.pid) for name, proc in zip(names, self.stack.procs)}

    def cpu_seconds(self) -> float:
        """CPU time used so far by all the bot's server processes."""
        return sum(tree_cpu_seconds(proc.pid) for proc in self.stack.procs)


def start_ours(
    model: Path, rasa_port: int, actions_port: int, work: Path, timeout: float = 300
) -> Running:
    """Launch our action server and Rasa server together; start-up = launch -> first reply."""
    work.mkdir(parents=True, exist_ok=True)
    endpoints = write_endpoints(work / "endpoints.yml", actions_port, work / "tracker.db")
    stack = Stack(
        rasa_port, actions_port, model=str(model), endpoints=str(endpoints), log_dir=work / "logs"
    )
    start = time.monotonic()
    actions = stack.launch_actions()
    stack.launch_rasa()
    base = f"http://127.0.0.1:{rasa_port}"
    try:
        wait_for(f"http://127.0.0.1:{actions_port}/health", timeout, actions)
        ready = first_reply_time(base, start + timeout)
    except BaseException:
        stack.stop()
        raise
    return Running(stack, base, ready - start)


def start_stock(bot: Trained, rasa_port: int, work: Path, timeout: float = 300) -> Running:
    """Launch the stock bot's Rasa server as `rasa init` made it (its endpoints and channels), with
    the plain `rasa run`: its DIET and TED need TensorFlow."""
    folder = bot.model.parent.parent
    stack = Stack(
        rasa_port,
        0,
        model=str(bot.model),
        endpoints=str(folder / "endpoints.yml"),
        credentials=str(folder / "credentials.yml"),
        log_dir=work / "logs",
        lean=False,
    )
    start = time.monotonic()
    stack.launch_rasa()
    base = f"http://127.0.0.1:{rasa_port}"
    try:
        ready = first_reply_time(base, start + timeout)
    except BaseException:
        stack.stop()
        raise
    return Running(stack, base, ready - start)
