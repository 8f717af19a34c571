"""The local Base devnet: anvil lifecycle, TestUSDC at the Base Sepolia USDC address, EIP-3009 as x402 uses it."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account
from eth_account.messages import encode_typed_data
from web3.exceptions import ContractLogicError
from web3.logs import DISCARD

from app.devnet import anvil
from tests.devnet import (
    TRANSFER_WITH_AUTHORIZATION_TYPES,
    evm_devnet_fixture,  # noqa: F401 - registers the evm_devnet fixture
    high_s,
    running,
    send_transfer_with_authorization,
    sign_eip3009,
    usdc_contract,
)
from tests.live import alive, wait_gone

ROOT = Path(__file__).resolve().parent.parent


def window() -> tuple[int, int]:
    now = int(time.time())
    return now - 600, now + 600  # as the official clients sign: an idle devnet's clock lags


def test_artifact_matches_source() -> None:
    artifact = anvil.load_artifact()
    source = anvil.ARTIFACT_PATH.with_suffix(".vy").read_bytes()
    assert artifact["source_sha256"] == hashlib.sha256(source).hexdigest(), "run scripts/compile-token"
    assert artifact["compiler"] == "vyper 0.4.3"
    overloads = {(f["name"], tuple(i["type"] for i in f["inputs"])) for f in artifact["abi"] if f["type"] == "function"}
    head = ("address", "address", "uint256", "uint256", "uint256", "bytes32")
    for name in ("transferWithAuthorization", "receiveWithAuthorization"):
        assert (name, (*head, "uint8", "bytes32", "bytes32")) in overloads
        assert (name, (*head, "bytes")) in overloads


def test_token_sits_at_the_base_sepolia_usdc_address(evm_devnet: anvil.EvmDevnet) -> None:
    token = usdc_contract(evm_devnet)
    assert token.address == anvil.USDC_ADDRESS
    assert token.w3.eth.chain_id == anvil.CHAIN_ID == 84532
    assert (token.functions.name().call(), token.functions.version().call()) == ("USDC", "2")
    assert token.functions.symbol().call() == "USDC"
    assert token.functions.decimals().call() == 6
    domain = token.functions.eip712Domain().call()
    assert tuple(domain[1:5]) == ("USDC", "2", 84532, anvil.USDC_ADDRESS)
    # the domain separator is computed from the token's own address, so signatures for USDC_ADDRESS verify
    expected = encode_typed_data(
        {"name": "USDC", "version": "2", "chainId": 84532, "verifyingContract": anvil.USDC_ADDRESS},
        TRANSFER_WITH_AUTHORIZATION_TYPES,
        {"from": anvil.USDC_ADDRESS, "to": anvil.USDC_ADDRESS, "value": 0, "validAfter": 0, "validBefore": 0,
         "nonce": b"\0" * 32},
    )  # fmt: skip
    assert token.functions.DOMAIN_SEPARATOR().call() == expected.header


def test_payers_funded_and_wallets_stable(evm_devnet: anvil.EvmDevnet) -> None:
    assert len(evm_devnet.payers) == 3
    # anvil's default mnemonic: the demo wallets are the same on every run
    assert evm_devnet.payers[0].address == "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
    assert evm_devnet.facilitator_address == "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720"
    assert evm_devnet.pay_to == anvil.default_pay_to()
    assert evm_devnet.pay_to not in {p.address for p in evm_devnet.payers}
    for payer in evm_devnet.payers:
        assert Account.from_key(payer.private_key).address == payer.address
        assert asyncio.run(anvil.usdc_balance(evm_devnet.rpc_url, payer.address)) >= 10**6
    assert usdc_contract(evm_devnet).w3.eth.get_balance(evm_devnet.facilitator_address) > 10**18


def test_provision_is_idempotent(evm_devnet: anvil.EvmDevnet) -> None:
    token = usdc_contract(evm_devnet)
    supply = token.functions.totalSupply().call()
    block = token.w3.eth.block_number
    again = asyncio.run(anvil.provision(evm_devnet.rpc_url))
    assert again == evm_devnet
    assert token.functions.totalSupply().call() == supply
    assert token.w3.eth.block_number == block


@pytest.mark.parametrize("variant", ["vrs", "bytes"])
def test_transfer_with_authorization_moves_exactly_value(evm_devnet: anvil.EvmDevnet, variant: str) -> None:
    payer, pay_to, value = evm_devnet.payers[0], evm_devnet.pay_to, 150_000
    payload = sign_eip3009(evm_devnet, payer, pay_to, value, *window())
    nonce = payload["authorization"]["nonce"]
    balance = asyncio.run(anvil.usdc_balance(evm_devnet.rpc_url, pay_to))
    payer_balance = asyncio.run(anvil.usdc_balance(evm_devnet.rpc_url, payer.address))
    assert not asyncio.run(anvil.authorization_used(evm_devnet.rpc_url, payer.address, nonce))

    receipt = send_transfer_with_authorization(evm_devnet, payload, variant=variant)  # type: ignore[arg-type]

    assert receipt["status"] == 1
    assert receipt["from"] == evm_devnet.facilitator_address
    assert asyncio.run(anvil.usdc_balance(evm_devnet.rpc_url, pay_to)) == balance + value
    assert asyncio.run(anvil.usdc_balance(evm_devnet.rpc_url, payer.address)) == payer_balance - value
    assert asyncio.run(anvil.authorization_used(evm_devnet.rpc_url, payer.address, nonce))
    token = usdc_contract(evm_devnet)
    used = token.events.AuthorizationUsed().process_receipt(receipt, errors=DISCARD)
    assert [(e.args.authorizer, "0x" + e.args.nonce.hex()) for e in used] == [(payer.address, nonce)]
    transfers = token.events.Transfer().process_receipt(receipt, errors=DISCARD)
    assert [(e.args.sender, e.args.receiver, e.args.value) for e in transfers] == [(payer.address, pay_to, value)]


def test_reused_authorization_reverts(evm_devnet: anvil.EvmDevnet) -> None:
    payload = sign_eip3009(evm_devnet, evm_devnet.payers[1], evm_devnet.pay_to, 50_000, *window())
    assert send_transfer_with_authorization(evm_devnet, payload)["status"] == 1
    for variant in ("vrs", "bytes"):
        with pytest.raises(ContractLogicError, match="authorization is used"):
            send_transfer_with_authorization(evm_devnet, payload, variant=variant)  # type: ignore[arg-type]
    # mined anyway (explicit gas): a failed receipt, no second transfer
    balance = asyncio.run(anvil.usdc_balance(evm_devnet.rpc_url, evm_devnet.pay_to))
    assert send_transfer_with_authorization(evm_devnet, payload, gas=200_000)["status"] == 0
    assert asyncio.run(anvil.usdc_balance(evm_devnet.rpc_url, evm_devnet.pay_to)) == balance


def test_high_s_signature_is_refused(evm_devnet: anvil.EvmDevnet) -> None:
    payload = sign_eip3009(evm_devnet, evm_devnet.payers[2], evm_devnet.pay_to, 50_000, *window())
    malleable = {**payload, "signature": high_s(payload["signature"])}
    for variant in ("vrs", "bytes"):
        with pytest.raises(ContractLogicError, match="invalid signature 's' value"):
            send_transfer_with_authorization(evm_devnet, malleable, variant=variant)  # type: ignore[arg-type]
    # the low-s original still settles: the refusal was about malleability, not the authorization
    assert send_transfer_with_authorization(evm_devnet, payload)["status"] == 1


@pytest.mark.parametrize(
    ("override", "reason"),
    [
        ({"name": "USD Coin"}, "invalid signature"),
        ({"chain_id": 8453}, "invalid signature"),
        ({"valid_before": 1}, "authorization is expired"),
        ({"valid_after": 2**40}, "authorization is not yet valid"),
    ],
)
def test_bad_authorizations_are_refused(evm_devnet: anvil.EvmDevnet, override: dict, reason: str) -> None:
    valid_after, valid_before = window()
    kwargs = {"valid_after": valid_after, "valid_before": valid_before, **override}
    payload = sign_eip3009(evm_devnet, evm_devnet.payers[0], evm_devnet.pay_to, 10_000, **kwargs)
    with pytest.raises(ContractLogicError, match=reason):
        send_transfer_with_authorization(evm_devnet, payload)


def test_devnet_json_is_private_and_merged(evm_devnet: anvil.EvmDevnet) -> None:
    path = running(evm_devnet).data_dir / "devnet.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = json.loads(path.read_text())
    assert data["evm"] == evm_devnet.to_json()
    assert "facilitator_private_key" not in json.dumps(data)
    assert anvil.EvmDevnet.from_json(data["evm"]) == evm_devnet
    # other chains' sections survive a rewrite
    path.write_text(json.dumps({**data, "solana": {"rpc_url": "x"}}))
    anvil.write_devnet_json(path.parent, evm_devnet)
    assert json.loads(path.read_text())["solana"] == {"rpc_url": "x"}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_anvil_is_gone_after_stop(tmp_path: Path) -> None:
    async def run() -> int:
        chain, devnet = await anvil.start_evm_devnet(tmp_path)
        assert chain.running and devnet.rpc_url == chain.rpc_url
        await chain.stop()
        assert not chain.running
        return chain.pid

    wait_gone(asyncio.run(run()), 1)


def test_anvil_dies_with_a_sigkilled_owner(tmp_path: Path) -> None:
    owner = subprocess.Popen(
        [sys.executable, "-m", "app.devnet.anvil", "--data-dir", str(tmp_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        line = owner.stdout.readline() if owner.stdout else b""
        assert line, owner.stderr.read().decode() if owner.stderr else "no output"
        anvil_pid = json.loads(line)["anvil_pid"]
        assert alive(anvil_pid)
        os.kill(owner.pid, signal.SIGKILL)
        owner.wait(5)
        wait_gone(anvil_pid, 5)  # it outlived its SIGKILLed owner otherwise
    finally:
        if owner.poll() is None:
            owner.kill()
            owner.wait(5)


def test_missing_anvil_binary_says_run_setup(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(anvil, "ANVIL_BIN", tmp_path / "no-anvil")
    with pytest.raises(anvil.DevnetError, match="run scripts/setup"):
        asyncio.run(anvil.AnvilProcess.start())


def _sign(devnet: anvil.EvmDevnet, key: str, primary: str, fields: list[dict[str, str]], message: dict) -> bytes:
    domain = {"name": "USDC", "version": "2", "chainId": devnet.chain_id, "verifyingContract": devnet.usdc}
    return bytes(Account.sign_typed_data(key, domain, {primary: fields}, message).signature)


def _send(devnet: anvil.EvmDevnet, call: Any, sender_key: str) -> Any:
    sender = Account.from_key(sender_key)
    w3 = usdc_contract(devnet).w3
    tx = call.build_transaction({"from": sender.address, "nonce": w3.eth.get_transaction_count(sender.address)})
    return w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(sender.sign_transaction(tx).raw_transaction))


def test_canceled_authorization_cannot_be_used(evm_devnet: anvil.EvmDevnet) -> None:
    token, payer = usdc_contract(evm_devnet), evm_devnet.payers[0]
    payload = sign_eip3009(evm_devnet, payer, evm_devnet.pay_to, 10_000, *window())
    nonce = bytes.fromhex(payload["authorization"]["nonce"][2:])
    fields = [{"name": "authorizer", "type": "address"}, {"name": "nonce", "type": "bytes32"}]
    signature = _sign(
        evm_devnet, payer.private_key, "CancelAuthorization", fields, {"authorizer": payer.address, "nonce": nonce}
    )
    cancel = token.get_function_by_signature("cancelAuthorization(address,bytes32,bytes)")(
        payer.address, nonce, signature
    )
    receipt = _send(evm_devnet, cancel, evm_devnet.facilitator_private_key)
    assert receipt["status"] == 1
    assert len(token.events.AuthorizationCanceled().process_receipt(receipt, errors=DISCARD)) == 1
    with pytest.raises(ContractLogicError, match="authorization is used or canceled"):
        send_transfer_with_authorization(evm_devnet, payload)


def test_receive_with_authorization_only_by_the_payee(evm_devnet: anvil.EvmDevnet) -> None:
    token, payer, payee = usdc_contract(evm_devnet), evm_devnet.payers[0], evm_devnet.payers[1]
    after, before = window()
    message = {"from": payer.address, "to": payee.address, "value": 7, "validAfter": after, "validBefore": before,
               "nonce": os.urandom(32)}  # fmt: skip
    fields = TRANSFER_WITH_AUTHORIZATION_TYPES["TransferWithAuthorization"]
    signature = _sign(evm_devnet, payer.private_key, "ReceiveWithAuthorization", fields, message)
    receive = token.get_function_by_signature(
        "receiveWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)"
    )(*message.values(), signature[64], signature[:32], signature[32:64])
    with pytest.raises(ContractLogicError, match="caller must be the payee"):
        _send(evm_devnet, receive, evm_devnet.facilitator_private_key)
    balance = token.functions.balanceOf(payee.address).call()
    assert _send(evm_devnet, receive, payee.private_key)["status"] == 1
    assert token.functions.balanceOf(payee.address).call() == balance + 7
