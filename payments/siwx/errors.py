"""Why a sign-in proof is refused: reason codes as the official SDK names them (`invalid_siwx_*`), plus ours for what
its server helpers leave to the caller (a nonce we did not issue, one already used)."""

from __future__ import annotations

from payments.errors import PaymentError

MALFORMED = "invalid_siwx_payload"  # the header is not base64 JSON of a payload
DOMAIN_MISMATCH = "invalid_siwx_domain_mismatch"
URI_MISMATCH = "invalid_siwx_uri_mismatch"
ISSUED_AT = "invalid_siwx_issued_at"
TOO_OLD = "invalid_siwx_issued_at_too_old"
IN_FUTURE = "invalid_siwx_issued_at_in_future"
EXPIRATION_TIME = "invalid_siwx_expiration_time"
EXPIRED = "invalid_siwx_expired"
NOT_BEFORE = "invalid_siwx_not_before"
NOT_YET_VALID = "invalid_siwx_not_yet_valid"
NONCE = "invalid_siwx_nonce"  # not one of ours, or expired
NONCE_USED = "invalid_siwx_nonce_used"  # ours, and already used for a sign-in
SIGNATURE = "invalid_siwx_signature"
CHAIN_ID = "invalid_siwx_chain_id"
UNSUPPORTED_CHAIN = "invalid_siwx_unsupported_chain"
MALFORMED_SIGNATURE = "invalid_siwx_malformed_signature"


class SiwxRejected(PaymentError):
    """A sign-in proof that does not sign this caller in; `reason` is the wire code, `message` says why."""
