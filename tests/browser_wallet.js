// A test wallet injected into the studio's pages (Playwright add_init_script), shaped like a browser extension's
// EIP-1193 provider: it holds one account on one chain and asks the test (forge402TestWalletSign, exposed from
// Python) to sign EIP-712 typed data with the devnet payer's key. Anything else is refused as a wallet would.
(() => {
  const { address, chainId } = window.__forge402TestWallet;
  const listeners = new Map();
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
    on(event, listener) {
      listeners.set(event, [...(listeners.get(event) || []), listener]);
      return this;
    },
    removeListener(event, listener) {
      listeners.set(event, (listeners.get(event) || []).filter((l) => l !== listener));
      return this;
    },
  };
})();
