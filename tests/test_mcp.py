"""forge402 over MCP, free tools: the official `mcp` client over streamable HTTP (`/mcp` of a real server) and over
stdio (`forge402 mcp`, in-process and relayed) lists the tools and runs a free generation to a GLB that passes the
validator; bad input is a tool error with the HTTP lane's code and message, never a protocol error."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import ClientSession
from mcp.shared.exceptions import McpError

from app.devnet.anvil import EvmDevnet
from tests.gltf_validator import validate_glbs
from tests.live import LiveServer, clean_environment
from tests.mcp_clients import evm_x402, in_session, paying, stdio_session, structured
from tests.paid import balance, wait_until
from tests.settings import TEST_ENV

FREE_TOOLS = {"forge_generate_free", "forge_status", "forge_catalog", "forge_upload_slot", "forge_retopo_free"}
DRAFT = {"prompt": "a glazed ceramic teapot", "tier": "draft"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    # no paid lane; the fast lane off so that waiting is waiting; two upload slots a minute to see a limit
    env = {"FORGE402_FAST_LANE_MS": "0", "FORGE402_RATE_LIMIT_UPLOAD": "2"}
    with LiveServer(tmp_path_factory.mktemp("mcp"), env) as live:
        yield live


async def generate_and_download(session: ClientSession, tmp_path: Path, name: str) -> dict[str, Any]:
    """A free generation that waits (with progress), the GLB downloaded from its link and read as a resource."""
    progress: list[float] = []

    async def on_progress(value: float, total: float | None, message: str | None) -> None:
        progress.append(value)

    listed = {tool.name for tool in (await session.list_tools()).tools}
    assert listed >= FREE_TOOLS
    result = await session.call_tool("forge_generate_free", {**DRAFT, "wait": True}, progress_callback=on_progress)
    assert not result.isError, result
    job = structured(result)
    assert job["status"] == "done" and job["glb_url"] and progress and progress[-1] == 100
    assert job["model_resource"] == f"forge://jobs/{job['job_id']}/model.glb"
    async with httpx.AsyncClient(timeout=30) as http:
        glb = (await http.get(job["glb_url"])).content
    path = tmp_path / f"{name}.glb"
    path.write_bytes(glb)
    assert validate_glbs([path])[path]["errors"] == 0
    resource = (await session.read_resource(job["model_resource"])).contents[0]
    assert resource.mimeType == "model/gltf-binary" and base64.b64decode(resource.blob) == glb
    assert any(link.type == "resource_link" and str(link.uri) == job["model_resource"] for link in result.content)
    return job


def test_streamable_http_lists_the_tools_and_a_free_generation_reaches_a_valid_glb(
    server: LiveServer, tmp_path: Path
) -> None:
    async def scenario(session: ClientSession) -> None:
        tools = {tool.name: tool for tool in (await session.list_tools()).tools}
        assert set(tools) == FREE_TOOLS  # no paid lane on this server: no paid tools listed
        assert "prompt" in tools["forge_generate_free"].inputSchema["properties"]
        assert "wait" in tools["forge_generate_free"].inputSchema["properties"]
        job = await generate_and_download(session, tmp_path, "http")
        status = structured(await session.call_tool("forge_status", {"job_id": job["job_id"]}))
        assert status["status"] == "done" and status["glb_url"]

    in_session(server.url, scenario)


def test_post_mcp_answers_at_once_without_a_redirect(server: LiveServer) -> None:
    hello = {
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
    }  # fmt: skip
    with server.client(follow_redirects=False) as http:
        answer = http.post("/mcp", json=hello, headers={"accept": "application/json, text/event-stream"})
        assert answer.status_code == 200, answer.text
        assert '"serverInfo"' in answer.text and "forge402" in answer.text
        assert "mcp-session-id" not in answer.headers  # stateless: nothing to come back to one process for
        assert http.get("/mcp").status_code == 405  # no server-initiated stream to hold open


def test_stdio_in_process_and_relayed_list_the_tools_and_generate_a_valid_glb(
    server: LiveServer, tmp_path: Path
) -> None:
    env = clean_environment({**TEST_ENV, "FORGE402_DEVNET": "0", "FORGE402_FAST_LANE_MS": "0"})

    async def run(args: list[str], name: str) -> None:
        async with stdio_session(args, env, tmp_path / f"{name}.log") as session:
            job = await generate_and_download(session, tmp_path, name)
            assert job["glb_url"].startswith("http://127.0.0.1:")

    asyncio.run(run(["--data-dir", str(tmp_path / "embedded")], "embedded"))
    asyncio.run(run(["--server", server.url], "relayed"))


def test_stdio_in_process_runs_its_devnets_and_the_x402_mcp_client_pays_there(tmp_path: Path) -> None:
    """`forge402 mcp` as a host starts it, with nothing configured: the embedded default, local chains included."""
    data = tmp_path / "embedded"

    async def run() -> tuple[EvmDevnet, Any, int]:
        env = clean_environment(TEST_ENV)
        async with stdio_session(["--data-dir", str(data)], env, tmp_path / "mcp.log") as session:
            assert "forge_generate" in {tool.name for tool in (await session.list_tools()).tools}
            devnet = EvmDevnet.from_json(json.loads((data / "devnet.json").read_text())["evm"])
            before = await asyncio.to_thread(balance, devnet, devnet.pay_to)
            agent = paying(session, evm_x402(devnet.payers[0]))
            result = await agent.call_tool("forge_generate", {**DRAFT, "wait": True})
            return devnet, result, await asyncio.to_thread(balance, devnet, devnet.pay_to) - before

    devnet, result, received = asyncio.run(run())
    assert result.payment_made and result.payment_response.success, result
    assert structured(result)["status"] == "done" and received == 50_000

    def chain_gone() -> bool:  # the chains were the command's children: they end with it
        try:
            httpx.post(devnet.rpc_url, json={}, timeout=1)
        except httpx.TransportError:
            return True
        return False

    wait_until(chain_gone, timeout=15)


BAD_ARGUMENTS = [
    {"prompt": "x", "tier": "draft"},  # too short
    {"prompt": 5},  # wrong type
    {"prompt": "a vase", "tier": "ultra"},  # not a tier
    {"prompt": "a vase", "colour": "red"},  # unknown field
    {"tier": "draft"},  # neither prompt nor photos
    {"prompt": "a vase", "backend": "nonesuch"},  # not an engine
]


@pytest.mark.parametrize("arguments", BAD_ARGUMENTS)
def test_bad_arguments_are_tool_errors_with_the_http_lanes_code_and_message(
    server: LiveServer, arguments: dict[str, Any]
) -> None:
    with server.client() as http:
        over_http_lane = http.post("/api/forge", json=arguments)
    assert over_http_lane.status_code in (400, 501), over_http_lane.text

    async def scenario(session: ClientSession) -> None:
        result = await session.call_tool("forge_generate_free", arguments)
        assert result.isError
        assert structured(result) == over_http_lane.json()
        assert json.loads(result.content[0].text) == over_http_lane.json()

    in_session(server.url, scenario)


def test_unknown_tools_jobs_and_resources_are_refused_in_words(server: LiveServer) -> None:
    with server.client() as http:
        missing = http.get("/api/forge?job=job_nonesuch").json()

    async def scenario(session: ClientSession) -> None:
        unknown = await session.call_tool("forge_teleport", {})
        assert unknown.isError and structured(unknown)["error"] == "unknown_tool"
        assert "forge_generate_free" in structured(unknown)["message"]
        status = await session.call_tool("forge_status", {"job_id": "job_nonesuch"})
        assert status.isError and structured(status) == missing
        no_id = await session.call_tool("forge_status", {})
        assert no_id.isError and structured(no_id)["error"] == "invalid_field"
        with pytest.raises(McpError) as refused:
            await session.read_resource("forge://jobs/job_nonesuch/model.glb")
        assert refused.value.error.code == -32002 and refused.value.error.message == missing["message"]
        paid = await session.call_tool("forge_generate", DRAFT)  # not listed here, and says why
        assert paid.isError and structured(paid)["error"] == "paid_lane_unavailable"
        assert "forge_generate_free" in structured(paid)["message"]

    in_session(server.url, scenario)


def test_upload_slots_and_the_catalog_answer_as_over_http_and_share_its_limits(server: LiveServer) -> None:
    with server.client() as http:
        catalog = http.get("/api/forge?catalog").json()

    async def scenario(session: ClientSession) -> None:
        assert structured(await session.call_tool("forge_catalog", {})) == catalog
        ask = {"content_type": "image/png", "size_bytes": 1000}
        slots = [await session.call_tool("forge_upload_slot", ask) for _ in range(3)]
        first = structured(slots[0])
        assert not slots[0].isError and first["method"] == "PUT" and first["upload_url"].startswith(server.url)
        assert slots[2].isError and structured(slots[2])["error"] == "rate_limited"
        assert structured(slots[2])["retry_after"] >= 1

    in_session(server.url, scenario)
