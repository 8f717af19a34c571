"""Security headers for every HTML page and asset the studio serves: a strict Content-Security-Policy (no inline
script or style anywhere; the page loads only this origin's files) and the usual browser hardening headers."""

from __future__ import annotations

from urllib.parse import urlsplit

from app.config import Settings


def origin(url: str | None) -> str | None:
    """scheme://host[:port] of a URL, or None."""
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def content_security_policy(settings: Settings) -> str:
    """The page talks to this origin only; file links may name FORGE402_PUBLIC_URL's origin, so it is allowed too,
    and a Solana wallet's payment reads the chain through FORGE402_STUDIO_SOLANA_RPC_URL. blob: is for the photos
    previewed before upload and the textures three.js unpacks from a GLB."""
    public = origin(settings.public_url)
    own = "'self'" + (f" {public}" if public else "")
    solana = origin(settings.studio_solana_rpc_url)
    reads = own + (f" {solana}" if solana else "")
    return "; ".join(
        (
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {own} blob: data:",
            f"connect-src {reads} blob:",
            "font-src 'self'",
            "manifest-src 'self'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "object-src 'none'",
        )
    )


def security_headers(settings: Settings) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(settings),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    }
