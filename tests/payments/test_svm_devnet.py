"""The local Solana devnet speaks the JSON-RPC that stock solana-py uses: reads, a real transfer, a replay refused."""

from __future__ import annotations

import asyncio

import pytest
from solana.rpc.async_api import AsyncClient
from solana.rpc.core import RPCException
from solders.keypair import Keypair
from solders.message import to_bytes_versioned
from solders.pubkey import Pubkey
from solders.token.associated import get_associated_token_address
from solders.transaction import VersionedTransaction

from app.devnet.litesvm import SvmDevnet, rpc
from app.devnet.solana_payer import latest_blockhash, partially_signed, payment_instructions
from tests.paid import svm_devnet_fixture  # noqa: F401 - registers svm_devnet


def test_solana_py_reads_and_settles_on_the_devnet(svm_devnet: SvmDevnet) -> None:
    async def main() -> None:
        async with AsyncClient(svm_devnet.rpc_url) as client:
            assert str((await client.get_genesis_hash()).value).startswith("EtWTRABZaYq6iMfeYKouRu166VU2xqa1")
            assert (await client.get_balance(Pubkey.from_string(svm_devnet.fee_payer))).value > 10**9
            mint = Pubkey.from_string(svm_devnet.usdc_mint)
            payer = svm_devnet.payers[2].keypair
            source = get_associated_token_address(payer.pubkey(), mint)
            before = int((await client.get_token_account_balance(source)).value.amount)
            merchant = Keypair().pubkey()
            rpc(svm_devnet.rpc_url, "x_setTokenBalance", str(merchant), svm_devnet.usdc_mint, 0)
            req = {"asset": svm_devnet.usdc_mint, "payTo": str(merchant), "amount": "1250000"}
            fee_payer = Keypair.from_base58_string(svm_devnet.fee_payer_key)
            partial = partially_signed(
                payment_instructions(payer.pubkey(), req),
                fee_payer.pubkey(),
                [payer],
                latest_blockhash(svm_devnet.rpc_url),
            )
            full = VersionedTransaction.populate(
                partial.message, [fee_payer.sign_message(to_bytes_versioned(partial.message)), partial.signatures[1]]
            )
            signature = (await client.send_raw_transaction(bytes(full))).value
            await client.confirm_transaction(signature)
            assert (await client.get_signature_statuses([signature])).value[0].err is None
            dest = get_associated_token_address(merchant, mint)
            assert (await client.get_token_account_balance(dest)).value.amount == "1250000"
            assert int((await client.get_token_account_balance(source)).value.amount) == before - 1_250_000
            with pytest.raises(RPCException, match="already been processed"):
                await client.send_raw_transaction(bytes(full))

    asyncio.run(main())
