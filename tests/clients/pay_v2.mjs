#!/usr/bin/env node
// Pay one x402 v2 request the way a stock TypeScript agent does: @x402/fetch's wrapFetchWithPayment with the
// @x402/evm `exact` scheme registered for eip155:*. Signing is local (viem account), so no RPC is needed.
//
//   node tests/clients/pay_v2.mjs <url> <private_key> <json_body> [<out.json>]
//
// Prints one JSON line {status, body, payment_response} (payment_response = decoded PAYMENT-RESPONSE or null);
// writes the same object to <out.json> when given. Exit 0 iff the final HTTP status is 2xx.
import { writeFileSync } from "node:fs";

import { ExactEvmScheme } from "@x402/evm/exact/client";
import { decodePaymentResponseHeader, wrapFetchWithPayment, x402Client } from "@x402/fetch";
import { privateKeyToAccount } from "viem/accounts";

// The SDK's own default cap, written out: forge402's dearest tier is $0.50.
const MAX_USD_PER_PAYMENT = "$1";

function usage() {
  console.error("usage: node tests/clients/pay_v2.mjs <url> <private_key> <json_body> [<out.json>]");
  process.exit(2);
}

function parseBody(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function main() {
  const [url, privateKey, jsonBody, outPath] = process.argv.slice(2);
  if (!url || !privateKey || jsonBody === undefined) usage();
  JSON.parse(jsonBody); // fail early on a malformed body rather than pay for it

  const account = privateKeyToAccount(privateKey);
  const client = new x402Client().register("eip155:*", new ExactEvmScheme(account));
  client.setSpendControls({ maxAmountPerPayment: MAX_USD_PER_PAYMENT });
  const fetchWithPayment = wrapFetchWithPayment(fetch, client);

  const response = await fetchWithPayment(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: jsonBody,
  });
  const header = response.headers.get("PAYMENT-RESPONSE");
  const result = {
    status: response.status,
    body: parseBody(await response.text()),
    payment_response: header ? decodePaymentResponseHeader(header) : null,
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
