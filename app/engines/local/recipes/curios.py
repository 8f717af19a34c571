"""Treasure, curios and the odds and ends of games and stories: crowns, rings, keys, coins, gems, books, globes,
hourglasses, telescopes, umbrellas, hats, shoes, flags, crystal balls, torches, scrolls, anchors, skulls,
tombstones, campfires and pickup icons (hearts, stars)."""

# ruff: noqa: E501
# fmt: off

from __future__ import annotations

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
from app.engines.local.recipes.model import Knobs, family, kind
from app.engines.local.recipes.shapes import around, rod, shifted

_GEM_WORDS = {"ruby": "accent", "rubies": "accent", "emerald": "accent", "emeralds": "accent", "sapphire": "accent", "jewels": "accent", "gems": "accent"}


@family("crown", "crowns, tiara, diadem, circlet, royal crown, king crown, queen crown", {"primary": "gold", "accent": "gem:ruby", "velvet": "fabric:red"},
        part_words={"jewels": "accent", "gems": "accent", **_GEM_WORDS, "velvet": "velvet"})
def crown(k: Knobs, kind: str) -> list[Part]:
    r, h = k.u(0.085, 0.1), k.u(0.04, 0.06)
    points = k.i(5, 9)
    tall = k.u(0.05, 0.08)
    parts = [ring("primary", r - 0.01, r, h)]
    parts += [cone("primary", 0.022, tall, at=(x, h - 0.005, z)) for x, _, z, _ in around(points, r - 0.005, 0)]
    parts += [sphere("primary", 0.009, at=(x, h + tall, z)) for x, _, z, _ in around(points, r - 0.005, 0)]
    parts += [sphere("accent", 0.011, at=(x, h * 0.5, z)) for x, _, z, _ in around(points, r + 0.001, 0, 180 / points)]
    if k.feature(0.5, "velvet", "cap"):
        parts.append(hemi("velvet", r * 0.92, at=(0, h * 0.6, 0), scale=(1, 0.7, 1)))
    return parts


@family("ring", "rings, wedding ring, engagement ring, signet ring, diamond ring, gold ring, magic ring, ring of power", {"primary": "gold", "accent": "gem:white"},
        part_words={"stone": "accent", "diamond": "accent", "gem": "accent", "band": "primary", **_GEM_WORDS})
def ring_(k: Knobs, kind: str) -> list[Part]:
    r, t = k.u(0.0095, 0.0115), k.u(0.0015, 0.0025)
    stone = k.u(0.0035, 0.005) if k.chance(0.8) else 0.0
    parts = [torus("primary", r, t, at=(0, r + t, 0), rot=(90, 0, 0), scale=(1, 1, 1.5))]
    if stone:
        parts += [cyl("primary", stone * 0.8, 0.003, at=(0, 2 * r + t * 1.5, 0)),
                  lathe("accent", [(0, 0, 1), (stone, stone * 0.7, 1), (stone, stone * 0.8, 1), (stone * 0.65, stone * 1.15, 1), (0, stone * 1.15, 1)], at=(0, 2 * r + t * 1.5 + 0.002, 0), segments=8)]
    return parts


@family("key", "keys, skeleton key, old key, door key, golden key, house key, car key", {"primary": "brass"})
def key(k: Knobs, kind: str) -> list[Part]:
    length = k.u(0.07, 0.11)
    bow = k.u(0.012, 0.02)
    teeth = k.i(1, 3)
    parts = [torus("primary", bow, 0.004, at=(0, length + bow, 0), rot=(90, 0, 0)), cyl("primary", 0.0045, length), ring("primary", 0.0042, 0.007, 0.005, at=(0, length * 0.85, 0))]
    parts += [box("primary", (0.016 - 0.004 * i, 0.007, 0.004), at=(0.008 - 0.002 * i, 0.006 + 0.012 * i, 0)) for i in range(teeth)]
    return parts


@family("coin", "coins, gold coin, gold coins, token, medal, doubloon, medallion, pile of coins, coin stack, stack of coins, penny, silver coin", {"primary": "gold"})
def coin(k: Knobs, kind: str) -> list[Part]:
    r = k.u(0.011, 0.014)
    prof = [(0, 0, 1), (r, 0, 1), (r, 0.0025, 1), (r * 0.88, 0.0025, 1), (r * 0.88, 0.0019, 1), (0, 0.0019, 1)]
    stack = k.i(1, 7)
    parts = [lathe("primary", prof, at=(k.u(-0.001, 0.001), 0.0025 * i, k.u(-0.001, 0.001)), rot=(0, 17 * i, 0)) for i in range(stack)]
    parts += [lathe("primary", prof, at=(x + r * 2.2 * (j + 1), 0.0, z), rot=(0, k.u(0, 90), 0)) for j, (x, _, z, _) in enumerate(around(k.i(0, 3), r * 0.8, 0))]
    return parts


@family("gem", "gems, gemstone, gemstones, jewel, diamond, diamonds, ruby, emerald, sapphire, gem stone, precious stone", {"primary": "gem"},
        kinds=[kind("gem"), kind("ruby", nouns="ruby, rubies", slots={"primary": "gem:ruby"}), kind("diamond", nouns="diamond, diamonds", slots={"primary": "gem:white"}),
               kind("sapphire", nouns="sapphire, sapphires", slots={"primary": "gem:sapphire"})], faceted=True)
def gem(k: Knobs, kind: str) -> list[Part]:
    r, crown_h, pav = k.u(0.045, 0.055), k.u(0.018, 0.03), k.u(0.045, 0.06)
    facets = k.pick([8, 10, 12])
    return [lathe("primary", [(0, 0, 1), (r, pav, 1), (r, pav + 0.006, 1), (r * 0.65, pav + 0.006 + crown_h, 1), (0, pav + 0.006 + crown_h, 1)], segments=facets)]


@family("book", "books, tome, novel, spellbook, spell book, grimoire, notebook, journal, diary, bible, stack of books, textbook, encyclopedia, open book", {"primary": "leather:maroon", "secondary": "paper", "metal": "gold"},
        part_words={"cover": "primary", "pages": "secondary", "corners": "metal"})
def book(k: Knobs, kind: str) -> list[Part]:
    stack = k.pick([1, 1, 3])
    parts, y = [], 0.0
    for i in range(stack):
        w, d, t = k.u(0.15, 0.19), k.u(0.21, 0.26), k.u(0.03, 0.05)
        yaw = k.u(-15, 15)
        parts += [rbox("primary", (w, t, d), 0.003, at=(0, y + t / 2, 0), rot=(0, yaw, 0)), box("secondary", (w - 0.008, t - 0.008, d - 0.01), at=(0.006 * cos(radians(yaw)), y + t / 2, -0.006 * sin(radians(yaw))), rot=(0, yaw, 0))]
        if i == stack - 1:
            parts += [box("metal", (0.022, 0.002, 0.022), at=(x, y + t + 0.001, z), rot=(0, yaw, 0)) for x, z in ((w * 0.4, d * 0.42), (w * 0.4, -d * 0.42))]
            parts.append(box("metal", (w * 0.35, 0.002, d * 0.35), at=(0.01, y + t + 0.001, 0), rot=(0, yaw, 0)))
        y += t
    return parts


@family("globe", "globes, desk globe, world globe, terrestrial globe, earth globe, armillary sphere", {"primary": "paint:sky", "land": "paint:green", "metal": "brass", "wood": "dark wood"},
        part_words={"stand": "wood", "base": "wood", "meridian": "metal", "land": "land", "continents": "land", "oceans": "primary"})
def globe(k: Knobs, kind: str) -> list[Part]:
    r, stem = k.u(0.13, 0.17), k.u(0.08, 0.14)
    tilt = 23.5
    y = 0.04 + stem + r
    parts = [lathe("wood", [(0, 0, 1), (r * 0.8, 0, 1), (r * 0.75, 0.03, 1), (0.02, 0.04), (0.018, 0.04 + stem * 0.6), (0.03, 0.04 + stem, 1), (0, 0.04 + stem, 1)]),
             sphere("primary", r, at=(0, y, 0), rot=(0, 0, tilt)),
             torus("metal", r * 1.07, 0.006, at=(0, y, 0), rot=(90, 0, tilt), sweep=200)]
    for _ in range(k.i(4, 7)):
        a, b = k.u(0, 360), k.u(-50, 60)
        p = (r * cos(radians(b)) * sin(radians(a)), y + r * sin(radians(b)), r * cos(radians(b)) * cos(radians(a)))
        parts.append(blob("land", r * k.u(0.25, 0.4), at=(p[0] * 0.78, (p[1] - y) * 0.78 + y, p[2] * 0.78), rough=0.35, lumps=5))
    return parts


@family("hourglass", "hourglasses, hour glass, sand timer, sandglass, egg timer", {"primary": "wood", "glass": "glass", "sand": "sand"}, part_words={"sand": "sand", "frame": "primary"})
def hourglass(k: Knobs, kind: str) -> list[Part]:
    h, r = k.u(0.2, 0.26), k.u(0.05, 0.065)
    fill = k.u(0.2, 0.8)
    posts = k.i(3, 4)
    return [
        cyl("primary", r * 1.5, 0.02), cyl("primary", r * 1.5, 0.02, at=(0, h - 0.02, 0)),
        lathe("glass", [(0, 0.02, 1), (r, 0.02, 1), (r, 0.04), (r * 0.15, h / 2), (r, h - 0.04), (r, h - 0.02, 1), (0, h - 0.02, 1)]),
        lathe("sand", [(0, 0.02, 1), (r * 0.95, 0.02, 1), (r * 0.9, 0.02 + (h / 2 - 0.04) * (1 - fill) * 0.6, 1), (0, 0.02 + (h / 2 - 0.04) * (1 - fill), 1)]),
        lathe("sand", [(0, h / 2 + 0.01 + (h / 2 - 0.05) * (1 - fill), 1), (r * 0.75 * fill + 0.01, h / 2 + 0.02 + (h / 2 - 0.05) * (1 - fill), 1), (r * 0.2, h / 2 + 0.01, 1), (0, h / 2, 1)]),
        *[cyl("primary", 0.007, h - 0.04, at=(x, 0.02, z)) for x, _, z, _ in around(posts, r * 1.3, 0)],
    ]


@family("telescope", "telescopes, spyglass, spy glass, refractor, observatory telescope, binoculars", {"primary": "brass", "secondary": "leather", "wood": "wood", "glass": "glass:sky"},
        part_words={"tripod": "wood", "lens": "glass", "tube": "primary"})
def telescope(k: Knobs, kind: str) -> list[Part]:
    length, r = k.u(0.6, 0.9), k.u(0.035, 0.05)
    tilt = k.u(25, 45)
    h = k.u(0.9, 1.2)
    c, s = cos(radians(tilt)), sin(radians(tilt))
    mount = (0, h, 0)
    parts = [rod("wood", (0.35 * cos(radians(a)), 0, 0.35 * sin(radians(a))), mount, 0.015) for a in (0, 120, 240)]
    a_ = (mount[0] - c * length * 0.4, mount[1] - s * length * 0.4 + r, 0)
    parts += [rod("primary", a_, (a_[0] + c * length * 0.6, a_[1] + s * length * 0.6, 0), r),
              rod("secondary", (a_[0] + c * length * 0.1, a_[1] + s * length * 0.1, 0), (a_[0] + c * length * 0.4, a_[1] + s * length * 0.4, 0), r * 1.05),
              rod("primary", (a_[0] + c * length * 0.55, a_[1] + s * length * 0.55, 0), (a_[0] + c * length, a_[1] + s * length, 0), r * 1.25),
              rod("primary", (a_[0] - c * 0.08, a_[1] - s * 0.08, 0), a_, r * 0.5),
              sphere("primary", 0.03, at=mount)]
    return parts


@family("umbrella", "umbrellas, parasol, brolly, beach umbrella, sunshade", {"primary": "fabric:red", "secondary": "fabric:white", "metal": "steel", "handle": "dark wood"},
        part_words={"canopy": "primary", "handle": "handle", "stripes": "secondary"})
def umbrella(k: Knobs, kind: str) -> list[Part]:
    r, h = k.u(0.45, 0.6), k.u(0.8, 0.95)
    ribs = k.pick([6, 8])
    stripes = k.chance(0.5)
    canopy = [(0, 0, 1), (r, -r * 0.3, 1), (r * 0.7, r * 0.05), (0, r * 0.3, 1)]
    parts = [lathe("primary" if (not stripes or i % 2) else "secondary", canopy, at=(0, h, 0), sweep=360 / ribs, rot=(0, 360 * i / ribs, 0), segments=1) for i in range(ribs)]
    parts += [rod("metal", (0, h + r * 0.3, 0), (0, 0.12, 0), 0.008), tube("handle", [(0, 0.14, 0), (0, 0.04, 0), (0.03, 0.0, 0), (0.06, 0.03, 0)], 0.013),
              cyl("metal", 0.01, 0.05, at=(0, h + r * 0.3, 0))]
    return parts


@family("hat", "hats, top hat, cowboy hat, witch hat, wizard hat, bowler hat, fedora, baseball cap, cap, beanie, sombrero, straw hat, party hat, sun hat, pirate hat, tricorn",
        {"primary": "fabric:black", "band": "fabric:red", "secondary": "fabric:white"},
        kinds=[kind("top", nouns="top hat, tophat, magician hat", words_="top, magician, gentleman"),
               kind("cowboy", nouns="cowboy hat, stetson, ranger hat", words_="cowboy, western, stetson, ranch", slots={"primary": "leather:tan", "band": "leather"}),
               kind("witch", nouns="witch hat, wizard hat, witches hat", words_="witch, wizard, pointy, magic", slots={"primary": "fabric:purple", "band": "gold"}),
               kind("cap", nouns="baseball cap, cap, trucker hat", words_="baseball, sports", slots={"primary": "fabric:red", "band": "fabric:white"}),
               kind("sombrero", nouns="sombrero, straw hat, sun hat", words_="straw, mexican, sun, beach", slots={"primary": "wicker", "band": "fabric:red"}),
               kind("party", nouns="party hat, birthday hat, cone hat", words_="party, birthday", slots={"primary": "paper:pink", "band": "paper:yellow", "secondary": "paper:sky"})],
        part_words={"band": "band", "ribbon": "band", "brim": "primary"})
def hat(k: Knobs, kind: str) -> list[Part]:
    r = k.u(0.095, 0.11)
    if kind == "cowboy":
        brim = r * k.u(1.6, 1.9)
        return [lathe("primary", [(0, 0.03, 1), (brim * 0.8, 0.0, 1), (brim, 0.04, 1), (brim * 0.95, 0.045, 1), (brim * 0.78, 0.008), (r, 0.03)], closed=False, scale=(1, 1, 1.15)),
                lathe("primary", [(0, 0.02, 1), (r, 0.02, 1), (r * 0.9, 0.13), (r * 0.55, 0.15), (r * 0.2, 0.12), (0, 0.13, 1)], scale=(1, 1, 1.2)), ring("band", r * 0.97, r * 1.01, 0.025, at=(0, 0.025, 0), scale=(1, 1, 1.2))]
    if kind == "witch":
        tall = k.u(0.28, 0.38)
        return [cyl("primary", r * 2.0, 0.008), lathe("primary", [(0, 0, 1), (r, 0, 1), (r * 0.55, tall * 0.5), (0, tall, 1)], rot=(0, 0, k.u(-20, 0))), ring("band", r * 0.95, r * 1.0, 0.03, at=(0, 0.005, 0))]
    if kind == "cap":
        return [hemi("primary", r, scale=(1, 0.8, 1.05)), extrude("primary", [(0, -r * 0.8), (r * 0.9, -r * 0.6), (r * 1.3, 0), (r * 0.9, r * 0.6), (0, r * 0.8)], 0.008, at=(r * 0.3, 0.006, 0), rot=(90, 0, 0), smooth=True),
                sphere("band", r * 0.1, at=(0, r * 0.8, 0))]
    if kind == "sombrero":
        brim = r * k.u(2.4, 3.0)
        return [lathe("primary", [(0, 0.02, 1), (brim, 0.0, 1), (brim * 1.02, 0.03, 1), (brim * 0.97, 0.035, 1), (r, 0.03)]),
                lathe("primary", [(0, 0.02, 1), (r, 0.02, 1), (r * 0.8, 0.16), (r * 0.4, 0.19), (0, 0.19, 1)]), ring("band", r * 0.96, r * 1.01, 0.03, at=(0, 0.03, 0))]
    if kind == "party":
        tall = k.u(0.2, 0.26)
        return [cone("primary", r * 0.8, tall), sphere("band", r * 0.2, at=(0, tall, 0)), *[sphere("secondary", r * 0.1, at=(r * 0.5 * sin(radians(a)), tall * 0.35, r * 0.5 * cos(radians(a)))) for a in range(0, 360, 60)]]
    tall = k.u(0.14, 0.19)
    return [cyl("primary", r * 1.55, 0.008, scale=(1, 1, 1.15)), cyl("primary", r, tall, r_top=r * 1.05, scale=(1, 1, 1.15)), ring("band", r * 0.99, r * 1.03, 0.03, at=(0, 0.01, 0), scale=(1, 1, 1.15))]


@family("shoe", "shoes, boot, boots, sneaker, sneakers, trainer, trainers, high heel, high heels, sandal, sandals, slipper, slippers, cowboy boot, wellington, rain boot, loafer",
        {"primary": "leather:brown", "sole": "rubber", "laces": "fabric:white", "accent": "leather:black"},
        kinds=[kind("sneaker", nouns="sneaker, sneakers, trainer, trainers, running shoe", words_="running, sport, canvas", slots={"primary": "fabric:red", "sole": "rubber:white"}),
               kind("boot", nouns="boot, boots, cowboy boot, wellington, wellies, rain boot, hiking boot", words_="hiking, cowboy, rain, winter, leather"),
               kind("heel", nouns="high heel, high heels, stiletto, pump", slots={"primary": "leather:red", "sole": "leather:black"})],
        part_words={"sole": "sole", "laces": "laces", "heel": "sole"})
def shoe(k: Knobs, kind: str) -> list[Part]:
    length, w = k.u(0.26, 0.3), k.u(0.09, 0.11)
    pair = k.chance(0.4)
    toe = capsule("primary", w * 0.45, length * 0.75, at=(-length * 0.3, 0.065, 0), rot=(0, 0, -90), scale=(0.75, 1, 1))  # flattened along its height
    if kind == "heel":
        one = [extrude("sole", [(-length / 2, 0.085), (-length * 0.15, 0.05), (length / 2, 0.0), (length / 2, 0.012), (-length * 0.15, 0.062), (-length / 2, 0.097)], w * 0.7, smooth=True),
               rod("sole", (-length * 0.45, 0.0, 0), (-length * 0.45, 0.085, 0), 0.006),
               sphere("primary", 1.0, at=(length * 0.22, 0.04, 0), scale=(length * 0.28, 0.035, w * 0.42)),
               extrude("primary", [(-length / 2, 0.09), (-length * 0.28, 0.08), (-length * 0.3, 0.13), (-length / 2, 0.15)], w * 0.72)]
    else:
        high = 0.2 if kind == "boot" else 0.07
        one = [rbox("sole", (length, 0.025, w), 0.01, at=(0, 0.0125, 0)), toe,
               rbox("primary", (length * 0.42, high, w * 0.92), 0.03, at=(-length * 0.29, 0.025 + high / 2, 0))]
        if kind == "sneaker":
            one += [box("laces", (0.006, 0.008, w * 0.6), at=(length * (0.08 - 0.05 * i), 0.1 + 0.008 * i, 0)) for i in range(4)]
    if not pair:
        return one
    return shifted(one, (0, 0, -w * 0.7)) + shifted(one, (0.02, 0, w * 0.7))


@family("flag", "flags, banner, banners, pennant, flagpole, flag pole, standard, pirate flag, jolly roger, national flag", {"primary": "fabric:red", "secondary": "fabric:white", "pole": "steel", "accent": "gold"},
        kinds=[kind("flag"), kind("pirate", nouns="pirate flag, jolly roger, skull flag", words_="pirate, skull", slots={"primary": "fabric:black", "secondary": "bone"}),
               kind("banner", nouns="banner, banners, medieval banner, pennant", words_="medieval, castle, heraldic", slots={"primary": "fabric:blue", "secondary": "fabric:yellow", "pole": "wood"})],
        part_words={"pole": "pole", "emblem": "secondary", "stripes": "secondary"})
def flag(k: Knobs, kind: str) -> list[Part]:
    h, w = k.u(2.0, 2.6), k.u(0.9, 1.3)
    fh = w * k.u(0.55, 0.7)
    wave = k.u(0.04, 0.1)
    n = 8
    cloth = [(w * i / n, wave * sin(i / n * 6.28 + 0.4)) for i in range(n + 1)]
    parts = [cyl("pole", 0.03, h), sphere("accent", 0.05, at=(0, h + 0.03, 0))]
    if kind == "banner":
        parts += [cyl("pole", 0.02, w, at=(-w / 2, h - 0.08, 0.03), rot=(0, 0, -90)),
                  extrude("primary", [(-w * 0.45, 0), (w * 0.45, 0), (w * 0.45, -fh * 1.8), (0, -fh * 1.5), (-w * 0.45, -fh * 1.8)], 0.01, at=(0, h - 0.1, 0.03)),
                  extrude("secondary", [(0, -0.15), (0.15, -fh * 0.6), (0, -fh * 1.0), (-0.15, -fh * 0.6)], 0.012, at=(0, h - 0.1, 0.03))]
        return parts
    top = h - 0.05
    strip = [(x, top - 0.0) for x, _ in cloth] + [(x, top - fh) for x, _ in reversed(cloth)]
    parts.append(extrude("primary", strip, 0.01, at=(0.03, 0, 0)))
    if kind == "pirate":
        cx, cy = 0.03 + w * 0.5, top - fh * 0.45
        parts += [sphere("secondary", fh * 0.16, at=(cx, cy + fh * 0.05, 0.008), scale=(1, 1, 0.2)), *[box("secondary", (fh * 0.6, fh * 0.06, 0.004), at=(cx, cy - fh * 0.2, 0.008), rot=(0, 0, a)) for a in (35, -35)]]
    else:
        parts += [box("secondary", (w, fh * 0.2, 0.012), at=(0.03 + w / 2, top - fh / 2, 0))]
    return parts


@family("crystal ball", "crystal balls, magic orb, orb, fortune teller ball, scrying orb, seeing stone, magic ball, snow globe", {"primary": "crystal:lavender", "stand": "dark wood", "glow": "light:violet", "metal": "gold"},
        part_words={"stand": "stand", "base": "stand", "orb": "primary", "mist": "glow"})
def crystal_ball(k: Knobs, kind: str) -> list[Part]:
    r = k.u(0.07, 0.1)
    claws = k.chance(0.5)
    parts = [lathe("stand", [(0, 0, 1), (r * 0.9, 0, 1), (r * 0.85, r * 0.25, 1), (r * 0.6, r * 0.4), (r * 0.62, r * 0.55, 1), (0, r * 0.55, 1)]), sphere("primary", r, at=(0, r * 1.45, 0)),
             blob("glow", r * 0.45, at=(0, r * 1.45, 0), rough=0.3)]
    if claws:
        parts += [tube("metal", [(x * 0.6, r * 0.5, z * 0.6), (x * 1.05, r * 0.9, z * 1.05), (x * 0.8, r * 1.45, z * 0.8)], r * 0.05) for x, _, z, _ in around(3, r, 0)]
    return parts


@family("torch", "torches, burning torch, wall torch, tiki torch, fire torch, flaming torch, sconce", {"primary": "wood", "metal": "iron", "flame": "flame", "cloth": "fabric:beige"},
        part_words={"handle": "primary", "flame": "flame", "fire": "flame", "bracket": "metal"})
def torch(k: Knobs, kind: str) -> list[Part]:
    length = k.u(0.45, 0.6)
    flame = k.u(0.12, 0.2)
    parts = [cyl("primary", 0.018, length, r_top=0.026), cyl("cloth", 0.034, 0.08, at=(0, length - 0.02, 0), r_top=0.04), torus("metal", 0.028, 0.006, at=(0, length * 0.6, 0))]
    parts += [lathe("flame", [(0, 0, 1), (0.045, flame * 0.2), (0.035, flame * 0.6), (0, flame, 1)], at=(0, length + 0.05, 0), rot=(0, 0, k.u(-10, 10))),
              lathe("flame", [(0, 0, 1), (0.03, flame * 0.15), (0.02, flame * 0.4), (0, flame * 0.7, 1)], at=(0.02, length + 0.06, 0.015), rot=(0, 0, k.u(-20, 20)))]
    return parts


@family("scroll", "scrolls, parchment, treasure map, map, maps, old map, letter, document, diploma, papyrus", {"primary": "paper:beige", "wood": "dark wood", "ink": "obsidian", "accent": "paint:red"},
        part_words={"ink": "ink", "seal": "accent", "rods": "wood"})
def scroll(k: Knobs, kind: str) -> list[Part]:
    w, open_ = k.u(0.25, 0.35), k.u(0.15, 0.35)
    parts = [box("primary", (w, 0.002, open_), at=(0, 0.03, 0)),
             *[cyl("primary", 0.025, w, at=(-w / 2, 0.025, s * open_ / 2), rot=(0, 0, -90)) for s in (-1, 1)],
             *[cyl("wood", 0.008, w + 0.06, at=(-w / 2 - 0.03, 0.025, s * open_ / 2), rot=(0, 0, -90)) for s in (-1, 1)]]
    parts += [box("ink", (w * k.u(0.4, 0.75), 0.001, 0.006), at=(0, 0.032, -open_ / 2 + 0.05 + i * 0.025)) for i in range(int((open_ - 0.08) / 0.025))]
    if k.chance(0.5):
        parts.append(cyl("accent", 0.018, 0.006, at=(w * 0.3, 0.031, open_ * 0.3)))
    return parts


@family("anchor", "anchors, ship anchor, boat anchor", {"primary": "iron", "rope": "fabric:beige"}, part_words={"rope": "rope", "chain": "primary"})
def anchor(k: Knobs, kind: str) -> list[Part]:
    h = k.u(0.8, 1.1)
    r = h * k.u(0.35, 0.45)
    parts = [cyl("primary", 0.03, h, at=(0, 0.05, 0)), torus("primary", 0.07, 0.02, at=(0, h + 0.12, 0), rot=(90, 0, 0)),
             box("primary", (r * 1.2, 0.05, 0.05), at=(0, h * 0.8, 0)), *[sphere("primary", 0.04, at=(s * r * 0.6, h * 0.8, 0)) for s in (-1, 1)],
             torus("primary", r, 0.03, at=(0, r + 0.03, 0), rot=(90, 0, -90), sweep=180)]  # the arms: the lower half ring
    parts += [cone("primary", 0.06, 0.14, at=(s * r, r + 0.03, 0), rot=(0, 0, -s * 20)) for s in (-1, 1)]
    if k.chance(0.5):
        parts.append(tube("rope", [(0.07, h + 0.12, 0), (0.25, h * 0.8, 0.05), (0.15, h * 0.5, 0.08), (0.3, h * 0.2, 0.05)], 0.015))
    return parts


@family("skull", "skulls, human skull, skull and crossbones, cranium, crossbones", {"primary": "bone", "eyes": "obsidian"}, part_words={"teeth": "primary", "bones": "primary"})
def skull(k: Knobs, kind: str) -> list[Part]:
    r = k.u(0.09, 0.11)
    parts = [sphere("primary", r, at=(0, r * 1.2, 0), scale=(1.05, 1.0, 0.95)), box("primary", (r * 0.9, r * 0.5, r * 1.1), at=(r * 0.35, r * 0.45, 0)),
             *[sphere("eyes", r * 0.25, at=(r * 0.8, r * 1.05, s * r * 0.38), scale=(0.6, 1, 1)) for s in (-1, 1)],
             extrude("eyes", [(-r * 0.08, 0), (r * 0.08, 0), (0, r * 0.18)], 0.02, at=(r * 0.92, r * 0.7, 0), rot=(0, 90, 0)),
             *[box("primary", (r * 0.06, r * 0.18, r * 0.12), at=(r * 0.82, r * 0.28, (i - 2.5) * r * 0.14)) for i in range(6)]]
    if k.chance(0.4):  # crossbones under the skull, centred on it
        bone = r * 4.0
        parts += [capsule("primary", 0.018, bone, at=(-bone / 2 * sin(radians(a)), 0.02, -bone / 2 * cos(radians(a))), rot=(90, a, 0)) for a in (45, -45)]
    return parts


@family("tombstone", "tombstones, gravestone, gravestones, headstone, grave, graves, tomb, rip stone, grave marker", {"primary": "stone", "secondary": "grass", "ink": "obsidian", "soil": "soil"},
        part_words={"moss": "secondary", "grass": "secondary", "text": "ink", "dirt": "soil"})
def tombstone(k: Knobs, kind: str) -> list[Part]:
    w, h, t = k.u(0.45, 0.6), k.u(0.6, 0.9), k.u(0.1, 0.14)
    lean = k.u(-8, 8)
    shape = k.pick(["round", "cross", "flat"])
    parts = []
    if shape == "cross":
        parts += [box("primary", (0.12, h, t), at=(0, h / 2, 0), rot=(lean, 0, 0)), box("primary", (w * 0.8, 0.12, t), at=(0, h * 0.7, 0), rot=(lean, 0, 0))]
    else:
        outline = [(-w / 2, 0, 1), (w / 2, 0, 1), (w / 2, h - w / 2, 1), *arc(w / 2, 0, 180, 6, 0, h - w / 2, corners=False)[1:-1], (-w / 2, h - w / 2, 1)] if shape == "round" else [(-w / 2, 0), (w / 2, 0), (w / 2, h), (-w / 2, h)]
        parts.append(extrude("primary", outline, t, rot=(lean, 0, 0)))
        parts += [box("ink", (w * (0.5 if i == 0 else 0.6), 0.04 if i == 0 else 0.02, 0.01), at=(0, h * 0.68 - 0.07 * i, t / 2 + 0.003)) for i in range(3)]
    parts += [box("soil", (w * 1.1, 0.06, 0.9), at=(0, 0.0, 0.5)), blob("secondary", 0.12, at=(w * 0.45, 0.04, t), rough=0.3)]
    return parts


@family("campfire", "campfires, camp fire, bonfire, fire pit, firepit, fireplace fire, fire, log fire", {"primary": "bark", "secondary": "wood", "flame": "flame", "ember": "light:orange", "stone": "stone"},
        part_words={"logs": "primary", "flames": "flame", "fire": "flame", "stones": "stone", "rocks": "stone"})
def campfire(k: Knobs, kind: str) -> list[Part]:
    logs, r = k.i(3, 6), k.u(0.25, 0.35)
    parts = [cyl("primary", 0.05, r * 2, at=(0.0, 0.06, 0), rot=(70, a, 0)) for _, _, _, a in around(logs, 0, 0, k.u(0, 60))]
    parts += [cyl("primary", 0.045, r * 1.8, at=(0, 0.05, 0), rot=(90, a, 0), scale=(1, 1, 1)) for _, _, _, a in around(logs, 0, 0)]
    parts += [blob("stone", 0.08, at=(x, 0.04, z), rough=0.3) for x, _, z, _ in around(k.i(8, 12), r * 1.6, 0)]
    for i in range(k.i(3, 5)):
        a = 360 * i / 4 + k.u(-20, 20)
        parts.append(lathe("flame", [(0, 0, 1), (0.08, 0.1), (0.06, 0.25), (0, k.u(0.35, 0.55), 1)], at=(0.06 * sin(radians(a)), 0.08, 0.06 * cos(radians(a))), rot=(0, 0, k.u(-12, 12))))
    parts.append(blob("ember", 0.12, at=(0, 0.05, 0), rough=0.3))
    return parts


def _star_points(r: float, inner: float, n: int = 5) -> list[tuple[float, float]]:
    return [(r * (1 if i % 2 == 0 else inner) * sin(radians(180 * i / n)), r * (1 if i % 2 == 0 else inner) * cos(radians(180 * i / n))) for i in range(2 * n)]


@family("star", "stars, gold star, star pickup, power star, shooting star, starfish, sea star, christmas star", {"primary": "gold", "secondary": "paint:white"},
        kinds=[kind("star"), kind("starfish", nouns="starfish, sea star", slots={"primary": "paint:orange"})], part_words={"eyes": "secondary"})
def star(k: Knobs, kind: str) -> list[Part]:
    r = k.u(0.2, 0.28)
    if kind == "starfish":
        return [tube("primary", [(0, 0.02, 0), (r * sin(radians(a)) * 0.6, 0.025, r * cos(radians(a)) * 0.6), (r * sin(radians(a)), 0.015, r * cos(radians(a)))], (0.06, 0.04, 0.01)) for a in range(0, 360, 72)]
    depth = k.u(0.06, 0.12)
    return [extrude("primary", _star_points(r, k.u(0.42, 0.5)), depth, at=(0, r, 0), smooth=False), cyl("primary", r * 0.3, depth * 1.2, at=(0, r, -depth * 0.6), rot=(90, 0, 0))]


@family("heart", "hearts, love heart, heart pickup, valentine heart, health pickup, heart shape", {"primary": "paint:red", "secondary": "paint:white"}, part_words={"shine": "secondary"})
def heart(k: Knobs, kind: str) -> list[Part]:
    r = k.u(0.18, 0.24)
    depth = k.u(0.08, 0.14)
    outline = [(0, 0)]
    for t in range(1, 24):
        a = radians(t * 15)
        x = 16 * sin(a) ** 3
        y = 13 * cos(a) - 5 * cos(2 * a) - 2 * cos(3 * a) - cos(4 * a)
        outline.append((x * r / 16, (y + 17) * r / 16))
    return [extrude("primary", [(-x, y) for x, y in outline], depth, smooth=True), sphere("secondary", r * 0.12, at=(-r * 0.45, r * 1.4, depth * 0.4), scale=(1, 1.3, 0.4))]


@family("glasses", "eyeglasses, spectacles, sunglasses, shades, goggles, monocle, reading glasses", {"primary": "plastic:black", "glass": "glass:sky"},
        kinds=[kind("glasses"), kind("sunglasses", nouns="sunglasses, shades, aviators", slots={"glass": "obsidian"})], part_words={"frames": "primary", "lenses": "glass"})
def glasses(k: Knobs, kind: str) -> list[Part]:
    r = k.u(0.022, 0.028)
    gap = k.u(0.015, 0.022)
    y = r + 0.01
    return [*[torus("primary", r, 0.003, at=(s * (r + gap / 2), y, 0), rot=(90, 0, 0), scale=(1.2, 1, 1)) for s in (-1, 1)],
            *[cyl("glass", r, 0.002, at=(s * (r + gap / 2), y, -0.001), rot=(90, 0, 0), scale=(1.2, 1, 1)) for s in (-1, 1)],
            tube("primary", [(-gap / 2, y + r * 0.3, 0), (0, y + r * 0.5, 0), (gap / 2, y + r * 0.3, 0)], 0.0025),
            *[rod("primary", (s * (2 * r * 1.2 + gap / 2), y, 0), (s * (2 * r * 1.2 + gap / 2), y - 0.005, -0.14), 0.0025) for s in (-1, 1)]]
