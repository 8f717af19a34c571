"""USDC sent back on chain: refunds of paid jobs that failed, from a refund wallet of their own (never the key that
settles payments, so a refund never takes a settlement's nonce or fee budget).

Like a settlement, a refund's signed transaction is stored before it is broadcast, so a crash finds it again: `check`
looks it up on chain and re-sends the same bytes while they can still land. Base: an EIP-1559 transaction calling the
token's `transfer(to, amount)`, gas paid by the refund wallet (ETH), sent the way settlements are: its nonce comes from
the ledger, which stores the signed transaction in the same database transaction (`Ledger.sign_transaction`, under
("refund", the job)), so any number of processes and nodes send refunds with one key and never sign one nonce twice
(the refund key is its own sender: refunds never take a settlement's nonce).
Solana: a transaction [TransferChecked(refund wallet's USDC account → the payer's)], fee paid by the refund wallet
(SOL); the payer's token account is created first if it has none."""

from __future__ import annotations

import base64
import contextlib
from dataclasses import dataclass
from typing import Literal, Protocol

from eth_utils import to_checksum_address
from solders.hash import Hash
from solders.keypair import Keypair
from solders.message import MessageV0
from solders.pubkey import Pubkey
from solders.token.associated import get_associated_token_address
from solders.transaction import VersionedTransaction

from payments.evm.rpc import RpcClient
from payments.evm.wallet import Wallet
from payments.jsonrpc import RpcError, RpcUnavailable, polls
from payments.ledger.base import Ledger, Sign
from payments.networks import lookup
from payments.settlement import OnSigned
from payments.svm.instructions import create_token_account, transfer_checked
from payments.svm.rpc import SolanaRpc, wire_base64

TRANSFER_SELECTOR = bytes.fromhex("a9059cbb")  # transfer(address,uint256)
CONFIRM_SECONDS = 60.0
PURPOSE = "refund"  # what the ledger stores an EVM refund's signed transaction under
GAS_LIMIT = 100_000  # an ERC-20 transfer to a new holder costs ~50k

Standing = Literal["sent", "failed", "pending", "lost"]  # lost: never landed and never can: sign it anew


class RefundFailed(Exception):
    """The refund moved nothing (refused by the node, or reverted on chain)."""


class RefundPending(Exception):
    """The refund's transaction is out but not confirmed yet: `check` it later."""


@dataclass(frozen=True, slots=True)
class Stored:
    """What the caller kept of a refund in flight."""

    tx: str  # EVM: the transaction hash; Solana: the signature
    raw: str  # the signed bytes (0x-hex; base64 on Solana)


class ChainRefunder(Protocol):
    network: str
    address: str  # the refund wallet

    async def send(self, to: str, amount: int, on_signed: OnSigned, ref: str) -> str:
        """Send `amount` to `to` for `ref` (the job); `on_signed` hears the stored transaction before it is awaited."""

    async def signed(self, ref: str) -> Stored | None:
        """The transaction signed for `ref` that a crash may have left unrecorded by the caller."""

    async def check(self, stored: Stored) -> Standing: ...

    async def close(self) -> None: ...


def transfer_calldata(to: str, amount: int) -> bytes:
    return TRANSFER_SELECTOR + bytes.fromhex(to_checksum_address(to)[2:]).rjust(32, b"\0") + amount.to_bytes(32, "big")


class _Outbox:
    """The wallet's nonces for one refund: allocated by the ledger, which keeps the signed refund with them."""

    def __init__(self, ledger: Ledger, ref: str) -> None:
        self.ledger = ledger
        self.ref = ref

    async def sign(self, sender: str, floor: int | None, sign: Sign) -> int:
        return await self.ledger.sign_transaction(sender, floor, sign, PURPOSE, self.ref)

    async def release(self, sender: str, nonce: int) -> None:
        await self.ledger.release_nonce(sender, nonce)


class EvmRefunder:
    def __init__(self, network: str, rpc_url: str, private_key: str, ledger: Ledger, asset: str | None = None,
                 ) -> None:  # fmt: skip
        self.network = network
        chain = lookup(network)
        self.asset = to_checksum_address(asset or chain.usdc)
        self.rpc = RpcClient(rpc_url)
        self.wallet = Wallet(self.rpc, private_key, chain.chain_id, gas_limit=GAS_LIMIT)
        self.address = self.wallet.address
        self.ledger = ledger

    async def signed(self, ref: str) -> Stored | None:
        found = await self.ledger.signed(PURPOSE, ref)
        return Stored(*found) if found else None

    async def send(self, to: str, amount: int, on_signed: OnSigned, ref: str) -> str:
        try:
            tx_hash = await self.wallet.send(self.asset, transfer_calldata(to, amount), _Outbox(self.ledger, ref))
        except RpcError as exc:  # refused: its nonce was given back, nothing went out
            raise RefundFailed(f"the node refused the refund: {exc.rpc_message}") from None
        except RpcUnavailable:  # it may have gone out: the stored bytes are followed on chain
            stored = await self.signed(ref)
            if stored is not None:
                await on_signed(stored.tx, stored.raw)
            raise RefundPending(ref) from None
        stored = await self.signed(ref)
        assert stored is not None and stored.tx == tx_hash
        await on_signed(stored.tx, stored.raw)
        receipt = await self.rpc.wait_for_receipt(tx_hash, CONFIRM_SECONDS)
        if receipt is None:
            raise RefundPending(tx_hash)
        if int(receipt.get("status", "0x0"), 16) != 1:
            raise RefundFailed(f"the refund reverted on chain ({tx_hash})")
        return tx_hash

    async def check(self, stored: Stored) -> Standing:
        receipt = await self.rpc.receipt(stored.tx)
        if receipt is not None:
            return "sent" if int(receipt.get("status", "0x0"), 16) == 1 else "failed"
        if await self.rpc.transaction(stored.tx) is None:  # the node lost it: the same bytes, once more
            try:
                await self.rpc.send_raw_transaction(stored.raw)
            except RpcError as exc:
                if "nonce too low" in exc.rpc_message.lower():  # its nonce went to another transaction
                    self.wallet.resync()
                    return "lost"
        return "pending"

    async def close(self) -> None:
        await self.rpc.close()


class SvmRefunder:
    def __init__(self, network: str, rpc_url: str, secret_key: str, mint: str | None = None) -> None:
        self.network = network
        chain = lookup(network)
        self.mint = Pubkey.from_string(mint or chain.usdc)
        self.decimals = chain.decimals
        self.keypair = Keypair.from_base58_string(secret_key.strip())
        self.address = str(self.keypair.pubkey())
        self.rpc = SolanaRpc(rpc_url)

    async def _transaction(self, to: str, amount: int) -> VersionedTransaction:
        owner, us = Pubkey.from_string(to), self.keypair.pubkey()
        destination = get_associated_token_address(owner, self.mint)
        instructions = []
        if not await self.rpc.account_exists(str(destination)):
            instructions.append(create_token_account(us, owner, self.mint))
        source = get_associated_token_address(us, self.mint)
        instructions.append(transfer_checked(source, self.mint, destination, us, amount, self.decimals))
        blockhash = (await self.rpc.call("getLatestBlockhash", {"commitment": "confirmed"}))["value"]["blockhash"]
        message = MessageV0.try_compile(us, instructions, [], Hash.from_string(blockhash))
        return VersionedTransaction(message, [self.keypair])

    async def signed(self, ref: str) -> Stored | None:
        return None  # the caller stores a Solana refund itself (`on_signed`) before it is broadcast

    async def send(self, to: str, amount: int, on_signed: OnSigned, ref: str) -> str:
        tx = await self._transaction(to, amount)
        signature, wire = str(tx.signatures[0]), bytes(tx)
        await on_signed(signature, wire_base64(wire))
        try:
            await self.rpc.send(wire, skip_preflight=False)
        except RpcError as exc:
            raise RefundFailed(f"the node refused the refund: {exc.rpc_message}") from None
        async for _ in polls(CONFIRM_SECONDS):
            status = await self.rpc.signature_status(signature)
            if status is not None and status.landed:
                if status.err is not None:
                    raise RefundFailed(f"the refund failed on chain ({signature})")
                return signature
        raise RefundPending(signature)

    async def check(self, stored: Stored) -> Standing:
        status = await self.rpc.signature_status(stored.tx)
        if status is not None and status.landed:
            return "sent" if status.err is None else "failed"
        tx = VersionedTransaction.from_bytes(base64.b64decode(stored.raw))
        if await self.rpc.blockhash_valid(str(tx.message.recent_blockhash)):
            with contextlib.suppress(RpcError):  # already processed, or refused: the status says which next time
                await self.rpc.send(bytes(tx))
            return "pending"
        return "lost"  # its blockhash expired unlanded: it never can land

    async def close(self) -> None:
        await self.rpc.close()
