"""What the service offers: tiers with their budgets and prices, and the engines (backends) behind them (read from
`app.engines.registry`)."""

from __future__ import annotations

from typing import Any

from app.config import Settings, format_usdc
from app.engines.registry import BACKENDS, DEFAULT_BACKEND, is_configured, offering
from app.jobs.lanes import QueueWaits
from app.paid.offers import PAID_RETOPO_PATH
from app.schemas import RETOPO_FACE_MIN, Catalog, CatalogBackend, CatalogRetopo, CatalogTier
from app.tiers import DEFAULT_TIER, TIERS


def build_catalog(settings: Settings, waits: QueueWaits) -> Catalog:
    """A tier's `eta_seconds` is the free lane's (its build time after the queue a free job waits in now),
    `paid_eta_seconds` the paid lane's (paid jobs are served first); a provider backend's is its own."""
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
                eta_seconds=t.eta_seconds + waits.free,
                paid_eta_seconds=t.eta_seconds + waits.paid,
            )
            for t in TIERS.values()
        ],
        default_tier=DEFAULT_TIER,
        default_backend=DEFAULT_BACKEND,
        retopology=CatalogRetopo(
            path="/api/forge/retopo",
            paid_path=PAID_RETOPO_PATH,
            backends=offering("retopo"),
            price_usdc=format_usdc(settings.price_retopo),
            price_usdc_atomics=settings.price_retopo,
            face_limit_min=RETOPO_FACE_MIN,
            formats=["glb", "obj (quad)"],
        ),
    )


_built: dict[int, tuple[Settings, QueueWaits, dict[str, Any]]] = {}  # id → (the configuration, waits, catalog)


def catalog_json(settings: Settings, waits: QueueWaits) -> dict[str, Any]:
    """`build_catalog` as JSON (`GET /api/forge?catalog`, the `forge_catalog` tool), built again only when the
    configuration or the lanes' waits change. Shared: not to be changed by its readers."""
    held = _built.get(id(settings))
    if held is None or held[0] is not settings or held[1] != waits:  # an id is never reused while held
        held = _built[id(settings)] = (settings, waits, build_catalog(settings, waits).model_dump(mode="json"))
    return held[2]
