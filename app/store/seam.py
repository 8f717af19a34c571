"""The store seam: every operation on what persists, as both backends offer it (`app.store.sqlite`, one machine;
`app.store.postgres`, several). Callers hold a `Store` and never see SQL or a connection.

Each backend writes the operations of a concept as plain functions over its own connection, in a module per
concept (`jobs`, `uploads`, `rate_limits`, `webhooks`, `provider_tasks`, `retopo_results`, `records`); the store
binds them into awaitable methods with the signatures below (`bind`). `tests/test_store.py` checks that both
backends offer every operation, with the same parameters, and behave the same.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Protocol, get_type_hints

from app.store.jobs import NewJob
from app.store.records import JobRecord
from payments.ledger.listener import Signals
from payments.ledger.migrations import Applied

Row = dict[str, Any]


class JobStore(Protocol):
    async def insert(self, job: NewJob, now: float | None = None, job_id: str | None = None) -> Row:
        """Queue `job`; the same `job_id` again returns the existing row (a retried hand-over makes no second job)."""

    async def insert_claimed(self, job: NewJob, owner: str, lease_seconds: float, job_id: str | None = None) -> Row:
        """Queue `job` already claimed by `owner` (its provider key lives in that process's memory)."""

    async def get(self, job_id: str) -> Row | None: ...

    async def count_active(self) -> dict[str, int]: ...

    async def count_by_status(self) -> dict[str, int]:
        """Jobs in each state (every one of `STATES`, 0 when none), for the metrics."""

    async def oldest_queued_at(self) -> float | None:
        """When the job waiting longest in the queue was submitted (None: the queue is empty)."""

    async def claim_next(self, owner: str, lease_seconds: float, free_ok: bool = True) -> Row | None:
        """Move the next queued job to running, leased to `owner`: atomic, whoever else claims at once. Paid jobs
        (any lane but the free one) before free ones, each class first come first served; only paid unless
        `free_ok`."""

    async def queue_by_lane(self) -> dict[str, tuple[int, int]]:
        """Queued jobs per class ('free', 'paid'): how many, and the sum of their estimated build seconds."""

    async def report_progress(self, job_id: str, owner: str, step: str, progress: int) -> None: ...

    async def renew_leases(self, owner: str, lease_seconds: float) -> None: ...

    async def finish(self, job_id: str, owner: str, recipe: str, faces: int, notes: list[str]) -> bool: ...

    async def fail(self, job_id: str, code: str, message: str, owner: str | None = None) -> bool: ...

    async def retry(self, job_id: str, owner: str, max_attempts: int) -> str | None:
        """Our engine process died under this job: "requeued", or "failed" past `max_attempts`."""

    async def recover_lost(self, live_owner: str, max_attempts: int) -> list[tuple[str, str]]:
        """Requeue (or fail) running jobs whose worker is gone; (job_id, outcome) each."""

    async def release_owned(self, owner: str) -> None:
        """A clean stop: our running jobs go back to the queue without counting the interrupted run."""

    async def fall_back_to_local(self, job_id: str, owner: str, note: str) -> bool: ...

    async def add_note(self, job_id: str, note: str) -> None: ...


class UploadStore(Protocol):
    async def insert(self, row: Row) -> None: ...

    async def get(self, upload_id: str) -> Row | None: ...

    async def claim(self, upload_id: str, now: float) -> str | None:
        """pending → receiving, atomically. None on success, else why not ('used' or 'expired')."""

    async def set_status(self, upload_id: str, status: str, fields: Row) -> None: ...

    async def take_expired(self, now: float) -> list[Row]:
        """Delete the rows that expired before `now`; returns them (id, content_type)."""


class RateLimitStore(Protocol):
    async def hit(self, bucket: str, window_start: int) -> int:
        """Count one request in `bucket` for the window; the window's hits so far."""

    async def prune(self, before: int) -> None: ...


class ProviderTaskStore(Protocol):
    async def get(self, job_id: str) -> str | None: ...

    async def save(self, job_id: str, backend: str, provider_task: str) -> None: ...

    async def forget(self, job_id: str) -> None: ...


class RetopoStore(Protocol):
    async def record(self, job_id: str, fig: Any) -> None: ...

    async def get(self, job_id: str) -> Row | None: ...


class WebhookStore(Protocol):
    async def register(self, job_id: str, url: str, base_url: str) -> None: ...

    async def of_job(self, job_id: str) -> tuple[Row | None, list[Row]]: ...

    async def claim_due(self, owner: str, lease_s: float) -> list[Row]:
        """Lease to `owner` the webhooks of finished jobs that are pending (or whose sender's lease ran out)."""

    async def record_delivery(
        self, job_id: str, event: str, attempt: int, status: int | None, error: str | None, ms: int
    ) -> None: ...

    async def settle(self, job_id: str, owner: str, state: str) -> None: ...


class RecordStore(Protocol):
    async def load(self, job_id: str) -> JobRecord | None:
        """A job with its webhook, deliveries and retopology figures, in one trip."""

    async def extras(self, row: Row) -> JobRecord: ...

    async def extras_of(self, rows: list[Row]) -> list[JobRecord]:
        """`extras` of a page of jobs on one connection (one thread hop or pool checkout, not one per job)."""


class ApiKeyStore(Protocol):
    async def create(self, key: Row) -> None:
        """Insert the key (every column, its hash included), creating its account if it is new."""

    async def of_account(self, address: str) -> list[Row]:
        """The account's keys, newest first, revoked ones included (without their hashes)."""

    async def by_hash(self, key_hash: str) -> Row | None: ...

    async def revoke(self, key_id: str, address: str, now: float) -> Row | None:
        """Revoke the account's key (again: no change); the key as it stands, None when the account has no such key."""

    async def touch(self, key_id: str, now: float) -> None: ...


class NonceStore(Protocol):
    async def use(self, nonce: str, address: str, now: float, expires_at: int) -> bool:
        """Mark a sign-in nonce used; False when it already was (a replay)."""

    async def prune(self, now: float) -> int: ...


class CreditStore(Protocol):
    """The double-entry credit ledger (`app.store.credits`)."""

    async def balance(self, address: str) -> int: ...

    async def key_spent(self, key_id: str) -> int:
        """What a key has spent, less what was refunded."""

    async def post(self, kind: str, ref: str, address: str, amount: int, *, other: str | None = None,
                   memo: str | None = None, now: float | None = None) -> int | None:  # fmt: skip
        """Credit the wallet (purchase, grant, refund), once per (kind, ref); None when it was posted before."""

    async def spend_for_job(self, address: str, amount: int, job_id: str, key_id: str | None, cap: int | None,
                            now: float | None = None) -> Any:  # fmt: skip
        """Spend on a job and record its charge if the balance (and the key's cap) allow: a `Spent`, checked and
        written under one lock, so no balance goes below zero."""

    async def expire(self, address: str, ref: str, now: float | None = None) -> int: ...

    async def to_expire(self, purchased_before: float) -> list[Row]: ...

    async def history(self, address: str, limit: int = 50) -> list[Row]: ...

    async def outstanding(self) -> int: ...

    async def operator_balances(self) -> dict[str, int]: ...


class ChargeStore(Protocol):
    async def record(self, job_id: str, address: str, method: str, amount: int, *, network: str | None = None,
                     tx: str | None = None, key_id: str | None = None, now: float | None = None) -> None:  # fmt: skip
        """Who paid for a job (idempotent)."""

    async def record_with_job(self, job: NewJob, job_id: str, address: str, method: str, amount: int, *,
                              network: str | None = None, tx: str | None = None) -> Row:  # fmt: skip
        """The charge and the queued job it pays for (`JobStore.insert` under `job_id`), in one transaction: never a
        job without its charge. Idempotent."""

    async def get(self, job_id: str) -> Row | None: ...

    async def jobs_of(self, address: str, before: tuple[float, str] | None, limit: int) -> list[Row]:
        """The account's paid jobs (rows of `jobs`), newest first, after the cursor (created_at, job_id)."""

    async def open_and_finished(self, orphaned_before: float, limit: int = 100) -> list[Row]:
        """Open charges whose job ended, or was never created though the charge is older than `orphaned_before`."""

    async def close(self, job_id: str, state: str) -> bool: ...


class RefundStore(Protocol):
    async def get(self, job_id: str) -> Row | None: ...

    async def open_for(self, job_id: str, method: str, reason: str, network: str | None = None,
                       now: float | None = None, require_failed: bool = True) -> Any:  # fmt: skip
        """Make good the job's charge once (an `Opened`): credited at once, or pending on chain."""

    async def in_states(self, states: tuple[str, ...]) -> list[Row]: ...

    async def move(self, job_id: str, from_state: str, to_state: str, *, where_tx: str | None = None,
                   **fields: Any) -> bool:  # fmt: skip
        """Compare-and-set the state (and tx, raw_tx, error, network)."""

    async def credit_instead(self, job_id: str, from_state: str, error: str) -> bool:
        """An on-chain refund that moved nothing is credited instead."""


class BooksStore(Protocol):
    """The operator's books, read-only."""

    async def payments(self, *, since: float | None = None, until: float | None = None, network: str | None = None,
                       payer: str | None = None, state: str | None = None, limit: int = 100,
                       offset: int = 0) -> list[Row]: ...  # fmt: skip

    async def payment(self, ref: str) -> Row | None: ...

    async def revenue(self, since: float | None = None, until: float | None = None) -> list[Row]: ...

    async def refunds(self, state: str | None = None, limit: int = 100) -> list[Row]: ...

    async def credit_totals(self) -> dict[str, int]: ...

    async def ledger_problems(self, ended_before: float) -> list[str]: ...


class ProgressWriter(Protocol):
    """What an engine process writes while it builds (synchronous: engine processes have no event loop)."""

    def report_progress(self, job_id: str, owner: str, step: str, progress: int) -> None: ...

    def record_retopo(self, job_id: str, fig: Any) -> None: ...


@dataclass(frozen=True, slots=True)
class StoreHandle:
    """How another process reaches the same store (picklable: engine processes get this, not a path)."""

    url: str  # sqlite:///<path> or postgresql://...

    def progress_writer(self) -> ProgressWriter:
        """The writer for this process (opened once, kept: an engine process builds many jobs)."""
        return _writer(self.url)


@functools.cache
def _writer(url: str) -> ProgressWriter:
    if url.startswith("sqlite:///"):
        from app.store.sqlite.progress import SqliteProgress

        return SqliteProgress(url.removeprefix("sqlite:///"))
    from app.store.postgres.progress import PostgresProgress

    return PostgresProgress(url)


class Concepts(Protocol):
    """The concepts a store offers, one attribute each: declared once here, for `Store` and both backends (which
    subclass this and `bind` each attribute to their module of the same name)."""

    jobs: JobStore
    uploads: UploadStore
    rate_limits: RateLimitStore
    provider_tasks: ProviderTaskStore
    retopo_results: RetopoStore
    webhooks: WebhookStore
    records: RecordStore
    api_keys: ApiKeyStore
    siwx_nonces: NonceStore
    credits: CreditStore
    charges: ChargeStore
    refunds: RefundStore
    books: BooksStore


class Store(Concepts, Protocol):
    kind: str  # "sqlite" | "postgres"
    handle: StoreHandle
    signals: Signals  # fired in this process, and (PostgreSQL) by notifications from every other
    applied: Applied  # what `open` migrated
    idle_poll_seconds: float  # how long an idle worker sleeps when nothing wakes it (a safety net on PostgreSQL)
    finished_poll_seconds: float  # the same for a caller waiting on a job another process runs

    async def open(self) -> None:
        """Connect and bring the schema to this release's (SchemaTooNew when the database is newer)."""

    async def close(self) -> None: ...

    async def ping(self) -> None:
        """StoreUnavailable unless the database answers now (readiness)."""

    def ledger(self) -> Any:
        """The payments ledger on the same database (a `payments.ledger.Ledger`, not opened yet)."""


OPERATIONS: dict[str, type] = get_type_hints(Concepts)  # concept → its protocol


def operations(protocol: type) -> Sequence[str]:
    return [name for name in vars(protocol) if not name.startswith("_")]


class Bound:
    """A backend module's functions (`fn(conn, *args)`) as awaitable methods over the backend's connections: with
    `run(fn, *args)` the backend's way to call a function on a connection, `bound.get(job_id)` is
    `run(module.get, job_id)`."""

    def __init__(self, run: Callable[..., Awaitable[Any]], module: ModuleType) -> None:
        self._run = run
        self._module = module

    def __getattr__(self, name: str) -> Callable[..., Awaitable[Any]]:
        fn = getattr(self._module, name)
        method = functools.partial(self._run, fn)
        setattr(self, name, method)  # bound once
        return method


def bind(store: Concepts, run: Callable[..., Awaitable[Any]], package: str) -> None:
    """Set every concept of `store` to the module of that name in the backend `package` (app.store.sqlite /
    app.store.postgres), bound over `run`."""
    import importlib

    for name in OPERATIONS:
        setattr(store, name, Bound(run, importlib.import_module(f"{package}.{name}")))
