"""The one registry of engines (backends): the embedded engine and the provider adapters, each described once (a
provider by its adapter class). The catalog, planning and the job runner all read it."""

from __future__ import annotations

from pydantic import SecretStr

from app.config import Settings
from app.engines.base import Backend
from app.engines.providers.base import HttpProvider, ProviderSettings
from app.engines.providers.meshy import Meshy
from app.engines.providers.scenario import Scenario
from app.engines.providers.siray import Siray
from app.engines.providers.tripo import Tripo
from app.safefetch import policy_for

LOCAL = Backend(
    "local",
    "forge402 built-in engine (procedural text, photo inflation, multiview visual hull; no GPU)",
    "forge402",
    ("text", "image", "multiview", "retopo"),
    False,
    2,
)
ADAPTERS: dict[str, type[HttpProvider]] = {a.id: a for a in (Tripo, Meshy, Siray, Scenario)}
BACKENDS: dict[str, Backend] = {LOCAL.id: LOCAL, **{a.id: a.backend() for a in ADAPTERS.values()}}
DEFAULT_BACKEND = LOCAL.id


def is_remote(backend: str) -> bool:
    return backend in ADAPTERS


def offering(path: str) -> list[str]:
    """The backends whose catalog paths include `path`."""
    return [b.id for b in BACKENDS.values() if path in b.paths]


def operator_key(settings: Settings, backend: str) -> str | None:
    secret: SecretStr | None = getattr(settings, f"{backend}_api_key", None)
    return secret.get_secret_value() if secret is not None else None


def is_configured(settings: Settings, backend: str) -> bool:
    return operator_key(settings, backend) is not None


def provider_label(backend: str) -> str:
    return ADAPTERS[backend].label


def build_engine(settings: Settings, backend: str, key: str) -> HttpProvider:
    adapter = ADAPTERS[backend]
    return adapter(
        ProviderSettings(
            base_url=getattr(settings, f"{backend}_base_url"),
            key=key,
            timeout_seconds=settings.provider_timeout_seconds,
            backoff_seconds=settings.provider_retry_backoff_seconds,
            download=policy_for(
                settings, max_bytes=settings.max_model_bytes, timeout_s=settings.provider_timeout_seconds
            ),
            model=getattr(settings, f"{backend}_model", ""),
        )
    )
