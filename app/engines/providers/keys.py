"""Provider keys: which key a job runs on (the caller's own, else the operator's), and the bring-your-own keys held
in this process's memory for the life of their job and nowhere else.

A BYO key is never written to SQLite, logs or answers; `repr` of the vault shows no key. A restart forgets every
key: a job whose key is gone cannot be resumed on its provider (see the remote job driver for what happens then).
"""

from __future__ import annotations

from pydantic import SecretStr

from app.config import Settings
from app.engines.registry import is_remote, operator_key, provider_label
from app.errors import Invalid, NotOffered

KEY_HEADER = "x-forge-provider-key"
MAX_KEY_LENGTH = 512


def byo_key(sent: str | None) -> str | None:
    """The caller's own key as sent in the x-forge-provider-key header, checked; None when none was sent."""
    if sent is None:
        return None
    value = sent.strip()
    if not value or len(value) > MAX_KEY_LENGTH or not value.isprintable():
        raise Invalid(
            "invalid_provider_key", f"The {KEY_HEADER} header must be 1–{MAX_KEY_LENGTH} printable characters."
        )
    return value


def key_for(settings: Settings, backend: str, sent: str | None) -> tuple[str | None, bool]:
    """(key, is_byo) for a job on `backend` (None for the embedded engine), from the key the caller `sent` or the
    operator's; NotOffered needs_key when a provider backend has neither."""
    if not is_remote(backend):
        return None, False
    byo = byo_key(sent)
    key = byo or operator_key(settings, backend)
    if key is None:
        label = provider_label(backend)
        raise NotOffered(
            "needs_key",
            f"The '{backend}' backend runs on {label} with your own {label} API key: send it in the {KEY_HEADER} "
            "header (it is used for this job only and never stored), or pick another backend from "
            "GET /api/forge?catalog.",
            backend=backend,
        )
    return key, byo is not None


class KeyVault:
    def __init__(self) -> None:
        self._keys: dict[str, SecretStr] = {}

    def put(self, job_id: str, key: str) -> None:
        self._keys[job_id] = SecretStr(key)

    def get(self, job_id: str) -> str | None:
        secret = self._keys.get(job_id)
        return secret.get_secret_value() if secret is not None else None

    def forget(self, job_id: str) -> None:
        self._keys.pop(job_id, None)

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return f"KeyVault({len(self._keys)} keys)"
