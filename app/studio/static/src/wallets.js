// The wallets this browser offers: an injected EIP-1193 provider (window.ethereum) for Base, and Solana wallets
// announced through the Wallet Standard (the app side of its registration handshake, written out: a dozen lines).

const solanaWallets = new Set();
const listeners = new Set();

function register(...wallets) {
  for (const wallet of wallets) solanaWallets.add(wallet);
  for (const listener of listeners) listener();
  return () => {
    for (const wallet of wallets) solanaWallets.delete(wallet);
    for (const listener of listeners) listener();
  };
}

const api = Object.freeze({ register });
window.addEventListener("wallet-standard:register-wallet", (event) => event.detail?.(api));
window.dispatchEvent(new CustomEvent("wallet-standard:app-ready", { detail: api }));

/** Call `listener` whenever a wallet appears or goes. */
export function onWalletsChange(listener) {
  listeners.add(listener);
  window.addEventListener("ethereum#initialized", listener);
}

export function evmWallet() {
  return window.ethereum && typeof window.ethereum.request === "function" ? window.ethereum : null;
}

/** Wallet Standard wallets that can sign a Solana transaction. */
export function solanaSigners() {
  return [...solanaWallets].filter((w) => w.features?.["solana:signTransaction"] && w.features?.["standard:connect"]);
}

/** The Solana RPC this server names for browser payments ("" when none: then Solana wallets cannot pay here). */
export function solanaRpc() {
  return document.documentElement.dataset.solanaRpc || "";
}
