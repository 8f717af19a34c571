"""The built-in engine's object families, as data: each a noun with its synonyms, its kinds, default materials per
slot, and a parametric builder (see `model.py`); grouped by what they are, one module per group. `RELATED` maps
nouns with no family of their own to the closest one; `GENERIC` is the last resort.

Units are metres, +Y up; the finisher grounds and centres the result, so parts may be placed loosely.
"""

from app.engines.local.recipes import (  # noqa: F401  (importing a group registers its families)
    appliances,
    buildings,
    creatures,
    curios,
    figures,
    food,
    furniture,
    music,
    nature,
    storage,
    street,
    tools,
    toys,
    vehicles,
    vessels,
    weapons,
)
from app.engines.local.recipes.generic import GENERIC
from app.engines.local.recipes.model import FAMILIES, Family, Kind, Knobs
from app.engines.local.recipes.related import RELATED

RECIPES = FAMILIES  # the name the rest of the service knows them by

__all__ = ["FAMILIES", "GENERIC", "RECIPES", "RELATED", "Family", "Kind", "Knobs"]
