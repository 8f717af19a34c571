#!/usr/bin/env python3
"""Sign in to forge402 with a wallet and print the session token, for trying the accounts API with curl.

It does what an agent's sign-in-with-x client does: GET /api/me, read the challenge in the 402's PAYMENT-REQUIRED
header, sign the EIP-4361 message for its Base chain with the wallet (EIP-191), send it back in SIGN-IN-WITH-X and
keep the X-Forge-Session the answer carries. The key comes from --key, $FORGE402_DEMO_KEY, or a devnet payer in
<data_dir>/devnet.json (written by `forge402 serve` when it runs the local devnet).

    SESSION=$(.venv/bin/python scripts/sign_in.py)
    curl -s localhost:8402/api/me -H "Authorization: Bearer $SESSION"
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
from pathlib import Path

import httpx
from eth_account import Account
from eth_account.messages import encode_defunct

from payments.codec import encode_header
from payments.siwx import SIGN_IN_WITH_X, SiwxPayload
from payments.siwx.message import evm_chain_id, siwe_message


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=os.environ.get("FORGE402_SERVER", "http://127.0.0.1:8402"))
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get("FORGE402_DATA_DIR", "forge402-data")))
    parser.add_argument("--key", default=os.environ.get("FORGE402_DEMO_KEY"), help="the wallet's private key (0x…)")
    parser.add_argument("--payer", type=int, default=0, help="which devnet payer to use when no key is given")
    args = parser.parse_args(argv)
    if args.key is None:
        devnet = json.loads((args.data_dir / "devnet.json").read_text())
        args.key = devnet["evm"]["payers"][args.payer]["private_key"]
    account = Account.from_key(args.key)
    with httpx.Client(base_url=args.server, timeout=30) as http:
        challenge = http.get("/api/me")
        if challenge.status_code != 402:
            print(f"expected a 402 sign-in challenge, got {challenge.status_code}: {challenge.text}", file=sys.stderr)
            return 1
        declared = json.loads(base64.b64decode(challenge.headers["payment-required"]))["extensions"][SIGN_IN_WITH_X]
        chain = next(c for c in declared["supportedChains"] if c["type"] == "eip191")
        payload = SiwxPayload.model_validate({**declared["info"], **chain, "address": account.address, "signature": ""})
        message = siwe_message(payload, evm_chain_id(payload.chain_id) or 0)
        signature = "0x" + bytes(account.sign_message(encode_defunct(text=message)).signature).hex()
        proof = encode_header(payload.model_copy(update={"signature": signature}))
        answer = http.get("/api/me", headers={"SIGN-IN-WITH-X": proof})
        if answer.status_code != 200:
            print(f"sign-in refused ({answer.status_code}): {answer.text}", file=sys.stderr)
            return 1
        print(f"signed in as {answer.json()['address']}", file=sys.stderr)
        print(answer.headers["x-forge-session"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
