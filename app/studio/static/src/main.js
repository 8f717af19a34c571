// The studio page: compose a request, follow the job, show the model, retopologize it, keep a local history.
// Every action is one public API call (see api.js); paying loads pay.js on demand.

import { ApiProblem, catalog as loadCatalog, forge, poll, retopo, uploadPhoto } from "./api.js";
import * as recent from "./history.js";
import { PhotoList } from "./photos.js";
import { Viewer } from "./viewer.js";
import { evmWallet, onWalletsChange, solanaRpc, solanaSigners } from "./wallets.js";

const $ = (id) => document.getElementById(id);
const POLL_MS = 600;
const STEPS = ["image", "mesh", "finish"];
const MODES = { text_to_3d: "Text → 3D", image_to_3d: "Photo → 3D", multiview_to_3d: "Photos → 3D", retopo: "Retopology" };
const NETWORKS = {
  "eip155:8453": "Base",
  "eip155:84532": "Base Sepolia",
  base: "Base",
  "base-sepolia": "Base Sepolia",
  "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp": "Solana",
  "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1": "Solana Devnet",
};

const state = { catalog: null, viewer: null, following: null, job: null, labels: new Map() };
const photos = new PhotoList($("photo-list"), () => {
  fillBackends();
  $("prompt").placeholder = photos.items.length ? "(photos are used; no prompt needed)" : "a glazed ceramic teapot";
});

// ---- messages ---------------------------------------------------------------------------------------------------

function say(text, kind = "info", detail = []) {
  const box = $("message");
  box.hidden = !text;
  box.dataset.kind = kind;
  const lines = [text, ...detail].filter(Boolean).map((line, index) => {
    const p = document.createElement("p");
    p.textContent = line;
    if (index === 0) p.className = "message-title";
    return p;
  });
  box.replaceChildren(...lines);
  if (kind === "error" || kind === "limit") box.scrollIntoView({ block: "nearest" });
}

function clock(secondsFromNow) {
  return new Date(Date.now() + secondsFromNow * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

function explain(error) {
  if (!(error instanceof ApiProblem)) {
    say(error?.message || String(error), "error");
    return;
  }
  if (error.status === 429 && error.code === "rate_limited") {
    const wait = error.retryAfter ?? 60;
    const minutes = wait >= 90 ? `about ${Math.round(wait / 60)} min, ` : "";
    say(`Free limit reached: try again in ${wait} s (${minutes}at ${clock(wait)}).`, "limit", [
      error.message,
      "Pay and forge has no limit.",
    ]);
    return;
  }
  const issues = (error.body.issues || []).map((issue) => `• ${issue.message}`);
  say(error.message, "error", issues);
}

// ---- catalog ------------------------------------------------------------------------------------------------------

const money = (usdc) => `$${usdc}`;

function option(value, text, selected) {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = text;
  o.selected = selected;
  return o;
}

function selectedTier() {
  return state.catalog?.tiers.find((t) => t.id === $("tier").value);
}

function fillTiers(wanted) {
  const { tiers, default_tier: fallback } = state.catalog;
  const pick = tiers.some((t) => t.id === wanted) ? wanted : fallback;
  $("tier").replaceChildren(
    ...tiers.map((t) =>
      option(t.id, `${t.label} · ${money(t.price_usdc)} · ~${t.eta_seconds} s`, t.id === pick),
    ),
  );
  describeTier();
}

function describeTier() {
  const tier = selectedTier();
  if (!tier) return;
  $("tier-hint").textContent =
    `Up to ${tier.polycount.toLocaleString()} faces, ${tier.texture_size}² texture${tier.pbr ? ", PBR materials" : ""}.`;
  $("lane-hint").textContent =
    `Forge is free and rate-limited per address. Pay and forge costs ${money(tier.price_usdc)} USDC over x402.`;
  $("pay").textContent = "Pay and forge";
  $("pay").title = `${money(tier.price_usdc)} USDC`;
}

function inputPath() {
  const count = photos.items.length;
  return count === 0 ? "text" : count === 1 ? "image" : "multiview";
}

function fillBackends() {
  if (!state.catalog) return;
  const path = inputPath();
  const current = $("backend").value || state.catalog.default_backend;
  const usable = state.catalog.backends.filter((b) => b.paths.includes(path));
  const pick = usable.some((b) => b.id === current) ? current : state.catalog.default_backend;
  $("backend").replaceChildren(
    ...usable.map((b) => {
      const needsKey = b.byok && !b.configured ? " · your key" : "";
      return option(b.id, `${b.vendor}${needsKey} · ~${b.eta_seconds} s`, b.id === pick);
    }),
  );
  describeBackend();
}

function selectedBackend() {
  return state.catalog?.backends.find((b) => b.id === $("backend").value);
}

function describeBackend() {
  const backend = selectedBackend();
  $("backend-hint").textContent = backend ? backend.label : "";
  $("key-field").hidden = !(backend && backend.byok);
}

// ---- the request --------------------------------------------------------------------------------------------------

/** The body for /api/forge or /api/x402/forge, uploading the photos first; null (and a message) when incomplete. */
async function requestBody() {
  const body = { tier: $("tier").value };
  const backend = $("backend").value;
  if (backend && backend !== state.catalog.default_backend) body.backend = backend;
  const seed = $("seed").value.trim();
  if (seed !== "") {
    const n = Number(seed);
    if (!Number.isInteger(n) || n < 0 || n > 2147483647) {
      say("The seed is a whole number from 0 to 2147483647.", "error");
      $("seed").focus();
      return null;
    }
    body.seed = n;
  }
  if (photos.items.length) {
    const urls = [];
    for (const [index, file] of photos.files.entries()) {
      say(`Uploading photo ${index + 1} of ${photos.items.length}…`);
      urls.push(await uploadPhoto(file));
    }
    body.image_urls = urls;
    return { body, label: `Photos: ${photos.files.map((f) => f.name).join(", ")}` };
  }
  const prompt = $("prompt").value.trim();
  if (prompt.length < 3) {
    say("Describe the object in at least 3 characters, or drop photos of it.", "error");
    $("prompt").focus();
    return null;
  }
  body.prompt = prompt;
  return { body, label: prompt };
}

function busy(on) {
  for (const id of ["forge", "pay", "retopo"]) $(id).disabled = on;
  document.body.classList.toggle("busy", on);
}

async function onForge(event) {
  event.preventDefault();
  busy(true);
  try {
    const request = await requestBody();
    if (!request) return;
    say("Sending…");
    const job = await forge(request.body, $("provider-key").value.trim() || null);
    start(job, request.label);
  } catch (error) {
    explain(error);
  } finally {
    busy(false);
  }
}

async function onPay() {
  busy(true);
  try {
    const tier = selectedTier();
    const request = await requestBody();
    if (!request) return;
    say("Loading the payment client…");
    const { payAndForge } = await import("./pay.js");
    const { job, payment } = await payAndForge(request.body, {
      maxUsd: money(tier.price_usdc),
      solanaWallet: chosenSolanaWallet(),
      onStep: (text) => say(text),
    });
    const paid = { amount: `${money(tier.price_usdc)} USDC`, network: payment.network, tx: payment.transaction };
    start({ ...job, paid }, request.label);
  } catch (error) {
    explain(error);
  } finally {
    busy(false);
  }
}

async function onRetopo(event) {
  event.preventDefault();
  if (!state.job) return;
  busy(true);
  try {
    const body = {
      job_id: state.job.job_id,
      face_limit: Number($("face-limit").value),
      quad: $("quad").checked,
      bake: $("bake").checked,
    };
    say("Sending…");
    const job = await retopo(body);
    const source = state.labels.get(state.job.job_id) || "model";
    start(job, `Retopology of ${source} → ${body.face_limit.toLocaleString()} faces`);
  } catch (error) {
    explain(error);
  } finally {
    busy(false);
  }
}

// ---- following a job ----------------------------------------------------------------------------------------------

function start(submitted, label) {
  state.labels.set(submitted.job_id, label);
  const entry = { id: submitted.job_id, label, tier: submitted.tier, status: submitted.status };
  if (submitted.paid) entry.paid = submitted.paid;
  renderHistory(recent.remember(entry));
  follow(submitted.job_id, submitted.paid);
}

function stepText(job) {
  if (job.status === "queued") return "Queued…";
  const index = STEPS.indexOf(job.step);
  const step = index >= 0 ? `Step ${index + 1} of ${STEPS.length}: ${job.step}` : "Working";
  const eta = job.eta_seconds ? ` · about ${job.eta_seconds} s left` : "";
  return `${step} · ${job.progress} %${eta}`;
}

function showProgress(job) {
  $("job-status").hidden = false;
  $("step-label").textContent = stepText(job);
  $("progress").value = job.progress || 0;
}

const sleep = (ms, signal) =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => { clearTimeout(timer); resolve(); }, { once: true });
  });

/** Poll a job until it ends, showing each step; answers nothing (a newer follow aborts this one). */
async function follow(jobId, paid) {
  state.following?.abort();
  const controller = new AbortController();
  state.following = controller;
  const { signal } = controller;
  window.history.replaceState(null, "", `#job=${encodeURIComponent(jobId)}`);
  markCurrent(jobId);
  say("");
  $("result").hidden = true;
  $("retopo-form").hidden = true;
  while (!signal.aborted) {
    let job;
    try {
      job = await poll(jobId, signal);
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof ApiProblem && error.status === 429) {
        await sleep((error.retryAfter || 1) * 1000, signal);
        continue;
      }
      $("job-status").hidden = true;
      explain(error);
      return;
    }
    if (signal.aborted) return;
    showProgress(job);
    if (job.status === "done" || job.status === "failed") {
      renderHistory(recent.remember({ id: jobId, status: job.status, tier: job.tier, mode: job.mode }));
      if (job.status === "failed") {
        $("job-status").hidden = true;
        say(`The job failed: ${job.error?.message || "no reason given"}`, "error", [job.error?.code]);
      } else {
        await show(job, paid ?? recent.load().find((i) => i.id === jobId)?.paid);
      }
      return;
    }
    await sleep(POLL_MS, signal);
  }
}

async function show(job, paid) {
  state.job = job;
  $("step-label").textContent = "Loading the model…";
  let faces = job.faces;
  if (state.viewer) {
    try {
      faces = await state.viewer.load(job.glb_url);
      $("viewer-empty").hidden = true;
    } catch (error) {
      say(`The model could not be shown: ${error.message}. The download still works.`, "error");
    }
  }
  $("job-status").hidden = true;
  $("face-count").value = faces == null ? "" : `${faces.toLocaleString()} faces`;
  const label = state.labels.get(job.job_id) || recent.load().find((i) => i.id === job.job_id)?.label || job.job_id;
  state.labels.set(job.job_id, label);
  $("result-title").textContent = label;
  const details = [MODES[job.mode] || job.mode, job.tier, job.backend, job.recipe && `recipe ${job.recipe}`, `seed ${job.seed}`];
  if (job.retopo) details.push(`${job.retopo.quads.toLocaleString()} quads`, job.retopo.watertight ? "watertight" : null);
  $("result-meta").textContent = details.filter(Boolean).join(" · ");
  $("thumbnail").src = job.thumbnail_url || "";
  $("thumbnail").alt = `Thumbnail of ${label}`;
  $("thumbnail").hidden = !job.thumbnail_url;
  $("download-glb").href = job.glb_url;
  $("download-glb").download = `forge402-${job.job_id}.glb`;
  $("download-obj").hidden = !job.obj_url;
  if (job.obj_url) {
    $("download-obj").href = job.obj_url;
    $("download-obj").download = `forge402-${job.job_id}.obj`;
  }
  $("payment").hidden = !paid;
  if (paid) {
    $("payment-amount").textContent = paid.amount;
    $("payment-network").textContent = NETWORKS[paid.network] || paid.network;
    $("payment-tx").textContent = paid.tx;
  }
  $("result").hidden = false;
  setupRetopo(faces);
  say(`Done: ${(faces ?? 0).toLocaleString()} faces.`, "done");
}

function setupRetopo(faces) {
  const min = state.catalog?.retopology?.face_limit_min ?? 100;
  const form = $("retopo-form");
  form.hidden = !faces || faces <= min;
  if (form.hidden) return;
  const slider = $("face-limit");
  slider.min = String(min);
  slider.max = String(faces);
  slider.value = String(Math.max(min, Math.round(faces / 2)));
  showFaceLimit();
}

function showFaceLimit() {
  $("face-limit-value").value = Number($("face-limit").value).toLocaleString();
}

// ---- history ------------------------------------------------------------------------------------------------------

function renderHistory(items = recent.load()) {
  $("clear-history").hidden = items.length === 0;
  $("history").replaceChildren(
    ...items.map((item) => {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "history-item";
      button.dataset.job = item.id;
      const title = document.createElement("span");
      title.className = "history-title";
      title.textContent = item.label || item.id;
      const meta = document.createElement("span");
      meta.className = "history-meta";
      const when = item.at ? new Date(item.at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : "";
      meta.textContent = [item.tier, item.status, item.paid ? "paid" : null, when].filter(Boolean).join(" · ");
      button.append(title, meta);
      button.addEventListener("click", () => {
        if (item.label) state.labels.set(item.id, item.label);
        follow(item.id, item.paid);
      });
      li.append(button);
      return li;
    }),
  );
  markCurrent(currentHashJob());
}

function markCurrent(jobId) {
  for (const button of $("history").querySelectorAll("button")) {
    if (button.dataset.job === jobId) button.setAttribute("aria-current", "true");
    else button.removeAttribute("aria-current");
  }
}

function currentHashJob() {
  const match = /job=([^&]+)/.exec(window.location.hash);
  return match ? decodeURIComponent(match[1]) : null;
}

// ---- start --------------------------------------------------------------------------------------------------------

function wireDrops() {
  const zone = $("dropzone");
  const add = (files) => {
    const refused = photos.add(files);
    say(refused, refused ? "error" : "info");
  };
  $("photos").addEventListener("change", (event) => {
    add(event.target.files);
    event.target.value = "";
  });
  window.addEventListener("dragover", (event) => {
    if (!event.dataTransfer?.types.includes("Files")) return;
    event.preventDefault();
    zone.classList.add("dragging");
  });
  window.addEventListener("dragleave", (event) => {
    if (event.relatedTarget === null) zone.classList.remove("dragging");
  });
  window.addEventListener("drop", (event) => {
    if (!event.dataTransfer?.files.length) return;
    event.preventDefault();
    zone.classList.remove("dragging");
    add(event.dataTransfer.files);
  });
}

function wireViewer() {
  try {
    state.viewer = new Viewer($("canvas"));
  } catch (error) {
    say("This browser cannot show 3D (WebGL is off or missing); downloads still work.", "error", [error.message]);
    return;
  }
  $("wireframe").addEventListener("change", (e) => state.viewer.setWireframe(e.target.checked));
  $("lighting").addEventListener("change", (e) => state.viewer.setLighting(e.target.value));
  $("reset-view").addEventListener("click", () => state.viewer.frame());
}

/** The Solana wallet picked in "Pay with", or null for the EIP-1193 wallet. */
function chosenSolanaWallet() {
  const match = /^solana:(\d+)$/.exec($("pay-with").value);
  return match ? solanaSigners()[Number(match[1])] || null : null;
}

/** Fill "Pay with" from the wallets this browser offers, and say what paying will use. */
function wallets() {
  const choices = [];
  if (evmWallet()) choices.push(option("evm", "Browser wallet · Base (EIP-1193)", false));
  const solana = solanaRpc() ? solanaSigners() : [];
  solana.forEach((w, i) => choices.push(option(`solana:${i}`, `${w.name} · Solana`, false)));
  const before = $("pay-with").value;
  $("pay-with").replaceChildren(...choices);
  if (choices.some((o) => o.value === before)) $("pay-with").value = before;
  $("pay-with-field").hidden = choices.length === 0;
  const unusable = solanaSigners().length && !solanaRpc() ? " (Solana wallets need a Solana RPC for browsers here.)" : "";
  $("wallet-status").textContent = choices.length
    ? `Pay and forge signs a USDC payment (x402) in your wallet; no gas needed.${unusable}`
    : `Pay and forge needs a browser wallet (EIP-1193 on Base, or a Solana wallet).${unusable}`;
}

async function init() {
  wireDrops();
  $("forge-form").addEventListener("submit", onForge);
  $("pay").addEventListener("click", onPay);
  $("retopo-form").addEventListener("submit", onRetopo);
  $("face-limit").addEventListener("input", showFaceLimit);
  $("tier").addEventListener("change", describeTier);
  $("backend").addEventListener("change", describeBackend);
  $("clear-history").addEventListener("click", () => renderHistory(recent.clear()));
  renderHistory();
  wallets();
  onWalletsChange(wallets);
  try {
    state.catalog = await loadCatalog();
  } catch (error) {
    explain(error);
    return;
  }
  fillTiers(new URLSearchParams(window.location.search).get("tier"));
  fillBackends();
  await new Promise((resolve) => requestAnimationFrame(resolve)); // the filled form shows before WebGL starts
  wireViewer();
  document.body.dataset.ready = "true";
  const jobId = currentHashJob();
  if (jobId) follow(jobId);
}

init();
