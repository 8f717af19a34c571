"""What the service offers: tiers with their budgets and prices, and the engines (backends) behind them."""

from __future__ import annotations

from dataclasses import dataclass

from app.config import Settings, format_usdc
from app.engines.providers.registry import is_configured
from app.paid.offers import PAID_RETOPO_PATH
from app.schemas import RETOPO_FACE_MIN, Catalog, CatalogBackend, CatalogRetopo, CatalogTier
from app.tiers import DEFAULT_TIER, TIERS


@dataclass(frozen=True, slots=True)
class Backend:
    id: str
    label: str
    vendor: str
    paths: tuple[str, ...]  # which inputs it builds from (text, image, multiview), and "retopo" if it retopologizes
    byok: bool  # needs the caller's own provider key
    eta_seconds: int


LOCAL = Backend(
    "local",
    "forge402 built-in engine (procedural text, photo inflation, multiview visual hull; no GPU)",
    "forge402",
    ("text", "image", "multiview", "retopo"),
    False,
    2,
)
# third-party engines (app/engines/providers): the caller's key in x-forge-provider-key, or the operator's
PROVIDERS = (
    Backend(
        "tripo", "Tripo text-to-model; retopology of Tripo-built models", "Tripo (VAST)", ("text", "retopo"), True, 60
    ),
    Backend(
        "meshy",
        "Meshy text-to-3D (refined with PBR textures at the high tier); remesh",
        "Meshy",
        ("text", "retopo"),
        True,
        90,
    ),
    Backend("siray", "Siray 3D generation", "Siray", ("text",), True, 120),
    Backend("scenario", "Scenario custom 3D model", "Scenario", ("text",), True, 120),
)
BACKENDS: dict[str, Backend] = {LOCAL.id: LOCAL, **{b.id: b for b in PROVIDERS}}
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
                configured=not b.byok or is_configured(settings, b.id),
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
        retopology=CatalogRetopo(
            path="/api/forge/retopo",
            paid_path=PAID_RETOPO_PATH,
            backends=[b.id for b in BACKENDS.values() if "retopo" in b.paths],
            price_usdc=format_usdc(settings.price_retopo),
            price_usdc_atomics=settings.price_retopo,
            face_limit_min=RETOPO_FACE_MIN,
            formats=["glb", "obj (quad)"],
        ),
    )
