"""Servers the tests (and the benchmarks) run as real processes, each a `ChildProcess` (a command in a session of
its own): `ServerProcess`, any server command on a free loopback port; `LiveServer`, forge402 itself (`python -m
app.cli serve`) for the end-to-end tests that need a real socket; `WorkerProcess`, a `forge402 worker`.
`ThreadedServer` serves fakes from a thread of the test process. The plain request/response tests run the service
in-process instead (`tests.inprocess`)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Self

import httpx
import uvicorn

from app.config import Settings
from app.devnet.processes import free_port
from tests import backends
from tests.settings import TEST_ENV, settings_from, store_env

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def clean_environment(extra: dict[str, str]) -> dict[str, str]:
    """This process's environment without any FORGE402_* setting (a developer's shell must not leak into a server
    under test), plus `extra`."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith("FORGE402_")}, **extra}


class ChildProcess:
    """`command` as a child in a session of its own (so `kill` and `stop` reach its whole process group: engine
    processes too), its output in `log_path`; started once `ready()` says so."""

    start_timeout: float = 30  # seconds `start` waits for `ready()`
    stop_grace: float = 15  # seconds `stop` waits after SIGTERM before SIGKILL

    def __init__(
        self, command: list[str], env: dict[str, str], log_path: Path, *, name: str, cpus: set[int] | None = None
    ) -> None:
        self.name = name
        self.command = command
        self.env = env
        self.log_path = log_path
        self.cpus = cpus  # pin the child to these CPUs (benchmarks)
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def ready(self) -> bool:
        raise NotImplementedError

    def start(self, timeout: float | None = None) -> Self:
        timeout = self.start_timeout if timeout is None else timeout
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        cpus = self.cpus
        pin: Callable[[], None] | None = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                start_new_session=True, preexec_fn=pin,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while not self.ready():
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}:\n{self.log()}")
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"{self.name} did not start in {timeout} s:\n{self.log()}")
            time.sleep(0.05)
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:] if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL the whole process group: server, engine processes, everything, as a crash would."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        self.proc = None

    def stop(self, grace: float | None = None) -> int | None:
        """SIGTERM the process group, then SIGKILL after `grace` seconds; the exit code when it exited by itself."""
        if self.proc is None:
            return None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            code = self.proc.wait(self.stop_grace if grace is None else grace)
        except subprocess.TimeoutExpired:
            self.kill()
            return None
        self.proc = None
        return code

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class ServerProcess(ChildProcess):
    """`command` as a child in its own session, healthy once GET `health` (/healthz) answers 200; `{port}` in the
    command and the log path is the free port it gets."""

    def __init__(
        self,
        command: list[str],
        env: dict[str, str],
        log_path: Path,
        *,
        name: str = "server",
        cpus: set[int] | None = None,  # pin the server to these CPUs (benchmarks)
        port: int | None = None,  # a port the caller chose (one the server reads from `env`); else a free one
        health: str = "/healthz",
    ) -> None:
        self.health = health
        self.port = port or free_port()
        self.url = f"http://{HOST}:{self.port}"
        command = [part.format(port=self.port) for part in command]
        super().__init__(command, env, Path(str(log_path).format(port=self.port)), name=name, cpus=cpus)

    def ready(self) -> bool:
        with contextlib.suppress(httpx.TransportError):
            return httpx.get(self.url + self.health, timeout=1).status_code == 200
        return False

    def client(self, **options: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, **{"timeout": 30, **options})


class LiveServer(ServerProcess):
    """forge402 (`python -m app.cli serve`) in `data_dir` with the test settings (`tests.settings`) on the current
    backend (`tests.backends`) plus `env`; no local devnet unless `env` asks for one (paid-lane tests point the
    server at their own chain). `args`: more `serve` options (`--no-engine`)."""

    def __init__(
        self,
        data_dir: Path,
        env: dict[str, str] | None = None,
        workers: int = 1,
        *,
        cpus: set[int] | None = None,
        log_path: Path | None = None,  # default: server-<port>.log in data_dir
        log_level: str = "warning",
        args: tuple[str, ...] = (),
    ) -> None:
        self.data_dir = data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        settings = node_env(data_dir) | (env or {})
        command = [sys.executable, "-m", "app.cli", "serve", "--host", HOST, "--port", "{port}"]
        command += ["--workers", str(workers), "--log-level", log_level, *args]
        log = log_path or data_dir / "server-{port}.log"
        super().__init__(command, clean_environment(settings), log, name="forge402", cpus=cpus)

    @property
    def settings(self) -> Settings:
        """The Settings the server reads (where its files are, for the tests that look)."""
        env = {k: v for k, v in self.env.items() if k.startswith("FORGE402_") and k != "FORGE402_DATA_DIR"}
        return settings_from(self.data_dir, env)


def node_env(data_dir: Path) -> dict[str, str]:
    """What every node the tests start in `data_dir` runs with: the test settings, the current store backend
    (tests.backends) and the suite's file store (tests.settings)."""
    return {"FORGE402_DATA_DIR": str(data_dir), "FORGE402_DEVNET": "0", **TEST_ENV,
            **backends.current().server_env(data_dir), **store_env(data_dir)}  # fmt: skip


class WorkerProcess(ChildProcess):
    """`forge402 worker` (engine work and webhooks, no HTTP) in `data_dir` on the current backend, in a session of its
    own; started once its log says it runs. `kill` is a crash (the whole group: its engine processes too), `stop` a
    SIGTERM (it drains); leaving its `with` block kills it."""

    start_timeout = 60
    stop_grace = 30

    def __init__(self, data_dir: Path, env: dict[str, str] | None = None, concurrency: int = 1) -> None:
        self.data_dir = data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        # at info: its start is the line that says it runs
        command = [sys.executable, "-m", "app.cli", "worker", "--concurrency", str(concurrency),
                   "--log-level", "info"]  # fmt: skip
        env = clean_environment(node_env(data_dir) | (env or {}))
        super().__init__(command, env, data_dir / f"worker-{id(self)}.log", name="worker")

    def ready(self) -> bool:
        return "forge402 worker:" in self.log()

    def __exit__(self, *exc: object) -> None:
        self.kill()


# ---- child processes of a server (its devnets) ------------------------------------------------------------------


def alive(pid: int) -> bool:
    """The process runs (a zombie nobody has reaped yet does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    with contextlib.suppress(FileNotFoundError):
        return "\nState:\tZ" not in status.read_text()
    return False


def devnet_port(data_dir: Path, chain: str) -> str:
    """The RPC port of the devnet ("evm" or "svm") a server described in its devnet.json."""
    return json.loads((data_dir / "devnet.json").read_text())[chain]["rpc_url"].rsplit(":", 1)[1]


def child_pid(pattern: str) -> int:
    """The one process whose command line matches `pattern` (pgrep -f)."""
    out = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True, check=False)
    pids = [int(p) for p in out.stdout.split()]
    assert len(pids) == 1, out.stdout
    return pids[0]


def wait_gone(pid: int, timeout: float = 10) -> None:
    """Wait until process `pid` no longer runs; fails the test past `timeout`."""
    deadline = time.monotonic() + timeout
    while alive(pid):
        assert time.monotonic() < deadline, f"process {pid} outlived its owner"
        time.sleep(0.05)


class ThreadedServer:
    """An ASGI app served by uvicorn on 127.0.0.1:<free port> from a daemon thread, inside the test process (for
    fakes and helpers the tests talk to; the service itself runs as its own process, see LiveServer)."""

    def __init__(self, app: Any, name: str) -> None:
        self.name = name
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        config = uvicorn.Config(app, host=HOST, port=self.port, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True, name=name)

    def start(self) -> Self:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f"{self.name} did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
