"""Street furniture: cones, hydrants, mailboxes, signals, signs, booths, meters, fountains, shelters, bollards.
(Street lamps are a kind of lamp, park benches a bench, bins a trash can.)"""

# ruff: noqa: E501
# fmt: off

from __future__ import annotations

from math import cos, radians, sin

from app.engines.local.parts import Part, box, cone, cyl, extrude, hemi, lathe, rbox, sphere, torus
from app.engines.local.recipes.model import Knobs, family, kind
from app.engines.local.recipes.shapes import around, rod, turn


@family("traffic cone", "traffic cones, road cone, safety cone, pylon, witches hat cone, cone, cones", {"primary": "plastic:orange", "secondary": "paint:white", "detail": "rubber"},
        part_words={"stripes": "secondary", "base": "detail"})
def traffic_cone(k: Knobs, kind: str) -> list[Part]:
    h, r = k.u(0.45, 0.75), k.u(0.12, 0.16)
    base = r * k.u(1.6, 1.9)
    stripes = k.i(1, 2)
    parts = [
        lathe("detail", [(0, 0, 1), (base, 0, 1), (base, 0.03, 1), (0, 0.03, 1)], segments=4, rot=(0, 45, 0), scale=(1.41, 1, 1.41)),
        lathe("primary", [(0, 0.03, 1), (r, 0.03, 1), (r * 0.16, h, 1), (0, h, 1)]),
    ]
    for i in range(stripes):
        y0 = h * (0.3 + 0.22 * i)
        y1 = y0 + h * 0.12
        parts.append(lathe("secondary", [(r * (1 - y0 / h) + 0.003, y0, 1), (r * (1 - y1 / h) + 0.003, y1, 1), (r * (1 - y1 / h) - 0.003, y1, 1), (r * (1 - y0 / h) - 0.003, y0, 1)], closed=True))
    return parts


@family("fire hydrant", "fire hydrants, hydrant, hydrants, fire plug, fireplug", {"primary": "paint:red", "metal": "paint:yellow", "detail": "iron"},
        part_words={"cap": "metal", "caps": "metal", "nozzles": "metal"})
def fire_hydrant(k: Knobs, kind: str) -> list[Part]:
    r, h = k.u(0.09, 0.12), k.u(0.5, 0.7)
    side = r * k.u(0.45, 0.6)
    return [
        lathe("primary", [(0, 0, 1), (r * 1.5, 0, 1), (r * 1.5, 0.04, 1), (r * 1.1, 0.06), (r, 0.1), (r, h * 0.72, 1), (r * 1.2, h * 0.72, 1), (r * 1.2, h * 0.78, 1), (r * 0.95, h * 0.8), (r * 0.6, h * 0.95), (0, h, 1)]),
        lathe("metal", [(0, 0, 1), (r * 0.3, 0, 1), (r * 0.3, 0.03, 1), (0.015, 0.05, 1), (0, 0.05, 1)], at=(0, h - 0.01, 0), segments=5),
        *[cyl("metal", side, r * 0.9, at=(s * r * 0.6, h * 0.55, 0), rot=(0, 0, -s * 90)) for s in (-1, 1)],
        *[cyl("detail", side * 0.8, 0.03, at=(s * r * 1.45, h * 0.55, 0), rot=(0, 0, -s * 90), r_top=side * 0.7) for s in (-1, 1)],
        cyl("metal", side * 1.3, r * 0.6, at=(0, h * 0.5, r * 0.6), rot=(90, 0, 0)),
        cyl("detail", side * 1.1, 0.04, at=(0, h * 0.5, r * 1.15), rot=(90, 0, 0)),
        *[sphere("detail", 0.012, at=(x, 0.045, z)) for x, _, z, _ in around(6, r * 1.3, 0)],
    ]


@family("mailbox", "mailboxes, letterbox, letter box, post box, postbox, pillar box, mail box, postal box", {"primary": "paint:blue", "secondary": "wood", "accent": "paint:red", "detail": "obsidian"},
        kinds=[kind("us", words_="american, usps, blue, rural, country, farm, on a post"),
               kind("pillar", nouns="pillar box, post box, postbox", words_="british, english, uk, royal, pillar", slots={"primary": "paint:red", "accent": "paint:yellow"}),
               kind("rural", nouns="rural mailbox, farm mailbox", words_="rural, country, farm, post", slots={"primary": "steel", "accent": "paint:red"})],
        part_words={"flag": "accent", "post": "secondary", "slot": "detail"})
def mailbox(k: Knobs, kind: str) -> list[Part]:
    if kind == "pillar":
        r, h = k.u(0.22, 0.26), k.u(1.4, 1.6)
        return [
            cyl("primary", r * 1.15, 0.08),
            cyl("primary", r, h - 0.25, at=(0, 0.08, 0)),
            cyl("primary", r * 1.15, 0.06, at=(0, h - 0.17, 0)),
            hemi("primary", r * 1.05, at=(0, h - 0.11, 0), scale=(1, 0.55, 1)),
            box("detail", (r * 0.9, 0.03, 0.03), at=(0, h * 0.78, r - 0.005)),
            box("accent", (r * 0.6, 0.12, 0.02), at=(0, h * 0.62, r - 0.002)),
            box("primary", (r * 1.0, h * 0.35, 0.03), at=(0, h * 0.35, r - 0.005)),
        ]
    if kind == "rural":
        post = k.u(1.0, 1.15)
        return [
            box("secondary", (0.1, post, 0.1), at=(0, post / 2, 0)),
            box("primary", (0.25, 0.16, 0.48), at=(0, post + 0.08, 0)),
            extrude("primary", [(-0.125, 0), (0.125, 0), *[(0.125 * cos(radians(a)), 0.125 * sin(radians(a))) for a in (30, 60, 90, 120, 150)], (-0.125, 0)][:-1], 0.48, at=(0, post + 0.16, 0), smooth=True),
            box("accent", (0.015, 0.18, 0.05), at=(0.135, post + 0.22, -0.1)),
            box("accent", (0.015, 0.06, 0.09), at=(0.135, post + 0.29, -0.06)),
        ]
    w, h = k.u(0.45, 0.55), k.u(1.1, 1.3)
    return [
        *[box("detail", (0.06, 0.2, 0.06), at=(x, 0.1, z)) for x in (-w / 2 + 0.05, w / 2 - 0.05) for z in (-0.2, 0.2)],
        box("primary", (w, h - 0.45, 0.5), at=(0, 0.2 + (h - 0.45) / 2, 0)),
        extrude("primary", [(-0.25, 0), (0.25, 0), *[(0.25 * cos(radians(a)), 0.25 * sin(radians(a))) for a in (20, 45, 70, 90, 110, 135, 160)]], w, at=(0, h - 0.25, 0), rot=(0, 90, 0), smooth=True),
        box("detail", (w * 0.6, 0.03, 0.02), at=(0, h - 0.2, 0.25)),
        box("accent", (w * 0.5, 0.1, 0.01), at=(0, h * 0.55, 0.252)),
    ]


@family("traffic light", "traffic lights, traffic signal, traffic signals, stoplight, stop light, signal light", {"primary": "paint:black", "secondary": "steel", "red": "light:red", "amber": "light:amber", "green": "light:green"},
        part_words={"pole": "secondary", "post": "secondary", "housing": "primary"})
def traffic_light(k: Knobs, kind: str) -> list[Part]:
    h = k.u(2.6, 3.2)
    r = 0.09
    parts = [cyl("secondary", 0.2, 0.08), cyl("secondary", 0.06, h, at=(0, 0.08, 0))]
    heads = [(0.0, h + 0.3, 0.1)]
    if k.chance(0.35):
        reach = k.u(1.2, 1.8)
        parts.append(rod("secondary", (0, h - 0.1, 0), (reach, h + 0.1, 0), 0.04))
        heads.append((reach, h + 0.1 - 0.35, 0.1))
    for x, y, z in heads:
        parts.append(rbox("primary", (0.28, 0.8, 0.22), 0.03, at=(x, y, z)))
        for slot, dy in (("red", 0.24), ("amber", 0.0), ("green", -0.24)):
            parts.append(cyl(slot, r, 0.03, at=(x, y + dy, z + 0.1), rot=(90, 0, 0)))
            parts.append(box("primary", (0.22, 0.015, 0.12), at=(x, y + dy + 0.1, z + 0.17), rot=(-15, 0, 0)))  # visor
    return parts


@family("sign", "signs, road sign, street sign, traffic sign, signpost, sign post, wooden sign, shop sign, warning sign",
        {"primary": "paint:red", "secondary": "steel", "accent": "paint:white", "wood": "wood"},
        kinds=[kind("stop", nouns="stop sign", words_="stop, octagonal"),
               kind("road", nouns="road sign, traffic sign, warning sign, yield sign, street sign", words_="road, traffic, warning, yield, street, give way", slots={"primary": "paint:yellow", "accent": "paint:black"}),
               kind("signpost", nouns="signpost, sign post, wooden sign, direction sign, fingerpost", words_="wooden, pointing, directions, crossroads",
                    slots={"primary": "wood", "secondary": "wood", "accent": "dark wood"}, main=("primary", "secondary"))],
        part_words={"post": "secondary", "pole": "secondary", "letters": "accent", "text": "accent"})
def sign(k: Knobs, kind: str) -> list[Part]:
    h = k.u(2.0, 2.5)
    if kind == "signpost":
        boards = k.i(2, 4)
        parts = [cyl("secondary", 0.06, h * 0.9, r_top=0.05), cone("secondary", 0.07, 0.12, at=(0, h * 0.9, 0))]
        for i in range(boards):
            a = k.u(-60, 60) + (180 if i % 2 else 0)
            y = h * 0.8 - 0.25 * i
            length = k.u(0.6, 0.8)
            parts.append(extrude("primary", [(0, -0.08), (length, -0.08), (length + 0.12, 0), (length, 0.08), (0, 0.08)], 0.035, at=(0, y, 0), rot=(0, a, 0)))
            parts.append(box("accent", (length * 0.7, 0.03, 0.04), at=(length * 0.45 * cos(radians(a)), y, -length * 0.45 * sin(radians(a))), rot=(0, a, 0)))
        return parts
    parts = [cyl("secondary", 0.035, h)]
    if kind == "stop":
        r = k.u(0.32, 0.4)
        parts += [
            lathe("primary", [(0, 0, 1), (r, 0, 1), (r, 0.02, 1), (0, 0.02, 1)], at=(0, h, 0.04), rot=turn(("y", 22.5), ("x", 90)), segments=8),
            lathe("accent", [(r * 0.92, 0, 1), (r * 0.97, 0, 1), (r * 0.97, 0.022, 1), (r * 0.92, 0.022, 1)], at=(0, h, 0.04), rot=turn(("y", 22.5), ("x", 90)), segments=8, closed=True),
            *[box("accent", (r * 0.22, r * 0.4, 0.005), at=(-r * 0.6 + i * r * 0.4, h, 0.063)) for i in range(4)],
        ]
        return parts
    shape = k.pick(["diamond", "triangle", "rect"])
    s = k.u(0.55, 0.75)
    if shape == "rect":
        parts += [box("primary", (s * 1.4, s * 0.5, 0.02), at=(0, h, 0.04)), box("accent", (s * 1.2, s * 0.08, 0.004), at=(0, h, 0.052))]
    elif shape == "triangle":
        parts += [extrude("primary", [(-s / 2, -s * 0.3), (s / 2, -s * 0.3), (0, s * 0.55)], 0.02, at=(0, h, 0.04)),
                  extrude("accent", [(-0.03, -0.1), (0.03, -0.1), (0.02, 0.15), (-0.02, 0.15)], 0.004, at=(0, h, 0.052))]
    else:
        parts += [box("primary", (s * 0.7, s * 0.7, 0.02), at=(0, h, 0.04), rot=(0, 0, 45)), box("accent", (s * 0.45, s * 0.45, 0.004), at=(0, h, 0.052), rot=(0, 0, 45)),
                  box("primary", (s * 0.38, s * 0.38, 0.005), at=(0, h, 0.053), rot=(0, 0, 45))]
    return parts


@family("phone booth", "phone booths, telephone box, phone box, telephone booth, call box, phonebooth, police box", {"primary": "paint:red", "glass": "window", "accent": "paint:white", "detail": "obsidian"},
        part_words={"windows": "glass", "roof": "primary"})
def phone_booth(k: Knobs, kind: str) -> list[Part]:
    w, h = k.u(0.9, 1.05), k.u(2.4, 2.6)
    parts = [
        box("primary", (w + 0.1, 0.12, w + 0.1), at=(0, 0.06, 0)),
        box("primary", (w, h - 0.4, w), at=(0, 0.12 + (h - 0.4) / 2, 0)),
        box("primary", (w + 0.08, 0.3, w + 0.08), at=(0, h - 0.13, 0)),
        hemi("primary", w * 0.58, at=(0, h + 0.02, 0), scale=(1, 0.35, 1)),
        box("accent", (w * 0.7, 0.12, 0.02), at=(0, h - 0.13, w / 2 + 0.045)),
    ]
    rows = k.i(5, 8)
    for facing in (0, 90, 180, 270):
        for r in range(rows):
            for c in range(3):
                x = (c - 1) * w * 0.22
                y = 0.5 + r * (h - 1.1) / rows
                c_, s_ = cos(radians(facing)), sin(radians(facing))
                z = w / 2 + 0.005
                parts.append(box("glass", (w * 0.19, (h - 1.1) / rows * 0.8, 0.02), at=(x * c_ + z * s_, y + 0.15, -x * s_ + z * c_), rot=(0, facing, 0)))
    return parts


@family("parking meter", "parking meters, parking meter post", {"primary": "paint:grey", "secondary": "steel", "glass": "glass", "detail": "paint:black"},
        part_words={"post": "secondary", "head": "primary"})
def parking_meter(k: Knobs, kind: str) -> list[Part]:
    h = k.u(1.1, 1.3)
    double = k.chance(0.35)
    parts = [cyl("secondary", 0.04, h), box("secondary", (0.1 if not double else 0.4, 0.05, 0.1), at=(0, h, 0))]
    for x in ((0.0,) if not double else (-0.15, 0.15)):
        parts += [
            rbox("primary", (0.2, 0.3, 0.14), 0.03, at=(x, h + 0.18, 0)),
            hemi("primary", 0.1, at=(x, h + 0.33, 0), scale=(1, 0.9, 0.7)),
            cyl("glass", 0.07, 0.02, at=(x, h + 0.3, 0.06), rot=(90, 0, 0)),
            box("detail", (0.03, 0.05, 0.01), at=(x, h + 0.12, 0.072)),
        ]
    return parts


@family("fountain", "fountains, water fountain, drinking fountain, town fountain, garden fountain, birdbath, bird bath", {"primary": "stone", "water": "water", "secondary": "stone"},
        part_words={"water": "water", "basin": "primary"})
def fountain(k: Knobs, kind: str) -> list[Part]:
    r = k.u(1.2, 1.8)
    tiers = k.i(1, 3)
    parts = [
        lathe("primary", [(r - 0.15, 0, 1), (r, 0, 1), (r, 0.5, 1), (r - 0.15, 0.5, 1)], closed=True, segments=k.pick([8, 64])),
        cyl("water", r - 0.12, 0.38),
        cyl("secondary", 0.15, 0.6 + 0.5 * tiers),
    ]
    y, rr = 0.9, r * 0.55
    for _ in range(tiers):
        parts.append(lathe("primary", [(0, 0, 1), (rr * 0.2, 0, 1), (rr, 0.15, 1), (rr, 0.22, 1), (rr - 0.05, 0.22, 1), (rr * 0.2, 0.08, 1), (0, 0.08, 1)], at=(0, y, 0)))
        parts.append(cyl("water", rr - 0.06, 0.01, at=(0, y + 0.18, 0)))
        y, rr = y + 0.55, rr * 0.6
    parts.append(lathe("water", [(0, 0, 1), (0.06, 0, 1), (0.02, 0.3), (0, 0.35, 1)], at=(0, y - 0.4, 0)))
    return parts


@family("bus stop", "bus stops, bus shelter, bus stop shelter, tram stop, shelter", {"primary": "steel", "glass": "glass", "secondary": "paint:green", "accent": "paint:white", "wood": "wood"},
        part_words={"roof": "secondary", "bench": "wood", "glass": "glass"})
def bus_stop(k: Knobs, kind: str) -> list[Part]:
    w, h, d = k.u(2.5, 3.5), k.u(2.3, 2.6), k.u(1.1, 1.4)
    parts = [
        *[cyl("primary", 0.04, h, at=(x, 0, z)) for x in (-w / 2, w / 2) for z in (-d / 2, d / 2)],
        box("secondary", (w + 0.3, 0.08, d + 0.3), at=(0, h + 0.04, 0), rot=(5, 0, 0)),
        box("glass", (w, h - 0.3, 0.02), at=(0, h / 2 + 0.1, -d / 2)),
        *[box("glass", (0.02, h - 0.3, d * 0.8), at=(s * w / 2, h / 2 + 0.1, -d * 0.1)) for s in (-1, 1)],
        box("wood", (w * 0.7, 0.05, 0.35), at=(0, 0.45, -d / 2 + 0.25)),
        *[box("primary", (0.04, 0.43, 0.3), at=(x, 0.215, -d / 2 + 0.25)) for x in (-w * 0.3, w * 0.3)],
    ]
    if k.chance(0.7):
        parts += [cyl("primary", 0.035, 2.6, at=(w / 2 + 0.6, 0, d / 2)), cyl("secondary", 0.25, 0.03, at=(w / 2 + 0.6, 2.45, d / 2 + 0.02), rot=(90, 0, 0)),
                  cyl("accent", 0.18, 0.035, at=(w / 2 + 0.6, 2.45, d / 2 + 0.02), rot=(90, 0, 0))]
    return parts


@family("bollard", "bollards, post bollard, parking bollard, street bollard, concrete post", {"primary": "concrete", "accent": "paint:yellow"},
        part_words={"band": "accent", "stripe": "accent"})
def bollard(k: Knobs, kind: str) -> list[Part]:
    r, h = k.u(0.1, 0.16), k.u(0.7, 1.0)
    parts = [lathe("primary", [(0, 0, 1), (r * 1.1, 0, 1), (r, 0.06), (r, h, 1), (r * 0.9, h + r * 0.3), (0, h + r * 0.5, 1)])]
    if k.chance(0.7):
        parts.append(cyl("accent", r + 0.004, 0.07, at=(0, h * k.u(0.7, 0.85), 0)))
    return parts


@family("utility pole", "utility poles, telephone pole, power pole, electric pole, telegraph pole", {"primary": "wood", "metal": "steel", "detail": "plastic:black"},
        part_words={"wires": "detail"})
def utility_pole(k: Knobs, kind: str) -> list[Part]:
    h = k.u(6.0, 8.0)
    arms = k.i(1, 2)
    parts = [cyl("primary", 0.14, h, r_top=0.11)]
    for i in range(arms):
        y = h - 0.4 - 0.7 * i
        parts.append(box("primary", (1.8, 0.1, 0.1), at=(0, y, 0)))
        parts += [cyl("detail", 0.04, 0.12, at=(x, y + 0.05, 0)) for x in (-0.8, -0.3, 0.3, 0.8)]
    parts.append(cyl("metal", 0.18, 0.5, at=(0.25, h - 2.0, 0.1)))
    return parts


@family("manhole", "manholes, manhole cover, drain cover, sewer cover", {"primary": "iron"})
def manhole(k: Knobs, kind: str) -> list[Part]:
    r = k.u(0.3, 0.4)
    return [cyl("primary", r, 0.03), *[torus("primary", r * f, 0.008, at=(0, 0.03, 0)) for f in (0.35, 0.6, 0.85)],
            *[box("primary", (r * 1.7, 0.01, 0.015), at=(0, 0.034, 0), rot=(0, a, 0)) for a in range(0, 180, k.pick([30, 45, 60]))]]
