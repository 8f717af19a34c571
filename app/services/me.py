"""A signed-in wallet's own things: its balance and credit history, its paid jobs (both lanes: per call on either
chain, and with credits), one of them, and who may view a paid job (`FORGE402_PAID_VIEWS`)."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from app.errors import Invalid, NotFound, SignInRequired
from app.services.accounts import Principal
from app.services.container import Services
from app.store.records import JobRecord


@dataclass(frozen=True, slots=True)
class Account:
    balance: int
    history: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Page:
    records: list[JobRecord]
    next_cursor: str | None


async def account(svc: Services, principal: Principal) -> Account:
    return Account(
        await svc.store.credits.balance(principal.address), await svc.store.credits.history(principal.address)
    )


def _cursor(row: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(f"{row['created_at']!r}|{row['job_id']}".encode()).decode().rstrip("=")


def _read_cursor(cursor: str) -> tuple[float, str]:
    try:
        created, _, job_id = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().partition("|")
        return float(created), job_id
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise Invalid("invalid_cursor", "cursor is a next_cursor from an earlier page.") from None


async def jobs(svc: Services, principal: Principal, cursor: str | None, limit: int) -> Page:
    """The wallet's paid jobs, newest first; `next_cursor` reads the page after (None: the last)."""
    before = _read_cursor(cursor[:200]) if cursor else None
    rows = await svc.store.charges.jobs_of(principal.address, before, limit + 1)
    records = await svc.store.records.extras_of(rows[:limit])
    more = len(rows) > limit
    return Page(records, _cursor(records[-1].charge) if more and records[-1].charge else None)


async def job(svc: Services, principal: Principal, job_id: str) -> JobRecord:
    """One of the wallet's paid jobs; NotFound for any other (whether it exists is not said)."""
    record = await svc.store.records.load(job_id[:80])
    if record is None or record.charge is None or record.charge["address"] != principal.address:
        raise NotFound("job_not_found", f"No paid job '{job_id[:80]}' on this wallet.")
    return record


def _paid_with_credits_by(principal: Principal | None, record: JobRecord) -> bool:
    charge = record.charge
    return (
        principal is not None
        and charge is not None
        and charge["method"] == "credits"
        and charge["address"] == principal.address
    )


async def balance_for(svc: Services, principal: Principal | None, record: JobRecord) -> int | None:
    """The wallet's balance when `principal` paid for this job with credits (shown on its view), else None."""
    return (await balances_for(svc, principal, [record]))[0]


async def balances_for(svc: Services, principal: Principal | None, records: list[JobRecord]) -> list[int | None]:
    """`balance_for` of each record, the wallet's balance read once (a page of jobs is one wallet's)."""
    shown = [_paid_with_credits_by(principal, r) for r in records]
    if principal is None or not any(shown):
        return [None] * len(records)
    balance = await svc.store.credits.balance(principal.address)
    return [balance if s else None for s in shown]


def check_view(svc: Services, principal: Principal | None, record: JobRecord) -> None:
    """With `FORGE402_PAID_VIEWS=payer`, a paid job is shown to its payer only (SignInRequired without a wallet,
    NotFound for another wallet's); free jobs, and every job by default, to whoever holds the id."""
    if svc.settings.paid_views != "payer" or record.charge is None:
        return
    if principal is None:
        raise SignInRequired("sign_in_required", "This paid job is shown to its payer only: sign in with the wallet "
                             "that paid (sign-in-with-x), or send its session token or API key.")  # fmt: skip
    principal.require("read")
    if principal.address != record.charge["address"]:
        raise NotFound("job_not_found", f"No job '{record.row['id']}'. Job ids come from POST /api/forge.")
