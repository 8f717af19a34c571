"""Fetching an `image_urls` entry under the SSRF rules of `app.safefetch`; a refusal is a domain error worded for
image_urls."""

from __future__ import annotations

from app.config import Settings
from app.errors import ForgeError, Invalid, TooLarge
from app.safefetch import FetchPolicy, FetchRefused, Kind, Resolver, fetch, policy_for, system_resolver

IMAGE_TYPES = "image/png, image/jpeg, image/webp"
UNREACHABLE = "image_url_unreachable"
REFUSALS: dict[Kind, tuple[type[ForgeError], str, str]] = {  # a fetch refusal as image_urls words it
    "data_uri": (Invalid, "image_url_invalid", "data: URIs are not accepted; upload the image and pass its URL."),
    "not_url": (Invalid, "image_url_invalid", "'{url}' is not a valid URL."),
    "not_http": (Invalid, "image_url_invalid", "'{url}' is not an http(s) URL; send a public https image URL."),
    "credentials": (Invalid, "image_url_invalid", "Image URLs must not contain a user name or password."),
    "insecure": (Invalid, "image_url_insecure", "'{url}' uses http; this server only fetches https image URLs."),
    "unresolvable": (Invalid, UNREACHABLE, "The host '{host}' does not resolve."),
    "forbidden": (
        Invalid,
        "image_url_forbidden",
        "'{host}' points at a private or reserved network address; image URLs must be public "
        "(upload the file with POST /api/forge-upload instead).",
    ),
    "timeout": (Invalid, "image_url_timeout", "'{url}' did not answer within {seconds:g} s; upload the image instead."),
    "http_status": (Invalid, UNREACHABLE, "'{url}' answered HTTP {http_status}; send a URL that serves the image."),
    "network": (Invalid, UNREACHABLE, "Could not download '{url}' ({cause})."),
    "redirects": (Invalid, "image_url_redirects", "'{url}' redirects more than {redirects} times."),
    "too_large": (TooLarge, "image_too_large", "The image at '{url}' is larger than {mib:g} MiB."),
}


def fetch_policy(settings: Settings) -> FetchPolicy:
    """http as well as https outside production; the whole fetch within FETCH_TIMEOUT_SECONDS."""
    timeout = settings.fetch_timeout_seconds
    return policy_for(
        settings, https_only=settings.production, max_bytes=settings.upload_max_bytes, timeout_s=timeout,
        deadline_s=timeout,
    )  # fmt: skip


async def fetch_image(url: str, policy: FetchPolicy, resolver: Resolver = system_resolver) -> bytes:
    """The bytes at an image URL; a refusal is a ForgeError worded for image_urls."""
    try:
        return await fetch(url, policy, resolver, accept=IMAGE_TYPES)
    except FetchRefused as exc:
        kind, code, template = REFUSALS[exc.kind]
        raise kind(code, exc.explain(template)) from None
