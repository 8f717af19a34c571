"""The per-source gate on the ledger alone (no chain): who counts as in flight, balance admission, the bounded wait,
stale rows of a dead owner, and a ledger made before the gate's columns existed."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import pytest

from payments import errors
from payments.errors import PaymentDeferred, PaymentRejected
from payments.gate import SourceGate
from payments.ledger import Ledger, NewPayment, PaymentRow, SqliteLedger, ledger_at
from tests import backends

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL

LEASE = 120.0
PRICE = 50_000


def new(key: str, source: str = "0xpayer", amount: int = PRICE) -> NewPayment:
    return NewPayment(
        key=key,
        payment_id=None,
        fingerprint="f",
        request_json="{}",
        x402_version=2,
        network="eip155:84532",
        scheme="exact",
        asset="0xusdc",
        payer=source,
        amount=amount,
        pay_to="0xpayto",
        nonce=key,
        valid_before=0,
        payment_json="{}",
        source=source,
    )


async def reserved(ledger: Ledger, key: str, owner: str = "me", source: str = "0xpayer") -> PaymentRow:
    reservation = await ledger.reserve(new(key, source), owner)
    assert reservation.owned
    return reservation.row


async def no_balance(source: str) -> int:
    raise AssertionError("the balance is read only when another payment of the source is in flight")


def test_admission_counts_only_admitted_unsettled_fresh_rows(tmp_path: Path) -> None:
    async def main() -> None:
        ledger = ledger_at(backends.current().ledger_for(tmp_path / "l.db"))
        await ledger.open()
        try:
            a = await reserved(ledger, "a")
            b = await reserved(ledger, "b")
            assert (await ledger.admit(a, "me", LEASE)).admitted  # alone: admitted, no balance needed
            second = await ledger.admit(b, "me", LEASE)
            assert not second.admitted and second.in_flight == {"a"} and second.in_flight_amount == PRICE
            assert not (await ledger.admit(b, "me", LEASE, balance=2 * PRICE - 1, balance_read_at=time.time())).admitted
            assert (await ledger.admit(b, "me", LEASE, balance=2 * PRICE, balance_read_at=time.time())).admitted
            c = await reserved(ledger, "c", source="0xother")
            assert (await ledger.admit(c, "me", LEASE)).admitted  # another source is not held back
            # b is still in flight; a settles: it no longer counts, unless it settled after the balance was read
            read_at = time.time()
            await ledger.move("a", "me", "settled", tx_hash="0x1")
            d = await reserved(ledger, "d")
            before = await ledger.admit(d, "me", LEASE, balance=2 * PRICE, balance_read_at=read_at)
            assert not before.admitted and before.in_flight == {"b"} and before.in_flight_amount == 2 * PRICE
            after = await ledger.admit(
                d, "me", LEASE, balance=2 * PRICE, balance_read_at=time.time() + 1
            )  # read after it settled
            assert after.admitted
        finally:
            await ledger.close()

    asyncio.run(main())


def test_a_dead_owners_admitted_row_does_not_block_the_source(tmp_path: Path) -> None:
    async def main() -> None:
        ledger = ledger_at(backends.current().ledger_for(tmp_path / "l.db"))
        await ledger.open()
        try:
            dead = await reserved(ledger, "dead", owner="crashed")
            assert (await ledger.admit(dead, "crashed", LEASE)).admitted
            await ledger.move("dead", "crashed", "settling", tx_hash="0xdead", raw_tx="0x")
            mine = await reserved(ledger, "mine")
            assert not (await ledger.admit(mine, "me", LEASE)).admitted  # in flight: it may still land
            backends.current().ledger_execute(  # its owner died long ago
                tmp_path / "l.db", "UPDATE payments SET updated_at=? WHERE key='dead'", time.time() - LEASE - 1
            )
            assert (await ledger.admit(mine, "me", LEASE)).admitted
        finally:
            await ledger.close()

    asyncio.run(main())


def test_the_gate_waits_then_refuses_or_answers_busy(tmp_path: Path) -> None:
    async def main() -> None:
        ledger = ledger_at(backends.current().ledger_for(tmp_path / "l.db"))
        await ledger.open()
        gate = SourceGate(ledger, "me", LEASE)
        try:
            first = await reserved(ledger, "first")
            await gate.admit(first, no_balance, time.time() + 30)
            waiting = await reserved(ledger, "waiting")

            async def holds(amount: int) -> int:
                return amount

            async def one_price(source: str) -> int:
                return await holds(PRICE)

            async def less(source: str) -> int:
                return await holds(PRICE - 1)

            with pytest.raises(PaymentRejected) as refused:  # cannot pay even this one: at once, no wait
                await gate.admit(waiting, less, time.time() + 30)
            assert refused.value.reason == errors.INSUFFICIENT_FUNDS
            with pytest.raises(PaymentDeferred) as busy:  # could pay, but not both: waits until the deadline
                await gate.admit(waiting, one_price, time.time() + 0.3)
            assert busy.value.reason == errors.PAYMENT_SOURCE_BUSY and busy.value.retry_after >= 1
            # the first one finishes while the second waits: woken, it is admitted
            pending = asyncio.create_task(gate.admit(waiting, one_price, time.time() + 30))
            await asyncio.sleep(0.05)
            assert not pending.done()
            await ledger.move("first", "me", "settled", tx_hash="0x1")
            gate.wake(first.network, first.source)
            await pending
        finally:
            await ledger.close()

    asyncio.run(main())


def test_a_ledger_from_before_the_gate_gets_its_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    columns = [c for c in new("x").__dataclass_fields__ if c != "source"]
    with sqlite3.connect(path) as db:  # the payments table as the first release made it
        db.execute(
            f"CREATE TABLE payments ({', '.join(columns)}, state, owner, tx_hash, raw_tx, job_id UNIQUE, error_code, "
            "error_message, answer, created_at, updated_at, PRIMARY KEY (key))"
        )
        values = {
            **new("old").__dict__,
            "state": "job_created",
            "job_id": "job_1",
            "created_at": 1.0,
            "updated_at": 1.0,
        }
        del values["source"]
        db.execute(
            f"INSERT INTO payments ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})", [*values.values()]
        )

    async def main() -> None:
        ledger = SqliteLedger(path)
        await ledger.open()
        try:
            old = await ledger.get("old")
            assert old is not None and old.state == "job_created" and old.source == "" and old.admitted == 0
            assert (await ledger.admit(await reserved(ledger, "new"), "me", LEASE)).admitted
        finally:
            await ledger.close()

    asyncio.run(main())


def test_a_lone_payment_is_admitted_as_it_is_reserved_and_a_long_history_does_not_count(tmp_path: Path) -> None:
    """`reserve(admit_lease_seconds=...)`: SQLite admits a payment with nothing else of its source in flight in the
    same transaction (PostgreSQL leaves it to `admit`, one statement of its own); either way the gate then passes it
    without a balance. Hundreds of settled payments of the source are not in flight and never count."""

    async def main() -> None:
        ledger = ledger_at(backends.current().ledger_for(tmp_path / "l.db"))
        await ledger.open()
        try:
            for i in range(300):
                row = await reserved(ledger, f"old{i}")
                assert (await ledger.admit(row, "me", LEASE)).admitted
                await ledger.move(row.key, "me", "job_created", tx_hash=f"0x{i}")
            lone = (await ledger.reserve(new("lone"), "me", admit_lease_seconds=LEASE)).row
            assert lone.admitted == (1 if isinstance(ledger, SqliteLedger) else 0)
            gate = SourceGate(ledger, "me", LEASE)
            await gate.admit(lone, no_balance, time.time() + 5)  # no balance read: nothing else is in flight
            held = (await ledger.reserve(new("held"), "me", admit_lease_seconds=LEASE)).row
            assert held.admitted == 0  # "lone" is in flight
            stuck = await ledger.admit(held, "me", LEASE)
            assert not stuck.admitted and stuck.in_flight == {"lone"} and stuck.in_flight_amount == PRICE
            # with a balance read now, the 300 payments settled before the read do not count
            assert (await ledger.admit(held, "me", LEASE, balance=2 * PRICE, balance_read_at=time.time())).admitted
        finally:
            await ledger.close()

    asyncio.run(main())
