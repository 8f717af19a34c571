"""What a route takes from the request besides its body: the services, the links' base URL, the caller.

The origin and this server's hosts are the same for every request that names the same Host, so each is worked out
once per Host (in bounded caches: the Host header is client input) instead of parsing URLs on every request.
"""

from __future__ import annotations

from typing import Any

import httpx
from starlette.requests import Request

from app.engines.providers.keys import KEY_HEADER
from app.http.clientip import client_ip
from app.http.links import Links
from app.services.caller import Caller
from app.services.container import Services


def services(request: Request) -> Services:
    return request.app.state.services


CACHE_LIMIT = 64  # distinct Host headers remembered; past it the caches start afresh
_origins: dict[tuple[Any, ...], str] = {}
_hosts: dict[tuple[str, str | None], frozenset[str]] = {}


def origin(request: Request) -> str:
    """The origin the client used (`request.base_url`), once per scheme, Host, server and root path."""
    scope = request.scope
    root = scope.get("app_root_path", scope.get("root_path", ""))
    key = (scope["scheme"], request.headers.get("host"), scope.get("server"), root)
    found = _origins.get(key)
    if found is None:
        if len(_origins) >= CACHE_LIMIT:
            _origins.clear()
        found = _origins[key] = str(request.base_url)
    return found


def base_url(request: Request) -> str:
    """The origin links use: the configured public URL, or the one the client used."""
    return services(request).settings.public_url or origin(request)


def links(request: Request) -> Links:
    return Links(base_url(request), services(request).signer)


def own_hosts(request: Request) -> frozenset[str]:
    """The hosts that are this server: the one the client used, and the public URL's."""
    key = (origin(request), services(request).settings.public_url)
    found = _hosts.get(key)
    if found is None:
        hosts = {httpx.URL(key[0]).netloc.decode()}
        if key[1]:
            hosts.add(httpx.URL(key[1]).netloc.decode())
        if len(_hosts) >= CACHE_LIMIT:
            _hosts.clear()
        found = _hosts[key] = frozenset(hosts)
    return found


def address(request: Request) -> str:
    """The client's address: the socket peer, or X-Forwarded-For from a trusted proxy."""
    return client_ip(request, request.app.state.trusted_proxies)


def caller(request: Request) -> Caller:
    return Caller(base_url(request), own_hosts(request), request.headers.get(KEY_HEADER), address(request))
