"""The text a wallet signs, rebuilt from a payload's fields exactly as the official SDK's client builds it:
EIP-4361 (Sign-In with Ethereum) on eip155 chains, its CAIP-122 form ("... with your Solana account") on Solana.
A byte of difference and no signature verifies, so the layouts below follow the SDK's formatters line for line."""

from __future__ import annotations

import re

from payments.siwx.models import SiwxPayload

_EVM_CHAIN = re.compile(r"^eip155:([0-9]{1,20})$")
_SOLANA_CHAIN = re.compile(r"^solana:([1-9A-HJ-NP-Za-km-z]{1,64})$")


def evm_chain_id(chain_id: str) -> int | None:
    """The numeric chain id of `eip155:<n>`; None for anything else."""
    found = _EVM_CHAIN.match(chain_id)
    return int(found.group(1)) if found else None


def solana_reference(chain_id: str) -> str | None:
    """The genesis-hash reference of `solana:<ref>`; None for anything else."""
    found = _SOLANA_CHAIN.match(chain_id)
    return found.group(1) if found else None


def _optional_fields(p: SiwxPayload) -> list[str]:
    fields = []
    if p.expiration_time:
        fields.append(f"Expiration Time: {p.expiration_time}")
    if p.not_before:
        fields.append(f"Not Before: {p.not_before}")
    return fields


def siwe_message(p: SiwxPayload, chain_id: int) -> str:
    """EIP-4361: header, address, the statement between blank lines (an empty line without one), then the fields."""
    prefix = f"{p.domain} wants you to sign in with your Ethereum account:\n{p.address}"
    suffix = [f"URI: {p.uri}", f"Version: {p.version}", f"Chain ID: {chain_id}", f"Nonce: {p.nonce}"]
    suffix.append(f"Issued At: {p.issued_at}")
    suffix += _optional_fields(p)
    if p.request_id is not None:
        suffix.append(f"Request ID: {p.request_id}")
    if p.resources is not None:
        suffix.append("\n".join(["Resources:", *(f"- {r}" for r in p.resources)]))
    prefix = f"{prefix}\n\n{p.statement}" if p.statement is not None else prefix + "\n"
    return prefix + "\n\n" + "\n".join(suffix)


def siws_message(p: SiwxPayload, reference: str) -> str:
    """CAIP-122 for Solana, as the SDK lays it out: header, address, blank line, statement and blank line if any,
    then the fields."""
    lines = [f"{p.domain} wants you to sign in with your Solana account:", p.address, ""]
    if p.statement:
        lines += [p.statement, ""]
    lines += [f"URI: {p.uri}", f"Version: {p.version}", f"Chain ID: {reference}", f"Nonce: {p.nonce}"]
    lines.append(f"Issued At: {p.issued_at}")
    lines += _optional_fields(p)
    if p.request_id:
        lines.append(f"Request ID: {p.request_id}")
    if p.resources:
        lines += ["Resources:", *(f"- {r}" for r in p.resources)]
    return "\n".join(lines)
