"""Smoke tests of the benchmark's helpers (the benchmark itself is `make bench`, not a test)."""

import os
import random
import time

import numpy as np
import pytest

from smtpbot.tools.bench import stats, workload


def test_percentile_known_values():
    """Linear interpolation between closest ranks, like numpy's default."""
    values = [10, 20, 30, 40, 50]
    assert stats.percentile(values, 50) == 30
    assert stats.percentile(values, 0) == 10
    assert stats.percentile(values, 100) == 50
    assert stats.percentile(values, 95) == pytest.approx(48)
    assert stats.percentile([5, 1, 3], 50) == 3  # unsorted input
    assert stats.percentile([7], 95) == 7
    with pytest.raises(ValueError):
        stats.percentile([], 50)


def test_percentile_matches_numpy_on_random_samples():
    """Same as numpy.percentile on random latency-like samples of various sizes."""
    rng = random.Random(6)
    for size in (2, 3, 10, 99, 1000):
        values = [rng.expovariate(20) for _ in range(size)]
        for p in (50, 90, 95, 99):
            assert stats.percentile(values, p) == pytest.approx(float(np.percentile(values, p)))


def test_ratio_and_goals():
    """Ratios ours/stock and goal checks in both directions."""
    assert stats.ratio(2.0, 8.0) == 0.25
    assert stats.ratio(1.0, 0) is None and stats.ratio(None, 3.0) is None
    assert stats.goal_met(0.25, "<= 0.25") == "yes" and stats.goal_met(0.3, "<= 0.25") == "NO"
    assert stats.goal_met(3.5, ">= 3") == "yes" and stats.goal_met(2.9, ">= 3") == "NO"
    assert stats.goal_met(None, "<= 1") == "" and stats.goal_met(1.0, "") == ""


def test_tree_rss_counts_this_process():
    """Resident memory of this test process is positive and below the machine's total."""
    rss = stats.tree_rss_mb(os.getpid())
    total_mb = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**20
    assert 10 < rss < total_mb


def test_guide_scripts_walk_every_guide_to_the_end():
    """One script per guide; each expects step 1..n in order, then the test-email question."""
    scripts = workload.guide_scripts()
    assert len(scripts) == 15
    for script in scripts:
        total = len(script) - 2
        assert [expected.split(":")[0] for _, expected in script[:-2]] == [
            f"Step {n} of {total}" for n in range(1, total + 1)
        ]
        assert [text for text, _ in script[1:]] == ["done"] * total + ["yes"]


def test_tree_cpu_seconds_grows_with_work():
    """CPU time of this process rises by about the CPU work done in between."""
    before = stats.tree_cpu_seconds(os.getpid())
    deadline = time.process_time() + 0.3
    while time.process_time() < deadline:
        pass
    assert stats.tree_cpu_seconds(os.getpid()) - before >= 0.2


def test_merged_rounds_keep_every_message_and_take_the_median_throughput():
    """Rounds merged: all latencies and errors kept, throughput = the median round's, not the mean."""
    rounds = [
        workload.Result(latencies=[0.1] * 10, wall=1.0),
        workload.Result(latencies=[0.2] * 10, wall=5.0),
        workload.Result(latencies=[0.1] * 10, errors=["x"], wall=2.0),
    ]
    merged = workload.merge(rounds)
    assert len(merged.latencies) == 30 and merged.errors == ["x"]
    assert merged.round_throughputs == [10.0, 2.0, 5.0] and merged.throughput == 5.0
