#!/usr/bin/env node
// Pay one x402 v2 request the way a stock TypeScript agent holding USDC on Solana does: @x402/fetch's
// wrapFetchWithPayment with only the @x402/svm `exact` scheme registered (solana:*). The scheme asks the RPC for the
// mint and a blockhash, so it is constructed with the devnet's rpcUrl (the registerExactSvmScheme helper does not
// pass one through).
//
//   node tests/clients/pay_svm.mjs <url> <secret_key_base58> <json_body> <rpc_url> [<out.json>]
//
// Prints one JSON line {status, body, payment_response} (payment_response = decoded PAYMENT-RESPONSE or null);
// writes the same object to <out.json> when given. Exit 0 iff the final HTTP status is 2xx.
import { writeFileSync } from "node:fs";

import { createKeyPairSignerFromBytes, getBase58Encoder } from "@solana/kit";
import { decodePaymentResponseHeader, wrapFetchWithPayment, x402Client } from "@x402/fetch";
import { ExactSvmScheme } from "@x402/svm/exact/client";

// The SDK's own default cap, written out: forge402's dearest tier is $0.50.
const MAX_USD_PER_PAYMENT = "$1";

function usage() {
  console.error("usage: node tests/clients/pay_svm.mjs <url> <secret_key_base58> <json_body> <rpc_url> [<out.json>]");
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
  const [url, secretKey, jsonBody, rpcUrl, outPath] = process.argv.slice(2);
  if (!url || !secretKey || jsonBody === undefined || !rpcUrl) usage();
  JSON.parse(jsonBody); // fail early on a malformed body rather than pay for it

  const signer = await createKeyPairSignerFromBytes(getBase58Encoder().encode(secretKey));
  const client = new x402Client().register("solana:*", new ExactSvmScheme(signer, { rpcUrl }));
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
