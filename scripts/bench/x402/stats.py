"""Small measuring helpers: the log line, percentiles and medians, a process's CPU time, base64 JSON headers."""

from __future__ import annotations

import base64
import contextlib
import json
import math
import os
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100) of unsorted values; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(q * len(ordered) / 100) - 1))
    return ordered[rank]


def rounded(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def median_of(runs: Sequence[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in runs if r.get(key) is not None]
    return rounded(statistics.median(values)) if values else None


def process_cpu_seconds(pid: int) -> float | None:
    """user + system CPU time of one process (not its children), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    """The child processes of `pid`, whichever of its threads started them (each thread lists its own)."""
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):
                found += [int(c) for c in (task / "children").read_text().split()]
    return found


def tree(pid: int) -> list[int]:
    """`pid` and all its descendants (a service and its engine processes, fork server and resource tracker)."""
    pids, frontier = [pid], [pid]
    while frontier:
        found = children(frontier.pop())
        pids += found
        frontier += found
    return pids


def pss_mb(pids: list[int]) -> float | None:
    """The summed PSS of processes, in MB: pages shared between them (an engine fork server's children) are split
    among them, so the sum is their real footprint."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                total += next((int(line.split()[1]) for line in f if line.startswith("Pss:")), 0)
        except OSError:
            continue
    return round(total / 1024, 1) if total else None


def b64_json(value: str | None) -> dict[str, Any] | None:
    if not value:
        return None
    try:
        return json.loads(base64.b64decode(value))
    except ValueError:
        return None
