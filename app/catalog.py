"""What the service offers: tiers with their budgets and prices, and the engines (backends) behind them."""

from __future__ import annotations

from dataclasses import dataclass

from app.config import Settings, format_usdc
from app.schemas import Catalog, CatalogBackend, CatalogTier
from app.tiers import DEFAULT_TIER, TIERS


@dataclass(frozen=True, slots=True)
class Backend:
    id: str
    label: str
    vendor: str
    paths: tuple[str, ...]  # which inputs it builds from: text, image, multiview
    byok: bool  # needs the caller's own provider key
    eta_seconds: int


LOCAL = Backend("local", "forge402 built-in engine (procedural, no GPU)", "forge402", ("text",), False, 2)
BACKENDS: dict[str, Backend] = {LOCAL.id: LOCAL}
DEFAULT_BACKEND = LOCAL.id


def build_catalog(settings: Settings) -> Catalog:
    return Catalog(
        backends=[
            CatalogBackend(
                id=b.id,
                label=b.label,
                vendor=b.vendor,
                paths=list(b.paths),
                byok=b.byok,
                configured=not b.byok,
                eta_seconds=b.eta_seconds,
            )
            for b in BACKENDS.values()
        ],
        tiers=[
            CatalogTier(
                id=t.id,
                label=t.label,
                polycount=t.face_budget,
                pbr=t.pbr,
                texture_size=t.texture_size,
                price_usdc=format_usdc(settings.price_atomics(t.id)),
                price_usdc_atomics=settings.price_atomics(t.id),
                eta_seconds=t.eta_seconds,
            )
            for t in TIERS.values()
        ],
        default_tier=DEFAULT_TIER,
        default_backend=DEFAULT_BACKEND,
    )
