"""Fetching a user-supplied URL without letting it reach inside our network (SSRF), DESIGN.md §8.

    await fetch_image(url, policy) -> bytes      # raises FetchRefused with a status, a code and a human message

Rules, applied to the first URL and again to every redirect target:
- `https` only in production (`http` too in development); no credentials in the URL; `data:` and other schemes never.
- Every address the host resolves to must be public: loopback, private, link-local (169.254.0.0/16, the cloud
  metadata address), shared (100.64.0.0/10), multicast, reserved and unspecified ranges are refused, for IPv4,
  IPv6, IPv4-mapped/compatible IPv6, NAT64, 6to4 and Teredo alike. A development allow-list may admit named hosts.
- The connection goes to the address that was checked (`PinnedTransport`), so a second DNS answer cannot swap in a
  private one (DNS rebinding); TLS still verifies the certificate against the URL's host name (SNI).
- At most `max_redirects` redirects, `max_bytes` of body (Content-Length and the stream both checked), and
  `timeout_s` for the whole exchange.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin

import httpx

from app.errors import ApiError

Resolver = Callable[[str, int], Awaitable[list[str]]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: not `is_private` on every Python
_REDIRECTS = {301, 302, 303, 307, 308}


class FetchRefused(ApiError):
    """The URL may not or could not be fetched; `message` says why and what to send instead."""


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    https_only: bool = True
    allow_hosts: frozenset[str] = field(default_factory=frozenset)  # "host" or "host:port", lower case
    max_bytes: int = 8 * 1024 * 1024
    timeout_s: float = 10.0
    max_redirects: int = 3

    def allows_host(self, host: str, port: int) -> bool:
        host = host.lower().strip("[]")
        return host in self.allow_hosts or f"{host}:{port}" in self.allow_hosts


async def system_resolver(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (the event loop's getaddrinfo runs in a thread)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _embedded_v4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if int(ip) >> 32 == 0 and int(ip) > 1:  # deprecated IPv4-compatible ::a.b.c.d
        return ipaddress.IPv4Address(int(ip))
    return None


def is_public(ip: IPAddress) -> bool:
    """True only for globally routable unicast addresses."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_v4(ip)
        if inner is not None and not is_public(inner):
            return False
    if isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED:
        return False
    blocked = ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
    return ip.is_global and not blocked and not ip.is_unspecified


def _describe(host: str) -> str:
    return host if len(host) <= 80 else host[:77] + "..."


def check_url(url: str, policy: FetchPolicy) -> httpx.URL:
    """Scheme, host and credentials of one URL (before any network traffic)."""
    if url[:5].lower() == "data:":
        raise FetchRefused(400, "image_url_invalid", "data: URIs are not accepted; upload the image and pass its URL.")
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        raise FetchRefused(400, "image_url_invalid", f"'{_describe(url)}' is not a valid URL.") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise FetchRefused(
            400, "image_url_invalid", f"'{_describe(url)}' is not an http(s) URL; send a public https image URL."
        )
    if parsed.userinfo:
        raise FetchRefused(400, "image_url_invalid", "Image URLs must not contain a user name or password.")
    if parsed.scheme == "http" and policy.https_only and not policy.allows_host(parsed.host, _port(parsed)):
        raise FetchRefused(
            400, "image_url_insecure", f"'{_describe(url)}' uses http; this server only fetches https image URLs."
        )
    return parsed


def _port(url: httpx.URL) -> int:
    return url.port or (443 if url.scheme == "https" else 80)


async def checked_address(host: str, port: int, policy: FetchPolicy, resolver: Resolver) -> str:
    """The address to connect to: every resolved address must be public (unless the host is allow-listed)."""
    bare = host.strip("[]")
    try:
        literal: IPAddress | None = ipaddress.ip_address(bare)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [str(literal)]
    else:
        try:
            addresses = await resolver(bare, port)
        except (OSError, UnicodeError):
            addresses = []
        if not addresses:
            raise FetchRefused(400, "image_url_unreachable", f"The host '{_describe(bare)}' does not resolve.")
    if not policy.allows_host(bare, port):
        for address in addresses:
            if not is_public(ipaddress.ip_address(address.split("%", 1)[0])):
                raise FetchRefused(
                    400,
                    "image_url_forbidden",
                    f"'{_describe(bare)}' points at a private or reserved network address; image URLs must be "
                    "public (upload the file with POST /api/forge-upload instead).",
                )
    return addresses[0]


class PinnedTransport(httpx.AsyncBaseTransport):
    """Resolves and checks the host of every request, then connects to exactly that address."""

    def __init__(self, policy: FetchPolicy, resolver: Resolver) -> None:
        self._policy = policy
        self._resolver = resolver
        self._inner = httpx.AsyncHTTPTransport(retries=0, limits=httpx.Limits(max_keepalive_connections=0))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        address = await checked_address(host, _port(request.url), self._policy, self._resolver)
        extensions = dict(request.extensions)
        if request.url.scheme == "https":
            extensions["sni_hostname"] = host  # TLS: SNI and certificate check against the name, not the address
        pinned = httpx.Request(
            request.method,
            request.url.copy_with(host=address),
            headers=request.headers,  # keeps Host: <name>
            stream=request.stream,
            extensions=extensions,
        )
        return await self._inner.handle_async_request(pinned)

    async def aclose(self) -> None:
        await self._inner.aclose()


async def fetch_image(url: str, policy: FetchPolicy, resolver: Resolver = system_resolver) -> bytes:
    """GET `url` under `policy`, following redirects by hand so each hop is checked; returns the body."""
    try:
        async with asyncio.timeout(policy.timeout_s):
            return await _fetch(url, policy, resolver)
    except TimeoutError:
        raise FetchRefused(
            400,
            "image_url_timeout",
            f"'{_describe(url)}' did not answer within {policy.timeout_s:g} s; upload the image instead.",
        ) from None


async def _fetch(url: str, policy: FetchPolicy, resolver: Resolver) -> bytes:
    timeout = httpx.Timeout(policy.timeout_s, connect=min(5.0, policy.timeout_s))
    headers = {"accept": "image/png, image/jpeg, image/webp", "accept-encoding": "identity", "user-agent": "forge402"}
    async with httpx.AsyncClient(
        transport=PinnedTransport(policy, resolver), timeout=timeout, follow_redirects=False, trust_env=False
    ) as client:
        current = url
        for _hop in range(policy.max_redirects + 1):
            target = check_url(current, policy)
            try:
                async with client.stream("GET", target, headers=headers) as response:
                    if response.status_code in _REDIRECTS and "location" in response.headers:
                        current = urljoin(str(target), response.headers["location"])
                        continue
                    if response.status_code != 200:
                        raise FetchRefused(
                            400,
                            "image_url_unreachable",
                            f"'{_describe(url)}' answered HTTP {response.status_code}; send a URL that serves "
                            "the image.",
                        )
                    return await _read_capped(response, policy.max_bytes, url)
            except httpx.TimeoutException:
                raise TimeoutError from None
            except httpx.HTTPError as exc:
                raise FetchRefused(
                    400, "image_url_unreachable", f"Could not download '{_describe(url)}' ({type(exc).__name__})."
                ) from None
        raise FetchRefused(
            400, "image_url_redirects", f"'{_describe(url)}' redirects more than {policy.max_redirects} times."
        )


def _too_large(url: str, max_bytes: int) -> FetchRefused:
    return FetchRefused(
        413, "image_too_large", f"The image at '{_describe(url)}' is larger than {max_bytes // (1024 * 1024)} MiB."
    )


async def _read_capped(response: httpx.Response, max_bytes: int, url: str) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(url, max_bytes)
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():  # decoded: a gzip bomb counts at full size
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(url, max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)
