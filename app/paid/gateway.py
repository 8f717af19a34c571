"""Building the x402 payment gateway from the service's settings, and handing paid requests to the job queue."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from app.config import Settings
from app.jobs.service import Jobs, plan
from app.schemas import ForgeRequest
from payments.gateway import EvmNetworkConfig, PaidRequest, PaymentConfig, PaymentGateway


def payment_config(settings: Settings) -> PaymentConfig:
    assert settings.evm_rpc_url is not None and settings.evm_pay_to is not None
    key = settings.evm_facilitator_key.get_secret_value() if settings.evm_facilitator_key else None
    network = EvmNetworkConfig(
        network=settings.evm_network,
        rpc_url=settings.evm_rpc_url,
        pay_to=settings.evm_pay_to,
        facilitator_private_key=key,
        asset=settings.evm_usdc,
    )
    return PaymentConfig(
        evm=[network], facilitator_url=settings.facilitator_url, max_timeout_seconds=settings.payment_timeout_seconds
    )


def build_gateway(settings: Settings) -> PaymentGateway | None:
    """The gateway, or None when the paid lane is not configured (no RPC URL and no devnet)."""
    if not settings.paid_lane_configured:
        return None
    return PaymentGateway(payment_config(settings), settings.database_path)


def job_creator(jobs: Jobs) -> Callable[[PaidRequest], Awaitable[None]]:
    """What the gateway calls once a payment has settled: queue the job under the id the ledger chose for it.

    Idempotent (the id is the key), so the ledger may call it again after a crash without making a second job."""

    async def fulfil(paid: PaidRequest) -> None:
        request = ForgeRequest.model_validate_json(paid.request_json)
        await jobs.submit(plan(request, lane="paid"), job_id=paid.job_id)

    return fulfil
