"""Weapons and armour of games and stories: blades, shields, bows, polearms, maces, guns, bombs, wands, staffs,
cannons and helmets. Blades stand point up, shields face the viewer, bows and guns lie in profile."""

# ruff: noqa: E501
# fmt: off

from __future__ import annotations

from math import cos, radians, sin

from app.engines.local.parts import Part, box, capsule, cone, cyl, extrude, hemi, lathe, rbox, ring, sphere, torus, tube
from app.engines.local.recipes.model import Knobs, family, kind
from app.engines.local.recipes.shapes import around, rod, shifted

_BLADE_WORDS = {"blade": "primary", "edge": "primary", "grip": "secondary", "hilt": "metal", "guard": "metal", "crossguard": "metal", "pommel": "metal", "handle": "secondary"}


def _blade(k: Knobs, length: float, width: float, curve: float = 0.0, fuller: bool = True) -> list[Part]:
    if curve:
        pts = [(-width / 2, 0, 1), (width / 2, 0, 1)]
        n = 6
        right = [(width / 2 + curve * (i / n) ** 2, length * i / n) for i in range(1, n)]
        left = [(-width / 2 + curve * (i / n) ** 2 + width * 0.15 * i / n, length * i / n) for i in range(n - 1, 0, -1)]
        return [extrude("primary", [*pts, *right, (curve + width * 0.1, length, 1), *left], 0.008, at=(0, 0.2, 0), smooth=True)]
    parts = [extrude("primary", [(-width / 2, 0, 1), (width / 2, 0, 1), (width * 0.44, length * 0.83, 1), (0, length, 1), (-width * 0.44, length * 0.83, 1)], 0.008, at=(0, 0.2, 0))]
    if fuller:
        parts.append(extrude("primary", [(-width * 0.16, 0, 1), (width * 0.16, 0, 1), (width * 0.12, length * 0.7, 1), (-width * 0.12, length * 0.7, 1)], 0.011, at=(0, 0.22, 0)))
    return parts


def _hilt(k: Knobs, guard: float, grip: float, gem: bool, round_guard: bool = False) -> list[Part]:
    parts = [
        cyl("secondary", 0.016, grip, at=(0, 0.2 - grip, 0)),
        sphere("metal", 0.026, at=(0, 0.2 - grip - 0.01, 0)),
        cyl("metal", guard, 0.02, at=(0, 0.185, 0)) if round_guard else rbox("metal", (guard, 0.025, 0.04), 0.008, at=(0, 0.19, 0)),
    ]
    if gem:
        parts.append(sphere("accent", 0.012, at=(0, 0.19, 0.022), scale=(1, 1, 0.6)))
    return parts


@family("sword", "swords, blade, longsword, long sword, broadsword, greatsword, claymore, sabre, saber, rapier, scimitar, cutlass, gladius",
        {"primary": "steel", "metal": "iron", "secondary": "leather", "accent": "gem:ruby"},
        kinds=[kind("longsword", words_="long, knight, medieval, great, two handed, broad"),
               kind("katana", nouns="katana, katanas, samurai sword, nodachi", words_="samurai, japanese, ninja", slots={"metal": "obsidian", "secondary": "fabric:black"}),
               kind("scimitar", nouns="scimitar, sabre, saber, cutlass", words_="curved, pirate, arabian")],
        part_words=_BLADE_WORDS, main=("primary", "metal"))
def sword(k: Knobs, kind: str) -> list[Part]:
    if kind == "katana":
        length = k.u(0.68, 0.78)
        return [*_blade(k, length, 0.03, curve=k.u(0.03, 0.05)), *_hilt(k, 0.04, k.u(0.24, 0.3), False, round_guard=True),
                *[torus("metal", 0.017, 0.003, at=(0, 0.2 - 0.04 * i, 0)) for i in range(1, 6)]]
    if kind == "scimitar":
        length = k.u(0.6, 0.72)
        return [*_blade(k, length, k.u(0.04, 0.055), curve=k.u(0.08, 0.12)), *_hilt(k, k.u(0.12, 0.16), 0.13, k.chance(0.5))]
    length, width = k.u(0.65, 0.95), k.u(0.04, 0.06)
    return [*_blade(k, length, width), *_hilt(k, k.u(0.16, 0.26), k.u(0.13, 0.2), k.chance(0.6))]


@family("dagger", "daggers, knife dagger, dirk, stiletto, combat knife, hunting knife, elven dagger, kris, shiv", {"primary": "steel", "metal": "iron", "secondary": "leather", "accent": "gem:emerald"},
        part_words=_BLADE_WORDS, main=("primary", "metal"))
def dagger(k: Knobs, kind: str) -> list[Part]:
    length, width = k.u(0.22, 0.32), k.u(0.035, 0.05)
    return [*_blade(k, length, width, fuller=k.chance(0.5)), *_hilt(k, k.u(0.08, 0.12), k.u(0.09, 0.11), k.chance(0.5))]


@family("shield", "shields, buckler, targe, round shield, heater shield, tower shield", {"primary": "wood", "metal": "iron", "accent": "paint:red"},
        kinds=[kind("round", words_="round, viking, wooden, buckler, circular"),
               kind("kite", nouns="kite shield, heater shield, knight shield", words_="kite, heater, knight, medieval, crusader, heraldic", slots={"primary": "paint:blue", "accent": "paint:yellow"})],
        part_words={"boss": "metal", "rim": "metal", "emblem": "accent", "stripe": "accent", "cross": "accent"})
def shield(k: Knobs, kind: str) -> list[Part]:
    if kind == "kite":
        w, h = k.u(0.5, 0.62), k.u(0.75, 0.95)
        outline = [(0, 0), (w * 0.35, h * 0.25), (w / 2, h * 0.65), (w / 2, h, 1), (-w / 2, h, 1), (-w / 2, h * 0.65), (-w * 0.35, h * 0.25)]
        return [
            extrude("primary", outline, 0.03, smooth=True),
            extrude("metal", [(x * 1.04, y * 1.0 - 0.005) for x, y, *_ in outline], 0.02, at=(0, -0.005, -0.008), smooth=True),
            box("accent", (w * 0.14, h * 0.75, 0.01), at=(0, h * 0.55, 0.017)),
            box("accent", (w * 0.8, h * 0.12, 0.01), at=(0, h * 0.72, 0.017)),
        ]
    r = k.u(0.3, 0.4)
    studs = k.i(6, 12)
    return [
        lathe("primary", [(0, 0, 1), (r, 0, 1), (r * 0.95, 0.02), (r * 0.6, 0.037), (0, 0.045, 1)], at=(0, r + 0.01, 0), rot=(90, 0, 0)),
        lathe("accent", [(r * 0.57, 0.036, 1), (r * 0.77, 0.029, 1), (r * 0.77, 0.034, 1), (r * 0.57, 0.041, 1)], at=(0, r + 0.01, 0), rot=(90, 0, 0), closed=True),
        hemi("metal", r * 0.22, at=(0, r + 0.01, 0.035), rot=(90, 0, 0), scale=(1, 0.8, 1)),
        torus("metal", r, 0.016, at=(0, r + 0.01, 0.005), rot=(90, 0, 0)),
        *[sphere("metal", 0.012, at=(r * 0.88 * cos(radians(a)), r + 0.01 + r * 0.88 * sin(radians(a)), 0.012)) for a in [360 * i / studs for i in range(studs)]],
    ]


@family("bow", "bows, longbow, long bow, recurve bow, shortbow, short bow, hunting bow, bow and arrow, elven bow", {"primary": "wood", "secondary": "leather", "string": "fabric:white"},
        part_words={"string": "string", "grip": "secondary"})
def bow(k: Knobs, kind: str) -> list[Part]:
    h, draw = k.u(1.2, 1.7), k.u(0.12, 0.2)
    recurve = k.chance(0.4)
    tip = 0.04 if recurve else 0.0
    path = [(0, -h / 2, 0), (-draw * 0.7, -h * 0.3, 0), (-draw, 0, 0), (-draw * 0.7, h * 0.3, 0), (0, h / 2, 0)]
    if recurve:
        path = [(tip, -h / 2 - 0.03, 0), *path, (tip, h / 2 + 0.03, 0)]
    parts = [
        tube("primary", path, (0.01, 0.014, 0.02, 0.014, 0.01) if not recurve else (0.008, 0.01, 0.014, 0.02, 0.014, 0.01, 0.008)),
        rod("string", (0, -h / 2, 0), (0, h / 2, 0), 0.002),
        cyl("secondary", 0.024, 0.12, at=(-draw, -0.06, 0)),
    ]
    return shifted(parts, (0, h / 2 + 0.05, 0))


@family("crossbow", "crossbows, arbalest, repeating crossbow, hand crossbow", {"primary": "wood", "metal": "iron", "string": "fabric:white", "secondary": "leather"},
        part_words={"stock": "primary", "limbs": "metal", "string": "string", "bolt": "secondary"})
def crossbow(k: Knobs, kind: str) -> list[Part]:
    length, span = k.u(0.6, 0.8), k.u(0.55, 0.75)
    draw = k.u(0.06, 0.12)
    y = 0.08
    front = length * 0.35
    return [
        extrude("primary", [(-length / 2, -0.05, 1), (-length / 2, 0.02, 1), (front, 0.02, 1), (front + 0.03, 0.0, 1), (-length * 0.1, 0.0, 1), (-length * 0.15, -0.07, 1), (-length * 0.22, -0.07, 1),
                            (-length * 0.25, -0.02, 1)], 0.05, at=(0, y + 0.05, 0)),
        tube("metal", [(front - draw, y + 0.07, -span / 2), (front - draw * 0.3, y + 0.07, -span / 4), (front, y + 0.07, 0), (front - draw * 0.3, y + 0.07, span / 4), (front - draw, y + 0.07, span / 2)],
             (0.008, 0.012, 0.016, 0.012, 0.008)),
        *[rod("string", (front - draw, y + 0.07, s * span / 2), (-length * 0.05, y + 0.075, 0), 0.002) for s in (-1, 1)],
        cyl("secondary", 0.006, length * 0.5, at=(-length * 0.05, y + 0.08, 0), rot=(0, 0, -90)),
        cone("metal", 0.012, 0.04, at=(length * 0.45, y + 0.08, 0), rot=(0, 0, -90)),
        box("metal", (0.04, 0.04, 0.06), at=(front - 0.02, y + 0.07, 0)),
    ]


@family("arrow", "arrows, quiver, quiver of arrows, bolt", {"primary": "wood", "metal": "steel", "accent": "feathers:red"},
        part_words={"fletching": "accent", "feathers": "accent", "head": "metal", "tip": "metal", "shaft": "primary"})
def arrow(k: Knobs, kind: str) -> list[Part]:
    length = k.u(0.6, 0.8)
    return [
        cyl("primary", 0.005, length, at=(-length / 2, 0.02, 0), rot=(0, 0, -90)),
        extrude("metal", [(0, -0.018, 1), (0.05, 0, 1), (0, 0.018, 1), (0.008, 0, 1)], 0.004, at=(length / 2, 0.02, 0)),
        *[extrude("accent", [(0, 0, 1), (0.11, 0, 1), (0.09, 0.025, 1), (0.02, 0.03, 1)], 0.002, at=(-length / 2 + 0.01, 0.02, 0), rot=(a, 0, 0)) for a in (0, 120, 240)],
    ]


def _polearm(k: Knobs, length: float) -> list[Part]:
    return [cyl("secondary", 0.018, length, r_top=0.016), cone("metal", 0.022, 0.05, at=(0, 0, 0), rot=(180, 0, 0))]


@family("spear", "spears, lance, javelin, pike, halberd, glaive, polearm", {"metal": "steel", "secondary": "wood", "accent": "fabric:red"},
        part_words={"head": "metal", "tip": "metal", "shaft": "secondary", "haft": "secondary", "tassel": "accent"})
def spear(k: Knobs, kind: str) -> list[Part]:
    length = k.u(1.7, 2.2)
    head = k.u(0.2, 0.32)
    parts = [*_polearm(k, length), lathe("metal", [(0, 0, 1), (0.02, 0, 1), (0.03, 0.03), (0.04, head * 0.35), (0.0, head, 1)], at=(0, length, 0), segments=4, scale=(1, 1, 0.3))]
    if k.chance(0.5):
        parts += [cone("accent", 0.04, 0.12, at=(0, length - 0.1, 0)), torus("metal", 0.02, 0.006, at=(0, length - 0.005, 0))]
    return parts


@family("trident", "tridents, poseidon trident, neptune trident, triton trident, fishing spear", {"metal": "gold", "secondary": "gold"},
        part_words={"prongs": "metal", "shaft": "secondary"}, main=("metal", "secondary"))
def trident(k: Knobs, kind: str) -> list[Part]:
    length, spread, prong = k.u(1.6, 2.0), k.u(0.1, 0.14), k.u(0.22, 0.3)
    parts = [*_polearm(k, length), cyl("metal", 0.028, 0.06, at=(0, length, 0))]
    for s in (-1, 0, 1):
        path = [(0, length + 0.05, 0), (s * spread * 0.9, length + 0.08, 0), (s * spread, length + 0.15, 0), (s * spread, length + prong, 0)] if s else [(0, length + 0.05, 0), (0, length + prong + 0.05, 0)]
        parts.append(tube("metal", path, 0.011))
        x = s * spread
        parts.append(lathe("metal", [(0, 0, 1), (0.025, 0, 1), (0, 0.07, 1)], at=(x, length + prong + (0.05 if not s else 0), 0), segments=4, scale=(1, 1, 0.4)))
    return parts


@family("mace", "maces, morning star, morningstar, flail, club, cudgel, spiked club, war club", {"metal": "iron", "secondary": "wood", "grip": "leather"},
        kinds=[kind("mace"), kind("club", nouns="club, cudgel, spiked club, war club, caveman club", words_="caveman, wooden, troll", slots={"metal": "wood"})],
        part_words={"head": "metal", "spikes": "metal", "handle": "secondary", "grip": "grip"}, main=("metal",))
def mace(k: Knobs, kind: str) -> list[Part]:
    if kind == "club":
        length = k.u(0.7, 0.9)
        return [lathe("secondary", [(0, 0, 1), (0.025, 0, 1), (0.03, length * 0.3), (0.07, length * 0.8), (0.06, length, 1), (0, length, 1)]),
                *[cone("metal", 0.012, 0.04, at=(x * 1.0, y, z), rot=(0, 0, 0)) for x, y, z, _ in around(k.i(4, 7), 0.06, length * 0.7)]]
    length, r = k.u(0.55, 0.75), k.u(0.06, 0.08)
    spikes = k.pick([(6, True), (8, False)])
    parts = [cyl("secondary", 0.02, length), cyl("grip", 0.024, length * 0.35, at=(0, 0.02, 0)), sphere("metal", 0.03, at=(0, 0, 0))]
    if spikes[1]:
        parts.append(sphere("metal", r, at=(0, length + r * 0.6, 0)))
        for x, _, z, _a in around(spikes[0], 1.0, 0):
            for tilt in (-35, 35):
                d = (x * cos(radians(tilt)), sin(radians(tilt)), z * cos(radians(tilt)))
                parts.append(rod("metal", (d[0] * r, length + r * 0.6 + d[1] * r, d[2] * r), (d[0] * r * 1.7, length + r * 0.6 + d[1] * r * 1.7, d[2] * r * 1.7), 0.01, 0.001))
        parts.append(cone("metal", 0.012, r * 0.8, at=(0, length + r * 1.5, 0)))
    else:
        parts.append(cyl("metal", r * 0.5, r * 2.2, at=(0, length, 0)))
        parts += [extrude("metal", [(0, 0, 1), (r, r * 0.3, 1), (r, r * 1.7, 1), (0, r * 2.2, 1)], 0.012, at=(0, length, 0), rot=(0, a, 0)) for _, _, _, a in around(spikes[0], 0, 0)]
    return parts


@family("gun", "guns, pistol, pistols, handgun, revolver, rifle, rifles, blaster, laser gun, ray gun, raygun, shotgun, musket, flintlock, water gun, toy gun",
        {"primary": "steel", "secondary": "dark wood", "accent": "light:cyan", "detail": "plastic:black"},
        kinds=[kind("pistol", nouns="pistol, pistols, handgun, revolver, revolvers, six shooter, flintlock pistol", words_="hand, western, cowboy, revolver, flintlock"),
               kind("rifle", nouns="rifle, rifles, shotgun, musket, sniper rifle, hunting rifle, assault rifle", words_="sniper, hunting, long, assault"),
               kind("blaster", nouns="blaster, blasters, laser gun, ray gun, raygun, laser pistol, phaser", words_="laser, sci fi, scifi, space, plasma, ray, alien, futuristic",
                    slots={"primary": "paint:white", "secondary": "plastic:grey", "detail": "plastic:black"})],
        part_words={"barrel": "primary", "grip": "secondary", "stock": "secondary", "handle": "secondary"})
def gun(k: Knobs, kind: str) -> list[Part]:
    if kind == "rifle":
        length = k.u(0.95, 1.2)
        scope = k.chance(0.6)
        parts = [
            extrude("secondary", [(-length * 0.5, -0.06, 1), (-length * 0.5, 0.04, 1), (-length * 0.25, 0.03, 1), (length * 0.15, 0.03, 1), (length * 0.2, 0.0, 1),
                                  (-length * 0.18, 0.0, 1), (-length * 0.22, -0.08, 1), (-length * 0.28, -0.08, 1), (-length * 0.3, -0.02, 1)], 0.04, at=(0, 0.2, 0)),
            cyl("primary", 0.012, length * 0.55, at=(-length * 0.05, 0.245, 0), rot=(0, 0, -90)),
            box("primary", (0.2, 0.05, 0.035), at=(-length * 0.1, 0.235, 0)),
            box("detail", (0.03, 0.09, 0.02), at=(-length * 0.05, 0.17, 0)),
        ]
        if scope:
            parts += [cyl("detail", 0.018, 0.28, at=(-length * 0.22, 0.3, 0), rot=(0, 0, -90)), *[box("detail", (0.015, 0.04, 0.015), at=(x, 0.275, 0)) for x in (-length * 0.15, -0.02)]]
        return parts
    if kind == "blaster":
        length = k.u(0.28, 0.36)
        rings = k.i(2, 4)
        return [
            rbox("primary", (length, 0.08, 0.045), 0.02, at=(0, 0.2, 0)),
            cyl("secondary", 0.022, length * 0.5, at=(length * 0.45, 0.205, 0), rot=(0, 0, -90)),
            *[torus("detail", 0.026, 0.006, at=(length * 0.5 + 0.03 * i, 0.205, 0), rot=(0, 0, 90)) for i in range(rings)],
            sphere("accent", 0.015, at=(length * 0.72, 0.205, 0)),
            rbox("secondary", (0.045, 0.14, 0.04), 0.012, at=(-length * 0.25, 0.12, 0), rot=(0, 0, 15)),
            box("accent", (length * 0.4, 0.012, 0.047), at=(-0.02, 0.225, 0)),
            cone("detail", 0.02, 0.05, at=(-length * 0.35, 0.25, 0), rot=(0, 0, 90)),
        ]
    length = k.u(0.2, 0.28)
    revolver = k.chance(0.5)
    parts = [
        cyl("primary", 0.012, length * 0.75, at=(0.0, 0.2, 0), rot=(0, 0, -90)),
        box("primary", (length * 0.45, 0.05, 0.03), at=(-length * 0.08, 0.2, 0)),
        rbox("secondary", (0.04, 0.12, 0.032), 0.01, at=(-length * 0.25, 0.13, 0), rot=(0, 0, 18)),
        torus("primary", 0.018, 0.004, at=(-length * 0.08, 0.16, 0), rot=(90, 0, 0)),
    ]
    if revolver:
        parts.append(cyl("primary", 0.024, 0.045, at=(-length * 0.02, 0.2, 0), rot=(0, 0, -90)))
    return parts


@family("bomb", "bombs, cartoon bomb, cannonball bomb, grenade, grenades, dynamite, tnt, explosive, time bomb", {"primary": "iron:black", "secondary": "fabric:beige", "accent": "flame", "metal": "steel"},
        kinds=[kind("bomb"), kind("grenade", nouns="grenade, grenades, hand grenade", words_="hand, army, military", slots={"primary": "paint:olive"}),
               kind("dynamite", nouns="dynamite, tnt, stick of dynamite, dynamite sticks", words_="dynamite, tnt", slots={"primary": "paint:red"})],
        part_words={"fuse": "secondary", "spark": "accent"})
def bomb(k: Knobs, kind: str) -> list[Part]:
    if kind == "grenade":
        r = k.u(0.03, 0.038)
        return [sphere("primary", r, at=(0, r, 0), scale=(1, 1.25, 1)), cyl("metal", r * 0.45, r * 0.6, at=(0, r * 2.1, 0)),
                tube("metal", [(r * 0.4, r * 2.5, 0), (r * 0.9, r * 2.3, 0), (r * 1.0, r * 1.2, 0)], r * 0.12), torus("metal", r * 0.35, r * 0.07, at=(-r * 0.5, r * 2.6, 0), rot=(90, 0, 0))]
    if kind == "dynamite":
        n = k.pick([1, 3, 3, 5])
        r, length = k.u(0.014, 0.018), k.u(0.17, 0.22)
        parts = [cyl("primary", r, length, at=(2.1 * r * (i - (n - 1) / 2), 0.02, 0.1 - length / 2), rot=(90, 0, 0)) for i in range(n)]
        parts = shifted(parts, (0, 0.0, -0.1))
        parts.append(tube("secondary", [(0, 0.02, 0.1), (0.02, 0.05, 0.14), (0.05, 0.06, 0.16)], 0.003))
        parts.append(sphere("accent", 0.01, at=(0.05, 0.065, 0.165)))
        if n > 1:
            parts.append(box("secondary", (0.034 * n, 0.036, 0.02), at=(0, 0.02, 0)))
        return parts
    r = k.u(0.1, 0.14)
    return [
        sphere("primary", r, at=(0, r, 0)),
        cyl("primary", r * 0.3, r * 0.25, at=(0, r * 1.85, 0)),
        tube("secondary", [(0, r * 2.05, 0), (r * 0.1, r * 2.4, 0), (r * 0.35, r * 2.55, 0), (r * 0.45, r * 2.75, 0)], r * 0.05),
        *[lathe("accent", [(0, 0, 1), (r * 0.12, r * 0.05), (0, r * 0.3, 1)], at=(r * 0.45, r * 2.75, 0), rot=(0, 0, a)) for a in (-40, 0, 40)],
    ]


@family("wand", "wands, magic wand, fairy wand, wizard wand, star wand", {"primary": "dark wood", "metal": "gold", "accent": "gem:sky"},
        part_words={"tip": "accent", "star": "accent", "handle": "primary"})
def wand(k: Knobs, kind: str) -> list[Part]:
    length = k.u(0.3, 0.4)
    star = k.chance(0.35)
    parts = [lathe("primary", [(0, 0, 1), (0.011, 0, 1), (0.012, length * 0.25), (0.009, length * 0.3), (0.008, length * 0.6), (0.004, length, 1), (0, length, 1)])]
    parts += [torus("metal", 0.0115, 0.002, at=(0, y, 0)) for y in (length * 0.27, length * 0.05)]
    if star:
        pts = [(0.035 * (1 if i % 2 == 0 else 0.45) * sin(radians(36 * i)), 0.035 * (1 if i % 2 == 0 else 0.45) * cos(radians(36 * i))) for i in range(10)]
        parts.append(extrude("accent", pts, 0.01, at=(0, length + 0.03, 0)))
    else:
        parts.append(sphere("accent", 0.01, at=(0, length, 0)))
    return parts


@family("staff", "staffs, staves, scepter, sceptre, rod, magic staff, wizard staff, quarterstaff, walking stick, cane, mage staff",
        {"primary": "wood", "metal": "gold", "accent": "crystal:cyan"},
        part_words={"orb": "accent", "crystal": "accent", "gem": "accent", "shaft": "primary"})
def staff(k: Knobs, kind: str) -> list[Part]:
    length = k.u(1.4, 1.75)
    orb = k.u(0.045, 0.065)
    parts = [cyl("primary", 0.018, length, r_top=0.022), *[ring("metal", 0.017, 0.026, 0.03, at=(0, y, 0)) for y in (length * 0.58, length * 0.93)]]
    if k.chance(0.5):
        parts += [tube("primary", [(0, length - 0.05, 0), (0.05, length + 0.05, 0), (0.03, length + 0.17, 0.02), (-0.04, length + 0.19, 0), (-0.05, length + 0.07, 0)], (0.02, 0.016, 0.012, 0.01, 0.008)),
                  sphere("accent", orb, at=(0, length + 0.09, 0))]
    else:
        parts += [*[tube("metal", [(0, length, 0), (x * 0.6, length + 0.06, z * 0.6), (x, length + 0.12, z), (x * 0.4, length + 0.2, z * 0.4)], 0.006) for x, _, z, _ in around(4, orb * 1.1, 0)],
                  lathe("accent", [(0, 0, 1), (orb * 0.7, orb * 0.6, 1), (0, orb * 2.4, 1)], at=(0, length + 0.06, 0), segments=6)]
    return parts


@family("cannon", "cannons, artillery, mortar, pirate cannon, ship cannon", {"metal": "bronze", "primary": "wood", "secondary": "iron", "detail": "obsidian"},
        part_words={"barrel": "metal", "carriage": "primary", "wheels": "primary", "balls": "detail"}, main=("metal",), colour="metal")
def cannon(k: Knobs, kind: str) -> list[Part]:
    length, r = k.u(0.9, 1.25), k.u(0.11, 0.15)
    elev = k.u(65, 82)
    wheel_r = k.u(0.2, 0.25)
    balls = k.i(0, 4)
    parts = [
        lathe("metal", [(0, -0.05, 1), (r * 0.45, -0.05), (r, 0.05), (r * 1.05, 0.15, 1), (r * 0.9, 0.2, 1), (r * 0.75, length), (r * 0.9, length + 0.05, 1),
                        (r * 0.9, length + 0.1, 1), (r * 0.5, length + 0.1, 1), (r * 0.5, length * 0.9, 1), (0, length * 0.9, 1)], at=(-0.3, 0.45, 0), rot=(0, 0, -elev)),
        *[box("primary", (0.9, 0.3, 0.06), at=(-0.05, 0.3, z)) for z in (-0.16, 0.16)],
        box("primary", (0.8, 0.06, 0.3), at=(-0.05, 0.18, 0)),
        *[cyl("primary", wheel_r, 0.06, at=(0.05, wheel_r, z), rot=(90, 0, 0)) for z in (0.2, -0.26)],
        *[torus("secondary", wheel_r, 0.015, at=(0.05, wheel_r, z), rot=(90, 0, 0)) for z in (0.23, -0.23)],
        cyl("secondary", 0.03, 0.6, at=(0.05, wheel_r, -0.3), rot=(90, 0, 0)),
    ]
    parts += [sphere("detail", 0.06, at=(-0.3 + 0.12 * (i % 3), 0.06 + 0.1 * (i // 3), 0.5)) for i in range(balls)]
    return parts


@family("helmet", "helmets, helm, war helmet, battle helmet, hard hat, hardhat, bike helmet, bicycle helmet, space helmet, motorcycle helmet, crash helmet",
        {"primary": "iron", "metal": "bronze", "accent": "bone", "visor": "obsidian", "glass": "glass:sky"},
        kinds=[kind("viking", nouns="viking helmet, horned helmet", words_="viking, horned, horns, norse, barbarian"),
               kind("knight", nouns="knight helmet, knights helmet, great helm, greathelm, closed helm, armet, medieval helmet", words_="knight, medieval, crusader, templar, closed, jousting",
                    slots={"primary": "steel", "metal": "steel", "accent": "fabric:red"}),
               kind("roman", nouns="roman helmet, spartan helmet, gladiator helmet, centurion helmet, greek helmet", words_="roman, spartan, gladiator, centurion, greek, trojan",
                    slots={"primary": "bronze", "metal": "bronze", "accent": "fabric:red"}),
               kind("space", nouns="space helmet, astronaut helmet", words_="space, astronaut, spacesuit", slots={"primary": "paint:white", "metal": "steel", "glass": "window"}),
               kind("hard hat", nouns="hard hat, hardhat, construction helmet, safety helmet", words_="construction, safety, builder, hard", slots={"primary": "plastic:yellow"}),
               kind("bike", nouns="bike helmet, bicycle helmet, cycling helmet", words_="bike, bicycle, cycling", slots={"primary": "plastic:red", "metal": "plastic:black"})],
        part_words={"horns": "accent", "horned": "accent", "trim": "metal", "visor": "visor", "plume": "accent", "crest": "accent"})
def helmet(k: Knobs, kind: str) -> list[Part]:
    r = k.u(0.12, 0.14)
    if kind == "knight":
        h = r * k.u(2.0, 2.4)
        slits = k.i(1, 2)
        parts = [
            cyl("primary", r, h * 0.75, scale=(1, 1, 1.12)),
            hemi("primary", r, at=(0, h * 0.75, 0), scale=(1, k.u(0.5, 0.9), 1.12)),
            box("metal", (0.03, h * 0.95, 0.03), at=(0, h * 0.5, r * 1.1)),
            *[box("visor", (r * 1.5, 0.012, 0.03), at=(0, h * (0.58 - 0.05 * i), r * 1.05)) for i in range(slits)],
            *[cyl("visor", 0.005, 0.03, at=(x, h * 0.28 + y, r * 1.08), rot=(90, 0, 0)) for x in (-0.03, 0.03, 0.06, -0.06) for y in (0, 0.03)],
        ]
        if k.feature(0.5, "plume", "feather"):
            parts.append(blob_plume(h, r))
        return parts
    if kind == "space":
        return [sphere("primary", r * 1.3, at=(0, r * 1.3, 0)), sphere("glass", r * 1.0, at=(0, r * 1.35, r * 0.55), scale=(1, 0.8, 0.85)), torus("metal", r * 0.95, 0.03, at=(0, 0.02, 0))]
    if kind == "hard hat":
        return [hemi("primary", r, scale=(1, 0.9, 1.15)), cyl("primary", r * 1.1, 0.012, scale=(1, 1, 1.35)), box("primary", (0.03, 0.02, r * 2.1), at=(0, r * 0.85, 0))]
    if kind == "bike":
        return [hemi("primary", r, at=(0, 0.012, 0), scale=(1, 0.85, 1.3)), ring("metal", r * 0.96, r * 1.02, 0.02, scale=(1, 1, 1.3)),
                box("metal", (r * 1.2, 0.012, r * 0.35), at=(0, r * 0.45, r * 1.25), rot=(-25, 0, 0))]
    band = 0.035
    parts = [
        ring("metal", r - 0.004, r + 0.008, band, scale=(1, 1, 1.1)),
        hemi("primary", r, at=(0, band * 0.6, 0), scale=(1, 1.1, 1.1)),
        box("metal", (0.025, 0.02, r * 2.25), at=(0, band * 0.6 + r * 1.06, 0), rot=(0, 0, 0)),
        box("metal", (0.03, 0.11, 0.012), at=(0, 0.0, r * 1.12)),  # nose guard
    ]
    if kind == "roman":
        parts += [box("accent", (0.03, 0.09, r * 2.0), at=(0, r * 1.25 + band, 0)),
                  *[box("metal", (0.01, 0.07, 0.07), at=(s * r * 0.97, 0.0, r * 0.55), rot=(0, s * 25, 0)) for s in (-1, 1)]]
        return parts
    horns = k.u(0.18, 0.26)
    parts += [tube("accent", [(s * r * 0.9, band + 0.04, 0), (s * (r + horns * 0.4), band + 0.07, 0), (s * (r + horns * 0.6), band + 0.14, 0), (s * (r + horns * 0.55), band + 0.21, 0)],
                   (0.032, 0.024, 0.014, 0.003)) for s in (-1, 1)]
    return parts


def blob_plume(h: float, r: float) -> Part:
    return capsule("accent", 0.03, 0.28, at=(0, h * 0.95, -0.1), rot=(-70, 0, 0))


@family("armor", "armour, suit of armor, suit of armour, breastplate, chestplate, cuirass, plate armor", {"primary": "steel", "metal": "gold", "secondary": "leather"},
        part_words={"trim": "metal", "straps": "secondary"})
def armor(k: Knobs, kind: str) -> list[Part]:
    w, h = k.u(0.36, 0.44), k.u(0.5, 0.6)
    return [
        cyl("secondary", 0.04, 0.5, at=(0, 0, 0)), box("secondary", (0.4, 0.05, 0.3), at=(0, 0.02, 0)),
        lathe("primary", [(0, 0, 1), (w * 0.5, 0, 1), (w * 0.62, h * 0.6), (w * 0.55, h, 1), (0, h, 1)], at=(0, 0.5, 0), scale=(1, 1, 0.65)),
        *[sphere("primary", w * 0.28, at=(s * w * 0.62, 0.5 + h * 0.92, 0), scale=(1, 0.7, 0.9)) for s in (-1, 1)],
        *[torus("metal", w * 0.52 * f, 0.008, at=(0, 0.5 + h * y, 0), scale=(1, 1, 0.65)) for f, y in ((1.0, 0.1), (1.2, 0.45))],
        cyl("primary", w * 0.25, 0.06, at=(0, 0.5 + h, 0)),
    ]
