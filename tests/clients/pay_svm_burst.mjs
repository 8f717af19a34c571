#!/usr/bin/env node
// A stock TypeScript agent holding USDC on Solana (see svm_fetch.mjs) that fires `count` paid requests at once,
// one fetch each, all in flight together. Each request gets its own 402 and signs its own payment (the scheme puts
// a random memo in each, so each is distinct). Prints one JSON line: the list of {status, body, payment_response}.
//
//   node tests/clients/pay_svm_burst.mjs <url> <secret_key_base58> <json_body> <rpc_url> <count>
import { payBurst } from "./pay.mjs";
import { svmOptions } from "./svm_fetch.mjs";

await payBurst({ usage: "<url> <secret_key_base58> <json_body> <rpc_url> <count>", ...svmOptions });
