"""Things that hold a liquid or food: pots, cups, bottles, bowls, pans, cutlery. Most are one turned profile with
a handle or a spout; the knobs stretch the profile, move the belly, and vary rims and handles."""

# ruff: noqa: E501
# fmt: off

from __future__ import annotations

from math import cos, radians, sin

from app.engines.local.parts import Part, box, cyl, extrude, lathe, ring, sphere, torus, tube
from app.engines.local.recipes.model import Knobs, family, kind
from app.engines.local.recipes.shapes import bent_handle, rod


@family("teapot", "tea pot, teapots", {"primary": "glazed ceramic"}, part_words={"spout": "primary", "lid": "primary"})
def teapot(k: Knobs, kind: str) -> list[Part]:
    r, h, belly = k.u(0.1, 0.135), k.u(0.13, 0.19), k.u(0.4, 0.6)
    top = k.u(0.55, 0.7) * r
    spout_up = k.u(0.13, 0.2)
    return [
        lathe("primary", [(0, 0, 1), (r * 0.62, 0, 1), (r * 0.85, h * 0.12), (r, h * belly), (r * 0.85, h * 0.85), (top, h, 1), (0, h, 1)]),
        lathe("primary", [(0, h - 0.005, 1), (top * 1.05, h - 0.005, 1), (top * 1.05, h + 0.005, 1), (top * 0.7, h + 0.022), (0, h + 0.03, 1)]),
        sphere("primary", 0.016, at=(0, h + 0.04, 0)),
        tube("primary", [(r * 0.7, h * 0.3, 0), (r * 1.25, h * 0.45, 0), (r * 1.45, h * 0.75, 0), (r * 1.6, h * 0.75 + spout_up * 0.5, 0)], (0.028, 0.017, 0.012, 0.011)),
        bent_handle("primary", -r * 0.85, h * 0.2, h * 0.8, -k.u(0.07, 0.1), 0.011),
    ]


@family("kettle", "kettles, teakettle, tea kettle", {"primary": "steel", "secondary": "plastic:black", "accent": "plastic:black"},
        kinds=[kind("stovetop", words_="stovetop, whistling, camping, copper, enamel"),
               kind("electric", nouns="electric kettle", words_="electric, cordless", slots={"primary": "plastic:white", "secondary": "plastic:grey"})],
        part_words={"handle": "secondary", "base": "secondary", "spout": "primary"})
def kettle(k: Knobs, kind: str) -> list[Part]:
    if kind == "electric":
        r, h = k.u(0.075, 0.09), k.u(0.2, 0.25)
        return [
            cyl("secondary", r * 1.25, 0.025, r_top=r * 1.2),
            lathe("primary", [(0, 0.025, 1), (r * 1.05, 0.025, 1), (r, h * 0.9), (r * 0.9, h, 1), (0, h, 1)]),
            cyl("secondary", r * 0.7, 0.012, at=(0, h, 0)),
            box("secondary", (0.03, h * 0.75, 0.04), at=(-r - 0.035, h * 0.55, 0)),
            box("secondary", (0.06, 0.025, 0.04), at=(-r - 0.01, h * 0.92, 0)),
            box("secondary", (0.06, 0.025, 0.04), at=(-r - 0.01, h * 0.2, 0)),
            extrude("primary", [(0, 0), (0.045, 0.015), (0.05, 0.03), (0, 0.03)], 0.035, at=(r * 0.85, h * 0.85, 0)),
            box("accent", (0.006, h * 0.5, 0.02), at=(r * 0.7, h * 0.5, r * 0.72), rot=(0, 45, 0)),
        ]
    r, h = k.u(0.1, 0.125), k.u(0.12, 0.16)
    return [
        lathe("primary", [(0, 0, 1), (r, 0, 1), (r * 1.02, h * 0.35), (r * 0.7, h * 0.85), (r * 0.45, h, 1), (0, h, 1)]),
        sphere("secondary", 0.015, at=(0, h + 0.012, 0)),
        tube("primary", [(r * 0.8, h * 0.25, 0), (r * 1.2, h * 0.5, 0), (r * 1.45, h * 0.85, 0)], (0.022, 0.014, 0.01)),
        tube("secondary", [(-r * 0.4, h * 0.95, 0), (-r * 0.3, h * 1.55, 0), (r * 0.3, h * 1.55, 0), (r * 0.4, h * 0.95, 0)], 0.01),
    ]


@family("mug", "mugs, coffee mug, tankard, stein, beer mug, camping mug, tin mug", {"primary": "ceramic:white", "accent": "coffee", "rim": "ceramic:white"},
        kinds=[kind("mug"), kind("enamel", nouns="camping mug, tin mug, enamel mug", words_="enamel, enamelled, enameled, camping, tin", slots={"primary": "enamel", "rim": "enamel:navy"})],
        part_words={"coffee": "accent", "tea": "accent", "handle": "primary", "rim": "rim"})
def mug(k: Knobs, kind: str) -> list[Part]:
    r, h = k.u(0.038, 0.05), k.u(0.085, 0.12)
    flare = 1.0 if kind == "enamel" else k.u(0.97, 1.08)
    parts = [
        lathe("primary", [(0, 0, 1), (r, 0, 1), (r * flare, h, 1), (r * flare - 0.005, h, 1), (r - 0.006, 0.008, 1), (0, 0.008, 1)]),
        cyl("accent", r - 0.0055, 0.004, at=(0, h * 0.72, 0)),
        bent_handle("primary", r - 0.002, h * 0.22, h * 0.82, k.u(0.03, 0.042), k.u(0.006, 0.009)),
    ]
    if kind == "enamel":  # the dark rolled rim an enamel mug is known by
        parts.append(torus("rim", r * flare - 0.0025, 0.0028, at=(0, h, 0)))
    return parts


@family("cup", "cups, teacup, tea cup, coffee cup, cup and saucer, saucer, espresso cup", {"primary": "porcelain", "accent": "coffee"},
        part_words={"coffee": "accent", "tea": "accent", "saucer": "primary"})
def cup(k: Knobs, kind: str) -> list[Part]:
    r, h = k.u(0.045, 0.056), k.u(0.055, 0.075)
    s = k.u(0.075, 0.09)
    return [
        lathe("primary", [(0, 0, 1), (s * 0.55, 0, 1), (s * 0.95, 0.008), (s, 0.014, 1), (s * 0.93, 0.013, 1), (s * 0.55, 0.006), (0, 0.006, 1)]),
        lathe("primary", [(0, 0.006, 1), (0.025, 0.006, 1), (0.027, 0.012, 1), (r * 0.62, 0.018), (r * 0.88, h * 0.65), (r, h, 1),
                          (r - 0.004, h, 1), (r * 0.82, h * 0.66), (0.028, 0.02, 1), (0, 0.02, 1)]),
        cyl("accent", r * 0.86, 0.003, at=(0, h * 0.72, 0)),
        tube("primary", [(r * 0.87, h * 0.85, 0), (r * 1.3, h * 0.82, 0), (r * 1.34, h * 0.55, 0), (r * 0.78, h * 0.4, 0)], 0.005),
    ]


def _vase_profile(k: Knobs, h: float, r: float) -> list[tuple]:
    belly, neck, lip = k.u(0.3, 0.55), k.u(0.3, 0.55), k.u(0.45, 0.7)
    return [(0, 0, 1), (r * 0.55, 0, 1), (r * 0.62, h * 0.04), (r, h * belly), (r * neck, h * 0.8), (r * lip, h, 1),
            (r * lip - 0.008, h, 1), (r * neck - 0.008, h * 0.8), (0, h * 0.78, 1)]


@family("vase", "vases, urn, amphora, pitcher, flower vase, jug", {"primary": "glazed ceramic:teal"})
def vase(k: Knobs, kind: str) -> list[Part]:
    h, r = k.u(0.28, 0.42), k.u(0.09, 0.13)
    return [lathe("primary", _vase_profile(k, h, r))]


@family("bottle", "bottles, wine bottle, beer bottle, flagon, decanter, milk bottle, soda bottle", {"primary": "glass:green", "secondary": "paper", "accent": "cork"},
        part_words={"label": "secondary", "cork": "accent", "cap": "accent"})
def bottle(k: Knobs, kind: str) -> list[Part]:
    r, h = k.u(0.032, 0.042), k.u(0.24, 0.32)
    shoulder, neck = k.u(0.55, 0.72), k.u(0.012, 0.017)
    return [
        lathe("primary", [(0, 0, 1), (r, 0, 1), (r * 1.02, 0.006), (r, h * shoulder), (r * 0.9, h * (shoulder + 0.08)), (neck * 1.15, h * 0.85),
                          (neck, h * 0.96), (neck * 1.2, h * 0.98, 1), (neck * 1.2, h, 1), (0, h, 1)]),
        ring("secondary", r * 0.99, r * 1.03, h * k.u(0.2, 0.3), at=(0, h * 0.2, 0)),
        cyl("accent", neck * 0.85, 0.02, at=(0, h - 0.008, 0)),
    ]


@family("potion", "potions, flask, elixir, vial, phial, potion bottle, tonic, brew, poison, love potion",
        {"primary": "glass", "accent": "potion", "secondary": "cork"},
        part_words={"liquid": "accent", "cork": "secondary", "bottle": "primary"}, colour="accent")
def potion(k: Knobs, kind: str) -> list[Part]:
    r = k.u(0.05, 0.07)
    neck, nh = k.u(0.014, 0.02), k.u(0.04, 0.07)
    fill = k.u(0.5, 0.85)
    body = 2 * r
    return [
        lathe("primary", [(0, 0, 1), (r * 0.6, 0, 1), (r * 0.95, body * 0.3), (r, body * 0.5), (r * 0.8, body * 0.85), (neck * 1.3, body * 1.05),
                          (neck, body * 1.1), (neck, body * 1.1 + nh), (neck * 1.3, body * 1.1 + nh + 0.005, 1), (neck * 1.3, body * 1.1 + nh + 0.012, 1), (0, body * 1.1 + nh + 0.012, 1)]),
        lathe("accent", [(0, 0.004, 1), (r * 0.56, 0.004, 1), (r * 0.9, body * 0.3), (r * 0.95, body * 0.5 * fill + 0.01), (r * 0.9, body * fill * 0.8, 1), (0, body * fill * 0.8, 1)]),
        cyl("secondary", neck * 1.02, 0.032, at=(0, body * 1.1 + nh - 0.014, 0)),
    ]


@family("bowl", "bowls, dish, basin, salad bowl, soup bowl, cereal bowl", {"primary": "glazed ceramic:white", "accent": "soil"},
        part_words={"soup": "accent", "fruit": "accent"})
def bowl(k: Knobs, kind: str) -> list[Part]:
    r, h = k.u(0.09, 0.13), k.u(0.05, 0.08)
    foot = k.u(0.35, 0.5)
    return [lathe("primary", [(0, 0, 1), (r * foot, 0, 1), (r * foot, 0.01, 1), (r * 0.8, h * 0.55), (r, h, 1), (r - 0.007, h, 1),
                              (r * 0.78, h * 0.58), (r * foot * 0.9, 0.016), (0, 0.016, 1)])]


@family("plate", "plates, dinner plate, platter, dish plate, saucer plate", {"primary": "porcelain"})
def plate(k: Knobs, kind: str) -> list[Part]:
    r = k.u(0.11, 0.14)
    well = k.u(0.55, 0.7)
    return [lathe("primary", [(0, 0, 1), (r * 0.5, 0, 1), (r * 0.52, 0.005), (r * well, 0.008), (r * 0.98, 0.02), (r, 0.022, 1),
                              (r * 0.97, 0.024, 1), (r * well, 0.013), (0, 0.012, 1)])]


@family("wine glass", "wine glasses, goblet, chalice, champagne glass, cocktail glass, martini glass", {"primary": "glass", "accent": "potion:red"},
        kinds=[kind("wine"), kind("goblet", nouns="goblet, chalice", slots={"primary": "silver", "accent": "potion:red"})],
        part_words={"wine": "accent", "drink": "accent"})
def wine_glass(k: Knobs, kind: str) -> list[Part]:
    r, stem = k.u(0.035, 0.045), k.u(0.06, 0.09)
    bowl_h = k.u(0.07, 0.1)
    y0 = stem + 0.006
    return [
        lathe("primary", [(0, 0, 1), (r * 1.55, 0, 1), (r * 1.5, 0.006, 1), (0.005, 0.01), (0.004, stem), (r * 0.55, y0 + 0.004), (r, y0 + bowl_h * 0.45),
                          (r * 0.85, y0 + bowl_h, 1), (r * 0.82, y0 + bowl_h, 1), (r * 0.94, y0 + bowl_h * 0.45), (r * 0.5, y0 + 0.01), (0, y0 + 0.008, 1)]),
        lathe("accent", [(0, y0 + 0.009, 1), (r * 0.5, y0 + 0.011), (r * 0.9, y0 + bowl_h * 0.4, 1), (0, y0 + bowl_h * 0.4, 1)]),
    ]


@family("jar", "jars, mason jar, cookie jar, honey jar, jam jar, canister", {"primary": "glass", "metal": "steel", "accent": "paint:orange"},
        part_words={"lid": "metal", "honey": "accent", "jam": "accent", "cookies": "accent"})
def jar(k: Knobs, kind: str) -> list[Part]:
    r, h = k.u(0.045, 0.065), k.u(0.1, 0.16)
    fill = k.u(0.4, 0.8)
    return [
        lathe("primary", [(0, 0, 1), (r * 0.95, 0, 1), (r, 0.01), (r, h * 0.78), (r * 0.8, h * 0.9), (r * 0.78, h, 1), (0, h, 1)]),
        lathe("accent", [(0, 0.004, 1), (r * 0.93, 0.004, 1), (r * 0.95, h * fill, 1), (0, h * fill, 1)]),
        cyl("metal", r * 0.83, 0.018, at=(0, h - 0.004, 0)),
    ]


@family("bucket", "buckets, pail, bucket of water, mop bucket", {"primary": "steel", "metal": "iron", "accent": "water"},
        part_words={"water": "accent", "handle": "metal"})
def bucket(k: Knobs, kind: str) -> list[Part]:
    r, h = k.u(0.12, 0.16), k.u(0.22, 0.3)
    top = r * k.u(1.15, 1.3)
    return [
        lathe("primary", [(0, 0, 1), (r, 0, 1), (top, h, 1), (top - 0.006, h, 1), (r - 0.006, 0.01, 1), (0, 0.01, 1)]),
        *[torus("primary", rr, 0.005, at=(0, y, 0)) for rr, y in ((top, h), (r + (top - r) * 0.3, h * 0.3))],
        cyl("accent", r + (top - r) * 0.6 - 0.008, 0.004, at=(0, h * 0.6, 0)),
        tube("metal", [(-top, h * 0.85, 0), (-top * 0.7, h * 1.35, 0), (0, h * 1.5, 0), (top * 0.7, h * 1.35, 0), (top, h * 0.85, 0)], 0.004),
    ]


@family("cauldron", "cauldrons, witch cauldron, witches cauldron, kettle pot", {"primary": "iron", "accent": "potion:green"},
        part_words={"brew": "accent", "potion": "accent", "liquid": "accent"}, colour="accent")
def cauldron(k: Knobs, kind: str) -> list[Part]:
    r = k.u(0.22, 0.3)
    h = r * k.u(1.3, 1.6)
    y0 = k.u(0.06, 0.1)
    parts = [
        lathe("primary", [(0, y0, 1), (r * 0.5, y0, 1), (r, y0 + h * 0.45), (r * 0.85, y0 + h * 0.85), (r * 0.82, y0 + h, 1), (r * 0.9, y0 + h + 0.02, 1),
                          (r * 0.76, y0 + h + 0.02, 1), (r * 0.76, y0 + h * 0.3, 1), (0, y0 + h * 0.3, 1)]),
        cyl("accent", r * 0.8, 0.01, at=(0, y0 + h * 0.8, 0)),
        *[sphere("accent", r * s, at=(x, y0 + h * 0.82, z)) for x, z, s in ((0.05, 0.03, 0.12), (-0.06, -0.04, 0.09), (0.02, -0.08, 0.07))],
    ]
    for a in (0, 120, 240):
        x, z = 0.55 * r * sin(radians(a)), 0.55 * r * cos(radians(a))
        parts.append(rod("primary", (x, y0 + 0.03, z), (x * 1.2, 0, z * 1.2), 0.02))
    parts += [torus("primary", 0.04, 0.008, at=(s * r * 0.86, y0 + h * 0.85, 0), rot=(0, 0, 90)) for s in (-1, 1)]
    return parts


@family("frying pan", "frying pans, pan, pans, skillet, wok", {"primary": "iron", "secondary": "wood"},
        kinds=[kind("frying pan", words_="frying, skillet, wok"), kind("saucepan", nouns="saucepan, cooking pot, stock pot")],
        part_words={"handle": "secondary"})
def frying_pan(k: Knobs, kind: str) -> list[Part]:
    if kind == "saucepan":
        r, h = k.u(0.09, 0.12), k.u(0.08, 0.14)
        return [
            lathe("primary", [(0, 0, 1), (r, 0, 1), (r, h, 1), (r - 0.005, h, 1), (r - 0.005, 0.006, 1), (0, 0.006, 1)]),
            rod("secondary", (r * 0.9, h * 0.85, 0), (r + k.u(0.15, 0.2), h * 1.05, 0), 0.011),
        ]
    r = k.u(0.12, 0.16)
    h = k.u(0.035, 0.05)
    return [
        lathe("primary", [(0, 0, 1), (r * 0.8, 0, 1), (r, h, 1), (r - 0.005, h, 1), (r * 0.8 - 0.004, 0.005), (0, 0.005, 1)]),
        rod("secondary", (r * 0.95, h * 0.85, 0), (r + k.u(0.16, 0.22), h * 1.4, 0), k.u(0.01, 0.013)),
    ]


@family("watering can", "watering cans, sprinkling can", {"primary": "steel", "secondary": "steel"},
        part_words={"spout": "secondary", "rose": "secondary"})
def watering_can(k: Knobs, kind: str) -> list[Part]:
    r, h = k.u(0.09, 0.12), k.u(0.2, 0.26)
    reach = k.u(0.28, 0.36)
    return [
        lathe("primary", [(0, 0, 1), (r, 0, 1), (r, h * 0.85, 1), (r * 0.85, h, 1), (0, h, 1)]),
        tube("secondary", [(r * 0.7, h * 0.15, 0), (r + reach * 0.5, h * 0.55, 0), (r + reach, h * 1.05, 0)], (0.02, 0.015, 0.012)),
        cyl("secondary", 0.022, 0.02, at=(r + reach, h * 1.05, 0), rot=(0, 0, -50), r_top=0.03),
        tube("primary", [(-r * 0.9, h * 0.35, 0), (-r * 1.35, h * 0.7, 0), (-r * 1.2, h * 1.15, 0), (-r * 0.3, h * 1.3, 0), (r * 0.3, h * 0.95, 0)], 0.01),
    ]


def _cutlery_handle(k: Knobs, slot: str, length: float) -> list[Part]:
    w = k.u(0.014, 0.02)
    return [extrude(slot, [(-w * 0.45, 0, 1), (w * 0.45, 0, 1), (w * 0.55, length * 0.8), (w * 0.5, length, 1), (-w * 0.5, length, 1), (-w * 0.55, length * 0.8)],
                    0.005, smooth=True, rot=(90, 0, 0), at=(0, 0.003, 0))]


@family("spoon", "spoons, tablespoon, teaspoon, wooden spoon, ladle", {"primary": "steel"})
def spoon(k: Knobs, kind: str) -> list[Part]:
    length = k.u(0.12, 0.16)
    bowl_r = k.u(0.018, 0.024)
    return [*_cutlery_handle(k, "primary", length),
            sphere("primary", bowl_r, at=(0, 0.006, length + bowl_r * 1.3), scale=(1, 0.3, 1.5))]


@family("fork", "forks, table fork, dinner fork", {"primary": "steel"})
def fork(k: Knobs, kind: str) -> list[Part]:
    length = k.u(0.12, 0.15)
    tines = k.i(3, 4)
    parts = [*_cutlery_handle(k, "primary", length), box("primary", (0.022, 0.005, 0.02), at=(0, 0.005, length + 0.008))]
    for i in range(tines):
        x = -0.009 + 0.018 * i / (tines - 1)
        parts.append(box("primary", (0.003, 0.004, 0.035), at=(x, 0.005, length + 0.034)))
    return parts


@family("knife", "knives, kitchen knife, chef knife, bread knife, butter knife, table knife, steak knife, cleaver", {"primary": "steel", "secondary": "dark wood", "metal": "steel"},
        part_words={"blade": "primary", "handle": "secondary"}, main=("primary",))
def knife(k: Knobs, kind: str) -> list[Part]:
    blade, width = k.u(0.15, 0.22), k.u(0.03, 0.045)
    grip = k.u(0.1, 0.13)
    return [
        extrude("primary", [(0, 0, 1), (width, 0, 1), (width * 0.95, blade * 0.7), (width * 0.3, blade, 1), (0, blade * 0.93, 1)], 0.002, at=(0, 0.02, 0), rot=(90, 0, 0)),
        box("secondary", (0.018, 0.018, grip), at=(0.01, 0.009, -grip / 2 - 0.002)),
        *[cyl("metal", 0.003, 0.02, at=(0.01, 0, -z)) for z in (grip * 0.3, grip * 0.7)],
    ]
