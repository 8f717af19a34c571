"""The rhythm of waiting for a transaction: the first look comes when the chain usually shows one (learnt), never
sooner than 1 ms, then growing pauses; and a wait always looks at least once."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest

from payments.jsonrpc import MAX_FIRST_LOOK, Pace, polls


def test_the_first_look_follows_what_the_chain_showed() -> None:
    pace = Pace()
    assert pace.first_look() == 0.001  # nothing seen yet: as early as is useful
    for _ in range(5):
        pace.saw(2.0)  # a chain with 2-second blocks
    assert pace.first_look() == pytest.approx(1.6)  # a little before the usual time
    pace.saw(30.0)  # one slow wait does not delay the next ones
    assert pace.first_look() == pytest.approx(1.6)
    for _ in range(Pace.SAMPLES):
        pace.saw(60.0)
    assert pace.first_look() == MAX_FIRST_LOOK  # never waits past the cap before looking
    for _ in range(Pace.SAMPLES):
        pace.saw(0.0001)  # a local node: back to the earliest useful look, and never sooner than 1 ms
    assert pace.first_look() == 0.001


def test_polls_look_once_whatever_the_timeout_then_back_off() -> None:
    async def looks(timeout: float, first: float) -> list[float]:
        start, seen = time.monotonic(), []
        async for _ in polls(timeout, first):
            seen.append(time.monotonic() - start)
        return seen

    assert len(asyncio.run(looks(0.0, 0.001))) == 1
    seen = asyncio.run(looks(0.5, 0.05))
    assert seen[0] >= 0.05
    gaps = [b - a for a, b in itertools.pairwise(seen)]
    assert gaps and min(gaps) >= 0.08  # after a first look at 50 ms, no pause shorter than the next step (80 ms)
