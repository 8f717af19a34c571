// Pay and forge: the official x402 client (@x402/fetch + @x402/evm's `exact` scheme) signing with the browser's
// wallet (EIP-1193, through a viem wallet client). Loaded only when someone pays, so the page stays light.

import { ExactEvmScheme } from "@x402/evm/exact/client";
import { decodePaymentResponseHeader, wrapFetchWithPayment, x402Client } from "@x402/fetch";
import { createWalletClient, custom, numberToHex, UserRejectedRequestError } from "viem";

import { ApiProblem } from "./api.js";

const PAID_PATH = "/api/x402/forge";

/** The wallet the browser injected (EIP-1193), or null. */
export function injectedWallet() {
  return window.ethereum && typeof window.ethereum.request === "function" ? window.ethereum : null;
}

/** Ask the wallet to be on the chain the payment is signed for (wallets refuse typed data for another chain). */
async function onChain(provider, chainId) {
  const current = Number(await provider.request({ method: "eth_chainId" }));
  if (current === Number(chainId)) return;
  await provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId: numberToHex(Number(chainId)) }] });
}

/** A ClientEvmSigner over the wallet: the address it chose and its eth_signTypedData_v4. */
async function walletSigner(provider) {
  const wallet = createWalletClient({ transport: custom(provider) });
  const [address] = await wallet.requestAddresses();
  if (!address) throw new Error("The wallet shared no account.");
  return {
    address,
    async signTypedData(typed) {
      await onChain(provider, typed.domain.chainId);
      return wallet.signTypedData({ account: address, ...typed });
    },
  };
}

/**
 * POST `body` to the paid lane and pay its 402 from the browser's wallet, at most `maxUsd` (the price shown).
 * Answers {job, payment, payer}: the queued job and the decoded PAYMENT-RESPONSE (its transaction and network).
 */
export async function payAndForge(body, { maxUsd, onStep = () => {} }) {
  const provider = injectedWallet();
  if (!provider) throw new Error("No browser wallet found: install one (e.g. on Base) or use the free Forge.");
  onStep("Connecting to your wallet…");
  const signer = await walletSigner(provider);
  const client = new x402Client().register("eip155:*", new ExactEvmScheme(signer));
  client.setSpendControls({ maxAmountPerPayment: maxUsd });
  client.onBeforePaymentCreation(async () => {
    onStep("Sign the USDC payment in your wallet…");
  });
  const fetchWithPayment = wrapFetchWithPayment(fetch, client);
  let response;
  try {
    response = await fetchWithPayment(PAID_PATH, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    });
  } catch (error) {
    if (error instanceof UserRejectedRequestError || error?.cause instanceof UserRejectedRequestError || error?.code === 4001) {
      throw new Error("The payment was not signed: nothing was charged.");
    }
    throw error;
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiProblem(response.status, data, response.headers);
  const header = response.headers.get("payment-response");
  const payment = header ? decodePaymentResponseHeader(header) : { transaction: data.transaction, network: data.network };
  return { job: data, payment, payer: signer.address };
}
