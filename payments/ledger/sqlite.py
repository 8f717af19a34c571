"""The ledger on SQLite (stdlib), for one machine: WAL mode, on one worker thread of its own, so the event loop never
waits on the disk. Every process of the machine (`--workers N`) shares the file; IMMEDIATE transactions make each
read-modify-write atomic across them, and a waiter in another process finds out by reading the row again
(`poll_seconds`)."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal, TypeVar

from payments.errors import LedgerUnavailable
from payments.ledger.base import (
    MOVABLE,
    NEW_COLUMNS,
    SETTLED,
    STATES,
    UNSETTLED,
    Admission,
    Ledger,
    LostOwnership,
    NewPayment,
    NonceUnknown,
    PaymentRow,
    Reservation,
    Sign,
    decide_admission,
    new_job_id,
    payment_row,
)
from payments.ledger.migrations import Component, migrate_sqlite
from payments.ledger.sqlite_connection import Immediate, connect, transient

T = TypeVar("T")

V1_TABLES = [
    """CREATE TABLE IF NOT EXISTS payments (
        key TEXT PRIMARY KEY, payment_id TEXT UNIQUE, fingerprint TEXT NOT NULL, request_json TEXT NOT NULL,
        x402_version INTEGER NOT NULL, network TEXT NOT NULL, scheme TEXT NOT NULL, asset TEXT NOT NULL,
        payer TEXT NOT NULL, amount INTEGER NOT NULL, pay_to TEXT NOT NULL, nonce TEXT NOT NULL,
        valid_before INTEGER NOT NULL, payment_json TEXT NOT NULL, state TEXT NOT NULL, owner TEXT, tx_hash TEXT,
        raw_tx TEXT, job_id TEXT NOT NULL UNIQUE, error_code TEXT, error_message TEXT, answer TEXT,
        created_at REAL NOT NULL, updated_at REAL NOT NULL, source TEXT NOT NULL DEFAULT '',
        admitted INTEGER NOT NULL DEFAULT 0)""",
    """CREATE TABLE IF NOT EXISTS payment_failures (subject TEXT NOT NULL, window_start INTEGER NOT NULL,
        failures INTEGER NOT NULL, PRIMARY KEY (subject, window_start))""",
    """CREATE TABLE IF NOT EXISTS fee_spend (network TEXT NOT NULL, window_start INTEGER NOT NULL,
        lamports INTEGER NOT NULL, PRIMARY KEY (network, window_start))""",
]
# columns added after the first release: a ledger made before them gets them (with their defaults)
ADDED_COLUMNS = {"source": "TEXT NOT NULL DEFAULT ''", "admitted": "INTEGER NOT NULL DEFAULT 0"}
V1_INDEXES = [
    "CREATE INDEX IF NOT EXISTS payments_state ON payments(state)",
    "CREATE INDEX IF NOT EXISTS payments_tx_hash ON payments(tx_hash)",
    "CREATE INDEX IF NOT EXISTS payments_payer ON payments(payer)",
    "CREATE INDEX IF NOT EXISTS payments_source ON payments(network, source) WHERE admitted = 1",
]


def _v1(conn: sqlite3.Connection) -> None:
    """The ledger as releases before versioned migrations made it (idempotent: such a ledger passes unchanged)."""
    for statement in V1_TABLES:
        conn.execute(statement)
    have = {r[1] for r in conn.execute("PRAGMA table_info(payments)")}
    for name, kind in ADDED_COLUMNS.items():
        if name not in have:
            conn.execute(f"ALTER TABLE payments ADD COLUMN {name} {kind}")
    for statement in V1_INDEXES:
        conn.execute(statement)


V2 = [
    "CREATE TABLE ledger_owners (owner TEXT PRIMARY KEY, expires_at REAL NOT NULL)",
    "CREATE TABLE evm_nonces (sender TEXT PRIMARY KEY, next_nonce INTEGER NOT NULL)",
    "CREATE TABLE evm_free_nonces (sender TEXT NOT NULL, nonce INTEGER NOT NULL, PRIMARY KEY (sender, nonce))",
]
# other transactions signed with a ledger nonce (on-chain refunds), stored with the nonce that signed them
V3 = [
    "CREATE TABLE evm_outbox (purpose TEXT NOT NULL, ref TEXT NOT NULL, sender TEXT NOT NULL, nonce INTEGER NOT NULL, "
    "tx_hash TEXT NOT NULL, raw_tx TEXT NOT NULL, created_at REAL NOT NULL, PRIMARY KEY (purpose, ref))",
]
# the per-source gate reads a source's admitted payments in a few states: by state, not every payment the source ever
# made (a payer with thousands of settled payments made each admission read them all)
V4 = [
    "CREATE INDEX payments_source_state ON payments(network, source, state) WHERE admitted = 1",
    "DROP INDEX IF EXISTS payments_source",
]
LEDGER = Component("payments", [_v1, V2, V3, V4])


def _marks(values: tuple[str, ...] | list[str]) -> str:
    return ",".join("?" * len(values))


class SqliteLedger(Ledger):
    def __init__(self, path: Path) -> None:
        self.path = path
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="payments-ledger")
        self._conn: sqlite3.Connection | None = None

    # ---- plumbing ---------------------------------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = connect(self.path)
        return self._conn

    async def _run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._pool, lambda: fn(self._connection()))
        except sqlite3.OperationalError as exc:
            if transient(exc):
                raise LedgerUnavailable(str(exc).lower()) from exc
            raise

    async def open(self) -> None:
        self.applied = await self._run(lambda c: migrate_sqlite(c, LEDGER))

    async def close(self) -> None:
        def shut(c: sqlite3.Connection) -> None:
            c.close()
            self._conn = None

        if self._conn is not None:
            await self._run(shut)
        self._pool.shutdown(wait=True)

    @staticmethod
    def _by(c: sqlite3.Connection, column: Literal["key", "payment_id"], value: str) -> PaymentRow | None:
        """The row whose `column` (key or payment_id, both unique) is `value`."""
        return payment_row(c.execute(f"SELECT * FROM payments WHERE {column}=?", (value,)).fetchone())

    # ---- reads ------------------------------------------------------------------------------------------------------

    async def get(self, key: str) -> PaymentRow | None:
        return await self._run(lambda c: self._by(c, "key", key))

    async def in_states(self, states: tuple[str, ...]) -> list[PaymentRow]:
        sql = f"SELECT * FROM payments WHERE state IN ({_marks(states)}) ORDER BY created_at"
        return await self._run(lambda c: [payment_row(r) for r in c.execute(sql, states).fetchall()])  # type: ignore[misc]

    # ---- writes -----------------------------------------------------------------------------------------------------

    async def reserve(self, new: NewPayment, owner: str, admit_lease_seconds: float | None = None) -> Reservation:
        def tx(c: sqlite3.Connection) -> Reservation:
            now = time.time()
            with Immediate(c):
                reservation = _reserve(c, new, owner, now)
                if not reservation.owned or admit_lease_seconds is None:
                    return reservation
                row = reservation.row
                if _decide(c, row, now, admit_lease_seconds).admitted:  # one transaction (and thread hop) fewer
                    c.execute("UPDATE payments SET admitted=1 WHERE key=?", (row.key,))
                    row = replace(row, admitted=1)
                return Reservation(True, row)

        return await self._run(tx)

    async def take_over(self, row: PaymentRow, owner: str) -> PaymentRow | None:
        def tx(c: sqlite3.Connection) -> PaymentRow | None:
            cur = c.execute(
                "UPDATE payments SET owner=?, updated_at=? WHERE key=? AND updated_at=? AND state=?",
                (owner, time.time(), row.key, row.updated_at, row.state),
            )
            return self._by(c, "key", row.key) if cur.rowcount == 1 else None

        return await self._run(tx)

    async def move(self, key: str, owner: str | None, state: str, **values: Any) -> None:
        assert state in STATES
        assert set(values) <= MOVABLE, set(values) - MOVABLE
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
        def tx(c: sqlite3.Connection) -> Admission:
            now = time.time()
            with Immediate(c):
                admission = _decide(c, row, now, lease_seconds, balance, balance_read_at, margin_seconds)
                if admission.admitted:
                    cur = c.execute(
                        "UPDATE payments SET admitted=1, updated_at=? WHERE key=? AND owner=? "
                        "AND state IN ('reserved', 'verified')",
                        (now, row.key, owner),
                    )
                    if cur.rowcount != 1:
                        raise LostOwnership(row.key)
                return admission

        return await self._run(tx)

    # ---- counters: failed payments, fees spent ----------------------------------------------------------------------

    async def failure_counts(self, subjects: list[str], window_start: int) -> dict[str, int]:
        sql = f"SELECT subject, failures FROM payment_failures WHERE window_start=? AND subject IN ({_marks(subjects)})"
        args = (window_start, *subjects)
        return await self._run(lambda c: {r["subject"]: r["failures"] for r in c.execute(sql, args)})

    async def add_failure(self, subjects: list[str], window_start: int) -> None:
        def tx(c: sqlite3.Connection) -> None:
            with Immediate(c):
                c.execute("DELETE FROM payment_failures WHERE window_start<?", (window_start,))
                for subject in subjects:
                    c.execute(
                        "INSERT INTO payment_failures (subject, window_start, failures) VALUES (?, ?, 1) "
                        "ON CONFLICT (subject, window_start) DO UPDATE SET failures = failures + 1",
                        (subject, window_start),
                    )

        await self._run(tx)

    async def fees_spent(self, network: str, window_start: int) -> int:
        sql = "SELECT lamports FROM fee_spend WHERE network=? AND window_start=?"

        def q(c: sqlite3.Connection) -> int:
            found = c.execute(sql, (network, window_start)).fetchone()
            return int(found["lamports"]) if found else 0

        return await self._run(q)

    async def spend_fee(self, network: str, window_start: int, lamports: int, budget: int) -> bool:
        def tx(c: sqlite3.Connection) -> bool:
            with Immediate(c):
                c.execute("DELETE FROM fee_spend WHERE network=? AND window_start<?", (network, window_start))
                found = c.execute(
                    "SELECT lamports FROM fee_spend WHERE network=? AND window_start=?", (network, window_start)
                ).fetchone()
                fits = (int(found["lamports"]) if found else 0) + lamports <= budget
                if fits:
                    c.execute(
                        "INSERT INTO fee_spend (network, window_start, lamports) VALUES (?, ?, ?) "
                        "ON CONFLICT (network, window_start) DO UPDATE SET lamports = lamports + excluded.lamports",
                        (network, window_start, lamports),
                    )
                return fits

        return await self._run(tx)

    # ---- owners -----------------------------------------------------------------------------------------------------

    async def heartbeat(self, owner: str, ttl_seconds: float) -> None:
        def tx(c: sqlite3.Connection) -> None:
            now = time.time()
            c.execute("DELETE FROM ledger_owners WHERE expires_at < ?", (now - 3600,))
            c.execute(
                "INSERT INTO ledger_owners (owner, expires_at) VALUES (?, ?) "
                "ON CONFLICT (owner) DO UPDATE SET expires_at = excluded.expires_at",
                (owner, now + ttl_seconds),
            )

        await self._run(tx)

    async def live_owners(self) -> set[str]:
        sql = "SELECT owner FROM ledger_owners WHERE expires_at >= ?"
        return await self._run(lambda c: {r[0] for r in c.execute(sql, (time.time(),))})

    async def forget_owner(self, owner: str) -> None:
        await self._run(lambda c: c.execute("DELETE FROM ledger_owners WHERE owner = ?", (owner,)))

    # ---- nonces -----------------------------------------------------------------------------------------------------

    async def sign_settlement(self, key: str, owner: str, sender: str, floor: int | None, sign: Sign) -> int:
        def tx(c: sqlite3.Connection) -> int:
            with Immediate(c):
                nonce, counter = _allocate(c, sender, floor)
                tx_hash, raw = sign(nonce)
                stored = c.execute(
                    "UPDATE payments SET state='settling', tx_hash=?, raw_tx=?, updated_at=? WHERE key=? AND owner=?",
                    (tx_hash, raw or None, time.time(), key, owner),
                )
                if stored.rowcount != 1:
                    raise LostOwnership(key)
                _use_nonce(c, sender, nonce, counter)
                return nonce

        return await self._run(tx)

    async def sign_transaction(self, sender: str, floor: int | None, sign: Sign, purpose: str, ref: str) -> int:
        def tx(c: sqlite3.Connection) -> int:
            with Immediate(c):
                nonce, counter = _allocate(c, sender, floor)
                tx_hash, raw = sign(nonce)
                c.execute(
                    "INSERT INTO evm_outbox (purpose, ref, sender, nonce, tx_hash, raw_tx, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (purpose, ref) DO UPDATE SET sender=excluded.sender, "
                    "nonce=excluded.nonce, tx_hash=excluded.tx_hash, raw_tx=excluded.raw_tx, "
                    "created_at=excluded.created_at",
                    (purpose, ref, sender, nonce, tx_hash, raw, time.time()),
                )
                _use_nonce(c, sender, nonce, counter)
                return nonce

        return await self._run(tx)

    async def signed(self, purpose: str, ref: str) -> tuple[str, str] | None:
        sql = "SELECT tx_hash, raw_tx FROM evm_outbox WHERE purpose=? AND ref=?"
        found = await self._run(lambda c: c.execute(sql, (purpose, ref)).fetchone())
        return (found[0], found[1]) if found else None

    async def release_nonce(self, sender: str, nonce: int) -> None:
        sql = "INSERT INTO evm_free_nonces (sender, nonce) VALUES (?, ?) ON CONFLICT DO NOTHING"
        await self._run(lambda c: c.execute(sql, (sender, nonce)))


def _allocate(c: sqlite3.Connection, sender: str, floor: int | None) -> tuple[int, int]:
    """(the nonce to sign with, the sender's counter): a released nonce below the counter first, else the counter.
    Inside the caller's IMMEDIATE transaction; NonceUnknown for a sender never seen without a floor."""
    found = c.execute("SELECT next_nonce FROM evm_nonces WHERE sender=?", (sender,)).fetchone()
    if found is None and floor is None:
        raise NonceUnknown(sender)
    counter = max(int(found[0]) if found else 0, floor or 0)
    # released nonces below the chain's are used already
    c.execute("DELETE FROM evm_free_nonces WHERE sender=? AND nonce<?", (sender, floor or 0))
    free = c.execute("SELECT min(nonce) FROM evm_free_nonces WHERE sender=?", (sender,)).fetchone()[0]
    return (int(free) if free is not None and free < counter else counter), counter


def _use_nonce(c: sqlite3.Connection, sender: str, nonce: int, counter: int) -> None:
    """`nonce` is used: the counter moves past it, or it leaves the released ones."""
    if nonce == counter:
        c.execute(
            "INSERT INTO evm_nonces (sender, next_nonce) VALUES (?, ?) "
            "ON CONFLICT (sender) DO UPDATE SET next_nonce = excluded.next_nonce",
            (sender, counter + 1),
        )
    else:
        c.execute("DELETE FROM evm_free_nonces WHERE sender=? AND nonce=?", (sender, nonce))


def _decide(
    c: sqlite3.Connection,
    row: PaymentRow,
    now: float,
    lease_seconds: float,
    balance: int | None = None,
    balance_read_at: float = 0.0,
    margin_seconds: float = 0.0,
) -> Admission:
    """The per-source gate's decision for `row` over its source's other admitted rows, inside the caller's IMMEDIATE
    transaction. Only rows that can count are read: the unsettled ones, and with a balance those settled since it was
    read (less the margin)."""
    states = UNSETTLED if balance is None else UNSETTLED + SETTLED
    others = c.execute(
        "SELECT key, amount, state, updated_at FROM payments WHERE network=? AND source=? AND admitted=1 "
        f"AND key<>? AND state IN ({_marks(states)}) AND (state IN ({_marks(UNSETTLED)}) OR updated_at >= ?)",
        (row.network, row.source, row.key, *states, *UNSETTLED, balance_read_at - margin_seconds),
    ).fetchall()
    return decide_admission(others, row.amount, now, lease_seconds, balance, balance_read_at, margin_seconds)


def _reserve(c: sqlite3.Connection, new: NewPayment, owner: str, now: float) -> Reservation:
    by = SqliteLedger._by
    row = by(c, "key", new.key)
    if row is None and new.payment_id:
        by_id = by(c, "payment_id", new.payment_id)
        if by_id is not None:
            return Reservation(False, by_id)
    if row is not None and row.state != "rejected":
        return Reservation(False, row)
    values = [getattr(new, k) for k in NEW_COLUMNS]
    if row is None:
        job_id = new_job_id()
        c.execute(
            f"INSERT INTO payments ({','.join(NEW_COLUMNS)}, state, owner, job_id, created_at, updated_at) "
            f"VALUES ({_marks(NEW_COLUMNS)}, 'reserved', ?, ?, ?, ?)",
            (*values, owner, job_id, now, now),
        )
        return Reservation(True, PaymentRow(**vars(new), state="reserved", owner=owner, tx_hash=None, raw_tx=None,
                                            job_id=job_id, error_code=None, error_message=None, answer=None,
                                            created_at=now, updated_at=now, admitted=0))  # fmt: skip
    else:  # rejected earlier, nothing moved: the new attempt takes the row over (same job id)
        if new.payment_id and new.payment_id != row.payment_id:
            other = by(c, "payment_id", new.payment_id)
            if other is not None:  # that id belongs to another payment: the caller answers 409
                return Reservation(False, other)
        sets = ",".join(f"{k}=?" for k in NEW_COLUMNS[1:])
        c.execute(
            f"UPDATE payments SET {sets}, state='reserved', owner=?, tx_hash=NULL, raw_tx=NULL, "
            "error_code=NULL, error_message=NULL, answer=NULL, admitted=0, updated_at=? WHERE key=?",
            (*values[1:], owner, now, new.key),
        )
    return Reservation(True, by(c, "key", new.key))  # type: ignore[arg-type]
