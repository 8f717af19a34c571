"""The ledger on PostgreSQL, for several processes on several machines (psycopg 3, an async connection pool).

The same operations as `payments.ledger.sqlite`, with PostgreSQL's means: a row-level `FOR UPDATE` on a key's nonce
counter, transaction-level advisory locks where SQLite takes its one database-wide write lock (the per-source gate:
one lock per network and source; a reservation: one per key), a single conditional upsert for the fee budget. A
change a waiter may care about is notified in the same transaction (`pg_notify`: delivered at commit), so a copy of
a payment waiting on another node, or a payment waiting for its source, wakes at once instead of polling.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

from payments.errors import LedgerUnavailable  # a deferral: answered 503 store_unavailable
from payments.ledger.base import (
    MOVABLE,
    NEW_COLUMNS,
    ROW_CHANNEL,
    SETTLED,
    SOURCE_CHANNEL,
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
    Watch,
    decide_admission,
    new_job_id,
    payment_row,
)
from payments.ledger.listener import Listener, Signals
from payments.ledger.migrations import Component, migrate_postgres

T = TypeVar("T")
CHANNELS = (ROW_CHANNEL, SOURCE_CHANNEL)

V1 = """
CREATE TABLE payments (
    key TEXT PRIMARY KEY, payment_id TEXT UNIQUE, fingerprint TEXT NOT NULL, request_json TEXT NOT NULL,
    x402_version INTEGER NOT NULL, network TEXT NOT NULL, scheme TEXT NOT NULL, asset TEXT NOT NULL,
    payer TEXT NOT NULL, amount BIGINT NOT NULL, pay_to TEXT NOT NULL, nonce TEXT NOT NULL,
    valid_before BIGINT NOT NULL, payment_json TEXT NOT NULL, state TEXT NOT NULL, owner TEXT, tx_hash TEXT,
    raw_tx TEXT, job_id TEXT NOT NULL UNIQUE, error_code TEXT, error_message TEXT, answer TEXT,
    created_at DOUBLE PRECISION NOT NULL, updated_at DOUBLE PRECISION NOT NULL, source TEXT NOT NULL DEFAULT '',
    admitted INTEGER NOT NULL DEFAULT 0);
CREATE INDEX payments_state ON payments(state);
CREATE INDEX payments_tx_hash ON payments(tx_hash);
CREATE INDEX payments_payer ON payments(payer);
CREATE INDEX payments_source ON payments(network, source) WHERE admitted = 1;
CREATE TABLE payment_failures (subject TEXT NOT NULL, window_start BIGINT NOT NULL, failures INTEGER NOT NULL,
    PRIMARY KEY (subject, window_start));
CREATE TABLE fee_spend (network TEXT NOT NULL, window_start BIGINT NOT NULL, lamports BIGINT NOT NULL,
    PRIMARY KEY (network, window_start));
CREATE TABLE ledger_owners (owner TEXT PRIMARY KEY, expires_at DOUBLE PRECISION NOT NULL);
CREATE TABLE evm_nonces (sender TEXT PRIMARY KEY, next_nonce BIGINT NOT NULL);
CREATE TABLE evm_free_nonces (sender TEXT NOT NULL, nonce BIGINT NOT NULL, PRIMARY KEY (sender, nonce));

-- The per-source gate's common case in one statement: admitted at once when nothing else of the source is admitted
-- and unsettled (1), else 0 (the caller decides with the balance), -1 when the row is no longer the owner's. Each
-- statement after the lock reads what was committed before it was taken (READ COMMITTED, a volatile function).
CREATE FUNCTION x402_admit_alone(p_network TEXT, p_source TEXT, p_key TEXT, p_owner TEXT, p_now DOUBLE PRECISION,
                                 p_fresh_since DOUBLE PRECISION) RETURNS INTEGER AS $$
DECLARE moved INTEGER;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended(p_network || ' ' || p_source, 1));
    IF EXISTS (SELECT 1 FROM payments WHERE network = p_network AND source = p_source AND admitted = 1
               AND key <> p_key AND state IN ('reserved', 'verified', 'settling') AND updated_at >= p_fresh_since) THEN
        RETURN 0;
    END IF;
    UPDATE payments SET admitted = 1, updated_at = p_now
        WHERE key = p_key AND owner = p_owner AND state IN ('reserved', 'verified');
    GET DIAGNOSTICS moved = ROW_COUNT;
    RETURN CASE WHEN moved = 1 THEN 1 ELSE -1 END;
END $$ LANGUAGE plpgsql;

-- The next nonce of a settling account (a released one first; at least p_floor), taken under the counter's row lock
-- until the caller's transaction ends; NULL when the account has no counter yet and no floor is given.
CREATE FUNCTION x402_take_nonce(p_sender TEXT, p_floor BIGINT) RETURNS BIGINT AS $$
DECLARE counter BIGINT; released BIGINT;
BEGIN
    IF p_floor IS NOT NULL THEN
        INSERT INTO evm_nonces (sender, next_nonce) VALUES (p_sender, p_floor) ON CONFLICT DO NOTHING;
    END IF;
    SELECT next_nonce INTO counter FROM evm_nonces WHERE sender = p_sender FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF p_floor IS NOT NULL THEN
        counter := greatest(counter, p_floor);
        DELETE FROM evm_free_nonces WHERE sender = p_sender AND nonce < p_floor;  -- the chain is past them
    END IF;
    SELECT min(nonce) INTO released FROM evm_free_nonces WHERE sender = p_sender;
    IF released IS NOT NULL AND released < counter THEN
        DELETE FROM evm_free_nonces WHERE sender = p_sender AND nonce = released;
        UPDATE evm_nonces SET next_nonce = counter WHERE sender = p_sender;
        RETURN released;
    END IF;
    UPDATE evm_nonces SET next_nonce = counter + 1 WHERE sender = p_sender;
    RETURN counter;
END $$ LANGUAGE plpgsql;
"""
# other transactions signed with a ledger nonce (on-chain refunds), stored with the nonce that signed them
V3 = """
CREATE TABLE evm_outbox (purpose TEXT NOT NULL, ref TEXT NOT NULL, sender TEXT NOT NULL, nonce BIGINT NOT NULL,
    tx_hash TEXT NOT NULL, raw_tx TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL, PRIMARY KEY (purpose, ref));
"""
# V1 is one step here for what took two on SQLite (no PostgreSQL ledger predates versioned migrations); the version
# numbers match, so `forge402 migrate --from-sqlite` copies a ledger of either release
# the per-source gate reads a source's admitted payments in a few states, by state (see the SQLite ledger's V4)
V4 = """
CREATE INDEX payments_source_state ON payments(network, source, state) WHERE admitted = 1;
DROP INDEX IF EXISTS payments_source;
"""
LEDGER = Component("payments", [V1, "SELECT 1", V3, V4])

# a moved row notifies its key; one that stopped counting for the per-source gate also notifies its source
_NOTIFY_MOVED = (
    f"SELECT pg_notify('{ROW_CHANNEL}', key), "
    f"CASE WHEN state NOT IN ('reserved', 'verified', 'settling') THEN pg_notify('{SOURCE_CHANNEL}', network || ' ' "
    "|| source) END FROM moved"
)


class Notified:
    """A watch woken by the notification it was armed for (or, as a safety net, after `cap` seconds)."""

    def __init__(self, event: asyncio.Event, cap: float) -> None:
        self.event, self.cap = event, cap

    async def wait(self, timeout: float) -> None:
        await Signals.wait(self.event, max(0.0, min(timeout, self.cap)))


def pool_for(conninfo: str, max_size: int = 8, timeout: float = 5.0) -> Any:
    """An async pool of autocommit connections that read rows as dicts (not opened yet)."""
    from psycopg.rows import dict_row
    from psycopg_pool import AsyncConnectionPool

    return AsyncConnectionPool(
        conninfo,
        min_size=1,
        max_size=max_size,
        timeout=timeout,
        kwargs={"autocommit": True, "row_factory": dict_row},
        open=False,
    )


class PostgresLedger(Ledger):
    poll_seconds = 1.0  # a safety net: changes are notified
    source_poll_seconds = 2.0

    def __init__(self, conninfo: str, pool: Any = None, listener: Listener | None = None) -> None:
        """`pool` and `listener`: the service's own, to share (the listener then also listens on our channels)."""
        self.conninfo = conninfo
        self._pool = pool if pool is not None else pool_for(conninfo)
        self._own_pool = pool is None
        if listener is None:
            self.listener, self._own_listener = Listener(conninfo, CHANNELS), True
        else:
            listener.add_channels(CHANNELS)
            self.listener, self._own_listener = listener, False

    # ---- plumbing ---------------------------------------------------------------------------------------------------

    async def _run(self, fn: Callable[[Any], Awaitable[T]]) -> T:
        """`fn(conn)` on a pooled connection; LedgerUnavailable when the server cannot be reached (a transaction cut
        short by that rolls back: nothing is half-written)."""
        import psycopg

        try:
            async with self._pool.connection() as conn:
                return await fn(conn)
        except psycopg.OperationalError as exc:  # includes the pool's timeout
            raise LedgerUnavailable(f"its database is unreachable: {type(exc).__name__}") from exc

    async def open(self) -> None:
        if self._own_pool:
            await self._pool.open(wait=True, timeout=30)
        self.applied = await self._run(lambda c: migrate_postgres(c, LEDGER))
        if self._own_listener:
            await self.listener.start()

    async def close(self) -> None:
        if self._own_listener:
            await self.listener.stop()
        if self._own_pool:
            await self._pool.close()

    @staticmethod
    async def _one(conn: Any, sql: str, args: tuple[Any, ...] | list[Any] = ()) -> dict[str, Any] | None:
        cur = await conn.execute(sql, args)
        return await cur.fetchone()

    @classmethod
    async def _by(cls, conn: Any, column: str, value: str) -> PaymentRow | None:
        return payment_row(await cls._one(conn, f"SELECT * FROM payments WHERE {column}=%s", (value,)))

    # ---- waiting ----------------------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def watch_row(self, key: str) -> Iterator[Watch]:
        with self.listener.armed(ROW_CHANNEL, key) as event:
            yield Notified(event, self.poll_seconds)

    @contextlib.contextmanager
    def watch_source(self, network: str, source: str) -> Iterator[Watch]:
        with self.listener.armed(SOURCE_CHANNEL, f"{network} {source}") as event:
            yield Notified(event, self.source_poll_seconds)

    # ---- reads ------------------------------------------------------------------------------------------------------

    async def get(self, key: str) -> PaymentRow | None:
        return await self._run(lambda c: self._by(c, "key", key))

    async def in_states(self, states: tuple[str, ...]) -> list[PaymentRow]:
        async def q(conn: Any) -> list[PaymentRow]:
            sql = "SELECT * FROM payments WHERE state = ANY(%s) ORDER BY created_at"
            cur = await conn.execute(sql, (list(states),))
            return [payment_row(r) for r in await cur.fetchall()]  # type: ignore[misc]

        return await self._run(q)

    # ---- writes -----------------------------------------------------------------------------------------------------

    async def reserve(self, new: NewPayment, owner: str, admit_lease_seconds: float | None = None) -> Reservation:
        # `admit_lease_seconds` is not used here: the gate's admission is one statement of its own (x402_admit_alone)
        import psycopg

        async def tx(conn: Any) -> Reservation:
            fresh = await self._insert_new(conn, new, owner, time.time())
            if fresh is not None:  # the common case, one round trip: a payment seen for the first time
                return Reservation(True, fresh)
            for attempt in range(3):
                try:
                    async with conn.transaction():
                        await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (new.key,))
                        return await self._reserve(conn, new, owner, time.time())
                except psycopg.errors.UniqueViolation:  # a concurrent payment took this payment id: read it again
                    if attempt == 2:
                        raise
            raise AssertionError("unreachable")

        return await self._run(tx)

    @staticmethod
    async def _insert_new(conn: Any, new: NewPayment, owner: str, now: float) -> PaymentRow | None:
        """The row for `new`, inserted, or None when its key or payment id is taken (the unique constraints decide,
        atomically: no lock needed)."""
        marks = ",".join(["%s"] * len(NEW_COLUMNS))
        cur = await conn.execute(
            f"INSERT INTO payments ({','.join(NEW_COLUMNS)}, state, owner, job_id, created_at, updated_at) "
            f"VALUES ({marks}, 'reserved', %s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING *",
            (*[getattr(new, k) for k in NEW_COLUMNS], owner, new_job_id(), now, now),
        )
        return payment_row(await cur.fetchone())

    @classmethod
    async def _reserve(cls, conn: Any, new: NewPayment, owner: str, now: float) -> Reservation:
        row = await cls._by(conn, "key", new.key)
        if row is None and new.payment_id:
            by_id = await cls._by(conn, "payment_id", new.payment_id)
            if by_id is not None:
                return Reservation(False, by_id)
        if row is not None and row.state != "rejected":
            return Reservation(False, row)
        values = [getattr(new, k) for k in NEW_COLUMNS]
        if row is None:
            marks = ",".join(["%s"] * len(NEW_COLUMNS))
            await conn.execute(
                f"INSERT INTO payments ({','.join(NEW_COLUMNS)}, state, owner, job_id, created_at, updated_at) "
                f"VALUES ({marks}, 'reserved', %s, %s, %s, %s)",
                (*values, owner, new_job_id(), now, now),
            )
        else:  # rejected earlier, nothing moved: the new attempt takes the row over (same job id)
            if new.payment_id and new.payment_id != row.payment_id:
                other = await cls._by(conn, "payment_id", new.payment_id)
                if other is not None:
                    return Reservation(False, other)
            sets = ",".join(f"{k}=%s" for k in NEW_COLUMNS[1:])
            await conn.execute(
                f"UPDATE payments SET {sets}, state='reserved', owner=%s, tx_hash=NULL, raw_tx=NULL, "
                "error_code=NULL, error_message=NULL, answer=NULL, admitted=0, updated_at=%s WHERE key=%s",
                (*values[1:], owner, now, new.key),
            )
            await conn.execute("SELECT pg_notify(%s, %s)", (ROW_CHANNEL, new.key))
        return Reservation(True, await cls._by(conn, "key", new.key))  # type: ignore[arg-type]

    async def take_over(self, row: PaymentRow, owner: str) -> PaymentRow | None:
        sql = "UPDATE payments SET owner=%s, updated_at=%s WHERE key=%s AND updated_at=%s AND state=%s RETURNING *"
        args = (owner, time.time(), row.key, row.updated_at, row.state)
        return await self._run(lambda c: self._take(c, sql, args))

    @staticmethod
    async def _take(conn: Any, sql: str, args: tuple[Any, ...]) -> PaymentRow | None:
        cur = await conn.execute(sql, args)
        return payment_row(await cur.fetchone())

    async def move(self, key: str, owner: str | None, state: str, **values: Any) -> None:
        assert state in STATES
        assert set(values) <= MOVABLE, set(values) - MOVABLE
        sets = "".join(f", {k}=%s" for k in values)
        where = "key=%s" + (" AND owner=%s" if owner is not None else "")
        sql = (
            f"WITH moved AS (UPDATE payments SET state=%s, updated_at=%s{sets} WHERE {where} "
            f"RETURNING key, state, network, source) {_NOTIFY_MOVED}"
        )
        args: list[Any] = [state, time.time(), *values.values(), key, *([owner] if owner is not None else [])]

        async def tx(conn: Any) -> None:
            cur = await conn.execute(sql, args)
            if not await cur.fetchall():
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
        if balance is None:  # the common case, one statement: nothing else of the source in flight
            found = await self._run(
                lambda c: self._one(
                    c,
                    "SELECT x402_admit_alone(%s, %s, %s, %s, %s, %s) AS admitted",
                    (row.network, row.source, row.key, owner, time.time(), time.time() - lease_seconds),
                )
            )
            assert found is not None
            if found["admitted"] == -1:
                raise LostOwnership(row.key)
            if found["admitted"] == 1:
                return Admission(True, frozenset(), 0)

        async def tx(conn: Any) -> Admission:
            async with conn.transaction():
                await conn.execute(
                    "SELECT pg_advisory_xact_lock(hashtextextended(%s, 1))", (f"{row.network} {row.source}",)
                )
                now = time.time()
                states = list(UNSETTLED if balance is None else UNSETTLED + SETTLED)
                cur = await conn.execute(  # only rows that can count (as on SQLite)
                    "SELECT key, amount, state, updated_at FROM payments WHERE network=%s AND source=%s "
                    "AND admitted=1 AND key<>%s AND state = ANY(%s) AND (state = ANY(%s) OR updated_at >= %s)",
                    (row.network, row.source, row.key, states, list(UNSETTLED), balance_read_at - margin_seconds),
                )
                others = await cur.fetchall()
                admission = decide_admission(
                    others, row.amount, now, lease_seconds, balance, balance_read_at, margin_seconds
                )
                if admission.admitted:
                    cur = await conn.execute(
                        "UPDATE payments SET admitted=1, updated_at=%s WHERE key=%s AND owner=%s "
                        "AND state IN ('reserved', 'verified')",
                        (now, row.key, owner),
                    )
                    if cur.rowcount != 1:
                        raise LostOwnership(row.key)
                return admission

        return await self._run(tx)

    # ---- counters: failed payments, fees spent ----------------------------------------------------------------------

    async def failure_counts(self, subjects: list[str], window_start: int) -> dict[str, int]:
        async def q(conn: Any) -> dict[str, int]:
            cur = await conn.execute(
                "SELECT subject, failures FROM payment_failures WHERE window_start=%s AND subject = ANY(%s)",
                (window_start, subjects),
            )
            return {r["subject"]: r["failures"] for r in await cur.fetchall()}

        return await self._run(q)

    async def add_failure(self, subjects: list[str], window_start: int) -> None:
        async def tx(conn: Any) -> None:
            async with conn.transaction():
                await conn.execute("DELETE FROM payment_failures WHERE window_start<%s", (window_start,))
                await conn.execute(
                    "INSERT INTO payment_failures (subject, window_start, failures) "
                    "SELECT s, %s, 1 FROM unnest(%s::text[]) AS s "
                    "ON CONFLICT (subject, window_start) DO UPDATE SET failures = payment_failures.failures + 1",
                    (window_start, subjects),
                )

        await self._run(tx)

    async def fees_spent(self, network: str, window_start: int) -> int:
        async def q(conn: Any) -> int:
            found = await self._one(
                conn, "SELECT lamports FROM fee_spend WHERE network=%s AND window_start=%s", (network, window_start)
            )
            return int(found["lamports"]) if found else 0

        return await self._run(q)

    async def spend_fee(self, network: str, window_start: int, lamports: int, budget: int) -> bool:
        async def tx(conn: Any) -> bool:
            await conn.execute("DELETE FROM fee_spend WHERE network=%s AND window_start<%s", (network, window_start))
            found = await self._one(
                conn,
                "INSERT INTO fee_spend (network, window_start, lamports) SELECT %s, %s, %s WHERE %s <= %s "
                "ON CONFLICT (network, window_start) DO UPDATE SET lamports = fee_spend.lamports + excluded.lamports "
                "WHERE fee_spend.lamports + excluded.lamports <= %s RETURNING lamports",
                (network, window_start, lamports, lamports, budget, budget),
            )
            return found is not None

        return await self._run(tx)

    # ---- owners -----------------------------------------------------------------------------------------------------

    async def heartbeat(self, owner: str, ttl_seconds: float) -> None:
        async def tx(conn: Any) -> None:
            now = time.time()
            await conn.execute("DELETE FROM ledger_owners WHERE expires_at < %s", (now - 3600,))
            await conn.execute(
                "INSERT INTO ledger_owners (owner, expires_at) VALUES (%s, %s) "
                "ON CONFLICT (owner) DO UPDATE SET expires_at = excluded.expires_at",
                (owner, now + ttl_seconds),
            )

        await self._run(tx)

    async def live_owners(self) -> set[str]:
        async def q(conn: Any) -> set[str]:
            cur = await conn.execute("SELECT owner FROM ledger_owners WHERE expires_at >= %s", (time.time(),))
            return {r["owner"] for r in await cur.fetchall()}

        return await self._run(q)

    async def forget_owner(self, owner: str) -> None:
        await self._run(lambda c: c.execute("DELETE FROM ledger_owners WHERE owner = %s", (owner,)))

    # ---- nonces -----------------------------------------------------------------------------------------------------

    async def _take_nonce(self, conn: Any, sender: str, floor: int | None) -> int:
        """The next nonce of `sender`, its counter's row locked until the caller's transaction ends (a rollback gives
        it back)."""
        taken = await self._one(conn, "SELECT x402_take_nonce(%s, %s) AS nonce", (sender, floor))
        if taken is None or taken["nonce"] is None:
            raise NonceUnknown(sender)
        return int(taken["nonce"])

    async def sign_settlement(self, key: str, owner: str, sender: str, floor: int | None, sign: Sign) -> int:
        async def tx(conn: Any) -> int:
            async with conn.transaction():
                nonce = await self._take_nonce(conn, sender, floor)
                tx_hash, raw = sign(nonce)
                cur = await conn.execute(
                    "WITH moved AS (UPDATE payments SET state='settling', tx_hash=%s, raw_tx=%s, updated_at=%s "
                    f"WHERE key=%s AND owner=%s RETURNING key, state, network, source) {_NOTIFY_MOVED}",
                    (tx_hash, raw or None, time.time(), key, owner),
                )
                if not await cur.fetchall():
                    raise LostOwnership(key)  # the transaction rolls back: the nonce was not taken
                return nonce

        return await self._run(tx)

    async def sign_transaction(self, sender: str, floor: int | None, sign: Sign, purpose: str, ref: str) -> int:
        async def tx(conn: Any) -> int:
            async with conn.transaction():
                nonce = await self._take_nonce(conn, sender, floor)
                tx_hash, raw = sign(nonce)
                await conn.execute(
                    "INSERT INTO evm_outbox (purpose, ref, sender, nonce, tx_hash, raw_tx, created_at) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (purpose, ref) DO UPDATE SET "
                    "sender=excluded.sender, nonce=excluded.nonce, tx_hash=excluded.tx_hash, raw_tx=excluded.raw_tx, "
                    "created_at=excluded.created_at",
                    (purpose, ref, sender, nonce, tx_hash, raw, time.time()),
                )
                return nonce

        return await self._run(tx)

    async def signed(self, purpose: str, ref: str) -> tuple[str, str] | None:
        async def q(conn: Any) -> tuple[str, str] | None:
            found = await self._one(
                conn, "SELECT tx_hash, raw_tx FROM evm_outbox WHERE purpose=%s AND ref=%s", (purpose, ref)
            )
            return (found["tx_hash"], found["raw_tx"]) if found else None

        return await self._run(q)

    async def release_nonce(self, sender: str, nonce: int) -> None:
        sql = "INSERT INTO evm_free_nonces (sender, nonce) VALUES (%s, %s) ON CONFLICT DO NOTHING"
        await self._run(lambda c: c.execute(sql, (sender, nonce)))
