#!/usr/bin/env node
// Pay one x402 v2 request the way a stock TypeScript agent holding USDC on Solana does (see svm_fetch.mjs).
//
//   node tests/clients/pay_svm.mjs <url> <secret_key_base58> <json_body> <rpc_url> [<out.json>]
import { payOnce } from "./pay.mjs";
import { svmOptions } from "./svm_fetch.mjs";

await payOnce({ usage: "<url> <secret_key_base58> <json_body> <rpc_url> [<out.json>]", ...svmOptions });
