# pragma version 0.4.3
"""
@title TestUSDC
@notice forge402's local stand-in for Base Sepolia USDC: an ERC-20 with 6 decimals and EIP-3009
        (transfer/receive/cancel with authorization), for the anvil devnet only.
@dev The EIP-712 domain is the real Base Sepolia USDC's: name "USDC", version "2". The domain separator is
     computed per call from `self` and `chain.id`, and MINTER is an immutable (it lives in the runtime code), so
     the runtime code keeps working after `anvil_setCode` copies it to 0x036CbD53842c5426634e7929541eC2318f3dCF7e.
     Vyper has no overloading: the `bytes signature` variants FiatToken v2.2 also offers are dispatched by hand
     in `__default__` (EOA signatures of 65 bytes only; no ERC-1271 wallets).
"""

event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    value: uint256

event Approval:
    owner: indexed(address)
    spender: indexed(address)
    value: uint256

event AuthorizationUsed:
    authorizer: indexed(address)
    nonce: indexed(bytes32)

event AuthorizationCanceled:
    authorizer: indexed(address)
    nonce: indexed(bytes32)

name: public(constant(String[4])) = "USDC"
symbol: public(constant(String[4])) = "USDC"
version: public(constant(String[1])) = "2"
decimals: public(constant(uint8)) = 6

EIP712_DOMAIN_TYPEHASH: constant(bytes32) = keccak256(
    "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
)
TRANSFER_WITH_AUTHORIZATION_TYPEHASH: public(constant(bytes32)) = keccak256(
    "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
)
RECEIVE_WITH_AUTHORIZATION_TYPEHASH: public(constant(bytes32)) = keccak256(
    "ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
)
CANCEL_AUTHORIZATION_TYPEHASH: public(constant(bytes32)) = keccak256(
    "CancelAuthorization(address authorizer,bytes32 nonce)"
)

# Selectors of the `bytes signature` overloads, served by __default__.
TRANSFER_BYTES_SELECTOR: constant(bytes4) = method_id(
    "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)", output_type=bytes4
)
RECEIVE_BYTES_SELECTOR: constant(bytes4) = method_id(
    "receiveWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)", output_type=bytes4
)
CANCEL_BYTES_SELECTOR: constant(bytes4) = method_id(
    "cancelAuthorization(address,bytes32,bytes)", output_type=bytes4
)
# ABI length of the arguments when `bytes` holds a 65-byte signature: heads, the length word, 96 padded bytes.
AUTHORIZATION_ARGS_LEN: constant(uint256) = 7 * 32 + 32 + 96
CANCEL_ARGS_LEN: constant(uint256) = 3 * 32 + 32 + 96

# secp256k1n / 2: signatures with a larger s are malleable copies and are refused, as OpenZeppelin's ECDSA does.
HALF_N: constant(uint256) = 57896044618658097711785492504343953926418782139537452191302581570759080747168

MINTER: public(immutable(address))

balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])
totalSupply: public(uint256)
_authorization_states: HashMap[address, HashMap[bytes32, bool]]


@deploy
def __init__():
    MINTER = msg.sender


@view
@internal
def _domain_separator() -> bytes32:
    return keccak256(abi_encode(EIP712_DOMAIN_TYPEHASH, keccak256(name), keccak256(version), chain.id, self))


@view
@external
def DOMAIN_SEPARATOR() -> bytes32:
    return self._domain_separator()


@view
@external
def eip712Domain() -> (bytes1, String[4], String[1], uint256, address, bytes32, DynArray[uint256, 1]):
    # EIP-5267: fields 0x0f = name, version, chainId, verifyingContract
    return (0x0f, name, version, chain.id, self, empty(bytes32), [])


@internal
def _transfer(sender: address, receiver: address, amount: uint256):
    assert receiver != empty(address), "ERC20: transfer to the zero address"
    assert self.balanceOf[sender] >= amount, "ERC20: transfer amount exceeds balance"
    self.balanceOf[sender] -= amount
    self.balanceOf[receiver] += amount
    log Transfer(sender=sender, receiver=receiver, value=amount)


@external
def transfer(receiver: address, amount: uint256) -> bool:
    self._transfer(msg.sender, receiver, amount)
    return True


@external
def approve(spender: address, amount: uint256) -> bool:
    self.allowance[msg.sender][spender] = amount
    log Approval(owner=msg.sender, spender=spender, value=amount)
    return True


@external
def transferFrom(sender: address, receiver: address, amount: uint256) -> bool:
    assert self.allowance[sender][msg.sender] >= amount, "ERC20: transfer amount exceeds allowance"
    self.allowance[sender][msg.sender] -= amount
    self._transfer(sender, receiver, amount)
    return True


@external
def mint(receiver: address, amount: uint256):
    assert msg.sender == MINTER, "TestUSDC: caller is not the minter"
    assert receiver != empty(address), "TestUSDC: mint to the zero address"
    self.totalSupply += amount
    self.balanceOf[receiver] += amount
    log Transfer(sender=empty(address), receiver=receiver, value=amount)


@view
@external
def authorizationState(authorizer: address, nonce: bytes32) -> bool:
    return self._authorization_states[authorizer][nonce]


@view
@internal
def _signer(struct_hash: bytes32, v: uint8, r: bytes32, s: bytes32) -> address:
    assert convert(s, uint256) <= HALF_N, "ECRecover: invalid signature 's' value"
    assert v == 27 or v == 28, "ECRecover: invalid signature 'v' value"
    digest: bytes32 = keccak256(concat(b"\x19\x01", self._domain_separator(), struct_hash))
    signer: address = ecrecover(digest, v, r, s)
    assert signer != empty(address), "ECRecover: invalid signature"
    return signer


@pure
@internal
def _split(signature: Bytes[65]) -> (uint8, bytes32, bytes32):
    assert len(signature) == 65, "ECRecover: invalid signature length"
    v: uint8 = convert(convert(slice(signature, 64, 1), bytes1), uint8)
    return (v, extract32(signature, 0), extract32(signature, 32))


@internal
def _use_authorization(typehash: bytes32, payer: address, payee: address, amount: uint256,
                       valid_after: uint256, valid_before: uint256, nonce: bytes32,
                       v: uint8, r: bytes32, s: bytes32):
    assert block.timestamp > valid_after, "FiatTokenV2: authorization is not yet valid"
    assert block.timestamp < valid_before, "FiatTokenV2: authorization is expired"
    assert not self._authorization_states[payer][nonce], "FiatTokenV2: authorization is used or canceled"
    struct_hash: bytes32 = keccak256(abi_encode(typehash, payer, payee, amount, valid_after, valid_before, nonce))
    assert self._signer(struct_hash, v, r, s) == payer, "FiatTokenV2: invalid signature"
    self._authorization_states[payer][nonce] = True
    log AuthorizationUsed(authorizer=payer, nonce=nonce)
    self._transfer(payer, payee, amount)


@internal
def _receive(payer: address, payee: address, amount: uint256, valid_after: uint256, valid_before: uint256,
             nonce: bytes32, v: uint8, r: bytes32, s: bytes32):
    assert payee == msg.sender, "FiatTokenV2: caller must be the payee"
    self._use_authorization(RECEIVE_WITH_AUTHORIZATION_TYPEHASH, payer, payee, amount,
                            valid_after, valid_before, nonce, v, r, s)


@internal
def _cancel(authorizer: address, nonce: bytes32, v: uint8, r: bytes32, s: bytes32):
    assert not self._authorization_states[authorizer][nonce], "FiatTokenV2: authorization is used or canceled"
    struct_hash: bytes32 = keccak256(abi_encode(CANCEL_AUTHORIZATION_TYPEHASH, authorizer, nonce))
    assert self._signer(struct_hash, v, r, s) == authorizer, "FiatTokenV2: invalid signature"
    self._authorization_states[authorizer][nonce] = True
    log AuthorizationCanceled(authorizer=authorizer, nonce=nonce)


@external
def transferWithAuthorization(payer: address, payee: address, amount: uint256, valid_after: uint256,
                              valid_before: uint256, nonce: bytes32, v: uint8, r: bytes32, s: bytes32):
    self._use_authorization(TRANSFER_WITH_AUTHORIZATION_TYPEHASH, payer, payee, amount,
                            valid_after, valid_before, nonce, v, r, s)


@external
def receiveWithAuthorization(payer: address, payee: address, amount: uint256, valid_after: uint256,
                             valid_before: uint256, nonce: bytes32, v: uint8, r: bytes32, s: bytes32):
    self._receive(payer, payee, amount, valid_after, valid_before, nonce, v, r, s)


@external
def cancelAuthorization(authorizer: address, nonce: bytes32, v: uint8, r: bytes32, s: bytes32):
    self._cancel(authorizer, nonce, v, r, s)


@external
def __default__():
    # The `bytes signature` overloads. Calldata must be exactly the canonical encoding of a 65-byte signature.
    selector: bytes4 = convert(slice(msg.data, 0, 4), bytes4)
    v: uint8 = 0
    r: bytes32 = empty(bytes32)
    s: bytes32 = empty(bytes32)
    if selector == TRANSFER_BYTES_SELECTOR or selector == RECEIVE_BYTES_SELECTOR:
        assert len(msg.data) == 4 + AUTHORIZATION_ARGS_LEN, "ECRecover: invalid signature length"
        payer: address = empty(address)
        payee: address = empty(address)
        amount: uint256 = 0
        valid_after: uint256 = 0
        valid_before: uint256 = 0
        nonce: bytes32 = empty(bytes32)
        signature: Bytes[65] = b""
        payer, payee, amount, valid_after, valid_before, nonce, signature = abi_decode(
            slice(msg.data, 4, AUTHORIZATION_ARGS_LEN), (address, address, uint256, uint256, uint256, bytes32, Bytes[65])
        )
        v, r, s = self._split(signature)
        if selector == TRANSFER_BYTES_SELECTOR:
            self._use_authorization(TRANSFER_WITH_AUTHORIZATION_TYPEHASH, payer, payee, amount,
                                    valid_after, valid_before, nonce, v, r, s)
        else:
            self._receive(payer, payee, amount, valid_after, valid_before, nonce, v, r, s)
    elif selector == CANCEL_BYTES_SELECTOR:
        assert len(msg.data) == 4 + CANCEL_ARGS_LEN, "ECRecover: invalid signature length"
        authorizer: address = empty(address)
        cancel_nonce: bytes32 = empty(bytes32)
        cancel_signature: Bytes[65] = b""
        authorizer, cancel_nonce, cancel_signature = abi_decode(
            slice(msg.data, 4, CANCEL_ARGS_LEN), (address, bytes32, Bytes[65])
        )
        v, r, s = self._split(cancel_signature)
        self._cancel(authorizer, cancel_nonce, v, r, s)
    else:
        raise "TestUSDC: unknown function"
