"""Paid work before free work: how long each class of job waits for an engine process.

Claims take paid jobs (either lane's paid routes) before free ones, and free jobs run on at most
`Settings.free_worker_count()` of the engine processes (`app.jobs.runner`). So a paid job waits only for the paid
work queued before it, spread over every engine process; a free job waits for all the paid work and then for the
free work before it, spread over the free lane's share. The estimates are the queued jobs' own (their tier's or
backend's `eta_seconds`), in seconds of one engine process.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class QueueWaits:
    """Seconds a job submitted now waits before an engine process starts it, per class."""

    free: int
    paid: int


def queue_waits(queue: dict[str, tuple[int, int]], slots: int, free_slots: int) -> QueueWaits:
    """From `queue_by_lane` (class → (jobs, estimated seconds)) and the engine processes each class may use."""
    paid = math.ceil(queue["paid"][1] / max(1, slots))
    return QueueWaits(free=paid + math.ceil(queue["free"][1] / max(1, free_slots)), paid=paid)
