"""Building the x402 payment gateway from the service's settings, and handing paid requests to the job queue."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from app import webhooks
from app.config import Settings
from app.engines.providers.registry import is_remote
from app.jobs.retopo_plan import is_retopo_request, retopo_job
from app.jobs.service import Jobs, plan
from app.schemas import ForgeRequest
from payments.gateway import EvmNetworkConfig, PaidRequest, PaymentConfig, PaymentGateway, SvmNetworkConfig


def payment_config(settings: Settings) -> PaymentConfig:
    """Base when its RPC URL is set, Solana when its RPC URL is set: one 402 offers every configured network."""
    evm, svm = [], []
    if settings.evm_rpc_url is not None:
        assert settings.evm_pay_to is not None
        key = settings.evm_facilitator_key.get_secret_value() if settings.evm_facilitator_key else None
        network = EvmNetworkConfig(
            network=settings.evm_network,
            rpc_url=settings.evm_rpc_url,
            pay_to=settings.evm_pay_to,
            facilitator_private_key=key,
            asset=settings.evm_usdc,
        )
        evm.append(network)
    if settings.svm_rpc_url is not None:
        assert settings.svm_pay_to is not None and settings.svm_fee_payer_key is not None
        solana = SvmNetworkConfig(
            network=settings.svm_network,
            rpc_url=settings.svm_rpc_url,
            pay_to=settings.svm_pay_to,
            fee_payer_key=settings.svm_fee_payer_key.get_secret_value(),
            mint=settings.svm_usdc_mint,
            max_priority_fee_lamports=settings.svm_max_priority_fee_lamports,
            fee_budget_lamports_per_minute=settings.svm_fee_budget_lamports_per_minute,
        )
        svm.append(solana)
    return PaymentConfig(
        evm=evm,
        svm=svm,
        facilitator_url=settings.facilitator_url,
        max_timeout_seconds=settings.payment_timeout_seconds,
        failures_per_payer=settings.payment_failures_per_payer,
        failures_per_address=settings.payment_failures_per_address,
        failure_window_seconds=settings.payment_failure_window_seconds,
    )


def build_gateway(settings: Settings) -> PaymentGateway | None:
    """The gateway, or None when the paid lane is not configured (no RPC URL and no devnet)."""
    if not settings.paid_lane_configured:
        return None
    return PaymentGateway(payment_config(settings), settings.database_path)


async def check_chains(settings: Settings) -> None:
    """Connect to every configured chain and check it is the one configured; ConfigurationError says what's wrong."""
    gateway = build_gateway(settings)
    if gateway is None:
        return
    try:
        await gateway.start()
    finally:
        await gateway.close()


def job_creator(jobs: Jobs, base_url: str, provider_key: str | None = None) -> Callable[[PaidRequest], Awaitable[None]]:
    """What the gateway calls once a payment has settled: queue the job under the id the ledger chose for it, and
    register its webhook (`base_url` is the origin its links use).

    Idempotent (the id is the key), so the ledger may call it again after a crash without making a second job or
    a second webhook: a job recreated by start-up reconciliation still announces itself. With the payer's own
    provider key (x-forge-provider-key) the job is claimed by this process, which holds the key in memory; without
    one (or at reconciliation) a provider job uses the operator's key or the embedded engine."""

    async def fulfil(paid: PaidRequest) -> None:
        request = json.loads(paid.request_json)
        await _queue(jobs, paid, request, provider_key)
        if request.get("webhook_url"):
            await jobs.db.run(webhooks.register, paid.job_id, request["webhook_url"], base_url)

    return fulfil


async def _queue(jobs: Jobs, paid: PaidRequest, request: dict, provider_key: str | None) -> None:
    if is_retopo_request(paid.request_json):
        job = retopo_job(paid.request_json, lane="paid")
    else:
        images = request.pop("images", None)  # a photo job: the stored images app.photos prepared before payment
        job = plan(ForgeRequest.model_validate(request), lane="paid", images=images)
    if provider_key is not None and is_remote(job.backend):
        await jobs.runner.remote.adopt(job, paid.job_id, provider_key)
        return
    await jobs.submit(job, job_id=paid.job_id)
