"""Facilitators: who verifies and settles a payment. `LocalFacilitator` does it here with our own key (the
default); `RemoteFacilitator` asks an x402 facilitator over HTTP. Both answer with the same result types, and both
look at the chain themselves to reconcile a settlement after a crash.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

import httpx
from pydantic import ValidationError

from payments import errors
from payments.attempt import Attempt
from payments.errors import FacilitatorUnavailable, PaymentRejected, SettlementFailed
from payments.evm.eip3009 import Authorization
from payments.evm.scheme import ExactEvmScheme
from payments.models import FacilitatorSettleResponse, VerifyResponse
from payments.settlement import Nonces, OnSigned, SettlementCheck, SettlementRecord, SettleResult, VerifiedPayment

M = TypeVar("M", VerifyResponse, FacilitatorSettleResponse)


class Facilitator(Protocol):
    async def verify(self, attempt: Attempt) -> VerifiedPayment: ...

    async def settle(
        self, verified: VerifiedPayment, on_signed: OnSigned, nonces: Nonces | None = None
    ) -> SettleResult: ...

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

    async def settle(
        self, verified: VerifiedPayment, on_signed: OnSigned, nonces: Nonces | None = None
    ) -> SettleResult:
        return await self.scheme(verified.attempt.network).settle(verified, on_signed, nonces)


class RemoteFacilitator(_ChainReader):
    """An x402 facilitator over HTTP: POST {url}/verify, POST {url}/settle, GET {url}/supported.

    The facilitator settles; the chain is the referee. EIP-3009 lets one authorization move the money once, so asking
    again never charges twice, and whenever the facilitator's answer is lost or negative the chain is asked whether
    the authorization already paid payTo (then the payment is settled, whoever sent it)."""

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

    async def missing_kinds(self) -> list[str]:
        """Our networks the facilitator's /supported does not list as (x402 v2, exact); FacilitatorUnavailable when
        it cannot be asked."""
        try:
            kinds = (await self.supported()).get("kinds") or []
        except (httpx.HTTPError, ValueError, AttributeError) as exc:
            raise FacilitatorUnavailable(f"facilitator {self.url}/supported failed: {exc}") from exc
        offered = {(k.get("x402Version"), k.get("scheme"), k.get("network")) for k in kinds if isinstance(k, dict)}
        return [network for network in self.schemes if (2, "exact", network) not in offered]

    async def _ask(self, operation: str, attempt: Attempt, model: type[M]) -> M:
        """POST {url}/{operation}; its answer if it reads as `model` (whatever the status: some facilitators answer a
        refusal with 400). FacilitatorUnavailable when the request never left (connection refused); the httpx error
        or a `_Unreadable` otherwise (it may have been acted upon)."""
        try:
            r = await self._http.post(f"{self.url}/{operation}", json=self._body(attempt))
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise FacilitatorUnavailable(f"facilitator {self.url} is unreachable: {exc}") from exc
        try:
            return model.model_validate(r.json())
        except (ValueError, ValidationError) as exc:
            raise _Unreadable(f"facilitator /{operation} answered {r.status_code}: {_excerpt(r.text)}") from exc

    async def verify(self, attempt: Attempt) -> VerifiedPayment:
        # The cheap local checks first: a remote round trip for a payment we can refuse here is waste.
        scheme = self.scheme(attempt.network)
        auth, _ = scheme.check_locally(attempt.evm, attempt.requirement)
        try:
            answer = await self._ask("verify", attempt, VerifyResponse)
        except (httpx.HTTPError, _Unreadable) as exc:
            raise FacilitatorUnavailable(f"facilitator /verify failed: {exc}") from exc
        if answer.is_valid:
            return VerifiedPayment(attempt, (answer.payer or attempt.payer).lower(), auth)
        # Refused, maybe because it is already used: by a settlement of ours whose answer was lost (a crash, a
        # timeout), which paid us. Then it is settled; only the chain can tell.
        paid = await self._paid(attempt.network, auth)
        if paid:
            return VerifiedPayment(attempt, auth.from_, auth, settled_transaction=paid)
        raise PaymentRejected(
            answer.invalid_reason or errors.UNEXPECTED_VERIFY_ERROR,
            answer.invalid_message or f"facilitator refused the payment ({answer.invalid_reason})",
            answer.payer,
        )

    async def settle(
        self, verified: VerifiedPayment, on_signed: OnSigned, nonces: Nonces | None = None
    ) -> SettleResult:
        attempt = verified.attempt  # the facilitator signs with its own nonces
        if verified.settled_transaction:
            return await self._settled(verified, verified.settled_transaction, on_signed)
        try:
            answer = await self._ask("settle", attempt, FacilitatorSettleResponse)
        except (httpx.HTTPError, _Unreadable) as exc:
            # Unknown: it may have been sent. The ledger keeps `verified`; the chain may already know.
            paid = await self._paid_for(verified)
            if paid:
                return await self._settled(verified, paid, on_signed)
            raise SettlementFailed(errors.SETTLEMENT_PENDING, f"facilitator /settle failed: {exc}", "", True) from exc
        if answer.success:
            return await self._settled(verified, answer.transaction, on_signed, answer.payer)
        if answer.error_reason == errors.SETTLEMENT_PENDING and answer.transaction:  # sent, not mined yet: follow it
            await on_signed(answer.transaction, "")
            raise SettlementFailed(
                errors.SETTLEMENT_PENDING, answer.error_message or "not mined yet", answer.transaction, True
            )
        paid = await self._paid_for(verified)  # e.g. a second /settle for a payment the first one settled
        if paid:
            return await self._settled(verified, paid, on_signed)
        raise SettlementFailed(
            answer.error_reason or errors.UNEXPECTED_SETTLE_ERROR,
            answer.error_message or f"facilitator could not settle ({answer.error_reason})",
            answer.transaction,
        )

    async def _paid(self, network: str, auth: Authorization) -> str | None:
        """The transaction in which this authorization paid payTo, if the chain (when it answers) has one."""
        try:
            return await self.scheme(network).find_use(auth)
        except errors.PaymentError:  # the node is unreachable: we cannot tell, so we do not claim it
            return None

    async def _paid_for(self, verified: VerifiedPayment) -> str | None:
        assert verified.authorization is not None
        return await self._paid(verified.attempt.network, verified.authorization)

    @staticmethod
    async def _settled(
        verified: VerifiedPayment, transaction: str, on_signed: OnSigned, payer: str | None = None
    ) -> SettleResult:
        await on_signed(transaction, "")
        return SettleResult(transaction, (payer or verified.payer).lower(), verified.attempt.network)


class _Unreadable(Exception):
    """A facilitator answer that is not the expected JSON (a 5xx page, a proxy error...)."""


def _excerpt(text: str, limit: int = 200) -> str:
    compact = " ".join(text.split())
    return compact if len(compact) <= limit else compact[: limit - 3] + "..."
