// Test wallets injected into the studio's pages (Playwright add_init_script), shaped like browser extensions:
// - window.ethereum, an EIP-1193 provider holding one account on one chain, whose eth_signTypedData_v4 asks the
//   test (forge402TestWalletSign, exposed from Python) to sign with the devnet payer's key;
// - a Solana wallet announced through the Wallet Standard, whose solana:signTransaction asks the test
//   (forge402TestSolanaSign) to sign the transaction with the devnet payer's keypair.
// Anything else is refused, as a wallet would.
(() => {
  const { address, chainId, solana } = window.__forge402TestWallet;
  const refuse = (code, message) => Object.assign(new Error(message), { code });
  window.ethereum = {
    isForge402TestWallet: true,
    async request({ method, params = [] }) {
      switch (method) {
        case "eth_requestAccounts":
        case "eth_accounts":
          return [address];
        case "eth_chainId":
          return chainId;
        case "wallet_switchEthereumChain":
          if (String(params[0]?.chainId).toLowerCase() !== chainId) throw refuse(4902, "Unrecognized chain");
          return null;
        case "eth_signTypedData_v4": {
          const [from, data] = params;
          if (String(from).toLowerCase() !== address.toLowerCase()) throw refuse(4100, "Unknown account");
          return window.forge402TestWalletSign(typeof data === "string" ? data : JSON.stringify(data));
        }
        default:
          throw refuse(4200, `The test wallet does not support ${method}`);
      }
    },
    on() {
      return this;
    },
    removeListener() {
      return this;
    },
  };

  if (!solana) return;
  const toBase64 = (bytes) => btoa(String.fromCharCode(...bytes));
  const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const account = Object.freeze({
    address: solana.address,
    publicKey: new Uint8Array(solana.publicKey),
    chains: ["solana:devnet"],
    features: ["solana:signTransaction"],
  });
  const wallet = Object.freeze({
    version: "1.0.0",
    name: "Test Solana wallet",
    icon: "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=",
    chains: ["solana:devnet"],
    accounts: [account],
    features: {
      "standard:connect": { version: "1.0.0", connect: async () => ({ accounts: [account] }) },
      "standard:events": { version: "1.0.0", on: () => () => {} },
      "solana:signTransaction": {
        version: "1.0.0",
        supportedTransactionVersions: ["legacy", 0],
        signTransaction: (...inputs) =>
          Promise.all(
            inputs.map(async (input) => {
              if (input.account.address !== account.address) throw new Error("Unknown account");
              const signed = await window.forge402TestSolanaSign(toBase64(input.transaction));
              return { signedTransaction: fromBase64(signed) };
            }),
          ),
      },
    },
  });
  // the wallet side of the Wallet Standard's registration handshake
  const callback = ({ register }) => register(wallet);
  window.addEventListener("wallet-standard:app-ready", ({ detail }) => callback(detail));
  window.dispatchEvent(new CustomEvent("wallet-standard:register-wallet", { detail: callback }));
})();
