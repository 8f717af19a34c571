"""Crash safety of the paid lane: the service is SIGKILLed while settlements are in flight on chain.

The chain stops mining (anvil automine off), so every settlement sits between "sent" and "mined" when the service
dies. Afterwards every payment must end settled with exactly one job, or not charged at all, and a client that
sends its payment again gets that job.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from app.devnet.anvil import EvmDevnet
from tests import backends
from tests.api import wait_done
from tests.devnet import evm_devnet_running, web3_for
from tests.live import LiveServer
from tests.paid import PAID, balance, challenge, ledger_states, paid_env, pay_then_kill, v2_payment

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL

PAYMENTS = 4
HOOK = "http://127.0.0.1:9/hook"  # nothing listens: deliveries fail, which never affects a job
BODIES = [{"prompt": f"a wooden crate number {i}", "tier": "draft", "webhook_url": HOOK} for i in range(PAYMENTS)]


def send_and_kill(live: LiveServer, devnet: EvmDevnet, headers: list[str]) -> None:
    """Post every payment, wait until all are broadcast but unmined (anvil's mempool), then SIGKILL the service."""
    w3 = web3_for(devnet)

    def all_pending() -> bool:
        return int(w3.provider.make_request("txpool_status", [])["result"]["pending"], 16) == PAYMENTS

    pay_then_kill(live, BODIES, headers, all_pending)


def resend_all(live: LiveServer, headers: list[str]) -> list[httpx.Response]:
    with httpx.Client(base_url=live.url, timeout=30) as http:
        return [http.post(PAID, json=BODIES[i], headers={"PAYMENT-SIGNATURE": headers[i]}) for i in range(PAYMENTS)]


@dataclass
class Crashed:
    """A service killed with every settlement broadcast but unmined; the chain does not mine until told to."""

    devnet: EvmDevnet
    env: dict[str, str]
    service_dir: Path
    headers: list[str]
    price: int
    balance_before: int

    def rpc(self, method: str, *params: object) -> None:
        web3_for(self.devnet).provider.make_request(method, list(params))

    def charged(self) -> int:
        return balance(self.devnet, self.devnet.pay_to) - self.balance_before


@pytest.fixture
def crashed(tmp_path: Path) -> Iterator[Crashed]:
    with evm_devnet_running(tmp_path / "chain") as devnet:
        env = paid_env(devnet, FORGE402_FETCH_ALLOW_HOSTS="127.0.0.1")
        live = LiveServer(tmp_path / "service", env).start()
        with httpx.Client(base_url=live.url, timeout=30) as http:
            accepted = challenge(http, BODIES[0])["accepts"][0]
        headers = [v2_payment(devnet, devnet.payers[i % len(devnet.payers)], accepted) for i in range(PAYMENTS)]
        state = Crashed(devnet, env, live.data_dir, headers, int(accepted["amount"]), balance(devnet, devnet.pay_to))
        state.rpc("evm_setAutomine", False)
        send_and_kill(live, devnet, headers)
        yield state


def test_sigkill_during_settlement_then_restart_charges_once(crashed: Crashed) -> None:
    # the transactions the dead service sent are still in the mempool: the chain mines them while it is down
    crashed.rpc("evm_setAutomine", True)
    crashed.rpc("evm_mine")
    with LiveServer(crashed.service_dir, crashed.env) as again:
        assert set(ledger_states(again.data_dir)) == {"job_created"}
        answers = resend_all(again, crashed.headers)
        assert [a.status_code for a in answers] == [202] * PAYMENTS, [a.text for a in answers]
        assert len({a.json()["job_id"] for a in answers}) == PAYMENTS
        with httpx.Client(base_url=again.url, timeout=30) as http:
            for answer in answers:
                assert wait_done(http, answer.json()["poll_url"])["status"] == "done"
        assert resend_all(again, crashed.headers)[0].json()["job_id"] == answers[0].json()["job_id"]
    assert crashed.charged() == PAYMENTS * crashed.price
    store = backends.current()
    assert store.value(crashed.service_dir, "SELECT count(*) FROM jobs WHERE lane = 'paid'") == PAYMENTS
    hooks = store.rows(crashed.service_dir, "SELECT job_id, url FROM webhooks")  # recreated jobs announce too
    assert sorted(hooks) == sorted((answer.json()["job_id"], HOOK) for answer in answers)


def test_sigkill_when_the_chain_lost_the_transactions_rebroadcasts_the_same_ones(crashed: Crashed) -> None:
    crashed.rpc("anvil_dropAllTransactions")  # as if the node forgot them
    crashed.rpc("evm_setAutomine", True)
    with LiveServer(crashed.service_dir, crashed.env) as again:
        answers = resend_all(again, crashed.headers)
        assert [a.status_code for a in answers] == [202] * PAYMENTS, [a.text for a in answers]
        assert len({a.json()["job_id"] for a in answers}) == PAYMENTS
    assert crashed.charged() == PAYMENTS * crashed.price
