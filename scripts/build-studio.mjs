#!/usr/bin/env node
// Build the studio's script bundle: app/studio/static/src/main.js (three.js viewer; the x402 payment client in a
// chunk loaded on demand) -> app/studio/dist/ (gitignored). scripts/setup runs it when its inputs change.
//
//   node scripts/build-studio.mjs
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(root, "app", "studio", "dist");

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { studio: join(root, "app", "studio", "static", "src", "main.js") },
  outdir,
  bundle: true,
  splitting: true, // pay.js and its x402 + viem code load only when someone pays
  format: "esm",
  platform: "browser",
  target: ["es2022"],
  chunkNames: "chunk-[hash]",
  minify: true,
  sourcemap: "linked",
  legalComments: "linked",
  logLevel: "warning",
});
