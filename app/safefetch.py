"""Outbound HTTP to URLs a user gave us, without letting it reach inside our network (SSRF), DESIGN.md §8.

One module for every such URL: photo `image_urls`, retopology `model_url`s, provider results and webhooks.

    policy = policy_for(settings, max_bytes=..., timeout_s=...)
    await fetch(url, policy) -> bytes             # GET; every redirect hop is checked again
    await check_public(url, policy)               # the same checks without connecting (a webhook URL at submit)
    async with pinned_client(policy) as client:   # any other request (a webhook POST); redirects are not followed
        ...

Every refusal is a `FetchRefused` with a `kind`; `str(exc)` words it plainly ("the host 'x' does not resolve") and
`exc.explain(template)` lets a caller word it for its own users and map the kind to its own error code.

Rules, applied to the first URL and again to every request (each redirect hop):
- `http`/`https` only, no credentials in the URL; `https` unless the policy allows `http` (photos outside
  production) or the host is on the development allow-list (`FORGE402_FETCH_ALLOW_HOSTS`, refused in production).
- Every address the host resolves to must be public: loopback, private, link-local (169.254.0.0/16, the cloud
  metadata address), shared (100.64.0.0/10), multicast, reserved and unspecified ranges are refused, for IPv4,
  IPv6, IPv4-mapped/compatible IPv6, NAT64, 6to4 and Teredo alike. Only allow-listed hosts are exempt.
- The connection goes to the address that was checked (`PinnedTransport`), so a second DNS answer cannot swap in a
  private one (DNS rebinding); TLS still verifies the certificate against the URL's host name (SNI).
- At most `max_redirects` redirects, `max_bytes` of body (Content-Length and the stream both checked), `timeout_s`
  for each network step and, when set, `deadline_s` for the whole exchange.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Literal
from urllib.parse import urljoin

import httpx

if TYPE_CHECKING:
    from app.config import Settings

Resolver = Callable[[str, int], Awaitable[list[str]]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Kind = Literal[
    "data_uri", "not_url", "not_http", "credentials", "insecure", "unresolvable", "forbidden",  # the URL itself
    "timeout", "http_status", "network", "redirects", "too_large",  # the exchange
]  # fmt: skip

MIB = 1024 * 1024
UNSAFE: frozenset[Kind] = frozenset(
    {"data_uri", "not_url", "not_http", "credentials", "insecure", "unresolvable", "forbidden"}
)
PLAIN: dict[Kind, str] = {
    "data_uri": "only absolute https URLs are accepted",
    "not_url": "the URL is not valid",
    "not_http": "only absolute https URLs are accepted",
    "credentials": "URLs with credentials are not accepted",
    "insecure": "only https URLs are accepted on this server",
    "unresolvable": "the host '{host}' does not resolve",
    "forbidden": "'{host}' is a loopback, private or reserved address; only public hosts are reachable",
    "timeout": "the download failed ({cause})",
    "http_status": "it answered HTTP {http_status}",
    "network": "the download failed ({cause})",
    "redirects": "too many redirects",
    "too_large": "the file is larger than {mib:g} MiB",
}

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: not `is_private` on every Python


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    https_only: bool = True
    allow_hosts: frozenset[str] = field(default_factory=frozenset)  # "host" or "host:port", lower case
    max_bytes: int = 8 * MIB
    timeout_s: float = 10.0  # each network step (connect, read, write)
    deadline_s: float | None = None  # the whole exchange, redirects included
    max_redirects: int = 3

    def allows_host(self, host: str, port: int) -> bool:
        host = host.lower().strip("[]")
        return host in self.allow_hosts or f"{host}:{port}" in self.allow_hosts


def policy_for(
    settings: Settings,
    *,
    timeout_s: float,
    max_bytes: int = 8 * MIB,
    https_only: bool = True,
    deadline_s: float | None = None,
) -> FetchPolicy:
    """A policy with the server's allow-list (`FORGE402_FETCH_ALLOW_HOSTS`) and redirect limit."""
    return FetchPolicy(
        https_only=https_only,
        allow_hosts=frozenset(h.lower() for h in settings.fetch_allow_hosts),
        max_bytes=max_bytes,
        timeout_s=timeout_s,
        deadline_s=deadline_s,
        max_redirects=settings.fetch_max_redirects,
    )


def _describe(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."


class FetchRefused(Exception):
    """The URL may not or could not be fetched. `kind` says why (`UNSAFE` kinds: the URL itself is refused);
    `str()` is a plain phrase, `explain` words it with a caller's template."""

    def __init__(
        self, kind: Kind, policy: FetchPolicy, url: str = "", *, host: str = "", http_status: int = 0, cause: str = ""
    ) -> None:
        self.kind = kind
        self.http_status = http_status
        self.facts: dict[str, object] = {
            "url": _describe(url),
            "host": _describe(host),
            "http_status": http_status,
            "cause": cause,
            "seconds": policy.deadline_s or policy.timeout_s,
            "redirects": policy.max_redirects,
            "mib": policy.max_bytes / MIB,
        }
        super().__init__(self.explain(PLAIN[kind]))

    @property
    def unsafe(self) -> bool:
        return self.kind in UNSAFE

    def explain(self, template: str) -> str:
        """`template` filled in: {url} {host} {http_status} {cause} {seconds} {redirects} {mib}."""
        return template.format(**self.facts)


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


def check_url(url: str, policy: FetchPolicy) -> httpx.URL:
    """Scheme, host and credentials of one URL (before any network traffic)."""
    if url[:5].lower() == "data:":
        raise FetchRefused("data_uri", policy, url)
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        raise FetchRefused("not_url", policy, url) from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise FetchRefused("not_http", policy, url)
    if parsed.userinfo:
        raise FetchRefused("credentials", policy, url)
    if parsed.scheme == "http" and policy.https_only and not policy.allows_host(parsed.host, _port(parsed)):
        raise FetchRefused("insecure", policy, url)
    return parsed


def _port(url: httpx.URL) -> int:
    return url.port or (443 if url.scheme == "https" else 80)


async def _resolve(host: str, port: int, policy: FetchPolicy, resolver: Resolver) -> list[str]:
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    try:
        addresses = await resolver(host, port)
    except (OSError, UnicodeError):
        addresses = []
    if not addresses:
        raise FetchRefused("unresolvable", policy, host=host)
    return addresses


async def checked_address(host: str, port: int, policy: FetchPolicy, resolver: Resolver) -> str:
    """The address to connect to: every resolved address must be public (unless the host is allow-listed)."""
    bare = host.strip("[]")
    addresses = await _resolve(bare, port, policy, resolver)
    if not policy.allows_host(bare, port):
        for address in addresses:
            if not is_public(ipaddress.ip_address(address.split("%", 1)[0])):
                raise FetchRefused("forbidden", policy, host=bare)
    return addresses[0]


async def check_public(url: str, policy: FetchPolicy, resolver: Resolver = system_resolver) -> None:
    """Every check `fetch` makes of a URL before connecting, without connecting (FetchRefused if one fails)."""
    target = check_url(url, policy)
    await checked_address(target.host, _port(target), policy, resolver)


@cache
def tls() -> ssl.SSLContext:
    """The TLS context every outbound client shares (fetches, webhooks, providers): building one loads the CA
    bundle, ~20 ms of blocking work that would otherwise run on the event loop for each client."""
    return httpx.create_ssl_context()


class PinnedTransport(httpx.AsyncBaseTransport):
    """Checks the URL of every request and resolves and checks its host, then connects to exactly that address."""

    def __init__(self, policy: FetchPolicy, resolver: Resolver) -> None:
        self._policy = policy
        self._resolver = resolver
        self._inner = httpx.AsyncHTTPTransport(
            verify=tls(), retries=0, limits=httpx.Limits(max_keepalive_connections=0)
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        check_url(str(request.url), self._policy)
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


def pinned_client(policy: FetchPolicy, resolver: Resolver = system_resolver) -> httpx.AsyncClient:
    """A client whose every request is checked and goes to the checked address; it follows no redirects."""
    return httpx.AsyncClient(
        transport=PinnedTransport(policy, resolver),
        timeout=httpx.Timeout(policy.timeout_s, connect=min(5.0, policy.timeout_s)),
        follow_redirects=False,
        trust_env=False,
        headers={"user-agent": "forge402", "accept-encoding": "identity"},
    )


async def fetch(url: str, policy: FetchPolicy, resolver: Resolver = system_resolver, accept: str = "*/*") -> bytes:
    """GET `url` under `policy`, following redirects by hand so each hop is checked; returns the body."""
    try:
        async with asyncio.timeout(policy.deadline_s):
            return await _follow(url, policy, resolver, accept)
    except TimeoutError:
        raise FetchRefused("timeout", policy, url, cause=f"over {policy.deadline_s:g} s") from None


async def _follow(url: str, policy: FetchPolicy, resolver: Resolver, accept: str) -> bytes:
    async with pinned_client(policy, resolver) as client:
        current = url
        for _hop in range(policy.max_redirects + 1):
            result = await _get(client, check_url(current, policy), policy, url, accept)
            if isinstance(result, bytes):
                return result
            current = result
    raise FetchRefused("redirects", policy, url)


async def _get(client: httpx.AsyncClient, target: httpx.URL, policy: FetchPolicy, url: str, accept: str) -> bytes | str:
    """One hop: the body, or the URL it redirects to. Errors name `url`, the URL the caller asked for."""
    try:
        async with client.stream("GET", target, headers={"accept": accept}) as response:
            if response.is_redirect:
                return urljoin(str(target), response.headers["location"])
            if response.status_code != 200:
                raise FetchRefused("http_status", policy, url, http_status=response.status_code)
            return await _read_capped(response, policy, url)
    except httpx.TimeoutException as exc:
        raise FetchRefused("timeout", policy, url, cause=type(exc).__name__) from None
    except httpx.HTTPError as exc:
        raise FetchRefused("network", policy, url, cause=type(exc).__name__) from None


async def _read_capped(response: httpx.Response, policy: FetchPolicy, url: str) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise FetchRefused("too_large", policy, url)
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():  # decoded: a compressed bomb counts at full size
        size += len(chunk)
        if size > policy.max_bytes:
            raise FetchRefused("too_large", policy, url)
        chunks.append(chunk)
    return b"".join(chunks)
