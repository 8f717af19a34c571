#!/usr/bin/env node
// Pay one x402 v1 request the way a legacy TypeScript agent does: x402-fetch@1.2's wrapFetchWithPayment, which
// reads the 402 JSON body and answers with X-PAYMENT. The wallet is a viem wallet client on Base Sepolia whose
// transport refuses every call: signing is local, and this proves the client needs no RPC.
//
//   node tests/clients/pay_v1.mjs <url> <private_key> <json_body> [<out.json>]
//
// Prints one JSON line {status, body, payment_response} (payment_response = decoded X-PAYMENT-RESPONSE or null);
// writes the same object to <out.json> when given. Exit 0 iff the final HTTP status is 2xx.
import { writeFileSync } from "node:fs";

import { createWalletClient, custom, publicActions } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { baseSepolia } from "viem/chains";
import { decodeXPaymentResponse, wrapFetchWithPayment } from "x402-fetch";

// x402-fetch refuses more than $0.10 unless told otherwise; forge402's dearest tier is $0.50 (6-decimal atomics).
const MAX_ATOMIC_PER_PAYMENT = 1_000_000n;

function usage() {
  console.error("usage: node tests/clients/pay_v1.mjs <url> <private_key> <json_body> [<out.json>]");
  process.exit(2);
}

function parseBody(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const noRpc = custom({
  async request({ method }) {
    throw new Error(`pay_v1 has no RPC (asked for ${method})`);
  },
});

async function main() {
  const [url, privateKey, jsonBody, outPath] = process.argv.slice(2);
  if (!url || !privateKey || jsonBody === undefined) usage();
  JSON.parse(jsonBody);

  // A wallet client (not a bare account) so x402-fetch prefers requirements on this chain's network, base-sepolia.
  const wallet = createWalletClient({
    account: privateKeyToAccount(privateKey),
    chain: baseSepolia,
    transport: noRpc,
  }).extend(publicActions);
  const fetchWithPayment = wrapFetchWithPayment(fetch, wallet, MAX_ATOMIC_PER_PAYMENT);

  const response = await fetchWithPayment(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: jsonBody,
  });
  const header = response.headers.get("X-PAYMENT-RESPONSE");
  const result = {
    status: response.status,
    body: parseBody(await response.text()),
    payment_response: header ? decodeXPaymentResponse(header) : null,
  };
  const line = JSON.stringify(result);
  console.log(line);
  if (outPath) writeFileSync(outPath, line + "\n");
  process.exit(response.ok ? 0 : 1);
}

main().catch((error) => {
  console.error(error?.stack ?? String(error));
  process.exit(1);
});
