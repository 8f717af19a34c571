"""SSRF-safe fetching (app/safefetch.py), through image_urls' wording of it (app.photos.fetch.fetch_image): every
refusal of DESIGN.md §8, and the happy path."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator

import pytest

from app.errors import ForgeError
from app.http.errors import status_of
from app.photos.fetch import fetch_image
from app.safefetch import FetchPolicy
from tests.fetchserver import FetchServer, fetch_server


@pytest.fixture(scope="module")
def local() -> Iterator[FetchServer]:
    with fetch_server() as server:
        yield server


def dev_policy(server: FetchServer, **overrides: object) -> FetchPolicy:
    """Development: http allowed, and only the test server's own host:port admitted despite being loopback."""
    options: dict = {
        "https_only": False,
        "allow_hosts": frozenset({f"127.0.0.1:{server.port}"}),
        "max_bytes": 8 * 1024 * 1024,
        "timeout_s": 2.0,
        "max_redirects": 3,
    }
    return FetchPolicy(**(options | overrides))


def refused(url: str, policy: FetchPolicy, resolver: object = None) -> ForgeError:
    args = (url, policy) if resolver is None else (url, policy, resolver)
    with pytest.raises(ForgeError) as info:
        asyncio.run(fetch_image(*args))  # type: ignore[arg-type]
    assert len(info.value.message) > 20
    return info.value


def fixed(mapping: dict[str, list[str]]) -> Callable[[str, int], Awaitable[list[str]]]:
    async def resolve(host: str, port: int) -> list[str]:
        return mapping[host]

    return resolve


PRODUCTION = FetchPolicy(https_only=True, timeout_s=2.0)


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/photo.png",
        "https://[::1]/photo.png",
        "https://10.0.0.1/photo.png",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::ffff:127.0.0.1]/photo.png",  # IPv4-mapped IPv6
        "https://[fd00::1]/photo.png",
        "https://100.64.0.1/photo.png",
        "https://224.0.0.1/photo.png",
        "https://0.0.0.0/photo.png",
    ],
)
def test_private_and_reserved_addresses_are_refused(url: str) -> None:
    error = refused(url, PRODUCTION)
    assert (status_of(error), error.code) == (400, "image_url_forbidden")
    assert "private or reserved" in error.message


def test_a_hostname_resolving_to_a_private_address_is_refused() -> None:
    assert refused("https://localhost/photo.png", PRODUCTION).code == "image_url_forbidden"  # real DNS
    fake = fixed({"photos.internal.example": ["192.168.1.7"]})
    assert refused("https://photos.internal.example/a.png", PRODUCTION, fake).code == "image_url_forbidden"


def test_every_resolved_address_is_checked_not_just_the_first() -> None:
    fake = fixed({"mixed.example": ["93.184.216.34", "10.1.2.3"]})
    assert refused("https://mixed.example/a.png", PRODUCTION, fake).code == "image_url_forbidden"


def test_http_is_refused_in_production() -> None:
    error = refused("http://example.com/photo.png", PRODUCTION)
    assert (status_of(error), error.code) == (400, "image_url_insecure")


@pytest.mark.parametrize(
    "url",
    [
        "data:image/png;base64,iVBORw0KGgo=",
        "ftp://example.com/photo.png",
        "file:///etc/passwd",
        "https://user:secret@example.com/photo.png",
        "not a url at all",
    ],
)
def test_other_schemes_credentials_and_junk_are_refused(url: str) -> None:
    assert refused(url, PRODUCTION).code == "image_url_invalid"


def test_a_redirect_to_a_private_address_is_refused(local: FetchServer) -> None:
    for path in ("/redirect-private", "/redirect-metadata", "/redirect-localhost"):
        error = refused(f"{local.url}{path}", dev_policy(local))
        assert error.code == "image_url_forbidden", path


def test_redirects_are_followed_within_the_limit(local: FetchServer) -> None:
    assert asyncio.run(fetch_image(f"{local.url}/redirect-photo", dev_policy(local))) == local.photo
    assert refused(f"{local.url}/redirect-loop", dev_policy(local)).code == "image_url_redirects"
    assert refused(f"{local.url}/redirect-photo", dev_policy(local, max_redirects=0)).code == "image_url_redirects"


def test_a_50_mb_response_is_refused_declared_or_streamed(local: FetchServer) -> None:
    for path in ("/huge", "/huge-stream"):
        started = time.monotonic()
        error = refused(f"{local.url}{path}", dev_policy(local))
        assert (status_of(error), error.code) == (413, "image_too_large"), path
        assert time.monotonic() - started < 5  # stopped at the cap, not after 50 MB


def test_a_server_that_never_answers_times_out(local: FetchServer) -> None:
    started = time.monotonic()
    error = refused(f"{local.url}/hang", dev_policy(local, timeout_s=1.0))
    assert (status_of(error), error.code) == (400, "image_url_timeout")
    assert time.monotonic() - started < 3


def test_http_errors_are_reported(local: FetchServer) -> None:
    error = refused(f"{local.url}/missing.png", dev_policy(local))
    assert error.code == "image_url_unreachable" and "404" in error.message


def test_the_connection_goes_to_the_checked_address_with_the_original_host(local: FetchServer) -> None:
    """photos.test exists only in our resolver: the fetch works only if we connect to the address we checked,
    and the server still sees Host: photos.test (what TLS SNI/certificates would use too)."""
    resolver = fixed({"photos.test": ["127.0.0.1"]})
    policy = dev_policy(local, allow_hosts=frozenset({f"photos.test:{local.port}"}))
    data = asyncio.run(fetch_image(f"http://photos.test:{local.port}/photo.png", policy, resolver))
    assert data == local.photo
    assert local.hosts_seen[-1] == f"photos.test:{local.port}"


def test_the_allow_list_admits_only_the_named_host(local: FetchServer) -> None:
    assert asyncio.run(fetch_image(f"{local.url}/photo.png", dev_policy(local))) == local.photo
    other = dev_policy(local, allow_hosts=frozenset({"127.0.0.1:1"}))
    assert refused(f"{local.url}/photo.png", other).code == "image_url_forbidden"
