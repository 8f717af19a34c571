"""What a route takes from the request besides its body: the services, the links' base URL, the caller."""

from __future__ import annotations

import httpx
from starlette.requests import Request

from app.engines.providers.keys import KEY_HEADER
from app.http.clientip import client_ip
from app.http.links import Links
from app.services.caller import Caller
from app.services.container import Services


def services(request: Request) -> Services:
    return request.app.state.services


def base_url(request: Request) -> str:
    """The origin links use: the configured public URL, or the one the client used."""
    return services(request).settings.public_url or str(request.base_url)


def links(request: Request) -> Links:
    return Links(base_url(request), services(request).signer)


def own_hosts(request: Request) -> frozenset[str]:
    """The hosts that are this server: the one the client used, and the public URL's."""
    hosts = {httpx.URL(str(request.base_url)).netloc.decode()}
    if public := services(request).settings.public_url:
        hosts.add(httpx.URL(public).netloc.decode())
    return frozenset(hosts)


def address(request: Request) -> str:
    """The client's address: the socket peer, or X-Forwarded-For from a trusted proxy."""
    return client_ip(request, request.app.state.trusted_proxies)


def caller(request: Request) -> Caller:
    return Caller(base_url(request), own_hosts(request), request.headers.get(KEY_HEADER), address(request))
