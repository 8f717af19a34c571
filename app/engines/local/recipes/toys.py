"""Toys, games and sport: plush and rubber toys, balls, kites, tops, blocks, dice, chess pieces, boards, trophies,
balloons and a few pieces of sports gear."""

# ruff: noqa: E501
# fmt: off

from __future__ import annotations

from math import cos, radians, sin

from app.engines.local.parts import Part, box, capsule, cone, cyl, extrude, lathe, rbox, ring, sphere, torus, tube
from app.engines.local.recipes.model import Knobs, family, kind
from app.engines.local.recipes.shapes import around, rod, slab, wheel


@family("teddy bear", "teddy bears, teddy, teddies, plush bear, stuffed bear, teddybear, stuffed animal, plushie, soft toy",
        {"primary": "fur:tan", "secondary": "fur:beige", "detail": "obsidian", "accent": "fabric:red"},
        part_words={"bow": "accent", "ribbon": "accent", "eyes": "detail", "nose": "detail", "muzzle": "secondary", "belly": "secondary"})
def teddy_bear(k: Knobs, kind: str) -> list[Part]:
    body, head = k.u(0.13, 0.16), k.u(0.1, 0.12)
    hy = body * 1.7 + head * 0.8
    parts = [
        sphere("primary", body, at=(0, body * 1.0, 0), scale=(1, 1.15, 0.9)),
        sphere("secondary", body * 0.65, at=(0, body * 0.95, body * 0.38), scale=(1, 1.1, 0.5)),
        sphere("primary", head, at=(0, hy, 0)),
        sphere("secondary", head * 0.45, at=(0, hy - head * 0.25, head * 0.8), scale=(1, 0.8, 0.8)),
        sphere("detail", head * 0.14, at=(0, hy - head * 0.12, head * 1.12)),
        *[sphere("detail", head * 0.09, at=(s * head * 0.38, hy + head * 0.15, head * 0.86)) for s in (-1, 1)],
        *[sphere("primary", head * 0.32, at=(s * head * 0.75, hy + head * 0.7, 0), scale=(1, 1, 0.6)) for s in (-1, 1)],
        *[sphere("secondary", head * 0.18, at=(s * head * 0.75, hy + head * 0.7, head * 0.12), scale=(1, 1, 0.4)) for s in (-1, 1)],
        *[capsule("primary", body * 0.32, body * 1.3, at=(s * body * 0.85, body * 1.5, 0.02), rot=(0, 0, s * k.u(120, 150))) for s in (-1, 1)],
        *[capsule("primary", body * 0.38, body * 1.1, at=(s * body * 0.5, body * 0.35, body * 0.2), rot=(-80, 0, 0)) for s in (-1, 1)],
    ]
    if k.feature(0.6, "bow", "ribbon"):
        parts += [torus("accent", head * 0.55, 0.012, at=(0, hy - head * 0.85, 0)), *[sphere("accent", 0.025, at=(s * 0.025, hy - head * 0.85, head * 0.6), scale=(1.3, 0.8, 0.6)) for s in (-1, 1)]]
    return parts


@family("rubber duck", "rubber ducks, rubber ducky, rubber duckie, bath duck, toy duck, duckie, ducky", {"primary": "rubber:yellow", "accent": "plastic:orange", "detail": "obsidian"},
        part_words={"beak": "accent", "bill": "accent", "eyes": "detail"})
def rubber_duck(k: Knobs, kind: str) -> list[Part]:
    b, h = k.u(0.07, 0.085), k.u(0.045, 0.055)
    tail = k.u(20, 45)
    hz = b * k.u(0.35, 0.55)
    return [
        sphere("primary", b, at=(0, b * 0.62, 0), scale=(1, 0.72, 1.3)),
        cone("primary", b * 0.5, b * 0.7, at=(0, b * 0.7, -b * 1.05), rot=(-90 - tail, 0, 0)),
        sphere("primary", h, at=(0, b * 1.2 + h * 0.7, hz)),
        sphere("accent", h * 0.55, at=(0, b * 1.2 + h * 0.55, hz + h * 0.95), scale=(1, 0.42, 1.0)),
        *[sphere("detail", h * 0.14, at=(s * h * 0.45, b * 1.2 + h * 0.95, hz + h * 0.78)) for s in (-1, 1)],
        *[sphere("primary", b * 0.45, at=(s * b * 0.82, b * 0.7, -b * 0.1), rot=(0, 0, s * 25), scale=(0.3, 0.6, 1.1)) for s in (-1, 1)],
    ]


@family("ball", "balls, football, soccer ball, basketball, beach ball, tennis ball, baseball, volleyball, bowling ball, rugby ball, golf ball, bouncy ball, ball toy",
        {"primary": "leather:white", "secondary": "leather:black"},
        kinds=[kind("soccer", nouns="soccer ball, football", words_="soccer, football, futbol"),
               kind("basketball", nouns="basketball", words_="basketball", slots={"primary": "rubber:orange", "secondary": "rubber:black"}),
               kind("beach", nouns="beach ball", words_="beach, striped, inflatable", slots={"primary": "plastic:white", "secondary": "plastic:red", "accent": "plastic:blue"}),
               kind("tennis", nouns="tennis ball", words_="tennis", slots={"primary": "fur:lime", "secondary": "rubber:white"}),
               kind("rugby", nouns="rugby ball, american football", words_="rugby, american", slots={"primary": "leather", "secondary": "leather:white"}),
               kind("bowling", nouns="bowling ball", words_="bowling", slots={"primary": "plastic:navy", "secondary": "obsidian"}),
               kind("baseball", nouns="baseball, golf ball", words_="baseball, golf", slots={"primary": "leather:white", "secondary": "leather:red"})],
        part_words={"stripes": "secondary", "panels": "secondary", "seams": "secondary"})
def ball(k: Knobs, kind: str) -> list[Part]:
    r = {"soccer": 0.11, "basketball": 0.12, "beach": 0.22, "tennis": 0.034, "rugby": 0.1, "bowling": 0.11, "baseball": 0.037}[kind] * k.u(0.95, 1.05)
    if kind == "rugby":
        return [sphere("primary", r, at=(0, r, 0), scale=(1, 1, 1.6)), *[box("secondary", (0.006, 0.004, r * 0.12), at=(0, r * 2 - 0.001, (i - 3) * r * 0.14)) for i in range(7)],
                box("secondary", (0.004, 0.003, r * 1.0), at=(0, r * 2, 0))]
    parts = [sphere("primary", r, at=(0, r, 0))]
    if kind == "soccer":
        # black pentagons at the vertices of an icosahedron (12 of them)
        phi = (1 + 5 ** 0.5) / 2
        for x, y, z in [(0, 1, phi), (0, -1, phi), (0, 1, -phi), (0, -1, -phi), (1, phi, 0), (-1, phi, 0), (1, -phi, 0), (-1, -phi, 0), (phi, 0, 1), (-phi, 0, 1), (phi, 0, -1), (-phi, 0, -1)]:
            n = (x * x + y * y + z * z) ** 0.5
            parts.append(sphere("secondary", r * 0.34, at=(r * x / n * 0.7, r + r * y / n * 0.7, r * z / n * 0.7)))  # shows as a patch
    elif kind in ("basketball", "tennis", "baseball"):
        parts += [torus("secondary", r * 1.0, r * 0.025, at=(0, r, 0), rot=(90, a, 0)) for a in ((0, 90) if kind == "basketball" else (45,))]
        if kind == "basketball":
            parts.append(torus("secondary", r * 1.0, r * 0.025, at=(0, r, 0)))
    elif kind == "beach":
        for i in range(6):
            parts.append(lathe("secondary" if i % 2 else "accent", [(0, -r * 1.002, 1), *[(r * 1.002 * cos(radians(a)), r * 1.002 * sin(radians(a))) for a in range(-80, 81, 20)], (0, r * 1.002, 1)],
                               at=(0, r, 0), sweep=30, rot=(0, 60 * i, 0)))
    elif kind == "bowling":
        parts += [cyl("secondary", r * 0.1, 0.006, at=(x, r * 2 - 0.005, z)) for x, z in ((0, 0.02), (-0.025, -0.015), (0.025, -0.015))]
    return parts


@family("kite", "kites, diamond kite, box kite", {"primary": "fabric:red", "secondary": "fabric:yellow", "frame": "wood", "tail": "fabric:blue"},
        part_words={"tail": "tail", "frame": "frame", "sail": "primary"})
def kite(k: Knobs, kind: str) -> list[Part]:
    w, h = k.u(0.6, 0.8), k.u(0.8, 1.0)
    cross = h * 0.68
    bows = k.i(3, 6)
    y0 = h * 0.9
    parts = [
        extrude("primary", [(0, 0, 1), (w / 2, cross, 1), (0, h, 1)], 0.006, at=(0, y0, 0)),
        extrude("secondary", [(0, 0, 1), (0, h, 1), (-w / 2, cross, 1)], 0.006, at=(0, y0, 0)),
        rod("frame", (0, y0, 0.006), (0, y0 + h, 0.006), 0.006), rod("frame", (-w / 2, y0 + cross, 0.008), (w / 2, y0 + cross, 0.008), 0.006),
        tube("tail", [(0, y0, 0), (0.08, y0 * 0.7, 0), (-0.06, y0 * 0.4, 0), (0.05, 0.05, 0)], 0.004),
    ]
    parts += [box("tail", (0.08, 0.03, 0.005), at=(0.03 * ((-1) ** i), y0 * (1 - (i + 1) / (bows + 1)), 0), rot=(0, 0, 30 * ((-1) ** i))) for i in range(bows)]
    return parts


@family("yo-yo", "yoyo, yoyos, yo yo, yo-yos", {"primary": "plastic:red", "secondary": "plastic:white", "string": "fabric:white"}, part_words={"string": "string"})
def yoyo(k: Knobs, kind: str) -> list[Part]:
    r, w = k.u(0.028, 0.032), k.u(0.03, 0.04)
    return [
        *[lathe("primary", [(0, 0, 1), (r, 0, 1), (r * 1.0, w * 0.35), (r * 0.3, w * 0.45, 1), (0, w * 0.45, 1)], at=(0, r, s * w / 2), rot=(-s * 90, 0, 0)) for s in (-1, 1)],
        *[cyl("secondary", r * 0.5, 0.003, at=(0, r, s * (w / 2 + 0.001)), rot=(s * 90 + 180 if s < 0 else 90, 0, 0)) for s in (-1, 1)],
        tube("string", [(0, r, 0), (0, r + 0.1, 0.002), (0.01, r + k.u(0.25, 0.35), 0)], 0.001),
        torus("string", 0.012, 0.002, at=(0.01, r + 0.36, 0), rot=(90, 0, 0)),
    ]


@family("spinning top", "spinning tops, top toy, toy top, dreidel, beyblade, whirligig", {"primary": "paint:red", "secondary": "paint:yellow", "wood": "wood"},
        part_words={"stripes": "secondary", "handle": "wood"})
def spinning_top(k: Knobs, kind: str) -> list[Part]:
    r, h = k.u(0.04, 0.055), k.u(0.06, 0.09)
    bands = k.i(1, 3)
    parts = [lathe("primary", [(0, 0, 1), (r * 0.15, r * 0.1), (r, h * 0.55), (r * 0.95, h * 0.7), (r * 0.3, h, 1), (0, h, 1)]), cyl("wood", r * 0.12, h * 0.45, at=(0, h, 0))]
    parts += [ring("secondary", r * 0.5 + r * 0.45 * i / bands - 0.002, r * 0.5 + r * 0.45 * i / bands + 0.003, 0.006, at=(0, h * (0.35 + 0.2 * i / bands), 0)) for i in range(bands)]
    return parts


@family("toy blocks", "toy block, building blocks, building block, alphabet blocks, alphabet block, wooden blocks, abc blocks, baby blocks, lego, lego bricks, lego brick",
        {"a": "paint:red", "b": "paint:blue", "c": "paint:yellow", "d": "paint:green", "letter": "paint:white"},
        part_words={"letters": "letter"}, main=("a", "b", "c", "d"), colour="a")
def toy_blocks(k: Knobs, kind: str) -> list[Part]:
    s = k.u(0.055, 0.07)
    spots = [(0, 0, 0), (s * 1.1, 0, 0.01), (-s * 1.05, 0, -0.01), (s * 0.05, s, 0.005), (s * 0.6, 0, s * 1.1), (-s * 0.5, 0, s * 1.2)]
    n = k.i(3, 6)
    slots = ["a", "b", "c", "d"]
    parts = []
    for i in range(n):
        x, y, z = spots[i]
        yaw = k.u(-20, 20)
        slot = slots[(i + k.i(0, 3)) % 4]
        parts.append(rbox(slot, (s, s, s), s * 0.08, at=(x, y + s / 2, z), rot=(0, yaw, 0)))
        c, sn = cos(radians(yaw)), sin(radians(yaw))
        letter = k.pick(["A", "B", "C"])
        lx, lz = x + (s / 2 + 0.001) * sn, z + (s / 2 + 0.001) * c
        glyph = {"A": [(-0.3, -0.35), (-0.05, 0.35), (0.05, 0.35), (0.3, -0.35), (0.15, -0.35), (0.08, -0.1), (-0.08, -0.1), (-0.15, -0.35)],
                 "B": [(-0.25, -0.35), (0.15, -0.35), (0.28, -0.2), (0.15, 0.0), (0.25, 0.18), (0.12, 0.35), (-0.25, 0.35)],
                 "C": [(0.25, -0.35), (-0.15, -0.35), (-0.28, -0.15), (-0.28, 0.15), (-0.15, 0.35), (0.25, 0.35), (0.25, 0.2), (-0.1, 0.2), (-0.12, -0.2), (0.25, -0.2)]}[letter]
        parts.append(extrude("letter", [(gx * s, gy * s) for gx, gy in glyph], 0.003, at=(lx, y + s / 2, lz), rot=(0, yaw, 0)))
    return parts


@family("dice", "die, dices, d6, d20, gaming dice, board game dice", {"primary": "plastic:white", "pips": "obsidian"}, part_words={"pips": "pips", "dots": "pips"})
def dice(k: Knobs, kind: str) -> list[Part]:
    n = k.pick([1, 2, 2])
    s = k.u(0.016, 0.02)
    pip_at = {1: [(0, 0)], 2: [(-1, -1), (1, 1)], 3: [(-1, -1), (0, 0), (1, 1)], 4: [(-1, -1), (-1, 1), (1, -1), (1, 1)],
              5: [(-1, -1), (-1, 1), (0, 0), (1, -1), (1, 1)], 6: [(-1, -1), (-1, 0), (-1, 1), (1, -1), (1, 0), (1, 1)]}
    parts = []
    for i in range(n):
        x, z, yaw = (i - (n - 1) / 2) * s * 1.5, k.u(-0.3, 0.3) * s, k.u(-30, 30)
        c, sn = cos(radians(yaw)), sin(radians(yaw))
        parts.append(rbox("primary", (s, s, s), s * 0.15, at=(x, s / 2, z), rot=(0, yaw, 0)))
        for face in ("top", "front", "right"):
            count = k.i(1, 6)
            for u, v in pip_at[count]:
                lu, lv = u * s * 0.25, v * s * 0.25
                if face == "top":
                    px, py, pz = lu, s / 2, lv
                elif face == "front":
                    px, py, pz = lu, lv, s / 2
                else:
                    px, py, pz = s / 2, lv, lu
                wx, wz = px * c + pz * sn, -px * sn + pz * c
                parts.append(sphere("pips", s * 0.09, at=(x + wx, s / 2 + py, z + wz), scale=(1, 1, 1)))
    return parts


@family("rocking horse", "rocking horses, hobby horse, toy horse, rocking pony", {"primary": "wood", "secondary": "dark wood", "accent": "paint:red", "mane": "fabric:black"},
        part_words={"rockers": "secondary", "saddle": "accent", "mane": "mane"})
def rocking_horse(k: Knobs, kind: str) -> list[Part]:
    length, h = k.u(0.8, 1.0), k.u(0.5, 0.6)
    neck = k.u(50, 65)
    y = h
    parts = [
        capsule("primary", 0.12, length * 0.55, at=(-length * 0.27, y, 0), rot=(0, 0, -90)),
        capsule("primary", 0.07, 0.3, at=(length * 0.22, y + 0.05, 0), rot=(0, 0, -neck)),
        capsule("primary", 0.075, 0.26, at=(length * 0.3, y + 0.3, 0), rot=(0, 0, -110)),
        *[cone("primary", 0.025, 0.07, at=(length * 0.3, y + 0.38, s * 0.035)) for s in (-1, 1)],
        box("mane", (0.03, 0.25, 0.02), at=(length * 0.18, y + 0.22, 0), rot=(0, 0, -neck + 90)),
        box("accent", (0.22, 0.03, 0.26), at=(-0.04, y + 0.12, 0)),
        tube("mane", [(-length * 0.3, y + 0.05, 0), (-length * 0.42, y - 0.05, 0), (-length * 0.45, y - 0.2, 0)], (0.03, 0.025, 0.01)),
    ]
    for sx in (-1, 1):
        for sz in (-1, 1):
            parts.append(slab("primary", (sx * length * 0.2, y - 0.05, sz * 0.08), (sx * length * 0.35, 0.08, sz * 0.14), 0.04, 0.04))
    rocker = [(x, 0.08 * (x / (length * 0.55)) ** 2) for x in [length * 0.55 * t for t in (-1, -0.66, -0.33, 0, 0.33, 0.66, 1)]]
    parts += [extrude("secondary", [*rocker, *[(x, y_ + 0.04) for x, y_ in reversed(rocker)]], 0.04, at=(0, 0.02, sz * 0.14), smooth=True) for sz in (-1, 1)]
    return parts


@family("balloon", "balloons, party balloon, birthday balloon, helium balloon, balloon bunch", {"primary": "plastic:red", "secondary": "plastic:blue", "accent": "plastic:yellow", "string": "fabric:white"},
        part_words={"string": "string"})
def balloon(k: Knobs, kind: str) -> list[Part]:
    n = k.pick([1, 1, 3])
    parts = []
    for i, slot in enumerate(("primary", "secondary", "accent")[:n]):
        r = k.u(0.11, 0.14)
        x = (i - (n - 1) / 2) * 0.2
        top = k.u(0.75, 0.95) + (0.1 if i == 1 else 0.0)
        parts += [
            lathe(slot, [(0, -r * 1.25, 1), (r * 0.3, -r * 1.05), (r * 0.8, -r * 0.6), (r, 0), (r * 0.85, r * 0.55), (r * 0.45, r * 0.9), (0, r, 1)], at=(x, top, 0)),
            cone(slot, 0.012, 0.02, at=(x, top - r * 1.25 - 0.015, 0)),
            tube("string", [(x, top - r * 1.25 - 0.015, 0), (x * 0.6 + 0.02, top * 0.5, 0.01), (0, 0.0, 0)], 0.0015),
        ]
    return parts


@family("chess piece", "chess pieces, chess set, chessman, pawn, rook, bishop piece, queen piece, king piece, chess knight, chess king, chess queen, chess rook, chess pawn, chess bishop",
        {"primary": "dark wood", "secondary": "wood"},
        kinds=[kind("pawn", nouns="pawn, chess pawn"), kind("rook", nouns="rook, chess rook, castle piece"), kind("knight", nouns="chess knight, knight piece"),
               kind("bishop", nouns="chess bishop, bishop piece"), kind("queen", nouns="chess queen, queen piece"), kind("king", nouns="chess king, king piece")])
def chess_piece(k: Knobs, kind: str) -> list[Part]:
    r = k.u(0.022, 0.026)
    base = [(0, 0, 1), (r, 0, 1), (r, r * 0.25), (r * 0.85, r * 0.45), (r * 0.5, r * 0.6)]
    if kind == "pawn":
        return [lathe("primary", [*base, (r * 0.38, r * 1.6), (r * 0.55, r * 1.7, 1), (r * 0.3, r * 1.8), (0, r * 1.8, 1)]), sphere("primary", r * 0.42, at=(0, r * 2.1, 0))]
    if kind == "rook":
        parts = [lathe("primary", [*base, (r * 0.55, r * 2.0), (r * 0.72, r * 2.1, 1), (r * 0.72, r * 2.4, 1), (0, r * 2.4, 1)])]
        return parts + [box("primary", (r * 0.3, r * 0.3, r * 0.3), at=(x, r * 2.55, z), rot=(0, a, 0)) for x, _, z, a in around(5, r * 0.55, 0)]
    if kind == "knight":
        return [lathe("primary", [*base, (r * 0.6, r * 0.8, 1), (0, r * 0.8, 1)]),
                extrude("primary", [(-r * 0.5, 0), (r * 0.5, 0), (r * 0.55, r * 0.9), (r * 0.9, r * 1.3), (r * 0.8, r * 1.6), (r * 0.2, r * 2.0), (-r * 0.3, r * 1.95), (-r * 0.6, r * 1.3)],
                        r * 0.7, at=(0, r * 0.75, 0), rot=(0, 90, 0), smooth=True)]
    tall = {"bishop": 2.6, "queen": 3.0, "king": 3.3}[kind]
    parts = [lathe("primary", [*base, (r * 0.38, r * tall * 0.6), (r * 0.62, r * tall * 0.66, 1), (r * 0.35, r * tall * 0.7), (r * 0.5, r * tall * 0.85), (r * 0.2, r * tall, 1), (0, r * tall, 1)])]
    if kind == "king":
        parts += [box("primary", (r * 0.12, r * 0.5, r * 0.12), at=(0, r * (tall + 0.22), 0)), box("primary", (r * 0.35, r * 0.12, r * 0.12), at=(0, r * (tall + 0.28), 0))]
    elif kind == "queen":
        parts += [sphere("primary", r * 0.16, at=(x, r * tall, z)) for x, _, z, _ in around(8, r * 0.3, 0)]
    else:
        parts.append(sphere("primary", r * 0.14, at=(0, r * (tall + 0.08), 0)))
    return parts


@family("skateboard", "skateboards, skate board, longboard, penny board", {"primary": "wood", "secondary": "paint:red", "metal": "aluminium", "detail": "plastic:white"},
        part_words={"deck": "primary", "wheels": "detail", "trucks": "metal", "griptape": "secondary"})
def skateboard(k: Knobs, kind: str) -> list[Part]:
    length, w = k.u(0.75, 0.95), k.u(0.19, 0.23)
    kick = k.u(0.02, 0.04)
    deck = [(-length / 2, kick, 1), (-length * 0.38, 0.0), (length * 0.38, 0.0), (length / 2, kick, 1), (length / 2, kick + 0.012, 1), (length * 0.38, 0.012), (-length * 0.38, 0.012), (-length / 2, kick + 0.012, 1)]
    parts = [extrude("primary", deck, w, at=(0, 0.085, 0), smooth=True), box("secondary", (length * 0.74, 0.002, w * 0.98), at=(0, 0.098, 0))]
    for x in (-length * 0.32, length * 0.32):
        parts.append(box("metal", (0.05, 0.03, w * 0.8), at=(x, 0.068, 0)))
        parts += wheel("detail", "metal", 0.028, 0.03, (x, 0.028, -w * 0.42)) + wheel("detail", "metal", 0.028, 0.03, (x, 0.028, w * 0.42))
    return parts


@family("trophy", "trophies, trophy cup, award, prize cup, championship cup, loving cup, medal trophy", {"primary": "gold", "secondary": "dark wood", "accent": "brass"},
        part_words={"base": "secondary", "plinth": "secondary", "plaque": "accent"})
def trophy(k: Knobs, kind: str) -> list[Part]:
    h, r = k.u(0.22, 0.3), k.u(0.07, 0.1)
    base = k.u(0.05, 0.08)
    stem = k.u(0.06, 0.1)
    y = base + stem
    return [
        box("secondary", (r * 2.0, base, r * 2.0), at=(0, base / 2, 0)),
        box("accent", (r * 1.2, base * 0.5, 0.004), at=(0, base / 2, r)),
        lathe("primary", [(0, base, 1), (r * 0.5, base, 1), (r * 0.12, base + stem * 0.3), (r * 0.1, y - 0.01), (r * 0.3, y, 1), (r * 0.6, y + 0.02), (r, y + h * 0.5), (r * 1.05, y + h * 0.7, 1),
                          (r, y + h * 0.7, 1), (r * 0.95, y + h * 0.55), (0, y + 0.03, 1)]),
        *[tube("primary", [(s * r * 0.95, y + h * 0.6, 0), (s * r * 1.45, y + h * 0.55, 0), (s * r * 1.35, y + h * 0.25, 0), (s * r * 0.6, y + h * 0.15, 0)], 0.007) for s in (-1, 1)],
    ]


@family("dumbbell", "dumbbells, barbell, barbells, weights, kettlebell, weight", {"primary": "iron", "secondary": "chrome"}, part_words={"plates": "primary", "bar": "secondary"})
def dumbbell(k: Knobs, kind: str) -> list[Part]:
    length, r = k.u(0.3, 0.4), k.u(0.06, 0.09)
    plates = k.i(1, 3)
    parts = [cyl("secondary", 0.014, length, at=(-length / 2, r, 0), rot=(0, 0, -90))]
    for s in (-1, 1):
        for i in range(plates):
            parts.append(cyl("primary", r * (1 - 0.12 * i), 0.03, at=(s * (length / 2 - 0.07 + 0.032 * i) - (0.03 if s < 0 else 0) * 0, r, 0), rot=(0, 0, -90)))
    return parts


@family("surfboard", "surfboards, surf board, paddle board, bodyboard", {"primary": "plastic:white", "secondary": "paint:blue", "detail": "plastic:black"},
        part_words={"stripe": "secondary", "fin": "detail"})
def surfboard(k: Knobs, kind: str) -> list[Part]:
    length, w = k.u(1.8, 2.4), k.u(0.5, 0.58)
    return [
        sphere("primary", 1.0, at=(0, 0.04, 0), scale=(w / 2, 0.035, length / 2)),
        sphere("secondary", 1.0, at=(0, 0.045, 0), scale=(0.03, 0.033, length * 0.48)),
        extrude("detail", [(0, 0, 1), (0.12, 0, 1), (0.02, -0.1, 1)], 0.01, at=(0, 0.02, -length * 0.4), rot=(0, 90, 0)),
    ]


@family("racket", "rackets, racquet, tennis racket, tennis racquet, badminton racket, squash racket, ping pong paddle, table tennis bat", {"primary": "paint:blue", "string": "fabric:white", "grip": "leather:black"},
        part_words={"strings": "string", "grip": "grip", "handle": "grip"})
def racket(k: Knobs, kind: str) -> list[Part]:
    length, r = k.u(0.6, 0.7), k.u(0.11, 0.14)
    head = length - r
    parts = [torus("primary", 1.0, 0.012 / r, at=(0, head, 0), rot=(90, 0, 0), scale=(r, 1, r * 1.3)), cyl("grip", 0.016, length * 0.35),
             *[rod("primary", (0, length * 0.35, 0), (s * r * 0.5, head - r * 1.15, 0), 0.01) for s in (-1, 1)]]
    parts += [box("string", (0.002, r * 2.5 * (1 - (i / 5) ** 2) ** 0.5, 0.002), at=(i * r / 5.5, head, 0)) for i in range(-5, 6)]
    parts += [box("string", (r * 1.9 * (1 - (i / 6) ** 2) ** 0.5, 0.002, 0.002), at=(0, head + i * r * 1.3 / 6.5, 0)) for i in range(-6, 7)]
    return parts


@family("baseball bat", "baseball bats, cricket bat, softball bat, bat baseball", {"primary": "wood", "grip": "leather:black"}, part_words={"grip": "grip", "handle": "grip"})
def baseball_bat(k: Knobs, kind: str) -> list[Part]:
    length = k.u(0.8, 0.9)
    return [lathe("primary", [(0, 0, 1), (0.028, 0, 1), (0.028, 0.012, 1), (0.015, 0.02), (0.014, length * 0.35), (0.03, length * 0.7), (0.034, length * 0.95), (0.025, length, 1), (0, length, 1)]),
            cyl("grip", 0.0165, length * 0.22, at=(0, 0.02, 0))]


@family("jack in the box", "jack in the box, jack-in-the-box, music box clown", {"primary": "paint:red", "secondary": "paint:yellow", "accent": "paint:blue", "skin": "skin", "metal": "steel"})
def jack_in_the_box(k: Knobs, kind: str) -> list[Part]:
    s = k.u(0.16, 0.2)
    spring = k.u(0.12, 0.18)
    parts = [box("primary", (s, s, s), at=(0, s / 2, 0)), box("secondary", (s, 0.01, s), at=(-s / 2 - 0.005, s + s / 2, 0), rot=(0, 0, -80)),
             tube("metal", [(0.03 * cos(radians(a)), s + spring * a / 1440, 0.03 * sin(radians(a))) for a in range(0, 1441, 45)], 0.004, caps=True),
             sphere("skin", 0.05, at=(0, s + spring + 0.05, 0)), cone("accent", 0.045, 0.08, at=(0, s + spring + 0.09, 0)), sphere("primary", 0.013, at=(0, s + spring + 0.05, 0.05))]
    return parts
