// What every client script shares: read the arguments, POST the JSON body through a paying fetch, print the result.
//
// Each script prints one JSON line {status, body, payment_response} (payment_response = the decoded settlement
// header or null) and writes the same object to <out.json> when given. Exit 0 iff the final HTTP status is 2xx.
import { writeFileSync } from "node:fs";

function parseBody(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * @param {object} options
 * @param {string} options.usage  the argument list, for the usage line
 * @param {string[]} options.required  names of the required positional arguments (url, key, json_body, ...)
 * @param {(args: Record<string, string>) => Promise<typeof fetch>} options.makeFetch  the paying fetch
 * @param {string} options.responseHeader  PAYMENT-RESPONSE (v2) or X-PAYMENT-RESPONSE (v1)
 * @param {(header: string) => unknown} options.decode  the client library's decoder for that header
 */
export async function payOnce({ usage, required, makeFetch, responseHeader, decode }) {
  const { args, outPath } = readArgs(usage, required);
  try {
    const fetchWithPayment = await makeFetch(args);
    const result = await post(fetchWithPayment, args, responseHeader, decode);
    const line = JSON.stringify(result);
    console.log(line);
    if (outPath) writeFileSync(outPath, line + "\n");
    process.exit(result.status >= 200 && result.status < 300 ? 0 : 1);
  } catch (error) {
    console.error(error?.stack ?? String(error));
    process.exit(1);
  }
}

/**
 * The same as payOnce, `args.count` times at once through one paying fetch: each request gets its own 402 and signs
 * its own payment. Prints one JSON line: the list of results. Exit 0 when every request got an HTTP answer.
 */
export async function payBurst({ usage, required, makeFetch, responseHeader, decode }) {
  const { args } = readArgs(usage, [...required, "count"]);
  try {
    const fetchWithPayment = await makeFetch(args);
    const requests = Array.from({ length: Number(args.count) }, () =>
      post(fetchWithPayment, args, responseHeader, decode),
    );
    console.log(JSON.stringify(await Promise.all(requests)));
    process.exit(0);
  } catch (error) {
    console.error(error?.stack ?? String(error));
    process.exit(1);
  }
}

function readArgs(usage, required) {
  const values = process.argv.slice(2);
  const args = Object.fromEntries(required.map((name, i) => [name, values[i]]));
  if (required.some((name) => args[name] === undefined || args[name] === "")) {
    console.error(`usage: node ${process.argv[1]} ${usage}`);
    process.exit(2);
  }
  JSON.parse(args.json_body); // fail early on a malformed body rather than pay for it
  return { args, outPath: values[required.length] };
}

async function post(fetchWithPayment, args, responseHeader, decode) {
  const response = await fetchWithPayment(args.url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: args.json_body,
  });
  const header = response.headers.get(responseHeader);
  return {
    status: response.status,
    body: parseBody(await response.text()),
    payment_response: header ? decode(header) : null,
  };
}
