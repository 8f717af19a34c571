"""forge402's paid tools over MCP on the local Base devnet, paid by the official x402 MCP client (`x402.mcp`): the
payment in `_meta["x402/payment"]`, the settlement in `_meta["x402/payment-response"]`, one ledger with the HTTP
lane (the same payment is the same job on either transport), and every bad payment refused before money moves."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import ClientSession
from x402.schemas import PaymentRequired

from app.devnet.anvil import EvmDevnet, Payer
from tests.api import wait_done
from tests.devnet import evm_devnet_fixture  # noqa: F401
from tests.gltf_validator import validate_glbs
from tests.live import LiveServer
from tests.mcp_clients import evm_x402, http_session, in_session, paying, structured
from tests.paid import PAID, balance, encode, paid_env

DRAFT = {"prompt": "a wooden crate", "tier": "draft"}
PRICE = 50_000  # the draft tier


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, evm_devnet: EvmDevnet) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("mcp-paid"), paid_env(evm_devnet, FORGE402_FAST_LANE_MS="0")) as live:
        yield live


async def payment_for(session: ClientSession, payer: Payer, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """The call's `_meta` carrying a payment the official x402 client signed for the tool's first answer."""
    first = await session.call_tool(tool, arguments)
    assert first.isError, first
    payload = await evm_x402(payer).create_payment_payload(PaymentRequired.model_validate(structured(first)))
    return {"x402/payment": payload.model_dump(by_alias=True, exclude_none=True)}


def settlement(result: Any) -> dict[str, Any]:
    assert result.meta is not None, result
    return result.meta["x402/payment-response"]


def test_tools_are_listed_with_their_prices_per_tier_and_network(server: LiveServer) -> None:
    async def scenario(session: ClientSession) -> None:
        tools = {tool.name: tool for tool in (await session.list_tools()).tools}
        assert {"forge_generate", "forge_retopo", "forge_generate_free", "forge_status"} <= set(tools)
        paid = tools["forge_generate"]
        assert "draft $0.05" in paid.description and "high $0.5" in paid.description
        assert "eip155:84532" in paid.description
        prices = paid.meta["forge402/prices"]["by_tier"]
        assert prices["standard"] == {"price_usdc_atomics": 150_000, "networks": ["eip155:84532"]}
        assert "$0.1 USDC" in tools["forge_retopo"].description

    in_session(server.url, scenario)
    with server.client() as http:
        prices = http.get(PAID).json()
        assert set(prices) == {"draft", "standard", "high"}  # tiers only: clients iterate over them
        assert prices["draft"]["mcp"] == {"endpoint": server.url + "/mcp", "tool": "forge_generate"}
        items = http.get("/.well-known/x402.json").json()["items"]
    tools = [item for item in items if item["type"] == "mcp"]
    assert {item["input"]["tool"] for item in tools} == {"forge_generate", "forge_retopo"}
    assert all(item["input"]["endpoint"] == server.url + "/mcp" for item in tools)
    assert {item["resource"]["url"] for item in tools} == {"mcp://tool/forge_generate", "mcp://tool/forge_retopo"}


def test_the_official_x402_mcp_client_pays_on_base_and_gets_its_model(
    server: LiveServer, evm_devnet: EvmDevnet, tmp_path: Path
) -> None:
    before = balance(evm_devnet, evm_devnet.pay_to)

    async def scenario(session: ClientSession) -> Any:
        unpaid = await session.call_tool("forge_generate", DRAFT)  # the spec's first answer
        required = structured(unpaid)
        assert unpaid.isError and required["x402Version"] == 2 and required["accepts"][0]["amount"] == str(PRICE)
        assert required["resource"]["url"] == "mcp://tool/forge_generate"
        assert required["extensions"]["bazaar"]["info"]["input"]["toolName"] == "forge_generate"
        wrapped = json.loads(unpaid.content[0].text)["x402/error"]
        assert wrapped["code"] == 402 and wrapped["data"] == required
        agent = paying(session, evm_x402(evm_devnet.payers[0]))
        return await agent.call_tool("forge_generate", {**DRAFT, "wait": True})

    result = in_session(server.url, scenario)
    assert result.payment_made and not result.is_error, result
    assert result.payment_response.success and result.payment_response.transaction.startswith("0x")
    job = structured(result)
    assert job["status"] == "done" and job["tier"] == "draft"
    path = tmp_path / "paid.glb"
    path.write_bytes(httpx.get(job["glb_url"]).content)
    assert validate_glbs([path])[path]["errors"] == 0
    assert balance(evm_devnet, evm_devnet.pay_to) - before == PRICE


def test_the_same_payment_twice_is_the_same_job_on_mcp_and_on_http(server: LiveServer, evm_devnet: EvmDevnet) -> None:
    before = balance(evm_devnet, evm_devnet.pay_to)

    async def scenario(session: ClientSession) -> tuple[Any, Any, dict[str, Any]]:
        meta = await payment_for(session, evm_devnet.payers[1], "forge_generate", DRAFT)
        first = await session.call_tool("forge_generate", DRAFT, meta=meta)
        again = await session.call_tool("forge_generate", {**DRAFT, "wait": False}, meta=meta)  # a retried call
        return first, again, meta

    first, again, meta = in_session(server.url, scenario)
    assert not first.isError and not again.isError, (first, again)
    assert structured(first)["job_id"] == structured(again)["job_id"]
    assert settlement(first) == settlement(again) and settlement(first)["success"] is True
    with server.client() as http:  # the same payment and body over HTTP: the same ledger row, the same job
        over_http = http.post(PAID, json=DRAFT, headers={"PAYMENT-SIGNATURE": encode(meta["x402/payment"])})
        assert over_http.status_code == 202 and over_http.json()["job_id"] == structured(first)["job_id"]
    assert balance(evm_devnet, evm_devnet.pay_to) - before == PRICE


def test_a_payment_replayed_on_other_arguments_is_a_conflict(server: LiveServer, evm_devnet: EvmDevnet) -> None:
    before = balance(evm_devnet, evm_devnet.pay_to)

    async def scenario(session: ClientSession) -> tuple[Any, Any]:
        meta = await payment_for(session, evm_devnet.payers[1], "forge_generate", DRAFT)
        paid = await session.call_tool("forge_generate", DRAFT, meta=meta)
        replayed = await session.call_tool("forge_generate", {**DRAFT, "prompt": "a different crate"}, meta=meta)
        return paid, replayed

    paid, replayed = in_session(server.url, scenario)
    assert not paid.isError
    assert replayed.isError and structured(replayed)["error"] == "payment_conflict"
    assert "accepts" not in structured(replayed)  # not a payment request: paying again would not help
    assert balance(evm_devnet, evm_devnet.pay_to) - before == PRICE


def test_a_payment_for_another_tier_or_another_tool_is_refused_with_the_requirements(
    server: LiveServer, evm_devnet: EvmDevnet
) -> None:
    before = balance(evm_devnet, evm_devnet.pay_to)
    with server.client() as http:  # a finished job to retopologize
        source = wait_done(http, http.post("/api/forge", json=DRAFT).json()["job_id"])["job_id"]

    async def scenario(session: ClientSession) -> tuple[Any, Any]:
        meta = await payment_for(session, evm_devnet.payers[2], "forge_generate", DRAFT)  # pays $0.05
        high = await session.call_tool("forge_generate", {**DRAFT, "tier": "high"}, meta=meta)
        retopo = await session.call_tool("forge_retopo", {"job_id": source, "face_limit": 200}, meta=meta)
        return high, retopo

    high, retopo = in_session(server.url, scenario)
    for result, price, tool in ((high, "500000", "forge_generate"), (retopo, "100000", "forge_retopo")):
        required = structured(result)
        assert result.isError and required["error"] == "invalid_payment_requirements", required
        assert required["accepts"][0]["amount"] == price and required["resource"]["url"] == f"mcp://tool/{tool}"
        assert "amount" in json.loads(result.content[0].text)["x402/error"]["message"]
    assert balance(evm_devnet, evm_devnet.pay_to) == before


def test_a_payment_whose_signature_does_not_verify_is_refused(server: LiveServer, evm_devnet: EvmDevnet) -> None:
    before = balance(evm_devnet, evm_devnet.pay_to)

    async def scenario(session: ClientSession) -> tuple[Any, Any]:
        meta = await payment_for(session, evm_devnet.payers[2], "forge_generate", DRAFT)
        signature = meta["x402/payment"]["payload"]["signature"]
        forged = json.loads(json.dumps(meta))
        forged["x402/payment"]["payload"]["signature"] = signature[:-6] + ("00" if signature[-6:-4] != "00" else "11")
        forged["x402/payment"]["payload"]["signature"] += signature[-4:]
        refused = await session.call_tool("forge_generate", DRAFT, meta=forged)
        garbage = await session.call_tool("forge_generate", DRAFT, meta={"x402/payment": "not a payment"})
        return refused, garbage

    refused, garbage = in_session(server.url, scenario)
    assert refused.isError and structured(refused)["error"] == "invalid_exact_evm_payload_signature"
    assert structured(refused)["accepts"]  # the client may pay again
    assert garbage.isError and structured(garbage)["error"] == "invalid_payload"
    assert balance(evm_devnet, evm_devnet.pay_to) == before


def test_bad_arguments_with_a_payment_are_refused_before_any_money_moves(
    server: LiveServer, evm_devnet: EvmDevnet
) -> None:
    before = balance(evm_devnet, evm_devnet.pay_to)

    async def scenario(session: ClientSession) -> tuple[Any, Any, Any]:
        meta = await payment_for(session, evm_devnet.payers[0], "forge_generate", DRAFT)
        short = await session.call_tool("forge_generate", {**DRAFT, "prompt": "x"}, meta=meta)
        typed = await session.call_tool("forge_generate", {**DRAFT, "seed": "seven"}, meta=meta)
        return short, typed, await session.call_tool("forge_generate", DRAFT, meta=meta)

    short, typed, paid = in_session(server.url, scenario)
    assert short.isError and structured(short)["error"] == "invalid_field"
    assert typed.isError and structured(typed)["error"] == "invalid_field"
    assert balance(evm_devnet, evm_devnet.pay_to) - before == PRICE and not paid.isError  # still good after


def test_twenty_concurrent_calls_with_one_payment_settle_once_for_one_job(
    server: LiveServer, evm_devnet: EvmDevnet
) -> None:
    before = balance(evm_devnet, evm_devnet.pay_to)

    async def scenario() -> list[Any]:
        async with http_session(server.url) as session:
            meta = await payment_for(session, evm_devnet.payers[1], "forge_generate", DRAFT)

        async def call() -> Any:
            async with http_session(server.url) as own:
                return await own.call_tool("forge_generate", DRAFT, meta=meta)

        return list(await asyncio.gather(*(call() for _ in range(20))))

    results = asyncio.run(scenario())
    assert not any(result.isError for result in results), [structured(r) for r in results if r.isError]
    assert len({structured(result)["job_id"] for result in results}) == 1
    assert len({settlement(result)["transaction"] for result in results}) == 1
    assert balance(evm_devnet, evm_devnet.pay_to) - before == PRICE


def test_a_client_that_hangs_up_mid_generation_still_gets_its_job(server: LiveServer, evm_devnet: EvmDevnet) -> None:
    before = balance(evm_devnet, evm_devnet.pay_to)
    body = {"prompt": "a carved stone column", "tier": "standard"}

    async def hang_up() -> dict[str, Any]:
        started = asyncio.Event()

        async def on_progress(value: float, total: float | None, message: str | None) -> None:
            started.set()

        async with http_session(server.url) as session:
            meta = await payment_for(session, evm_devnet.payers[2], "forge_generate", body)
            waiting = asyncio.create_task(
                session.call_tool("forge_generate", {**body, "wait": True}, meta=meta, progress_callback=on_progress)
            )
            await asyncio.wait_for(started.wait(), 60)  # paid, the job exists and runs: now the client goes away
            waiting.cancel()
        return meta

    meta = asyncio.run(hang_up())

    async def come_back(session: ClientSession) -> dict[str, Any]:
        job_id = structured(await session.call_tool("forge_generate", body, meta=meta))["job_id"]  # the stored job
        for _ in range(600):
            status = structured(await session.call_tool("forge_status", {"job_id": job_id}))
            if status["status"] in ("done", "failed"):
                return status
            await asyncio.sleep(0.2)
        raise AssertionError(status)

    status = in_session(server.url, come_back)
    assert status["status"] == "done" and status["glb_url"]
    assert balance(evm_devnet, evm_devnet.pay_to) - before == 150_000
