"""On-chain refunds: the sender the refund keeper uses when `FORGE402_REFUND_MODE=onchain` (built from the refund
wallets' settings; None without one)."""

from __future__ import annotations

from app.config import Settings
from app.services.refunds import RefundSender


def build_refund_sender(settings: Settings) -> RefundSender | None:
    if settings.refund_mode != "onchain":
        return None
    return None  # on-chain sending comes with payments.refunds
