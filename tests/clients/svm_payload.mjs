#!/usr/bin/env node
// The inner payload of one x402 `exact` payment on Solana, made by the official @x402/svm client scheme (the
// TypeScript SDK's ExactSvmScheme: a TransferChecked the payer signs, our fee payer's slot left empty), for a Python
// x402 client to wrap (tests/mcp_clients.py: the Python SDK's own SVM scheme cannot be installed beside solders 0.29).
//
//   node tests/clients/svm_payload.mjs <secret_key_base58> <rpc_url> <requirements_json>
import { createKeyPairSignerFromBytes, getBase58Encoder } from "@solana/kit";
import { ExactSvmScheme } from "@x402/svm/exact/client";

const [secret, rpcUrl, requirements] = process.argv.slice(2);
if (!requirements) {
  console.error("usage: svm_payload.mjs <secret_key_base58> <rpc_url> <requirements_json>");
  process.exit(2);
}
const signer = await createKeyPairSignerFromBytes(getBase58Encoder().encode(secret));
const { payload } = await new ExactSvmScheme(signer, { rpcUrl }).createPaymentPayload(2, JSON.parse(requirements));
console.log(JSON.stringify(payload));
