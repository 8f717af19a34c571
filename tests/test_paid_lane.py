"""The paid lane end to end: a real server, a real local chain, the official x402 clients paying it."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from x402.http import decode_payment_response_header

from app.devnet.anvil import EvmDevnet
from tests.api import wait_done
from tests.backends import Backend
from tests.devnet import evm_devnet_fixture  # noqa: F401
from tests.gltf_validator import validate_glbs
from tests.live import LiveServer
from tests.metrics import scrape, value
from tests.paid import PAID, balance, challenge, decode, download, node_client, paid_env, sdk_pay, v2_payment

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL

DRAFT = {"prompt": "a wooden crate", "tier": "draft"}
METRICS_TOKEN = "paid-lane-metrics-token"


@pytest.fixture(scope="module")
def paid_server(
    db_backend: Backend, tmp_path_factory: pytest.TempPathFactory, evm_devnet: EvmDevnet
) -> Iterator[LiveServer]:
    # metrics on, and a gas floor far above what the devnet facilitator holds (its warning is tested last)
    env = paid_env(evm_devnet, FORGE402_METRICS_TOKEN=METRICS_TOKEN, FORGE402_FACILITATOR_BALANCE_FLOOR_WEI=str(10**30))
    with LiveServer(tmp_path_factory.mktemp("paid"), env) as live:
        yield live


@pytest.fixture
def http(paid_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=paid_server.url, timeout=60) as client:
        yield client


def test_unpaid_request_gets_a_402_for_v2_and_v1_clients(http: httpx.Client, evm_devnet: EvmDevnet) -> None:
    answer = http.post(PAID)  # an indexer's probe: no body at all
    assert answer.status_code == 402
    assert answer.headers["cache-control"] == "no-store"
    assert "PAYMENT-REQUIRED" in answer.headers["access-control-expose-headers"]
    required = decode(answer.headers["payment-required"])
    assert required["x402Version"] == 2
    offer = required["accepts"][0]
    assert offer["scheme"] == "exact" and offer["network"] == "eip155:84532"
    assert offer["amount"] == "150000"  # the default tier
    assert offer["asset"].lower() == evm_devnet.usdc.lower() and offer["payTo"].lower() == evm_devnet.pay_to.lower()
    assert offer["extra"] == {"name": "USDC", "version": "2"}
    assert required["resource"]["url"].endswith(PAID)
    assert "bazaar" in required["extensions"]
    v1 = answer.json()
    assert v1["x402Version"] == 1 and v1["error"]
    assert v1["accepts"][0]["network"] == "base-sepolia" and v1["accepts"][0]["maxAmountRequired"] == "150000"
    assert v1["accepts"][0]["outputSchema"]


def test_the_402_is_lean_and_indexers_still_read_it(http: httpx.Client) -> None:
    """No schema annotation nobody reads goes out (pydantic titles, `default: null`), and what indexers read is
    intact: the official SDK's bazaar code validates the extension and finds the body's fields in the v1 body."""
    from x402.extensions.bazaar import validate_discovery_extension
    from x402.extensions.bazaar.v1.facilitator import extract_discovery_info_v1

    answer = http.post(PAID, json=DRAFT)
    header = base64.b64decode(answer.headers["payment-required"])
    assert b'"title"' not in header and b'"title"' not in answer.content
    assert b'"default":null' not in header.replace(b" ", b"") and b'"default":null' not in answer.content
    assert validate_discovery_extension(decode(answer.headers["payment-required"])["extensions"]["bazaar"]).valid
    for accept in answer.json()["accepts"]:
        info = extract_discovery_info_v1(accept)
        assert info is not None and info.input.method == "POST"
        assert info.input.body["prompt"]["type"] == "string" and info.input.body["prompt"]["required"] is True


def test_the_402_quotes_the_tier_the_body_asks_for(http: httpx.Client) -> None:
    assert challenge(http, {"prompt": "a vase", "tier": "high"})["accepts"][0]["amount"] == "500000"
    assert challenge(http, DRAFT)["accepts"][0]["amount"] == "50000"
    assert challenge(http, {"tier": "nonsense"})["accepts"][0]["amount"] == "150000"


def test_price_list_and_discovery_manifest(http: httpx.Client) -> None:
    prices = http.get(PAID)
    assert prices.status_code == 200
    text = json.dumps(prices.json())
    assert "50000" in text and "150000" in text and "500000" in text and "eip155:84532" in text
    for path in ("/.well-known/x402.json", "/.well-known/x402"):
        manifest = http.get(path).json()
        assert manifest["x402Version"] == 2
        assert any(item["resource"]["url"].endswith(PAID) for item in manifest["items"])


def test_official_python_sdk_pays_once_and_gets_a_valid_glb(
    paid_server: LiveServer, http: httpx.Client, evm_devnet: EvmDevnet, tmp_path: Path
) -> None:
    before = balance(evm_devnet, evm_devnet.pay_to)
    answer = sdk_pay(paid_server.url, evm_devnet.payers[0], DRAFT)
    assert answer.status_code == 202, answer.text
    settled = decode_payment_response_header(answer.headers["payment-response"])
    assert settled.success and settled.transaction.startswith("0x")
    job = answer.json()
    assert job["job_id"] and job["transaction"] == settled.transaction
    done = wait_done(http, job["poll_url"])
    assert done["status"] == "done", done
    glb = download(http, done["glb_url"], tmp_path / "paid.glb")
    assert validate_glbs([glb])[glb]["errors"] == 0
    assert balance(evm_devnet, evm_devnet.pay_to) - before == 50_000


def test_a_resent_payment_returns_the_same_job_and_another_body_is_409(
    http: httpx.Client, evm_devnet: EvmDevnet
) -> None:
    header = v2_payment(evm_devnet, evm_devnet.payers[1], challenge(http, DRAFT)["accepts"][0])
    before = balance(evm_devnet, evm_devnet.pay_to)
    first = http.post(PAID, json=DRAFT, headers={"PAYMENT-SIGNATURE": header})
    again = http.post(PAID, json=DRAFT, headers={"PAYMENT-SIGNATURE": header})
    assert first.status_code == again.status_code == 202, (first.text, again.text)
    assert first.json()["job_id"] == again.json()["job_id"]
    assert first.headers["payment-response"] == again.headers["payment-response"]
    other = http.post(PAID, json={**DRAFT, "prompt": "a different crate"}, headers={"PAYMENT-SIGNATURE": header})
    assert other.status_code == 409 and other.json()["error"]
    assert balance(evm_devnet, evm_devnet.pay_to) - before == 50_000


def test_invalid_body_is_refused_before_any_money_moves(http: httpx.Client, evm_devnet: EvmDevnet) -> None:
    header = v2_payment(evm_devnet, evm_devnet.payers[1], challenge(http, DRAFT)["accepts"][0])
    before = balance(evm_devnet, evm_devnet.pay_to)
    for body in ({"prompt": "x", "tier": "draft"}, {"prompt": "a crate", "tier": "draft", "colour": "red"}):
        answer = http.post(PAID, json=body, headers={"PAYMENT-SIGNATURE": header})
        assert answer.status_code == 400 and answer.json()["error"] == "invalid_field"
    answer = http.post(PAID, content=b"{not json", headers={"PAYMENT-SIGNATURE": header})
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_json"
    assert balance(evm_devnet, evm_devnet.pay_to) == before
    paid = http.post(PAID, json=DRAFT, headers={"PAYMENT-SIGNATURE": header})  # the payment is still good
    assert paid.status_code == 202, paid.text


@pytest.mark.parametrize("header", ["%%% not base64 %%%", "bm90IGpzb24=", "e30=", "A" * (1 << 20)])
def test_malformed_payment_headers_are_400(http: httpx.Client, header: str) -> None:
    answer = http.post(PAID, json=DRAFT, headers={"PAYMENT-SIGNATURE": header})
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"] and answer.json()["message"]


def test_a_payment_for_less_than_the_tier_is_refused_with_the_reason(http: httpx.Client, evm_devnet: EvmDevnet) -> None:
    draft_offer = challenge(http, DRAFT)["accepts"][0]
    header = v2_payment(evm_devnet, evm_devnet.payers[1], draft_offer)
    before = balance(evm_devnet, evm_devnet.pay_to)
    answer = http.post(PAID, json={**DRAFT, "tier": "high"}, headers={"PAYMENT-SIGNATURE": header})
    assert answer.status_code == 402
    assert answer.json()["error"] and "payment-required" in answer.headers
    assert balance(evm_devnet, evm_devnet.pay_to) == before


def test_twenty_concurrent_copies_of_one_payment_settle_once(http: httpx.Client, evm_devnet: EvmDevnet) -> None:
    header = v2_payment(evm_devnet, evm_devnet.payers[2], challenge(http, DRAFT)["accepts"][0])
    before = balance(evm_devnet, evm_devnet.pay_to)

    def send(_: int) -> httpx.Response:
        with httpx.Client(base_url=str(http.base_url), timeout=60) as own:
            return own.post(PAID, json=DRAFT, headers={"PAYMENT-SIGNATURE": header})

    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(send, range(20)))
    assert [a.status_code for a in answers] == [202] * 20, [a.text for a in answers if a.status_code != 202]
    assert len({a.json()["job_id"] for a in answers}) == 1
    assert len({a.headers["payment-response"] for a in answers}) == 1
    assert balance(evm_devnet, evm_devnet.pay_to) - before == 50_000


@pytest.mark.parametrize("script", ["pay_v2.mjs", "pay_v1.mjs"])
def test_official_typescript_clients_pay(
    script: str, paid_server: LiveServer, http: httpx.Client, evm_devnet: EvmDevnet, tmp_path: Path
) -> None:
    before = balance(evm_devnet, evm_devnet.pay_to)
    body = {"prompt": f"a small clay pot from {script}", "tier": "draft"}
    result = node_client(script, paid_server.url + PAID, evm_devnet.payers[0].private_key, json.dumps(body))
    assert result["status"] == 202 and result["payment_response"]["success"] is True
    done = wait_done(http, result["body"]["poll_url"])
    glb = download(http, done["glb_url"], tmp_path / "ts.glb")
    assert validate_glbs([glb])[glb]["errors"] == 0
    assert balance(evm_devnet, evm_devnet.pay_to) - before == 50_000


def test_metrics_count_settlements_rpc_latency_and_the_facilitators_gas(
    paid_server: LiveServer, http: httpx.Client
) -> None:
    """Run last in this module: every payment above has settled by now."""
    first = scrape(http, METRICS_TOKEN)
    network = {"network": "eip155:84532"}
    assert value(first, "forge402_settlements_total", **network, outcome="settled") >= 4
    assert value(first, "forge402_settlements_total", **network, outcome="failed") == 0
    sends = ("eth_sendRawTransaction", "eth_sendRawTransactionSync")  # the latter once the chain proved quick
    assert sum(value(first, "forge402_rpc_seconds_count", **network, method=m, ok="true") for m in sends) >= 4
    assert value(first, "forge402_rpc_seconds_sum", **network, method="batch", ok="true") > 0
    gas = value(first, "forge402_gas_balance", **network, account="facilitator", symbol="ETH")
    assert 0 < gas < 10**6  # whole ETH, not wei
    second = scrape(http, METRICS_TOKEN)
    assert value(second, "forge402_gas_balance", **network, account="facilitator", symbol="ETH") == gas
    warnings = [line for line in paid_server.log().splitlines() if "under its floor" in line]
    assert len(warnings) == 1, warnings  # read (and warned about) once a minute, not at every scrape
    assert '"level": "WARNING"' in warnings[0] and "facilitator" in warnings[0]
