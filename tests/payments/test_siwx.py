"""payments/siwx against the official SDK's sign-in-with-x helpers: proofs the SDK's client makes are accepted on
both chains, the messages we rebuild are the SDK's byte for byte, and every forgery is refused with its code."""

from __future__ import annotations

import time
from typing import Any

import pytest
from x402.extensions.sign_in_with_x import encode_siwx_header, format_siwe_message, format_siws_message

from payments.siwx import NonceIssuer, SiwxPayload, SiwxRejected, challenge_extension, parse_header, supported_chain
from payments.siwx.challenge import rfc3339
from payments.siwx.message import siwe_message, siws_message
from payments.siwx.verify import verify_proof
from tests.wallets import evm_signer, siwx_proof, solana_signer

ORIGIN = "https://forge.example"
BASE = "eip155:84532"
SOLANA = "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"
CHAINS = [supported_chain(BASE), supported_chain(SOLANA)]
TTL = 300


@pytest.fixture
def nonces() -> NonceIssuer:
    return NonceIssuer(b"test secret", TTL)


def info(nonces: NonceIssuer, now: float, **changes: Any) -> dict[str, Any]:
    extension = challenge_extension(
        origin=ORIGIN, path="/api/me", chains=CHAINS, nonce=nonces.issue(now), now=now, ttl_seconds=TTL,
        statement="Sign in to forge402",
    )  # fmt: skip
    return {**extension["info"], **changes}


def proof(signer: Any, chain: str, fields: dict[str, Any], url: str = ORIGIN + "/api/me") -> str:
    return siwx_proof(fields, signer, chain, url)


def check(header: str, nonces: NonceIssuer, now: float | None = None, origin: str = ORIGIN) -> str:
    signed = verify_proof(
        parse_header(header), origin=origin, chains=CHAINS, nonces=nonces, now=now or time.time(), max_age_seconds=TTL
    )
    return signed.address


def refused(header: str, nonces: NonceIssuer, code: str, **kwargs: Any) -> None:
    with pytest.raises(SiwxRejected) as caught:
        check(header, nonces, **kwargs)
    assert caught.value.reason == code, caught.value


@pytest.mark.parametrize("chain", [BASE, SOLANA])
def test_a_proof_made_by_the_official_client_signs_its_wallet_in(nonces: NonceIssuer, chain: str) -> None:
    signer = evm_signer() if chain == BASE else solana_signer()
    header = proof(signer, chain, info(nonces, time.time()))
    assert check(header, nonces) == signer.address


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"statement": None},
        {"resources": None, "expirationTime": None},
        {"notBefore": "2020-01-01T00:00:00.000Z", "requestId": "req-42"},
        {"resources": [ORIGIN + "/api/me", ORIGIN + "/api/me/jobs"]},
    ],
)
def test_the_messages_are_the_sdks_byte_for_byte(nonces: NonceIssuer, changes: dict[str, Any]) -> None:
    fields = {k: v for k, v in info(nonces, time.time(), **changes).items() if v is not None}
    evm = SiwxPayload.model_validate({**fields, "address": evm_signer().address, "chainId": BASE, "type": "eip191",
                                      "signature": "0x"})  # fmt: skip
    assert siwe_message(evm, 84532) == format_siwe_message(evm, evm.address)
    svm = SiwxPayload.model_validate({**fields, "address": solana_signer().address, "chainId": SOLANA,
                                      "type": "ed25519", "signature": "1"})  # fmt: skip
    assert siws_message(svm, SOLANA.split(":")[1]) == format_siws_message(svm, svm.address)


def test_a_message_for_another_origin_is_refused(nonces: NonceIssuer) -> None:
    other = "https://evil.example"
    header = proof(evm_signer(), BASE, info(nonces, time.time(), domain="evil.example", uri=other + "/api/me"),
                   url=other + "/api/me")  # fmt: skip
    refused(header, nonces, "invalid_siwx_domain_mismatch")
    # the domain matches but the URI does not (built by hand: the SDK's client refuses to sign it)
    payload = parse_header(proof(evm_signer(), BASE, info(nonces, time.time())))
    forged = payload.model_copy(update={"uri": other + "/api/me"})
    with pytest.raises(SiwxRejected) as caught:
        verify_proof(forged, origin=ORIGIN, chains=CHAINS, nonces=nonces, now=time.time(), max_age_seconds=TTL)
    assert caught.value.reason == "invalid_siwx_uri_mismatch"


def test_an_expired_or_old_message_is_refused(nonces: NonceIssuer) -> None:
    now = time.time()
    header = proof(evm_signer(), BASE, info(nonces, now, expirationTime=rfc3339(now + 10)))
    refused(header, nonces, "invalid_siwx_expired", now=now + 20)  # past its expirationTime
    old = proof(evm_signer(), BASE, info(nonces, now, expirationTime=None))
    refused(old, nonces, "invalid_siwx_issued_at_too_old", now=now + TTL + 1)
    refused(old, nonces, "invalid_siwx_issued_at_in_future", now=now - 3600)


def test_a_nonce_we_did_not_issue_or_that_expired_is_refused(nonces: NonceIssuer) -> None:
    now = time.time()
    forged = proof(evm_signer(), BASE, info(nonces, now, nonce="0" * 64))
    refused(forged, nonces, "invalid_siwx_nonce")
    theirs = NonceIssuer(b"another server", TTL)
    refused(proof(evm_signer(), BASE, info(theirs, now)), nonces, "invalid_siwx_nonce")
    fresh = info(nonces, now)
    stale = proof(evm_signer(), BASE, info(nonces, now - TTL - 5, issuedAt=fresh["issuedAt"], expirationTime=None))
    refused(stale, nonces, "invalid_siwx_nonce")


def test_a_signature_by_another_wallet_is_refused(nonces: NonceIssuer) -> None:
    for chain, make in ((BASE, evm_signer), (SOLANA, solana_signer)):
        payload = parse_header(proof(make(), chain, info(nonces, time.time())))
        claimed = payload.model_copy(update={"address": make().address})  # someone else's address, our signature
        with pytest.raises(SiwxRejected) as caught:
            verify_proof(claimed, origin=ORIGIN, chains=CHAINS, nonces=nonces, now=time.time(), max_age_seconds=TTL)
        assert caught.value.reason == "invalid_siwx_signature"


def test_a_solana_signature_presented_as_evm_is_refused(nonces: NonceIssuer) -> None:
    solana = parse_header(proof(solana_signer(), SOLANA, info(nonces, time.time())))
    as_evm = solana.model_copy(update={"chain_id": BASE, "type": "eip191"})
    with pytest.raises(SiwxRejected) as caught:
        verify_proof(as_evm, origin=ORIGIN, chains=CHAINS, nonces=nonces, now=time.time(), max_age_seconds=TTL)
    assert caught.value.reason == "invalid_siwx_signature"
    mixed = solana.model_copy(update={"type": "eip191"})  # Solana chain, EVM signature type
    with pytest.raises(SiwxRejected) as caught:
        verify_proof(mixed, origin=ORIGIN, chains=CHAINS, nonces=nonces, now=time.time(), max_age_seconds=TTL)
    assert caught.value.reason == "invalid_siwx_unsupported_chain"
    evm = parse_header(proof(evm_signer(), BASE, info(nonces, time.time())))
    as_solana = evm.model_copy(update={"chain_id": SOLANA, "type": "ed25519"})
    with pytest.raises(SiwxRejected) as caught:
        verify_proof(as_solana, origin=ORIGIN, chains=CHAINS, nonces=nonces, now=time.time(), max_age_seconds=TTL)
    assert caught.value.reason == "invalid_siwx_signature"


def test_a_chain_we_do_not_offer_and_a_malformed_header_are_refused(nonces: NonceIssuer) -> None:
    mainnet = proof(evm_signer(), "eip155:1", info(nonces, time.time()))
    refused(mainnet, nonces, "invalid_siwx_unsupported_chain")
    with pytest.raises(SiwxRejected) as caught:
        parse_header("not base64 at all!")
    assert caught.value.reason == "invalid_siwx_payload"
    with pytest.raises(SiwxRejected) as caught:
        parse_header(encode_siwx_header.__globals__["safe_base64_encode"]('{"domain": 1}'))
    assert caught.value.reason == "invalid_siwx_payload"
