"""Domain errors: what a caller asked for cannot be done, said with a stable `code` and a `message` a person can act
on. Every layer below the HTTP edge raises these (never an HTTP status); the edge (`app.http.errors`) turns each
kind into its answer in one table, as `payments/` does with its reason codes.

    raise Invalid("missing_prompt", "Send a prompt ...")              # the request itself is wrong
    raise NotFound("job_not_found", "No job ...")
    raise TooLarge("image_too_large", "...", image=2)                 # extra keyword fields go into the JSON
"""

from __future__ import annotations

from typing import Any


class ForgeError(Exception):
    """A refusal: `code` (stable, machine-readable), `message` (for a person), `fields` (extra answer fields) and,
    when trying again later can work, `retry_after` seconds."""

    def __init__(self, code: str, message: str, *, retry_after: int | None = None, **fields: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after
        self.fields = fields

    def reworded(self, message: str, **fields: Any) -> ForgeError:
        """The same refusal (kind, code) with another message and more fields."""
        return type(self)(self.code, message, retry_after=self.retry_after, **{**self.fields, **fields})


class Invalid(ForgeError):
    """The request asks for something this server refuses or cannot read."""


class Unauthorized(ForgeError):
    """Credentials that sign nobody in (an unknown, revoked or expired API key, a malformed bearer token), or an
    operator-only resource asked for without its bearer token or with another (RFC 6750: 401, with a
    `WWW-Authenticate: Bearer` challenge)."""


class PaymentNeeded(ForgeError):
    """What is asked must be paid for first: the credits do not cover it."""


class SignInRequired(ForgeError):
    """A wallet must sign in first (sign-in-with-x): the edge answers 402 with a fresh challenge, `code` saying why
    (`sign_in_required`, `session_expired`, or why the proof sent was refused)."""


class Forbidden(ForgeError):
    """A link or slot that does not grant what it is used for (bad signature, used, expired)."""


class NotFound(ForgeError):
    """What the request names does not exist (any more)."""


class Conflict(ForgeError):
    """What the request names is not in a state that allows it (yet)."""


class TooLarge(ForgeError):
    """A body, file or image over its size limit."""


class NotOffered(ForgeError):
    """This server does not offer what is asked as things stand (e.g. a provider backend without a key)."""


class Unavailable(ForgeError):
    """A part of the service that is off or not configured on this server."""


class Busy(ForgeError):
    """This lane's queue is full for now (its estimated wait passed the bound); `retry_after` says when it drains."""


class RateLimited(ForgeError):
    """Too many requests from one client in the current window; `limit` and `reset_at` (unix time) describe it."""

    def __init__(self, message: str, *, retry_after: int, limit: int, reset_at: int) -> None:
        super().__init__("rate_limited", message, retry_after=retry_after)
        self.fields = {"retry_after": retry_after}  # said in the body as well as in Retry-After
        self.limit = limit
        self.reset_at = reset_at


STORE_RETRY_AFTER_SECONDS = 2


class StoreUnavailable(Unavailable):
    """The database or its disk cannot take the request right now: PostgreSQL unreachable (restarting, a network cut),
    SQLite locked by another writer past the busy timeout, the disk full, an I/O error. Transient: nothing was written
    by the request that got this, and the same request sent again after `retry_after` seconds goes through.
    Picklable, so an engine process can raise it to its worker."""

    def __init__(self, message: str | None = None, retry_after: int = STORE_RETRY_AFTER_SECONDS) -> None:
        super().__init__(
            "store_unavailable",
            message or "The service's database cannot be reached right now; nothing was changed. Retry shortly.",
            retry_after=retry_after,
        )

    def __reduce__(self) -> tuple[type[StoreUnavailable], tuple[str, int]]:
        return type(self), (self.message, self.retry_after or STORE_RETRY_AFTER_SECONDS)
