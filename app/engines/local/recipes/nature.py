"""Nature: trees and plants, rocks and landforms, mushrooms, crystals, shells and clouds. Lumpy shapes are seeded
blobs; the knobs vary trunk height, branch and leaf counts, spread and lean."""

# ruff: noqa: E501
# fmt: off

from __future__ import annotations

from math import cos, radians, sin

from app.engines.local.parts import Part, blob, box, capsule, cone, cyl, extrude, lathe, sphere, torus, tube
from app.engines.local.recipes.model import Knobs, family, kind
from app.engines.local.recipes.shapes import around, leaf_rosette, turn


@family("tree", "trees, oak, oak tree, maple, maple tree, birch, birch tree, apple tree, willow, willow tree, deciduous tree, elm, beech, dead tree, autumn tree, cherry tree, cherry blossom",
        {"secondary": "bark", "foliage": "leaves", "accent": "apple skin"},
        kinds=[kind("oak", words_="oak, maple, elm, beech, big, old, green, summer"),
               kind("birch", nouns="birch, birch tree, aspen, poplar", words_="birch, aspen, poplar, white", slots={"secondary": "bark:white"}),
               kind("willow", nouns="willow, willow tree, weeping willow", words_="willow, weeping"),
               kind("dead", nouns="dead tree, bare tree, spooky tree", words_="dead, bare, spooky, leafless, winter, haunted"),
               kind("blossom", nouns="cherry tree, cherry blossom, sakura, blossom tree", words_="blossom, cherry, sakura, pink", slots={"foliage": "leaves:pink"}),
               kind("fruit", nouns="apple tree, orange tree, fruit tree, lemon tree", words_="apple, fruit, orange, lemon")],
        part_words={"trunk": "secondary", "bark": "secondary", "branches": "secondary", "leaves": "foliage", "fruit": "accent", "apples": "accent"},
        main=("foliage",), colour="foliage")
def tree(k: Knobs, kind: str) -> list[Part]:
    h = k.u(1.8, 2.6) * (1.2 if kind == "birch" else 1.0)
    trunk = k.u(0.16, 0.26) * (0.7 if kind == "birch" else 1.0)
    lean = k.u(-4, 4)
    parts = [lathe("secondary", [(0, 0, 1), (trunk * 1.5, 0, 1), (trunk, 0.25), (trunk * 0.8, h * 0.6), (trunk * 0.55, h, 1), (0, h, 1)], rot=(0, 0, lean))]
    branches = k.i(2, 5)
    tips = []
    for i in range(branches):
        a = k.u(0, 360) if i else k.u(0, 90)
        y0 = h * k.u(0.55, 0.85)
        reach, up = k.u(0.4, 0.8), k.u(0.3, 0.6)
        tip = (reach * sin(radians(a)), y0 + up, reach * cos(radians(a)))
        parts.append(tube("secondary", [(0, y0, 0), (tip[0] * 0.5, y0 + up * 0.6, tip[2] * 0.5), tip], (trunk * 0.45, trunk * 0.3, trunk * 0.15)))
        tips.append(tip)
    if kind == "dead":
        for t in tips:
            parts.append(tube("secondary", [t, (t[0] * 1.3, t[1] + 0.3, t[2] * 1.3 + 0.1)], (trunk * 0.15, 0.01)))
        return parts
    if kind == "willow":
        parts.append(blob("foliage", 1.0, at=(0, h + 0.5, 0), rough=0.15, scale=(1.1, 0.7, 1.1)))
        parts += [capsule("foliage", 0.18, k.u(1.2, 1.8), at=(x, h + 0.6 - 1.5, z), rot=(0, 0, 0)) for x, _, z, _ in around(k.i(7, 10), k.u(0.8, 1.0), 0, k.u(0, 40))]
        return parts
    crown = k.u(0.85, 1.15) * (0.8 if kind == "birch" else 1.0)
    parts.append(blob("foliage", crown, at=(0, h + crown * 0.5, 0), rough=0.18, lumps=5, scale=(1, 0.9 if kind != "birch" else 1.3, 1)))
    for t in tips:
        parts.append(blob("foliage", crown * k.u(0.55, 0.75), at=(t[0] * 1.2, t[1] + 0.2, t[2] * 1.2), rough=0.2))
    if kind == "fruit":
        parts += [sphere("accent", 0.08, at=(x, h + crown * 0.4 + y, z)) for x, y, z in [(crown * 0.8 * sin(radians(a)), k.u(-0.4, 0.4), crown * 0.8 * cos(radians(a))) for a in range(10, 360, 40)]]
    return parts


@family("pine tree", "pine trees, pine, pines, fir, fir tree, spruce, conifer, christmas tree, evergreen, xmas tree, cedar",
        {"secondary": "bark", "foliage": "pine needles", "accent": "gold", "ball": "plastic:red", "star": "gold"},
        kinds=[kind("pine"), kind("christmas", nouns="christmas tree, xmas tree, decorated tree", words_="christmas, xmas, festive, decorated")],
        part_words={"trunk": "secondary", "needles": "foliage", "baubles": "ball", "ornaments": "ball", "star": "star", "tinsel": "accent"}, main=("foliage",), colour="foliage")
def pine_tree(k: Knobs, kind: str) -> list[Part]:
    tiers = k.i(3, 5)
    r, h = k.u(1.0, 1.3), k.u(3.2, 4.2)
    trunk = k.u(0.6, 1.0)
    parts = [cyl("secondary", 0.16, trunk + 0.3, r_top=0.1)]
    th = (h - trunk) / tiers
    for i in range(tiers):
        rr = r * (1 - i / (tiers + 0.6))
        parts.append(cone("foliage", rr, th * 1.7, at=(0, trunk + th * i * 0.95, 0)))
    if kind == "christmas":
        parts.append(lathe("star", [(0, 0, 1), (0.15, 0.15, 1), (0, 0.35, 1)], at=(0, trunk + th * (tiers - 1) * 0.95 + th * 1.65, 0), segments=5))
        for i in range(k.i(10, 18)):
            t = k.u(0.05, 0.9)
            a = k.u(0, 360)
            y = trunk + (h - trunk) * t * 0.95
            rr = r * (1 - t) * 0.95 + 0.05
            parts.append(sphere("ball" if i % 3 else "accent", 0.07, at=(rr * sin(radians(a)), y, rr * cos(radians(a)))))
        parts.append(box("ball", (0.5, 0.4, 0.5), at=(0.7, 0.2, 0.5), rot=(0, 20, 0)))
    return parts


@family("palm tree", "palm trees, palm, palms, coconut tree, coconut palm, date palm", {"secondary": "bark", "foliage": "leaves", "accent": "wood"},
        part_words={"trunk": "secondary", "fronds": "foliage", "leaves": "foliage", "coconuts": "accent"}, main=("foliage",), colour="foliage")
def palm_tree(k: Knobs, kind: str) -> list[Part]:
    h, bend = k.u(3.5, 5.0), k.u(0.4, 1.2)
    segs = 7
    path = [(bend * (i / segs) ** 2, h * i / segs, 0) for i in range(segs + 1)]
    top = path[-1]
    parts = [tube("secondary", path, [0.22 - 0.1 * i / segs for i in range(segs + 1)])]
    parts += [torus("secondary", 0.2 - 0.09 * i / segs, 0.03, at=path[i]) for i in range(1, segs)]
    fronds = k.i(6, 9)
    for i in range(fronds):
        a = 360 * i / fronds + k.u(-10, 10)
        droop = k.u(25, 45)
        length = k.u(1.6, 2.2)
        leaf = [(0, 0, 1), (length * 0.3, 0.22), (length * 0.7, 0.16), (length, 0, 1), (length * 0.7, -0.16), (length * 0.3, -0.22)]
        parts.append(extrude("foliage", leaf, 0.02, at=top, rot=turn(("z", -droop), ("y", a)), smooth=True))
    parts += [sphere("accent", 0.13, at=(top[0] + 0.15 * sin(radians(a)), top[1] - 0.15, 0.15 * cos(radians(a)))) for a in range(0, 360, 360 // k.i(2, 4))]
    return parts


@family("bush", "bushes, shrub, shrubs, hedge, hedges, topiary, rose bush, berry bush, hedgerow", {"foliage": "leaves", "accent": "apple skin", "secondary": "bark"},
        part_words={"leaves": "foliage", "berries": "accent", "flowers": "accent"}, main=("foliage",), colour="foliage")
def bush(k: Knobs, kind: str) -> list[Part]:
    clumps = k.i(3, 6)
    parts = [blob("foliage", k.u(0.5, 0.7), at=(0, 0.45, 0), rough=0.2, scale=(1.2, 0.9, 1.1))]
    for x, _, z, _ in around(clumps, k.u(0.4, 0.6), 0, k.u(0, 60)):
        parts.append(blob("foliage", k.u(0.3, 0.45), at=(x, k.u(0.3, 0.5), z), rough=0.22))
    if k.chance(0.5):
        parts += [sphere("accent", 0.05, at=(0.7 * sin(radians(a)), 0.4 + 0.3 * cos(radians(a * 2)), 0.7 * cos(radians(a)))) for a in range(0, 360, 30)]
    return parts


@family("rock", "rocks, boulder, boulders, stone, stones, pebble, pebbles, cliff, rubble, rock pile, stone pile", {"primary": "stone"}, faceted=True)
def rock(k: Knobs, kind: str) -> list[Part]:
    parts = [blob("primary", k.u(0.4, 0.6), at=(0, 0.3, 0), scale=(k.u(1.1, 1.4), k.u(0.6, 0.85), 1.0), rough=0.5, lumps=10, freq=3.6)]
    for x, _, z, _ in around(k.i(1, 4), k.u(0.55, 0.75), 0, k.u(0, 90)):
        parts.append(blob("primary", k.u(0.12, 0.25), at=(x, 0.08, z), scale=(1.1, 0.7, 1.0), rough=0.45, lumps=7, freq=3.6))
    return parts


@family("mountain", "mountains, hill, hills, volcano, volcanoes, peak, mountain range, mesa", {"primary": "stone", "secondary": "snow", "grass": "grass", "lava": "flame"},
        kinds=[kind("mountain", words_="snowy, rocky, tall"), kind("volcano", nouns="volcano, volcanoes, erupting volcano", words_="erupting, lava, volcanic", slots={"primary": "stone:charcoal"}),
               kind("hill", nouns="hill, hills, grassy hill", words_="grassy, green, rolling", slots={"primary": "grass"})],
        part_words={"snow": "secondary", "peak": "secondary", "lava": "lava"}, faceted=True)
def mountain(k: Knobs, kind: str) -> list[Part]:
    r, h = k.u(4, 6), k.u(3.5, 5.5)
    if kind == "hill":
        return [blob("primary", r, at=(0, 0, 0), scale=(1.3, h / r * 0.5, 1.0), rough=0.12, lumps=4, freq=1.5)]
    if kind == "volcano":
        return [lathe("primary", [(0, 0, 1), (r, 0, 1), (r * 0.6, h * 0.35), (r * 0.25, h, 1), (r * 0.17, h, 1), (r * 0.12, h * 0.85, 1), (0, h * 0.85, 1)], segments=9),
                cyl("lava", r * 0.14, 0.05, at=(0, h * 0.88, 0)),
                *[tube("lava", [(r * 0.2 * sin(radians(a)), h, r * 0.2 * cos(radians(a))), (r * 0.45 * sin(radians(a + 10)), h * 0.55, r * 0.45 * cos(radians(a + 10))), (r * 0.7 * sin(radians(a)), h * 0.2, r * 0.7 * cos(radians(a)))], 0.12)
                  for a in (k.u(0, 90), k.u(150, 250))]]
    peaks = k.i(1, 3)
    parts = []
    for i in range(peaks):
        x, z = (0.0, 0.0) if i == 0 else (k.u(-r, r) * 0.8, k.u(-r, r) * 0.5)
        ph = h * (1.0 if i == 0 else k.u(0.5, 0.75))
        pr = r * (1.0 if i == 0 else 0.7)
        sides = k.i(6, 9)
        profile = [(0, 0, 1), (pr, 0, 1), (pr * k.u(0.65, 0.8), ph * 0.3, 1), (pr * k.u(0.35, 0.5), ph * 0.62, 1), (pr * 0.12, ph * 0.94, 1), (0, ph, 1)]
        snow_from = 0.6
        w_at = profile[3][0] + 0.04 * pr
        parts += [lathe("primary", profile, at=(x, 0, z), segments=sides, rot=(0, k.u(0, 60), 0)),
                  lathe("secondary", [(0, ph * snow_from, 1), (w_at, ph * snow_from, 1), (pr * 0.14, ph * 0.95, 1), (0, ph * 1.01, 1)], at=(x, 0, z), segments=sides, rot=(0, k.u(0, 60), 0))]
    return parts


@family("mushroom", "mushrooms, toadstool, toadstools, fungus, fungi, shroom, fly agaric, amanita, magic mushroom", {"primary": "mushroom cap", "secondary": "bone", "accent": "paint:white"},
        part_words={"cap": "primary", "stem": "secondary", "spots": "accent"})
def mushroom(k: Knobs, kind: str) -> list[Part]:
    n = k.pick([1, 1, 2, 3])
    parts = []
    for i in range(n):
        s = 1.0 if i == 0 else k.u(0.45, 0.7)
        x, z = (0.0, 0.0) if i == 0 else (k.u(0.12, 0.2) * (1 if i == 1 else -1), k.u(-0.1, 0.1))
        h, r = 0.2 * s * k.u(0.85, 1.2), 0.16 * s * k.u(0.85, 1.15)
        parts += [
            lathe("secondary", [(0, 0, 1), (r * 0.4, 0, 1), (r * 0.34, h * 0.2), (r * 0.26, h * 0.6), (r * 0.22, h, 1), (0, h, 1)], at=(x, 0, z)),
            lathe("primary", [(0, h * 0.85, 1), (r, h * 0.85, 1), (r * 1.07, h * 0.97), (r * 0.88, h * 1.32), (r * 0.5, h * 1.55), (0, h * 1.62, 1)], at=(x, 0, z)),
        ]
        if k.chance(0.8):
            parts += [sphere("accent", r * 0.12, at=(x + r * 0.62 * sin(radians(a)), h * 1.45, z + r * 0.62 * cos(radians(a))), scale=(1, 0.45, 1)) for a in range(20, 360, 72)]
            parts += [sphere("accent", r * 0.1, at=(x + r * 0.92 * sin(radians(a)), h * 1.2, z + r * 0.92 * cos(radians(a))), scale=(1, 0.5, 1)) for a in range(50, 360, 60)]
    return parts


@family("cactus", "cacti, cactuses, saguaro, succulent, succulents, prickly pear", {"primary": "cactus", "secondary": "terracotta", "detail": "soil", "accent": "paint:pink"},
        part_words={"pot": "secondary", "flower": "accent"})
def cactus(k: Knobs, kind: str) -> list[Part]:
    potted = k.chance(0.6)
    s = 1.0 if potted else 3.0
    y0 = 0.13 * s if potted else 0.0
    h = k.u(0.4, 0.6) * s
    r = 0.055 * s
    parts = [capsule("primary", r, h, at=(0, y0, 0))]
    for i in range(k.i(1, 3)):
        side = 1 if i % 2 == 0 else -1
        y = y0 + h * k.u(0.35, 0.6)
        reach, up = k.u(0.08, 0.12) * s, k.u(0.1, 0.2) * s
        parts += [tube("primary", [(side * 0.03 * s, y, 0), (side * reach, y + 0.01 * s, 0), (side * (reach + 0.02 * s), y + up * 0.4, 0), (side * (reach + 0.02 * s), y + up, 0)], r * 0.55),
                  sphere("primary", r * 0.55, at=(side * (reach + 0.02 * s), y + up, 0))]
    if potted:
        parts += [lathe("secondary", [(0, 0, 1), (0.09, 0, 1), (0.11, 0.14, 1), (0.12, 0.14, 1), (0.12, 0.17, 1), (0.1, 0.17, 1), (0.1, 0.15, 1), (0, 0.15, 1)]), cyl("detail", 0.1, 0.01, at=(0, 0.145, 0))]
    if k.chance(0.4):
        parts.append(sphere("accent", r * 0.5, at=(0, y0 + h, 0), scale=(1, 0.6, 1)))
    return parts


@family("potted plant", "potted plants, plant, plants, houseplant, house plant, flower pot, flowerpot, pot plant, pot, planter, fern, ferns, monstera, plant pot, bonsai",
        {"secondary": "terracotta", "foliage": "leaves", "detail": "soil"}, part_words={"pot": "secondary", "leaves": "foliage"}, main=("secondary",), colour="secondary")
def potted_plant(k: Knobs, kind: str) -> list[Part]:
    r, h = k.u(0.1, 0.14), k.u(0.16, 0.24)
    parts = [lathe("secondary", [(0, 0, 1), (r * 0.7, 0, 1), (r, h, 1), (r * 1.12, h, 1), (r * 1.12, h + 0.035, 1), (r * 0.95, h + 0.035, 1), (r * 0.95, h + 0.01, 1), (0, h + 0.01, 1)]),
             cyl("detail", r * 0.95, 0.012, at=(0, h, 0))]
    for ring_ in range(k.i(2, 3)):
        parts += leaf_rosette("foliage", k.i(5, 8), k.u(0.2, 0.3) * (1 - 0.15 * ring_), h + 0.01 + 0.02 * ring_, k.u(30, 50) + 15 * ring_, start=k.u(0, 60), width=k.u(0.16, 0.26))
    if k.chance(0.5):
        parts += [tube("foliage", [(0, h, 0), (x * 0.5, h + 0.14, z * 0.5), (x, h + 0.24, z)], 0.006) for x, _, z, _ in around(3, 0.06, 0)]
        parts += [blob("foliage", 0.05, at=(x, h + 0.25, z), rough=0.15) for x, _, z, _ in around(3, 0.06, 0)]
    return parts


@family("flower", "flowers, sunflower, sunflowers, tulip, tulips, rose, roses, daisy, daisies, lily, lilies, poppy, bouquet, bouquet of flowers, daffodil, orchid, blossom",
        {"primary": "paint:red", "foliage": "leaves", "centre": "paint:yellow"},
        kinds=[kind("tulip", nouns="tulip, tulips", words_="tulip"),
               kind("sunflower", nouns="sunflower, sunflowers", slots={"primary": "paint:yellow", "centre": "wood"}),
               kind("daisy", nouns="daisy, daisies, camomile, chamomile", slots={"primary": "paint:white", "centre": "paint:yellow"}),
               kind("rose", nouns="rose, roses, red rose", words_="rose")],
        part_words={"petals": "primary", "stem": "foliage", "leaves": "foliage", "centre": "centre", "center": "centre"}, colour="primary")
def flower(k: Knobs, kind: str) -> list[Part]:
    h = k.u(1.6, 2.2) if kind == "sunflower" else k.u(0.35, 0.5)
    bend = k.u(-0.05, 0.05) * h
    parts = [tube("foliage", [(0, 0, 0), (bend, h * 0.5, 0), (bend * 0.5, h, 0)], 0.006 * (4 if kind == "sunflower" else 1))]
    parts += [extrude("foliage", [(0, 0, 1), (h * 0.1, h * 0.04), (h * 0.22, 0, 1), (h * 0.1, -h * 0.03)], 0.004, at=(bend * 0.4, h * f, 0), rot=turn(("z", 35), ("y", a)), smooth=True)
              for f, a in ((0.25, 20), (0.45, 200))]
    top = (bend * 0.5, h, 0)
    if kind == "tulip":
        parts += [sphere("primary", 0.03, at=(top[0] + 0.018 * sin(radians(a)), h + 0.035, 0.018 * cos(radians(a))), rot=(0, a, 0), scale=(0.8, 1.5, 0.6)) for a in range(0, 360, 72)]
    elif kind == "rose":
        parts += [sphere("primary", 0.028, at=(top[0], h + 0.025, 0), scale=(1, 0.9, 1)),
                  *[sphere("primary", 0.026, at=(top[0] + 0.02 * sin(radians(a)), h + 0.018, 0.02 * cos(radians(a))), rot=(0, a, 0), scale=(0.9, 1.0, 0.5)) for a in range(0, 360, 60)],
                  cone("foliage", 0.02, 0.02, at=(top[0], h - 0.012, 0))]
    else:
        size = 0.35 if kind == "sunflower" else 0.045
        n = 18 if kind == "sunflower" else k.i(8, 14)
        # petals radiate in a disc facing the viewer (+z), tipped back a little
        parts += [extrude("primary", [(0, 0, 1), (size * 0.5, size * 0.16), (size, 0, 1), (size * 0.5, -size * 0.16)], 0.003, at=(top[0], h, 0), rot=turn(("z", 360 * i / n), ("x", -25)), smooth=True)
                  for i in range(n)]
        parts.append(cyl("centre", size * 0.38, size * 0.2, at=(top[0], h, -size * 0.05), rot=turn(("x", 90), ("x", -25))))
    return parts


@family("log", "logs, tree stump, stump, stumps, firewood, log pile, tree trunk, timber log, fallen log", {"primary": "bark", "secondary": "wood", "foliage": "grass"},
        kinds=[kind("log", words_="fallen, firewood, pile"), kind("stump", nouns="tree stump, stump, stumps", words_="stump")],
        part_words={"bark": "primary", "rings": "secondary"})
def log(k: Knobs, kind: str) -> list[Part]:
    if kind == "stump":
        r, h = k.u(0.3, 0.45), k.u(0.3, 0.5)
        parts = [lathe("primary", [(0, 0, 1), (r * 1.35, 0, 1), (r * 1.05, 0.12), (r, h * 0.6), (r, h, 1), (0, h, 1)]), cyl("secondary", r * 0.96, 0.01, at=(0, h, 0))]
        parts += [tube("primary", [(0, 0.1, 0), (r * 1.2 * sin(radians(a)), 0.05, r * 1.2 * cos(radians(a))), (r * 1.7 * sin(radians(a + 10)), 0.0, r * 1.7 * cos(radians(a + 10)))], (0.08, 0.05, 0.02))
                  for a in range(k.i(0, 60), 360, 360 // k.i(3, 5))]
        return parts
    n = k.pick([1, 3, 6])
    rows = {1: [(0, 0)], 3: [(-1, 0), (1, 0), (0, 1)], 6: [(-2, 0), (0, 0), (2, 0), (-1, 1), (1, 1), (0, 2)]}[n]
    length, r = k.u(0.8, 1.2), k.u(0.1, 0.15)
    parts = []
    for cx, cy in rows:
        x, y = cx * r * 1.02, r + cy * r * 1.75
        wob = k.u(-0.08, 0.08)
        parts += [cyl("primary", r, length, at=(x, y, -length / 2 + wob), rot=(90, 0, 0)), *[cyl("secondary", r * 0.93, 0.01, at=(x, y, s * (length / 2 + wob * s)), rot=(90, 0, 0)) for s in (-1, 1)]]
    return parts


@family("cloud", "clouds, cumulus, storm cloud, rain cloud, fluffy cloud", {"primary": "snow", "rain": "water"},
        kinds=[kind("cloud"), kind("storm", nouns="storm cloud, rain cloud, thundercloud", words_="storm, rain, rainy, thunder", slots={"primary": "snow:grey"})],
        part_words={"rain": "rain"})
def cloud(k: Knobs, kind: str) -> list[Part]:
    n = k.i(4, 7)
    parts = [blob("primary", k.u(0.5, 0.7), at=(0, 0.5, 0), rough=0.1, lumps=4, freq=1.6)]
    for i in range(n):
        x = (i - (n - 1) / 2) * k.u(0.35, 0.5)
        parts.append(blob("primary", k.u(0.3, 0.5), at=(x, k.u(0.3, 0.55), k.u(-0.2, 0.2)), rough=0.1, lumps=4, freq=1.6))
    if kind == "storm":
        parts += [capsule("rain", 0.012, 0.12, at=(k.u(-0.8, 0.8), -0.2 - 0.2 * (i % 3), k.u(-0.2, 0.2))) for i in range(12)]
    return parts


@family("crystal", "crystals, crystal cluster, shard, shards, quartz, amethyst, geode, magic crystal, crystal formation", {"primary": "crystal:violet", "secondary": "stone"},
        part_words={"base": "secondary", "rock": "secondary"}, faceted=True)
def crystal(k: Knobs, kind: str) -> list[Part]:
    parts = [blob("secondary", k.u(0.14, 0.18), at=(0, 0.03, 0), scale=(1.2, 0.4, 1.0), rough=0.3)]
    n = k.i(3, 7)
    for i in range(n):
        r, h = (0.045, 0.3) if i == 0 else (k.u(0.022, 0.036), k.u(0.1, 0.22))
        a, tilt = k.u(0, 360), 0 if i == 0 else k.u(12, 35)
        x, z = (0, 0) if i == 0 else (0.07 * sin(radians(a)), 0.07 * cos(radians(a)))
        parts.append(lathe("primary", [(0, 0, 1), (r, 0, 1), (r, h, 1), (0, h + r * 1.6, 1)], at=(x, 0.02, z), rot=(tilt * cos(radians(a)), 0, -tilt * sin(radians(a))), segments=6))
    return parts


@family("seashell", "seashells, shell, shells, sea shell, conch, conch shell, scallop, clam, clam shell, snail shell", {"primary": "bone:peach", "secondary": "bone:pink"},
        kinds=[kind("scallop", nouns="scallop, scallop shell, clam, clam shell", words_="scallop, clam"), kind("conch", nouns="conch, conch shell, snail shell, whelk", words_="conch, spiral")],
        part_words={"ridges": "secondary"})
def seashell(k: Knobs, kind: str) -> list[Part]:
    if kind == "conch":
        s = k.u(0.12, 0.16)
        turns = 12
        path = [(s * 0.5 * (1 - i / turns) * cos(radians(i * 60)), s * 0.08 * i, s * 0.5 * (1 - i / turns) * sin(radians(i * 60))) for i in range(turns + 1)]
        return [tube("primary", path, [s * 0.35 * (1 - i / turns) + 0.005 for i in range(turns + 1)]), cone("secondary", s * 0.2, s * 0.6, at=(s * 0.5, s * 0.1, 0), rot=(0, 0, -100))]
    r = k.u(0.07, 0.1)
    ribs = k.i(9, 15)
    quarter = [(0, 0, 1), *[(r * cos(radians(t)), r * sin(radians(t))) for t in range(0, 91, 15)]]
    # a fan of wedges of a dome, ribs a little proud of the grooves, flattened and opening towards the viewer
    parts = [lathe("primary" if i % 2 else "secondary", quarter, rot=(0, -90 + 180 * i / ribs, 0), sweep=180 / ribs, scale=(1.0 if i % 2 else 1.05, 0.4, 1.0 if i % 2 else 1.05))
             for i in range(ribs)]
    parts.append(extrude("primary", [(-r * 0.3, 0), (r * 0.3, 0), (r * 0.2, r * 0.25), (-r * 0.2, r * 0.25)], 0.01, at=(0, 0, -0.005), rot=(90, 0, 0)))
    return parts


@family("pumpkin", "pumpkins, jack-o-lantern, jack o lantern, jack o' lantern, gourd, squash, halloween pumpkin", {"primary": "pumpkin", "secondary": "bark", "detail": "obsidian", "glow": "flame"},
        kinds=[kind("pumpkin"), kind("jack", nouns="jack-o-lantern, jack o lantern, halloween pumpkin, carved pumpkin", words_="carved, halloween, scary, spooky")],
        part_words={"stem": "secondary", "face": "detail"})
def pumpkin(k: Knobs, kind: str) -> list[Part]:
    r = k.u(0.15, 0.2)
    flat = k.u(0.75, 0.9)
    lobes = k.i(8, 11)
    parts = [sphere("primary", r, at=(r * 0.62 * sin(radians(a)), r * flat, r * 0.62 * cos(radians(a))), rot=(0, a, 0), scale=(0.55, flat, 1.0)) for a in [360 * i / lobes for i in range(lobes)]]
    parts.append(tube("secondary", [(0, r * flat * 1.6, 0), (0, r * flat * 1.9, 0), (0.02, r * flat * 2.1, 0), (0.045, r * flat * 2.2, 0)], (0.022, 0.017, 0.014, 0.012)))
    if kind == "jack":
        y, z = r * flat, r * 1.22
        parts += [extrude("detail", [(-0.03, 0), (0.03, 0), (0, 0.045)], 0.02, at=(s * r * 0.35, y + r * 0.2, z * 0.95), rot=(-5, s * 15, 0)) for s in (-1, 1)]
        parts.append(extrude("detail", [(-r * 0.55, 0), (-r * 0.3, -r * 0.15), (0, -r * 0.2), (r * 0.3, -r * 0.15), (r * 0.55, 0), (r * 0.2, -r * 0.05), (0, r * 0.02), (-r * 0.2, -r * 0.05)], 0.02, at=(0, y - r * 0.15, z * 0.97)))
    return parts
