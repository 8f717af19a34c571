"""Building the x402 payment gateway from the service's settings (one 402 offers every configured network)."""

from __future__ import annotations

from app.config import Settings
from app.metrics import PaymentMetrics
from payments.gateway import EvmNetworkConfig, PaymentConfig, PaymentGateway, SvmNetworkConfig
from payments.ledger import Ledger


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
            eip712_name=settings.evm_usdc_name,
            eip712_version=settings.evm_usdc_version,
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


def build_gateway(settings: Settings, ledger: Ledger | None = None) -> PaymentGateway | None:
    """The gateway on `ledger` (the store's: `Store.ledger()`), or None when the paid lane is not configured (no RPC
    URL and no devnet)."""
    if not settings.paid_lane_configured:
        return None
    return PaymentGateway(payment_config(settings), ledger or settings.database_path, observer=PaymentMetrics())


async def check_chains(settings: Settings) -> None:
    """Connect to every configured chain and check it is the one configured; ConfigurationError says what's wrong.
    (The ledger is not opened.)"""
    gateway = build_gateway(settings)
    if gateway is None:
        return
    try:
        await gateway.check_networks()
    finally:
        await gateway.close_networks()
