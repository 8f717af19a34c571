// Pay and forge: the official x402 client (@x402/fetch) with one scheme, signing in the browser's wallet —
// @x402/evm's `exact` over an EIP-1193 provider (through a viem wallet client), or @x402/svm's `exact` over a
// Wallet Standard Solana wallet. Loaded only when someone pays, so the page stays light.

import { getTransactionDecoder, getTransactionEncoder, address as toAddress } from "@solana/kit";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { decodePaymentResponseHeader, wrapFetchWithPayment, x402Client } from "@x402/fetch";
import { ExactSvmScheme } from "@x402/svm/exact/client";
import { createWalletClient, custom, numberToHex } from "viem";

import { ApiProblem } from "./api.js";
import { evmWallet, solanaRpc } from "./wallets.js";

const PAID_PATH = "/api/x402/forge";

/** Ask the wallet to be on the chain the payment is signed for (wallets refuse typed data for another chain). */
async function onChain(provider, chainId) {
  const current = Number(await provider.request({ method: "eth_chainId" }));
  if (current === Number(chainId)) return;
  await provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId: numberToHex(Number(chainId)) }] });
}

/** The `exact` EVM scheme signing with the injected wallet's account (eth_signTypedData_v4). */
async function evmScheme() {
  const provider = evmWallet();
  if (!provider) throw new Error("No browser wallet found: install one (e.g. on Base) or use the free Forge.");
  const wallet = createWalletClient({ transport: custom(provider) });
  const [account] = await wallet.requestAddresses();
  if (!account) throw new Error("The wallet shared no account.");
  const signer = {
    address: account,
    async signTypedData(typed) {
      await onChain(provider, typed.domain.chainId);
      return wallet.signTypedData({ account, ...typed });
    },
  };
  return { pattern: "eip155:*", scheme: new ExactEvmScheme(signer) };
}

/** A @solana/kit partial signer over a Wallet Standard wallet's solana:signTransaction. */
function walletStandardSigner(wallet, account) {
  const encoder = getTransactionEncoder();
  const decoder = getTransactionDecoder();
  const sign = wallet.features["solana:signTransaction"].signTransaction;
  return {
    address: toAddress(account.address),
    async signTransactions(transactions) {
      const chain = account.chains?.find((c) => c.startsWith("solana:")) || "solana:mainnet";
      const inputs = transactions.map((tx) => ({ account, chain, transaction: new Uint8Array(encoder.encode(tx)) }));
      const outputs = await sign(...inputs);
      return outputs.map(({ signedTransaction }) => {
        const signed = decoder.decode(signedTransaction);
        return Object.freeze({ [account.address]: signed.signatures[account.address] });
      });
    },
  };
}

/** The `exact` Solana scheme signing with a Wallet Standard wallet; it reads the mint and a blockhash from the
 * RPC the server names for browsers. */
async function solanaScheme(wallet) {
  const rpcUrl = solanaRpc();
  if (!rpcUrl) throw new Error("This server names no Solana RPC for browser wallets; pay on Base or from code.");
  const { accounts } = await wallet.features["standard:connect"].connect();
  const account = accounts.find((a) => a.chains?.some((c) => c.startsWith("solana:"))) || accounts[0];
  if (!account) throw new Error(`${wallet.name} shared no account.`);
  return { pattern: "solana:*", scheme: new ExactSvmScheme(walletStandardSigner(wallet, account), { rpcUrl }) };
}

function refused(error) {
  for (let e = error; e; e = e.cause) {
    if (e.code === 4001 || e.name === "UserRejectedRequestError" || /rejected|declined|denied/i.test(e.message || "")) {
      return true;
    }
  }
  return false;
}

/**
 * POST `body` to the paid lane and pay its 402 from a browser wallet — `solanaWallet` when given, else the EIP-1193
 * one — at most `maxUsd` (the price shown). Answers {job, payment}: the queued job and the decoded PAYMENT-RESPONSE.
 */
export async function payAndForge(body, { maxUsd, solanaWallet = null, onStep = () => {} }) {
  onStep("Connecting to your wallet…");
  const { pattern, scheme } = solanaWallet ? await solanaScheme(solanaWallet) : await evmScheme();
  const client = new x402Client().register(pattern, scheme);
  client.setSpendControls({ maxAmountPerPayment: maxUsd });
  client.onBeforePaymentCreation(async () => {
    onStep("Approve the USDC payment in your wallet…");
  });
  let response;
  try {
    response = await wrapFetchWithPayment(fetch, client)(PAID_PATH, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    });
  } catch (error) {
    if (refused(error)) throw new Error("The payment was not approved: nothing was charged.");
    throw error;
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiProblem(response.status, data, response.headers);
  const header = response.headers.get("payment-response");
  const payment = header ? decodePaymentResponseHeader(header) : { transaction: data.transaction, network: data.network };
  return { job: data, payment };
}
