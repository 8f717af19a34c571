"""Every answer body the service writes about a job, an upload or a sale, from domain objects and a `Links`.

The poll view (`job_view`) is also the webhook's body, exactly (`webhook_body`), so the two never drift apart.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from app.config import CreditBundle, format_usdc
from app.http.links import Links
from app.jobs.queue import eta_seconds
from app.paid.lane import Sale
from app.photos.uploads import Received, Slot, SlotSigner, public_path
from app.schemas import (
    BundleList,
    BundleView,
    CreditPurchase,
    CreditTxnView,
    JobError,
    JobView,
    KeyView,
    MeView,
    PaidSubmitResponse,
    PaymentView,
    RefundView,
    RetopoResult,
    SubmitResponse,
    UploadReceipt,
    UploadSlot,
    WebhookDelivery,
    WebhookView,
)
from app.services.accounts import Principal, key_state
from app.services.me import Account
from app.store.files import MODEL, QUAD_MODEL, THUMBNAIL
from app.store.records import JobRecord
from app.tiers import DEFAULT_TIER


def iso(ts: float) -> str:
    """A unix time as the API writes it: UTC, milliseconds, 'Z'."""
    return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def maybe_iso(ts: float | None) -> str | None:
    return None if ts is None else iso(ts)


def file_links(links: Links, row: dict[str, Any]) -> tuple[str | None, str | None]:
    """Freshly signed links to the job's model and thumbnail, once it is done."""
    if row["status"] != "done":
        return None, None
    return links.file(row["id"], MODEL), links.file(row["id"], THUMBNAIL)


def webhook_view(hook: dict[str, Any], deliveries: list[dict[str, Any]]) -> WebhookView:
    return WebhookView(
        url=hook["url"],
        state=hook["state"],
        deliveries=[
            WebhookDelivery(
                event=d["event"], attempt=d["attempt"], at=iso(d["at"]), status_code=d["status_code"],
                error=d["error"], duration_ms=d["duration_ms"],
            )
            for d in deliveries
        ],
    )  # fmt: skip


def retopo_view(found: dict[str, Any]) -> RetopoResult:
    return RetopoResult(
        source_faces=found["source_faces"], faces=found["faces"], quads=found["quads"],
        triangles=found["triangles"], quad_ratio=found["quad_ratio"], watertight=bool(found["watertight"]),
        textured=bool(found["textured"]), formats=found["formats"].split(","),
    )  # fmt: skip


def job_view(links: Links, record: JobRecord, balance: int | None = None) -> JobView:
    """`GET /api/forge?job=ID`: the job, its links, and what is kept beside it (webhook, retopology figures, its
    payment and refund). `balance`: the payer's credits, shown on a credit-paid job to its payer."""
    row = record.row
    glb_url, thumbnail_url = file_links(links, row)
    error = JobError(code=row["error_code"], message=row["error_message"]) if row["status"] == "failed" else None
    view = JobView(
        job_id=row["id"],
        creation_id=row["creation_id"],
        status=row["status"],
        step=row["step"],
        progress=row["progress"] or 0,
        mode=row["mode"],
        tier=row["tier"],
        backend=row["backend"],
        seed=row["seed"],
        eta_seconds=eta_seconds(row),
        recipe=row["recipe"],
        faces=row["faces"],
        notes=json.loads(row["notes_json"] or "[]"),
        attempts=row["attempts"],
        glb_url=glb_url,
        thumbnail_url=thumbnail_url,
        error=error,
        submitted_at=iso(row["submitted_at"]),
        started_at=maybe_iso(row["started_at"]),
        finished_at=maybe_iso(row["finished_at"]),
    )
    if record.hook is not None:
        view.webhook = webhook_view(record.hook, record.deliveries)
    if record.retopo is not None:
        view.retopo = retopo_view(record.retopo)
        if "obj" in view.retopo.formats:
            view.obj_url = links.file(row["id"], QUAD_MODEL)
    if record.charge is not None:
        view.payment = payment_view(record.charge)
        if record.charge["method"] == "credits":
            view.credits_used = 0 if record.refund is not None else record.charge["amount"]
            view.credits_remaining = balance
    if record.refund is not None:
        view.refund = refund_view(record.refund)
    return view


def payment_view(charge: dict[str, Any]) -> PaymentView:
    return PaymentView(
        method=charge["method"], amount_atomics=charge["amount"], network=charge["network"],
        transaction=charge["tx"], key_id=charge["key_id"],
    )  # fmt: skip


def refund_view(refund: dict[str, Any]) -> RefundView:
    return RefundView(
        method=refund["method"], state=refund["state"], amount_atomics=refund["amount"], network=refund["network"],
        transaction=refund["tx"], reason=refund["reason"],
    )  # fmt: skip


def webhook_body(links: Links, record: JobRecord) -> dict[str, Any]:
    """What a webhook delivers: the poll view, without the webhook's own deliveries."""
    return job_view(links, record).model_dump(mode="json", exclude={"webhook"})


def submit_view(links: Links, row: dict[str, Any]) -> SubmitResponse:
    """`POST /api/forge` (and retopology): the queued job to poll, or the finished one with its links."""
    glb_url, thumbnail_url = file_links(links, row)
    return SubmitResponse(
        job_id=row["id"],
        creation_id=row["creation_id"],
        status="done" if row["status"] == "done" else "queued",
        mode=row["mode"],
        tier=row["tier"],
        backend=row["backend"],
        eta_seconds=eta_seconds(row) or 0,
        seed=row["seed"],
        poll_url=links.poll(row["id"]),
        glb_url=glb_url,
        thumbnail_url=thumbnail_url,
        recipe=row.get("recipe"),
        faces=row.get("faces"),
    )


def paid_view(links: Links, job_id: str, sale: Sale) -> PaidSubmitResponse:
    """A paid request's answer once it paid: the job it bought (the same for every resend) and the settlement."""
    row, receipt = sale.job, sale.outcome.receipt
    return PaidSubmitResponse(
        job_id=job_id,
        poll_url=links.poll(job_id),
        status=row["status"] if row else "queued",
        tier=row["tier"] if row else DEFAULT_TIER,
        eta_seconds=eta_seconds(row) if row else None,
        transaction=receipt.transaction if receipt else None,
        network=receipt.network if receipt else None,
    )


def slot_view(links: Links, signer: SlotSigner, slot: Slot, now: float) -> UploadSlot:
    return UploadSlot(
        upload_url=links.absolute(signer.upload_path(slot)),
        headers={"content-type": slot.content_type},
        public_url=links.absolute(public_path(slot.file_name)),
        expires_in=max(0, slot.expires_at - int(now)),
    )


def receipt_view(links: Links, received: Received, retention_s: int) -> UploadReceipt:
    slot = received.slot
    return UploadReceipt(
        public_url=links.absolute(public_path(slot.file_name)),
        content_type=slot.content_type,  # type: ignore[arg-type]
        size_bytes=slot.size_bytes,
        width=received.info.width,
        height=received.info.height,
        expires_in=retention_s,
    )


def key_view(row: dict[str, Any], spent: int, now: float | None = None) -> KeyView:
    """An API key as its wallet sees it (never the key itself, never its hash)."""
    return KeyView(
        id=row["id"], prefix=row["prefix"], name=row["name"], scopes=row["scopes"].split(","),
        created_at=iso(row["created_at"]), expires_at=maybe_iso(row["expires_at"]), spend_cap=row["spend_cap"],
        spent=spent, revoked_at=maybe_iso(row["revoked_at"]), last_used_at=maybe_iso(row["last_used_at"]),
        state=key_state(row, now if now is not None else dt.datetime.now(dt.UTC).timestamp()),
    )  # fmt: skip


def me_view(principal: Principal, account: Account) -> MeView:
    return MeView(
        address=principal.address,
        credit_atomics=account.balance,
        signed_in_with=principal.via,
        key_id=principal.key_id,
        scopes=sorted(principal.scopes),
        session_expires_at=iso(principal.session.expires_at) if principal.session else None,
        transactions=[
            CreditTxnView(kind=t["kind"], ref=t["ref"], delta_atomics=t["delta"], key_id=t["key_id"], memo=t["memo"],
                          at=iso(t["created_at"]))
            for t in account.history
        ],
    )


def bundles_view(bundles: list[CreditBundle], policy: str) -> BundleList:
    return BundleList(
        bundles=[
            BundleView(id=b.id, price_atomics=b.price_atomics, credit_atomics=b.credit_atomics,
                       bonus_atomics=b.credit_atomics - b.price_atomics, price_usdc=format_usdc(b.price_atomics))
            for b in bundles
        ],
        refund_policy=policy,
    )  # fmt: skip


def purchase_view(purchase: dict[str, Any]) -> CreditPurchase:
    return CreditPurchase(**purchase)
