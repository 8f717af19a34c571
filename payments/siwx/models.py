"""The extension's wire shapes, named as the official SDK names them (camelCase on the wire)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SIGN_IN_WITH_X = "sign-in-with-x"  # the extension's key in PaymentRequired.extensions
SIWX_HEADER = "SIGN-IN-WITH-X"  # the header a proof comes back in

SignatureType = Literal["eip191", "ed25519"]


class SupportedChain(BaseModel):
    model_config = ConfigDict(populate_by_name=True, frozen=True)

    chain_id: str = Field(alias="chainId")  # CAIP-2
    type: SignatureType


def supported_chain(network: str) -> SupportedChain:
    """The chain entry for a CAIP-2 network: EIP-191 signatures on eip155, ed25519 on solana."""
    return SupportedChain(chain_id=network, type="ed25519" if network.startswith("solana:") else "eip191")


class SiwxPayload(BaseModel):
    """What a client sends back, base64 JSON in the SIGN-IN-WITH-X header: the message's fields and its signature."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore")

    domain: str = Field(max_length=255)
    address: str = Field(max_length=128)
    uri: str = Field(max_length=2048)
    version: str = Field(max_length=16)
    chain_id: str = Field(alias="chainId", max_length=128)
    type: SignatureType
    nonce: str = Field(max_length=128)
    issued_at: str = Field(alias="issuedAt", max_length=64)
    statement: str | None = Field(default=None, max_length=1024)
    expiration_time: str | None = Field(default=None, alias="expirationTime", max_length=64)
    not_before: str | None = Field(default=None, alias="notBefore", max_length=64)
    request_id: str | None = Field(default=None, alias="requestId", max_length=256)
    resources: list[str] | None = Field(default=None, max_length=16)
    signature_scheme: str | None = Field(default=None, alias="signatureScheme", max_length=16)
    signature: str = Field(max_length=512)
