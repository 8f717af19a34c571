"""A test-only x402 facilitator: the official Python SDK's facilitator (`x402FacilitatorSync` with the exact-EVM
scheme on `FacilitatorWeb3Signer`) behind the HTTP API the x402 v2 spec defines (§7):

- `POST /verify` and `POST /settle` take `{x402Version, paymentPayload, paymentRequirements}` and answer 200 with a
  VerifyResponse / SettleResponse (a refusal is `isValid: false` / `success: false`, still 200);
- `GET /supported` answers `{kinds, extensions, signers}`;
- a body it cannot read is a 400 `{error}`, an exception inside the SDK a 500 `{error}` (as the official examples do).

The SDK's web3 calls block, so every handler runs the SDK in a worker thread: the event loop (and the test) never
waits on the chain. uvicorn serves it from a daemon thread on a free loopback port.

For crash tests, `gate.hold(point)` makes the next `/settle` calls wait before the SDK settles or after it settled,
until `gate.release()`: forge402 can be killed while the remote has settled and it has not heard back.
"""

from __future__ import annotations

import json
import threading
from typing import Any, Literal

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from x402 import x402FacilitatorSync
from x402.mechanisms.evm import FacilitatorWeb3Signer
from x402.mechanisms.evm.exact import register_exact_evm_facilitator
from x402.schemas import PaymentPayload, PaymentPayloadV1, PaymentRequirements, PaymentRequirementsV1
from x402.schemas.helpers import parse_payment_payload, parse_payment_requirements

from tests.live import ThreadedServer

Payload = PaymentPayload | PaymentPayloadV1
Requirements = PaymentRequirements | PaymentRequirementsV1
HoldPoint = Literal["before", "after"]


class BadRequest(ValueError):
    """The request body is not a facilitator request."""


def parse_request(body: Any) -> tuple[Payload, Requirements]:
    """`{x402Version, paymentPayload, paymentRequirements}` → the SDK's models; BadRequest when it is not one."""
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    payload, requirements = body.get("paymentPayload"), body.get("paymentRequirements")
    if not isinstance(payload, dict) or not isinstance(requirements, dict):
        raise BadRequest("missing paymentPayload or paymentRequirements")
    try:
        parsed = parse_payment_payload(payload)
        return parsed, parse_payment_requirements(parsed.x402_version, requirements)
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise BadRequest(f"unreadable payment: {exc}") from None


def wire(model: Any) -> dict[str, Any]:
    return model.model_dump(by_alias=True, exclude_none=True, mode="json")


class Gate:
    """Holds `/settle` calls at one point until released (a lost answer, a crash between settle and record)."""

    def __init__(self) -> None:
        self.point: HoldPoint | None = None
        self.held = threading.Event()  # set once a call is waiting at the gate
        self.drop = False  # released calls fail (500) instead of going on: the facilitator died holding them
        self._open = threading.Event()
        self._open.set()

    def hold(self, point: HoldPoint) -> None:
        self.point = point
        self.held.clear()
        self._open.clear()

    def release(self, drop: bool = False) -> None:
        self.point = None
        self.drop = drop
        self._open.set()

    def pass_at(self, point: HoldPoint) -> None:
        """Wait here while held at `point`; raise if the held call is then dropped."""
        if self.point != point or self._open.is_set():
            return
        self.held.set()
        self._open.wait(60)
        if self.drop:
            self.drop = False
            raise RuntimeError("the facilitator dropped this settlement")


class OfficialFacilitator:
    """The SDK facilitator plus call counts; `settle` runs (and may wait at the gate) in a worker thread."""

    def __init__(self, rpc_url: str, private_key: str, network: str) -> None:
        self.sdk = x402FacilitatorSync()
        self.signer = FacilitatorWeb3Signer(private_key, rpc_url)
        register_exact_evm_facilitator(self.sdk, self.signer, networks=network)
        self.gate = Gate()
        self.calls: dict[str, int] = {"verify": 0, "settle": 0, "supported": 0}
        self.settled: list[str] = []  # transactions of successful settlements

    def verify(self, payload: Payload, requirements: Requirements) -> dict[str, Any]:
        self.calls["verify"] += 1
        return wire(self.sdk.verify(payload, requirements))

    def settle(self, payload: Payload, requirements: Requirements) -> dict[str, Any]:
        self.calls["settle"] += 1
        self.gate.pass_at("before")
        result = self.sdk.settle(payload, requirements)
        if result.success:
            self.settled.append(result.transaction)
        self.gate.pass_at("after")
        return wire(result)

    def supported(self) -> dict[str, Any]:
        self.calls["supported"] += 1
        return wire(self.sdk.get_supported())


def build_app(facilitator: OfficialFacilitator) -> Starlette:
    async def handle(request: Request, operation: str) -> JSONResponse:
        try:
            payload, requirements = parse_request(json.loads(await request.body()))
        except (ValueError, BadRequest) as exc:
            return JSONResponse({"error": str(exc)}, 400)
        try:
            answer = await run_in_threadpool(getattr(facilitator, operation), payload, requirements)
        except Exception as exc:  # the SDK raises for unknown schemes, aborted hooks, RPC failures
            return JSONResponse({"error": f"{type(exc).__name__}: {exc}"}, 500)
        return JSONResponse(answer)

    async def verify(request: Request) -> JSONResponse:
        return await handle(request, "verify")

    async def settle(request: Request) -> JSONResponse:
        return await handle(request, "settle")

    async def supported(request: Request) -> JSONResponse:
        return JSONResponse(await run_in_threadpool(facilitator.supported))

    routes = [
        Route("/verify", verify, methods=["POST"]),
        Route("/settle", settle, methods=["POST"]),
        Route("/supported", supported, methods=["GET"]),
    ]
    return Starlette(routes=routes)


class FacilitatorServer(ThreadedServer):
    """The official facilitator on 127.0.0.1:<free port>, uvicorn in a daemon thread."""

    def __init__(self, rpc_url: str, private_key: str, network: str) -> None:
        self.facilitator = OfficialFacilitator(rpc_url, private_key, network)
        super().__init__(build_app(self.facilitator), "official-facilitator")

    @property
    def gate(self) -> Gate:
        return self.facilitator.gate

    @property
    def calls(self) -> dict[str, int]:
        return self.facilitator.calls

    def stop(self) -> None:
        self.gate.release()  # a held /settle would keep uvicorn from exiting
        super().stop()
