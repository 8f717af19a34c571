"""x402 payments, verified and settled by this service itself, imported by the app and importing nothing of it.

The protocol core sits here: `gateway` (the one entry point: plain values in, an `Outcome` out), `attempt`,
`requirements`, `models` (wire shapes), `codec`, `networks`, `config`, `errors`, `settlement`, `ledger` (one row
per payment), `gate`, `failures`, `jsonrpc`; each scheme has its package: `evm/` (Base) and `svm/` (Solana)."""
