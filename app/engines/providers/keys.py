"""Bring-your-own provider keys, held in this process's memory for the life of their job and nowhere else.

Never written to SQLite, logs or answers; `repr` of the vault shows no key. A restart forgets every key: a job
whose key is gone cannot be resumed on its provider (see the remote job driver for what happens then).
"""

from __future__ import annotations

from pydantic import SecretStr

KEY_HEADER = "x-forge-provider-key"
MAX_KEY_LENGTH = 512


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
