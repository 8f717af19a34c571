"""Local chains for development and tests: no internet, the same addresses and domains as the public testnets.

`anvil` (Base: anvil + the project's EIP-3009 TestUSDC), `litesvm` (Solana: LiteSVM behind `litesvm_server`'s
JSON-RPC, run as `python -m app.devnet.litesvm`), `solana_payer` (the payer's side of a Solana x402 payment, for
tests and benchmarks), `processes` (child processes that die with their parent, devnet.json).
"""
