"""On a chain that shows transactions within milliseconds (a local node), a settlement is sent with
`eth_sendRawTransactionSync` (EIP-7966) and its receipt comes with the send: two JSON-RPC calls per payment, the
simulation and the send. A node that does not know the method is asked the usual way, and never again."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from app.devnet.anvil import EvmDevnet
from payments.evm.rpc import RpcClient, SyncUnsupported
from tests.payments.conftest import (
    FINGERPRINT,
    OFFER,
    REQUEST_JSON,
    Fulfilments,
    fresh_pay_to,
    sign,
    started_gateway,
    transfers_to,
    v2_headers,
)

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL

PAYMENTS = 6
LEARNING = 3  # waits the pace needs before it calls a chain quick


def test_a_quick_chain_is_paid_in_two_calls_per_payment(evm_devnet: EvmDevnet, tmp_path: Path) -> None:
    async def main() -> None:
        pay_to = fresh_pay_to()
        async with started_gateway(evm_devnet, tmp_path / "f.db", pay_to) as gw:
            scheme = gw.schemes["eip155:84532"]
            calls: list[str] = []
            scheme.rpc._observe = lambda method, seconds, ok: calls.append(method)
            fulfil = Fulfilments()
            per_payment = []
            for i in range(PAYMENTS):
                calls.clear()
                payload = sign(evm_devnet, evm_devnet.payers[i % len(evm_devnet.payers)], pay_to)
                out = await gw.charge(v2_headers(gw, payload), OFFER, f"{FINGERPRINT}{i}", REQUEST_JSON, fulfil)
                assert out.status_code == 202, out.body
                per_payment.append([m for m in calls if m != "batch"])  # a fee refresh may fall in any payment
            for sent in per_payment[:LEARNING]:  # learning the chain's pace: send, then a receipt look
                assert sent[0] == "eth_call" and sent[1] == "eth_sendRawTransaction", sent
                assert "eth_getTransactionReceipt" in sent
            for sent in per_payment[LEARNING:]:
                assert sent == ["eth_call", "eth_sendRawTransactionSync"], sent
            assert len(fulfil.calls) == PAYMENTS
            assert len(await transfers_to(evm_devnet, pay_to)) == PAYMENTS  # each moved the money once

    asyncio.run(main())


def test_what_a_node_says_to_the_sync_send_is_read_as_it_means() -> None:
    """Unknown method: SyncUnsupported (nothing was sent). EIP-7966's timeout (code 4): in the pool, no receipt yet."""

    async def node(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while line := await reader.readline():
            headers = {}
            while (header := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = header.decode().partition(":")
                headers[name.strip().lower()] = value.strip()
            call = json.loads(await reader.readexactly(int(headers["content-length"])))
            path = line.split()[1]
            error = (
                {"code": -32601, "message": "Method not found"}
                if path == b"/old"
                else {"code": 4, "message": "timed out waiting for the transaction", "data": "0x" + "ab" * 32}
            )
            body = json.dumps({"jsonrpc": "2.0", "id": call["id"], "error": error}).encode()
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
            await writer.drain()
        writer.close()

    async def main() -> None:
        server = await asyncio.start_server(node, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        try:
            with pytest.raises(SyncUnsupported):
                await RpcClient(f"http://127.0.0.1:{port}/old").send_raw_transaction_sync("0x02")
            assert await RpcClient(f"http://127.0.0.1:{port}/slow").send_raw_transaction_sync("0x02") is None
        finally:
            server.close()

    asyncio.run(main())
