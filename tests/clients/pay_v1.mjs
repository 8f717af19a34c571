#!/usr/bin/env node
// Pay one x402 v1 request the way a legacy TypeScript agent does: x402-fetch@1.2's wrapFetchWithPayment, which
// reads the 402 JSON body and answers with X-PAYMENT. The wallet is a viem wallet client on Base Sepolia whose
// transport refuses every call: signing is local, and this proves the client needs no RPC.
//
//   node tests/clients/pay_v1.mjs <url> <private_key> <json_body> [<out.json>]
import { createWalletClient, custom, publicActions } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { baseSepolia } from "viem/chains";
import { decodeXPaymentResponse, wrapFetchWithPayment } from "x402-fetch";

import { payOnce } from "./pay.mjs";

// x402-fetch refuses more than $0.10 unless told otherwise; forge402's dearest tier is $0.50 (6-decimal atomics).
const MAX_ATOMIC_PER_PAYMENT = 1_000_000n;

const noRpc = custom({
  async request({ method }) {
    throw new Error(`pay_v1 has no RPC (asked for ${method})`);
  },
});

await payOnce({
  usage: "<url> <private_key> <json_body> [<out.json>]",
  required: ["url", "private_key", "json_body"],
  responseHeader: "X-PAYMENT-RESPONSE",
  decode: decodeXPaymentResponse,
  async makeFetch({ private_key }) {
    // A wallet client (not a bare account) so x402-fetch prefers requirements on this chain's network, base-sepolia.
    const wallet = createWalletClient({
      account: privateKeyToAccount(private_key),
      chain: baseSepolia,
      transport: noRpc,
    }).extend(publicActions);
    return wrapFetchWithPayment(fetch, wallet, MAX_ATOMIC_PER_PAYMENT);
  },
});
