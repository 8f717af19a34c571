#!/usr/bin/env node
// Pay one x402 v2 request the way a stock TypeScript agent does: @x402/fetch's wrapFetchWithPayment with the
// @x402/evm `exact` scheme registered for eip155:*. Signing is local (viem account), so no RPC is needed.
//
//   node tests/clients/pay_v2.mjs <url> <private_key> <json_body> [<out.json>]
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { decodePaymentResponseHeader, wrapFetchWithPayment, x402Client } from "@x402/fetch";
import { privateKeyToAccount } from "viem/accounts";

import { payOnce } from "./pay.mjs";

// The SDK's own default cap, written out: forge402's dearest tier is $0.50.
const MAX_USD_PER_PAYMENT = "$1";

await payOnce({
  usage: "<url> <private_key> <json_body> [<out.json>]",
  required: ["url", "private_key", "json_body"],
  responseHeader: "PAYMENT-RESPONSE",
  decode: decodePaymentResponseHeader,
  async makeFetch({ private_key }) {
    const client = new x402Client().register("eip155:*", new ExactEvmScheme(privateKeyToAccount(private_key)));
    client.setSpendControls({ maxAmountPerPayment: MAX_USD_PER_PAYMENT });
    return wrapFetchWithPayment(fetch, client);
  },
});
