"""Buildings and structures: walls, roofs, doors and windows in proportions that say what a building is for. Sizes
are real (a cottage is a few metres); the knobs vary footprints, storeys, window counts, roofs and chimneys."""

# ruff: noqa: E501
# fmt: off

from __future__ import annotations

from math import atan, cos, degrees, radians, sin

from app.engines.local.parts import Part, box, cone, cyl, extrude, hemi, lathe, rbox, ring, sphere, torus, tube
from app.engines.local.recipes.model import Knobs, family, kind
from app.engines.local.recipes.shapes import around, gable, hip, rod, window

_WALL_WORDS = {"roof": "secondary", "roofed": "secondary", "door": "accent", "walls": "primary", "wall": "primary", "chimney": "brick", "windows": "glass", "shutters": "accent"}


def _front(k: Knobs, w: float, d: float, storeys: int, storey: float, door: bool = True, sides: bool = True) -> list[Part]:
    """Door and windows on the front (+z) wall of a w × d block, and windows on its sides."""
    parts: list[Part] = []
    per_row = max(2, int(w / 1.6))
    ww, wh = k.u(0.7, 1.0), k.u(0.8, 1.1)
    for s in range(storeys):
        y = s * storey + storey * 0.55
        for i in range(per_row):
            x = -w / 2 + w * (i + 0.5) / per_row
            if door and s == 0 and i == per_row // 2:
                continue
            parts += window("accent", "glass", ww, wh, (x, y, d / 2 + 0.02))
        if sides:
            for side in (-1, 1):
                parts += window("accent", "glass", ww, wh, (side * (w / 2 + 0.02), y, 0), facing=side * 90)
    if door:
        x = -w / 2 + w * (per_row // 2 + 0.5) / per_row
        parts += [box("accent", (1.0, 2.0, 0.12), at=(x, 1.0, d / 2)), box("accent", (1.25, 0.1, 0.2), at=(x, 2.05, d / 2 + 0.02))]
    return parts


@family("house", "houses, cottage, cottages, hut, cabin, home, building, shack, villa, farmhouse, bungalow, log cabin, dollhouse, doll house, townhouse, mansion, chalet",
        {"primary": "plaster", "secondary": "roof tiles", "accent": "dark wood", "glass": "window", "brick": "brick"},
        kinds=[kind("cottage", words_="cottage, tiny, small, little, cosy, cozy, country"),
               kind("cabin", nouns="log cabin, cabin, chalet", words_="log, wooden, timber, forest, mountain", slots={"primary": "wood", "secondary": "dark wood"}),
               kind("mansion", nouns="mansion, villa, manor, townhouse", words_="big, large, two storey, two story, victorian, grand", slots={"primary": "brick", "secondary": "slate"})],
        part_words=_WALL_WORDS, built=True)
def house(k: Knobs, kind: str) -> list[Part]:
    storeys = 2 if kind == "mansion" else (1 if kind == "cabin" else k.pick([1, 1, 2]))
    storey = 2.8
    w, d = (k.u(8, 11), k.u(6, 8)) if kind == "mansion" else (k.u(5, 7), k.u(4, 5.5))
    h = storeys * storey
    rise = d * k.u(0.35, 0.55)
    parts = [box("primary", (w, h, d), at=(0, h / 2, 0))]
    if kind == "cabin":  # logs along the side walls, their ends crossing at the corners
        logs = [0.2 + 0.3 * i for i in range(int(h / 0.3))]
        parts += [cyl("primary", 0.14, w + 0.4, at=(-w / 2 - 0.2, y, s * d / 2), rot=(0, 0, -90)) for y in logs for s in (-1, 1)]
    parts.append(gable("secondary", w, d, rise, h, overhang=k.u(0.25, 0.45)) if kind != "mansion" or k.chance(0.5) else hip("secondary", w, d, rise, h, 0.35))
    parts += _front(k, w, d, storeys, storey)
    if k.feature(0.85, "chimney"):
        cx, cz = k.u(-w * 0.3, w * 0.3), k.u(-d * 0.25, -0.3)
        parts += [box("brick", (0.6, rise + 1.2, 0.6), at=(cx, h + (rise + 1.2) / 2, cz)), box("brick", (0.72, 0.12, 0.72), at=(cx, h + rise + 1.2, cz))]
    if kind == "mansion":
        parts += [box("primary", (w + 0.2, 0.25, d + 0.2), at=(0, storey, 0)), box("accent", (2.4, 0.2, 1.6), at=(0, storey - 0.2, d / 2 + 0.8)),
                  *[cyl("primary", 0.12, storey - 0.3, at=(x, 0, d / 2 + 1.4)) for x in (-1.0, 1.0)]]
    return parts


@family("tower", "towers, turret, watchtower, watch tower, keep, spire, wizard tower, bell tower, clock tower, stone tower, water tower",
        {"primary": "stone", "secondary": "slate", "accent": "dark wood", "glass": "window"}, part_words=_WALL_WORDS, built=True)
def tower(k: Knobs, kind: str) -> list[Part]:
    r, h = k.u(1.3, 1.8), k.u(7.0, 10.0)
    crenellated = k.chance(0.45)
    parts = [cyl("primary", r, h, r_top=r * k.u(0.85, 0.95)), ring("primary", r * 0.97, r * 1.12, 0.35)]
    top = r * 0.9
    if crenellated:
        parts.append(cyl("primary", top * 1.18, 0.7, at=(0, h - 0.2, 0)))
        parts += [box("primary", (0.5, 0.6, 0.35), at=(x, h + 0.75, z), rot=(0, a, 0)) for x, _, z, a in around(k.i(8, 12), top * 1.1, 0)]
    else:
        parts += [cyl("primary", top * 1.1, 0.6, at=(0, h - 0.3, 0)), cone("secondary", top * 1.35, top * k.u(2.0, 3.0), at=(0, h + 0.3, 0)),
                  cyl("secondary", 0.04, 0.8, at=(0, h + 0.3 + top * 3.0, 0))]
    parts += [box("accent", (1.0, 2.0, 0.3), at=(0, 1.0, r * 0.97))]
    for _i in range(k.i(3, 6)):
        a, y = k.u(0, 360), k.u(2.5, h - 1.2)
        parts += window("accent", "glass", 0.45, 0.8, (r * 0.93 * sin(radians(a)), y, r * 0.93 * cos(radians(a))), facing=a, bars=False)
    return parts


@family("castle", "castles, fortress, citadel, palace, fort, stronghold, chateau, medieval castle, sand castle, sandcastle",
        {"primary": "stone", "secondary": "roof tiles", "accent": "dark wood", "banner": "fabric:red"},
        part_words={"roof": "secondary", "roofs": "secondary", "gate": "accent", "walls": "primary", "flag": "banner"}, built=True)
def castle(k: Knobs, kind: str) -> list[Part]:
    s = k.u(8.5, 12.0)
    wall_h = k.u(3.5, 4.5)
    tower_r, tower_h = k.u(1.1, 1.5), wall_h + k.u(1.5, 3.0)
    roofs = k.chance(0.7)
    parts = [*[box("primary", (s, wall_h, 0.8), at=(0, wall_h / 2, z)) for z in (-s / 2, s / 2)], *[box("primary", (0.8, wall_h, s), at=(x, wall_h / 2, 0)) for x in (-s / 2, s / 2)]]
    n = int((s - 1.5) / 0.9)
    for t in range(n):
        off = -s / 2 + 0.75 + (t + 0.5) * (s - 1.5) / n
        parts += [box("primary", (0.45, 0.5, 0.8), at=(off, wall_h + 0.25, z)) for z in (-s / 2, s / 2)]
        parts += [box("primary", (0.8, 0.5, 0.45), at=(x, wall_h + 0.25, off)) for x in (-s / 2, s / 2)]
    for x in (-s / 2, s / 2):
        for z in (-s / 2, s / 2):
            parts.append(cyl("primary", tower_r, tower_h, at=(x, 0, z)))
            parts.append(cone("secondary", tower_r * 1.25, tower_r * 2.2, at=(x, tower_h, z)) if roofs else cyl("primary", tower_r * 1.12, 0.6, at=(x, tower_h - 0.3, z)))
    keep_w, keep_h = s * k.u(0.4, 0.5), wall_h * k.u(1.8, 2.4)
    parts += [box("primary", (keep_w, keep_h, keep_w), at=(0, keep_h / 2, -0.5)),
              gable("secondary", keep_w, keep_w, keep_w * 0.5, keep_h, 0.2, z=-0.5),
              box("accent", (2.0, 2.8, 0.3), at=(0, 1.4, s / 2 + 0.3)),
              cyl("accent", 0.05, 2.0, at=(0, keep_h + keep_w * 0.5 - 0.1, -0.5)),
              box("banner", (0.9, 0.55, 0.03), at=(0.47, keep_h + keep_w * 0.5 + 1.5, -0.5))]
    return parts


@family("fence", "fences, picket fence, railing, railings, fencing, palisade, gate, garden gate, wooden fence", {"primary": "paint:white"},
        kinds=[kind("picket", words_="picket, white, garden"), kind("rail", nouns="split rail fence, ranch fence, farm fence, rail fence", words_="rail, ranch, farm, split"),
               kind("iron", nouns="iron fence, iron railing, railings, railing", words_="iron, metal, wrought", slots={"primary": "iron:black"})],
        part_words={"posts": "primary", "pickets": "primary"})
def fence(k: Knobs, kind: str) -> list[Part]:
    length, posts = k.u(2.5, 3.5), k.i(3, 5)
    h = k.u(0.9, 1.2)
    xs = [-length / 2 + length * i / (posts - 1) for i in range(posts)]
    if kind == "rail":
        return [*[box("primary", (0.12, h, 0.12), at=(x, h / 2, 0)) for x in xs], *[box("primary", (length + 0.2, 0.08, 0.06), at=(0, h * f, 0.07)) for f in (0.35, 0.65, 0.9)]]
    if kind == "iron":
        parts = [box("primary", (length, 0.04, 0.04), at=(0, h * f, 0)) for f in (0.15, 0.85)]
        bars = int(length / 0.12)
        parts += [rod("primary", (-length / 2 + length * i / bars, 0, 0), (-length / 2 + length * i / bars, h, 0), 0.01) for i in range(bars + 1)]
        parts += [cone("primary", 0.022, 0.08, at=(-length / 2 + length * i / bars, h, 0)) for i in range(bars + 1)]
        return parts + [box("primary", (0.08, h + 0.1, 0.08), at=(x, (h + 0.1) / 2, 0)) for x in (xs[0], xs[-1])]
    parts = [*[box("primary", (0.1, h, 0.1), at=(x, h / 2, 0)) for x in xs], *[box("primary", (length + 0.1, 0.08, 0.04), at=(0, h * f, 0.07)) for f in (0.3, 0.75)]]
    n = int(length / k.u(0.13, 0.16))
    parts += [extrude("primary", [(-0.045, 0), (0.045, 0), (0.045, h * 0.82), (0, h * 0.9), (-0.045, h * 0.82)], 0.02, at=(-length / 2 + 0.07 + (length - 0.14) * i / (n - 1), 0.05, 0.1)) for i in range(n)]
    return parts


@family("well", "wells, wishing well, water well, stone well", {"primary": "stone", "secondary": "wood", "accent": "roof tiles", "water": "water", "metal": "iron"},
        part_words={"roof": "accent", "water": "water", "walls": "primary", "bucket": "secondary"}, built=True)
def well(k: Knobs, kind: str) -> list[Part]:
    r, h = k.u(0.7, 0.9), k.u(0.7, 0.9)
    top = h + k.u(1.3, 1.7)
    return [
        lathe("primary", [(r - 0.25, 0, 1), (r, 0, 1), (r, h, 1), (r - 0.25, h, 1)], closed=True),
        ring("primary", r - 0.28, r + 0.04, 0.08, at=(0, h, 0)),
        cyl("water", r - 0.24, h - 0.3),
        *[box("secondary", (0.1, top - h + 0.1, 0.1), at=(x, (top + h) / 2, 0)) for x in (-r + 0.1, r - 0.1)],
        extrude("accent", [(-r - 0.1, 0), (r + 0.1, 0), (0, r * k.u(0.6, 0.8))], r * 2.2, at=(0, top, 0), rot=(0, 90, 0)),
        cyl("secondary", 0.05, 2 * r - 0.2, at=(-r + 0.1, top - 0.3, 0), rot=(0, 0, -90)),
        lathe("secondary", [(0, 0, 1), (0.1, 0, 1), (0.13, 0.18, 1), (0, 0.18, 1)], at=(0, top - 0.9, 0)),
        rod("metal", (0, top - 0.72, 0), (0, top - 0.32, 0), 0.008),
    ]


@family("tent", "tents, camping tent, pavilion, teepee, tipi, wigwam, dome tent, circus tent, marquee", {"primary": "fabric:orange", "secondary": "fabric:grey", "metal": "steel", "wood": "wood"},
        kinds=[kind("ridge", words_="camping, ridge, scout, pup"), kind("dome", nouns="dome tent", words_="dome, modern, hiking"),
               kind("teepee", nouns="teepee, tipi, wigwam", words_="native, indian", slots={"primary": "fabric:beige", "secondary": "fabric:brown"}),
               kind("circus", nouns="circus tent, big top, marquee, pavilion", words_="circus, carnival, fair, festival", slots={"primary": "fabric:red", "secondary": "fabric:white"})],
        part_words={"door": "secondary", "flap": "secondary", "poles": "metal"})
def tent(k: Knobs, kind: str) -> list[Part]:
    if kind == "teepee":
        r, h = k.u(1.2, 1.6), k.u(2.6, 3.2)
        return [cone("primary", r, h), *[rod("wood", (r * 0.2 * sin(radians(a)), h * 0.8, r * 0.2 * cos(radians(a))), (0, h + 0.5, 0), 0.025) for a in range(0, 360, 60)],
                extrude("secondary", [(-0.35, 0), (0.35, 0), (0, 1.0)], 0.02, at=(0, 0, r * 0.6), rot=(-25, 0, 0))]
    if kind == "dome":
        r = k.u(1.1, 1.4)
        return [hemi("primary", r, scale=(1, k.u(0.7, 0.85), 1.1)), hemi("secondary", 0.5, at=(0, 0, r * 1.0), scale=(1, 1.5, 0.4))]
    if kind == "circus":
        r, h = k.u(2.5, 3.5), k.u(2.0, 2.6)
        stripes = k.i(8, 14)
        parts = [cyl("secondary", r, h), cone("primary", r * 1.08, r * 0.8, at=(0, h, 0)), cyl("metal", 0.06, 1.2, at=(0, h + r * 0.7, 0)), box("primary", (0.6, 0.4, 0.02), at=(0.3, h + r * 0.7 + 1.0, 0))]
        parts += [box("primary", (2 * 3.1416 * r / stripes / 2, h, 0.04), at=(r * sin(radians(a)), h / 2, r * cos(radians(a))), rot=(0, a, 0)) for a in [360 * i / stripes for i in range(stripes)]]
        return parts
    w, length, h = k.u(1.6, 2.2), k.u(2.0, 2.6), k.u(1.1, 1.5)
    return [
        extrude("primary", [(-w / 2, 0, 1), (w / 2, 0, 1), (0, h, 1)], length),
        extrude("secondary", [(-w * 0.22, 0, 1), (w * 0.22, 0, 1), (0, h * 0.72, 1)], 0.03, at=(0, 0, length / 2 + 0.01)),
        *[cyl("metal", 0.015, h + 0.15, at=(0, 0, z)) for z in (-length / 2 - 0.02, length / 2 + 0.02)],
        *[tube("secondary", [(0, h, s * length / 2), (0, h * 0.55, s * (length / 2 + 0.5)), (0, 0.0, s * (length / 2 + 0.85))], 0.006) for s in (-1, 1)],
    ]


@family("barn", "barns, stable, stables, farm barn, red barn, shed, sheds, garden shed, toolshed, tool shed, outhouse", {"primary": "paint:red", "secondary": "slate", "accent": "paint:white", "glass": "window"},
        kinds=[kind("barn"), kind("shed", nouns="shed, sheds, garden shed, toolshed, tool shed, outhouse", words_="garden, tool, small", slots={"primary": "wood", "secondary": "roof tiles", "accent": "dark wood"})],
        part_words=_WALL_WORDS | {"trim": "accent", "doors": "accent"}, built=True)
def barn(k: Knobs, kind: str) -> list[Part]:
    if kind == "shed":
        w, d, h = k.u(2.2, 3.0), k.u(1.8, 2.4), k.u(2.0, 2.4)
        return [box("primary", (w, h, d), at=(0, h / 2, 0)), gable("secondary", w, d, d * 0.35, h, 0.15), box("accent", (0.9, 1.9, 0.08), at=(-w * 0.15, 0.95, d / 2)),
                *window("accent", "glass", 0.6, 0.5, (w * 0.28, h * 0.6, d / 2 + 0.02))]
    w, d, h = k.u(8, 11), k.u(10, 14), k.u(3.5, 4.5)
    gambrel = k.chance(0.7)
    half = w / 2 + 0.3
    roof = [(-half, 0, 1), (half, 0, 1), (half * 0.6, h * 0.5, 1), (0, h * 0.7, 1), (-half * 0.6, h * 0.5, 1)] if gambrel else [(-half, 0, 1), (half, 0, 1), (0, h * 0.75, 1)]
    parts = [
        box("primary", (w, h, d), at=(0, h / 2, 0)),
        extrude("secondary", roof, d + 0.6, at=(0, h, 0)),
        extrude("primary", [(x * 0.95, y * 0.95) for x, y, *_ in roof], d, at=(0, h, 0)),
        box("primary", (w * 0.4, h * 0.7, 0.1), at=(0, h * 0.35, d / 2 + 0.05)),
        *[box("accent", (0.15, h * 0.7, 0.16), at=(x, h * 0.35, d / 2 + 0.05)) for x in (-w * 0.2, 0, w * 0.2)],
        *[box("accent", (w * 0.42, 0.15, 0.16), at=(0, y, d / 2 + 0.05)) for y in (0.08, h * 0.7)],
        *[box("accent", (w * 0.45, 0.12, 0.14), at=(0, h * 0.35, d / 2 + 0.07), rot=(0, 0, s * 56)) for s in (-1, 1)],
        *window("accent", "glass", 1.2, 1.2, (0, h + h * 0.3, d / 2 + 0.05)),
    ]
    if k.chance(0.5):
        parts += [cyl("secondary", 2.0, h * 2.2, at=(w / 2 + 2.3, 0, -d * 0.2)), hemi("secondary", 2.0, at=(w / 2 + 2.3, h * 2.2, -d * 0.2))]
    return parts


@family("church", "churches, chapel, cathedral, abbey, temple church, kirk, parish church, monastery", {"primary": "stone", "secondary": "slate", "accent": "dark wood", "glass": "glass:blue", "metal": "gold"},
        part_words=_WALL_WORDS | {"steeple": "secondary", "spire": "secondary", "cross": "metal"}, built=True)
def church(k: Knobs, kind: str) -> list[Part]:
    w, d, h = k.u(6, 8), k.u(10, 14), k.u(5, 7)
    tw, th = w * k.u(0.4, 0.5), h * k.u(1.6, 2.2)
    parts = [
        box("primary", (w, h, d), at=(0, h / 2, 0)),
        extrude("secondary", [(-w / 2 - 0.3, 0), (w / 2 + 0.3, 0), (0, w * 0.6)], d + 0.4, at=(0, h, 0)),
        box("primary", (tw, th, tw), at=(0, th / 2, d / 2 + tw / 2 - 0.2)),
        lathe("secondary", [(0, 0, 1), (tw * 0.75, 0, 1), (0, tw * k.u(2.0, 3.0), 1)], at=(0, th, d / 2 + tw / 2 - 0.2), segments=4, rot=(0, 45, 0)),
        box("accent", (1.4, 2.6, 0.2), at=(0, 1.3, d / 2 + tw - 0.2)),
        *window("accent", "glass", 0.9, 1.4, (0, th * 0.7, d / 2 + tw - 0.18), bars=False),
    ]
    spire_top = th + tw * 3.0
    parts += [box("metal", (0.12, 1.0, 0.12), at=(0, spire_top - 0.2, d / 2 + tw / 2 - 0.2)), box("metal", (0.6, 0.12, 0.12), at=(0, spire_top - 0.05, d / 2 + tw / 2 - 0.2))]
    for i in range(k.i(3, 5)):
        z = -d / 2 + d * (i + 0.5) / 5
        parts += [*[box("glass", (0.05, 2.2, 0.9), at=(s * (w / 2 + 0.01), h * 0.55, z)) for s in (-1, 1)],
                  *[extrude("glass", [(-0.45, 0), (0.45, 0), (0, 0.6)], 0.05, at=(s * (w / 2 + 0.01), h * 0.55 + 1.1, z), rot=(0, 90, 0)) for s in (-1, 1)]]
    return parts


@family("windmill", "windmills, wind mill, dutch windmill, mill, wind turbine", {"primary": "wood", "secondary": "roof tiles", "sails": "fabric:white", "accent": "dark wood", "glass": "window"},
        kinds=[kind("dutch", words_="dutch, old, traditional"), kind("turbine", nouns="wind turbine, wind turbines, turbine", words_="modern, turbine, electric", slots={"primary": "paint:white", "sails": "paint:white"})],
        part_words={"sails": "sails", "blades": "sails", "roof": "secondary", "cap": "secondary"}, built=True)
def windmill(k: Knobs, kind: str) -> list[Part]:
    if kind == "turbine":
        h, blade = k.u(18, 25), k.u(8, 11)
        hub = (0, h, 1.2)
        parts = [cyl("primary", 0.9, h, r_top=0.5), rbox("primary", (1.2, 1.2, 3.0), 0.4, at=(0, h, 0)), sphere("primary", 0.6, at=hub)]
        spin = k.u(0, 120)
        parts += [extrude("sails", [(0, -0.35, 1), (blade, -0.1, 1), (blade, 0.05, 1), (0, 0.45, 1)], 0.12, at=hub, rot=(0, 0, spin + 120 * i), smooth=False) for i in range(3)]
        return parts
    r, h = k.u(2.0, 2.6), k.u(7, 10)
    sail = k.u(5.0, 6.5)
    spin = k.u(0, 90)
    hub = (0, h + 0.8, r * 0.9)
    parts = [
        lathe("primary", [(0, 0, 1), (r, 0, 1), (r * 0.65, h, 1), (0, h, 1)], segments=8, rot=(0, 22.5, 0)),
        cone("secondary", r * 0.85, r * 1.1, at=(0, h, 0)),
        box("accent", (0.9, 1.9, 0.2), at=(0, 0.95, r * 0.93)),
        *window("accent", "glass", 0.6, 0.8, (0, h * 0.55, r * 0.82 + 0.05), bars=False),
        cyl("accent", 0.25, r * 0.5, at=(0, h + 0.8, r * 0.45), rot=(90, 0, 0)),
    ]
    for i in range(4):
        a = spin + 90 * i
        c, s = cos(radians(a)), sin(radians(a))
        parts.append(box("accent", (sail, 0.18, 0.12), at=(hub[0] + c * sail / 2, hub[1] + s * sail / 2, hub[2]), rot=(0, 0, a)))
        parts.append(box("sails", (sail * 0.78, 1.0, 0.05), at=(hub[0] + c * sail * 0.58 - s * 0.6, hub[1] + s * sail * 0.58 + c * 0.6, hub[2]), rot=(0, 0, a)))
    return parts


@family("lighthouse", "lighthouses, light house, beacon tower, lighthouse tower", {"primary": "paint:white", "secondary": "paint:red", "glass": "light", "metal": "iron:black", "rock": "stone"},
        part_words={"stripes": "secondary", "lamp": "glass", "light": "glass", "railing": "metal", "base": "rock"}, built=True)
def lighthouse(k: Knobs, kind: str) -> list[Part]:
    r, h = k.u(1.6, 2.1), k.u(10, 14)
    top = r * 0.6
    stripes = k.i(2, 4)
    parts = [cyl("primary", r, h, r_top=top)]
    for i in range(stripes):
        y0, y1 = h * (i * 2 + 1) / (stripes * 2 + 1), h * (i * 2 + 2) / (stripes * 2 + 1)
        r0, r1 = r + (top - r) * y0 / h, r + (top - r) * y1 / h
        parts.append(lathe("secondary", [(r0 - 0.02, y0, 1), (r0 + 0.03, y0, 1), (r1 + 0.03, y1, 1), (r1 - 0.02, y1, 1)], closed=True))
    parts += [
        cyl("metal", top * 1.35, 0.2, at=(0, h, 0)),
        cyl("glass", top * 0.8, 1.4, at=(0, h + 0.2, 0)),
        *[rod("metal", (top * 0.82 * sin(radians(a)), h + 0.2, top * 0.82 * cos(radians(a))), (top * 0.82 * sin(radians(a)), h + 1.6, top * 0.82 * cos(radians(a))), 0.04) for a in range(0, 360, 45)],
        cone("secondary", top * 1.05, 1.0, at=(0, h + 1.6, 0)),
        sphere("metal", 0.15, at=(0, h + 2.65, 0)),
        torus("metal", top * 1.3, 0.03, at=(0, h + 0.7, 0)),
        box("secondary", (0.9, 1.9, 0.3), at=(0, 0.95, r * 0.97)),
    ]
    if k.chance(0.6):
        parts.append(cyl("rock", r * 1.6, 0.8, at=(0, -0.6, 0), r_top=r * 1.3))
    return parts


@family("skyscraper", "skyscrapers, office building, office tower, tower block, high rise, high-rise, apartment building, apartment block, block of flats, city building",
        {"primary": "concrete", "glass": "glass:sky", "secondary": "steel", "accent": "paint:red"},
        part_words={"windows": "glass", "glass": "glass", "frame": "secondary"}, built=True)
def skyscraper(k: Knobs, kind: str) -> list[Part]:
    w, d = k.u(8, 12), k.u(8, 12)
    floors = k.i(10, 30)
    fh = 3.2
    h = floors * fh
    setbacks = k.i(0, 2)
    parts = []
    y0, ww, dd = 0.0, w, d
    sections = setbacks + 1
    for s in range(sections):
        sh = h * (0.6 if s == 0 and sections > 1 else 0.4 / max(1, sections - 1)) if sections > 1 else h
        parts.append(box("glass", (ww, sh, dd), at=(0, y0 + sh / 2, 0)))
        bands = int(sh / fh)
        parts += [box("primary", (ww + 0.1, 0.35, dd + 0.1), at=(0, y0 + fh * (i + 1) - 0.2, 0)) for i in range(bands)]
        cols = max(2, int(ww / 3))
        parts += [box("secondary", (0.3, sh, 0.3), at=(x * (ww / 2), y0 + sh / 2, z * (dd / 2))) for x in (-1, 1) for z in (-1, 1)]
        parts += [box("primary", (0.25, sh, 0.12), at=(-ww / 2 + ww * (c + 0.5) / cols, y0 + sh / 2, dd / 2 + 0.05)) for c in range(cols)]
        y0 += sh
        ww, dd = ww * 0.72, dd * 0.72
    parts.append(box("primary", (ww * 0.8, 1.5, dd * 0.8), at=(0, y0 + 0.75, 0)))
    if k.chance(0.6):
        parts += [cyl("secondary", 0.15, k.u(6, 12), at=(0, y0 + 1.5, 0)), sphere("accent", 0.3, at=(0, y0 + 1.5 + 12, 0))]
    return parts


@family("shop", "shops, store, stores, storefront, shop front, bakery, cafe, café, coffee shop, bookshop, bookstore, grocery store, market stall, boutique, pharmacy, toy shop, toy store",
        {"primary": "brick", "secondary": "fabric:red", "accent": "paint:green", "glass": "glass:sky", "sign": "paint:white", "roof": "slate"},
        part_words={"awning": "secondary", "sign": "sign", "windows": "glass", "door": "accent", "roof": "roof"}, built=True)
def shop(k: Knobs, kind: str) -> list[Part]:
    w, d, h = k.u(5, 7), k.u(5, 6), k.u(5.5, 7)
    stripes = k.i(5, 9)
    parts = [
        box("primary", (w, h, d), at=(0, h / 2, 0)),
        box("roof", (w + 0.3, 0.4, d + 0.3), at=(0, h + 0.2, 0)),
        box("glass", (w * 0.38, 2.0, 0.1), at=(-w * 0.27, 1.6, d / 2)),
        box("glass", (w * 0.22, 2.0, 0.1), at=(w * 0.3, 1.6, d / 2)),
        box("accent", (1.1, 2.4, 0.12), at=(w * 0.05, 1.2, d / 2 + 0.01)),
        box("accent", (w, 0.3, 0.16), at=(0, 0.15, d / 2 + 0.02)),
        box("sign", (w * 0.7, 0.7, 0.1), at=(0, 3.3, d / 2 + 0.05)),
        *[box("accent", (w * 0.5 / 6, 0.4, 0.02), at=(-w * 0.25 + w * 0.5 * (i + 0.5) / 6, 3.3, d / 2 + 0.11)) for i in range(0, 6, 2)],
        *window("accent", "glass", 1.0, 1.3, (-w * 0.25, h - 1.4, d / 2 + 0.02)), *window("accent", "glass", 1.0, 1.3, (w * 0.25, h - 1.4, d / 2 + 0.02)),
    ]
    aw = w / stripes
    parts += [extrude("secondary" if i % 2 == 0 else "sign", [(0, 0), (1.3, -0.7), (1.3, -0.95), (0, -0.1)], aw, at=(-w / 2 + aw * (i + 0.5), 2.95, d / 2), rot=(0, -90, 0)) for i in range(stripes)]
    return parts


@family("bridge", "bridges, footbridge, foot bridge, stone bridge, wooden bridge, arch bridge, rope bridge, drawbridge", {"primary": "wood", "secondary": "wood", "stone": "stone"},
        kinds=[kind("wooden", words_="wooden, wood, plank, footbridge, garden, japanese, rope"),
               kind("stone", nouns="stone bridge, arch bridge, viaduct, aqueduct", words_="stone, arch, arched, roman, brick", slots={"primary": "stone", "secondary": "stone"})],
        part_words={"railings": "secondary", "planks": "primary", "deck": "primary"}, built=True)
def bridge(k: Knobs, kind: str) -> list[Part]:
    span, w = k.u(6, 9), k.u(2.0, 2.8)
    rise = span * k.u(0.1, 0.2)

    def y_at(t: float) -> float:
        return rise * (1 - (2 * t - 1) ** 2)

    if kind == "stone":  # one arched slab: the deck's curve on top, the arch cut out underneath
        end, deck = span / 2 + 1.0, 1.0
        a, ha = span * 0.38, 0.8 * deck + 0.6 * rise
        arch_ = [(a * cos(radians(t)), ha * sin(radians(t))) for t in range(0, 181, 15)]
        top = [(end - 2 * end * i / 10, deck + y_at(0.5 + (end - 2 * end * i / 10) / (2 * span))) for i in range(11)]
        outline = [(-end, 0, 1), (-a, 0, 1), *arch_[::-1][1:-1], (a, 0, 1), (end, 0, 1), *top]
        parapet = [(x, y + 0.45) for x, y in top[::-1]] + [(x, y) for x, y in top]
        return [extrude("primary", outline, w), *[extrude("secondary", parapet, 0.3, at=(0, 0, sz * (w / 2 - 0.15))) for sz in (-1, 1)]]
    planks = int(span / 0.25)
    parts = []
    for i in range(planks):
        t = (i + 0.5) / planks
        x0, x1 = -span / 2 + span * i / planks, -span / 2 + span * (i + 1) / planks
        a = (y_at((i + 1) / planks) - y_at(i / planks)) / (x1 - x0)
        parts.append(box("primary", (span / planks * 0.92, 0.06, w), at=(-span / 2 + span * t, y_at(t) + 0.3, 0), rot=(0, 0, degrees(atan(a)))))
    posts = 6
    for s in (-1, 1):
        pts = [(-span / 2 + span * i / posts, y_at(i / posts) + 0.3) for i in range(posts + 1)]
        parts += [box("secondary", (0.1, 1.0, 0.1), at=(x, y + 0.5, s * w / 2)) for x, y in pts]
        parts.append(tube("secondary", [(x, y + 1.0, s * w / 2) for x, y in pts], 0.04))
        parts.append(tube("secondary", [(x, y + 0.15, s * w / 2) for x, y in pts], 0.06))
    parts += [box("secondary", (0.15, 0.6, 0.15), at=(s * span / 2, 0.0, z)) for s in (-1, 1) for z in (-w / 2, w / 2)]
    return parts


@family("igloo", "igloos, snow house, ice house", {"primary": "snow", "secondary": "ice"}, part_words={"blocks": "primary", "entrance": "primary"}, built=True)
def igloo(k: Knobs, kind: str) -> list[Part]:
    r = k.u(1.6, 2.2)
    rows = k.i(5, 7)
    parts = [hemi("primary", r)]
    parts += [torus("secondary", r * cos(radians(90 * i / rows)), 0.025, at=(0, r * sin(radians(90 * i / rows)), 0)) for i in range(1, rows)]
    tunnel = k.u(0.8, 1.2)
    parts += [cyl("primary", 0.65, tunnel, at=(0, 0.0, r * 0.75), rot=(90, 0, 0), scale=(1, 1, 1.1)), cyl("secondary", 0.45, 0.05, at=(0, 0.0, r * 0.76 + tunnel), rot=(90, 0, 0))]
    return parts


@family("pyramid", "pyramids, egyptian pyramid, ziggurat, mayan pyramid, step pyramid", {"primary": "sand", "secondary": "sand", "accent": "gold"},
        kinds=[kind("egyptian", words_="egyptian, giza, great, smooth"), kind("stepped", nouns="ziggurat, step pyramid, mayan pyramid, aztec pyramid", words_="mayan, aztec, stepped, step, inca")],
        part_words={"capstone": "accent", "tip": "accent"}, built=True)
def pyramid(k: Knobs, kind: str) -> list[Part]:
    base, h = k.u(14, 20), k.u(9, 13)
    if kind == "stepped":
        steps = k.i(4, 7)
        parts = [box("primary", (base * (1 - i / (steps + 1)), h / steps, base * (1 - i / (steps + 1))), at=(0, h / steps * (i + 0.5), 0)) for i in range(steps)]
        top = base * (1 - steps / (steps + 1))
        return [*parts, box("secondary", (top * 0.6, h * 0.25, top * 0.6), at=(0, h + h * 0.125, 0)), box("secondary", (2.0, h, base * 0.55), at=(0, h / 2, base * 0.3), rot=(45, 0, 0), scale=(1, 0.7, 0.7))]
    parts = [lathe("primary", [(0, 0, 1), (base * 0.7071, 0, 1), (0, h, 1)], segments=4, rot=(0, 45, 0))]
    if k.chance(0.5):
        parts.append(lathe("accent", [(0, 0, 1), (base * 0.7071 * 0.08, 0, 1), (0, h * 0.08, 1)], at=(0, h * 0.92, 0), segments=4, rot=(0, 45, 0)))
    parts += [box("secondary", (base + 0.2, 0.3, base + 0.2), at=(0, 0.15, 0))]
    return parts


@family("temple", "temples, greek temple, roman temple, parthenon, pantheon, shrine, pagoda, japanese temple, chinese temple, mausoleum",
        {"primary": "marble", "secondary": "marble", "roof": "roof tiles", "accent": "paint:red"},
        kinds=[kind("greek", words_="greek, roman, ancient, classical, marble, columns"),
               kind("pagoda", nouns="pagoda, pagodas, japanese temple, chinese temple", words_="japanese, chinese, asian, buddhist", slots={"primary": "paint:red", "secondary": "wood", "roof": "slate", "accent": "gold"})],
        part_words={"columns": "secondary", "pillars": "secondary", "roof": "roof"}, built=True)
def temple(k: Knobs, kind: str) -> list[Part]:
    if kind == "pagoda":
        tiers = k.i(3, 5)
        w = k.u(5, 7)
        parts, y = [], 0.0
        for i in range(tiers):
            s = w * (1 - 0.15 * i)
            h = 2.2 if i == 0 else 1.6
            parts += [box("primary", (s * 0.7, h, s * 0.7), at=(0, y + h / 2, 0)),
                      lathe("roof", [(0, 0, 1), (s * 0.75, -0.2, 1), (s * 0.72, 0.1, 1), (s * 0.35, 0.8, 1), (0, 0.9, 1)], at=(0, y + h, 0), segments=4, rot=(0, 45, 0))]
            y += h + 0.6
        return [*parts, cyl("accent", 0.08, 2.5, at=(0, y - 0.4, 0)), *[torus("accent", 0.25, 0.04, at=(0, y + 0.2 * j, 0)) for j in range(4)]]
    w, d = k.u(10, 14), k.u(6, 8)
    cols_front = k.i(5, 8)
    ch = k.u(4.5, 6.0)
    parts = [box("secondary", (w + 1.5, 0.4, d + 1.5), at=(0, 0.2, 0)), box("secondary", (w + 1.0, 0.4, d + 1.0), at=(0, 0.6, 0)), box("secondary", (w + 0.5, 0.4, d + 0.5), at=(0, 1.0, 0))]
    xs = [-w / 2 + w * i / (cols_front - 1) for i in range(cols_front)]
    for z in (-d / 2, d / 2):
        parts += [lathe("primary", [(0, 0, 1), (0.42, 0, 1), (0.42, 0.2, 1), (0.33, 0.3), (0.3, ch - 0.3), (0.4, ch - 0.15, 1), (0.4, ch, 1), (0, ch, 1)], at=(x, 1.2, z)) for x in xs]
    parts += [lathe("primary", [(0, 0, 1), (0.4, 0, 1), (0.3, 0.3), (0.3, ch - 0.3), (0.4, ch, 1), (0, ch, 1)], at=(x, 1.2, 0)) for x in (-w / 2, w / 2)]
    parts += [box("secondary", (w + 1.0, 0.8, d + 1.0), at=(0, 1.2 + ch + 0.4, 0)), gable("roof", w + 1.0, d + 1.0, d * 0.3, 1.2 + ch + 0.8, 0.1)]
    parts += [box("primary", (w * 0.8, ch, d * 0.7), at=(0, 1.2 + ch / 2, 0))]
    return parts


@family("doghouse", "doghouses, dog house, kennel, kennels, dog kennel, dog kennels", {"primary": "wood", "secondary": "roof tiles", "accent": "paint:white", "detail": "obsidian"},
        part_words={"roof": "secondary", "door": "detail", "trim": "accent"}, built=True)
def doghouse(k: Knobs, kind: str) -> list[Part]:
    w, d, h = k.u(0.8, 1.1), k.u(1.0, 1.3), k.u(0.7, 0.9)
    rise = w * k.u(0.4, 0.6)
    dw = w * 0.45
    return [
        box("primary", (w, h, d), at=(0, h / 2, 0)),
        extrude("primary", [(-w / 2, 0), (w / 2, 0), (0, rise)], d, at=(0, h, 0)),
        extrude("secondary", [(-w / 2 - 0.12, -0.03), (w / 2 + 0.12, -0.03), (0, rise + 0.06)], d + 0.2, at=(0, h, 0)),
        extrude("detail", [(-dw / 2, 0, 1), (dw / 2, 0, 1), *[(dw / 2 * cos(radians(a)), h * 0.55 + dw / 2 * sin(radians(a))) for a in range(0, 181, 30)], (-dw / 2, 0, 1)][:-1], 0.02, at=(0, 0.0, d / 2)),
        box("accent", (0.35, 0.1, 0.02), at=(0, h + rise * 0.35, d / 2 + 0.1)),
    ]


@family("birdhouse", "birdhouses, bird house, nesting box, nest box, bird box, bird feeder, birdfeeder", {"primary": "wood", "secondary": "roof tiles", "detail": "obsidian", "post": "wood"},
        part_words={"roof": "secondary", "post": "post", "pole": "post"})
def birdhouse(k: Knobs, kind: str) -> list[Part]:
    w, h = k.u(0.18, 0.24), k.u(0.2, 0.28)
    post = k.u(1.2, 1.6) if k.chance(0.7) else 0.0
    y = post
    parts = [
        box("primary", (w, h, w), at=(0, y + h / 2, 0)),
        extrude("primary", [(-w / 2, 0), (w / 2, 0), (0, w * 0.45)], w, at=(0, y + h, 0)),
        extrude("secondary", [(-w / 2 - 0.03, -0.01), (w / 2 + 0.03, -0.01), (0, w * 0.5)], w + 0.06, at=(0, y + h, 0)),
        cyl("detail", w * 0.16, 0.02, at=(0, y + h * 0.62, w / 2 - 0.005), rot=(90, 0, 0)),
        cyl("primary", 0.006, 0.05, at=(0, y + h * 0.38, w / 2), rot=(90, 0, 0)),
    ]
    if post:
        parts += [box("post", (0.07, post, 0.07), at=(0, post / 2, 0)), box("post", (w + 0.04, 0.03, w + 0.04), at=(0, post - 0.015, 0))]
    return parts
