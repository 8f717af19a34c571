"""Quality tiers: the face budget, material model and texture size each generation is held to.

Prices live in configuration (`app.config`), not here: a tier says what is built, the operator says what it costs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

TierId = Literal["draft", "standard", "high"]


@dataclass(frozen=True, slots=True)
class Tier:
    id: TierId
    label: str
    face_budget: int  # hard ceiling on triangles in the delivered GLB
    pbr: bool  # metallic/roughness materials (otherwise base colour only)
    texture_size: int  # edge of the largest texture, power of two
    thumbnail_size: int
    eta_seconds: int  # what a client should expect on an idle service


TIERS: dict[str, Tier] = {
    "draft": Tier("draft", "Draft", 12_000, False, 512, 256, 1),
    "standard": Tier("standard", "Standard", 30_000, False, 1024, 256, 2),
    "high": Tier("high", "High (PBR)", 200_000, True, 2048, 512, 5),
}
DEFAULT_TIER: TierId = "standard"


def get_tier(tier_id: str) -> Tier:
    return TIERS[tier_id]
