"""Outbound URLs we fetch or call (model sources, provider results, webhooks): never private networks.

A URL is checked before every connection, redirects included: http(s) only, a host that resolves only to public
addresses (no loopback, private, link-local/metadata, multicast, reserved or unspecified ranges). Development and
tests may allow loopback and private addresses (`FORGE402_ALLOW_PRIVATE_URLS`) so local fakes can be reached.
Downloads are streamed with a byte cap, a time cap, and at most a few redirects.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urljoin, urlsplit

import httpx

from app.safefetch import FetchPolicy, FetchRefused, PinnedTransport, is_public, system_resolver

MAX_REDIRECTS = 3


class UnsafeUrl(ValueError):
    """The URL may not be fetched or called; the message says why (for a 400)."""


class FetchError(Exception):
    """A download failed. `kind`: too_large | http_status | network | unsafe."""

    def __init__(self, kind: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.status = status


def check_syntax(url: str, allow_http: bool) -> tuple[str, int]:
    """(host, port) of an absolute http(s) URL without credentials, or UnsafeUrl."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UnsafeUrl("the URL is not valid") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeUrl("only absolute https URLs are accepted")
    if parts.scheme == "http" and not allow_http:
        raise UnsafeUrl("only https URLs are accepted on this server")
    if parts.username or parts.password:
        raise UnsafeUrl("URLs with credentials are not accepted")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


async def check_public(url: str, allow_private: bool = False) -> None:
    """Raise UnsafeUrl unless every address the host resolves to is public. `allow_private` (development and
    tests) admits loopback/private hosts and plain http."""
    host, port = check_syntax(url, allow_http=allow_private)
    if allow_private:
        return
    try:
        addresses = [host] if _is_literal(host) else await system_resolver(host, port)
    except (OSError, UnicodeError):
        addresses = []
    if not addresses:
        raise UnsafeUrl(f"the host '{host[:100]}' does not resolve")
    if not all(is_public(ipaddress.ip_address(a.split("%", 1)[0])) for a in addresses):
        raise UnsafeUrl(f"'{host[:100]}' is a loopback, private or reserved address; only public hosts are reachable")


def _is_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def guarded_client(timeout: float, allow_private: bool) -> httpx.AsyncClient:
    """A client whose every connection goes to the address that was checked (no DNS rebinding)."""
    transport = None if allow_private else PinnedTransport(FetchPolicy(https_only=True), system_resolver)
    return httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(timeout, connect=min(5.0, timeout)),
        follow_redirects=False,
        trust_env=False,
        headers={"user-agent": "forge402"},
    )


async def fetch_limited(url: str, max_bytes: int, *, allow_private: bool = False, timeout: float = 30.0) -> bytes:
    """GET `url` into memory (at most `max_bytes`), following up to MAX_REDIRECTS redirects, each one checked."""
    async with guarded_client(timeout, allow_private) as client:
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            try:
                await check_public(current, allow_private)
            except UnsafeUrl as exc:
                raise FetchError("unsafe", str(exc)) from None
            try:
                async with client.stream("GET", current) as answer:
                    if answer.is_redirect and "location" in answer.headers:
                        current = urljoin(current, answer.headers["location"])
                        continue
                    if answer.status_code != 200:
                        raise FetchError("http_status", f"it answered HTTP {answer.status_code}", answer.status_code)
                    return await _read_capped(answer, max_bytes)
            except FetchRefused:
                raise FetchError("unsafe", "the host is not a public address") from None
            except httpx.HTTPError as exc:
                raise FetchError("network", f"the download failed ({type(exc).__name__})") from None
        raise FetchError("network", "too many redirects")


async def _read_capped(answer: httpx.Response, max_bytes: int) -> bytes:
    too_large = FetchError("too_large", f"the file is larger than {max_bytes / (1024 * 1024):g} MiB")
    declared = answer.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    chunks, size = [], 0
    async for chunk in answer.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)
