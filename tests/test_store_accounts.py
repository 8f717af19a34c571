"""Accounts in the store, on both backends: the credit ledger is double entry and never goes below zero under
concurrency (50 spends of the last credit at once: one), a purchase or refund posted twice counts once, a refund asked
ten times at once is one refund, a sign-in nonce is used once, and a single-machine database's accounts, keys, credits,
charges and refunds copy into PostgreSQL."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from app.store.jobs import NewJob
from tests.backends import SQLITE, Backend

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL

ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
BOB = "7Am7S9ZHyRtzFm9j2gy67pJqrb7miTTMCq5jq1vQtDZC"
SOLANA = "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"
JOB = NewJob(lane="paid", mode="text_to_3d", tier="draft", backend="local", seed=1, request_json="{}", eta_seconds=1)


def test_fifty_concurrent_spends_of_the_last_credit_make_one(db_backend: Backend, tmp_path: Path) -> None:
    async def main() -> None:
        async with db_backend.opened(tmp_path) as store:
            await store.credits.post("purchase", "payment-1", ALICE, 50_000)
            spends = await asyncio.gather(
                *(store.credits.spend_for_job(ALICE, 50_000, f"job_{i:032x}", None, None) for i in range(50))
            )
            assert Counter(s.refused or "spent" for s in spends) == {"spent": 1, "insufficient_credits": 49}
            assert await store.credits.balance(ALICE) == 0
            charged = [s for s in spends if s.refused is None]
            assert charged[0].balance == 0 and await store.books.ledger_problems(0) == []

    asyncio.run(main())


def test_a_key_cap_holds_under_concurrency_and_refunds_free_it(db_backend: Backend, tmp_path: Path) -> None:
    async def main() -> None:
        async with db_backend.opened(tmp_path) as store:
            await store.credits.post("grant", "g1", BOB, 1_000_000)
            spends = await asyncio.gather(
                *(store.credits.spend_for_job(BOB, 50_000, f"job_{i:032x}", "key_1", 120_000) for i in range(10))
            )
            assert sum(s.refused is None for s in spends) == 2
            assert {s.refused for s in spends if s.refused} == {"spend_cap_reached"}
            assert await store.credits.key_spent("key_1") == 100_000
            won = next(f"job_{i:032x}" for i, s in enumerate(spends) if s.refused is None)
            opened_refund = await store.refunds.open_for(won, "credit", "test", require_failed=False)
            assert opened_refund.created and opened_refund.refund["state"] == "credited"
            assert await store.credits.key_spent("key_1") == 50_000  # a failed generation spends nothing
            assert await store.credits.balance(BOB) == 1_000_000 - 50_000

    asyncio.run(main())


def test_posting_twice_counts_once_and_every_transaction_balances(db_backend: Backend, tmp_path: Path) -> None:
    async def main() -> None:
        async with db_backend.opened(tmp_path) as store:
            assert await store.credits.post("purchase", "pay-7", ALICE, 250_000) is not None
            assert await store.credits.post("purchase", "pay-7", ALICE, 250_000) is None  # the same payment again
            await store.credits.spend_for_job(ALICE, 50_000, "job_" + "1" * 32, None, None)
            assert await store.credits.expire(ALICE, "expiry-1") == 200_000
            assert await store.credits.balance(ALICE) == 0
            kinds = [t["kind"] for t in await store.credits.history(ALICE)]
            assert kinds == ["expiry", "spend", "purchase"]
            operator = await store.credits.operator_balances()
            assert sum(operator.values()) == -(await store.credits.outstanding())
            assert operator == {"operator:issued": -250_000, "operator:earned": 50_000, "operator:expired": 200_000}
            totals = await store.books.credit_totals()
            assert totals["purchase"] == 250_000 and totals["outstanding"] == 0
            assert await store.books.ledger_problems(0) == []

    asyncio.run(main())


def test_a_refund_asked_ten_times_at_once_is_one_refund(db_backend: Backend, tmp_path: Path) -> None:
    async def main() -> None:
        async with db_backend.opened(tmp_path) as store:
            job = await store.jobs.insert(JOB)
            await store.charges.record(job["id"], ALICE, "x402", 50_000, network="eip155:84532", tx="0xabc")
            refused = await store.refunds.open_for(job["id"], "credit", "asked early")
            assert refused.refund is None and refused.refused == "not_failed"
            await store.jobs.fail(job["id"], "timeout", "too slow")
            asked = await asyncio.gather(*(store.refunds.open_for(job["id"], "credit", "timeout") for _ in range(10)))
            assert sum(a.created for a in asked) == 1
            assert {a.refund["job_id"] for a in asked} == {job["id"]}
            assert await store.credits.balance(ALICE) == 50_000
            assert (await store.charges.get(job["id"]))["state"] == "refunded"
            record = await store.records.load(job["id"])
            assert record.charge["method"] == "x402" and record.refund["state"] == "credited"

    asyncio.run(main())


def test_an_onchain_refund_is_claimed_once_and_credited_if_it_cannot_move(db_backend: Backend, tmp_path: Path) -> None:
    async def main() -> None:
        async with db_backend.opened(tmp_path) as store:
            job = await store.jobs.insert(JOB)
            await store.charges.record(job["id"], BOB, "x402", 50_000, network=SOLANA)
            await store.jobs.fail(job["id"], "timeout", "too slow")
            pending = (await store.refunds.open_for(job["id"], "onchain", "timeout")).refund
            assert pending["state"] == "pending" and pending["method"] == "onchain"
            claims = await asyncio.gather(
                *(store.refunds.move(job["id"], "pending", "sending", tx=f"sig{i}", raw_tx="raw") for i in range(5))
            )
            assert sum(claims) == 1  # one sender claims it; the others' transactions are never broadcast
            assert await store.refunds.credit_instead(job["id"], "sending", "reverted")
            assert not await store.refunds.credit_instead(job["id"], "sending", "reverted")
            assert await store.credits.balance(BOB) == 50_000

    asyncio.run(main())


def test_a_sign_in_nonce_is_used_once(db_backend: Backend, tmp_path: Path) -> None:
    async def main() -> None:
        async with db_backend.opened(tmp_path) as store:
            used = await asyncio.gather(*(store.siwx_nonces.use("n" * 64, ALICE, 1.0, 2**31) for _ in range(10)))
            assert sorted(used) == [False] * 9 + [True]
            await store.siwx_nonces.use("old", ALICE, 1.0, 5)
            assert await store.siwx_nonces.prune(10.0) == 1

    asyncio.run(main())


def test_accounts_copy_into_postgresql(db_backend: Backend, tmp_path: Path) -> None:
    if db_backend.cluster is None:
        return  # the copy goes to PostgreSQL; the SQLite side is the source
    from app.store.transfer import copy_sqlite_to_postgres

    source = tmp_path / "single"

    async def make_source() -> None:
        async with SQLITE.opened(source) as store:
            await store.api_keys.create({"id": "key_1", "address": ALICE, "name": "ci", "prefix": "f402_abcdefg",
                                         "key_hash": "ab" * 32, "scopes": "generate,read", "spend_cap": None,
                                         "created_at": 1.0, "expires_at": None, "revoked_at": None,
                                         "last_used_at": None})  # fmt: skip
            await store.credits.post("purchase", "pay-1", ALICE, 100_000)
            job = await store.jobs.insert(JOB)
            await store.credits.spend_for_job(ALICE, 50_000, job["id"], "key_1", None)
            await store.jobs.fail(job["id"], "timeout", "too slow")
            await store.refunds.open_for(job["id"], "credit", "timeout")

    asyncio.run(make_source())
    url = db_backend.database_url(tmp_path / "target")
    assert url is not None
    copied = asyncio.run(copy_sqlite_to_postgres(source / "forge402.db", url))
    assert copied["credit_txns"] == (3, 3) and copied["credit_entries"] == (6, 6) and copied["refunds"] == (1, 1)

    async def check() -> None:
        async with db_backend.opened(tmp_path / "target") as store:
            assert await store.credits.balance(ALICE) == 100_000
            assert [k["id"] for k in await store.api_keys.of_account(ALICE)] == ["key_1"]
            await store.credits.post("grant", "after-the-copy", ALICE, 1)  # transaction ids go on
            assert await store.books.ledger_problems(0) == []

    asyncio.run(check())


def test_a_refund_signed_with_a_ledger_nonce_is_kept_with_it(db_backend: Backend, tmp_path: Path) -> None:
    """On-chain refunds take their nonces where settlements do (one counter per sending key, across processes), and
    the signed bytes are stored in the same transaction: a crash right after signing leaves them to send."""

    async def main() -> None:
        async with db_backend.opened(tmp_path) as store:
            ledger = store.ledger()
            await ledger.open()
            try:
                sender = "eip155:84532:0xrefund"

                def signer(i: int) -> Callable[[int], tuple[str, str]]:
                    return lambda n: (f"0xtx{i}-{n}", f"0xraw{n}")

                signs = await asyncio.gather(
                    *(ledger.sign_transaction(sender, 7, signer(i), "refund", f"job{i}") for i in range(5))
                )
                assert sorted(signs) == [7, 8, 9, 10, 11]  # five refunds at once: five nonces, none twice
                assert await ledger.signed("refund", "job0") == (f"0xtx0-{signs[0]}", f"0xraw{signs[0]}")
                await ledger.release_nonce(sender, 9)  # refused by the node: the next one takes it
                again = await ledger.sign_transaction(sender, None, lambda n: (f"0xnew-{n}", "0xraw"), "refund", "job0")
                assert again == 9 and (await ledger.signed("refund", "job0"))[0] == "0xnew-9"  # re-signed: replaced
                assert await ledger.signed("refund", "nobody") is None
            finally:
                await ledger.close()

    asyncio.run(main())
