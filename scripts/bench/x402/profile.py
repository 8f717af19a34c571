"""`--profile`: py-spy samples forge402's server process during the unpaid c=32 run and the paid c=1 batch; the top
frames (by own time and by inclusive time) go into the report, so a figure comes with where its time goes.

py-spy is installed on first use into .bench/tools (pip --target); it reads the process from outside (ptrace), so the
server runs unchanged. Samples are wall-clock samples of threads that are not idle, at 250 Hz.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from scripts.bench.x402.knobs import LOG_DIR, WORK_DIR
from scripts.bench.x402.stats import log

TOOLS_DIR = WORK_DIR / "tools"
PY_SPY_VERSION = "0.4.3"
RATE_HZ = 250
TOP = 25


def py_spy() -> Path:
    binary = TOOLS_DIR / "bin" / "py-spy"
    if not binary.exists():
        log(f"installing py-spy {PY_SPY_VERSION} into .bench/tools")
        pip = [sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--target"]
        subprocess.run([*pip, str(TOOLS_DIR), f"py-spy=={PY_SPY_VERSION}"], check=True)
    return binary


@contextlib.asynccontextmanager
async def profiled(pid: int, label: str, into: dict[str, Any]) -> AsyncIterator[None]:
    """Sample `pid` while the block runs; its top frames land in `into[label]`."""
    raw = LOG_DIR / f"profile-{label}.txt"
    cmd = [str(py_spy()), "record", "-p", str(pid), "-r", str(RATE_HZ), "--nonblocking", "-f", "raw", "-o", str(raw)]
    proc = await asyncio.create_subprocess_exec(*cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    await asyncio.sleep(0.5)  # py-spy attaches
    try:
        yield
    finally:
        proc.send_signal(2)  # py-spy writes its output on SIGINT
        await proc.wait()
        into[label] = top_frames(raw) if raw.exists() else {"error": "py-spy wrote nothing"}


_FRAME = re.compile(r" \((.*?):\d+\)")
_CHECKOUT = f"{WORK_DIR.parent}/"
# the frames every sample of a thread sits under (the command line, the server, the event loop, a pool thread): left
# out of the inclusive view, which then starts where the work does
_ENTRY_FRAMES = (
    "(<frozen runpy>)",
    "(app/cli/__main__.py)",
    "(app/cli/serve.py)",
    "(click/core.py)",
    "(uvicorn/main.py)",
    "(uvicorn/server.py)",
    "(uvicorn/_compat.py)",
    "(asyncio/runners.py)",
    "(asyncio/base_events.py)",
    "(asyncio/events.py)",
    "(threading.py)",
    "(concurrent/futures/thread.py)",
)


def _name(frame: str) -> str:
    """'func (/abs/path/to/module.py:12)' as 'func (path from site-packages or from the checkout)'."""
    return _FRAME.sub(lambda m: " (" + m.group(1).split("site-packages/")[-1].removeprefix(_CHECKOUT) + ")", frame)


def top_frames(raw: Path, top: int = TOP) -> dict[str, Any]:
    """Share of samples per frame: where each sample was (own) and every frame on its stack (inclusive)."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [_name(f) for f in stack.split(";")]
        total += int(count)
        own[frames[-1]] += int(count)
        for frame in set(frames):
            if not frame.endswith(_ENTRY_FRAMES):
                inclusive[frame] += int(count)

    def share(counter: Counter[str]) -> list[list[Any]]:
        return [[round(100 * n / total, 1), frame] for frame, n in counter.most_common(top)]

    return {"samples": total, "own_percent": share(own), "inclusive_percent": share(inclusive)} if total else {}
