"""Helpers for paid-lane tests: a forge402 server on a devnet, balances, hand-made x402 payments, polling."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from eth_account import Account
from x402 import x402Client
from x402.http.clients import x402HttpxClient
from x402.mechanisms.evm.exact import register_exact_evm_client
from x402.mechanisms.evm.signers import EthAccountSigner

from app.devnet.anvil import EvmDevnet, Payer, usdc_balance
from app.devnet.litesvm import SvmDevnet, rpc, sol_balance, start_svm_devnet, token_balance
from app.devnet.processes import devnet_rpc
from tests import backends
from tests.devnet import sign_eip3009
from tests.live import ROOT, LiveServer

PAID = "/api/x402/forge"


def paid_env(devnet: EvmDevnet, **extra: str) -> dict[str, str]:
    """Environment that points a server at an external devnet (as production points it at a real RPC); the test
    settings come with every LiveServer."""
    return {**devnet.service_env(), **extra}


def balance(devnet: EvmDevnet, address: str) -> int:
    return asyncio.run(usdc_balance(devnet.rpc_url, address))


def decode(header: str) -> dict[str, Any]:
    return json.loads(base64.b64decode(header))


def encode(payload: dict[str, Any]) -> str:
    return base64.b64encode(json.dumps(payload).encode()).decode()


def challenge(http: httpx.Client, body: dict[str, Any] | None) -> dict[str, Any]:
    """The v2 PaymentRequired the server answers for `body` without payment."""
    answer = http.post(PAID, json=body) if body is not None else http.post(PAID)
    assert answer.status_code == 402, answer.text
    return decode(answer.headers["payment-required"])


def v2_payment(devnet: EvmDevnet, payer: Payer, accepted: dict[str, Any], **options: Any) -> str:
    """A PAYMENT-SIGNATURE header paying `accepted` (one requirement of a 402, verbatim) from `payer` (`v2_payload`)."""
    return encode(v2_payload(devnet, payer, accepted, **options))


def v2_payload(
    devnet: EvmDevnet,
    payer: Payer,
    accepted: dict[str, Any],
    *,
    value: int | None = None,
    valid_after: int | None = None,
    valid_before: int | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """The x402 v2 payment paying `accepted` from `payer`, as a client signs it (before its base64 encoding)."""
    now = int(time.time())
    payload = sign_eip3009(
        devnet,
        payer,
        accepted["payTo"],
        int(accepted["amount"]) if value is None else value,
        now - 600 if valid_after is None else valid_after,  # as the official client: a devnet idle for a minute
        # has its latest block (what verification simulates on) a minute old
        now + int(accepted["maxTimeoutSeconds"]) if valid_before is None else valid_before,
        **overrides,
    )
    return {"x402Version": 2, "accepted": accepted, "payload": payload}


def post_all(
    urls: list[str], headers: list[str], bodies: list[dict[str, Any]], concurrency: int
) -> list[httpx.Response]:
    """POST payment i to urls[i % len(urls)] (the nodes in turn), `concurrency` at a time; the answers in order."""

    def send(i: int) -> httpx.Response:
        with httpx.Client(base_url=urls[i % len(urls)], timeout=120) as http:
            return http.post(PAID, json=bodies[i], headers={"PAYMENT-SIGNATURE": headers[i]})

    with ThreadPoolExecutor(concurrency) as pool:
        return list(pool.map(send, range(len(headers))))


def facilitator_nonce(devnet: EvmDevnet, block: str = "latest") -> int:
    """How many transactions the facilitator has sent (each settlement is one)."""

    async def read() -> int:
        async with devnet_rpc(devnet.rpc_url) as rpc:
            return await rpc.transaction_count(devnet.facilitator_address, block)

    return asyncio.run(read())


def sdk_pay(url: str, payer: Payer, body: dict[str, Any], path: str = PAID) -> httpx.Response:
    """POST `body` to the paid lane (or another paid `path`) of the server at `url` as a stock agent does: the
    official Python SDK's client pays the 402 from `payer` (spend cap raised to $1)."""
    return sdk_burst(url, payer, body, 1, path)[0]


def sdk_burst(url: str, payer: Payer, body: dict[str, Any], n: int, path: str = PAID) -> list[httpx.Response]:
    """`n` such POSTs at once from one agent: each gets its own 402 and signs its own authorization."""
    client = x402Client()
    register_exact_evm_client(client, EthAccountSigner(Account.from_key(payer.private_key)))
    client.set_spend_controls({"max_amount_per_payment": "$1"})

    async def buy() -> list[httpx.Response]:
        async with x402HttpxClient(client, base_url=url, timeout=60) as agent:
            return list(await asyncio.gather(*(agent.post(path, json=body) for _ in range(n))))

    return asyncio.run(buy())


def node_client(script: str, *args: str, timeout: float = 120) -> Any:
    """Run an official TypeScript client script of tests/clients (it pays and prints one JSON line); that line."""
    run = subprocess.run(
        ["node", str(ROOT / "tests" / "clients" / script), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


def download(http: httpx.Client, url: str, path: Path) -> Path:
    answer = http.get(url)
    assert answer.status_code == 200
    path.write_bytes(answer.content)
    return path


def start_paid_server(data_dir: Path, devnet: EvmDevnet, **extra: str) -> LiveServer:
    return LiveServer(data_dir, paid_env(devnet, **extra)).start()


# ---- Solana ---------------------------------------------------------------------------------------------------------


def solana_env(devnet: SvmDevnet) -> dict[str, str]:
    """Environment that adds the Solana lane on an external LiteSVM devnet (combine with `paid_env`, or alone)."""
    return devnet.service_env()


@contextlib.contextmanager
def svm_devnet_running(data_dir: Path, slot_ms: int = 400) -> Iterator[SvmDevnet]:
    """A LiteSVM devnet child for the block (data_dir/devnet.json written); stopped on exit."""
    child, devnet = asyncio.run(start_svm_devnet(data_dir, slot_ms=slot_ms))
    try:
        yield devnet
    finally:
        asyncio.run(child.stop())


@pytest.fixture(scope="session", name="svm_devnet")
def svm_devnet_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SvmDevnet]:
    """One Solana devnet for the session. A test that holds sends or advances blocks must leave it as it found it."""
    with svm_devnet_running(tmp_path_factory.mktemp("svm-devnet")) as devnet:
        yield devnet


def svm_requirement(required: dict[str, Any]) -> dict[str, Any]:
    """The Solana entry of a v2 PaymentRequired's `accepts`."""
    return next(r for r in required["accepts"] if r["network"].startswith("solana:"))


def usdc(devnet: SvmDevnet, owner: str) -> int:
    return token_balance(devnet.rpc_url, owner, devnet.usdc_mint)


def lamports(devnet: SvmDevnet, address: str) -> int:
    return sol_balance(devnet.rpc_url, address)


def transaction_fee(devnet: SvmDevnet, signature: str) -> int:
    found = rpc(devnet.rpc_url, "getTransaction", signature, {"maxSupportedTransactionVersion": 0})
    return int(found["meta"]["fee"])


@contextlib.contextmanager
def landing_in_blocks(devnet: SvmDevnet, quiet: float = 0.5) -> Iterator[list[dict[str, Any]]]:
    """For the block, sent transactions land together once no new one has come for `quiet` seconds, as a block
    lands what was sent before it (the devnet otherwise lands each at once): payments verified meanwhile all see the
    state before any of them landed. Yields what landed, filled in as it lands: {signature, landed, err} each."""
    landed: list[dict[str, Any]] = []
    stop = threading.Event()

    def produce_blocks() -> None:
        held, since = 0, time.monotonic()
        while not stop.wait(0.02):
            count = rpc(devnet.rpc_url, "x_heldCount")
            if count != held:
                held, since = count, time.monotonic()
            elif count and time.monotonic() - since >= quiet:
                landed.extend(rpc(devnet.rpc_url, "x_releaseHeld"))
                held = 0

    rpc(devnet.rpc_url, "x_holdSends", True)
    producer = threading.Thread(target=produce_blocks, name="svm-blocks", daemon=True)
    producer.start()
    try:
        yield landed
    finally:
        stop.set()
        producer.join()
        rpc(devnet.rpc_url, "x_holdSends", False)
        landed.extend(rpc(devnet.rpc_url, "x_releaseHeld"))


# ---- crash tests ------------------------------------------------------------------------------------------------


def ledger_states(data_dir: Path) -> list[str]:
    return [state for (state,) in backends.current().rows(data_dir, "SELECT state FROM payments")]


def wait_until(condition: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def pay_then_kill(
    live: LiveServer, bodies: list[dict[str, Any]], headers: list[str], all_in_flight: Callable[[], bool]
) -> None:
    """Post every payment from its own thread; once `all_in_flight()` (every settlement sent, none confirmed),
    SIGKILL the whole service. The clients never hear back, as in a real crash."""

    def send(i: int) -> None:
        try:
            with httpx.Client(base_url=live.url, timeout=30) as http:
                http.post(PAID, json=bodies[i], headers={"PAYMENT-SIGNATURE": headers[i]})
        except httpx.TransportError:
            pass  # the service died under it

    with ThreadPoolExecutor(len(headers)) as pool:
        futures = [pool.submit(send, i) for i in range(len(headers))]
        wait_until(all_in_flight)
        assert set(ledger_states(live.data_dir)) == {"settling"}
        live.kill()
        for future in futures:
            future.result(timeout=30)
