"""The SVM `exact` scheme (USDC on Solana, our fee payer co-signing): `scheme` (verify, co-sign, send, find a
settlement again), `transaction` (a payment transaction decoded), `rpc` (the Solana JSON-RPC client), `errors` (its
reason codes), `fee_budget` (what the fee payer may spend per minute)."""
