"""Figures for the benchmark: percentiles, resident memory of a process tree, the result table."""

import os
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100) by linear interpolation between closest ranks (numpy's default)."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100.0
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _children(pid: int) -> List[int]:
    """Direct children of a process, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may contain spaces: the fields after ")" are fixed.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            found.append(int(entry.name))
    return found


def _status_kb(pid: int, field: str) -> int:
    """A kB field (VmRSS, VmHWM) of /proc/<pid>/status; 0 if the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    todo, total = [pid], 0
    while todo:
        current = todo.pop()
        total += _status_kb(current, "VmRSS")
        todo.extend(_children(current))
    return total / 1024.0


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and its live descendants, in seconds."""
    todo, ticks = [pid], 0
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15 of stat)
        except (OSError, IndexError, ValueError):
            pass
        todo.extend(_children(current))
    return ticks / os.sysconf("SC_CLK_TCK")


def ratio(ours: Optional[float], stock: Optional[float]) -> Optional[float]:
    """ours / stock, or None when either is unknown or stock is 0."""
    if ours is None or not stock:
        return None
    return ours / stock


def goal_met(value: Optional[float], goal: str) -> str:
    """'yes'/'NO' for a goal written like '<= 0.25' or '>= 3', '' without one."""
    if value is None or not goal:
        return ""
    op, limit = goal.split()
    ok = value <= float(limit) if op == "<=" else value >= float(limit)
    return "yes" if ok else "NO"


def table(rows: Iterable[Dict[str, object]]) -> str:
    """A Markdown table of the result rows (metric, ours, stock, ratio, goal, met)."""
    header = ["metric", "ours", "stock", "ratio", "goal", "met"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = []
        for key in header:
            value = row.get(key)
            if isinstance(value, float):
                value = f"{value:.2f}x" if key == "ratio" else f"{value:,.1f}"
            cells.append("" if value is None else str(value))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def cpu_count() -> int:
    """CPUs this process may use (for the report header)."""
    return len(os.sched_getaffinity(0))
