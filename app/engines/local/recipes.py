"""Object recipes as data: parametric parts, default materials per slot, and the words that name each object.

Units are metres, +Y up; the finisher grounds and centres the result, so parts may be placed loosely.
Adding a category = one `recipe(...)` call: a name, synonyms, slot defaults ("material" or "material:colour") and
a list of parts (see `parts.py` for the primitives). Slots are free names; the conventional ones are primary,
secondary, metal, accent, glass, foliage, detail (small dark bits).

The recipe tables below are kept compact by hand (`fmt: off`, long lines allowed): one part per line reads like a
parts list, which matters more here than the formatter's one-argument-per-line layout.
"""

# ruff: noqa: E501

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from math import cos, radians, sin

from app.engines.local.parts import (
    Part,
    arc,
    blob,
    box,
    capsule,
    cone,
    cyl,
    extrude,
    hemi,
    lathe,
    rbox,
    ring,
    sphere,
    torus,
    tube,
)


@dataclass(frozen=True)
class Recipe:
    name: str
    parts: tuple[Part, ...]
    slots: Mapping[str, str]  # slot -> default material spec
    synonyms: tuple[str, ...] = ()
    part_words: Mapping[str, str] = field(default_factory=dict)  # "blade" -> "primary"
    main_slots: tuple[str, ...] = ("primary",)  # where an unqualified material word goes
    colour_slot: str = "primary"  # where an unqualified colour word goes
    faceted: bool = False  # flat-shaded at every tier (rocks, gems)


RECIPES: dict[str, Recipe] = {}


def recipe(
    name: str,
    synonyms: Iterable[str],
    slots: Mapping[str, str],
    parts: Iterable[Part],
    part_words: Mapping[str, str] | None = None,
    main_slots: tuple[str, ...] = ("primary",),
    colour_slot: str = "primary",
    faceted: bool = False,
) -> Recipe:
    """Register a recipe; fails at import if a part or a default points at an undeclared slot."""
    r = Recipe(
        name, tuple(parts), dict(slots), tuple(synonyms), dict(part_words or {}), main_slots, colour_slot, faceted
    )
    used = {p.slot for p in r.parts} | set(main_slots) | {colour_slot}
    if not used <= set(r.slots):
        raise ValueError(f"recipe {name!r} uses undeclared slots {sorted(used - set(r.slots))}")
    RECIPES[name] = r
    return r


def around(n: int, radius: float, y: float, start: float = 0.0) -> list[tuple[float, float, float, float]]:
    """(x, y, z, yaw degrees) for n points on a circle — merlons, spikes, legs."""
    out = []
    for i in range(n):
        a = start + 360.0 * i / n
        out.append((radius * sin(radians(a)), y, radius * cos(radians(a)), a))
    return out


def mirror_x(points: list[tuple]) -> list[tuple]:
    """Close a right-half outline (listed bottom to top, x >= 0) with its mirror image."""
    left = [(-p[0], *p[1:]) for p in reversed(points) if abs(p[0]) > 1e-9]
    return points + left


def _barrel_r(y: float) -> float:
    return 0.27 + 0.06 * sin(3.14159265 * y / 0.9)


def _books() -> list[Part]:
    """Rows of books with a fixed, irregular rhythm (data, not randomness: the seed only jitters the whole)."""
    widths = (0.035, 0.05, 0.03, 0.045, 0.04, 0.055, 0.03, 0.04, 0.05, 0.035, 0.045, 0.03, 0.04, 0.05, 0.035, 0.045)
    heights = (0.26, 0.3, 0.24, 0.32, 0.28, 0.25, 0.3, 0.27, 0.31, 0.24, 0.29, 0.26, 0.33, 0.28, 0.25, 0.3)
    slots = ("book_a", "book_b", "book_c", "book_d")
    out = []
    for shelf, base in enumerate((0.03, 0.465, 0.915, 1.365)):
        x = -0.41 + 0.01 * shelf
        for i in range(len(widths)):
            k = (i + 5 * shelf) % len(widths)
            w, h = widths[k], heights[k] * (0.95 if shelf % 2 else 1.0)
            if x + w > 0.41 - 0.12 * (shelf == 1):
                break
            out.append(box(slots[(i + shelf) % 4], (w - 0.004, h, 0.22), at=(x + w / 2, base + h / 2, 0.01)))
            x += w
    return out


def _leaves(n: int, length: float, y: float, tilt: float) -> list[Part]:
    """A rosette of n flat leaves tilted `tilt` degrees up from horizontal."""
    leaf = [(0, 0, 1), (0.25 * length, 0.18 * length), (0.6 * length, 0.2 * length), (length, 0, 1),
            (0.6 * length, -0.16 * length), (0.25 * length, -0.15 * length)]  # fmt: skip
    return [
        extrude("foliage", leaf, 0.006, at=(0, y, 0), rot=(0, a, tilt), smooth=True)
        for _, _, _, a in around(n, 0, 0, 15)
    ]


def _merlons(length: float, x0: float, z0: float, along_x: bool, y: float) -> list[Part]:
    """Battlements along a wall: blocks every ~0.9 m."""
    n = int(length / 0.9)
    size = (0.45, 0.5, 0.8) if along_x else (0.8, 0.5, 0.45)
    out = []
    for i in range(n):
        t = -length / 2 + (i + 0.5) * length / n
        out.append(box("primary", size, at=(x0 + t, y, z0) if along_x else (x0, y, z0 + t)))
    return out


# fmt: off
# ------------------------------------------------------------------------------------------------- containers

_CH_W, _CH_H, _CH_D = 0.9, 0.42, 0.55
_CH_R = _CH_D / 2
recipe(
    "chest",
    ["treasure chest", "trunk", "coffer", "strongbox", "loot chest", "lootbox", "footlocker"],
    {"primary": "wood", "metal": "iron", "accent": "gold", "detail": "obsidian"},
    [
        box("primary", (_CH_W, _CH_H, _CH_D), at=(0, _CH_H / 2, 0)),
        extrude("primary", arc(_CH_R, 0, 180, 6), _CH_W, at=(0, _CH_H, 0), rot=(0, 90, 0), smooth=True),  # the lid
        box("metal", (_CH_W + 0.02, 0.035, _CH_D + 0.02), at=(0, _CH_H, 0)),
        box("metal", (_CH_W + 0.02, 0.035, _CH_D + 0.02), at=(0, 0.0175, 0)),
        *[box("metal", (0.06, _CH_H + 0.01, _CH_D + 0.02), at=(x, _CH_H / 2, 0)) for x in (-0.3, 0.3)],
        *[extrude("metal", arc(_CH_R + 0.012, 0, 180, 6) + arc(_CH_R - 0.01, 180, 0, 6), 0.06, at=(x, _CH_H, 0), rot=(0, 90, 0), smooth=True)
          for x in (-0.3, 0.3)],
        box("accent", (0.13, 0.16, 0.03), at=(0, _CH_H - 0.03, _CH_D / 2 + 0.02)),
        cyl("detail", 0.016, 0.01, at=(0, _CH_H - 0.02, _CH_D / 2 + 0.032), rot=(90, 0, 0)),
        box("detail", (0.012, 0.04, 0.01), at=(0, _CH_H - 0.05, _CH_D / 2 + 0.037)),
    ],
    part_words={"lock": "accent", "clasp": "accent", "lid": "primary"},
)

_CR, _CT = 0.6, 0.06
_CE = _CR / 2 - _CT / 2 + 0.006
recipe(
    "crate",
    ["box", "wooden box", "cargo box", "supply crate", "shipping crate", "loot box"],
    {"primary": "pine", "secondary": "wood"},
    [
        box("primary", (_CR - 0.01,) * 3, at=(0, _CR / 2, 0)),
        *[box("secondary", (_CT, _CR + 0.012, _CT), at=(sx * _CE, _CR / 2, sz * _CE)) for sx in (-1, 1) for sz in (-1, 1)],
        *[box("secondary", (_CR + 0.012, _CT, _CT), at=(0, _CR / 2 + sy * _CE, sz * _CE)) for sy in (-1, 1) for sz in (-1, 1)],
        *[box("secondary", (_CT, _CT, _CR + 0.012), at=(sx * _CE, _CR / 2 + sy * _CE, 0)) for sx in (-1, 1) for sy in (-1, 1)],
        *[box("secondary", (0.72, _CT, 0.02), at=(0, _CR / 2, s * (_CR / 2 + 0.004)), rot=(0, 0, 45)) for s in (-1, 1)],
        *[box("secondary", (0.02, _CT, 0.72), at=(s * (_CR / 2 + 0.004), _CR / 2, 0), rot=(-45, 0, 0)) for s in (-1, 1)],
    ],
    part_words={"frame": "secondary", "planks": "primary"},
)

recipe(
    "barrel",
    ["keg", "cask", "hogshead", "tun"],
    {"primary": "wood", "metal": "iron"},
    [
        lathe("primary", [(0, 0, 1), (_barrel_r(0), 0, 1), *[(_barrel_r(y), y) for y in (0.15, 0.3, 0.45, 0.6, 0.75)],
                          (_barrel_r(0.9), 0.9, 1), (0.25, 0.9, 1), (0.25, 0.88, 1), (0, 0.88, 1)]),
        *[ring("metal", _barrel_r(y + 0.02) - 0.01, _barrel_r(y + 0.02) + 0.012, 0.045, at=(0, y, 0)) for y in (0.06, 0.25, 0.6, 0.8)],
    ],
    part_words={"hoops": "metal", "staves": "primary"},
)

recipe(
    "teapot",
    ["kettle", "tea pot", "teakettle", "tea kettle"],
    {"primary": "glazed ceramic"},
    [
        lathe("primary", [(0, 0, 1), (0.07, 0, 1), (0.1, 0.02), (0.12, 0.06), (0.12, 0.1), (0.1, 0.14), (0.065, 0.16, 1), (0, 0.16, 1)]),
        lathe("primary", [(0, 0.155, 1), (0.072, 0.155, 1), (0.072, 0.165, 1), (0.05, 0.182), (0.02, 0.19), (0, 0.192, 1)]),  # lid
        sphere("primary", 0.018, at=(0, 0.203, 0)),  # knob
        tube("primary", [(0.08, 0.05, 0), (0.15, 0.08, 0), (0.18, 0.14, 0), (0.215, 0.185, 0)], (0.03, 0.018, 0.013, 0.012)),  # spout
        tube("primary", [(-0.1, 0.135, 0), (-0.17, 0.135, 0), (-0.195, 0.085, 0), (-0.165, 0.04, 0), (-0.11, 0.035, 0)], 0.011),  # handle
    ],
    part_words={"spout": "primary", "lid": "primary"},
)

recipe(
    "mug",
    ["coffee mug", "beer mug", "tankard", "stein"],
    {"primary": "ceramic:white", "accent": "coffee"},
    [
        lathe("primary", [(0, 0, 1), (0.045, 0, 1), (0.046, 0.1, 1), (0.041, 0.1, 1), (0.04, 0.008, 1), (0, 0.008, 1)]),
        cyl("accent", 0.0405, 0.004, at=(0, 0.07, 0)),
        tube("primary", [(0.043, 0.08, 0), (0.075, 0.078, 0), (0.082, 0.05, 0), (0.072, 0.026, 0), (0.043, 0.024, 0)], 0.007),
    ],
    part_words={"coffee": "accent", "tea": "accent"},
)

recipe(
    "cup",
    ["teacup", "tea cup", "coffee cup", "cup and saucer", "saucer"],
    {"primary": "porcelain", "accent": "coffee"},
    [
        lathe("primary", [(0, 0, 1), (0.045, 0, 1), (0.075, 0.008), (0.08, 0.014, 1), (0.074, 0.013, 1), (0.045, 0.006), (0, 0.006, 1)]),
        lathe("primary", [(0, 0.006, 1), (0.025, 0.006, 1), (0.027, 0.012, 1), (0.032, 0.018), (0.046, 0.045), (0.052, 0.068, 1),
                          (0.048, 0.068, 1), (0.043, 0.046), (0.028, 0.02, 1), (0, 0.02, 1)]),
        cyl("accent", 0.046, 0.003, at=(0, 0.052, 0)),
        tube("primary", [(0.045, 0.058, 0), (0.068, 0.056, 0), (0.07, 0.038, 0), (0.04, 0.028, 0)], 0.005),
    ],
    part_words={"coffee": "accent", "tea": "accent", "saucer": "primary"},
)

recipe(
    "vase",
    ["urn", "amphora", "jar", "pitcher", "flower vase"],
    {"primary": "glazed ceramic:teal"},
    [
        lathe("primary", [(0, 0, 1), (0.06, 0, 1), (0.068, 0.015), (0.1, 0.08), (0.115, 0.14), (0.1, 0.2), (0.062, 0.26), (0.045, 0.3),
                          (0.05, 0.34), (0.066, 0.365, 1), (0.057, 0.365, 1), (0.042, 0.33), (0.035, 0.29, 1), (0, 0.29, 1)]),
    ],
)

recipe(
    "bottle",
    ["wine bottle", "beer bottle", "bottles", "flagon", "decanter"],
    {"primary": "glass:green", "secondary": "paper", "accent": "cork"},
    [
        lathe("primary", [(0, 0, 1), (0.038, 0, 1), (0.04, 0.006), (0.04, 0.17), (0.036, 0.2), (0.017, 0.24), (0.014, 0.28),
                          (0.017, 0.285, 1), (0.017, 0.29, 1), (0, 0.29, 1)]),
        ring("secondary", 0.0395, 0.0412, 0.07, at=(0, 0.06, 0)),  # label
        cyl("accent", 0.0125, 0.022, at=(0, 0.283, 0)),
    ],
    part_words={"label": "secondary", "cork": "accent"},
)

recipe(
    "potion",
    ["flask", "elixir", "vial", "phial", "potion bottle", "tonic", "brew", "poison"],
    {"primary": "glass", "accent": "potion", "secondary": "cork"},
    [
        lathe("primary", [(0, 0, 1), (0.04, 0, 1), (0.06, 0.025), (0.066, 0.06), (0.056, 0.095), (0.026, 0.115), (0.016, 0.13),
                          (0.016, 0.16), (0.021, 0.165, 1), (0.021, 0.172, 1), (0, 0.172, 1)]),
        lathe("accent", [(0, 0.004, 1), (0.038, 0.004, 1), (0.056, 0.028), (0.061, 0.06), (0.059, 0.072, 1), (0, 0.072, 1)]),  # liquid
        cyl("secondary", 0.0165, 0.032, at=(0, 0.158, 0)),
    ],
    part_words={"liquid": "accent", "cork": "secondary", "bottle": "primary"},
    colour_slot="accent",
)

recipe(
    "bowl",
    ["dish", "basin", "salad bowl", "soup bowl"],
    {"primary": "glazed ceramic:white"},
    [
        lathe("primary", [(0, 0, 1), (0.04, 0, 1), (0.042, 0.01, 1), (0.09, 0.04), (0.11, 0.07, 1), (0.103, 0.07, 1), (0.085, 0.042),
                          (0.04, 0.016), (0, 0.016, 1)]),
    ],
)

# --------------------------------------------------------------------------------------------------- lighting

recipe(
    "lamp",
    ["table lamp", "desk lamp", "lampshade", "bedside lamp", "light", "floor lamp"],
    {"primary": "fabric:beige", "metal": "brass", "accent": "glass:yellow"},
    [
        lathe("metal", [(0, 0, 1), (0.09, 0, 1), (0.088, 0.02, 1), (0.05, 0.035), (0.02, 0.05, 1), (0, 0.05, 1)]),
        cyl("metal", 0.012, 0.31, at=(0, 0.05, 0)),
        sphere("accent", 0.035, at=(0, 0.36, 0)),
        lathe("primary", [(0.165, 0.25, 1), (0.17, 0.25, 1), (0.095, 0.46, 1), (0.09, 0.46, 1)], closed=True),  # shade
        ring("metal", 0.01, 0.095, 0.006, at=(0, 0.455, 0)),
    ],
    part_words={"shade": "primary", "lampshade": "primary", "bulb": "accent"},
)

recipe(
    "candle",
    ["candles", "candlestick", "candle holder", "taper"],
    {"primary": "wax", "metal": "brass", "accent": "flame", "detail": "obsidian"},
    [
        lathe("metal", [(0, 0, 1), (0.07, 0, 1), (0.075, 0.012, 1), (0.068, 0.014, 1), (0.02, 0.012), (0.018, 0.04), (0.03, 0.05, 1),
                        (0.03, 0.055, 1), (0, 0.055, 1)]),
        tube("metal", [(0.07, 0.01, 0), (0.1, 0.03, 0), (0.095, 0.06, 0), (0.075, 0.05, 0)], 0.006),
        cyl("primary", 0.024, 0.16, at=(0, 0.055, 0)),
        cyl("detail", 0.002, 0.015, at=(0, 0.213, 0)),
        lathe("accent", [(0, 0, 1), (0.009, 0.012), (0.007, 0.03), (0, 0.05, 1)], at=(0, 0.218, 0)),
    ],
    part_words={"flame": "accent", "holder": "metal"},
)

recipe(
    "lantern",
    ["lanterns", "oil lamp", "hurricane lamp", "storm lantern"],
    {"primary": "iron", "glass": "glass:amber", "accent": "flame", "secondary": "wax"},
    [
        box("primary", (0.16, 0.03, 0.16), at=(0, 0.015, 0)),
        *[box("primary", (0.015, 0.2, 0.015), at=(x, 0.13, z)) for x in (-0.07, 0.07) for z in (-0.07, 0.07)],
        box("glass", (0.13, 0.19, 0.13), at=(0, 0.125, 0)),
        box("primary", (0.16, 0.02, 0.16), at=(0, 0.235, 0)),
        lathe("primary", [(0, 0, 1), (0.115, 0, 1), (0.02, 0.08, 1), (0, 0.08, 1)], at=(0, 0.245, 0), rot=(0, 45, 0), segments=4),
        cyl("primary", 0.02, 0.02, at=(0, 0.32, 0)),
        torus("primary", 0.04, 0.006, at=(0, 0.375, 0), rot=(90, 0, 0)),
        cyl("secondary", 0.018, 0.06, at=(0, 0.03, 0)),
        lathe("accent", [(0, 0, 1), (0.01, 0.012), (0.008, 0.03), (0, 0.05, 1)], at=(0, 0.092, 0)),
    ],
    part_words={"frame": "primary", "panes": "glass", "flame": "accent"},
)

# --------------------------------------------------------------------------------------------------- furniture

_LEG = 0.04
recipe(
    "chair",
    ["seat", "dining chair", "kitchen chair", "wooden chair", "throne", "armchair", "chairs"],
    {"primary": "wood"},
    [
        *[box("primary", (_LEG, 0.45, _LEG), at=(x, 0.225, 0.19)) for x in (-0.19, 0.19)],
        *[box("primary", (_LEG, 0.98, _LEG), at=(x, 0.49, -0.19)) for x in (-0.19, 0.19)],
        box("primary", (0.46, 0.045, 0.46), at=(0, 0.47, 0)),
        box("primary", (0.42, 0.09, 0.03), at=(0, 0.92, -0.19)),
        box("primary", (0.42, 0.04, 0.03), at=(0, 0.68, -0.19)),
        *[box("primary", (0.04, 0.22, 0.02), at=(x, 0.8, -0.19)) for x in (-0.1, 0.0, 0.1)],
        *[box("primary", (0.022, 0.025, 0.38), at=(x, 0.16, 0)) for x in (-0.19, 0.19)],
        box("primary", (0.38, 0.025, 0.022), at=(0, 0.2, 0)),
    ],
    part_words={"seat": "primary", "backrest": "primary"},
)

recipe(
    "stool",
    ["barstool", "bar stool", "footstool", "stools"],
    {"primary": "wood", "secondary": "wood"},
    [
        cyl("primary", 0.17, 0.045, at=(0, 0.6, 0)),
        *[cyl("secondary", 0.018, 0.61, at=(x, 0, z), rot=(-5.7 * z / 0.16, 0, 5.7 * x / 0.16))
          for x, z in ((0.16, 0), (-0.16, 0), (0, 0.16), (0, -0.16))],
        torus("secondary", 0.14, 0.012, at=(0, 0.24, 0)),
    ],
    part_words={"seat": "primary"},
)

recipe(
    "bench",
    ["park bench", "pew", "garden bench", "benches"],
    {"primary": "wood", "metal": "iron"},
    [
        *[box("primary", (1.5, 0.03, 0.12), at=(0, 0.45, z)) for z in (-0.14, 0.0, 0.14)],
        *[box("primary", (1.5, 0.1, 0.03), at=(0, y, -0.24), rot=(-12, 0, 0)) for y in (0.62, 0.78)],
        *[box("metal", (0.05, 0.44, 0.05), at=(x, 0.22, z)) for x in (-0.65, 0.65) for z in (-0.16, 0.16)],
        *[box("metal", (0.05, 0.45, 0.05), at=(x, 0.68, -0.22), rot=(-12, 0, 0)) for x in (-0.65, 0.65)],
        *[box("metal", (0.04, 0.04, 0.42), at=(x, 0.42, 0)) for x in (-0.65, 0.65)],
    ],
    part_words={"slats": "primary", "seat": "primary"},
)

recipe(
    "table",
    ["dining table", "kitchen table", "coffee table", "tables", "side table"],
    {"primary": "wood"},
    [
        rbox("primary", (1.2, 0.05, 0.75), 0.012, at=(0, 0.725, 0)),
        *[lathe("primary", [(0, 0, 1), (0.025, 0, 1), (0.03, 0.3), (0.035, 0.5), (0.03, 0.7, 1), (0, 0.7, 1)], at=(x, 0, z))
          for x in (-0.52, 0.52) for z in (-0.3, 0.3)],
        *[box("primary", (1.0, 0.08, 0.02), at=(0, 0.66, z)) for z in (-0.3, 0.3)],
        *[box("primary", (0.02, 0.08, 0.56), at=(x, 0.66, 0)) for x in (-0.52, 0.52)],
    ],
    part_words={"top": "primary", "tabletop": "primary"},
)

recipe(
    "desk",
    ["writing desk", "office desk", "workbench", "work bench", "bureau"],
    {"primary": "wood", "secondary": "dark wood", "metal": "brass"},
    [
        rbox("primary", (1.4, 0.04, 0.7), 0.01, at=(0, 0.75, 0)),
        box("primary", (0.45, 0.73, 0.66), at=(-0.45, 0.365, 0)),
        *[box("primary", (0.04, 0.73, 0.66), at=(0.66, 0.365, 0))],
        box("primary", (1.0, 0.5, 0.02), at=(0.2, 0.48, -0.32)),
        *[box("secondary", (0.41, 0.21, 0.02), at=(-0.45, y, 0.335)) for y in (0.13, 0.37, 0.61)],
        *[sphere("metal", 0.015, at=(-0.45, y, 0.35)) for y in (0.13, 0.37, 0.61)],
    ],
    part_words={"drawers": "secondary", "knobs": "metal", "top": "primary"},
)

recipe(
    "bed",
    ["beds", "double bed", "cot", "bunk"],
    {"primary": "wood", "secondary": "fabric:white", "accent": "fabric:blue"},
    [
        box("primary", (1.5, 0.25, 2.05), at=(0, 0.3, 0)),
        *[box("primary", (0.08, 0.18, 0.08), at=(x, 0.09, z)) for x in (-0.7, 0.7) for z in (-0.98, 0.98)],
        rbox("secondary", (1.42, 0.2, 1.95), 0.05, at=(0, 0.52, 0)),  # mattress
        rbox("accent", (1.48, 0.1, 1.35), 0.04, at=(0, 0.6, 0.34)),  # blanket
        *[rbox("secondary", (0.6, 0.12, 0.36), 0.05, at=(x, 0.66, -0.72)) for x in (-0.35, 0.35)],
        box("primary", (1.56, 1.05, 0.07), at=(0, 0.55, -1.06)),
        box("primary", (1.56, 0.55, 0.07), at=(0, 0.35, 1.06)),
    ],
    part_words={"blanket": "accent", "sheets": "accent", "duvet": "accent", "pillows": "secondary", "mattress": "secondary"},
    colour_slot="accent",
)

recipe(
    "bookshelf",
    ["bookcase", "book shelf", "shelves", "shelf", "library shelf", "shelving"],
    {"primary": "wood", "book_a": "leather:red", "book_b": "leather:navy", "book_c": "leather:green", "book_d": "leather"},
    [
        *[box("primary", (0.03, 1.8, 0.3), at=(x, 0.9, 0)) for x in (-0.435, 0.435)],
        *[box("primary", (0.9, 0.03, 0.3), at=(0, y, 0)) for y in (0.015, 0.45, 0.9, 1.35, 1.785)],
        box("primary", (0.9, 1.8, 0.012), at=(0, 0.9, -0.144)),
        *_books(),
    ],
    part_words={"books": "book_a"},
)

recipe(
    "cabinet",
    ["dresser", "chest of drawers", "drawers", "cupboard", "wardrobe", "sideboard", "nightstand", "commode"],
    {"primary": "wood", "secondary": "oak", "metal": "brass"},
    [
        box("primary", (0.8, 1.0, 0.45), at=(0, 0.58, 0)),
        rbox("primary", (0.86, 0.04, 0.5), 0.01, at=(0, 1.1, 0)),
        *[box("primary", (0.06, 0.08, 0.06), at=(x, 0.04, z)) for x in (-0.36, 0.36) for z in (-0.18, 0.18)],
        *[box("secondary", (0.74, 0.22, 0.02), at=(0, y, 0.23)) for y in (0.22, 0.46, 0.7, 0.94)],
        *[sphere("metal", 0.018, at=(x, y, 0.25)) for y in (0.22, 0.46, 0.7, 0.94) for x in (-0.2, 0.2)],
    ],
    part_words={"drawers": "secondary", "knobs": "metal", "handles": "metal"},
)

recipe(
    "sofa",
    ["couch", "settee", "loveseat", "divan", "sofas"],
    {"primary": "fabric:grey", "secondary": "dark wood"},
    [
        rbox("primary", (2.0, 0.3, 0.9), 0.05, at=(0, 0.25, 0)),
        *[rbox("primary", (0.6, 0.15, 0.72), 0.05, at=(x, 0.47, 0.06)) for x in (-0.61, 0.0, 0.61)],
        rbox("primary", (1.86, 0.55, 0.22), 0.08, at=(0, 0.65, -0.33)),
        *[rbox("primary", (0.2, 0.62, 0.9), 0.08, at=(x, 0.41, 0)) for x in (-0.98, 0.98)],
        *[cyl("secondary", 0.025, 0.1, at=(x, 0, z)) for x in (-0.9, 0.9) for z in (-0.35, 0.35)],
    ],
    part_words={"cushions": "primary", "legs": "secondary"},
)

# ---------------------------------------------------------------------------------------------------- weapons

recipe(
    "sword",
    ["blade", "longsword", "broadsword", "sabre", "saber", "katana", "dagger", "greatsword", "swords", "rapier", "scimitar"],
    {"primary": "steel", "metal": "iron", "secondary": "leather", "accent": "gem:ruby"},
    [
        extrude("primary", [(-0.025, 0, 1), (0.025, 0, 1), (0.022, 0.6, 1), (0, 0.72, 1), (-0.022, 0.6, 1)], 0.008, at=(0, 0.2, 0)),
        extrude("primary", [(-0.008, 0, 1), (0.008, 0, 1), (0.006, 0.5, 1), (-0.006, 0.5, 1)], 0.011, at=(0, 0.22, 0)),  # fuller
        rbox("metal", (0.2, 0.025, 0.04), 0.008, at=(0, 0.19, 0)),  # guard
        cyl("secondary", 0.016, 0.15, at=(0, 0.035, 0)),  # grip
        sphere("metal", 0.028, at=(0, 0.028, 0)),  # pommel
        sphere("accent", 0.012, at=(0, 0.19, 0.02), scale=(1, 1, 0.6)),
    ],
    part_words={"blade": "primary", "edge": "primary", "grip": "secondary", "hilt": "metal", "guard": "metal",
                "crossguard": "metal", "pommel": "metal"},
    main_slots=("primary", "metal"),
)

recipe(
    "shield",
    ["buckler", "round shield", "targe", "shields"],
    {"primary": "wood", "metal": "iron", "accent": "paint:red"},
    [
        lathe("primary", [(0, 0, 1), (0.35, 0, 1), (0.33, 0.02), (0.2, 0.037), (0, 0.045, 1)], at=(0, 0.36, 0), rot=(90, 0, 0)),
        lathe("accent", [(0.2, 0.036, 1), (0.27, 0.029, 1), (0.27, 0.034, 1), (0.2, 0.041, 1)], at=(0, 0.36, 0), rot=(90, 0, 0), closed=True),
        hemi("metal", 0.075, at=(0, 0.36, 0.035), rot=(90, 0, 0), scale=(1, 0.8, 1)),  # boss
        torus("metal", 0.35, 0.016, at=(0, 0.36, 0.005), rot=(90, 0, 0)),  # rim
        *[sphere("metal", 0.012, at=(0.31 * cos(radians(a)), 0.36 + 0.31 * sin(radians(a)), 0.012)) for a in range(0, 360, 45)],
    ],
    part_words={"boss": "metal", "rim": "metal", "emblem": "accent", "stripe": "accent"},
)

recipe(
    "axe",
    ["hatchet", "battleaxe", "battle axe", "war axe", "axes", "tomahawk"],
    {"metal": "steel", "secondary": "wood"},
    [
        cyl("secondary", 0.018, 0.78, at=(0, 0, 0), r_top=0.016),
        extrude("metal", [(-0.035, 0.62, 1), (0.05, 0.63, 1), (0.17, 0.54, 1), (0.2, 0.6), (0.21, 0.66), (0.2, 0.72), (0.17, 0.78, 1),
                          (0.05, 0.7, 1), (-0.035, 0.71, 1)], 0.022, smooth=True),
        extrude("metal", [(-0.035, 0.63, 1), (-0.07, 0.645, 1), (-0.07, 0.69, 1), (-0.035, 0.705, 1)], 0.03),
    ],
    part_words={"head": "metal", "blade": "metal", "handle": "secondary", "haft": "secondary", "shaft": "secondary"},
    main_slots=("metal",),
    colour_slot="metal",
)

recipe(
    "hammer",
    ["mallet", "warhammer", "war hammer", "sledgehammer", "sledge hammer", "hammers"],
    {"metal": "iron", "secondary": "wood"},
    [
        cyl("secondary", 0.016, 0.42, at=(0, 0, 0)),
        rbox("metal", (0.17, 0.055, 0.055), 0.008, at=(0.01, 0.42, 0)),
        cyl("metal", 0.026, 0.02, at=(0.095, 0.42, 0), rot=(0, 0, -90)),
    ],
    part_words={"head": "metal", "handle": "secondary"},
    main_slots=("metal",),
    colour_slot="metal",
)

recipe(
    "staff",
    ["wand", "scepter", "sceptre", "rod", "magic staff", "wizard staff", "quarterstaff", "stave"],
    {"primary": "wood", "metal": "gold", "accent": "crystal:cyan"},
    [
        cyl("primary", 0.018, 1.55, r_top=0.022),
        tube("primary", [(0, 1.5, 0), (0.05, 1.6, 0), (0.03, 1.72, 0.02), (-0.04, 1.74, 0), (-0.05, 1.62, 0)], (0.02, 0.016, 0.012, 0.01, 0.008)),
        *[ring("metal", 0.017, 0.026, 0.03, at=(0, y, 0)) for y in (0.9, 1.45)],
        sphere("accent", 0.055, at=(0, 1.64, 0)),
    ],
    part_words={"orb": "accent", "crystal": "accent", "gem": "accent", "shaft": "primary"},
)

recipe(
    "cannon",
    ["artillery", "cannons", "mortar"],
    {"metal": "bronze", "primary": "wood", "secondary": "iron", "detail": "obsidian"},
    [
        lathe("metal", [(0, -0.05, 1), (0.06, -0.05), (0.13, 0.05), (0.14, 0.15, 1), (0.12, 0.2, 1), (0.1, 1.0), (0.12, 1.05, 1),
                        (0.12, 1.1, 1), (0.07, 1.1, 1), (0.07, 0.95, 1), (0, 0.95, 1)], at=(-0.3, 0.45, 0), rot=(0, 0, -75)),
        *[box("primary", (0.9, 0.3, 0.06), at=(-0.05, 0.3, z)) for z in (-0.16, 0.16)],
        box("primary", (0.8, 0.06, 0.3), at=(-0.05, 0.18, 0)),
        *[cyl("primary", 0.22, 0.06, at=(0.05, 0.22, z), rot=(90, 0, 0)) for z in (0.2, -0.26)],
        *[torus("secondary", 0.22, 0.015, at=(0.05, 0.22, z), rot=(90, 0, 0)) for z in (0.23, -0.23)],
        cyl("secondary", 0.03, 0.6, at=(0.05, 0.22, -0.3), rot=(90, 0, 0)),
        *[sphere("detail", 0.06, at=(x, 0.06, 0.5)) for x in (-0.3, -0.18)],
        sphere("detail", 0.06, at=(-0.24, 0.16, 0.5)),
    ],
    part_words={"barrel": "metal", "carriage": "primary", "wheels": "primary"},
    main_slots=("metal",),
    colour_slot="metal",
)

recipe(
    "helmet",
    ["helm", "viking helmet", "knight helmet", "horned helmet", "helmets", "war helmet"],
    {"primary": "iron", "metal": "bronze", "accent": "bone"},
    [
        hemi("primary", 0.13, scale=(1, 1.15, 1.1)),
        ring("metal", 0.128, 0.138, 0.035, at=(0, -0.005, 0), scale=(1, 1, 1.1)),
        box("metal", (0.025, 0.32, 0.02), at=(0, 0.08, 0), rot=(90, 0, 0), scale=(1, 1, 1)),
        box("metal", (0.03, 0.1, 0.012), at=(0, -0.04, 0.148)),  # nose guard
        *[tube("accent", [(s * 0.12, 0.06, 0), (s * 0.2, 0.09, 0), (s * 0.24, 0.16, 0), (s * 0.23, 0.23, 0)], (0.032, 0.024, 0.014, 0.003))
          for s in (-1, 1)],
    ],
    part_words={"horns": "accent", "horned": "accent", "trim": "metal"},
)

# ---------------------------------------------------------------------------------------------------- treasure

_GEM_WORDS = {"ruby": "accent", "rubies": "accent", "emerald": "accent", "emeralds": "accent", "sapphire": "accent"}
recipe(
    "crown",
    ["tiara", "diadem", "circlet", "crowns", "royal crown"],
    {"primary": "gold", "accent": "gem:ruby"},
    [
        ring("primary", 0.09, 0.1, 0.05),
        *[cone("primary", 0.022, 0.06, at=(x, y, z)) for x, y, z, _ in around(8, 0.095, 0.045)],
        *[sphere("primary", 0.009, at=(x, y, z)) for x, y, z, _ in around(8, 0.095, 0.108)],
        *[sphere("accent", 0.011, at=(x, y, z), scale=(1, 1, 1)) for x, y, z, _ in around(8, 0.1, 0.025, 22.5)],
    ],
    part_words={"jewels": "accent", "gems": "accent", **_GEM_WORDS},
)

recipe(
    "ring",
    ["wedding ring", "engagement ring", "signet ring", "rings"],
    {"primary": "gold", "accent": "gem:white"},
    [
        torus("primary", 0.0105, 0.0018, at=(0, 0.0123, 0), rot=(90, 0, 0), scale=(1, 1, 1.5)),
        cyl("primary", 0.0035, 0.003, at=(0, 0.0225, 0)),
        lathe("accent", [(0, 0, 1), (0.0042, 0.0028, 1), (0.0042, 0.0033, 1), (0.0028, 0.0048, 1), (0, 0.0048, 1)], at=(0, 0.024, 0), segments=8),
    ],
    part_words={"stone": "accent", "diamond": "accent", "gem": "accent", "band": "primary", **_GEM_WORDS},
)

recipe(
    "key",
    ["skeleton key", "keys", "old key"],
    {"primary": "brass"},
    [
        torus("primary", 0.016, 0.004, at=(0, 0.1, 0), rot=(90, 0, 0)),
        cyl("primary", 0.0045, 0.085, at=(0, 0.0, 0)),
        box("primary", (0.018, 0.008, 0.004), at=(0.009, 0.006, 0)),
        box("primary", (0.012, 0.006, 0.004), at=(0.007, 0.019, 0)),
        ring("primary", 0.0042, 0.007, 0.005, at=(0, 0.075, 0)),
    ],
)

_COIN = [(0, 0, 1), (0.012, 0, 1), (0.012, 0.0025, 1), (0.0105, 0.0025, 1), (0.0105, 0.0019, 1), (0, 0.0019, 1)]
recipe(
    "coin",
    ["coins", "gold coin", "token", "medal", "doubloon", "medallion"],
    {"primary": "gold"},
    [
        *[lathe("primary", _COIN, at=(dx, 0.0025 * i, dz), rot=(0, 17 * i, 0))
          for i, (dx, dz) in enumerate(((0, 0), (0.001, 0.0005), (-0.0005, 0.001), (0.0008, -0.0006), (0, 0.0012)))],
        lathe("primary", _COIN, at=(0.024, 0.0115, 0.004), rot=(75, 0, 0)),
    ],
)

recipe(
    "gem",
    ["gemstone", "jewel", "diamond", "gems", "jewels", "diamonds"],
    {"primary": "gem"},
    [lathe("primary", [(0, 0, 1), (0.05, 0.055, 1), (0.05, 0.062, 1), (0.034, 0.08, 1), (0, 0.08, 1)], segments=10)],
    faceted=True,
)

recipe(
    "crystal",
    ["crystals", "crystal cluster", "shard", "quartz", "amethyst"],
    {"primary": "crystal:violet", "secondary": "stone"},
    [
        blob("secondary", 0.16, at=(0, 0.03, 0), scale=(1.2, 0.4, 1.0), rough=0.3),
        *[lathe("primary", [(0, 0, 1), (r, 0, 1), (r, h, 1), (0, h + r * 1.6, 1)], at=(x, 0.02, z), rot=(rx, 0, rz), segments=6)
          for x, z, r, h, rx, rz in ((0, 0, 0.045, 0.3, 0, 0), (0.07, 0.03, 0.032, 0.18, 10, -25), (-0.07, 0.02, 0.03, 0.2, -5, 28),
                                     (0.02, -0.07, 0.028, 0.15, -30, 5), (-0.02, 0.08, 0.025, 0.12, 30, 0))],
    ],
    part_words={"base": "secondary", "rock": "secondary"},
    faceted=True,
)

# ------------------------------------------------------------------------------------------------------ nature

recipe(
    "tree",
    ["oak tree", "trees", "maple", "maple tree", "birch", "apple tree", "willow", "deciduous tree", "bush", "shrub"],
    {"secondary": "bark", "foliage": "leaves"},
    [
        lathe("secondary", [(0, 0, 1), (0.24, 0, 1), (0.15, 0.25), (0.12, 1.2), (0.09, 2.1, 1), (0, 2.1, 1)]),
        tube("secondary", [(0, 1.4, 0), (0.35, 1.8, 0.1), (0.6, 2.1, 0.2)], (0.07, 0.05, 0.03)),
        tube("secondary", [(0, 1.6, 0), (-0.3, 1.95, -0.15), (-0.5, 2.2, -0.3)], (0.06, 0.045, 0.03)),
        blob("foliage", 1.0, at=(0, 2.65, 0), rough=0.18, lumps=5),
        blob("foliage", 0.7, at=(0.75, 2.3, 0.25), rough=0.2),
        blob("foliage", 0.72, at=(-0.65, 2.35, -0.3), rough=0.2),
        blob("foliage", 0.62, at=(0.1, 2.25, -0.75), rough=0.2),
        blob("foliage", 0.6, at=(-0.2, 2.2, 0.72), rough=0.2),
    ],
    part_words={"trunk": "secondary", "bark": "secondary", "branches": "secondary"},
    main_slots=("foliage",),
    colour_slot="foliage",
)

recipe(
    "pine tree",
    ["pine", "fir", "fir tree", "spruce", "conifer", "christmas tree", "evergreen", "pines"],
    {"secondary": "bark", "foliage": "pine needles"},
    [
        cyl("secondary", 0.16, 0.9, r_top=0.1),
        *[cone("foliage", r, h, at=(0, y, 0)) for r, h, y in ((1.1, 1.4, 0.6), (0.85, 1.25, 1.3), (0.6, 1.1, 2.0), (0.38, 0.9, 2.65))],
    ],
    part_words={"trunk": "secondary", "needles": "foliage"},
    main_slots=("foliage",),
    colour_slot="foliage",
)

recipe(
    "rock",
    ["boulder", "stone", "rocks", "pebble", "stones", "boulders", "cliff"],
    {"primary": "stone"},
    [
        blob("primary", 0.5, at=(0, 0.3, 0), scale=(1.25, 0.72, 1.0), rough=0.5, lumps=10, freq=3.6),
        blob("primary", 0.2, at=(0.62, 0.1, 0.28), scale=(1.0, 0.7, 1.1), rough=0.45, lumps=7, freq=3.6),
        blob("primary", 0.14, at=(-0.55, 0.06, 0.35), scale=(1.2, 0.6, 1.0), rough=0.45, lumps=7, freq=3.6),
    ],
    faceted=True,
)

recipe(
    "mushroom",
    ["toadstool", "fungus", "shroom", "mushrooms", "fly agaric", "amanita"],
    {"primary": "mushroom cap", "secondary": "bone", "accent": "paint:white"},
    [
        lathe("secondary", [(0, 0, 1), (0.065, 0, 1), (0.055, 0.04), (0.042, 0.12), (0.036, 0.2, 1), (0, 0.2, 1)]),
        lathe("primary", [(0, 0.17, 1), (0.16, 0.17, 1), (0.172, 0.195), (0.14, 0.265), (0.08, 0.31), (0, 0.325, 1)]),
        *[sphere("accent", 0.02, at=(0.1 * sin(radians(a)), 0.297, 0.1 * cos(radians(a))), scale=(1, 0.45, 1)) for a in range(20, 360, 72)],
        *[sphere("accent", 0.016, at=(0.148 * sin(radians(a)), 0.247, 0.148 * cos(radians(a))), scale=(1, 0.5, 1)) for a in range(50, 360, 60)],
        sphere("accent", 0.022, at=(0, 0.326, 0), scale=(1, 0.35, 1)),
    ],
    part_words={"cap": "primary", "stem": "secondary", "spots": "accent"},
)

recipe(
    "cactus",
    ["cacti", "saguaro", "succulent", "cactuses"],
    {"primary": "cactus", "secondary": "terracotta", "detail": "soil"},
    [
        lathe("secondary", [(0, 0, 1), (0.09, 0, 1), (0.11, 0.14, 1), (0.12, 0.14, 1), (0.12, 0.17, 1), (0.1, 0.17, 1), (0.1, 0.15, 1), (0, 0.15, 1)]),
        cyl("detail", 0.1, 0.01, at=(0, 0.145, 0)),
        capsule("primary", 0.055, 0.5, at=(0, 0.13, 0)),
        tube("primary", [(0.03, 0.32, 0), (0.11, 0.33, 0), (0.13, 0.4, 0), (0.13, 0.48, 0)], 0.032),
        tube("primary", [(-0.03, 0.27, 0), (-0.1, 0.28, 0), (-0.12, 0.34, 0), (-0.12, 0.4, 0)], 0.028),
        *[sphere("primary", r, at=(x, y, 0)) for x, y, r in ((0.13, 0.48, 0.032), (-0.12, 0.4, 0.028))],
    ],
    part_words={"pot": "secondary"},
)

recipe(
    "potted plant",
    ["plant", "houseplant", "house plant", "flower pot", "flowerpot", "pot plant", "pot", "planter", "flower", "flowers", "fern"],
    {"secondary": "terracotta", "foliage": "leaves", "detail": "soil"},
    [
        lathe("secondary", [(0, 0, 1), (0.08, 0, 1), (0.11, 0.18, 1), (0.125, 0.18, 1), (0.125, 0.215, 1), (0.105, 0.215, 1), (0.105, 0.19, 1), (0, 0.19, 1)]),
        cyl("detail", 0.105, 0.012, at=(0, 0.185, 0)),
        *_leaves(7, 0.26, 0.2, 40),
        *_leaves(5, 0.22, 0.22, 62),
        *[tube("foliage", [(0, 0.19, 0), (x * 0.5, 0.33, z * 0.5), (x, 0.42, z)], 0.006) for x, _, z, _ in around(3, 0.06, 0)],
        *[blob("foliage", 0.05, at=(x, 0.43, z), rough=0.15) for x, _, z, _ in around(3, 0.06, 0)],
    ],
    part_words={"pot": "secondary", "leaves": "foliage"},
    main_slots=("secondary",),
    colour_slot="secondary",
)

recipe(
    "pumpkin",
    ["jack-o-lantern", "jack o lantern", "gourd", "squash", "pumpkins"],
    {"primary": "pumpkin", "secondary": "bark"},
    [
        *[sphere("primary", 0.16, at=(0.1 * sin(radians(a)), 0.16, 0.1 * cos(radians(a))), rot=(0, a, 0), scale=(0.55, 0.85, 1.0))
          for a in range(0, 360, 40)],
        tube("secondary", [(0, 0.25, 0), (0, 0.3, 0), (0.02, 0.34, 0), (0.045, 0.35, 0)], (0.022, 0.017, 0.014, 0.012)),
    ],
    part_words={"stem": "secondary"},
)

recipe(
    "apple",
    ["apples", "fruit", "red apple", "green apple"],
    {"primary": "apple skin", "secondary": "bark", "foliage": "leaves"},
    [
        lathe("primary", [(0, 0.008, 1), (0.015, 0.0), (0.04, 0.008), (0.052, 0.035), (0.05, 0.062), (0.035, 0.08), (0.012, 0.078), (0, 0.07, 1)]),
        tube("secondary", [(0, 0.07, 0), (0.002, 0.085, 0), (0.008, 0.098, 0)], 0.003),
        extrude("foliage", [(0, 0, 1), (0.01, 0.007), (0.025, 0.008), (0.04, 0, 1), (0.025, -0.007), (0.01, -0.006)], 0.002,
                at=(0.004, 0.088, 0), rot=(30, 0, 20), smooth=True),
    ],
    part_words={"stem": "secondary", "leaf": "foliage"},
)

# ------------------------------------------------------------------------------------------------------- food

_SPRINKLES = ((0.03, 20, "accent"), (0.055, 80, "secondary"), (0.04, 150, "detail"), (0.058, 210, "accent"), (0.032, 260, "detail"),
              (0.05, 320, "secondary"), (0.045, 110, "accent"), (0.036, 190, "secondary"), (0.06, 30, "detail"))
recipe(
    "donut",
    ["doughnut", "donuts", "doughnuts", "bagel", "cruller"],
    {"primary": "dough", "frosting": "frosting", "accent": "plastic:yellow", "secondary": "plastic:cyan", "detail": "plastic:white"},
    [
        torus("primary", 0.045, 0.026, at=(0, 0.022, 0), scale=(1, 0.85, 1)),
        torus("frosting", 0.045, 0.0265, at=(0, 0.029, 0), scale=(1, 0.62, 1)),
        *[capsule(s, 0.0025, 0.012, at=(r * sin(radians(a)), 0.044, r * cos(radians(a))), rot=(90, a * 3, 0)) for r, a, s in _SPRINKLES],
    ],
    part_words={"icing": "frosting", "frosting": "frosting", "glaze": "frosting", "sprinkles": "accent"},
    colour_slot="frosting",
)

recipe(
    "cake",
    ["birthday cake", "wedding cake", "cakes", "gateau", "torte"],
    {"primary": "frosting", "secondary": "frosting:white", "accent": "apple skin", "detail": "wax", "flame": "flame"},
    [
        cyl("primary", 0.14, 0.09),
        torus("secondary", 0.14, 0.012, at=(0, 0.09, 0)),
        cyl("primary", 0.095, 0.07, at=(0, 0.09, 0)),
        torus("secondary", 0.095, 0.01, at=(0, 0.16, 0)),
        *[sphere("accent", 0.014, at=(x, 0.172, z)) for x, _, z, _ in around(6, 0.07, 0)],
        *[cyl("detail", 0.004, 0.05, at=(x, 0.16, z)) for x, _, z, _ in around(3, 0.03, 0, 30)],
        *[lathe("flame", [(0, 0, 1), (0.005, 0.006), (0.004, 0.014), (0, 0.022, 1)], at=(x, 0.213, z)) for x, _, z, _ in around(3, 0.03, 0, 30)],
        *[torus("secondary", 0.14, 0.006, at=(0, 0.045, 0))],
    ],
    part_words={"icing": "primary", "frosting": "primary", "cherries": "accent", "candles": "detail"},
)

# --------------------------------------------------------------------------------------------------- buildings

_HW, _HD, _HH = 6.0, 5.0, 3.0
recipe(
    "house",
    ["cottage", "hut", "cabin", "home", "building", "shack", "villa", "farmhouse", "houses", "bungalow", "log cabin"],
    {"primary": "plaster", "secondary": "roof tiles", "accent": "dark wood", "glass": "window", "brick": "brick"},
    [
        box("primary", (_HW, _HH, _HD), at=(0, _HH / 2, 0)),
        extrude("secondary", [(-_HD / 2 - 0.35, -0.1), (_HD / 2 + 0.35, -0.1), (0, 2.3)], _HW + 0.5, at=(0, _HH, 0), rot=(0, 90, 0)),  # roof
        box("accent", (1.0, 2.0, 0.12), at=(0, 1.0, _HD / 2)),  # door
        box("accent", (1.3, 0.1, 0.2), at=(0, 2.05, _HD / 2 + 0.02)),
        *[box("glass", (1.1, 1.0, 0.1), at=(x, 1.75, _HD / 2)) for x in (-1.8, 1.8)],
        *[box("accent", (1.3, 0.1, 0.18), at=(x, y, _HD / 2 + 0.02)) for x in (-1.8, 1.8) for y in (1.2, 2.3)],
        *[box("glass", (0.1, 1.0, 1.1), at=(x, 1.75, 0)) for x in (-_HW / 2, _HW / 2)],
        box("brick", (0.6, 2.0, 0.6), at=(1.6, 4.4, -0.9)),  # chimney
        box("brick", (0.7, 0.12, 0.7), at=(1.6, 5.4, -0.9)),
    ],
    part_words={"roof": "secondary", "roofed": "secondary", "door": "accent", "walls": "primary", "wall": "primary", "chimney": "brick"},
)

recipe(
    "tower",
    ["turret", "watchtower", "watch tower", "keep", "spire", "towers", "lighthouse", "wizard tower"],
    {"primary": "stone", "secondary": "slate", "accent": "dark wood", "glass": "window"},
    [
        cyl("primary", 1.5, 8.0, r_top=1.35),
        cyl("primary", 1.65, 0.9, at=(0, 7.6, 0)),
        ring("primary", 1.45, 1.7, 0.3, at=(0, 0.0, 0)),
        cone("secondary", 1.95, 3.4, at=(0, 8.5, 0)),
        cyl("secondary", 0.04, 0.8, at=(0, 11.8, 0)),
        box("accent", (1.0, 2.0, 0.3), at=(0, 1.0, 1.45)),
        *[box("glass", (0.45, 0.8, 0.3), at=(1.42 * sin(radians(a)), y, 1.42 * cos(radians(a))), rot=(0, a, 0))
          for a, y in ((0, 3.6), (0, 5.8), (120, 4.6), (240, 4.8), (120, 6.5), (240, 2.8))],
    ],
    part_words={"roof": "secondary", "roofed": "secondary", "door": "accent", "walls": "primary"},
)

recipe(
    "castle",
    ["fortress", "citadel", "palace", "fort", "castles", "stronghold"],
    {"primary": "stone", "secondary": "roof tiles", "accent": "dark wood", "banner": "fabric:red"},
    [
        *[box("primary", (10, 4, 0.8), at=(0, 2, z)) for z in (-5, 5)],
        *[box("primary", (0.8, 4, 10), at=(x, 2, 0)) for x in (-5, 5)],
        *_merlons(8.4, 0, 5, True, 4.25),
        *_merlons(8.4, 0, -5, True, 4.25),
        *_merlons(8.4, 5, 0, False, 4.25),
        *_merlons(8.4, -5, 0, False, 4.25),
        *[cyl("primary", 1.3, 6.0, at=(x, 0, z)) for x in (-5, 5) for z in (-5, 5)],
        *[cone("secondary", 1.6, 2.8, at=(x, 6.0, z)) for x in (-5, 5) for z in (-5, 5)],
        box("primary", (4.5, 8.0, 4.5), at=(0, 4.0, -0.5)),  # keep
        extrude("secondary", [(-2.6, 0), (2.6, 0), (0, 2.4)], 4.9, at=(0, 8.0, -0.5)),
        box("accent", (2.0, 2.8, 0.3), at=(0, 1.4, 5.3)),  # gate
        cyl("accent", 0.05, 2.0, at=(0, 9.9, -0.5)),
        box("banner", (0.9, 0.55, 0.03), at=(0.47, 11.5, -0.5)),
    ],
    part_words={"roof": "secondary", "roofs": "secondary", "gate": "accent", "walls": "primary", "flag": "banner"},
)

recipe(
    "fence",
    ["picket fence", "railing", "fencing", "fences", "palisade", "gate"],
    {"primary": "paint:white"},
    [
        *[box("primary", (0.1, 1.1, 0.1), at=(x, 0.55, 0)) for x in (-1.5, -0.75, 0.0, 0.75, 1.5)],
        *[box("primary", (3.1, 0.08, 0.04), at=(0, y, 0.07)) for y in (0.3, 0.8)],
        *[extrude("primary", [(-0.045, 0), (0.045, 0), (0.045, 0.88), (0, 0.96), (-0.045, 0.88)], 0.02, at=(-1.42 + i * 0.142, 0.05, 0.1))
          for i in range(21)],
    ],
    part_words={"posts": "primary", "pickets": "primary"},
)

recipe(
    "well",
    ["wishing well", "water well", "wells"],
    {"primary": "stone", "secondary": "wood", "accent": "roof tiles", "water": "water", "metal": "iron"},
    [
        lathe("primary", [(0.55, 0, 1), (0.8, 0, 1), (0.8, 0.8, 1), (0.55, 0.8, 1)], closed=True),
        ring("primary", 0.52, 0.84, 0.08, at=(0, 0.8, 0)),
        cyl("water", 0.56, 0.5),
        *[box("secondary", (0.1, 1.6, 0.1), at=(x, 1.5, 0)) for x in (-0.7, 0.7)],
        extrude("accent", [(-0.75, 0), (0.75, 0), (0, 0.55)], 1.8, at=(0, 2.2, 0), rot=(0, 90, 0)),
        cyl("secondary", 0.05, 1.5, at=(-0.75, 1.6, 0), rot=(0, 0, -90)),
        lathe("secondary", [(0, 0, 1), (0.1, 0, 1), (0.13, 0.18, 1), (0, 0.18, 1)], at=(0, 1.1, 0)),  # bucket
        tube("metal", [(0, 1.3, 0), (0, 1.45, 0), (0, 1.6, 0)], 0.008),
    ],
    part_words={"roof": "secondary", "water": "water", "walls": "primary"},
)

recipe(
    "tent",
    ["camping tent", "tents", "pavilion", "teepee", "tipi"],
    {"primary": "fabric:orange", "secondary": "fabric:grey", "metal": "steel"},
    [
        extrude("primary", [(-1.0, 0, 1), (1.0, 0, 1), (0, 1.3, 1)], 2.2),
        extrude("secondary", [(-0.45, 0, 1), (0.45, 0, 1), (0, 0.95, 1)], 0.03, at=(0, 0, 1.11)),  # door flap
        *[cyl("metal", 0.015, 1.45, at=(0, 0, z)) for z in (-1.12, 1.12)],
        *[tube("secondary", [(0, 1.3, s * 1.1), (0, 0.7, s * 1.6), (0, 0.0, s * 1.95)], 0.006) for s in (-1, 1)],  # guy ropes
    ],
    part_words={"door": "secondary", "flap": "secondary", "poles": "metal"},
)

# ------------------------------------------------------------------------------------------------------ vehicles

_CAR_BODY = [(-2.1, 0.3, 1), (2.1, 0.3, 1), (2.18, 0.55), (2.08, 0.86, 1), (1.05, 0.98, 1), (-1.45, 0.98, 1), (-2.08, 0.92, 1), (-2.16, 0.6)]
_CAR_CABIN = [(1.1, 0.96, 1), (0.45, 1.42, 1), (-0.85, 1.42, 1), (-1.4, 0.96, 1)]
recipe(
    "car",
    ["sedan", "automobile", "vehicle", "truck", "taxi", "racecar", "race car", "jeep", "van", "suv", "coupe", "hatchback",
     "sports car", "cars", "pickup"],
    {"primary": "paint:red", "glass": "window", "detail": "rubber", "metal": "chrome", "accent": "plastic:yellow", "tail": "plastic:red"},
    [
        extrude("primary", _CAR_BODY, 1.75, smooth=True),
        extrude("glass", _CAR_CABIN, 1.55),
        box("primary", (1.25, 0.05, 1.6), at=(-0.2, 1.43, 0)),  # roof
        *[cyl("detail", 0.36, 0.26, at=(x, 0.36, z), rot=(90, 0, 0)) for x in (-1.35, 1.35) for z in (0.72, -0.98)],
        *[cyl("metal", 0.2, 0.02, at=(x, 0.36, z), rot=(90, 0, 0)) for x in (-1.35, 1.35) for z in (0.975, -1.0)],
        *[box("metal", (0.08, 0.12, 1.8), at=(x, 0.36, 0)) for x in (-2.15, 2.15)],
        *[box("accent", (0.06, 0.12, 0.3), at=(2.14, 0.72, z)) for z in (-0.6, 0.6)],
        *[box("tail", (0.06, 0.12, 0.3), at=(-2.13, 0.75, z)) for z in (-0.6, 0.6)],
    ],
    part_words={"windows": "glass", "tyres": "detail", "tires": "detail", "wheels": "detail", "lights": "accent", "paint": "primary"},
)

recipe(
    "boat",
    ["ship", "sailboat", "sailing ship", "yacht", "canoe", "rowboat", "vessel", "galleon", "dinghy", "boats", "sailing boat", "pirate ship"],
    {"primary": "wood", "secondary": "fabric:white", "accent": "dark wood"},
    [
        hemi("primary", 1.0, at=(0, 0.62, 0), rot=(180, 0, 0), scale=(2.2, 0.62, 0.8)),  # hull: an upturned dome, capped as a deck
        box("accent", (4.2, 0.06, 0.06), at=(0, 0.64, 0.0), scale=(1, 1, 1)),
        box("accent", (1.0, 0.4, 0.9), at=(-1.0, 0.82, 0)),
        cyl("accent", 0.05, 3.2, at=(0.3, 0.6, 0)),
        extrude("secondary", [(0, 0, 1), (-1.55, 0, 1), (0, 2.5, 1)], 0.02, at=(0.22, 1.0, 0)),
        extrude("secondary", [(0, 0, 1), (1.45, 0, 1), (0, 2.2, 1)], 0.02, at=(0.38, 1.0, 0)),
        cyl("accent", 0.03, 1.7, at=(0.25, 1.0, 0), rot=(0, 0, 90)),
    ],
    part_words={"sails": "secondary", "sail": "secondary", "hull": "primary", "mast": "accent"},
)

recipe(
    "rocket",
    ["spaceship", "space ship", "spacecraft", "missile", "rocketship", "rocket ship", "space rocket", "shuttle", "rockets"],
    {"primary": "paint:white", "accent": "paint:red", "metal": "steel", "glass": "glass:sky"},
    [
        lathe("primary", [(0, 0, 1), (0.3, 0, 1), (0.33, 0.3), (0.34, 1.2), (0.31, 1.9, 1), (0, 1.9, 1)]),
        lathe("accent", [(0, 1.9, 1), (0.31, 1.9, 1), (0.25, 2.2), (0.13, 2.5), (0, 2.65, 1)]),  # nose
        *[extrude("accent", [(0, 0, 1), (0.38, -0.22, 1), (0.38, 0.08, 1), (0, 0.62, 1)], 0.045,
                  at=(0.27 * sin(radians(a + 90)), 0.1, 0.27 * cos(radians(a + 90))), rot=(0, a, 0)) for a in (0, 90, 180, 270)],
        lathe("metal", [(0, 0, 1), (0.16, 0, 1), (0.24, -0.24, 1), (0.2, -0.24, 1), (0.12, -0.04, 1), (0, -0.04, 1)]),  # nozzle
        torus("metal", 0.1, 0.018, at=(0, 1.35, 0.335), rot=(90, 0, 0)),
        cyl("glass", 0.1, 0.02, at=(0, 1.35, 0.31), rot=(90, 0, 0)),
    ],
    part_words={"fins": "accent", "nose": "accent", "window": "glass", "nozzle": "metal", "body": "primary"},
)

recipe(
    "robot",
    ["android", "droid", "mech", "automaton", "cyborg", "bot", "robots", "golem"],
    {"primary": "steel", "metal": "iron", "accent": "paint:red", "eyes": "gem:cyan", "detail": "rubber"},
    [
        *[rbox("detail", (0.16, 0.08, 0.24), 0.02, at=(x, 0.04, 0.03)) for x in (-0.12, 0.12)],  # feet
        *[cyl("metal", 0.045, 0.45, at=(x, 0.08, 0)) for x in (-0.12, 0.12)],
        *[sphere("metal", 0.055, at=(x, 0.32, 0)) for x in (-0.12, 0.12)],
        rbox("accent", (0.38, 0.12, 0.26), 0.03, at=(0, 0.58, 0)),
        rbox("primary", (0.5, 0.52, 0.32), 0.05, at=(0, 0.88, 0)),  # torso
        box("accent", (0.26, 0.16, 0.02), at=(0, 0.92, 0.165)),
        *[sphere("eyes", 0.018, at=(x, 0.92, 0.178)) for x in (-0.07, 0.0, 0.07)],
        cyl("metal", 0.05, 0.08, at=(0, 1.13, 0)),
        rbox("primary", (0.32, 0.26, 0.28), 0.05, at=(0, 1.33, 0)),  # head
        *[sphere("eyes", 0.042, at=(x, 1.36, 0.135), scale=(1, 1, 0.5)) for x in (-0.075, 0.075)],
        box("detail", (0.14, 0.025, 0.01), at=(0, 1.27, 0.142)),
        *[cyl("accent", 0.04, 0.03, at=(x, 1.34, 0), rot=(0, 0, -90 if x > 0 else 90)) for x in (0.16, -0.16)],
        cyl("metal", 0.008, 0.13, at=(0, 1.46, 0)),
        sphere("accent", 0.025, at=(0, 1.6, 0)),
        *[sphere("metal", 0.07, at=(x, 1.07, 0)) for x in (-0.31, 0.31)],
        *[cyl("metal", 0.04, 0.5, at=(x, 0.55, 0)) for x in (-0.31, 0.31)],
        *[rbox("primary", (0.09, 0.11, 0.11), 0.02, at=(x, 0.5, 0)) for x in (-0.31, 0.31)],
    ],
    part_words={"eyes": "eyes", "arms": "metal", "legs": "metal", "head": "primary", "body": "primary", "armor": "primary", "armour": "primary"},
)

# ----------------------------------------------------------------------------------------------------- misc

recipe(
    "snowman",
    ["snowmen", "snow man", "frosty"],
    {"primary": "snow", "accent": "pumpkin", "detail": "obsidian", "secondary": "fabric:red", "hat": "fabric:black", "wood": "bark"},
    [
        blob("primary", 0.35, at=(0, 0.33, 0), rough=0.05, lumps=4),
        blob("primary", 0.25, at=(0, 0.83, 0), rough=0.05, lumps=4),
        blob("primary", 0.17, at=(0, 1.19, 0), rough=0.04, lumps=4),
        cone("accent", 0.025, 0.14, at=(0, 1.2, 0.16), rot=(90, 0, 0)),  # carrot nose
        *[sphere("detail", 0.018, at=(x, 1.25, 0.15)) for x in (-0.06, 0.06)],
        *[sphere("detail", 0.022, at=(0, y, z)) for y, z in ((0.92, 0.235), (0.8, 0.245), (0.68, 0.23))],
        torus("secondary", 0.17, 0.035, at=(0, 1.04, 0)),  # scarf
        box("secondary", (0.08, 0.22, 0.03), at=(0.09, 0.93, 0.18), rot=(0, 0, -10)),
        cyl("hat", 0.2, 0.02, at=(0, 1.32, 0)),
        cyl("hat", 0.12, 0.2, at=(0, 1.33, 0)),
        *[tube("wood", [(s * 0.22, 0.88, 0), (s * 0.4, 1.0, 0.02), (s * 0.55, 1.12, 0)], (0.015, 0.01, 0.006)) for s in (-1, 1)],
    ],
    part_words={"scarf": "secondary", "hat": "hat", "nose": "accent", "carrot": "accent"},
)

recipe(
    "clock",
    ["alarm clock", "wall clock", "timepiece", "clocks", "mantel clock"],
    {"primary": "paint:red", "secondary": "paint:white", "detail": "obsidian", "metal": "brass"},
    [
        cyl("primary", 0.1, 0.06, at=(0, 0.12, -0.03), rot=(90, 0, 0)),
        torus("primary", 0.1, 0.008, at=(0, 0.12, 0.03), rot=(90, 0, 0)),
        cyl("secondary", 0.092, 0.006, at=(0, 0.12, 0.029), rot=(90, 0, 0)),  # face
        *[box("detail", (0.006, 0.016, 0.004), at=(0.075 * sin(radians(a)), 0.12 + 0.075 * cos(radians(a)), 0.036), rot=(0, 0, -a))
          for a in range(0, 360, 30)],
        box("detail", (0.006, 0.05, 0.003), at=(0.012, 0.14, 0.038), rot=(0, 0, -30)),
        box("detail", (0.004, 0.07, 0.003), at=(-0.025, 0.11, 0.04), rot=(0, 0, -120)),
        sphere("metal", 0.008, at=(0, 0.12, 0.04)),
        *[hemi("metal", 0.04, at=(x, 0.21, 0), rot=(0, 0, -s * 35)) for x, s in ((-0.06, -1), (0.06, 1))],  # bells
        *[cyl("metal", 0.008, 0.03, at=(x, 0.005, 0), rot=(0, 0, -s * 20)) for x, s in ((-0.06, -1), (0.06, 1))],
    ],
    part_words={"face": "secondary", "dial": "secondary", "hands": "detail", "bells": "metal"},
)

recipe(
    "book",
    ["tome", "novel", "spellbook", "spell book", "grimoire", "notebook", "journal", "books", "diary", "bible"],
    {"primary": "leather:maroon", "secondary": "paper", "metal": "gold"},
    [
        box("primary", (0.17, 0.005, 0.24), at=(0, 0.0025, 0)),
        box("primary", (0.17, 0.005, 0.24), at=(0, 0.0375, 0)),
        cyl("primary", 0.02, 0.24, at=(-0.085, 0.02, -0.12), rot=(90, 0, 0), scale=(0.6, 1, 1)),  # spine
        box("secondary", (0.16, 0.03, 0.23), at=(0.003, 0.02, 0)),
        *[box("metal", (0.025, 0.006, 0.025), at=(x, 0.0385, z)) for x in (-0.07, 0.07) for z in (-0.105, 0.105)],
        box("metal", (0.06, 0.002, 0.08), at=(0.01, 0.0405, 0)),
    ],
    part_words={"cover": "primary", "pages": "secondary", "corners": "metal"},
)

recipe(
    "anvil",
    ["anvils", "forge anvil", "blacksmith anvil"],
    {"primary": "iron", "secondary": "wood"},
    [
        cyl("secondary", 0.22, 0.35, r_top=0.2),  # stump
        box("primary", (0.36, 0.06, 0.2), at=(0, 0.38, 0)),
        box("primary", (0.18, 0.12, 0.11), at=(0, 0.47, 0)),
        box("primary", (0.42, 0.1, 0.16), at=(-0.03, 0.58, 0)),
        lathe("primary", [(0, 0, 1), (0.075, 0, 1), (0.05, 0.1), (0, 0.24, 1)], at=(0.18, 0.595, 0), rot=(0, 0, -90), scale=(1, 1, 0.9)),  # horn
    ],
    part_words={"stump": "secondary", "base": "secondary"},
)

recipe(
    "drum",
    ["drums", "snare", "snare drum", "bass drum", "war drum"],
    {"primary": "paint:red", "secondary": "fabric:white", "metal": "brass"},
    [
        cyl("primary", 0.2, 0.25, at=(0, 0.01, 0)),
        *[cyl("secondary", 0.201, 0.004, at=(0, y, 0)) for y in (0.008, 0.259)],
        *[ring("metal", 0.199, 0.212, 0.025, at=(0, y, 0)) for y in (0.0, 0.24)],
        *[tube("metal", [(0.205 * sin(radians(a)), 0.025, 0.205 * cos(radians(a))), (0.205 * sin(radians(a + 20)), 0.24, 0.205 * cos(radians(a + 20)))], 0.003)
          for a in range(0, 360, 40)],
        *[cyl("secondary", 0.008, 0.35, at=(x, 0.3, 0.05), rot=(0, 0, s * 65)) for x, s in ((-0.05, 1), (0.05, -1))],  # sticks
    ],
    part_words={"shell": "primary", "skin": "secondary", "rims": "metal"},
)

_GUITAR = mirror_x([(0, 0.0), (0.13, 0.03), (0.19, 0.17), (0.16, 0.31), (0.11, 0.38), (0.135, 0.47), (0.14, 0.56), (0.09, 0.64), (0, 0.66)])
recipe(
    "guitar",
    ["acoustic guitar", "electric guitar", "ukulele", "lute", "guitars", "banjo"],
    {"primary": "wood", "secondary": "dark wood", "detail": "obsidian", "metal": "steel"},
    [
        extrude("primary", _GUITAR, 0.1, smooth=True),
        box("secondary", (0.055, 0.52, 0.03), at=(0, 0.9, 0.02)),  # neck
        box("secondary", (0.085, 0.17, 0.025), at=(0, 1.24, 0.015), rot=(-8, 0, 0)),
        cyl("detail", 0.048, 0.006, at=(0, 0.43, 0.05), rot=(90, 0, 0)),  # sound hole
        box("detail", (0.12, 0.02, 0.012), at=(0, 0.16, 0.055)),
        *[box("metal", (0.0025, 1.02, 0.003), at=(x, 0.68, 0.057)) for x in (-0.02, -0.012, -0.004, 0.004, 0.012, 0.02)],
        *[cyl("metal", 0.006, 0.02, at=(s * 0.042, y, 0.02), rot=(0, 0, s * -90)) for s in (-1, 1) for y in (1.19, 1.24, 1.29)],
    ],
    part_words={"neck": "secondary", "strings": "metal", "body": "primary"},
)

# Fallback for unknown nouns: a "statue" on a plinth, so the client still gets a solid, printable object.
GENERIC = Recipe(
    "generic",
    (
        box("secondary", (0.42, 0.08, 0.42), at=(0, 0.04, 0)),
        rbox("secondary", (0.36, 0.04, 0.36), 0.01, at=(0, 0.1, 0)),
        lathe("primary", [(0, 0.12, 1), (0.12, 0.12, 1), (0.1, 0.18), (0.07, 0.3), (0.1, 0.42), (0.11, 0.5), (0.07, 0.6), (0, 0.64, 1)]),
    ),
    {"primary": "clay", "secondary": "stone"},
    (),
    {"base": "secondary", "pedestal": "secondary", "plinth": "secondary"},
)
# fmt: on


def vocabulary() -> dict[str, str]:
    """Every name and synonym (lower case, spaces between words) -> recipe name."""
    words: dict[str, str] = {}
    for r in RECIPES.values():
        for w in (r.name, *r.synonyms):
            words.setdefault(w.lower(), r.name)
    return words
