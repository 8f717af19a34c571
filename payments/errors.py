"""Payment errors and their machine-readable reason codes.

Codes follow the official x402 SDKs where one exists, so a client written against them reads ours unchanged.
"""

from __future__ import annotations

# request shape
INVALID_PAYLOAD = "invalid_payload"
INVALID_X402_VERSION = "invalid_x402_version"
INVALID_PAYMENT_REQUIREMENTS = "invalid_payment_requirements"
UNSUPPORTED_SCHEME = "unsupported_scheme"
INVALID_NETWORK = "invalid_network"
PAYMENT_CONFLICT = "payment_conflict"
PAYMENT_IDENTIFIER_CONFLICT = "payment_identifier_conflict"
PAYMENT_REQUIRED = "payment_required"

# EVM exact (names as in the official SDK)
RECIPIENT_MISMATCH = "invalid_exact_evm_payload_recipient_mismatch"
VALUE_MISMATCH = "invalid_exact_evm_payload_authorization_value_mismatch"
VALID_BEFORE = "invalid_exact_evm_payload_authorization_valid_before"
VALID_AFTER = "invalid_exact_evm_payload_authorization_valid_after"
INVALID_SIGNATURE = "invalid_exact_evm_payload_signature"
NONCE_ALREADY_USED = "invalid_exact_evm_nonce_already_used"
SIMULATION_FAILED = "invalid_exact_evm_transaction_simulation_failed"
TRANSFER_EVENT_MISMATCH = "invalid_exact_evm_transfer_event_mismatch"
MISSING_EIP712_DOMAIN = "missing_eip712_domain"
INSUFFICIENT_FUNDS = "insufficient_funds"

# settlement
TRANSACTION_FAILED = "transaction_failed"
SETTLEMENT_PENDING = "settlement_pending"
UNEXPECTED_VERIFY_ERROR = "unexpected_verify_error"
UNEXPECTED_SETTLE_ERROR = "unexpected_settle_error"
NOT_CHARGED = "not_charged"
FACILITATOR_UNAVAILABLE = "facilitator_unavailable"

# our own limits (not judged, nothing moved: the same payment may be sent again later)
TOO_MANY_FAILED_PAYMENTS = "too_many_failed_payments"
FEE_BUDGET_EXHAUSTED = "fee_budget_exhausted"
PAYMENT_SOURCE_BUSY = "payment_source_busy"
CHAIN_UNAVAILABLE = "chain_unavailable"  # the RPC node is down, too slow or answers garbage: the payment was not judged
STORE_UNAVAILABLE = "store_unavailable"  # the ledger's database is locked or its disk full: nothing was recorded


class PaymentError(Exception):
    """A payment that cannot go on; `reason` is the wire code, `message` says why to a person."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message


class MalformedPayment(PaymentError):
    """The payment header cannot be read at all (answered 400)."""

    def __init__(self, message: str, reason: str = INVALID_PAYLOAD) -> None:
        super().__init__(reason, message)


class PaymentRejected(PaymentError):
    """A readable payment that does not pay for this offer; nothing moved (answered 402)."""

    def __init__(self, reason: str, message: str, payer: str | None = None) -> None:
        super().__init__(reason, message)
        self.payer = payer


class SettlementFailed(PaymentError):
    """Settlement did not move the money (or it is not known yet: `pending`)."""

    def __init__(self, reason: str, message: str, transaction: str = "", pending: bool = False) -> None:
        super().__init__(reason, message)
        self.transaction = transaction
        self.pending = pending


class FacilitatorUnavailable(PaymentError):
    """A remote facilitator could not be asked (unreachable, or no readable answer); the payment was not judged and
    nothing moved (answered 503: retry later)."""

    def __init__(self, message: str) -> None:
        super().__init__(FACILITATOR_UNAVAILABLE, message)


class PaymentDeferred(PaymentError):
    """Not judged, nothing moved: one of our own limits holds the payment back (too many failed payments, the fee
    payer's budget spent, its source busy with another settlement). The same payment may be sent again after
    `retry_after` seconds (answered 429 or 503 with Retry-After)."""

    def __init__(self, reason: str, message: str, retry_after: int) -> None:
        super().__init__(reason, message)
        self.retry_after = max(1, retry_after)


class LedgerUnavailable(PaymentDeferred):
    """The ledger cannot be read or written right now (its database locked past the busy timeout, its disk full).
    Nothing was decided that is not on record: the same payment may be sent again (answered 503 with Retry-After)."""

    def __init__(self, detail: str, retry_after: int = 5) -> None:
        super().__init__(
            STORE_UNAVAILABLE, f"the payment ledger cannot be used right now ({detail}); send the same payment again",
            retry_after,
        )
