"""The official Python x402 server stack that scripts/bench_x402.py measures forge402 against (peer `fastapi`).

FastAPI + x402's PaymentMiddlewareASGI + x402ResourceServer, settling through an in-process async x402Facilitator with
the exact EVM scheme on FacilitatorWeb3Signer (web3.py), wired as the official FastAPI example with the facilitator
in-process (no HTTP hop). The benchmark installs its packages into .bench/peer-py (scripts/bench/peer_requirements.txt)
and runs it with coincurve as eth_keys' secp256k1 backend (ECC_BACKEND_CLASS), the fastest the SDK can use.

Environment: PORT, RPC_URL, PAY_TO, FACILITATOR_KEY, USDC (asset address); optional NETWORK (eip155:84532),
PRICE_ATOMIC (50000 = $0.05, forge402's draft tier).
"""

from __future__ import annotations

import os
import uuid

import uvicorn
from fastapi import FastAPI, Request
from x402 import x402Facilitator
from x402.http import PaymentOption
from x402.http.middleware.fastapi import PaymentMiddlewareASGI
from x402.http.types import RouteConfig
from x402.mechanisms.evm import FacilitatorWeb3Signer
from x402.mechanisms.evm.exact import ExactEvmServerScheme, register_exact_evm_facilitator
from x402.schemas import AssetAmount
from x402.server import x402ResourceServer

PORT = int(os.environ.get("PORT", "4022"))
NETWORK = os.environ.get("NETWORK", "eip155:84532")

facilitator = x402Facilitator()
signer = FacilitatorWeb3Signer(os.environ["FACILITATOR_KEY"], os.environ["RPC_URL"])
register_exact_evm_facilitator(facilitator, signer, networks=NETWORK)
server = x402ResourceServer(facilitator)
server.register(NETWORK, ExactEvmServerScheme())

price = AssetAmount(
    amount=os.environ.get("PRICE_ATOMIC", "50000"),
    asset=os.environ["USDC"],
    extra={"name": "USDC", "version": "2"},
)
routes = {
    "POST /api/x402/forge": RouteConfig(
        accepts=[PaymentOption(scheme="exact", pay_to=os.environ["PAY_TO"], price=price, network=NETWORK)],
        mime_type="application/json",
        description="Forge a 3D model (draft tier)",
    ),
}

app = FastAPI()
app.add_middleware(PaymentMiddlewareASGI, routes=routes, server=server)


@app.get("/healthz")
async def healthz() -> dict:
    return {"ok": True}


@app.post("/api/x402/forge", status_code=202)
async def forge(request: Request) -> dict:
    body = await request.json()  # parsed like the express peer does (express.json())
    prompt = body.get("prompt") if isinstance(body, dict) else None
    return {"job_id": uuid.uuid4().hex, "status": "queued", "prompt_chars": len(prompt or "")}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=PORT, log_level="warning", access_log=False)
