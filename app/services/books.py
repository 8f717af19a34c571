"""The operator's books, for the admin API and `forge402 payments`: payments (filtered by date, network, payer,
state), one payment, revenue per day and network, refunds, credit totals, CSV export, and the checks that the
payment ledger, the charges and the credit ledger agree. Reads only (refunding is `app.services.refunds`)."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import json
import time
from dataclasses import dataclass
from typing import Any

from app.errors import Invalid, NotFound
from app.store.seam import Store

EXPORT_COLUMNS = ("created_at", "network", "payer", "amount", "state", "product", "job_id", "tx_hash", "refund_method",
                  "refund_state", "refund_amount", "refund_tx", "key")  # fmt: skip
STATES = ("reserved", "verified", "settling", "settled", "job_created", "rejected", "refunded")


@dataclass(frozen=True, slots=True)
class Filters:
    since: float | None = None
    until: float | None = None
    network: str | None = None
    payer: str | None = None
    state: str | None = None


def iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_time(text: str | None, name: str) -> float | None:
    """A date (`2026-05-01`, UTC midnight) or an RFC 3339 time; Invalid naming `name` otherwise."""
    if not text:
        return None
    try:
        parsed = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise Invalid("invalid_parameter", f"{name} is a date (2026-05-01) or an RFC 3339 time.") from None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)).timestamp()


def filters(since: str | None, until: str | None, network: str | None, payer: str | None, state: str | None,
            ) -> Filters:  # fmt: skip
    if state is not None and state not in STATES:
        raise Invalid("invalid_parameter", f"state is one of: {', '.join(STATES)}.")
    return Filters(parse_time(since, "since"), parse_time(until, "until"), network or None, payer or None, state)


def product(request_json: str) -> str:
    """What a payment bought: `credits:<bundle>`, or `<mode>:<tier>` for a job."""
    try:
        order = json.loads(request_json)
    except ValueError:
        return "unknown"
    if "credits" in order:
        return f"credits:{order['credits'].get('bundle')}"
    return f"{order.get('mode', 'job')}:{order.get('tier', '')}"


def payment_view(row: dict[str, Any]) -> dict[str, Any]:
    view = {k: v for k, v in row.items() if k not in ("request_json", "payment_json", "fingerprint")}
    view["product"] = product(row["request_json"])
    view["created_at"], view["updated_at"] = iso(row["created_at"]), iso(row["updated_at"])
    return view


async def _payment_rows(store: Store, f: Filters, limit: int, offset: int) -> list[dict[str, Any]]:
    return await store.books.payments(since=f.since, until=f.until, network=f.network, payer=f.payer, state=f.state,
                                      limit=limit, offset=offset)  # fmt: skip


async def payments(store: Store, f: Filters, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    return [payment_view(r) for r in await _payment_rows(store, f, limit, offset)]


async def export(store: Store, f: Filters, limit: int, offset: int = 0) -> str:
    """The payments as CSV. An export runs to a million rows: they are shaped and written off the event loop."""
    rows = await _payment_rows(store, f, limit, offset)
    return await asyncio.to_thread(lambda: to_csv([payment_view(r) for r in rows]))


async def payment(store: Store, ref: str) -> dict[str, Any]:
    found = await store.books.payment(ref[:200])
    if found is None:
        raise NotFound("payment_not_found", f"No payment with key, job, transaction or identifier '{ref[:80]}'.")
    view = payment_view(found)
    view["payment"] = json.loads(found["payment_json"])
    return view


async def revenue(store: Store, f: Filters) -> list[dict[str, Any]]:
    return await store.books.revenue(f.since, f.until)


async def refunds(store: Store, state: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    rows = await store.books.refunds(state, limit)
    for row in rows:
        row.pop("raw_tx", None)
        row["created_at"], row["updated_at"] = iso(row["created_at"]), iso(row["updated_at"])
    return rows


async def credit_totals(store: Store) -> dict[str, int]:
    return await store.books.credit_totals()


SETTLE_GRACE_SECONDS = 120  # a charge may stay open this long after its job ended (the keeper closes it)


async def problems(store: Store) -> list[str]:
    return await store.books.ledger_problems(time.time() - SETTLE_GRACE_SECONDS)


def to_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
