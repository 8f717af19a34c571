"""Checking a sign-in proof (the SIGN-IN-WITH-X header): bound to our origin, fresh, on a chain we offer, with a nonce
we issued, signed by the address it names. EVM: EIP-191 personal-sign recovery of the EIP-4361 message (externally
owned accounts; smart-contract wallets, EIP-1271/6492, are not taken yet). Solana: ed25519 over the CAIP-122 message.
Single use of the nonce is the caller's last step, once everything here has passed."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from eth_account import Account
from eth_account.messages import encode_defunct
from eth_utils import to_checksum_address
from pydantic import ValidationError
from solders.pubkey import Pubkey
from solders.signature import Signature

import payments.siwx.errors as errors
from payments.codec import decode_json
from payments.errors import MalformedPayment
from payments.siwx.errors import SiwxRejected
from payments.siwx.message import evm_chain_id, siwe_message, siws_message, solana_reference
from payments.siwx.models import SiwxPayload, SupportedChain
from payments.siwx.nonces import NonceIssuer

_EVM_ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")
CLOCK_SKEW_SECONDS = 60  # a client's clock may run this far ahead of ours


@dataclass(frozen=True, slots=True)
class SignedIn:
    address: str  # the account: an EVM address checksummed, a Solana address in base58
    chain_id: str  # the CAIP-2 chain it signed for
    nonce: str
    nonce_expires_at: int  # the nonce must stay marked used until then (afterwards it is refused as expired anyway)


def parse_header(value: str) -> SiwxPayload:
    """The payload in a SIGN-IN-WITH-X header (base64 JSON); SiwxRejected when it cannot be read."""
    try:
        return SiwxPayload.model_validate(decode_json(value))
    except MalformedPayment as exc:
        raise SiwxRejected(errors.MALFORMED, exc.message.replace("payment header", "SIGN-IN-WITH-X header")) from None
    except (ValidationError, ValueError, json.JSONDecodeError) as exc:
        detail = exc.errors()[0]["loc"] if isinstance(exc, ValidationError) and exc.errors() else ""
        raise SiwxRejected(errors.MALFORMED, f"the SIGN-IN-WITH-X payload is not valid {detail}".strip()) from None


def _time(value: str, code: str, name: str) -> float:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise SiwxRejected(code, f"{name} is not an RFC 3339 time") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.timestamp()


def _check_origin(p: SiwxPayload, origin: str) -> None:
    scheme, _, netloc = origin.partition("://")
    if p.domain != netloc:
        raise SiwxRejected(errors.DOMAIN_MISMATCH, f"the message is for {p.domain!r}, not {netloc!r}")
    uri_scheme, sep, rest = p.uri.partition("://")
    uri_netloc = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if not sep or f"{uri_scheme}://{uri_netloc}" != f"{scheme}://{netloc}":
        raise SiwxRejected(errors.URI_MISMATCH, f"the message's URI is not on {origin}")


def _check_times(p: SiwxPayload, now: float, max_age_seconds: int) -> None:
    issued = _time(p.issued_at, errors.ISSUED_AT, "issuedAt")
    if issued > now + CLOCK_SKEW_SECONDS:
        raise SiwxRejected(errors.IN_FUTURE, "issuedAt is in the future")
    if now - issued > max_age_seconds:
        raise SiwxRejected(errors.TOO_OLD, f"the message was issued over {max_age_seconds} s ago; sign a new one")
    if p.expiration_time and _time(p.expiration_time, errors.EXPIRATION_TIME, "expirationTime") < now:
        raise SiwxRejected(errors.EXPIRED, "the message has expired; sign a new one")
    if p.not_before and _time(p.not_before, errors.NOT_BEFORE, "notBefore") > now + CLOCK_SKEW_SECONDS:
        raise SiwxRejected(errors.NOT_YET_VALID, "the message is not valid yet (notBefore)")


def _check_chain(p: SiwxPayload, chains: list[SupportedChain]) -> None:
    offered = next((c for c in chains if c.chain_id == p.chain_id), None)
    if offered is None:
        names = ", ".join(c.chain_id for c in chains)
        raise SiwxRejected(errors.UNSUPPORTED_CHAIN, f"sign in on one of: {names} (not {p.chain_id})")
    if p.type != offered.type:
        raise SiwxRejected(errors.UNSUPPORTED_CHAIN, f"{p.chain_id} takes {offered.type} signatures, not {p.type}")


def _verify_evm(p: SiwxPayload) -> str:
    chain_id = evm_chain_id(p.chain_id)
    if chain_id is None:
        raise SiwxRejected(errors.CHAIN_ID, f"{p.chain_id} is not an eip155 chain id")
    if not _EVM_ADDRESS.match(p.address):
        raise SiwxRejected(errors.SIGNATURE, "the address is not an EVM address")
    try:
        raw = bytes.fromhex(p.signature.removeprefix("0x"))
        if len(raw) != 65:
            raise ValueError
        recovered = Account.recover_message(encode_defunct(text=siwe_message(p, chain_id)), signature=raw)
    except Exception:
        raise SiwxRejected(errors.MALFORMED_SIGNATURE, "the signature is not a 65-byte EIP-191 signature") from None
    if recovered.lower() != p.address.lower():
        raise SiwxRejected(errors.SIGNATURE, "the signature is not the address's")
    return to_checksum_address(p.address)


def _verify_solana(p: SiwxPayload) -> str:
    reference = solana_reference(p.chain_id)
    if reference is None:
        raise SiwxRejected(errors.CHAIN_ID, f"{p.chain_id} is not a solana chain id")
    try:
        key = Pubkey.from_string(p.address)
    except ValueError:
        raise SiwxRejected(errors.SIGNATURE, "the address is not a Solana address") from None
    try:
        signature = Signature.from_string(p.signature)
    except ValueError:
        raise SiwxRejected(errors.MALFORMED_SIGNATURE, "the signature is not a base58 ed25519 signature") from None
    if not signature.verify(key, siws_message(p, reference).encode()):
        raise SiwxRejected(errors.SIGNATURE, "the signature is not the address's")
    return str(key)


def verify_proof(
    payload: SiwxPayload,
    *,
    origin: str,
    chains: list[SupportedChain],
    nonces: NonceIssuer,
    now: float,
    max_age_seconds: int,
) -> SignedIn:
    """Everything but the nonce's single use; SiwxRejected with the first reason found. `origin` is ours
    (scheme://host[:port]), `chains` those we offer."""
    _check_origin(payload, origin)
    _check_times(payload, now, max_age_seconds)
    issued = nonces.check(payload.nonce, now)
    _check_chain(payload, chains)
    address = _verify_evm(payload) if payload.type == "eip191" else _verify_solana(payload)
    return SignedIn(address, payload.chain_id, payload.nonce, issued + nonces.ttl_seconds)
