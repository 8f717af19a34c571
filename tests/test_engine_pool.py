"""The engine processes (`app.jobs.pool`): one per slot, replaced alone when they time out or grow past the memory
limit, forked from a fork server whose preloaded engine the collector leaves alone (so its pages stay shared)."""

from __future__ import annotations

import asyncio
import gc
import os
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest

from app.jobs.pool import EnginePool

T = TypeVar("T")
DEADLINE_S = 60.0  # generous bound on each pool call: a loaded CI machine forks slowly


def engine_pid() -> int:
    return os.getpid()


def frozen_objects() -> int:
    return gc.get_freeze_count()


_kept: list[bytearray] = []


def grow_then_pid(mb: int) -> int:
    """A job that leaves its process `mb` MB bigger (as caches and fragmented heaps do)."""
    _kept.append(bytearray(os.urandom(1024)) * (mb * 1024))
    return os.getpid()


def sleep_then_pid(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


@pytest.fixture
def pool(request: pytest.FixtureRequest) -> Iterator[EnginePool]:
    slots, limit = getattr(request, "param", (1, 10_000))
    engines = EnginePool(slots, limit)
    try:
        yield engines
    finally:
        engines.shutdown()


def run(pool: EnginePool, slot: int, fn: Callable[..., T], *args: Any) -> T:
    return asyncio.run(asyncio.wait_for(pool.run(slot, fn, *args), DEADLINE_S))


@pytest.mark.parametrize("pool", [(1, 100)], indirect=True)
def test_an_engine_process_is_replaced_between_jobs_once_it_grew_past_the_memory_limit(pool: EnginePool) -> None:
    first = run(pool, 0, engine_pid)
    assert first != os.getpid()
    assert run(pool, 0, grow_then_pid, 40) == first and pool.recycled == 0  # under the limit: kept
    assert run(pool, 0, grow_then_pid, 80) == first and pool.recycled == 1  # past it after this job: replaced
    assert run(pool, 0, engine_pid) != first


@pytest.mark.parametrize("pool", [(2, 10_000)], indirect=True)
def test_a_slot_whose_job_ran_too_long_is_replaced_alone(pool: EnginePool) -> None:
    other = run(pool, 1, engine_pid)

    async def too_long() -> None:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(pool.run(0, sleep_then_pid, 30.0), 0.5)
        pool.replace(0)  # what the runner does at a job's time limit

    asyncio.run(too_long())
    assert run(pool, 1, engine_pid) == other  # the other slot's process was not touched
    assert run(pool, 0, engine_pid) not in (other, os.getpid())


def test_the_preloaded_engine_is_kept_out_of_the_collectors_reach(pool: EnginePool) -> None:
    assert run(pool, 0, frozen_objects) > 10_000  # app.jobs.freeze ran in the fork server after the preload
