"""Child processes of the devnets (anvil, the Solana RPC server): a free loopback port, and dying with the parent."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import IO, Any, Self

import httpx

from payments.evm.rpc import RpcClient
from payments.jsonrpc import RpcError, RpcUnavailable

PR_SET_PDEATHSIG = 1


class DevnetError(RuntimeError):
    """The devnet could not be started or provisioned."""


def write_devnet_section(data_dir: Path, section: str, content: dict) -> Path:
    """Merge {section: content} into data_dir/devnet.json (other chains' sections survive), atomically and with mode
    0600: it holds test keys."""
    path = data_dir / "devnet.json"
    try:
        existing = json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        existing = {}
    text = json.dumps({**existing, section: content}, indent=2) + "\n"
    tmp = path.with_name(f".devnet.json.{section}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.chmod(tmp, 0o600)  # O_CREAT's mode is filtered by the umask, and an old tmp file keeps its mode
    os.replace(tmp, path)
    return path


@contextlib.asynccontextmanager
async def devnet_rpc(rpc_url: str, timeout: float = 10.0) -> AsyncIterator[RpcClient]:
    """payments' JSON-RPC client on a devnet, closed on exit; an RPC failure inside is a DevnetError."""
    rpc = RpcClient(rpc_url, timeout=timeout)
    try:
        yield rpc
    except (RpcError, RpcUnavailable) as exc:
        raise DevnetError(f"{rpc_url}: {exc.message}") from exc
    finally:
        await rpc.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def die_with_parent() -> Callable[[], None] | None:
    """A preexec_fn asking the kernel to SIGTERM the child when its parent dies (a SIGKILLed service must not
    leave chains behind; anvil has no --ppid option).

    Linux ties PDEATHSIG to the *thread* that forked: start children from a thread that lives as long as its owner.
    """
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # resolved before fork: the child only calls it
    parent = os.getpid()

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return preexec


class ChainProcess:
    """A local chain (anvil, the Solana RPC server) as our child on 127.0.0.1, ended only through its own PID.

    Popen, not asyncio's subprocess: it is bound to no event loop, so any loop (or none) can stop it. Subclasses
    say how to start it (`command`) and how to tell it is ready (`is_ready`)."""

    name = "chain"
    start_timeout_s = 15.0
    stop_grace_s = 5.0

    def __init__(self, proc: subprocess.Popen[bytes], port: int, log_path: Path | None) -> None:
        self._proc = proc
        self.port = port
        self.pid = proc.pid
        self.rpc_url = f"http://127.0.0.1:{port}"
        self.log_path = log_path

    async def is_ready(self, client: httpx.AsyncClient) -> bool:
        raise NotImplementedError

    async def ask(self, client: httpx.AsyncClient, method: str) -> Any:
        """One parameterless JSON-RPC call for `is_ready` (a KeyError when it answers with an error)."""
        body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": []}
        return (await client.post(self.rpc_url, json=body)).json()["result"]

    @classmethod
    async def launch(
        cls, command: Callable[[int], list[str]], port: int | None, log_path: Path | None, cwd: Path | None = None
    ) -> Self:
        """Start `command(port)` and wait until it answers; a free port is picked (and retried) when none is given."""
        attempts = 1 if port is not None else 3  # a picked port can be taken by someone else before the child binds
        for attempt in range(attempts):
            child = cls._spawn(command, port or free_port(), log_path, cwd)
            try:
                await child._wait_ready()
                return child
            except DevnetError:
                await child.stop()
                if attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")

    @classmethod
    def _spawn(cls, command: Callable[[int], list[str]], port: int, log_path: Path | None, cwd: Path | None) -> Self:
        # truncated per start: chains log every RPC call, so an appended log would grow without bound
        log: IO[bytes] | int = log_path.open("wb") if log_path else subprocess.DEVNULL
        try:
            proc = subprocess.Popen(
                command(port),
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=die_with_parent(),  # only calls a prctl resolved before the fork
            )
        finally:
            if not isinstance(log, int):
                log.close()
        return cls(proc, port, log_path)

    async def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout_s
        async with httpx.AsyncClient(timeout=1) as client:
            while time.monotonic() < deadline:
                if self._proc.poll() is not None:
                    raise DevnetError(f"{self.name} exited with {self._proc.returncode}{self._log_tail()}")
                with contextlib.suppress(httpx.TransportError, ValueError, KeyError):
                    if await self.is_ready(client):
                        return
                await asyncio.sleep(0.02)
        raise DevnetError(
            f"{self.name} did not answer on {self.rpc_url} within {self.start_timeout_s:.0f} s{self._log_tail()}"
        )

    def _log_tail(self) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n" + self.log_path.read_text(errors="replace")[-2000:]

    @property
    def running(self) -> bool:
        return self._proc.poll() is None

    async def stop(self) -> None:
        """SIGTERM, then SIGKILL after a grace period; always by this child's PID."""
        if self._proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            self._proc.send_signal(signal.SIGTERM)
        if await self._reaped_within(self.stop_grace_s):
            return
        with contextlib.suppress(ProcessLookupError):
            self._proc.kill()
        await self._reaped_within(self.stop_grace_s)

    async def _reaped_within(self, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while self._proc.poll() is None:
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(0.02)
        return True
