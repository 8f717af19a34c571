"""Things that store or carry: chests, crates, barrels, baskets, bins, boxes and cases."""

# ruff: noqa: E501
# fmt: off

from __future__ import annotations

from math import pi, sin

from app.engines.local.parts import Part, arc, box, cyl, extrude, lathe, rbox, ring, sphere, torus, tube
from app.engines.local.recipes.model import Knobs, family, kind
from app.engines.local.recipes.shapes import arch, around, axle_wheels, rod


@family("chest", "chests, treasure chest, trunk, coffer, strongbox, loot chest, lootbox, footlocker, toy chest, toy box",
        {"primary": "wood", "metal": "iron", "accent": "gold", "detail": "obsidian"},
        part_words={"lock": "accent", "clasp": "accent", "lid": "primary"})
def chest(k: Knobs, kind: str) -> list[Part]:
    w, h, d = k.u(0.75, 1.0), k.u(0.36, 0.48), k.u(0.48, 0.6)
    r = d / 2
    bands = k.pick([(-0.3, 0.3), (-0.36, 0.0, 0.36), (-0.38, -0.13, 0.13, 0.38)])
    parts = [
        box("primary", (w, h, d), at=(0, h / 2, 0)),
        extrude("primary", arc(r, 0, 180, 6), w, at=(0, h, 0), rot=(0, 90, 0), smooth=True),  # the lid
        box("metal", (w + 0.02, 0.035, d + 0.02), at=(0, h, 0)),
        box("metal", (w + 0.02, 0.035, d + 0.02), at=(0, 0.0175, 0)),
        box("accent", (0.13, 0.16, 0.03), at=(0, h - 0.03, d / 2 + 0.02)),
        cyl("detail", 0.016, 0.01, at=(0, h - 0.02, d / 2 + 0.032), rot=(90, 0, 0)),
        box("detail", (0.012, 0.04, 0.01), at=(0, h - 0.05, d / 2 + 0.037)),
    ]
    for x in bands:
        x *= w / 0.9
        parts.append(box("metal", (0.06, h + 0.01, d + 0.02), at=(x, h / 2, 0)))
        parts.append(extrude("metal", arc(r + 0.012, 0, 180, 6) + arc(r - 0.01, 180, 0, 6), 0.06, at=(x, h, 0), rot=(0, 90, 0), smooth=True))
    return parts


@family("crate", "crates, box, boxes, wooden box, cargo box, supply crate, shipping crate, loot box",
        {"primary": "pine", "secondary": "wood"},
        kinds=[kind("crate"), kind("cardboard", nouns="cardboard box, moving box, carton, parcel, package", words_="cardboard, moving, shipping",
                                   slots={"primary": "cardboard", "secondary": "paper:beige"})],
        part_words={"frame": "secondary", "planks": "primary", "tape": "secondary"})
def crate(k: Knobs, kind: str) -> list[Part]:
    s, t = k.u(0.5, 0.7), 0.06
    if kind == "cardboard":
        w, h, d = s * k.u(1.0, 1.4), s * k.u(0.7, 1.0), s * k.u(0.8, 1.1)
        flap = k.u(0.0, 0.25)
        return [
            box("primary", (w, h, d), at=(0, h / 2, 0)),
            box("secondary", (0.06, 0.004, d + 0.004), at=(0, h + 0.001, 0)),
            box("secondary", (0.06, h * 0.25, 0.004), at=(0, h * 0.87, d / 2 + 0.001)),
            box("primary", (w, 0.006, d / 2), at=(0, h + sin(flap) * d / 4, d / 4 + d / 4 * (1 - abs(sin(flap)))), rot=(-flap * 180 / pi, 0, 0)),
        ]
    e = s / 2 - t / 2 + 0.006
    parts = [box("primary", (s - 0.01,) * 3, at=(0, s / 2, 0))]
    parts += [box("secondary", (t, s + 0.012, t), at=(sx * e, s / 2, sz * e)) for sx in (-1, 1) for sz in (-1, 1)]
    parts += [box("secondary", (s + 0.012, t, t), at=(0, s / 2 + sy * e, sz * e)) for sy in (-1, 1) for sz in (-1, 1)]
    parts += [box("secondary", (t, t, s + 0.012), at=(sx * e, s / 2 + sy * e, 0)) for sx in (-1, 1) for sy in (-1, 1)]
    if k.chance(0.7):
        parts += [box("secondary", (s * 1.2, t, 0.02), at=(0, s / 2, z * (s / 2 + 0.004)), rot=(0, 0, 45)) for z in (-1, 1)]
        parts += [box("secondary", (0.02, t, s * 1.2), at=(x * (s / 2 + 0.004), s / 2, 0), rot=(-45, 0, 0)) for x in (-1, 1)]
    else:
        parts += [box("secondary", (s, 0.03, 0.015), at=(0, s * y, z * (s / 2 + 0.004))) for y in (0.35, 0.65) for z in (-1, 1)]
    return parts


def _barrel_r(y: float, r: float, bulge: float, h: float) -> float:
    return r + bulge * sin(pi * y / h)


@family("barrel", "barrels, keg, cask, hogshead, tun, rain barrel, wine barrel", {"primary": "wood", "metal": "iron"},
        part_words={"hoops": "metal", "staves": "primary"})
def barrel(k: Knobs, kind: str) -> list[Part]:
    h, r, bulge = k.u(0.8, 1.0), k.u(0.24, 0.3), k.u(0.04, 0.08)
    hoops = k.pick([(0.07, 0.28, 0.72, 0.93), (0.08, 0.3, 0.7, 0.92), (0.1, 0.9), (0.06, 0.2, 0.8, 0.94)])
    prof = [(0, 0, 1), (_barrel_r(0, r, bulge, h), 0, 1), *[(_barrel_r(y, r, bulge, h), y) for y in (h * 0.17, h * 0.33, h * 0.5, h * 0.67, h * 0.83)],
            (_barrel_r(h, r, bulge, h), h, 1), (r - 0.02, h, 1), (r - 0.02, h - 0.02, 1), (0, h - 0.02, 1)]
    return [lathe("primary", prof),
            *[ring("metal", _barrel_r(f * h, r, bulge, h) - 0.01, _barrel_r(f * h, r, bulge, h) + 0.012, 0.045, at=(0, f * h - 0.022, 0)) for f in hoops]]


@family("basket", "baskets, picnic basket, wicker basket, hamper, laundry basket, fruit basket, easter basket",
        {"primary": "wicker", "secondary": "wicker", "accent": "fabric:red"}, part_words={"handle": "secondary", "cloth": "accent", "lining": "accent"})
def basket(k: Knobs, kind: str) -> list[Part]:
    r, h = k.u(0.16, 0.22), k.u(0.14, 0.2)
    flare = k.u(1.05, 1.25)
    parts = [
        lathe("primary", [(0, 0, 1), (r, 0, 1), (r * flare, h, 1), (r * flare - 0.012, h, 1), (r - 0.012, 0.012, 1), (0, 0.012, 1)], scale=(1.25, 1, 1)),
        torus("secondary", r * flare - 0.006, 0.01, at=(0, h, 0), scale=(1.25, 1, 1)),
    ]
    if k.feature(0.75, "handle"):
        parts.append(arch("secondary", r * flare * 1.2, 0.011, at=(0, h, 0)))
    if k.feature(0.5, "cloth", "lining", "napkin"):
        parts.append(rbox("accent", (r * 1.6, 0.03, r * 1.1), 0.012, at=(0, h - 0.01, 0), rot=(0, 0, 8)))
    return parts


@family("trash can", "trash cans, bin, bins, garbage can, rubbish bin, wheelie bin, dustbin, waste bin, litter bin, trashcan, recycling bin",
        {"primary": "steel", "secondary": "steel", "detail": "rubber"},
        kinds=[kind("can", words_="metal, steel, garbage, trash, round"),
               kind("wheelie", nouns="wheelie bin, recycling bin", words_="wheelie, plastic, recycling", slots={"primary": "plastic:green", "secondary": "plastic:green"})],
        part_words={"lid": "secondary"})
def trash_can(k: Knobs, kind: str) -> list[Part]:
    if kind == "wheelie":
        w, h, d = k.u(0.55, 0.62), k.u(0.95, 1.1), k.u(0.6, 0.72)
        return [
            extrude("primary", [(-d / 2, 0.05, 1), (d / 2 - 0.05, 0.05, 1), (d / 2, h, 1), (-d / 2, h, 1)], w, rot=(0, 90, 0)),
            box("secondary", (w + 0.04, 0.05, d + 0.06), at=(0, h + 0.025, 0.02)),
            rod("secondary", (-w / 2, h - 0.06, -d / 2 - 0.04), (w / 2, h - 0.06, -d / 2 - 0.04), 0.02),
            *axle_wheels("detail", "detail", 0.1, 0.06, [-d / 2 + 0.06], w + 0.02),
        ]
    r, h = k.u(0.22, 0.28), k.u(0.6, 0.75)
    parts = [
        lathe("primary", [(0, 0, 1), (r * 0.9, 0, 1), (r, h, 1), (r - 0.006, h, 1), (r * 0.9 - 0.006, 0.01, 1), (0, 0.01, 1)]),
        *[torus("primary", r * (0.9 + 0.1 * f) + 0.003, 0.008, at=(0, h * f, 0)) for f in (0.15, 0.5, 0.85)],
        lathe("secondary", [(0, 0, 1), (r + 0.02, 0, 1), (r + 0.02, 0.03, 1), (r * 0.6, 0.08), (0, 0.09, 1)], at=(0, h, 0)),
        arch("secondary", 0.05, 0.01, at=(0, h + 0.09, 0)),
    ]
    return parts


@family("toolbox", "toolboxes, tool box, tool chest, tool kit, toolkit", {"primary": "paint:red", "metal": "steel", "detail": "plastic:black"},
        part_words={"handle": "metal", "latches": "metal"})
def toolbox(k: Knobs, kind: str) -> list[Part]:
    w, h, d = k.u(0.45, 0.6), k.u(0.18, 0.26), k.u(0.2, 0.26)
    return [
        rbox("primary", (w, h, d), 0.01, at=(0, h / 2, 0)),
        rbox("primary", (w + 0.01, 0.05, d + 0.01), 0.012, at=(0, h + 0.02, 0)),
        box("metal", (w * 0.5, 0.015, 0.02), at=(0, h + 0.11, 0)),
        *[box("metal", (0.015, 0.08, 0.015), at=(x, h + 0.07, 0)) for x in (-w * 0.25, w * 0.25)],
        *[box("metal", (0.04, 0.05, 0.01), at=(x, h - 0.01, d / 2 + 0.006)) for x in (-w * 0.35, w * 0.35)],
        box("detail", (w + 0.012, 0.012, d + 0.012), at=(0, h - 0.005, 0)),
    ]


@family("suitcase", "suitcases, luggage, travel case, valise, briefcase, trolley case, carry on", {"primary": "leather", "metal": "brass", "secondary": "leather:maroon"},
        kinds=[kind("suitcase"), kind("briefcase", nouns="briefcase, attache case", words_="business, office", slots={"primary": "leather:black"})],
        part_words={"handle": "secondary", "straps": "secondary", "clasps": "metal"})
def suitcase(k: Knobs, kind: str) -> list[Part]:
    w, h, d = (k.u(0.42, 0.48), k.u(0.3, 0.34), k.u(0.09, 0.11)) if kind == "briefcase" else (k.u(0.5, 0.65), k.u(0.38, 0.48), k.u(0.18, 0.24))
    parts = [
        rbox("primary", (w, h, d), 0.02, at=(0, h / 2, 0)),
        tube("secondary", [(-0.06, h, 0), (-0.05, h + 0.05, 0), (0.05, h + 0.05, 0), (0.06, h, 0)], 0.01),
        *[box("metal", (0.03, 0.025, 0.012), at=(x, h - 0.03, d / 2 + 0.004)) for x in (-w * 0.3, w * 0.3)],
        box("metal", (w + 0.004, 0.008, d + 0.004), at=(0, h * 0.55, 0)),
    ]
    if kind != "briefcase" and k.chance(0.6):
        parts += [box("secondary", (0.035, h + 0.004, d + 0.01), at=(x, h / 2, 0)) for x in (-w * 0.25, w * 0.25)]
    return parts


@family("gift box", "gift boxes, present, presents, gift, gifts, christmas present, birthday present, wrapped present",
        {"primary": "paper:red", "secondary": "fabric:yellow"}, part_words={"ribbon": "secondary", "bow": "secondary", "wrapping": "primary", "paper": "primary"})
def gift_box(k: Knobs, kind: str) -> list[Part]:
    w, h, d = k.u(0.22, 0.32), k.u(0.16, 0.26), k.u(0.2, 0.3)
    return [
        box("primary", (w, h, d), at=(0, h / 2, 0)),
        box("primary", (w + 0.02, 0.04, d + 0.02), at=(0, h, 0)),
        box("secondary", (0.035, h + 0.045, d + 0.024), at=(0, (h + 0.045) / 2, 0)),
        box("secondary", (w + 0.024, h + 0.045, 0.035), at=(0, (h + 0.045) / 2, 0)),
        *[sphere("secondary", 0.045, at=(s * 0.035, h + 0.05, 0), rot=(0, 0, s * 30), scale=(1.2, 0.55, 0.5)) for s in (-1, 1)],
        sphere("secondary", 0.018, at=(0, h + 0.045, 0)),
    ]


@family("backpack", "backpacks, rucksack, school bag, schoolbag, knapsack, daypack, bag, bags", {"primary": "fabric:navy", "secondary": "fabric:black", "metal": "steel"},
        part_words={"straps": "secondary", "pocket": "secondary"})
def backpack(k: Knobs, kind: str) -> list[Part]:
    w, h, d = k.u(0.28, 0.34), k.u(0.4, 0.5), k.u(0.14, 0.2)
    return [
        rbox("primary", (w, h, d), 0.06, at=(0, h / 2, 0)),
        rbox("secondary", (w * 0.75, h * 0.35, 0.07), 0.025, at=(0, h * 0.3, d / 2 + 0.02)),
        rbox("primary", (w * 1.02, 0.08, d * 1.05), 0.035, at=(0, h - 0.03, 0.005)),
        arch("secondary", 0.04, 0.01, at=(0, h + 0.015, -d * 0.2)),
        *[tube("secondary", [(x, h * 0.9, -d / 2), (x, h * 0.6, -d / 2 - 0.05), (x, h * 0.15, -d / 2 - 0.02)], 0.014) for x in (-w * 0.3, w * 0.3)],
        box("metal", (w * 0.5, 0.008, 0.01), at=(0, h * 0.45, d / 2 + 0.055)),
    ]


@family("sack", "sacks, bag of gold, money bag, coin bag, pouch, flour sack, loot bag", {"primary": "fabric:tan", "secondary": "fabric:brown", "accent": "gold"},
        part_words={"rope": "secondary", "string": "secondary", "coins": "accent"})
def sack(k: Knobs, kind: str) -> list[Part]:
    r, h = k.u(0.14, 0.2), k.u(0.28, 0.38)
    return [
        lathe("primary", [(0, 0, 1), (r * 0.8, 0, 1), (r, h * 0.25), (r * 0.95, h * 0.55), (r * 0.3, h * 0.82), (r * 0.22, h * 0.86, 1), (0, h * 0.86, 1)]),
        lathe("primary", [(r * 0.22, h * 0.86, 1), (r * 0.5, h, 1), (r * 0.45, h, 1), (r * 0.18, h * 0.88, 1)], closed=True),
        torus("secondary", r * 0.26, 0.012, at=(0, h * 0.84, 0)),
        *[cyl("accent", 0.025, 0.006, at=(x, 0, z)) for x, _, z, _ in around(k.i(2, 4), r * 1.3, 0, 20)],
    ]
