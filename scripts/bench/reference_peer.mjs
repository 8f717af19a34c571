// The reference x402 server that scripts/bench_x402.py measures forge402 against: the official TypeScript stack.
//
// express 5 + @x402/express paymentMiddleware + x402ResourceServer, settling through an in-process
// x402Facilitator (@x402/core/facilitator) with the @x402/evm exact scheme on a viem wallet client, wired as the
// official facilitator example (no nonce manager: concurrent settles then reuse a pending nonce and fail), or with
// viem's nonceManager when VIEM_NONCE_MANAGER=1 (the fair concurrent anchor).
//
// Environment: PORT, RPC_URL, PAY_TO, FACILITATOR_KEY, USDC (asset address); optional NETWORK (eip155:84532),
// PRICE_ATOMIC (50000 = $0.05, forge402's draft tier), VIEM_NONCE_MANAGER (0 | 1). Prints one JSON line
// {"listening": port} when ready.

import { randomUUID } from "node:crypto";

import { x402Facilitator } from "@x402/core/facilitator";
import { x402ResourceServer } from "@x402/core/server";
import { toFacilitatorEvmSigner } from "@x402/evm";
import { registerExactEvmScheme as registerFacilitatorScheme } from "@x402/evm/exact/facilitator";
import { registerExactEvmScheme as registerServerScheme } from "@x402/evm/exact/server";
import { paymentMiddleware } from "@x402/express";
import express from "express";
import { createWalletClient, http, nonceManager, publicActions } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { baseSepolia } from "viem/chains";

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`reference_peer: ${name} is required`);
    process.exit(2);
  }
  return value;
}

const port = Number(process.env.PORT || 4021);
const rpcUrl = required("RPC_URL");
const payTo = required("PAY_TO");
const facilitatorKey = required("FACILITATOR_KEY");
const asset = required("USDC");
const network = process.env.NETWORK || "eip155:84532";
const priceAtomic = process.env.PRICE_ATOMIC || "50000";

/** The facilitator's signer: viem wallet + public actions (nonces handed out locally by viem's nonceManager if asked). */
function facilitatorSigner() {
  const account = privateKeyToAccount(facilitatorKey, process.env.VIEM_NONCE_MANAGER === "1" ? { nonceManager } : undefined);
  const client = createWalletClient({ account, chain: baseSepolia, transport: http(rpcUrl) }).extend(publicActions);
  return toFacilitatorEvmSigner({
    address: account.address,
    getCode: (args) => client.getCode(args),
    readContract: (args) => client.readContract({ ...args, args: args.args || [] }),
    verifyTypedData: (args) => client.verifyTypedData(args),
    writeContract: (args) => client.writeContract({ ...args, args: args.args || [] }),
    sendTransaction: (args) => client.sendTransaction(args),
    waitForTransactionReceipt: (args) => client.waitForTransactionReceipt(args),
  });
}

/** An in-process facilitator behind the FacilitatorClient interface the resource server expects. */
function inProcessFacilitatorClient() {
  const facilitator = new x402Facilitator();
  registerFacilitatorScheme(facilitator, { signer: facilitatorSigner(), networks: network });
  return {
    verify: (payload, requirements) => facilitator.verify(payload, requirements),
    settle: (payload, requirements) => facilitator.settle(payload, requirements),
    getSupported: async () => facilitator.getSupported(),
  };
}

const resourceServer = new x402ResourceServer(inProcessFacilitatorClient());
registerServerScheme(resourceServer);

const routes = {
  "POST /api/x402/forge": {
    accepts: {
      scheme: "exact",
      network,
      payTo,
      price: { amount: priceAtomic, asset, extra: { name: "USDC", version: "2" } },
      maxTimeoutSeconds: 300,
    },
    description: "Forge a 3D model (draft tier)",
    mimeType: "application/json",
  },
};

const app = express();
app.disable("x-powered-by");
app.get("/healthz", (_req, res) => res.json({ ok: true }));
app.use(paymentMiddleware(routes, resourceServer));
app.post("/api/x402/forge", express.json(), (req, res) => {
  const prompt = typeof req.body?.prompt === "string" ? req.body.prompt : "";
  res.status(202).json({ job_id: randomUUID(), status: "queued", prompt_chars: prompt.length });
});

const server = app.listen(port, "127.0.0.1", () => {
  console.log(JSON.stringify({ listening: port }));
});
server.keepAliveTimeout = 65_000;
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
