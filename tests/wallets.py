"""Wallets signing in as agents do: with the official x402 SDK's sign-in-with-x client helpers
(`x402.extensions.sign_in_with_x`). `evm_signer` / `solana_signer` make the SDK's signers (an eth-account signer;
for Solana a keypair signer shaped as the SDK's `KeypairSigner`, whose module needs an older solana-py than ours);
`siwx_header` answers a server's sign-in challenge with the SDK's client hook; `signed_in_agent` is an SDK httpx
client whose SIWX extension signs in by itself on a 402."""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any

import httpx
from eth_account import Account
from solders.keypair import Keypair
from x402 import x402Client
from x402.extensions.sign_in_with_x import (
    CreateSIWxClientExtensionOptions,
    create_siwx_client_extension,
    create_siwx_client_hook,
    create_siwx_payload,
    encode_siwx_header,
)
from x402.http.clients import x402HttpxClient
from x402.mechanisms.evm.signers import EthAccountSigner
from x402.schemas import PaymentRequired, PaymentRequiredContext

SIWX = "sign-in-with-x"


class SolanaSigner:
    """The SDK's KeypairSigner, as its sign-in helpers read it: `address` and `keypair`."""

    def __init__(self, keypair: Keypair) -> None:
        self.keypair = keypair

    @property
    def address(self) -> str:
        return str(self.keypair.pubkey())


def evm_signer(private_key: str | None = None) -> EthAccountSigner:
    return EthAccountSigner(Account.from_key(private_key) if private_key else Account.create())


def solana_signer(keypair: Keypair | None = None) -> SolanaSigner:
    return SolanaSigner(keypair or Keypair())


def challenge_of(answer: httpx.Response) -> dict[str, Any]:
    """The PaymentRequired of a 402 sign-in challenge (its header, which must equal its body)."""
    assert answer.status_code == 402, answer.text
    required = json.loads(base64.b64decode(answer.headers["payment-required"]))
    body = answer.json()
    assert {k: v for k, v in body.items() if k != "message"} == required
    return required


def siwx_header(answer: httpx.Response, signer: Any) -> str:
    """The SIGN-IN-WITH-X header the SDK's client hook makes from the 402 `answer` (the hook checks the challenge is
    bound to the URL that answered)."""
    required = PaymentRequired.model_validate(challenge_of(answer))
    hook = create_siwx_client_hook(signer)
    result = asyncio.run(hook(PaymentRequiredContext(payment_required=required, request_url=str(answer.url))))
    assert result is not None, "the SDK's hook found nothing to sign in with"
    (name, value), = result.headers.items()  # the extension's own name for its header: sign-in-with-x
    assert name.lower() == "sign-in-with-x"
    return value


def signed_payload(answer: httpx.Response, signer: Any, chain_id: str, **changes: Any) -> str:
    """A SIGN-IN-WITH-X header for `chain_id` with the challenge's `info` changed by `changes` (forgeries: another
    origin, an old message), signed by `signer` through the SDK's payload builder."""
    info = {**challenge_of(answer)["extensions"][SIWX]["info"], **changes}
    return siwx_proof(info, signer, chain_id, changes.get("uri") or str(answer.url))


def siwx_proof(info: dict[str, Any], signer: Any, chain_id: str, url: str) -> str:
    """The SIGN-IN-WITH-X header for a challenge's `info` on `chain_id`, signed by `signer` through the SDK's payload
    builder (`url`: the resource it signs in to)."""
    sig_type = "ed25519" if chain_id.startswith("solana:") else "eip191"
    payload = asyncio.run(create_siwx_payload({**info, "chainId": chain_id, "type": sig_type}, signer, url))
    return encode_siwx_header(payload)


def sign_in(http: httpx.Client, signer: Any, path: str = "/api/me") -> str:
    """Sign `signer` in at `path` (402, then the SDK hook's proof); the session token the answer carries."""
    proof = siwx_header(http.get(path), signer)
    answer = http.get(path, headers={"SIGN-IN-WITH-X": proof})
    assert answer.status_code == 200, answer.text
    return answer.headers["x-forge-session"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def signed_in_agent(signer: Any, base_url: str) -> x402HttpxClient:
    """An httpx client of the official SDK whose sign-in-with-x extension answers 402 challenges by itself."""
    client = x402Client()
    client.register_extension(create_siwx_client_extension(CreateSIWxClientExtensionOptions(signers=[signer])))
    return x402HttpxClient(client, base_url=base_url, timeout=60)
