"""Benchmark forge402's paid lane against the official x402 reference server, side by side, in one run.

Both servers answer `POST /api/x402/forge` at $0.05 (the draft tier, 50000 atomics of a 6-decimals EIP-3009 USDC)
on `eip155:84532`, served by a local anvil that app.devnet.anvil provisions. The reference is the official
TypeScript stack, installed here from scripts/bench/ (express 5 + @x402/express paymentMiddleware +
x402ResourceServer + an in-process x402Facilitator with the @x402/evm exact scheme on a viem wallet client that
has viem's nonceManager).

Per server:
  * unpaid 402/s: POST without payment at c=32 for N s (wrk with scripts/bench/post.lua when on PATH, else an
    asyncio HTTP/1.1 keep-alive client), req/s and p50/p99;
  * paid calls/s and p50/p99 at c=1 and c=8: payments pre-signed with the official Python client (x402Client +
    the EVM exact scheme on an eth_account signer) outside the timed window; success = 2xx with a PAYMENT-RESPONSE
    whose `success` is true. Each paid batch runs on a fresh anvil and a freshly started server, after a warm-up,
    and is checked on chain: payTo's balance delta == successes x price, every success's nonce used, no failure's.

Solana (forge402 only: there is no reference x402 server for Solana to set beside it): paid calls/s and p50/p99 at
c=1 and c=8 on the local LiteSVM devnet (app.devnet.litesvm, Solana devnet's genesis and USDC mint), forge402 configured
for Solana alone (FORGE402_SVM_*; its paid lane does not need Base). Each batch runs on a fresh devnet and a freshly
started server; the payments (app.devnet.solana_payer: what @x402/svm's client builds, the payer's signature only)
are signed just before the warm-up and again just before the timed batch, outside the timed window, because a
blockhash lives 150 blocks (~60 s at the devnet's 0.4 s slots). Success is as on Base. Checked on chain after
each batch: payTo's USDC delta == successes x price == the payer's USDC debit, every success's transaction landed
without error (distinct signatures), the payer's SOL untouched, and the fee payer's SOL went down by exactly the
fees of those transactions (reported as lamports per paid call).

Each of --reps rounds gives every server (interleaved, in alternating order) one unpaid run and one paid batch per
concurrency, each on a fresh anvil + server, then forge402 one Solana paid batch per concurrency. Medians over the
rounds go to bench-results/x402.json with the ratios forge402/reference (Base), versions and machine info. The
server under test is pinned to CPU 0, the driver, anvil and the Solana devnet to CPU 1 (when there are 2 CPUs).

    .venv/bin/python scripts/bench_x402.py                       # both servers and chains, 5 rounds (~5 min)
    .venv/bin/python scripts/bench_x402.py --quick               # smoke run (~40 s)
    .venv/bin/python scripts/bench_x402.py --servers reference   # one server (Base only: Solana is forge402's)
    .venv/bin/python scripts/bench_x402.py --chains solana       # forge402 on Solana only
"""
