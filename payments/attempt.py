"""A payment attempt: the payment header of a request, decoded and matched against what we offer for it.

Everything here is local and cheap (no RPC): the header's version picks the shape, the shape must pay for one of
this offer's requirements, and the attempt gets the idempotency key the ledger reserves before any verification.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from payments import errors
from payments.codec import decode_json, parse_model
from payments.errors import MalformedPayment, PaymentRejected
from payments.models import ExactEvmPayload, ExactSvmPayload, PaymentPayload, PaymentPayloadV1, PaymentRequirements
from payments.networks import find as find_network
from payments.requirements import PAYMENT_ID_MAX, PAYMENT_ID_MIN, PAYMENT_IDENTIFIER, OfferTerms, differing_fields
from payments.svm.transaction import PaymentTransaction, decode_transaction

V2_HEADER = "payment-signature"
V1_HEADER = "x-payment"
_PAYMENT_ID = re.compile(rf"^[A-Za-z0-9_-]{{{PAYMENT_ID_MIN},{PAYMENT_ID_MAX}}}$")  # as advertised in the 402


@dataclass(frozen=True)
class Attempt:
    x402_version: int  # 1 | 2: the answer header follows it
    requirement: PaymentRequirements  # ours, in v2 form (the one the payment pays for)
    wire_requirement: dict[str, Any]  # ours, in the client's version's wire form (for a remote facilitator)
    wire_payload: dict[str, Any]  # the decoded header, as sent (for a remote facilitator)
    evm: ExactEvmPayload | None  # set for an EVM payment
    payment_id: str | None
    key: str  # ledger idempotency key
    svm: PaymentTransaction | None = None  # set for an SVM payment

    @property
    def payer(self) -> str:
        if self.svm is not None:
            return self.svm.payer  # base58 is case-sensitive: never lowered
        assert self.evm is not None
        return self.evm.authorization.from_.lower()

    @property
    def source(self) -> str:
        """What the money leaves from, for the per-source gate: the payer (EVM), the source token account (SVM)."""
        if self.svm is not None:
            transfer = self.svm.transfer
            return str(transfer.source) if transfer else ""
        return self.payer

    @property
    def network(self) -> str:
        return self.requirement.network

    @property
    def amount(self) -> int:
        return int(self.requirement.amount)


def payment_header(headers: Mapping[str, str]) -> str | None:
    """The value of the payment header, v2 first; None when the request carries none. The version is read from the
    decoded payload, not from the header's name."""
    for name in (V2_HEADER, V1_HEADER):
        value = headers.get(name)
        if value is None:  # a plain dict is case-sensitive: look for any spelling
            value = next((v for k, v in headers.items() if k.lower() == name), None)
        if value is not None:
            return value
    return None


def evm_key(chain_id: int, asset: str, payer: str, nonce: str) -> str:
    return f"eip155:{chain_id}:{asset}:{payer}:{nonce}".lower()


def svm_key(network: str, payment: PaymentTransaction) -> str:
    """An SVM payment's key: its network and sha256 of its message (what all signatures cover)."""
    return f"{network}:{payment.key}"


def version_of(data: dict[str, Any]) -> int:
    version = data.get("x402Version")
    if version not in (1, 2) or isinstance(version, bool):
        raise MalformedPayment(f"x402Version {version!r} is not supported (1 or 2)", errors.INVALID_X402_VERSION)
    return version


def decode_attempt(header: str, terms: OfferTerms) -> Attempt:
    """Decode one payment header and match it to `terms`; MalformedPayment (400) or PaymentRejected (402)."""
    return attempt_from(decode_json(header), terms)


def attempt_from(data: dict[str, Any], terms: OfferTerms) -> Attempt:
    """Match a decoded payment (a header's JSON, or the MCP transport's `_meta["x402/payment"]`) to `terms`."""
    if version_of(data) == 2:
        return _decode_v2(data, terms)
    return _decode_v1(data, terms)


def _decode_v2(data: dict[str, Any], terms: OfferTerms) -> Attempt:
    payment = parse_model(PaymentPayload, data, "payment payload")
    ours = terms.find_v2(payment.accepted)
    if ours is None:
        raise _mismatch(payment.accepted, terms)
    return _attempt(2, ours, ours.wire(), data, payment.payload, payment_identifier(payment.extensions))


def _decode_v1(data: dict[str, Any], terms: OfferTerms) -> Attempt:
    payment = parse_model(PaymentPayloadV1, data, "payment payload")
    network = find_network(payment.network)
    for ours, ours_v1 in zip(terms.accepts, terms.accepts_v1, strict=True):
        if network is not None and ours.network == network.caip2 and payment.scheme == ours.scheme:
            return _attempt(1, ours, ours_v1.wire(), data, payment.payload, None)
    if all(payment.scheme != ours.scheme for ours in terms.accepts):
        raise PaymentRejected(errors.UNSUPPORTED_SCHEME, f"scheme {payment.scheme!r} is not offered here")
    raise PaymentRejected(errors.INVALID_NETWORK, f"network {payment.network!r} is not offered here")


def _attempt(
    version: int,
    ours: PaymentRequirements,
    wire_requirement: dict[str, Any],
    data: dict[str, Any],
    payload: dict[str, Any],
    payment_id: str | None,
) -> Attempt:
    network = find_network(ours.network)
    assert network is not None  # our own requirements only name registered networks
    if network.family == "svm":
        svm = decode_transaction(parse_model(ExactSvmPayload, payload, "payload").transaction)
        return Attempt(version, ours, wire_requirement, data, None, payment_id, svm_key(network.caip2, svm), svm)
    evm = parse_model(ExactEvmPayload, payload, "payload")
    auth = evm.authorization
    key = evm_key(network.chain_id, ours.asset, auth.from_, auth.nonce)
    return Attempt(version, ours, wire_requirement, data, evm, payment_id, key)


def _mismatch(accepted: PaymentRequirements, terms: OfferTerms) -> PaymentRejected:
    """The most useful reason why a v2 `accepted` matches none of our requirements."""
    if all(accepted.scheme != ours.scheme for ours in terms.accepts):
        return PaymentRejected(errors.UNSUPPORTED_SCHEME, f"scheme {accepted.scheme!r} is not offered here")
    same_network = [ours for ours in terms.accepts if ours.network == accepted.network]
    if not same_network:
        offered = ", ".join(sorted({ours.network for ours in terms.accepts}))
        return PaymentRejected(errors.INVALID_NETWORK, f"network {accepted.network!r} is not offered here ({offered})")
    diffs = differing_fields(same_network[0], accepted)
    return PaymentRejected(
        errors.INVALID_PAYMENT_REQUIREMENTS,
        f"`accepted` must repeat one of our requirements verbatim; it differs in {', '.join(diffs)}",
    )


def payment_identifier(extensions: dict[str, Any] | None) -> str | None:
    """The client's payment-identifier id, if it sent a valid one (`extensions.payment-identifier.info.id`)."""
    ext = (extensions or {}).get(PAYMENT_IDENTIFIER)
    if not isinstance(ext, dict):
        return None
    info = ext.get("info")
    pid = info.get("id") if isinstance(info, dict) else None
    if pid is None:
        return None
    if not isinstance(pid, str) or not _PAYMENT_ID.match(pid):
        raise MalformedPayment("payment-identifier id must be 16-128 characters of A-Z a-z 0-9 _ -")
    return pid
