"""Facilitators: who verifies and settles a payment. `LocalFacilitator` does it here with our own key (the
default); `RemoteFacilitator` asks an x402 facilitator over HTTP. Both answer with the same result types, and both
look at the chain themselves to reconcile a settlement after a crash.
"""

from __future__ import annotations

from typing import Any, Protocol

import httpx
from pydantic import ValidationError

from payments import errors
from payments.attempt import Attempt
from payments.errors import PaymentRejected, SettlementFailed
from payments.evm import ExactEvmScheme
from payments.models import FacilitatorSettleResponse, VerifyResponse
from payments.settlement import SettlementCheck, SettlementRecord, SettleResult, VerifiedPayment
from payments.wallet import OnSigned


class Facilitator(Protocol):
    async def verify(self, attempt: Attempt) -> VerifiedPayment: ...

    async def settle(self, verified: VerifiedPayment, on_signed: OnSigned) -> SettleResult: ...

    async def check_settlement(self, record: SettlementRecord, rebroadcast: bool = True) -> SettlementCheck: ...

    async def wait(self, record: SettlementRecord, timeout: float) -> SettlementCheck: ...

    async def close(self) -> None: ...


class _ChainReader:
    """Routes a network to its scheme; shared by both facilitators for reconciliation."""

    def __init__(self, schemes: dict[str, ExactEvmScheme]) -> None:
        self.schemes = schemes

    def scheme(self, network: str) -> ExactEvmScheme:
        try:
            return self.schemes[network]
        except KeyError:
            raise PaymentRejected(errors.INVALID_NETWORK, f"network {network!r} is not configured") from None

    async def check_settlement(self, record: SettlementRecord, rebroadcast: bool = True) -> SettlementCheck:
        return await self.scheme(record.network).check_settlement(record, rebroadcast)

    async def wait(self, record: SettlementRecord, timeout: float) -> SettlementCheck:
        return await self.scheme(record.network).wait(record, timeout)

    async def close(self) -> None:
        return None


class LocalFacilitator(_ChainReader):
    """Verify and settle in this process, paying gas from the configured facilitator key."""

    async def verify(self, attempt: Attempt) -> VerifiedPayment:
        return await self.scheme(attempt.network).verify(attempt)

    async def settle(self, verified: VerifiedPayment, on_signed: OnSigned) -> SettleResult:
        return await self.scheme(verified.attempt.network).settle(verified, on_signed)


class RemoteFacilitator(_ChainReader):
    """An x402 facilitator over HTTP: POST {url}/verify, POST {url}/settle, GET {url}/supported."""

    def __init__(self, url: str, schemes: dict[str, ExactEvmScheme], timeout: float = 30.0) -> None:
        super().__init__(schemes)
        self.url = url.rstrip("/")
        self._http = httpx.AsyncClient(timeout=timeout)

    async def close(self) -> None:
        await self._http.aclose()

    @staticmethod
    def _body(attempt: Attempt) -> dict[str, Any]:
        return {
            "x402Version": attempt.x402_version,
            "paymentPayload": attempt.wire_payload,
            "paymentRequirements": attempt.wire_requirement,
        }

    async def supported(self) -> dict[str, Any]:
        r = await self._http.get(f"{self.url}/supported")
        r.raise_for_status()
        return r.json()

    async def verify(self, attempt: Attempt) -> VerifiedPayment:
        # The cheap local checks first: a remote round trip for a payment we can refuse here is waste.
        scheme = self.scheme(attempt.network)
        scheme.check_locally(attempt.evm, attempt.requirement)
        try:
            r = await self._http.post(f"{self.url}/verify", json=self._body(attempt))
            answer = VerifyResponse.model_validate(r.json())
        except (httpx.HTTPError, ValueError, ValidationError) as exc:
            raise PaymentRejected(errors.UNEXPECTED_VERIFY_ERROR, f"facilitator /verify failed: {exc}") from exc
        if not answer.is_valid:
            raise PaymentRejected(
                answer.invalid_reason or errors.UNEXPECTED_VERIFY_ERROR,
                answer.invalid_message or "facilitator refused the payment",
                answer.payer,
            )
        return VerifiedPayment(attempt, (answer.payer or attempt.payer).lower())

    async def settle(self, verified: VerifiedPayment, on_signed: OnSigned) -> SettleResult:
        attempt = verified.attempt
        try:
            r = await self._http.post(f"{self.url}/settle", json=self._body(attempt))
            answer = FacilitatorSettleResponse.model_validate(r.json())
        except (httpx.HTTPError, ValueError, ValidationError) as exc:
            # Unknown: it may have been sent. The ledger keeps `verified`; reconciliation cannot find a hash we never
            # got, so the answer is "pending" and a retry of the same payment resolves it through the chain.
            raise SettlementFailed(errors.SETTLEMENT_PENDING, f"facilitator /settle failed: {exc}", "", True) from exc
        if not answer.success:
            raise SettlementFailed(
                answer.error_reason or errors.UNEXPECTED_SETTLE_ERROR,
                answer.error_message or "facilitator could not settle",
                answer.transaction,
            )
        await on_signed(answer.transaction, "")
        return SettleResult(answer.transaction, (answer.payer or verified.payer).lower(), attempt.network)
