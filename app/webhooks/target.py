"""Where a webhook may go: a public https endpoint (SSRF rules of `app.safefetch`), checked when the job is
submitted and again by every delivery attempt."""

from __future__ import annotations

from app.config import Settings
from app.errors import Invalid
from app.safefetch import FetchPolicy, FetchRefused, check_public, policy_for


def webhook_policy(settings: Settings) -> FetchPolicy:
    return policy_for(settings, timeout_s=settings.webhook_timeout_seconds)


async def check_webhook_url(url: str | None, settings: Settings) -> None:
    """At submit time: Invalid naming the problem unless the URL is a public https endpoint."""
    if url is None:
        return
    try:
        await check_public(url, webhook_policy(settings))
    except FetchRefused as exc:
        raise Invalid("webhook_url_forbidden", f"webhook_url is refused: {exc}.") from None
