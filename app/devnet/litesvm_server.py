"""A local Solana cluster for development and tests: solders' in-process LiteSVM behind a JSON-RPC server.

It answers the subset of Solana JSON-RPC that solana-py, the official x402 clients (`@x402/svm`) and forge402's
own facilitator use. Semantics, chosen to resemble a real cluster where payments care:

* blocks follow the wall clock (one slot per `slot_seconds`, 0.4 s like mainnet); a blockhash stays valid for 150
  blocks (~60 s), older ones give BlockhashNotFound; many transactions land in one block;
* a landed transaction is at once `finalized`; a failing one lands with `err` and pays its fee;
* sendTransaction with preflight runs a validator's checks and answers -32002/-32003; with skipPreflight a
  transaction a leader would drop (bad signature, replay, stale blockhash, a fee payer who cannot pay) is dropped
  silently, as on a real cluster;
* test controls (methods named `x_*`): hold every sent transaction instead of landing it (to catch settlements in
  flight), release or drop the held ones, advance blocks (expire blockhashes), set a token balance.

This module runs in the devnet child process (`python -m app.devnet.litesvm`), never in the service's event loop.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from solders.account import Account
from solders.hash import Hash
from solders.litesvm import LiteSVM
from solders.message import Message, MessageV0, to_bytes_versioned
from solders.pubkey import Pubkey
from solders.token.associated import get_associated_token_address
from solders.token.state import Mint, TokenAccount, TokenAccountState
from solders.transaction import VersionedTransaction
from solders.transaction_metadata import FailedTransactionMetadata

from payments.svm.rpc import error_name
from payments.svm.transaction import TOKEN_PROGRAM, TOKEN_PROGRAMS

log = logging.getLogger("forge402.devnet.svm")

DEVNET_GENESIS_HASH = "EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG"
BLOCKHASH_VALIDITY = 150  # blocks
SLOT_SECONDS = 0.4
MINT_SIZE, TOKEN_ACCOUNT_SIZE = 82, 165
API_VERSION = "2.2.0"

# errors after which a leader drops a transaction: nothing lands, no fee is paid
_DROPPED = {
    "AlreadyProcessed",
    "BlockhashNotFound",
    "SignatureFailure",
    "InsufficientFundsForFee",
    "AccountNotFound",
    "InvalidAccountForFee",
    "MissingSignatureForFee",
    "SanitizeFailure",
    "AccountLoadedTwice",
    "TooManyAccountLocks",
    "InvalidAccountIndex",
    "AddressLookupTableNotFound",
}
_ERROR_TEXT = {
    "AlreadyProcessed": "This transaction has already been processed",
    "BlockhashNotFound": "Blockhash not found",
    "SignatureFailure": "Transaction did not pass signature verification",
    "InsufficientFundsForFee": "Insufficient funds for fee",
    "AccountNotFound": "Attempt to debit an account but found no record of a prior credit.",
}


class RpcError(Exception):
    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data


def _err_json(result: FailedTransactionMetadata) -> Any:
    return json.loads(result.to_json())["err"]


def ui_amount(amount: int, decimals: int) -> dict[str, Any]:
    text = str(amount).rjust(decimals + 1, "0")
    ui = f"{text[:-decimals]}.{text[-decimals:]}".rstrip("0").rstrip(".") if decimals else text
    return {"amount": str(amount), "decimals": decimals, "uiAmount": amount / 10**decimals, "uiAmountString": ui}


@dataclass
class Landed:
    """A transaction that made it into a block (successful or not)."""

    slot: int
    block_time: int
    tx: VersionedTransaction | None  # None for an airdrop
    err: Any
    meta: dict[str, Any] | None


@dataclass
class LocalSolana:
    """The ledger: one LiteSVM, wall-clock blocks, the landed transactions, and the test controls' state."""

    slot_seconds: float = SLOT_SECONDS
    genesis_hash: str = DEVNET_GENESIS_HASH
    svm: LiteSVM = field(default_factory=lambda: LiteSVM().with_blockhash_check(False).with_sigverify(True))
    lock: threading.RLock = field(default_factory=threading.RLock)
    landed: dict[str, Landed] = field(default_factory=dict)
    processed_messages: set[bytes] = field(default_factory=set)  # a message lands once, whatever its signatures
    held: list[VersionedTransaction] = field(default_factory=list)
    hold_sends: bool = False

    def __post_init__(self) -> None:
        self.slot = self.svm.get_clock().slot
        self.height = 0
        self.blockhashes: OrderedDict[str, int] = OrderedDict()  # blockhash -> block height it was made at
        self._started = time.monotonic()
        self._skipped = 0  # blocks added by x_advanceBlocks
        self._new_block()

    # ---- blocks -----------------------------------------------------------------------------------------------------

    def _new_block(self) -> None:
        self.slot += 1
        self.height += 1
        self.svm.warp_to_slot(self.slot)
        self.svm.expire_blockhash()
        self.blockhashes[str(self.svm.latest_blockhash())] = self.height
        while len(self.blockhashes) > BLOCKHASH_VALIDITY + 1:
            self.blockhashes.popitem(last=False)

    def tick(self) -> None:
        """Produce the blocks the wall clock owes (at most enough to turn every blockhash over)."""
        due = int((time.monotonic() - self._started) / self.slot_seconds) + self._skipped + 1 - self.height
        if due > BLOCKHASH_VALIDITY + 1:
            self.slot += due - BLOCKHASH_VALIDITY - 1
            self.height += due - BLOCKHASH_VALIDITY - 1
            due = BLOCKHASH_VALIDITY + 1
        for _ in range(max(0, due)):
            self._new_block()

    def advance(self, blocks: int) -> int:
        self._skipped += blocks
        self.tick()
        return self.height

    def blockhash_valid(self, blockhash: Hash | str) -> bool:
        made_at = self.blockhashes.get(str(blockhash))
        return made_at is not None and self.height <= made_at + BLOCKHASH_VALIDITY

    @property
    def latest_blockhash(self) -> str:
        return str(self.svm.latest_blockhash())

    # ---- accounts (provisioning and controls) -----------------------------------------------------------------------

    def airdrop(self, pubkey: Pubkey, lamports: int) -> str:
        result = self.svm.airdrop(pubkey, lamports)
        if isinstance(result, FailedTransactionMetadata):
            raise RpcError(-32603, f"airdrop failed: {_err_json(result)}")
        signature = str(result.signature())
        self.landed[signature] = Landed(self.slot, int(time.time()), None, None, None)
        return signature

    def set_mint(self, address: Pubkey, decimals: int, authority: Pubkey, program: Pubkey = TOKEN_PROGRAM) -> None:
        mint = Mint(mint_authority=authority, supply=0, decimals=decimals, is_initialized=True, freeze_authority=None)
        rent = self.svm.minimum_balance_for_rent_exemption(MINT_SIZE)
        self.svm.set_account(address, Account(rent, bytes(mint), program))

    def set_token_balance(self, owner: Pubkey, mint: Pubkey, amount: int) -> Pubkey:
        """Create or overwrite `owner`'s associated token account for `mint` with `amount` (supply kept in step)."""
        mint_account = self.svm.get_account(mint)
        if mint_account is None:
            raise RpcError(-32602, f"mint {mint} does not exist")
        program = mint_account.owner
        ata = get_associated_token_address(owner, mint, program)
        before = self.token_account(ata)
        token = TokenAccount(
            mint=mint,
            owner=owner,
            amount=amount,
            delegate=None,
            state=TokenAccountState.Initialized,
            is_native=None,
            delegated_amount=0,
            close_authority=None,
        )
        rent = self.svm.minimum_balance_for_rent_exemption(TOKEN_ACCOUNT_SIZE)
        self.svm.set_account(ata, Account(rent, bytes(token), program))
        state = Mint.from_bytes(bytes(mint_account.data)[:MINT_SIZE])
        supply = state.supply + amount - (before.amount if before else 0)
        new_mint = Mint(
            mint_authority=state.mint_authority,
            supply=supply,
            decimals=state.decimals,
            is_initialized=True,
            freeze_authority=state.freeze_authority,
        )
        data = bytes(new_mint) + bytes(mint_account.data)[MINT_SIZE:]
        self.svm.set_account(mint, Account(mint_account.lamports, data, program))
        return ata

    def token_account(self, address: Pubkey) -> TokenAccount | None:
        account = self.svm.get_account(address)
        if account is None or account.owner not in TOKEN_PROGRAMS or len(account.data) < TOKEN_ACCOUNT_SIZE:
            return None
        data = bytes(account.data)
        if len(data) > TOKEN_ACCOUNT_SIZE and data[TOKEN_ACCOUNT_SIZE] != 2:  # Token-2022: account type tag
            return None
        return TokenAccount.from_bytes(data[:TOKEN_ACCOUNT_SIZE])

    def mint_decimals(self, mint: Pubkey) -> int:
        account = self.svm.get_account(mint)
        return Mint.from_bytes(bytes(account.data)[:MINT_SIZE]).decimals if account else 0

    # ---- transactions -----------------------------------------------------------------------------------------------

    def already_processed(self, tx: VersionedTransaction) -> bool:
        return str(tx.signatures[0]) in self.landed or to_bytes_versioned(tx.message) in self.processed_messages

    def execute(self, tx: VersionedTransaction) -> tuple[str, Landed | None, Any]:
        """Process `tx` into the current block: (signature, what landed or None if dropped, error)."""
        signature = str(tx.signatures[0])
        if self.already_processed(tx):
            return signature, None, "AlreadyProcessed"
        if not self.blockhash_valid(tx.message.recent_blockhash):
            return signature, None, "BlockhashNotFound"
        keys = list(tx.message.account_keys)
        pre = [self.svm.get_balance(k) or 0 for k in keys]
        pre_tokens = self._token_balances(keys)
        result = self.svm.send_transaction(tx)
        failed = isinstance(result, FailedTransactionMetadata)
        err = _err_json(result) if failed else None
        if failed and error_name(err) in _DROPPED:
            return signature, None, err
        meta = result.meta() if failed else result
        record = Landed(
            self.slot,
            int(time.time()),
            tx,
            err,
            {
                "err": err,
                "status": {"Err": err} if failed else {"Ok": None},
                "fee": meta.fee(),
                "preBalances": pre,
                "postBalances": [self.svm.get_balance(k) or 0 for k in keys],
                "innerInstructions": [],
                "logMessages": list(meta.logs()),
                "preTokenBalances": pre_tokens,
                "postTokenBalances": self._token_balances(keys),
                "rewards": [],
                "loadedAddresses": {"writable": [], "readonly": []},
                "computeUnitsConsumed": meta.compute_units_consumed(),
            },
        )
        self.landed[signature] = record
        self.processed_messages.add(to_bytes_versioned(tx.message))
        return signature, record, err

    def _token_balances(self, keys: list[Pubkey]) -> list[dict[str, Any]]:
        out = []
        for index, key in enumerate(keys):
            token = self.token_account(key)
            if token is None:
                continue
            account = self.svm.get_account(key)
            out.append(
                {
                    "accountIndex": index,
                    "mint": str(token.mint),
                    "owner": str(token.owner),
                    "programId": str(account.owner) if account else str(TOKEN_PROGRAM),
                    "uiTokenAmount": ui_amount(token.amount, self.mint_decimals(token.mint)),
                }
            )
        return out

    def simulate(self, tx: VersionedTransaction, sig_verify: bool, replace_blockhash: bool) -> dict[str, Any]:
        replacement = None
        if replace_blockhash:
            tx = _with_blockhash(tx, self.svm.latest_blockhash())
            replacement = {"blockhash": self.latest_blockhash, "lastValidBlockHeight": self.height + BLOCKHASH_VALIDITY}
        value: dict[str, Any] = {
            "err": None,
            "logs": [],
            "accounts": None,
            "unitsConsumed": 0,
            "returnData": None,
            "innerInstructions": None,
            "replacementBlockhash": replacement,
            "loadedAccountsDataSize": 0,
        }
        if self.already_processed(tx):
            value["err"] = "AlreadyProcessed"
            return value
        if not replace_blockhash and not self.blockhash_valid(tx.message.recent_blockhash):
            value["err"] = "BlockhashNotFound"
            return value
        self.svm.with_sigverify(sig_verify)
        try:
            result = self.svm.simulate_transaction(tx)
        finally:
            self.svm.with_sigverify(True)
        meta = result.meta()
        err = _err_json(result) if isinstance(result, FailedTransactionMetadata) else None
        value.update(err=err, logs=list(meta.logs()), unitsConsumed=meta.compute_units_consumed())
        return value


def _with_blockhash(tx: VersionedTransaction, blockhash: Hash) -> VersionedTransaction:
    m = tx.message
    if isinstance(m, MessageV0):
        message: Message | MessageV0 = MessageV0(
            m.header, m.account_keys, blockhash, m.instructions, m.address_table_lookups
        )
    else:
        h = m.header
        message = Message.new_with_compiled_instructions(
            h.num_required_signatures,
            h.num_readonly_signed_accounts,
            h.num_readonly_unsigned_accounts,
            m.account_keys,
            blockhash,
            m.instructions,
        )
    return VersionedTransaction.populate(message, tx.signatures)


def _decode_transaction(raw: str, config: dict[str, Any] | None) -> VersionedTransaction:
    encoding = (config or {}).get("encoding", "base58")
    try:
        data = base64.b64decode(raw) if encoding == "base64" else _b58(raw)
        return VersionedTransaction.from_bytes(data)
    except Exception as exc:
        raise RpcError(-32602, f"failed to deserialize VersionedTransaction: {exc}") from None


_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _b58(text: str) -> bytes:
    n = 0
    for char in text:
        n = n * 58 + _B58.index(char)
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def _b58encode(data: bytes) -> str:
    n, out = int.from_bytes(data, "big"), ""
    while n:
        n, r = divmod(n, 58)
        out = _B58[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


class SolanaRpcMethods:
    """The JSON-RPC methods (`rpc_<name>`) over one LocalSolana; `dispatch` runs one under the chain's lock."""

    def __init__(self, chain: LocalSolana) -> None:
        self.chain = chain

    def dispatch(self, method: str, params: Any) -> Any:
        fn: Callable[..., Any] | None = getattr(self, "rpc_" + method, None)
        if fn is None:
            raise RpcError(-32601, f"Method not found: {method}")
        args = params if isinstance(params, list) else ([] if params is None else [params])
        with self.chain.lock:
            self.chain.tick()
            try:
                return fn(*args)
            except TypeError as exc:
                raise RpcError(-32602, f"Invalid params: {exc}") from None

    def _context(self) -> dict[str, Any]:
        return {"slot": self.chain.slot, "apiVersion": API_VERSION}

    # ---- cluster ----------------------------------------------------------------------------------------------------

    def rpc_getHealth(self) -> str:
        return "ok"

    def rpc_getVersion(self) -> dict[str, Any]:
        return {"solana-core": API_VERSION, "feature-set": 0}

    def rpc_getGenesisHash(self) -> str:
        return self.chain.genesis_hash

    def rpc_getSlot(self, config: Any = None) -> int:
        return self.chain.slot

    def rpc_getBlockHeight(self, config: Any = None) -> int:
        return self.chain.height

    def rpc_getEpochInfo(self, config: Any = None) -> dict[str, Any]:
        c = self.chain
        return {
            "absoluteSlot": c.slot,
            "blockHeight": c.height,
            "epoch": 0,
            "slotIndex": c.slot,
            "slotsInEpoch": 432_000,
            "transactionCount": len(c.landed),
        }

    def rpc_getLatestBlockhash(self, config: Any = None) -> dict[str, Any]:
        value = {
            "blockhash": self.chain.latest_blockhash,
            "lastValidBlockHeight": self.chain.height + BLOCKHASH_VALIDITY,
        }
        return {"context": self._context(), "value": value}

    def rpc_isBlockhashValid(self, blockhash: str, config: Any = None) -> dict[str, Any]:
        return {"context": self._context(), "value": self.chain.blockhash_valid(blockhash)}

    def rpc_getFeeForMessage(self, message_b64: str, config: Any = None) -> dict[str, Any]:
        raw = base64.b64decode(message_b64)
        message = MessageV0.from_bytes(raw[1:]) if raw[0] & 0x80 else Message.from_bytes(raw)
        return {"context": self._context(), "value": 5000 * message.header.num_required_signatures}

    def rpc_getMinimumBalanceForRentExemption(self, size: int, config: Any = None) -> int:
        return self.chain.svm.minimum_balance_for_rent_exemption(size)

    # ---- accounts ---------------------------------------------------------------------------------------------------

    def rpc_getBalance(self, address: str, config: Any = None) -> dict[str, Any]:
        return {"context": self._context(), "value": self.chain.svm.get_balance(Pubkey.from_string(address)) or 0}

    def _account(self, address: str, encoding: str) -> dict[str, Any] | None:
        account = self.chain.svm.get_account(Pubkey.from_string(address))
        if account is None:
            return None
        data = bytes(account.data)
        out: dict[str, Any] = {
            "lamports": account.lamports,
            "owner": str(account.owner),
            "executable": account.executable,
            "rentEpoch": 2**64 - 1,
            "space": len(data),
        }
        if encoding == "jsonParsed" and account.owner in TOKEN_PROGRAMS:
            parsed = self._parsed_token(address, data)
            if parsed is not None:
                program = "spl-token" if account.owner == TOKEN_PROGRAM else "spl-token-2022"
                out["data"] = {"program": program, "parsed": parsed, "space": len(data)}
                return out
        if encoding == "base58":
            out["data"] = [_b58encode(data), "base58"]
        else:
            out["data"] = [base64.b64encode(data).decode(), "base64"]
        return out

    def _parsed_token(self, address: str, data: bytes) -> dict[str, Any] | None:
        if len(data) == MINT_SIZE or (len(data) > TOKEN_ACCOUNT_SIZE and data[TOKEN_ACCOUNT_SIZE] == 1):
            m = Mint.from_bytes(data[:MINT_SIZE])
            return {
                "type": "mint",
                "info": {
                    "decimals": m.decimals,
                    "isInitialized": m.is_initialized,
                    "supply": str(m.supply),
                    "mintAuthority": str(m.mint_authority) if m.mint_authority else None,
                    "freezeAuthority": str(m.freeze_authority) if m.freeze_authority else None,
                },
            }
        token = self.chain.token_account(Pubkey.from_string(address))
        if token is None:
            return None
        return {
            "type": "account",
            "info": {
                "isNative": token.is_native is not None,
                "mint": str(token.mint),
                "owner": str(token.owner),
                "state": "initialized" if token.state == TokenAccountState.Initialized else "frozen",
                "tokenAmount": ui_amount(token.amount, self.chain.mint_decimals(token.mint)),
            },
        }

    def rpc_getAccountInfo(self, address: str, config: dict[str, Any] | None = None) -> dict[str, Any]:
        encoding = (config or {}).get("encoding", "base58")
        return {"context": self._context(), "value": self._account(address, encoding)}

    def rpc_getMultipleAccounts(self, addresses: list[str], config: dict[str, Any] | None = None) -> dict[str, Any]:
        encoding = (config or {}).get("encoding", "base64")
        return {"context": self._context(), "value": [self._account(a, encoding) for a in addresses]}

    def rpc_getTokenAccountBalance(self, address: str, config: Any = None) -> dict[str, Any]:
        token = self.chain.token_account(Pubkey.from_string(address))
        if token is None:
            raise RpcError(-32602, "Invalid param: not a Token account")
        return {"context": self._context(), "value": ui_amount(token.amount, self.chain.mint_decimals(token.mint))}

    def rpc_requestAirdrop(self, address: str, lamports: int, config: Any = None) -> str:
        return self.chain.airdrop(Pubkey.from_string(address), int(lamports))

    # ---- transactions -----------------------------------------------------------------------------------------------

    def rpc_simulateTransaction(self, raw: str, config: dict[str, Any] | None = None) -> dict[str, Any]:
        config = config or {}
        if config.get("sigVerify") and config.get("replaceRecentBlockhash"):
            raise RpcError(-32602, "sigVerify may not be used with replaceRecentBlockhash")
        tx = _decode_transaction(raw, config)
        value = self.chain.simulate(tx, bool(config.get("sigVerify")), bool(config.get("replaceRecentBlockhash")))
        return {"context": self._context(), "value": value}

    def rpc_sendTransaction(self, raw: str, config: dict[str, Any] | None = None) -> str:
        config = config or {}
        tx = _decode_transaction(raw, config)
        if not config.get("skipPreflight", False):
            if not all(tx.verify_with_results()):
                raise RpcError(-32003, "Transaction signature verification failure")
            simulation = self.chain.simulate(tx, True, False)
            if simulation["err"] is not None:
                raise RpcError(-32002, f"Transaction simulation failed: {_describe(simulation['err'])}", simulation)
        if self.chain.hold_sends:
            self.chain.held.append(tx)
            return str(tx.signatures[0])
        signature, _, _ = self.chain.execute(tx)
        return signature

    def rpc_getSignatureStatuses(self, signatures: list[str], config: Any = None) -> dict[str, Any]:
        out: list[dict[str, Any] | None] = []
        for signature in signatures:
            record = self.chain.landed.get(signature)
            out.append(
                None
                if record is None
                else {
                    "slot": record.slot,
                    "confirmations": None,
                    "err": record.err,
                    "status": {"Err": record.err} if record.err is not None else {"Ok": None},
                    "confirmationStatus": "finalized",
                }
            )
        return {"context": self._context(), "value": out}

    def rpc_getTransaction(self, signature: str, config: Any = None) -> dict[str, Any] | None:
        config = config if isinstance(config, dict) else {"encoding": config or "json"}
        record = self.chain.landed.get(signature)
        if record is None or record.tx is None:
            return None
        tx = record.tx
        is_v0 = isinstance(tx.message, MessageV0)
        if is_v0 and config.get("maxSupportedTransactionVersion") is None:
            raise RpcError(
                -32015,
                "Transaction version (0) is not supported by the requesting client. Please try "
                'the request again with the following configuration parameter: "maxSupportedTransaction'
                'Version": 0',
            )
        encoding = config.get("encoding", "json")
        if encoding in ("base64", "base58"):
            raw = bytes(tx)
            body: Any = [base64.b64encode(raw).decode() if encoding == "base64" else _b58encode(raw), encoding]
        else:
            body = {"signatures": [str(s) for s in tx.signatures], "message": _message_json(tx.message)}
        out = {"slot": record.slot, "blockTime": record.block_time, "transaction": body, "meta": record.meta}
        if config.get("maxSupportedTransactionVersion") is not None:
            out["version"] = 0 if is_v0 else "legacy"
        return out

    # ---- test controls ----------------------------------------------------------------------------------------------

    def rpc_x_holdSends(self, hold: bool = True) -> bool:
        """Keep every sent transaction in a queue instead of landing it (settlements stay in flight)."""
        self.chain.hold_sends = bool(hold)
        return self.chain.hold_sends

    def rpc_x_heldCount(self) -> int:
        return len(self.chain.held)

    def rpc_x_releaseHeld(self) -> list[dict[str, Any]]:
        """Land the held transactions, in order; each one's signature and outcome."""
        held, self.chain.held = self.chain.held, []
        out = []
        for tx in held:
            signature, record, err = self.chain.execute(tx)
            out.append({"signature": signature, "landed": record is not None, "err": err})
        return out

    def rpc_x_dropHeld(self) -> int:
        """Forget the held transactions, as a cluster that never got them would."""
        dropped, self.chain.held = len(self.chain.held), []
        return dropped

    def rpc_x_advanceBlocks(self, blocks: int = 1) -> int:
        return self.chain.advance(int(blocks))

    def rpc_x_setTokenBalance(self, owner: str, mint: str, amount: int) -> str:
        return str(self.chain.set_token_balance(Pubkey.from_string(owner), Pubkey.from_string(mint), int(amount)))


def _describe(err: Any) -> str:
    name = error_name(err)
    if name == "InstructionError":
        index, detail = err[name]
        return f"Error processing Instruction {index}: {detail}"
    return _ERROR_TEXT.get(name, name)


def _message_json(message: Message | MessageV0) -> dict[str, Any]:
    h = message.header
    out: dict[str, Any] = {
        "header": {
            "numRequiredSignatures": h.num_required_signatures,
            "numReadonlySignedAccounts": h.num_readonly_signed_accounts,
            "numReadonlyUnsignedAccounts": h.num_readonly_unsigned_accounts,
        },
        "accountKeys": [str(k) for k in message.account_keys],
        "recentBlockhash": str(message.recent_blockhash),
        "instructions": [
            {
                "programIdIndex": ix.program_id_index,
                "accounts": list(bytes(ix.accounts)),
                "data": _b58encode(bytes(ix.data)),
                "stackHeight": None,
            }
            for ix in message.instructions
        ],
    }
    if isinstance(message, MessageV0):
        out["addressTableLookups"] = []
    return out


class _Handler(BaseHTTPRequestHandler):
    methods: SolanaRpcMethods  # set on the subclass the server makes
    protocol_version = "HTTP/1.1"  # keep-alive: clients reuse their connections
    disable_nagle_algorithm = True  # else a header/body write pair stalls ~40 ms on delayed ACK

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def do_OPTIONS(self) -> None:
        """A browser's CORS preflight: a wallet paying from a web page reads the chain here, as on a public RPC."""
        self.send_response(204)
        self._cors()
        self.send_header("Access-Control-Allow-Methods", "POST")
        self.send_header("Access-Control-Allow-Headers", self.headers.get("Access-Control-Request-Headers", "*"))
        self.send_header("Access-Control-Max-Age", "600")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _cors(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            request = json.loads(body)
        except ValueError:
            self._send({"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "Parse error"}})
            return
        if isinstance(request, list):
            self._send([self._one(r) for r in request])
        else:
            self._send(self._one(request))

    def _one(self, request: Any) -> dict[str, Any]:
        rid = request.get("id") if isinstance(request, dict) else None
        try:
            if not isinstance(request, dict) or not isinstance(request.get("method"), str):
                raise RpcError(-32600, "Invalid request")
            return {
                "jsonrpc": "2.0",
                "id": rid,
                "result": self.methods.dispatch(request["method"], request.get("params")),
            }
        except RpcError as exc:
            error: dict[str, Any] = {"code": exc.code, "message": exc.message}
            if exc.data is not None:
                error["data"] = exc.data
            return {"jsonrpc": "2.0", "id": rid, "error": error}
        except Exception as exc:  # a bug here must answer, not kill the connection
            log.exception("devnet RPC %s failed", request.get("method"))
            return {"jsonrpc": "2.0", "id": rid, "error": {"code": -32603, "message": f"Internal error: {exc!r}"}}

    def _send(self, answer: Any) -> None:
        data = json.dumps(answer).encode()
        self.send_response(200)
        self._cors()
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class RpcServer:
    """The JSON-RPC server on 127.0.0.1 (a thread per connection; the chain's lock orders the calls)."""

    def __init__(self, chain: LocalSolana, host: str = "127.0.0.1", port: int = 0) -> None:
        self.chain = chain
        handler = type("Handler", (_Handler,), {"methods": SolanaRpcMethods(chain)})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://{host}:{self.port}"

    def serve_forever(self) -> None:
        self.httpd.serve_forever(poll_interval=0.05)

    def start_thread(self) -> RpcServer:
        threading.Thread(target=self.serve_forever, name="solana-devnet-rpc", daemon=True).start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
