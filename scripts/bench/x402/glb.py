"""Paid time-to-GLB on forge402 (no official stack builds anything): a paid draft job timed from the answer to its
payment to its GLB, with the free lane idle, then saturated by free high-tier jobs.

The paid twin sells "guaranteed, metered capacity": its job must not wait behind the free queue. Each paid job is
paid (pre-signed, c=1), then polled every 20 ms until done; `after_payment_s` runs from the paid POST's answer (the
settlement is done by then) to the poll that shows it done, `total_s` from the POST. The flood is `--flood` free
high-tier POSTs sent at once (rate limits are off on the benchmark's server; a free lane that sheds load answers
503 `busy` to some: counted, not retried).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import Counter
from typing import Any

import httpx

from scripts.bench.x402.knobs import BODY, ROUTE, Knobs
from scripts.bench.x402.paid import SignedPayment, sign_payments
from scripts.bench.x402.servers import Session, fresh_session
from scripts.bench.x402.stats import log, rounded
from scripts.bench.x402.unpaid import probe_402
from tests.live import HOST

POLL_S = 0.02
JOB_DEADLINE_S = 300.0  # a paid draft job not done by then is reported as not done
FLOOD_PROMPTS = ("a carved wooden chest", "a bronze dragon statue", "a stone castle tower", "a detailed ship")


async def paid_to_glb(http: httpx.AsyncClient, payment: SignedPayment) -> dict[str, Any]:
    started = time.perf_counter()
    answer = await http.post(
        ROUTE, content=BODY, headers={"content-type": "application/json", "PAYMENT-SIGNATURE": payment.header}
    )
    paid = time.perf_counter()
    if answer.status_code != 202:
        return {"status": answer.status_code, "done": False}
    poll_url = answer.json()["poll_url"]
    deadline = paid + JOB_DEADLINE_S
    while time.perf_counter() < deadline:
        job = (await http.get(poll_url)).json()
        if job["status"] in ("done", "failed"):
            now = time.perf_counter()
            return {"status": job["status"], "done": job["status"] == "done",
                    "after_payment_s": now - paid, "total_s": now - started}  # fmt: skip
        await asyncio.sleep(POLL_S)
    return {"status": "timeout", "done": False}


async def flood(http: httpx.AsyncClient, count: int) -> Counter[int]:
    """`count` free high-tier POSTs at once; their statuses."""

    async def one(i: int) -> int:
        body = {"prompt": FLOOD_PROMPTS[i % len(FLOOD_PROMPTS)], "tier": "high", "seed": i}
        return (await http.post("/api/forge", json=body)).status_code

    return Counter(await asyncio.gather(*(one(i) for i in range(count))))


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    done = [r for r in runs if r["done"]]
    after = [r["after_payment_s"] for r in done]
    return {
        "jobs": len(runs),
        "done": len(done),
        "after_payment_s_median": rounded(statistics.median(after), 3) if after else None,
        "after_payment_s_max": rounded(max(after), 3) if after else None,
        "total_s_median": rounded(statistics.median(r["total_s"] for r in done), 3) if done else None,
    }


async def run_glb(session: Session, knobs: Knobs) -> dict[str, Any]:
    challenge = await probe_402(session)
    payments = await sign_payments(session.devnet.payers[0].private_key, challenge, 2 * knobs.glb_jobs + 1)
    limits = httpx.Limits(max_connections=knobs.flood + 8)
    async with httpx.AsyncClient(base_url=f"http://{HOST}:{session.server.port}", timeout=60, limits=limits) as http:
        await paid_to_glb(http, payments[0])  # warm-up: the engine processes start
        idle = [await paid_to_glb(http, p) for p in payments[1 : 1 + knobs.glb_jobs]]
        statuses = await flood(http, knobs.flood)
        saturated = [await paid_to_glb(http, p) for p in payments[1 + knobs.glb_jobs :]]
    flooded = {"sent": knobs.flood, "statuses": dict(statuses)}
    return {"idle": summary(idle), "saturated": summary(saturated), "flood": flooded}


async def glb_phase(knobs: Knobs, rep: int) -> dict[str, Any]:
    async with fresh_session("forge402", knobs, f"forge402-glb-r{rep}", {"FORGE402_FAST_LANE_MS": "0"}) as session:
        result = await run_glb(session, knobs)
    idle, saturated = result["idle"], result["saturated"]
    log(
        f"forge402 time-to-GLB #{rep + 1}: paid draft job done {idle['after_payment_s_median']} s after its payment "
        f"(free lane idle), {saturated['after_payment_s_median']} s (max {saturated['after_payment_s_max']} s) with "
        f"{knobs.flood} free high-tier jobs sent first ({result['flood']['statuses']})"
    )
    return result
