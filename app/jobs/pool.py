"""The engine processes: one per job slot, started from a fork server that has the engine imported.

Why one process per slot (each a single-process `ProcessPoolExecutor`): a slot's process can be replaced alone,
without touching the job that runs in the other slot —
- when its job ran past the time limit (the only way to stop a running engine is to kill its process);
- when it died (out of memory, killed): its executor is broken, the slot gets a fresh one;
- when it grew past the memory limit. Building a model leaves a process bigger than it started (numpy's buffers, the
  rasteriser's, caches filled on first use), and the fork server's preloaded pages it shared turn private as they
  are touched. So after every job the process hands what malloc holds free back to the system, measures what it
  holds alone (its private memory, USS), and past `memory_limit_mb` the slot starts a fresh process, which shares
  the preloaded engine again. Recycling costs a fork (tens of ms), between jobs.

Provider jobs check downloaded models here too (`submit`, the `Executor` interface): in the slots' processes in turn.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import itertools
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from app.jobs.execute import warm_up
from app.logs import LogFormat

T = TypeVar("T")

# Imported once in the fork server, so every engine process starts with them loaded and shares their pages
# (copy-on-write) instead of holding a private copy each: the engines import these lazily.
ENGINE_PRELOAD = [
    "app.jobs.engine_signals",  # first: the fork server ignores SIGTERM (the parent drains)
    "app.jobs.execute",
    "app.engines.local.text",
    "app.engines.local.photo",
    "numpy",
    "scipy.ndimage",
    "scipy.spatial",
    "trimesh",
    "fast_simplification",
    "skimage.measure",
    "PIL.Image",
    "app.jobs.freeze",  # last: keeps the collector off everything above, so its pages stay shared
]


@dataclass(frozen=True, slots=True)
class Measured(Generic[T]):
    """A job's result and the private memory (MB) its process held once the job was done."""

    result: T
    private_mb: float


def private_mb(pid: int | str = "self") -> float:
    """Memory only this process holds (Private_Clean + Private_Dirty of smaps_rollup), in MB; 0 where unknown."""
    total = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith(("Private_Clean:", "Private_Dirty:")):
                    total += int(line.split()[1])
    except OSError:
        return 0.0
    return total / 1024


def release_free_memory() -> None:
    """Give back to the system what malloc keeps after frees (glibc keeps freed heap for reuse): after a high-tier
    model that is most of what the job grew by. A no-op where malloc_trim does not exist."""
    name = ctypes.util.find_library("c")
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(name).malloc_trim(0)


def measured(fn: Callable[..., T], *args: Any) -> Measured[T]:
    """In the engine process: run the job, release free memory, report what the process keeps."""
    result = fn(*args)
    release_free_memory()
    return Measured(result, private_mb())


def _executor(log_format: LogFormat) -> ProcessPoolExecutor:
    # forkserver: engine processes never inherit the event loop's threads or sockets; the fork server imports the
    # engine once, so starting (or replacing) an engine process is cheap. Their log lines look like ours.
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(ENGINE_PRELOAD)
    level = logging.getLevelName(logging.getLogger("forge402").getEffectiveLevel())
    return ProcessPoolExecutor(max_workers=1, mp_context=ctx, initializer=warm_up, initargs=(level, log_format))


def _kill(executor: ProcessPoolExecutor) -> None:
    # ProcessPoolExecutor has no public way to stop a running call (3.14 adds kill_workers()).
    for process in list(getattr(executor, "_processes", {}).values()):
        with contextlib.suppress(Exception):
            process.kill()
    executor.shutdown(wait=False, cancel_futures=True)


class EnginePool(Executor):
    def __init__(self, slots: int, memory_limit_mb: float, log_format: LogFormat = "json") -> None:
        self.memory_limit_mb = memory_limit_mb
        self.log_format = log_format
        self.recycled = 0  # processes replaced for their memory (for logs and tests)
        self._executors = [_executor(log_format) for _ in range(slots)]
        self._turn = itertools.count()

    async def run(self, slot: int, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` in `slot`'s process; that process is replaced afterwards if it grew past the memory limit.
        Raises what `fn` raised, or BrokenProcessPool when the process died (the slot is then replaced)."""
        executor = self._executors[slot]
        loop = asyncio.get_running_loop()
        try:
            done: Measured[T] = await loop.run_in_executor(executor, measured, fn, *args)
        except BrokenProcessPool:
            self.replace(slot, executor)
            raise
        if done.private_mb > self.memory_limit_mb:
            self.recycled += 1
            self.replace(slot, executor)
        return done.result

    def replace(self, slot: int, executor: ProcessPoolExecutor | None = None) -> None:
        """Kill `slot`'s process (running or not) and give the slot a fresh one; a no-op if `executor` is given and
        already replaced."""
        current = self._executors[slot]
        if executor is not None and current is not executor:
            return
        _kill(current)
        self._executors[slot] = _executor(self.log_format)

    def pids(self) -> list[int]:
        """The engine processes running now (started lazily by each executor)."""
        return [pid for e in self._executors for pid in getattr(e, "_processes", {})]

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        """The `Executor` interface (provider jobs' checks): the slots' processes in turn."""
        executor = self._executors[next(self._turn) % len(self._executors)]
        return executor.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        for executor in self._executors:
            _kill(executor)
