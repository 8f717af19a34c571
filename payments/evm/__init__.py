"""The EVM `exact` scheme (USDC by EIP-3009 `transferWithAuthorization` on Base): `scheme` (verify, settle, find a
settlement again), `eip3009` (the authorization as bytes), `rpc` (the Ethereum JSON-RPC client), `wallet` (the
sending account and its nonces), `facilitator` (settling here with our key, or through a remote x402 facilitator)."""
