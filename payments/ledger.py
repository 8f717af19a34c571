"""The payment ledger: one row per payment, reserved under a UNIQUE key before anything is verified.

States: reserved → verified → settling (tx hash and signed raw tx stored before the send) → settled → job_created,
or rejected. A rejected payment moved no money, so the row can be taken over by a later attempt with the same
authorization (a corrected retry is not blocked; the row keeps the last rejection until then). Each row has an
owner (the gateway instance working on it); the ledger only lets the owner move it on.

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

T = TypeVar("T")

BUSY_TIMEOUT_MS = 10_000
STATES = ("reserved", "verified", "settling", "settled", "job_created", "rejected")
IN_FLIGHT = ("reserved", "verified", "settling", "settled")

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
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS payments_state ON payments(state);
CREATE INDEX IF NOT EXISTS payments_tx_hash ON payments(tx_hash);
CREATE INDEX IF NOT EXISTS payments_payer ON payments(payer);
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


_COLUMNS = [f.name for f in fields(PaymentRow)]
_NEW_COLUMNS = [f.name for f in fields(NewPayment)]


@dataclass(frozen=True)
class Reservation:
    owned: bool  # True: this caller must process the payment; False: `row` is someone else's (or done)
    row: PaymentRow


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
        return await loop.run_in_executor(self._pool, lambda: fn(self._connection()))

    async def open(self) -> None:
        await self._run(lambda c: c.executescript(SCHEMA))

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
                        "error_code=NULL, error_message=NULL, answer=NULL, updated_at=? WHERE key=?",
                        (*values[1:], owner, now, new.key),
                    )
                mine = self._by(c, "key", new.key)
                c.execute("COMMIT")
                return Reservation(True, mine)  # type: ignore[arg-type]
            except BaseException:
                c.execute("ROLLBACK")
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
