"""One function per tool, over the same services and paid lane the HTTP routes call (no HTTP round trip): the
arguments are checked as the route checks its body, the same rate limits count the caller's address, and the
answers are the HTTP lane's views. Domain errors propagate; `server` turns them into tool errors."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from mcp import types

from app.catalog import catalog_json
from app.http.body import model_from
from app.http.links import Links
from app.http.views import job_view, paid_view, slot_view, submit_view
from app.mcp import payment, results
from app.mcp.progress import Report, until_finished
from app.mcp.resources import model_link, model_uri
from app.paid import offers as names
from app.paid.lane import DecodedPayment, PaidLane, Sale
from app.schemas import ForgeToolArguments, NoArguments, RetopoToolArguments, StatusToolArguments, UploadRequest
from app.services import generation, me, retopology
from app.services.caller import Caller
from app.services.container import Services
from app.services.launch import Launched
from app.store.records import JobRecord
from payments.gateway import Offer


@dataclass(frozen=True, slots=True)
class Call:
    """One tool call: who calls (as the services see it), its arguments and `_meta`, and how to report progress."""

    svc: Services
    caller: Caller
    arguments: dict[str, Any]
    meta: types.RequestParams.Meta | None
    report: Report

    @property
    def links(self) -> Links:
        return Links(self.caller.base_url, self.svc.signer)

    async def limit(self, bucket: str, what: str) -> None:
        """The HTTP route's rate limit, counted against the same address (RateLimited when over)."""
        await self.svc.limiter.check(bucket, self.caller.address, what)


Tool = Callable[[Call], Awaitable[types.CallToolResult]]


# ---- answers --------------------------------------------------------------------------------------------------------


def job_answer(call: Call, record: JobRecord, meta: dict[str, Any] | None = None) -> types.CallToolResult:
    """A job's view (`GET /api/forge?job=ID`); once done, with the model as a resource too."""
    data = job_view(call.links, record).model_dump(mode="json")
    done = record.row["status"] == "done"
    if done:
        data["model_resource"] = model_uri(record.row["id"])
    return results.answer(data, meta=meta, links=[model_link(record.row["id"])] if done else None)


async def finished(call: Call, job_id: str, meta: dict[str, Any] | None = None) -> types.CallToolResult:
    """`wait: true`: the job once it is done or failed, with progress notifications meanwhile."""
    await until_finished(call.svc, job_id, call.report)
    return job_answer(call, await generation.poll(call.svc, job_id), meta)


async def launched_answer(call: Call, launched: Launched, wait: bool) -> types.CallToolResult:
    """A free submission's answer: as `POST /api/forge` answers (the job, done on the fast lane, or why it failed
    at once), or the finished job when the call waits."""
    if launched.failed is not None:
        return job_answer(call, launched.failed)
    if wait and launched.row["status"] not in ("done", "failed"):
        return await finished(call, launched.row["id"])
    if launched.row["status"] == "done":
        return job_answer(call, await generation.poll(call.svc, launched.row["id"]))
    return results.answer(submit_view(call.links, launched.row).model_dump(mode="json"))


async def sale_answer(call: Call, lane: PaidLane, offer: Offer, sale: Sale, wait: bool) -> types.CallToolResult:
    """A paid call's answer: the job it bought with the settlement in `_meta` (the same for every resend of the same
    payment), the finished job when it waits, or why it did not pay."""
    outcome = sale.outcome
    if outcome.job_id is None:
        return payment.unpaid(lane, offer, outcome)
    meta = payment.settlement_meta(outcome)
    if wait:
        return await finished(call, outcome.job_id, meta)
    data = paid_view(call.links, outcome.job_id, sale).model_dump(mode="json")
    return results.answer(data, meta=meta)


# ---- tools ----------------------------------------------------------------------------------------------------------


async def sell(
    call: Call, lane: PaidLane, offer: Offer, wait: bool, sale: Callable[[DecodedPayment], Awaitable[Sale]]
) -> types.CallToolResult:
    """A paid tool: the PaymentRequired when the call carries no payment, else the sale of its paid route."""
    paid_with = payment.payment_in(call.meta)
    if paid_with is None:
        return payment.challenge(lane, offer)
    return await sale_answer(call, lane, offer, await sale(DecodedPayment(paid_with)), wait)


async def forge_generate(call: Call) -> types.CallToolResult:
    """Paid generation: `POST /api/x402/forge` over MCP."""
    args = model_from(call.arguments, ForgeToolArguments)
    body = args.request()
    lane = PaidLane(call.svc, call.caller, mcp=True)
    return await sell(call, lane, lane.offers()[body.tier], args.wait, partial(lane.sell_generation, body))


async def forge_generate_free(call: Call) -> types.CallToolResult:
    await call.limit("generate", "generations")
    args = model_from(call.arguments, ForgeToolArguments)
    return await launched_answer(call, await generation.submit(call.svc, call.caller, args.request()), args.wait)


async def forge_retopo(call: Call) -> types.CallToolResult:
    """Paid retopology: `POST /api/x402/forge/retopo` over MCP."""
    args = model_from(call.arguments, RetopoToolArguments)
    lane = PaidLane(call.svc, call.caller, mcp=True)
    return await sell(call, lane, lane.retopo_offer(), args.wait, partial(lane.sell_retopology, args.request()))


async def forge_retopo_free(call: Call) -> types.CallToolResult:
    await call.limit("generate", "generations")
    args = model_from(call.arguments, RetopoToolArguments)
    return await launched_answer(call, await retopology.submit(call.svc, call.caller, args.request()), args.wait)


async def forge_status(call: Call) -> types.CallToolResult:
    await call.limit("poll", "polls")
    args = model_from(call.arguments, StatusToolArguments)
    record = await generation.poll(call.svc, args.job_id)
    me.check_view(call.svc, None, record)  # MCP carries no wallet: payer-only paid jobs are read over HTTP
    return job_answer(call, record)


async def forge_catalog(call: Call) -> types.CallToolResult:
    """`GET /api/forge?catalog`."""
    await call.limit("poll", "polls")
    model_from(call.arguments, NoArguments)
    return results.answer(catalog_json(call.svc.settings, await call.svc.jobs.waits()))


async def forge_upload_slot(call: Call) -> types.CallToolResult:
    """`POST /api/forge-upload`: a slot to PUT one photo to; its `public_url` goes into `image_urls`."""
    await call.limit("upload", "uploads")
    body = model_from(call.arguments, UploadRequest)
    uploads = call.svc.uploads
    slot = await uploads.create_slot(body.content_type, body.size_bytes)
    return results.answer(slot_view(call.links, uploads.signer, slot, time.time()).model_dump(mode="json"))


TOOLS: dict[str, Tool] = {
    names.GENERATE_TOOL: forge_generate,
    names.GENERATE_FREE_TOOL: forge_generate_free,
    names.STATUS_TOOL: forge_status,
    names.CATALOG_TOOL: forge_catalog,
    names.UPLOAD_TOOL: forge_upload_slot,
    names.RETOPO_TOOL: forge_retopo,
    names.RETOPO_FREE_TOOL: forge_retopo_free,
}
