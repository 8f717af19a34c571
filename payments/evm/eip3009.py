"""EIP-3009 `transferWithAuthorization` as bytes: the EIP-712 digest, signature checks, calldata, logs, and the
EIP-1559 transaction that carries it. Pure functions, no I/O.

Hand-encoded (all arguments are static ABI types) and signed with libsecp256k1 via coincurve: byte-identical to
eth_abi / eth_account, about seven times faster on the paid path.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import coincurve
import rlp
from eth_utils import keccak, to_checksum_address

SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
HALF_N = SECP256K1_N // 2

DOMAIN_TYPEHASH = keccak(b"EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
TRANSFER_TYPEHASH = keccak(
    b"TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,"
    b"bytes32 nonce)"
)
TRANSFER_WITH_AUTHORIZATION = keccak(
    b"transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)"
)[:4]
AUTHORIZATION_STATE = keccak(b"authorizationState(address,bytes32)")[:4]
BALANCE_OF = keccak(b"balanceOf(address)")[:4]
TRANSFER_TOPIC = "0x" + keccak(b"Transfer(address,address,uint256)").hex()
AUTHORIZATION_USED_TOPIC = "0x" + keccak(b"AuthorizationUsed(address,bytes32)").hex()


@dataclass(frozen=True)
class Authorization:
    """An EIP-3009 authorization with ints and lowercase hex (the form every check below uses)."""

    from_: str
    to: str
    value: int
    valid_after: int
    valid_before: int
    nonce: str  # 0x + 64 hex


@dataclass(frozen=True)
class Signature:
    v: int  # 27 | 28
    r: int
    s: int


def _address_word(address: str) -> bytes:
    return bytes(12) + bytes.fromhex(address[2:])


def _uint_word(value: int) -> bytes:
    return value.to_bytes(32, "big")


@lru_cache(maxsize=64)
def domain_separator(name: str, version: str, chain_id: int, contract: str) -> bytes:
    return keccak(
        DOMAIN_TYPEHASH
        + keccak(name.encode())
        + keccak(version.encode())
        + _uint_word(chain_id)
        + _address_word(contract.lower())
    )


def _authorization_words(auth: Authorization) -> bytes:
    """from, to, value, validAfter, validBefore, nonce as 32-byte words: the signed struct and the call share them."""
    return (
        _address_word(auth.from_)
        + _address_word(auth.to)
        + _uint_word(auth.value)
        + _uint_word(auth.valid_after)
        + _uint_word(auth.valid_before)
        + bytes.fromhex(auth.nonce[2:])
    )


def digest(auth: Authorization, domain: bytes) -> bytes:
    """The EIP-712 hash the payer signed."""
    struct = keccak(TRANSFER_TYPEHASH + _authorization_words(auth))
    return keccak(b"\x19\x01" + domain + struct)


def split_signature(signature: bytes) -> Signature:
    """(v, r, s) of a 65-byte r‖s‖v signature; ValueError when it is not one a token would accept."""
    if len(signature) != 65:
        raise ValueError(f"signature is {len(signature)} bytes; an EOA signature is 65")
    r, s, v = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:64], "big"), signature[64]
    if v in (0, 1):  # some signers give the recovery id itself
        v += 27
    if v not in (27, 28):
        raise ValueError(f"signature v is {v}; expected 27 or 28")
    if not 0 < r < SECP256K1_N or not 0 < s < SECP256K1_N:
        raise ValueError("signature r or s is out of range")
    if s > HALF_N:  # malleable twin: USDC (and OpenZeppelin's ECDSA) refuse high s
        raise ValueError("signature s is in the upper half of the curve order (high-s)")
    return Signature(v, r, s)


@lru_cache(maxsize=1024)
def signer(auth: Authorization, signature: bytes, domain: bytes) -> tuple[Signature, str]:
    """(the split signature, the lowercase address that signed `auth` in `domain`); ValueError for a signature a
    token would refuse. Cached: a paid request checks its signature before the ledger, again with its terms and at
    verification, and a pure function of its arguments need not recover the key three times."""
    sig = split_signature(signature)
    return sig, recover(digest(auth, domain), sig)


def recover(message_hash: bytes, sig: Signature) -> str:
    """The lowercase address whose key made `sig` over `message_hash`."""
    compact = _uint_word(sig.r) + _uint_word(sig.s) + bytes([sig.v - 27])
    public = coincurve.PublicKey.from_signature_and_message(compact, message_hash, hasher=None)
    return "0x" + keccak(public.format(compressed=False)[1:])[-20:].hex()


def transfer_calldata(auth: Authorization, sig: Signature) -> bytes:
    return (
        TRANSFER_WITH_AUTHORIZATION
        + _authorization_words(auth)
        + _uint_word(sig.v)
        + _uint_word(sig.r)
        + _uint_word(sig.s)
    )


def authorization_state_calldata(authorizer: str, nonce: str) -> bytes:
    return AUTHORIZATION_STATE + _address_word(authorizer) + bytes.fromhex(nonce[2:])


def balance_of_calldata(owner: str) -> bytes:
    return BALANCE_OF + _address_word(owner)


def topic_address(address: str) -> str:
    return "0x" + "0" * 24 + address[2:].lower()


def has_transfer_log(receipt: dict, asset: str, sender: str, recipient: str, value: int) -> bool:
    """Whether the receipt holds Transfer(sender, recipient, value) emitted by `asset`."""
    want = [TRANSFER_TOPIC, topic_address(sender), topic_address(recipient)]
    for log in receipt.get("logs") or []:
        if (
            log.get("address", "").lower() == asset.lower()
            and [t.lower() for t in log.get("topics", [])] == want
            and int(log.get("data") or "0x0", 16) == value
        ):
            return True
    return False


class TransactionSigner:
    """A private key that signs EIP-1559 transactions (type 2), offline."""

    def __init__(self, private_key: str) -> None:
        self._key = coincurve.PrivateKey(bytes.fromhex(private_key.removeprefix("0x")))
        public = self._key.public_key.format(compressed=False)[1:]
        self.address = to_checksum_address(keccak(public)[-20:])

    def sign_eip1559(
        self, *, chain_id: int, nonce: int, max_fee: int, max_priority_fee: int, gas: int, to: str, data: bytes
    ) -> tuple[str, str]:
        """(tx hash, raw tx), both 0x-hex. The hash is known before anything is sent."""
        fields = [chain_id, nonce, max_priority_fee, max_fee, gas, bytes.fromhex(to[2:]), 0, data, []]
        sig = self._key.sign_recoverable(keccak(b"\x02" + rlp.encode(fields)), hasher=None)
        r, s, y_parity = int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:64], "big"), sig[64]
        raw = b"\x02" + rlp.encode([*fields, y_parity, r, s])
        return "0x" + keccak(raw).hex(), "0x" + raw.hex()


def transaction_nonce(raw_tx: str) -> int:
    """The nonce of a signed EIP-1559 transaction (0x02 || rlp([chain_id, nonce, ...])); ValueError if it is not one."""
    data = bytes.fromhex(raw_tx.removeprefix("0x"))
    if not data or data[0] != 2:
        raise ValueError("not an EIP-1559 transaction")
    fields = rlp.decode(data[1:])
    return int.from_bytes(fields[1], "big")
