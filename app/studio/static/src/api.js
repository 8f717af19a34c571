// The public HTTP API, as the studio calls it: nothing here that a script could not do with curl.

/** An answer that is not a success: the server's `{error, message}` plus the wait of a 429. */
export class ApiProblem extends Error {
  constructor(status, body, headers) {
    super(body?.message || `The server answered ${status}.`);
    this.status = status;
    this.code = body?.error || "http_error";
    this.body = body || {};
    const retry = body?.retry_after ?? headers?.get("retry-after");
    this.retryAfter = retry == null ? null : Number(retry);
  }
}

async function readJson(response) {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return { error: "bad_answer", message: `The server answered ${response.status} with something that is not JSON.` };
  }
}

/** fetch + JSON; throws ApiProblem on any status >= 400. */
export async function call(path, { method = "GET", body, headers = {}, signal } = {}) {
  const init = { method, headers: { accept: "application/json", ...headers }, signal };
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const data = await readJson(response);
  if (!response.ok) throw new ApiProblem(response.status, data, response.headers);
  return { status: response.status, data, headers: response.headers };
}

export const catalog = () => call("/api/forge?catalog").then((r) => r.data);

export const poll = (jobId, signal) => call(`/api/forge?job=${encodeURIComponent(jobId)}`, { signal }).then((r) => r.data);

/** POST /api/forge; `key` goes in x-forge-provider-key for a bring-your-own-key engine. */
export function forge(body, key) {
  const headers = key ? { "x-forge-provider-key": key } : {};
  return call("/api/forge", { method: "POST", body, headers }).then((r) => r.data);
}

export const retopo = (body) => call("/api/forge/retopo", { method: "POST", body }).then((r) => r.data);

/** One photo through an upload slot: ask for the slot, PUT the bytes, answer the public URL to pass in image_urls. */
export async function uploadPhoto(file) {
  const { data: slot } = await call("/api/forge-upload", {
    method: "POST",
    body: { content_type: file.type, size_bytes: file.size },
  });
  const put = await fetch(slot.upload_url, { method: "PUT", headers: slot.headers, body: file });
  if (!put.ok) throw new ApiProblem(put.status, await readJson(put), put.headers);
  return slot.public_url;
}
