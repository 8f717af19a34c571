"""On-chain refunds for the refund keeper (`FORGE402_REFUND_MODE=onchain`): a refund wallet per network that has
one configured (`FORGE402_EVM_REFUND_KEY`, `FORGE402_SVM_REFUND_KEY`), over `payments.refunds`. A network without
one is refunded in credits."""

from __future__ import annotations

from typing import Any, Literal

from app.config import Settings
from app.services.refunds import RefundInFlight, RefundNotSent, RefundSender, Signed
from payments.ledger.base import Ledger
from payments.refunds import ChainRefunder, EvmRefunder, RefundFailed, RefundPending, Stored, SvmRefunder


class ChainRefunds:
    def __init__(self, refunders: list[ChainRefunder]) -> None:
        self.refunders = {r.network: r for r in refunders}

    def serves(self, network: str) -> bool:
        return network in self.refunders

    async def send(self, refund: dict[str, Any], on_signed: Signed) -> str:
        refunder = self.refunders[refund["network"]]
        try:
            return await refunder.send(refund["address"], refund["amount"], on_signed, refund["job_id"])
        except RefundFailed as exc:
            raise RefundNotSent(str(exc)) from None
        except RefundPending as exc:
            raise RefundInFlight(str(exc)) from None

    async def signed(self, refund: dict[str, Any]) -> tuple[str, str] | None:
        stored = await self.refunders[refund["network"]].signed(refund["job_id"])
        return (stored.tx, stored.raw) if stored else None

    async def check(self, refund: dict[str, Any]) -> Literal["sent", "failed", "pending", "lost"]:
        return await self.refunders[refund["network"]].check(Stored(refund["tx"], refund["raw_tx"]))

    async def close(self) -> None:
        for refunder in self.refunders.values():
            await refunder.close()


def build_refund_sender(settings: Settings, ledger: Ledger | None) -> RefundSender | None:
    """The refund wallets the settings name, on the networks the paid lane serves (`ledger`: its payment ledger,
    opened, which gives Base refunds their nonces); None when refunds are credited."""
    if settings.refund_mode != "onchain":
        return None
    refunders: list[ChainRefunder] = []
    if settings.evm_refund_key is not None and settings.evm_rpc_url is not None and ledger is not None:
        key = settings.evm_refund_key.get_secret_value()
        refunders.append(EvmRefunder(settings.evm_network, settings.evm_rpc_url, key, ledger, settings.evm_usdc))
    if settings.svm_refund_key is not None and settings.svm_rpc_url is not None:
        key = settings.svm_refund_key.get_secret_value()
        refunders.append(SvmRefunder(settings.svm_network, settings.svm_rpc_url, key, settings.svm_usdc_mint))
    return ChainRefunds(refunders) if refunders else None
