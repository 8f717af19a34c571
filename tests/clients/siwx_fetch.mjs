#!/usr/bin/env node
// Sign in the way a stock TypeScript agent does: @x402/fetch's paying fetch with @x402/extensions' sign-in-with-x
// client extension registered, which answers the 402's challenge with the wallet's signature (a viem account on Base,
// a @solana/kit signer on Solana) before any payment is considered. (The extension's wrapFetchWithSIWx signs only
// on the chain of the 402's first payment requirement: for paid resources that let earlier payers in, not for a
// sign-in-only resource like /api/me, whose 402 accepts no payment.)
//
//   node tests/clients/siwx_fetch.mjs <url> evm <private_key_hex>
//   node tests/clients/siwx_fetch.mjs <url> solana <secret_key_base58>
//
// Prints one JSON line {status, body, session} (session: the X-Forge-Session header). Exit 0 iff the status is 2xx.
import { createKeyPairSignerFromBytes, getBase58Encoder } from "@solana/kit";
import { createSIWxClientExtension } from "@x402/extensions/sign-in-with-x";
import { wrapFetchWithPayment, x402Client } from "@x402/fetch";
import { privateKeyToAccount } from "viem/accounts";

const [url, kind, key] = process.argv.slice(2);
if (!url || !["evm", "solana"].includes(kind) || !key) {
  console.error(`usage: node ${process.argv[1]} <url> evm|solana <key>`);
  process.exit(2);
}
try {
  const signer =
    kind === "evm"
      ? privateKeyToAccount(key)
      : await createKeyPairSignerFromBytes(getBase58Encoder().encode(key));
  const client = new x402Client().registerExtension(createSIWxClientExtension({ signers: [signer] }));
  const response = await wrapFetchWithPayment(fetch, client)(url);
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  console.log(JSON.stringify({ status: response.status, body, session: response.headers.get("x-forge-session") }));
  process.exit(response.status >= 200 && response.status < 300 ? 0 : 1);
} catch (error) {
  console.error(error?.stack ?? String(error));
  process.exit(1);
}
