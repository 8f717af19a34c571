"""The store seam on both backends: every operation offered by both with the same parameters, the ones that must be
atomic across processes are (claims, upload slots, webhook leases, rate-limit counts), versioned migrations refuse a
newer schema, a single-machine deployment copies into PostgreSQL (again and again, the same), and on PostgreSQL a
waiter is woken by another process's notification."""

from __future__ import annotations

import asyncio
import importlib
import inspect
from collections import Counter
from pathlib import Path

import pytest

from app.store.jobs import QUEUED, NewJob
from app.store.seam import OPERATIONS, operations
from payments.ledger import ledger_at
from payments.ledger.migrations import SchemaTooNew
from tests.backends import Backend

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL

JOB = NewJob(lane="free", mode="text_to_3d", tier="draft", backend="local", seed=1, request_json="{}", eta_seconds=1)


@pytest.mark.parametrize("package", ["app.store.sqlite", "app.store.postgres"])
def test_both_backends_offer_every_operation_with_the_same_parameters(package: str) -> None:
    for concept, protocol in OPERATIONS.items():
        module = importlib.import_module(f"{package}.{concept}")
        for name in operations(protocol):
            wanted = list(inspect.signature(getattr(protocol, name)).parameters)[1:]  # without self
            offered = list(inspect.signature(getattr(module, name)).parameters)[1:]  # without the connection
            assert offered == wanted, f"{package}.{concept}.{name}"


def test_concurrent_claims_take_each_job_once(db_backend: Backend, tmp_path: Path) -> None:
    async def main() -> None:
        async with db_backend.opened(tmp_path) as store:
            ids = {(await store.jobs.insert(JOB))["id"] for _ in range(12)}
            claims = await asyncio.gather(*(store.jobs.claim_next(f"w{i}", 30) for i in range(20)))
            claimed = [row["id"] for row in claims if row is not None]
            assert sorted(claimed) == sorted(ids)  # every job once, none twice; the other claimers got nothing
            assert (await store.jobs.count_active()) == {"queued": 0, "running": 12}

    asyncio.run(main())


def test_an_expired_lease_is_queued_again_then_failed_past_its_attempts(db_backend: Backend, tmp_path: Path) -> None:
    async def main() -> None:
        async with db_backend.opened(tmp_path) as store:
            job = await store.jobs.insert(JOB)
            assert (await store.jobs.claim_next("otherhost:1:gone", -1))["id"] == job["id"]  # its lease already ran out
            assert await store.jobs.recover_lost("me", 2) == [(job["id"], "requeued")]
            row = await store.jobs.get(job["id"])
            assert row["status"] == "queued" and "started again" in row["notes_json"]
            await store.jobs.claim_next("otherhost:1:gone", -1)
            assert await store.jobs.recover_lost("me", 2) == [(job["id"], "failed")]
            assert (await store.jobs.get(job["id"]))["error_code"] == "worker_lost"

    asyncio.run(main())


def test_a_finished_job_keeps_its_notes_and_a_stale_owner_cannot_finish_it(db_backend: Backend, tmp_path: Path) -> None:
    async def main() -> None:
        async with db_backend.opened(tmp_path) as store:
            job = await store.jobs.insert(JOB, job_id="job_" + "ab" * 16)
            assert (await store.jobs.insert(JOB, job_id=job["id"]))["creation_id"] == job["creation_id"]  # one job
            await store.jobs.add_note(job["id"], "first")
            await store.jobs.claim_next("me", 30)
            assert not await store.jobs.finish(job["id"], "someone else", "chair", 10, [])
            assert await store.jobs.finish(job["id"], "me", "chair", 10, ["second"])
            record = await store.records.load(job["id"])
            assert record is not None and record.row["notes_json"].replace(" ", "") == '["first","second"]'

    asyncio.run(main())


def test_an_upload_slot_takes_one_body_and_counters_count_once_each(db_backend: Backend, tmp_path: Path) -> None:
    async def main() -> None:
        async with db_backend.opened(tmp_path) as store:
            row = {"id": "u" * 22, "source": "slot", "content_type": "image/png", "size_bytes": 10,
                   "status": "pending", "created_at": 1.0, "slot_expires_at": 9e9, "expires_at": 9e9}  # fmt: skip
            await store.uploads.insert(row)
            answers = await asyncio.gather(*(store.uploads.claim(row["id"], 2.0) for _ in range(8)))
            assert Counter(answers) == {None: 1, "used": 7}
            hits = await asyncio.gather(*(store.rate_limits.hit("generate:1.2.3.4", 60) for _ in range(10)))
            assert sorted(hits) == list(range(1, 11))

    asyncio.run(main())


def test_a_due_webhook_is_leased_to_one_sender(db_backend: Backend, tmp_path: Path) -> None:
    async def main() -> None:
        async with db_backend.opened(tmp_path) as store:
            job = await store.jobs.insert(JOB)
            await store.webhooks.register(job["id"], "https://example.com/hook", "http://x")
            await store.jobs.claim_next("me", 30)
            await store.jobs.finish(job["id"], "me", "chair", 10, [])
            leases = await asyncio.gather(*(store.webhooks.claim_due(f"sender{i}", 60) for i in range(6)))
            assert [len(lease) for lease in leases].count(1) == 1 and sum(map(len, leases)) == 1
            await store.webhooks.record_delivery(job["id"], "generation.completed", 1, 200, None, 5)
            hook, deliveries = await store.webhooks.of_job(job["id"])
            assert hook["state"] == "sending" and [d["status_code"] for d in deliveries] == [200]

    asyncio.run(main())


def test_a_schema_newer_than_this_release_is_refused(db_backend: Backend, tmp_path: Path) -> None:
    async def main() -> None:
        async with db_backend.opened(tmp_path):
            pass
        db_backend.execute(tmp_path, "UPDATE schema_migrations SET version = version + 1 WHERE component = 'app'")
        with pytest.raises(SchemaTooNew, match="newer than this release knows"):
            async with db_backend.opened(tmp_path):
                pass

    asyncio.run(main())


def test_a_notification_from_another_process_wakes_a_waiter(db_backend: Backend, tmp_path: Path) -> None:
    """PostgreSQL: an idle worker waits on LISTEN, not on a poll: a NOTIFY from another connection wakes it."""
    if db_backend.cluster is None:
        return  # SQLite has no notifications: other processes are polled (idle_poll_seconds)

    async def main() -> None:
        async with db_backend.opened(tmp_path) as store:
            assert store.idle_poll_seconds >= 15  # the poll is a safety net, far longer than the wait below allows
            with store.signals.armed(QUEUED) as queued:
                waiting = asyncio.create_task(store.signals.wait(queued, 10))
                await asyncio.sleep(0.1)
                await asyncio.to_thread(db_backend.execute, tmp_path, f"NOTIFY {QUEUED}")
                assert await waiting  # woken by the notification, not by the timeout

    asyncio.run(main())


def test_a_single_machine_database_copies_into_postgresql_idempotently(db_backend: Backend, tmp_path: Path) -> None:
    if db_backend.cluster is None:
        return  # the copy goes to PostgreSQL; the SQLite side is the source

    from app.store.sqlite import SqliteStore
    from app.store.transfer import copy_sqlite_to_postgres
    from tests.backends import SQLITE

    source_dir = tmp_path / "single"

    async def make_source() -> tuple[str, str]:
        async with SQLITE.opened(source_dir) as store:
            assert isinstance(store, SqliteStore)
            done = await store.jobs.insert(JOB)
            await store.webhooks.register(done["id"], "https://example.com/hook", "http://x")
            await store.jobs.claim_next("me", 30)
            await store.jobs.finish(done["id"], "me", "chair", 10, ["note"])
            await store.webhooks.record_delivery(done["id"], "generation.completed", 1, 200, None, 5)
            queued = await store.jobs.insert(JOB)
        return done["id"], queued["id"]

    done_id, queued_id = asyncio.run(make_source())
    _ledger_rows(source_dir / "forge402.db")
    url = db_backend.database_url(tmp_path / "target")
    assert url is not None
    first = asyncio.run(copy_sqlite_to_postgres(source_dir / "forge402.db", url))
    assert first["jobs"] == (2, 2) and first["payments"] == (6, 6) and first["webhook_deliveries"] == (1, 1)
    again = asyncio.run(copy_sqlite_to_postgres(source_dir / "forge402.db", url))
    assert [table for table, (_, added) in again.items() if added] == []  # nothing twice

    async def check() -> None:
        async with db_backend.opened(tmp_path / "target") as store:
            record = await store.records.load(done_id)
            assert record is not None and record.row["status"] == "done" and len(record.deliveries) == 1
            assert (await store.jobs.claim_next("worker", 30))["id"] == queued_id
            ledger = store.ledger()
            await ledger.open()
            states = sorted(
                row.state
                for row in await ledger.in_states(
                    ("reserved", "verified", "settling", "settled", "job_created", "rejected")
                )
            )
            assert states == sorted(["reserved", "verified", "settling", "settled", "job_created", "rejected"])
            await store.webhooks.record_delivery(done_id, "generation.completed", 2, 200, None, 5)  # ids go on

    asyncio.run(check())


def _ledger_rows(path: Path) -> None:
    """One payment in each state, written as a single-machine deployment left them."""

    async def write() -> None:
        from payments.ledger import NewPayment

        ledger = ledger_at(path)
        await ledger.open()
        try:
            for i, state in enumerate(("reserved", "verified", "settling", "settled", "job_created", "rejected")):
                new = NewPayment(
                    key=f"k{i}", payment_id=None, fingerprint="f", request_json="{}", x402_version=2,
                    network="eip155:84532", scheme="exact", asset="0xa", payer="0xp", amount=50_000, pay_to="0xt",
                    nonce=f"0x{i}", valid_before=2**40, payment_json="{}", source="0xp",
                )  # fmt: skip
                await ledger.reserve(new, "old:1:owner")
                if state != "reserved":
                    await ledger.move(new.key, "old:1:owner", state, tx_hash=f"0xtx{i}")
        finally:
            await ledger.close()

    asyncio.run(write())
