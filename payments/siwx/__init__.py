"""Sign-in-with-x (SIWX, the x402 v2 extension `sign-in-with-x`): a wallet proves it controls an address by signing a
message we issued. Framework-free and interoperable on the wire with the official SDK's helpers
(`x402.extensions.sign_in_with_x`): the challenge (`challenge`), the messages signed (`message`: EIP-4361 for EVM,
its CAIP-122 form for Solana), the nonces we issue (`nonces`: stateless, HMAC-signed, expiring; single use is the
caller's store) and the check of a proof (`verify`)."""

from payments.siwx.challenge import challenge_extension, payment_required
from payments.siwx.errors import SiwxRejected
from payments.siwx.models import SIGN_IN_WITH_X, SIWX_HEADER, SiwxPayload, SupportedChain, supported_chain
from payments.siwx.nonces import NonceIssuer
from payments.siwx.verify import SignedIn, parse_header, verify_proof

__all__ = [
    "SIGN_IN_WITH_X",
    "SIWX_HEADER",
    "NonceIssuer",
    "SignedIn",
    "SiwxPayload",
    "SiwxRejected",
    "SupportedChain",
    "challenge_extension",
    "parse_header",
    "payment_required",
    "supported_chain",
    "verify_proof",
]
