"""Benchmark forge402's paid lane beside the official x402 server stacks, in one run (issue 14's table).

Every server answers `POST /api/x402/forge` at $0.05 (the draft tier, 50000 atomics of a 6-decimals EIP-3009 USDC)
on `eip155:84532`, served by a local anvil that app.devnet.anvil provisions, each with an in-process facilitator:
  * forge402 (`forge402 serve` as the tests run it, FORGE402_ENGINE_WORKERS=2 by default);
  * express: express 5 + @x402/express paymentMiddleware + x402ResourceServer + x402Facilitator with the @x402/evm
    exact scheme on a viem wallet client, as the official example wires it (scripts/bench/reference_peer.mjs,
    packages npm-installed into .bench/peer);
  * express-noncemanager: the same with viem's nonceManager (the fair concurrent anchor; paid phases only);
  * fastapi-coincurve: FastAPI + the Python SDK's PaymentMiddlewareASGI + async x402Facilitator on
    FacilitatorWeb3Signer, coincurve as eth_keys' backend (scripts/bench/peer_fastapi.py, packages pip-installed
    into the venv .bench/peer-py).

Per server and round, each session on a fresh anvil and a freshly started server:
  * unpaid: POSTs without payment at c=1 (an asyncio HTTP/1.1 keep-alive client) and c=32 (wrk with
    scripts/bench/post.lua when on PATH), 402/s, p50/p99, server CPU per 402 (/proc), bytes per 402 on the wire;
  * paid at c=1 and c=8: payments pre-signed with the official Python client (x402Client + the EVM exact scheme on
    an eth_account signer) outside the timed window; success = 2xx with a PAYMENT-RESPONSE whose `success` is true;
    paid/s, p50/p99, server CPU per paid call, JSON-RPC calls per paid call (counted in anvil's log), gas per
    settlement (receipts), PSS of the server's process tree; checked on chain: payTo's balance delta == successes
    x price, every success's nonce used, no failure's;
  * forge402 only: paid draft jobs timed from their payment to their GLB, with the free lane idle and then flooded
    with free high-tier jobs (the paid lane's "guaranteed capacity").

Solana (forge402 only: there is no official x402 server for Solana to set beside it): paid calls/s and p50/p99 at
c=1 and c=8 on the local LiteSVM devnet (app.devnet.litesvm, Solana devnet's genesis and USDC mint), forge402 configured
for Solana alone (FORGE402_SVM_*). Each batch runs on a fresh devnet and a freshly started server; the payments
(app.devnet.solana_payer: what @x402/svm's client builds, the payer's signature only) are signed just before the
warm-up and again just before the timed batch, outside the timed window (a blockhash lives 150 blocks). Checked on
chain after each batch: payTo's USDC delta == successes x price == the payer's USDC debit, every success's transaction
landed without error, the payer's SOL untouched, and the fee payer's SOL went down by exactly those fees.

Rounds interleave the servers in alternating order; medians over the rounds go to bench-results/x402.json with the
table (forge402, the best official stack per measure, the ratio, the target, met or not), versions and machine info.
The server under test is pinned to CPU 0, the driver, anvil, wrk and the Solana devnet to CPU 1 (with 2 CPUs). Where
the load generator saturates before the server does, server CPU per answer is the figure that counts.

    .venv/bin/python scripts/bench_x402.py                       # every server, both chains, 3 rounds (~15 min)
    .venv/bin/python scripts/bench_x402.py --quick --chains base # smoke run (~5 min)
    .venv/bin/python scripts/bench_x402.py --servers forge402,express --chains base
"""
