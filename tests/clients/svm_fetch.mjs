// The paying fetch of a stock TypeScript agent holding USDC on Solana: @x402/fetch's wrapFetchWithPayment with only
// the @x402/svm `exact` scheme registered (solana:*). The scheme asks the RPC for the mint and a blockhash, so it is
// constructed with the devnet's rpcUrl (the registerExactSvmScheme helper does not pass one through).
import { createKeyPairSignerFromBytes, getBase58Encoder } from "@solana/kit";
import { decodePaymentResponseHeader, wrapFetchWithPayment, x402Client } from "@x402/fetch";
import { ExactSvmScheme } from "@x402/svm/exact/client";

// The SDK's own default cap, written out: forge402's dearest tier is $0.50.
const MAX_USD_PER_PAYMENT = "$1";

export const svmOptions = {
  required: ["url", "secret_key_base58", "json_body", "rpc_url"],
  responseHeader: "PAYMENT-RESPONSE",
  decode: decodePaymentResponseHeader,
  async makeFetch({ secret_key_base58, rpc_url }) {
    const signer = await createKeyPairSignerFromBytes(getBase58Encoder().encode(secret_key_base58));
    const client = new x402Client().register("solana:*", new ExactSvmScheme(signer, { rpcUrl: rpc_url }));
    client.setSpendControls({ maxAmountPerPayment: MAX_USD_PER_PAYMENT });
    return wrapFetchWithPayment(fetch, client);
  },
};
