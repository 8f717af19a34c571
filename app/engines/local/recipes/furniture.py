"""Furniture and the things on it: seats, tables, beds, cases, doors, mirrors, lamps, candles, lanterns, clocks."""

# ruff: noqa: E501
# fmt: off

from __future__ import annotations

from math import cos, radians, sin

from app.engines.local.parts import Part, box, cone, cyl, extrude, hemi, lathe, rbox, ring, sphere, torus, tube
from app.engines.local.recipes.model import Knobs, family, kind
from app.engines.local.recipes.shapes import around, legs, rod, slab


@family("chair", "chairs, seat, dining chair, kitchen chair, wooden chair, throne, desk chair",
        {"primary": "wood", "secondary": "wood", "cushion": "fabric:red", "metal": "steel", "detail": "plastic:black"},
        kinds=[kind("dining", words_="dining, kitchen, wooden, ladderback, ladder back"),
               kind("armchair", nouns="armchair, arm chair, recliner, easy chair, wingback, club chair", words_="arm, easy, reading, leather, upholstered",
                    slots={"primary": "fabric:olive", "cushion": "fabric:olive", "secondary": "dark wood"}),
               kind("office", nouns="office chair, swivel chair, computer chair, gaming chair", words_="office, swivel, computer, gaming, desk",
                    slots={"primary": "fabric:black", "cushion": "fabric:black", "secondary": "plastic:black"}),
               kind("rocking", nouns="rocking chair, rocker", words_="rocking"),
               kind("throne", nouns="throne", words_="royal, king, queen", slots={"primary": "gold", "cushion": "fabric:red"})],
        part_words={"seat": "cushion", "cushion": "cushion", "backrest": "primary", "legs": "secondary", "frame": "secondary"},
        main=("primary", "cushion"))
def chair(k: Knobs, kind: str) -> list[Part]:
    if kind == "armchair":
        w, d = k.u(0.8, 0.95), k.u(0.8, 0.9)
        back, arm = k.u(0.85, 1.0), k.u(0.55, 0.65)
        return [
            rbox("primary", (w, 0.3, d), 0.05, at=(0, 0.28, 0)),
            rbox("cushion", (w - 0.3, 0.14, d - 0.2), 0.05, at=(0, 0.48, 0.06)),
            rbox("primary", (w, back - 0.13, 0.22), 0.08, at=(0, (back + 0.13) / 2, -d / 2 + 0.11), rot=(-8, 0, 0)),
            *[rbox("primary", (0.17, arm - 0.13, d), 0.07, at=(s * (w / 2 - 0.085), (arm + 0.13) / 2, 0)) for s in (-1, 1)],
            *legs("secondary", w / 2 - 0.07, d / 2 - 0.07, 0.13, 0.05, turned=True),
        ]
    if kind == "office":
        seat, back = k.u(0.46, 0.52), k.u(0.55, 0.75)
        parts = [
            rbox("cushion", (0.5, 0.08, 0.48), 0.03, at=(0, seat, 0)),
            rbox("primary", (0.46, back, 0.07), 0.04, at=(0, seat + 0.08 + back / 2, -0.24), rot=(-6, 0, 0)),
            cyl("metal", 0.03, seat - 0.1, at=(0, 0.06, 0)),
            cyl("secondary", 0.045, 0.08, at=(0, seat - 0.12, 0)),
            *[slab("secondary", (0, 0.06, 0), (x * 0.32, 0.04, z * 0.32), 0.05, 0.03) for x, _, z, _ in around(5, 1.0, 0)],
            *[sphere("detail", 0.028, at=(x * 0.32, 0.028, z * 0.32)) for x, _, z, _ in around(5, 1.0, 0)],
        ]
        if k.chance(0.7):
            parts += [box("secondary", (0.05, 0.03, 0.28), at=(s * 0.27, seat + 0.2, 0)) for s in (-1, 1)]
            parts += [box("secondary", (0.03, 0.2, 0.04), at=(s * 0.27, seat + 0.1, 0)) for s in (-1, 1)]
        return parts
    if kind == "throne":
        w, back = k.u(0.75, 0.9), k.u(1.5, 1.9)
        return [
            box("primary", (w, 0.45, 0.7), at=(0, 0.225, 0)),
            rbox("cushion", (w - 0.15, 0.1, 0.6), 0.03, at=(0, 0.5, 0.02)),
            box("primary", (w, back, 0.12), at=(0, back / 2, -0.33)),
            extrude("primary", [(-w / 2, 0), (w / 2, 0), (0, 0.35)], 0.12, at=(0, back, -0.33)),
            rbox("cushion", (w - 0.25, back - 0.7, 0.05), 0.02, at=(0, 0.5 + (back - 0.5) / 2, -0.26)),
            *[box("primary", (0.12, 0.35, 0.7), at=(s * (w / 2 - 0.06), 0.62, 0)) for s in (-1, 1)],
            *[sphere("primary", 0.07, at=(s * (w / 2 - 0.06), 0.82, 0.3)) for s in (-1, 1)],
        ]
    w, seat, back = k.u(0.4, 0.5), k.u(0.43, 0.48), k.u(0.4, 0.6)
    leg = k.u(0.035, 0.045)
    parts = [
        *legs("secondary", w / 2 - 0.03, w / 2 - 0.03, seat, leg, turned=k.chance(0.4)),
        box("cushion" if k.chance(0.3) else "primary", (w + 0.04, 0.045, w + 0.04), at=(0, seat + 0.02, 0)),
        *[box("primary", (leg, back, leg), at=(x, seat + back / 2, -w / 2 + 0.03)) for x in (-w / 2 + 0.03, w / 2 - 0.03)],
        box("primary", (w, 0.09, 0.03), at=(0, seat + back - 0.05, -w / 2 + 0.03)),
    ]
    slats = k.i(0, 4)
    if slats:
        parts += [box("primary", (0.035, back - 0.12, 0.02), at=(-w / 4 + i * (w / 2) / max(1, slats - 1) if slats > 1 else 0, seat + (back - 0.1) / 2, -w / 2 + 0.03))
                  for i in range(slats)]
    else:
        parts += [box("primary", (w, 0.04, 0.02), at=(0, seat + y, -w / 2 + 0.03)) for y in (back * 0.35, back * 0.65)]
    if kind == "rocking":
        parts += [extrude("secondary", [*[(x, 0.03 * (x / 0.4) ** 2) for x in (-0.45, -0.3, -0.15, 0, 0.15, 0.3, 0.45)],
                                        *[(x, 0.03 * (x / 0.4) ** 2 + 0.035) for x in (0.45, 0.3, 0.15, 0, -0.15, -0.3, -0.45)]],
                          0.04, at=(s * (w / 2 - 0.03), -0.01, 0), rot=(0, 90, 0), smooth=True) for s in (-1, 1)]
    return parts


@family("stool", "stools, barstool, bar stool, footstool, step stool, milking stool", {"primary": "wood", "secondary": "wood", "metal": "steel"},
        kinds=[kind("stool"), kind("bar", nouns="barstool, bar stool", words_="bar, counter, tall", slots={"secondary": "steel"})],
        part_words={"seat": "primary", "legs": "secondary"})
def stool(k: Knobs, kind: str) -> list[Part]:
    h = k.u(0.68, 0.78) if kind == "bar" else k.u(0.4, 0.55)
    r = k.u(0.15, 0.2)
    n = k.i(3, 4)
    spread = r * k.u(0.85, 1.1)
    parts = [cyl("primary", r, 0.045, at=(0, h, 0))]
    for x, _, z, _ in around(n, spread, 0, 45 if n == 4 else 0):
        parts.append(rod("secondary", (x * 1.25, 0, z * 1.25), (x * 0.7, h, z * 0.7), 0.018))
    parts.append(torus("secondary", spread * 1.05, 0.012, at=(0, h * 0.35, 0)))
    return parts


@family("bench", "benches, park bench, pew, garden bench, picnic bench, church pew", {"primary": "wood", "metal": "iron"},
        part_words={"slats": "primary", "seat": "primary", "armrests": "metal", "legs": "metal", "frame": "metal"})
def bench(k: Knobs, kind: str) -> list[Part]:
    length = k.u(1.3, 1.8)
    slats = k.i(3, 4)
    has_back = k.feature(0.85, "back", "backrest")
    parts = [box("primary", (length, 0.03, 0.1), at=(0, 0.45, -0.15 + 0.3 * i / (slats - 1))) for i in range(slats)]
    if has_back:
        parts += [box("primary", (length, 0.09, 0.03), at=(0, y, -0.24), rot=(-12, 0, 0)) for y in (0.62, 0.76, 0.9)[: k.i(2, 3)]]
    for x in (-length / 2 + 0.15, length / 2 - 0.15):
        parts += [box("metal", (0.05, 0.44, 0.05), at=(x, 0.22, z)) for z in (-0.16, 0.16)]
        parts.append(box("metal", (0.04, 0.04, 0.42), at=(x, 0.42, 0)))
        if has_back:
            parts.append(box("metal", (0.05, 0.5, 0.05), at=(x, 0.7, -0.22), rot=(-12, 0, 0)))
        if k.feature(0.6, "armrest", "arm"):
            parts.append(tube("metal", [(x, 0.45, 0.18), (x, 0.62, 0.14), (x, 0.64, -0.05), (x, 0.6, -0.2)], 0.02))
    return parts


@family("table", "tables, dining table, kitchen table, side table, end table, round table, dinner table",
        {"primary": "wood", "secondary": "wood", "accent": "fabric:red"},
        kinds=[kind("dining", words_="dining, kitchen, dinner, wooden, farmhouse"),
               kind("coffee", nouns="coffee table, cocktail table, tea table", words_="coffee, low, cocktail"),
               kind("round", nouns="round table, cafe table, bistro table", words_="round, circular, cafe, bistro, pedestal"),
               kind("picnic", nouns="picnic table", words_="picnic, camping, garden, outdoor")],
        part_words={"top": "primary", "tabletop": "primary", "legs": "secondary", "tablecloth": "accent", "cloth": "accent"})
def table(k: Knobs, kind: str) -> list[Part]:
    if kind == "round":
        r, h = k.u(0.4, 0.6), k.u(0.72, 0.76)
        return [
            cyl("primary", r, 0.04, at=(0, h - 0.04, 0)),
            lathe("secondary", [(0, 0, 1), (0.05, 0, 1), (0.06, h * 0.2), (0.045, h * 0.5), (0.06, h - 0.05, 1), (0, h - 0.05, 1)]),
            *[slab("secondary", (0, 0.05, 0), (x, 0.02, z), 0.05, 0.04) for x, _, z, _ in around(k.i(3, 4), r * 0.6, 0, 45)],
        ]
    if kind == "picnic":
        w, d = k.u(1.5, 2.0), k.u(0.7, 0.85)
        parts = [box("primary", (w, 0.04, d / 3 - 0.01), at=(0, 0.74, (i - 1) * d / 3)) for i in range(3)]
        parts += [box("primary", (w, 0.04, 0.25), at=(0, 0.44, s * (d / 2 + 0.3))) for s in (-1, 1)]
        for x in (-w / 2 + 0.2, w / 2 - 0.2):
            parts += [slab("secondary", (x, 0, s * (d / 2 + 0.35)), (x, 0.74, s * 0.05), 0.06, 0.08) for s in (-1, 1)]
            parts.append(box("secondary", (0.06, 0.06, d + 0.9), at=(x, 0.4, 0)))
        return parts
    if kind == "coffee":
        w, d, h = k.u(0.9, 1.3), k.u(0.5, 0.65), k.u(0.38, 0.46)
    else:
        w, d, h = k.u(1.1, 1.8), k.u(0.7, 0.95), k.u(0.72, 0.78)
    top = k.u(0.035, 0.06)
    parts = [rbox("primary", (w, top, d), 0.012, at=(0, h - top / 2, 0))]
    parts += legs("secondary", w / 2 - 0.08, d / 2 - 0.08, h - top, k.u(0.05, 0.08), turned=k.chance(0.5))
    parts += [box("secondary", (w - 0.2, 0.08, 0.02), at=(0, h - top - 0.04, z * (d / 2 - 0.08))) for z in (-1, 1)]
    parts += [box("secondary", (0.02, 0.08, d - 0.2), at=(x * (w / 2 - 0.08), h - top - 0.04, 0)) for x in (-1, 1)]
    if kind == "coffee" and k.chance(0.5):
        parts.append(box("primary", (w - 0.15, 0.025, d - 0.15), at=(0, h * 0.3, 0)))
    return parts


@family("desk", "desks, writing desk, office desk, computer desk, school desk, workbench, work bench, bureau", {"primary": "wood", "secondary": "dark wood", "metal": "brass"},
        part_words={"drawers": "secondary", "knobs": "metal", "top": "primary"})
def desk(k: Knobs, kind: str) -> list[Part]:
    w, d, h = k.u(1.2, 1.6), k.u(0.6, 0.75), k.u(0.72, 0.78)
    drawers = k.i(2, 4)
    ped = w * 0.32
    parts = [
        rbox("primary", (w, 0.04, d), 0.01, at=(0, h, 0)),
        box("primary", (ped, h - 0.02, d - 0.04), at=(-w / 2 + ped / 2 + 0.02, (h - 0.02) / 2, 0)),
        box("primary", (0.04, h - 0.02, d - 0.04), at=(w / 2 - 0.04, (h - 0.02) / 2, 0)),
        box("primary", (w - ped - 0.08, h * 0.55, 0.02), at=(ped / 2 + 0.02, h * 0.65, -d / 2 + 0.04)),
    ]
    dh = (h - 0.08) / drawers
    for i in range(drawers):
        y = 0.04 + dh * (i + 0.5)
        parts.append(box("secondary", (ped - 0.04, dh - 0.02, 0.02), at=(-w / 2 + ped / 2 + 0.02, y, d / 2 - 0.01)))
        parts.append(sphere("metal", 0.014, at=(-w / 2 + ped / 2 + 0.02, y, d / 2 + 0.008)))
    return parts


@family("bed", "beds, double bed, single bed, king size bed, queen size bed, cot, crib, four poster bed, four-poster bed",
        {"primary": "wood", "secondary": "fabric:white", "accent": "fabric:blue"},
        kinds=[kind("bed"), kind("bunk", nouns="bunk bed, bunks, bunk", words_="bunk"),
               kind("four poster", nouns="four poster bed, four-poster bed, canopy bed", words_="poster, canopy, royal")],
        part_words={"blanket": "accent", "sheets": "accent", "duvet": "accent", "quilt": "accent", "pillows": "secondary", "mattress": "secondary", "frame": "primary"},
        colour="accent")
def bed(k: Knobs, kind: str) -> list[Part]:
    w = k.u(0.95, 1.1) if kind == "bunk" else k.u(1.3, 1.8)
    length, y0 = k.u(1.95, 2.15), k.u(0.25, 0.35)
    pillows = 1 if w < 1.2 else 2

    def layer(y: float) -> list[Part]:
        return [
            box("primary", (w + 0.06, 0.2, length), at=(0, y, 0)),
            rbox("secondary", (w - 0.04, 0.18, length - 0.06), 0.05, at=(0, y + 0.18, 0)),
            rbox("accent", (w + 0.02, 0.08, length * 0.65), 0.035, at=(0, y + 0.25, length * 0.17)),
            *[rbox("secondary", (w / pillows - 0.12, 0.1, 0.34), 0.045, at=((i - (pillows - 1) / 2) * w / pillows, y + 0.3, -length / 2 + 0.28)) for i in range(pillows)],
        ]

    parts = layer(y0)
    head = k.u(0.9, 1.2)
    if kind == "bunk":
        parts += layer(y0 + 1.2)
        parts += [box("primary", (0.07, 2.05, 0.07), at=(x, 1.025, z)) for x in (-w / 2 - 0.03, w / 2 + 0.03) for z in (-length / 2, length / 2)]
        parts += [box("primary", (0.04, 0.04, 0.06), at=(w / 2 + 0.06, 0.3 + 0.3 * i, length / 2 - 0.25)) for i in range(5)]
        parts += [box("primary", (0.04, 1.6, 0.04), at=(w / 2 + 0.06, 0.8, length / 2 - 0.25 + s * 0.17)) for s in (-1, 1)]
        return parts
    parts += [box("primary", (w + 0.12, head, 0.07), at=(0, head / 2, -length / 2 - 0.03)), box("primary", (w + 0.12, head * 0.5, 0.07), at=(0, head * 0.25, length / 2 + 0.03))]
    if kind == "four poster":
        parts += [cyl("primary", 0.04, 2.1, at=(x, 0, z)) for x in (-w / 2 - 0.03, w / 2 + 0.03) for z in (-length / 2, length / 2)]
        parts += [box("accent", (w + 0.2, 0.12, length + 0.1), at=(0, 2.1, 0))]
    return parts


def _books(width: float, shelves: list[float], depth: float, k: Knobs) -> list[Part]:
    """Rows of books of varied width and height on each shelf, leaving some gaps."""
    slots = ("book_a", "book_b", "book_c", "book_d")
    out = []
    for base in shelves:
        x = -width / 2 + 0.02
        end = width / 2 - (k.u(0.05, 0.3) if k.chance(0.6) else 0.02)
        while True:
            w, h = k.u(0.025, 0.055), k.u(0.22, 0.32)
            if x + w > end:
                break
            out.append(box(k.pick(slots), (w - 0.004, h, depth * 0.75), at=(x + w / 2, base + h / 2, 0.01)))
            x += w
    return out


@family("bookshelf", "bookshelves, bookcase, bookcases, book shelf, shelves, shelf, library shelf, shelving, book case",
        {"primary": "wood", "book_a": "leather:red", "book_b": "leather:navy", "book_c": "leather:green", "book_d": "leather"},
        part_words={"books": "book_a"})
def bookshelf(k: Knobs, kind: str) -> list[Part]:
    w, h, d = k.u(0.8, 1.1), k.u(1.6, 2.0), k.u(0.28, 0.34)
    n = k.i(4, 5)
    ys = [0.015 + (h - 0.05) * i / n for i in range(n + 1)]
    parts = [box("primary", (0.03, h, d), at=(x, h / 2, 0)) for x in (-w / 2 + 0.015, w / 2 - 0.015)]
    parts += [box("primary", (w, 0.03, d), at=(0, y, 0)) for y in ys]
    parts.append(box("primary", (w, h, 0.012), at=(0, h / 2, -d / 2 + 0.006)))
    return parts + _books(w - 0.05, [y + 0.015 for y in ys[:-1]], d, k)


@family("cabinet", "cabinets, dresser, chest of drawers, drawers, cupboard, sideboard, commode, dressers, credenza, buffet, filing cabinet",
        {"primary": "wood", "secondary": "oak", "metal": "brass"},
        kinds=[kind("dresser", nouns="dresser, chest of drawers, drawers, commode, filing cabinet", words_="drawers"),
               kind("wardrobe", nouns="wardrobe, armoire, closet, clothes cabinet", words_="tall"),
               kind("nightstand", nouns="nightstand, night stand, bedside table, bedside cabinet, night table", words_="bedside, night"),
               kind("cupboard", nouns="cupboard, sideboard, credenza, buffet, kitchen cabinet", words_="kitchen, doors")],
        part_words={"drawers": "secondary", "doors": "secondary", "knobs": "metal", "handles": "metal"})
def cabinet(k: Knobs, kind: str) -> list[Part]:
    w, h, d = {"dresser": (k.u(0.75, 1.1), k.u(0.9, 1.15), k.u(0.45, 0.52)), "wardrobe": (k.u(0.9, 1.3), k.u(1.8, 2.1), k.u(0.55, 0.62)),
               "nightstand": (k.u(0.42, 0.55), k.u(0.5, 0.62), k.u(0.38, 0.45)), "cupboard": (k.u(1.1, 1.6), k.u(0.8, 0.95), k.u(0.45, 0.55))}[kind]
    foot = 0.08
    parts = [
        box("primary", (w, h - foot, d), at=(0, foot + (h - foot) / 2, 0)),
        rbox("primary", (w + 0.04, 0.035, d + 0.03), 0.008, at=(0, h + 0.015, 0)),
        *legs("primary", w / 2 - 0.05, d / 2 - 0.05, foot, 0.05),
    ]
    front = d / 2 + 0.01
    if kind in ("dresser", "nightstand"):
        n = k.i(3, 5) if kind == "dresser" else k.i(1, 2)
        dh = (h - foot - 0.03) / n
        for i in range(n):
            y = foot + 0.015 + dh * (i + 0.5)
            parts.append(box("secondary", (w - 0.06, dh - 0.025, 0.02), at=(0, y, front)))
            parts += [sphere("metal", 0.016, at=(x, y, front + 0.018)) for x in ((-w * 0.22, w * 0.22) if w > 0.6 else (0,))]
        if kind == "nightstand" and n == 1:
            parts.append(box("primary", (w - 0.06, 0.02, d - 0.04), at=(0, foot + 0.12, 0)))
    else:
        doors = 2 if kind == "wardrobe" or w < 1.3 else 3
        dw = (w - 0.04) / doors
        for i in range(doors):
            x = -w / 2 + 0.02 + dw * (i + 0.5)
            parts.append(box("secondary", (dw - 0.02, h - foot - 0.05, 0.02), at=(x, foot + (h - foot) / 2, front)))
            parts.append(box("metal", (0.015, 0.12 if kind == "wardrobe" else 0.08, 0.015), at=(x + (dw / 2 - 0.06) * (1 if i % 2 == 0 else -1), foot + (h - foot) * 0.55, front + 0.018)))
    return parts


@family("sofa", "sofas, couch, couches, settee, loveseat, divan, sectional, chesterfield", {"primary": "fabric:grey", "secondary": "dark wood", "cushion": "fabric:grey"},
        part_words={"cushions": "cushion", "pillows": "cushion", "legs": "secondary"})
def sofa(k: Knobs, kind: str) -> list[Part]:
    seats = k.i(2, 3)
    sw = k.u(0.55, 0.68)
    w, d = seats * sw + 0.4, k.u(0.85, 0.95)
    arm, back = k.u(0.55, 0.68), k.u(0.75, 0.9)
    parts = [
        rbox("primary", (w, 0.3, d), 0.05, at=(0, 0.25, 0)),
        *[rbox("cushion", (sw - 0.02, 0.15, d - 0.2), 0.05, at=(-(seats - 1) * sw / 2 + i * sw, 0.47, 0.07)) for i in range(seats)],
        rbox("primary", (w - 0.14, back - 0.1, 0.22), 0.08, at=(0, 0.1 + (back - 0.1) / 2, -d / 2 + 0.11)),
        *[rbox("primary", (0.2, arm - 0.1, d), 0.08, at=(s * (w / 2 - 0.1), 0.1 + (arm - 0.1) / 2, 0)) for s in (-1, 1)],
        *[cyl("secondary", 0.025, 0.1, at=(x, 0, z)) for x in (-w / 2 + 0.1, w / 2 - 0.1) for z in (-d / 2 + 0.1, d / 2 - 0.1)],
    ]
    if k.feature(0.6, "cushion", "pillow"):
        parts += [rbox("cushion", (0.4, 0.36, 0.12), 0.06, at=(s * (w / 2 - 0.4), 0.7, -d / 2 + 0.3), rot=(-15, s * 15, 0)) for s in (-1, 1)]
    return parts


@family("door", "doors, wooden door, front door, gate door, dungeon door, castle door, barn door", {"primary": "wood", "secondary": "dark wood", "metal": "iron"},
        part_words={"frame": "secondary", "handle": "metal", "knob": "metal", "hinges": "metal"})
def door(k: Knobs, kind: str) -> list[Part]:
    w, h = k.u(0.8, 1.0), k.u(1.95, 2.2)
    arched = k.chance(0.35)
    parts = [
        box("secondary", (w + 0.2, 0.12, 0.16), at=(0, h + 0.06, 0)),
        *[box("secondary", (0.1, h, 0.16), at=(s * (w / 2 + 0.05), h / 2, 0)) for s in (-1, 1)],
        box("metal", (0.025, 0.025, 0.06), at=(w / 2 - 0.1, h * 0.48, 0.05)),
        sphere("metal", 0.03, at=(w / 2 - 0.1, h * 0.48, 0.09)),
    ]
    if arched:
        parts.append(extrude("primary", [(-w / 2, 0, 1), (w / 2, 0, 1), *[(w / 2 * cos(radians(a)), h - w / 2 + w / 2 * sin(radians(a))) for a in range(0, 181, 30)]], 0.06))
        parts += [box("metal", (w * 0.9, 0.05, 0.075), at=(0, y, 0)) for y in (h * 0.2, h * 0.7)]
    else:
        parts.append(box("primary", (w, h, 0.06), at=(0, h / 2, 0)))
        panels = k.pick([(2, 2), (1, 2), (2, 3)])
        pw, ph = (w - 0.2) / panels[0], (h - 0.3) / panels[1]
        parts += [box("primary", (pw - 0.08, ph - 0.08, 0.075), at=(-w / 2 + 0.1 + pw * (i + 0.5), 0.15 + ph * (j + 0.5), 0)) for i in range(panels[0]) for j in range(panels[1])]
    return parts


@family("mirror", "mirrors, wall mirror, hand mirror, vanity mirror, magic mirror, looking glass", {"primary": "gold", "glass": "chrome"},
        part_words={"frame": "primary"})
def mirror(k: Knobs, kind: str) -> list[Part]:
    w, h = k.u(0.45, 0.7), k.u(0.6, 1.0)
    if k.chance(0.5):
        return [cyl("primary", 1.0, 0.05, rot=(90, 0, 0), at=(0, h / 2 + 0.05, -0.025), scale=(w / 2 + 0.05, 1, h / 2 + 0.05)),
                cyl("glass", 1.0, 0.02, rot=(90, 0, 0), at=(0, h / 2 + 0.05, 0.012), scale=(w / 2, 1, h / 2))]
    return [rbox("primary", (w + 0.1, h + 0.1, 0.05), 0.02, at=(0, h / 2 + 0.05, 0)), box("glass", (w, h, 0.02), at=(0, h / 2 + 0.05, 0.02))]


@family("picture frame", "picture frames, painting, paintings, portrait, framed picture, framed painting, photo frame, canvas",
        {"primary": "gold", "canvas": "paint:sky", "accent": "paint:green"}, part_words={"frame": "primary", "picture": "canvas"})
def picture_frame(k: Knobs, kind: str) -> list[Part]:
    w, h = k.u(0.5, 0.8), k.u(0.4, 0.65)
    hill = k.u(0.3, 0.5)
    return [
        rbox("primary", (w + 0.12, h + 0.12, 0.04), 0.015, at=(0, h / 2, 0)),
        box("canvas", (w, h, 0.01), at=(0, h / 2, 0.02)),
        extrude("accent", [(-w / 2, 0), (w / 2, 0), (w / 2, h * hill * 0.7), (w * 0.1, h * hill), (-w / 2, h * hill * 0.5)], 0.006, at=(0, 0.001, 0.026), smooth=True),
        sphere("accent", h * 0.08, at=(w * 0.25, h * 0.75, 0.026), scale=(1, 1, 0.1)),
    ]


@family("lamp", "lamps, lampshade, light, lights", {"primary": "fabric:beige", "metal": "brass", "accent": "light", "glass": "glass:yellow"},
        kinds=[kind("table", nouns="table lamp, bedside lamp, reading lamp", words_="table, bedside, reading"),
               kind("desk", nouns="desk lamp, architect lamp, anglepoise", words_="desk, office, study", slots={"primary": "paint:black", "metal": "steel"}),
               kind("floor", nouns="floor lamp, standing lamp, standard lamp", words_="floor, standing"),
               kind("street", nouns="street lamp, streetlamp, street light, streetlight, lamppost, lamp post, lamp posts, lampposts, gas lamp, park lamp",
                    words_="street, road, park, victorian, gas, outdoor", slots={"metal": "iron:black", "primary": "iron:black", "glass": "glass:yellow"},
                    main=("metal", "primary"), colour="metal")],
        part_words={"shade": "primary", "lampshade": "primary", "bulb": "accent", "post": "metal", "pole": "metal", "base": "metal"})
def lamp(k: Knobs, kind: str) -> list[Part]:
    if kind == "street":
        h = k.u(3.2, 4.2)
        parts = [
            lathe("metal", [(0, 0, 1), (0.22, 0, 1), (0.2, 0.12, 1), (0.12, 0.25), (0.09, 0.6, 1), (0.07, 0.62, 1), (0.07, h * 0.8), (0.05, h, 1), (0, h, 1)]),
            torus("metal", 0.075, 0.015, at=(0, h * 0.35, 0)),
        ]
        heads = k.pick([1, 1, 2]) if k.chance(0.5) else 1
        arms = [(0.0, 0.0)] if heads == 1 else [(-0.45, 0.0), (0.45, 0.0)]
        for ax, az in arms:
            y = h + (0.05 if heads == 1 else -0.25)
            if heads == 2:
                parts.append(tube("metal", [(0, h - 0.35, 0), (ax * 0.5, h - 0.15, 0), (ax, h - 0.2, 0), (ax, y, 0)], 0.025))
            parts += [
                lathe("metal", [(0, 0, 1), (0.1, 0, 1), (0.12, 0.03, 1), (0, 0.03, 1)], at=(ax, y, az)),
                lathe("glass", [(0, 0, 1), (0.12, 0, 1), (0.18, 0.38, 1), (0, 0.38, 1)], at=(ax, y + 0.03, az), segments=6),
                *[rod("metal", (ax + 0.12 * sin(radians(a)), y + 0.03, az + 0.12 * cos(radians(a))), (ax + 0.18 * sin(radians(a)), y + 0.41, az + 0.18 * cos(radians(a))), 0.012)
                  for a in range(0, 360, 60)],
                lathe("metal", [(0, 0, 1), (0.24, 0, 1), (0.05, 0.2, 1), (0, 0.26, 1)], at=(ax, y + 0.41, az), segments=6),
                sphere("accent", 0.06, at=(ax, y + 0.2, az)),
            ]
        return parts
    if kind == "desk":
        base, arm1, arm2 = k.u(0.08, 0.1), k.u(0.3, 0.4), k.u(0.28, 0.36)
        a1, a2 = k.u(10, 25), k.u(50, 75)
        j1 = (0, 0.04 + arm1 * cos(radians(a1)), -arm1 * sin(radians(a1)))
        j2 = (0, j1[1] + arm2 * sin(radians(a2 - 40)), j1[2] + arm2 * cos(radians(a2 - 40)))
        return [
            cyl("primary", base, 0.03),
            rod("metal", (0, 0.03, 0), j1, 0.01), sphere("primary", 0.02, at=j1), rod("metal", j1, j2, 0.01),
            cone("primary", 0.08, 0.14, at=(j2[0], j2[1] - 0.02, j2[2] + 0.02), rot=(-140, 0, 0)),
            sphere("accent", 0.03, at=(j2[0], j2[1] - 0.07, j2[2] + 0.07)),
        ]
    h = k.u(1.45, 1.7) if kind == "floor" else k.u(0.4, 0.55)
    sr, sh = (k.u(0.2, 0.26), k.u(0.25, 0.32)) if kind == "floor" else (k.u(0.14, 0.2), k.u(0.16, 0.24))
    taper = k.u(0.5, 0.85)
    base = lathe("metal", [(0, 0, 1), (sr * 0.6, 0, 1), (sr * 0.58, 0.02, 1), (sr * 0.3, 0.035), (0.02, 0.05, 1), (0, 0.05, 1)]) if kind == "floor" or k.chance(0.5) else \
        lathe("metal", [(0, 0, 1), (sr * 0.45, 0, 1), (sr * 0.5, h * 0.2), (sr * 0.3, h * 0.45), (0.02, h * 0.55, 1), (0, h * 0.55, 1)])
    return [
        base,
        cyl("metal", 0.012, h - 0.05, at=(0, 0.05, 0)),
        sphere("accent", 0.035, at=(0, h - sh * 0.4, 0)),
        lathe("primary", [(sr, h - sh, 1), (sr + 0.005, h - sh, 1), (sr * taper + 0.005, h, 1), (sr * taper, h, 1)], closed=True),
        ring("metal", 0.01, sr * taper, 0.006, at=(0, h - 0.006, 0)),
    ]


@family("candle", "candles, candlestick, candle holder, taper, candelabra, tea light", {"primary": "wax", "metal": "brass", "accent": "flame", "detail": "obsidian"},
        part_words={"flame": "accent", "holder": "metal"})
def candle(k: Knobs, kind: str) -> list[Part]:
    arms = k.pick([0, 0, 2])
    h, r = k.u(0.1, 0.2), k.u(0.018, 0.028)
    parts = [lathe("metal", [(0, 0, 1), (0.07, 0, 1), (0.075, 0.012, 1), (0.068, 0.014, 1), (0.02, 0.012), (0.018, 0.04), (0.03, 0.05, 1), (0.03, 0.055, 1), (0, 0.055, 1)])]
    tops = [(0.0, 0.055)]
    if arms:
        parts.append(cyl("metal", 0.012, 0.15, at=(0, 0.055, 0)))
        tops = [(0.0, 0.2)] + [(s * 0.12, 0.16) for s in (-1, 1)]
        parts += [tube("metal", [(0, 0.1, 0), (s * 0.1, 0.1, 0), (s * 0.12, 0.13, 0), (s * 0.12, 0.16, 0)], 0.008) for s in (-1, 1)]
    else:
        parts.append(tube("metal", [(0.07, 0.01, 0), (0.1, 0.03, 0), (0.095, 0.06, 0), (0.075, 0.05, 0)], 0.006))
    for x, y in tops:
        parts += [
            cyl("metal", r * 1.3, 0.01, at=(x, y, 0)),
            cyl("primary", r, h, at=(x, y + 0.01, 0)),
            cyl("detail", 0.002, 0.015, at=(x, y + 0.01 + h - 0.002, 0)),
            lathe("accent", [(0, 0, 1), (0.009, 0.012), (0.007, 0.03), (0, 0.05, 1)], at=(x, y + h + 0.015, 0)),
        ]
    return parts


@family("lantern", "lanterns, oil lamp, hurricane lamp, storm lantern, hurricane lantern, paper lantern, camping lantern",
        {"primary": "iron", "glass": "glass:amber", "accent": "flame", "secondary": "wax"},
        part_words={"frame": "primary", "panes": "glass", "flame": "accent"})
def lantern(k: Knobs, kind: str) -> list[Part]:
    w, h = k.u(0.13, 0.18), k.u(0.18, 0.26)
    sides = k.pick([4, 6])
    return [
        lathe("primary", [(0, 0, 1), (w * 0.8, 0, 1), (w * 0.8, 0.03, 1), (0, 0.03, 1)], segments=sides, rot=(0, 180 / sides, 0)),
        lathe("glass", [(0, 0.03, 1), (w * 0.7, 0.03, 1), (w * 0.7, 0.03 + h, 1), (0, 0.03 + h, 1)], segments=sides, rot=(0, 180 / sides, 0)),
        *[rod("primary", (w * 0.76 * sin(radians(a)), 0.03, w * 0.76 * cos(radians(a))), (w * 0.76 * sin(radians(a)), 0.03 + h, w * 0.76 * cos(radians(a))), 0.007)
          for a in [180 / sides + 360 * i / sides for i in range(sides)]],
        lathe("primary", [(0, 0, 1), (w * 0.85, 0, 1), (w * 0.15, h * 0.4, 1), (0, h * 0.4, 1)], at=(0, 0.03 + h, 0), segments=sides, rot=(0, 180 / sides, 0)),
        cyl("primary", 0.02, 0.02, at=(0, 0.03 + h * 1.4, 0)),
        torus("primary", 0.04, 0.006, at=(0, 0.09 + h * 1.45, 0), rot=(90, 0, 0)),
        cyl("secondary", 0.018, h * 0.3, at=(0, 0.03, 0)),
        lathe("accent", [(0, 0, 1), (0.01, 0.012), (0.008, 0.03), (0, 0.05, 1)], at=(0, 0.03 + h * 0.3, 0)),
    ]


@family("clock", "clocks, alarm clock, wall clock, timepiece, mantel clock, cuckoo clock", {"primary": "paint:red", "secondary": "paint:white", "detail": "obsidian", "metal": "brass", "wood": "dark wood"},
        kinds=[kind("alarm", nouns="alarm clock", words_="alarm, bedside"),
               kind("grandfather", nouns="grandfather clock, longcase clock, tall clock, grandmother clock", words_="grandfather, longcase, pendulum", slots={"primary": "dark wood"}),
               kind("wall", nouns="wall clock, kitchen clock, station clock", words_="wall, kitchen, station", slots={"primary": "paint:black"})],
        part_words={"face": "secondary", "dial": "secondary", "hands": "detail", "bells": "metal", "pendulum": "metal"})
def clock(k: Knobs, kind: str) -> list[Part]:
    def face(r: float, y: float, z: float) -> list[Part]:
        return [
            cyl("secondary", r, 0.006, at=(0, y, z), rot=(90, 0, 0)),
            *[box("detail", (r * 0.06, r * 0.16, 0.004), at=(r * 0.8 * sin(radians(a)), y + r * 0.8 * cos(radians(a)), z + 0.007), rot=(0, 0, -a)) for a in range(0, 360, 30)],
            box("detail", (r * 0.06, r * 0.5, 0.003), at=(r * 0.12, y + r * 0.2, z + 0.009), rot=(0, 0, -30)),
            box("detail", (r * 0.04, r * 0.7, 0.003), at=(-r * 0.26, y - r * 0.1, z + 0.011), rot=(0, 0, -120)),
            sphere("metal", r * 0.08, at=(0, y, z + 0.01)),
        ]

    if kind == "grandfather":
        w, h = k.u(0.45, 0.55), k.u(1.9, 2.2)
        return [
            box("primary", (w, 0.2, 0.32), at=(0, 0.1, 0)),
            box("primary", (w * 0.75, h * 0.55, 0.26), at=(0, 0.2 + h * 0.275, 0)),
            box("primary", (w, h * 0.3, 0.3), at=(0, 0.2 + h * 0.55 + h * 0.15, 0)),
            extrude("primary", [(-w / 2 - 0.02, 0), (w / 2 + 0.02, 0), (0, 0.15)], 0.32, at=(0, 0.2 + h * 0.85, 0)),
            *face(w * 0.38, 0.2 + h * 0.7, 0.15),
            box("secondary", (w * 0.45, h * 0.4, 0.01), at=(0, 0.2 + h * 0.3, 0.13)),
            rod("metal", (0, 0.2 + h * 0.5, 0.14), (0, 0.2 + h * 0.2, 0.14), 0.006),
            cyl("metal", 0.05, 0.01, at=(0, 0.2 + h * 0.2, 0.14), rot=(90, 0, 0)),
        ]
    if kind == "wall":
        r = k.u(0.15, 0.2)
        return [cyl("primary", r, 0.05, at=(0, r, -0.03), rot=(90, 0, 0)), torus("primary", r, 0.012, at=(0, r, 0.02), rot=(90, 0, 0)), *face(r * 0.95, r, 0.02)]
    r = k.u(0.085, 0.11)
    return [
        cyl("primary", r, 0.06, at=(0, r + 0.02, -0.03), rot=(90, 0, 0)),
        torus("primary", r, 0.008, at=(0, r + 0.02, 0.03), rot=(90, 0, 0)),
        *face(r * 0.92, r + 0.02, 0.029),
        *[hemi("metal", r * 0.4, at=(s * r * 0.6, r * 1.9 + 0.02, 0), rot=(0, 0, -s * 35)) for s in (-1, 1)],
        *[cyl("metal", 0.008, 0.04, at=(s * r * 0.6, 0.0, 0), rot=(0, 0, -s * 20)) for s in (-1, 1)],
    ]
