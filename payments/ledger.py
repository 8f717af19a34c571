"""The payment ledger: one row per payment, reserved under a UNIQUE key before anything is verified.

States: reserved → verified → settling (tx hash and signed raw tx stored before the send) → settled → job_created,
or rejected. A rejected payment moved no money, so the row can be taken over by a later attempt with the same
authorization (a corrected retry is not blocked; the row keeps the last rejection until then). Each row has an
owner (the gateway instance working on it); the ledger only lets the owner move it on.

Each row also names its `source` (EVM: the payer; SVM: the source token account) and whether it was `admitted`
to settle: `admit` is the per-source gate (`payments.gate`) kept here so it holds across processes. Beside the
payments, two small counters live here for the same reason: failed payments per payer / client address and window
(`payments.failures`), and the lamports our Solana fee payer spent per network and minute (`payments.svm.fee_budget`).

SQLite (stdlib) in WAL mode on one worker thread of its own: the event loop never waits on the disk.
"""

from __future__ import annotations

import asyncio
import secrets
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal, TypeVar

from payments.errors import LedgerUnavailable

T = TypeVar("T")

BUSY_TIMEOUT_MS = 10_000
# SQLite's words for a database that cannot take a query now but may in a moment (LedgerUnavailable, answered 503)
TRANSIENT = ("locked", "busy", "disk is full", "disk i/o error", "unable to open", "readonly")
STATES = ("reserved", "verified", "settling", "settled", "job_created", "rejected")
IN_FLIGHT = ("reserved", "verified", "settling", "settled")
UNSETTLED = ("reserved", "verified", "settling")  # money may still move: the source's balance does not show it yet
SETTLED = ("settled", "job_created")

SCHEMA = """
CREATE TABLE IF NOT EXISTS payments (
    key TEXT PRIMARY KEY,
    payment_id TEXT UNIQUE,
    fingerprint TEXT NOT NULL,
    request_json TEXT NOT NULL,
    x402_version INTEGER NOT NULL,
    network TEXT NOT NULL,
    scheme TEXT NOT NULL,
    asset TEXT NOT NULL,
    payer TEXT NOT NULL,
    amount INTEGER NOT NULL,
    pay_to TEXT NOT NULL,
    nonce TEXT NOT NULL,
    valid_before INTEGER NOT NULL,
    payment_json TEXT NOT NULL,
    state TEXT NOT NULL,
    owner TEXT,
    tx_hash TEXT,
    raw_tx TEXT,
    job_id TEXT NOT NULL UNIQUE,
    error_code TEXT,
    error_message TEXT,
    answer TEXT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    admitted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS payment_failures (
    subject TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    failures INTEGER NOT NULL,
    PRIMARY KEY (subject, window_start)
);
CREATE TABLE IF NOT EXISTS fee_spend (
    network TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    lamports INTEGER NOT NULL,
    PRIMARY KEY (network, window_start)
);
"""
# columns added after the first release: a ledger made before them gets them (with their defaults) at open
ADDED_COLUMNS = {"source": "TEXT NOT NULL DEFAULT ''", "admitted": "INTEGER NOT NULL DEFAULT 0"}
INDEXES = """
CREATE INDEX IF NOT EXISTS payments_state ON payments(state);
CREATE INDEX IF NOT EXISTS payments_tx_hash ON payments(tx_hash);
CREATE INDEX IF NOT EXISTS payments_payer ON payments(payer);
CREATE INDEX IF NOT EXISTS payments_source ON payments(network, source) WHERE admitted = 1;
"""


@dataclass(frozen=True)
class NewPayment:
    key: str
    payment_id: str | None
    fingerprint: str
    request_json: str
    x402_version: int
    network: str
    scheme: str
    asset: str
    payer: str
    amount: int
    pay_to: str
    nonce: str
    valid_before: int
    payment_json: str
    source: str  # what the money leaves from: EVM the payer, SVM the source token account


@dataclass(frozen=True)
class PaymentRow(NewPayment):
    """A payment as the ledger holds it: what was sent, and where it stands."""

    state: str
    owner: str | None
    tx_hash: str | None
    raw_tx: str | None
    job_id: str
    error_code: str | None
    error_message: str | None
    answer: str | None
    created_at: float
    updated_at: float
    admitted: int  # 1: allowed to settle by the per-source gate


_COLUMNS = [f.name for f in fields(PaymentRow)]
_NEW_COLUMNS = [f.name for f in fields(NewPayment)]


@dataclass(frozen=True)
class Reservation:
    owned: bool  # True: this caller must process the payment; False: `row` is someone else's (or done)
    row: PaymentRow


@dataclass(frozen=True)
class Admission:
    admitted: bool
    in_flight: frozenset[str]  # the other admitted, unsettled payments of the source (keys)
    in_flight_amount: int  # what they (and, with a balance, those settled since it was read) take from the source


class LostOwnership(RuntimeError):
    """Another gateway took the row over (ours was presumed dead); stop touching it."""


def new_job_id() -> str:
    """The job a payment buys, chosen when it is reserved: 128 random bits, in the shape of the service's job ids
    (`job_<32 hex>`), so a paid job looks like any other to a client."""
    return "job_" + secrets.token_hex(16)


class Ledger:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="payments-ledger")
        self._conn: sqlite3.Connection | None = None

    # ---- plumbing ---------------------------------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
            )
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: survives a process crash
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            self._conn = conn
        return self._conn

    async def _run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._pool, lambda: fn(self._connection()))
        except sqlite3.OperationalError as exc:
            text = str(exc).lower()
            if any(word in text for word in TRANSIENT):
                raise LedgerUnavailable(text) from exc
            raise

    async def open(self) -> None:
        def create(c: sqlite3.Connection) -> None:
            c.executescript(SCHEMA)
            have = {r["name"] for r in c.execute("PRAGMA table_info(payments)")}
            for name, kind in ADDED_COLUMNS.items():
                if name not in have:
                    c.execute(f"ALTER TABLE payments ADD COLUMN {name} {kind}")
            c.executescript(INDEXES)

        await self._run(create)

    async def close(self) -> None:
        def shut(c: sqlite3.Connection) -> None:
            c.close()
            self._conn = None

        if self._conn is not None:
            await self._run(shut)
        self._pool.shutdown(wait=True)

    @staticmethod
    def _row(r: sqlite3.Row | None) -> PaymentRow | None:
        return PaymentRow(**{k: r[k] for k in _COLUMNS}) if r is not None else None

    @classmethod
    def _by(cls, c: sqlite3.Connection, column: Literal["key", "payment_id"], value: str) -> PaymentRow | None:
        """The row whose `column` (key or payment_id, both unique) is `value`."""
        return cls._row(c.execute(f"SELECT * FROM payments WHERE {column}=?", (value,)).fetchone())

    # ---- reads ------------------------------------------------------------------------------------------------------

    async def get(self, key: str) -> PaymentRow | None:
        return await self._run(lambda c: self._by(c, "key", key))

    async def in_states(self, states: tuple[str, ...]) -> list[PaymentRow]:
        marks = ",".join("?" * len(states))
        sql = f"SELECT * FROM payments WHERE state IN ({marks}) ORDER BY created_at"

        def q(c: sqlite3.Connection) -> list[PaymentRow]:
            return [self._row(r) for r in c.execute(sql, states).fetchall()]  # type: ignore[misc]

        return await self._run(q)

    # ---- writes -----------------------------------------------------------------------------------------------------

    async def reserve(self, new: NewPayment, owner: str) -> Reservation:
        """Claim `new.key` (or take over a rejected row for it); else return the row already there, matched by key or
        by payment id. One IMMEDIATE transaction, so two processes cannot both claim it."""

        def tx(c: sqlite3.Connection) -> Reservation:
            now = time.time()
            c.execute("BEGIN IMMEDIATE")
            try:
                row = self._by(c, "key", new.key)
                if row is None and new.payment_id:
                    by_id = self._by(c, "payment_id", new.payment_id)
                    if by_id is not None:
                        c.execute("COMMIT")
                        return Reservation(False, by_id)
                if row is not None and row.state != "rejected":
                    c.execute("COMMIT")
                    return Reservation(False, row)
                values = [getattr(new, k) for k in _NEW_COLUMNS]
                if row is None:
                    c.execute(
                        f"INSERT INTO payments ({','.join(_NEW_COLUMNS)}, state, owner, job_id, created_at, "
                        f"updated_at) VALUES ({','.join('?' * len(_NEW_COLUMNS))}, 'reserved', ?, ?, ?, ?)",
                        (*values, owner, new_job_id(), now, now),
                    )
                else:  # rejected earlier, nothing moved: the new attempt takes the row over (same job id)
                    if new.payment_id and new.payment_id != row.payment_id:
                        other = self._by(c, "payment_id", new.payment_id)
                        if other is not None:  # that id belongs to another payment: the caller answers 409
                            c.execute("COMMIT")
                            return Reservation(False, other)
                    sets = ",".join(f"{k}=?" for k in _NEW_COLUMNS[1:])
                    c.execute(
                        f"UPDATE payments SET {sets}, state='reserved', owner=?, tx_hash=NULL, raw_tx=NULL, "
                        "error_code=NULL, error_message=NULL, answer=NULL, admitted=0, updated_at=? WHERE key=?",
                        (*values[1:], owner, now, new.key),
                    )
                mine = self._by(c, "key", new.key)
                c.execute("COMMIT")
                return Reservation(True, mine)  # type: ignore[arg-type]
            except BaseException:
                _rollback(c)
                raise

        return await self._run(tx)

    async def take_over(self, row: PaymentRow, owner: str) -> PaymentRow | None:
        """Become the owner of `row` if nobody moved it since it was read (compare-and-set on updated_at)."""

        def tx(c: sqlite3.Connection) -> PaymentRow | None:
            cur = c.execute(
                "UPDATE payments SET owner=?, updated_at=? WHERE key=? AND updated_at=? AND state=?",
                (owner, time.time(), row.key, row.updated_at, row.state),
            )
            if cur.rowcount != 1:
                return None
            return self._by(c, "key", row.key)

        return await self._run(tx)

    async def move(self, key: str, owner: str | None, state: str, **values: Any) -> None:
        """Set the state (and other columns) of a row we own; LostOwnership if we no longer do.
        `owner=None` moves it whoever owns it (reconciliation at start-up, before serving)."""
        assert state in STATES
        allowed = {"tx_hash", "raw_tx", "error_code", "error_message", "answer"}
        assert set(values) <= allowed, set(values) - allowed
        sets = "".join(f", {k}=?" for k in values)
        sql = f"UPDATE payments SET state=?, updated_at=?{sets} WHERE key=?"
        args: list[Any] = [state, time.time(), *values.values(), key]
        if owner is not None:
            sql += " AND owner=?"
            args.append(owner)

        def tx(c: sqlite3.Connection) -> None:
            if c.execute(sql, args).rowcount != 1:
                raise LostOwnership(key)

        await self._run(tx)

    # ---- the per-source gate ----------------------------------------------------------------------------------------

    async def admit(
        self,
        row: PaymentRow,
        owner: str,
        lease_seconds: float,
        balance: int | None = None,
        balance_read_at: float = 0.0,
        margin_seconds: float = 0.0,
    ) -> Admission:
        """Admit `row` (ours, not yet settling) to settle, in one IMMEDIATE transaction: when no other admitted
        payment of its source is unsettled, or when `balance` (read at `balance_read_at`) covers them all plus this
        one. Payments that settled since the balance was read (less `margin_seconds`, for a lagging node) count as
        unsettled: the balance may not show them yet. A row untouched for `lease_seconds` is presumed abandoned and
        blocks nobody. LostOwnership if the row is no longer ours."""

        def tx(c: sqlite3.Connection) -> Admission:
            now = time.time()
            c.execute("BEGIN IMMEDIATE")
            try:
                rows = c.execute(
                    "SELECT key, amount, state, updated_at FROM payments WHERE network=? AND source=? AND admitted=1 "
                    f"AND key<>? AND state IN ({_marks(UNSETTLED + SETTLED)})",
                    (row.network, row.source, row.key, *UNSETTLED, *SETTLED),
                ).fetchall()
                unsettled = [r for r in rows if r["state"] in UNSETTLED and r["updated_at"] >= now - lease_seconds]
                counted = list(unsettled)
                if balance is not None:
                    since = balance_read_at - margin_seconds
                    counted += [r for r in rows if r["state"] in SETTLED and r["updated_at"] >= since]
                taken = sum(r["amount"] for r in counted)
                admitted = not unsettled or (balance is not None and balance >= taken + row.amount)
                if admitted:
                    cur = c.execute(
                        "UPDATE payments SET admitted=1, updated_at=? WHERE key=? AND owner=? "
                        "AND state IN ('reserved', 'verified')",
                        (now, row.key, owner),
                    )
                    if cur.rowcount != 1:
                        raise LostOwnership(row.key)
                c.execute("COMMIT")
                return Admission(admitted, frozenset(r["key"] for r in unsettled), taken)
            except BaseException:
                _rollback(c)
                raise

        return await self._run(tx)

    # ---- counters: failed payments, fees spent ----------------------------------------------------------------------

    async def failure_counts(self, subjects: list[str], window_start: int) -> dict[str, int]:
        """Failed payments counted this window, per subject (absent: none)."""
        sql = f"SELECT subject, failures FROM payment_failures WHERE window_start=? AND subject IN ({_marks(subjects)})"

        def q(c: sqlite3.Connection) -> dict[str, int]:
            return {r["subject"]: r["failures"] for r in c.execute(sql, (window_start, *subjects))}

        return await self._run(q)

    async def add_failure(self, subjects: list[str], window_start: int) -> None:
        """Count one failed payment against each subject in this window (older windows are dropped)."""

        def tx(c: sqlite3.Connection) -> None:
            c.execute("BEGIN IMMEDIATE")
            try:
                c.execute("DELETE FROM payment_failures WHERE window_start<?", (window_start,))
                for subject in subjects:
                    c.execute(
                        "INSERT INTO payment_failures (subject, window_start, failures) VALUES (?, ?, 1) "
                        "ON CONFLICT (subject, window_start) DO UPDATE SET failures = failures + 1",
                        (subject, window_start),
                    )
                c.execute("COMMIT")
            except BaseException:
                _rollback(c)
                raise

        await self._run(tx)

    async def fees_spent(self, network: str, window_start: int) -> int:
        sql = "SELECT lamports FROM fee_spend WHERE network=? AND window_start=?"

        def q(c: sqlite3.Connection) -> int:
            found = c.execute(sql, (network, window_start)).fetchone()
            return int(found["lamports"]) if found else 0

        return await self._run(q)

    async def spend_fee(self, network: str, window_start: int, lamports: int, budget: int) -> bool:
        """Add `lamports` to this window's spend if the total stays within `budget`; False (nothing added) if not."""

        def tx(c: sqlite3.Connection) -> bool:
            c.execute("BEGIN IMMEDIATE")
            try:
                c.execute("DELETE FROM fee_spend WHERE network=? AND window_start<?", (network, window_start))
                found = c.execute(
                    "SELECT lamports FROM fee_spend WHERE network=? AND window_start=?", (network, window_start)
                ).fetchone()
                spent = int(found["lamports"]) if found else 0
                fits = spent + lamports <= budget
                if fits:
                    c.execute(
                        "INSERT INTO fee_spend (network, window_start, lamports) VALUES (?, ?, ?) "
                        "ON CONFLICT (network, window_start) DO UPDATE SET lamports = lamports + excluded.lamports",
                        (network, window_start, lamports),
                    )
                c.execute("COMMIT")
                return fits
            except BaseException:
                _rollback(c)
                raise

        return await self._run(tx)


def _rollback(c: sqlite3.Connection) -> None:
    """Roll back what is open: SQLite rolls a failed COMMIT back itself (disk full), and a second ROLLBACK would raise
    'no transaction is active' instead of the error that matters."""
    if c.in_transaction:
        c.execute("ROLLBACK")


def _marks(values: tuple[str, ...] | list[str]) -> str:
    return ",".join("?" * len(values))
