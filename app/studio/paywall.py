"""The paid route's answer to a browser: `Accept: text/html` on `GET` or `POST /api/x402/forge` without a payment
gets a human page with status 402 (as the official x402 middleware gives browsers its paywall): the price, the
networks and token it is paid in, where the money goes, and how to pay — in the studio with a wallet, or from code.
The machine-readable `PAYMENT-REQUIRED` header is on it too, so an x402 client that sent `text/html` still pays.
The page is rendered from the paid lane's own challenge and price list (`app.paid.lane`); the route
(`app.http.routes.paid`) answers with it."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from app.config import Settings
from app.studio.headers import security_headers
from app.tiers import TIERS
from payments.codec import decode_json
from payments.networks import find, usd

NETWORK_LABELS = {
    "eip155:8453": "Base",
    "eip155:84532": "Base Sepolia",
    "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp": "Solana",
    "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1": "Solana Devnet",
}


def wants_html(headers: Mapping[str, str]) -> bool:
    """A browser navigating here (it asks for text/html); API clients and x402 SDKs do not."""
    return "text/html" in headers.get("accept", "").lower()


def network_label(caip2: str) -> str:
    return NETWORK_LABELS.get(caip2, caip2)


def paywall_page(challenge_headers: Mapping[str, str], prices: dict, tier: str, resource_path: str) -> str:
    """The 402 page for the challenge the paid lane made (its `PAYMENT-REQUIRED` header) for `tier`, with every
    tier's price from its price list."""
    return render(decode_json(challenge_headers["PAYMENT-REQUIRED"]), prices, tier, resource_path)


def paywall_headers(settings: Settings, challenge_headers: Mapping[str, str]) -> dict[str, str]:
    """The challenge's own headers (an x402 client still pays from them) and the studio's security headers."""
    return {**challenge_headers, **security_headers(settings), "Vary": "Accept"}


def render(required: dict, prices: dict, tier: str, resource_path: str) -> str:
    accepts = required.get("accepts", [])
    amount = int(accepts[0]["amount"]) if accepts else prices[tier]["price_usdc_atomics"]
    return PAGE.format(
        price=escape(usd(amount)),
        tier=escape(TIERS[tier].label),
        path=escape(resource_path),
        networks="\n".join(network_item(a) for a in accepts),
        tiers="\n".join(tier_row(t, p, t == tier) for t, p in prices.items()),
        tier_id=escape(tier),
    )


def network_item(accept: dict) -> str:
    network = str(accept.get("network", ""))
    known = find(network)
    token = "USDC" if known and known.usdc.lower() == str(accept.get("asset", "")).lower() else "token"
    return (
        "<li>"
        f"<strong>{escape(network_label(network))}</strong> <code>{escape(network)}</code><br>"
        f"{escape(usd(int(accept.get('amount', 0))))} {token} (<code>{escape(str(accept.get('amount', '')))}</code> "
        f"atomic units) of <code class=\"addr\">{escape(str(accept.get('asset', '')))}</code><br>"
        f"paid to <code class=\"addr\">{escape(str(accept.get('payTo', '')))}</code>, "
        f"scheme <code>{escape(str(accept.get('scheme', '')))}</code>"
        "</li>"
    )


def tier_row(tier: str, price: dict, current: bool) -> str:
    info = TIERS[tier]
    mark = ' aria-current="true" class="current"' if current else ""
    return (
        f"<tr{mark}><th scope=\"row\">{escape(info.label)}</th><td>≤ {info.face_budget:,} faces"
        f"{', PBR' if info.pbr else ''}</td><td>{escape(str(price['price_usdc']))} USDC</td></tr>"
    )


PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Payment required · forge402</title>
<link rel="icon" href="/studio/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/studio/studio.css">
</head>
<body class="paywall">
<main class="paywall-card">
<p class="brand"><a href="/">forge402</a></p>
<h1>Payment required</h1>
<p class="lead"><code>{path}</code> builds one 3D model (GLB) per payment, paid over
<a href="https://x402.org">x402</a>. This request costs <strong class="price">{price}</strong> ({tier} tier).</p>

<h2>How to pay</h2>
<ol class="steps">
<li><strong>In your browser:</strong> open <a class="button" href="/?tier={tier_id}">the studio</a>, describe the
model (or drop photos) and press <em>Pay and forge</em>. A wallet in the browser (EIP-1193 on Base, or a Solana
wallet) signs the USDC payment; no gas is needed.</li>
<li><strong>From code:</strong> send the same <code>POST</code> with an x402 client, which answers this 402 by itself:
<code>@x402/fetch</code> with <code>@x402/evm</code> or <code>@x402/svm</code> (TypeScript), or the
<code>x402</code> package (Python).
The price list is <code>GET {path}</code> without <code>text/html</code>; the free lane is
<code>POST /api/forge</code>.</li>
</ol>

<h2>Accepted networks</h2>
<ul class="networks">
{networks}
</ul>

<h2>Prices</h2>
<table class="prices">
<thead><tr><th scope="col">Tier</th><th scope="col">Model</th><th scope="col">Price</th></tr></thead>
<tbody>
{tiers}
</tbody>
</table>
</main>
</body>
</html>
"""
