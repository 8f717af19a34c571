"""Household appliances and electronics: mostly rounded boxes with a face (a door, a screen, a grille), knobs,
buttons and feet. The knobs vary proportions, how many buttons and burners, and small details."""

# ruff: noqa: E501
# fmt: off

from __future__ import annotations

from math import cos, radians, sin

from app.engines.local.parts import Part, box, capsule, cyl, extrude, hemi, lathe, rbox, sphere, torus, tube
from app.engines.local.recipes.model import Knobs, family, kind
from app.engines.local.recipes.shapes import arch, rod

_DARK = "plastic:black"


@family("fridge", "fridges, refrigerator, refrigerators, freezer, icebox, fridge freezer", {"primary": "paint:white", "metal": "steel", "detail": "rubber"},
        part_words={"handles": "metal", "door": "primary", "doors": "primary"})
def fridge(k: Knobs, kind: str) -> list[Part]:
    w, h, d = k.u(0.6, 0.8), k.u(1.6, 1.9), k.u(0.62, 0.72)
    split = k.u(0.3, 0.4) if k.chance(0.8) else 0.0
    parts = [rbox("primary", (w, h, d), 0.03, at=(0, h / 2 + 0.03, 0)), box("detail", (w - 0.06, 0.03, d - 0.06), at=(0, 0.015, 0))]
    if split:
        parts.append(box("detail", (w - 0.02, 0.012, 0.01), at=(0, 0.03 + h * (1 - split), d / 2 + 0.002)))
        parts.append(box("metal", (0.03, h * split * 0.5, 0.04), at=(-w / 2 + 0.07, 0.03 + h * (1 - split * 0.5), d / 2 + 0.025)))
        parts.append(box("metal", (0.03, h * (1 - split) * 0.45, 0.04), at=(-w / 2 + 0.07, 0.03 + h * (1 - split) * 0.7, d / 2 + 0.025)))
    else:
        parts.append(box("metal", (0.03, h * 0.4, 0.04), at=(-w / 2 + 0.07, 0.03 + h * 0.6, d / 2 + 0.025)))
    return parts


@family("washing machine", "washing machines, washer, washers, dryer, tumble dryer, laundry machine, clothes dryer", {"primary": "paint:white", "glass": "glass", "metal": "chrome", "detail": _DARK},
        part_words={"door": "glass", "window": "glass"})
def washing_machine(k: Knobs, kind: str) -> list[Part]:
    w, h, d = k.u(0.58, 0.62), k.u(0.82, 0.88), k.u(0.55, 0.62)
    r = w * k.u(0.28, 0.33)
    y = h * 0.45
    return [
        rbox("primary", (w, h, d), 0.02, at=(0, h / 2, 0)),
        torus("metal", r, 0.025, at=(0, y, d / 2 + 0.01), rot=(90, 0, 0)),
        cyl("glass", r, 0.03, at=(0, y, d / 2 - 0.01), rot=(90, 0, 0)),
        box("detail", (w - 0.04, 0.12, 0.01), at=(0, h - 0.08, d / 2 + 0.003)),
        cyl("metal", 0.03, 0.02, at=(w * 0.28, h - 0.08, d / 2), rot=(90, 0, 0)),
        *[cyl("primary", 0.01, 0.012, at=(-w * 0.3 + 0.04 * i, h - 0.08, d / 2), rot=(90, 0, 0)) for i in range(k.i(2, 5))],
        box("primary", (w * 0.3, 0.05, 0.01), at=(-w * 0.28, h - 0.08, d / 2 + 0.006)),
    ]


@family("oven", "ovens, stove, stoves, cooker, range, kitchen stove, cooking range, kitchen range, stovetop oven", {"primary": "steel", "glass": "glass:amber", "detail": _DARK, "metal": "iron"},
        part_words={"door": "glass", "burners": "metal", "knobs": "detail"})
def oven(k: Knobs, kind: str) -> list[Part]:
    w, h, d = k.u(0.6, 0.9), k.u(0.85, 0.92), k.u(0.6, 0.65)
    burners = 4 if w < 0.75 else k.pick([4, 5, 6])
    parts = [
        box("primary", (w, h, d), at=(0, h / 2, 0)),
        box("detail", (w - 0.02, 0.012, d - 0.02), at=(0, h + 0.006, 0)),
        box("glass", (w * 0.7, h * 0.35, 0.01), at=(0, h * 0.42, d / 2 + 0.004)),
        rod("primary", (-w * 0.35, h * 0.7, d / 2 + 0.04), (w * 0.35, h * 0.7, d / 2 + 0.04), 0.012),
        box("primary", (w, 0.12, 0.05), at=(0, h + 0.06, -d / 2 + 0.025)),
        *[cyl("detail", 0.02, 0.025, at=(-w / 2 + 0.08 + i * (w - 0.16) / (burners - 1), h * 0.85, d / 2), rot=(90, 0, 0)) for i in range(burners)],
    ]
    cols = 2 if burners == 4 else 3
    for i in range(burners):
        x = -w / 4 + (w / 2) * (i % cols) / max(1, cols - 1) if cols > 1 else 0
        z = -d / 5 if i < cols else d / 5
        parts.append(torus("metal", 0.07 if i % 2 else 0.055, 0.008, at=(x * (1.4 if cols == 3 else 1), h + 0.016, z)))
    return parts


@family("microwave", "microwaves, microwave oven, microwave ovens", {"primary": "paint:white", "glass": "window", "detail": _DARK, "metal": "steel"},
        part_words={"door": "glass", "window": "glass"})
def microwave(k: Knobs, kind: str) -> list[Part]:
    w, h, d = k.u(0.45, 0.55), k.u(0.27, 0.32), k.u(0.35, 0.42)
    return [
        rbox("primary", (w, h, d), 0.015, at=(0, h / 2 + 0.01, 0)),
        box("glass", (w * 0.6, h * 0.65, 0.01), at=(-w * 0.12, h / 2 + 0.01, d / 2 + 0.003)),
        box("detail", (w * 0.2, h * 0.8, 0.008), at=(w * 0.36, h / 2 + 0.01, d / 2 + 0.002)),
        box("metal", (0.012, h * 0.6, 0.02), at=(w * 0.2, h / 2 + 0.01, d / 2 + 0.012)),
        *[box("primary", (0.025, 0.015, 0.006), at=(w * 0.33 + 0.035 * (i % 2), h * 0.72 - 0.025 * (i // 2), d / 2 + 0.006)) for i in range(k.i(4, 8))],
        *[cyl("detail", 0.012, 0.01, at=(x, 0, z)) for x in (-w / 2 + 0.04, w / 2 - 0.04) for z in (-d / 2 + 0.04, d / 2 - 0.04)],
    ]


@family("toaster", "toasters, pop up toaster, sandwich toaster", {"primary": "chrome", "detail": _DARK, "accent": "bread crust"},
        part_words={"toast": "accent", "lever": "detail"})
def toaster(k: Knobs, kind: str) -> list[Part]:
    w, h, d = k.u(0.26, 0.32), k.u(0.18, 0.22), k.u(0.15, 0.2)
    slots = k.pick([2, 2, 4])
    parts = [rbox("primary", (w, h, d), 0.035, at=(0, h / 2 + 0.01, 0)), box("detail", (w * 0.95, 0.012, d * 0.95), at=(0, 0.006, 0)),
             box("detail", (0.025, 0.015, 0.03), at=(w / 2 + 0.012, h * 0.7, 0)), box("detail", (0.012, h * 0.6, 0.012), at=(w / 2 + 0.002, h * 0.45, 0))]
    for i in range(slots):
        z = (i - (slots - 1) / 2) * d / (slots + 0.5) if slots == 2 else (i % 2 - 0.5) * d / 2.5
        x = 0 if slots == 2 else (i // 2 - 0.5) * w / 2.2
        parts.append(box("detail", (w * (0.7 if slots == 2 else 0.35), 0.01, 0.018), at=(x, h + 0.009, z)))
        if k.chance(0.5):
            parts.append(rbox("accent", (w * (0.6 if slots == 2 else 0.3), h * 0.5, 0.012), 0.004, at=(x, h * 0.95, z)))
    return parts


@family("blender", "blenders, smoothie maker, food processor, mixer", {"primary": _DARK, "glass": "glass", "accent": "potion:pink", "metal": "steel"},
        part_words={"jug": "glass", "jar": "glass", "smoothie": "accent"}, colour="primary")
def blender(k: Knobs, kind: str) -> list[Part]:
    w, h = k.u(0.16, 0.2), k.u(0.22, 0.3)
    fill = k.u(0.3, 0.7)
    base = k.u(0.1, 0.14)
    return [
        rbox("primary", (w, base, w), 0.02, at=(0, base / 2, 0)),
        cyl("metal", 0.02, 0.01, at=(0, base * 0.5, w / 2 + 0.002), rot=(90, 0, 0)),
        lathe("glass", [(0, base, 1), (w * 0.35, base, 1), (w * 0.45, base + h, 1), (0, base + h, 1)], segments=8),
        lathe("accent", [(0, base + 0.01, 1), (w * 0.33, base + 0.01, 1), (w * (0.35 + 0.1 * fill), base + h * fill, 1), (0, base + h * fill, 1)], segments=8),
        cyl("primary", w * 0.46, 0.025, at=(0, base + h, 0), r_top=w * 0.44),
        tube("primary", [(w * 0.4, base + h * 0.9, 0), (w * 0.75, base + h * 0.85, 0), (w * 0.7, base + h * 0.2, 0), (w * 0.35, base + h * 0.15, 0)], 0.015),
    ]


@family("coffee machine", "coffee machines, coffee maker, coffee makers, espresso machine, espresso maker, coffeemaker", {"primary": "steel", "detail": _DARK, "accent": "porcelain", "glass": "glass"},
        part_words={"cup": "accent"})
def coffee_machine(k: Knobs, kind: str) -> list[Part]:
    w, h, d = k.u(0.26, 0.34), k.u(0.32, 0.4), k.u(0.3, 0.36)
    return [
        box("primary", (w, 0.03, d), at=(0, 0.015, 0)),
        box("primary", (w, h, d * 0.45), at=(0, h / 2, -d * 0.275)),
        box("primary", (w, h * 0.25, d), at=(0, h * 0.875, 0)),
        box("detail", (w * 0.8, 0.01, d * 0.45), at=(0, 0.035, d * 0.2)),
        cyl("detail", 0.03, 0.04, at=(0, h * 0.7, d * 0.2)),
        rod("detail", (0, h * 0.72, d * 0.2), (0, h * 0.72, d * 0.45), 0.008),
        lathe("accent", [(0, 0, 1), (0.025, 0, 1), (0.035, 0.06, 1), (0.031, 0.06, 1), (0.022, 0.005, 1), (0, 0.005, 1)], at=(0, 0.04, d * 0.2)),
        *[cyl("detail", 0.012, 0.01, at=(-w * 0.3 + i * 0.04, h * 0.9, d / 2), rot=(90, 0, 0)) for i in range(k.i(2, 4))],
        cyl("glass" if k.chance(0.5) else "detail", w * 0.3, h * 0.3, at=(w * 0.15, h, -d * 0.2)),
    ]


@family("vacuum cleaner", "vacuum cleaners, vacuum, hoover, hoovers, vacuums", {"primary": "plastic:red", "secondary": "plastic:grey", "detail": _DARK, "metal": "steel"},
        part_words={"hose": "detail", "wheels": "detail"})
def vacuum(k: Knobs, kind: str) -> list[Part]:
    if k.chance(0.5):  # upright
        h = k.u(1.0, 1.2)
        return [
            rbox("secondary", (0.32, 0.08, 0.26), 0.03, at=(0, 0.05, 0.05)),
            rbox("primary", (0.22, 0.45, 0.18), 0.06, at=(0, 0.35, -0.04), rot=(-8, 0, 0)),
            rod("metal", (0, 0.55, -0.07), (0, h, -0.12), 0.018),
            box("detail", (0.12, 0.04, 0.04), at=(0, h + 0.02, -0.12)),
            *[cyl("detail", 0.045, 0.03, at=(s * 0.13, 0.045, -0.1), rot=(0, 0, 90)) for s in (-1, 1)],
        ]
    r = k.u(0.16, 0.2)
    return [
        capsule("primary", r, 0.5, at=(0, r, -0.15), rot=(90, 0, 0), scale=(1, 1, 0.8)),
        *[cyl("detail", 0.08, 0.04, at=(s * r, 0.08, -0.05), rot=(0, 0, 90)) for s in (-1, 1)],
        tube("detail", [(0, r * 1.2, 0.22), (0, 0.45, 0.35), (0, 0.55, 0.55), (0, 0.35, 0.75)], 0.025),
        rod("metal", (0, 0.35, 0.75), (0, 0.03, 1.2), 0.018),
        box("secondary", (0.3, 0.04, 0.08), at=(0, 0.02, 1.22)),
    ]


@family("fan", "fans, electric fan, desk fan, table fan, standing fan, pedestal fan, ceiling fan", {"primary": "paint:white", "secondary": "plastic:sky", "metal": "chrome"},
        part_words={"blades": "secondary", "cage": "metal", "grille": "metal"})
def fan(k: Knobs, kind: str) -> list[Part]:
    h = k.u(0.3, 0.4) if k.chance(0.6) else k.u(1.0, 1.3)
    r = k.u(0.14, 0.2)
    blades = k.i(3, 5)
    y = h + r
    parts = [
        cyl("primary", r * 0.9, 0.04, r_top=r * 0.8),
        cyl("primary", 0.018, h, at=(0, 0.04, 0)),
        capsule("primary", 0.05, 0.16, at=(0, y, -0.1), rot=(90, 0, 0)),
        sphere("secondary", 0.035, at=(0, y, 0.08)),
        torus("metal", r, 0.006, at=(0, y, 0.05), rot=(90, 0, 0)),
        *[rod("metal", (0, y, 0.1), (r * sin(radians(a)), y + r * cos(radians(a)), 0.05), 0.003) for a in range(0, 360, 30)],
    ]
    for i in range(blades):
        a = 360 * i / blades
        parts.append(sphere("secondary", r * 0.45, at=(r * 0.45 * sin(radians(a)), y + r * 0.45 * cos(radians(a)), 0.07), rot=(20, 0, -a), scale=(0.55, 1, 0.1)))
    return parts


@family("light bulb", "light bulbs, lightbulb, lightbulbs, bulb, bulbs, edison bulb", {"primary": "glass", "metal": "aluminium", "accent": "light", "detail": _DARK},
        part_words={"filament": "accent", "base": "metal"})
def light_bulb(k: Knobs, kind: str) -> list[Part]:
    r = k.u(0.03, 0.04)
    neck = k.u(0.45, 0.6)
    return [
        lathe("metal", [(0, 0, 1), (0.006, 0, 1), (r * neck, 0.008), (r * neck, 0.03, 1), (0, 0.03, 1)]),
        *[torus("metal", r * neck, 0.0025, at=(0, 0.008 + 0.006 * i, 0)) for i in range(4)],
        lathe("primary", [(0, 0.03, 1), (r * neck, 0.03, 1), (r * neck * 1.05, 0.045), (r, 0.045 + r * 0.9), (r * 0.8, 0.045 + r * 1.6), (0, 0.045 + r * 1.9, 1)]),
        tube("accent", [(-0.008, 0.04, 0), (-0.008, 0.045 + r * 0.9, 0), (0, 0.045 + r, 0), (0.008, 0.045 + r * 0.9, 0), (0.008, 0.04, 0)], 0.0012),
    ]


def _screen_stand(k: Knobs, w: float, h: float, y: float) -> list[Part]:
    return [box("primary", (w * 0.3, 0.015, 0.18), at=(0, 0.0075, 0.02)), box("primary", (0.05, y, 0.03), at=(0, y / 2, -0.02))]


@family("television", "televisions, tv, tvs, telly, tv set, flat screen tv, flatscreen, crt, crt tv", {"primary": _DARK, "screen": "screen", "secondary": "wood", "metal": "steel"},
        kinds=[kind("flat", words_="flat, flatscreen, lcd, led, plasma, smart, modern, wall"),
               kind("crt", nouns="crt tv, crt television, crt", words_="crt, old, retro, vintage, tube, boxy, 80s, 90s", slots={"primary": "plastic:grey"})],
        part_words={"screen": "screen", "stand": "primary"})
def television(k: Knobs, kind: str) -> list[Part]:
    if kind == "crt":
        w = k.u(0.5, 0.65)
        h, d = w * 0.78, w * k.u(0.8, 0.95)
        parts = [
            rbox("primary", (w, h, d * 0.55), 0.03, at=(0, h / 2 + 0.02, d * 0.2)),
            rbox("primary", (w * 0.8, h * 0.75, d * 0.5), 0.06, at=(0, h / 2 + 0.02, -d * 0.25)),
            rbox("screen", (w * 0.72, h * 0.72, 0.03), 0.03, at=(-w * 0.08, h / 2 + 0.03, d * 0.47)),
            *[cyl("metal", 0.018, 0.02, at=(w * 0.38, h * (0.7 - 0.15 * i), d * 0.47), rot=(90, 0, 0)) for i in range(2)],
        ]
        if k.chance(0.6):
            parts += [rod("metal", (0, h + 0.02, -d * 0.1), (s * w * 0.35, h + 0.35, -d * 0.15), 0.004) for s in (-1, 1)]
        return parts
    w = k.u(0.9, 1.4)
    h = w * 0.58
    y = k.u(0.08, 0.14)
    return [*_screen_stand(k, w, h, y + 0.02), box("primary", (w, h, 0.05), at=(0, y + h / 2, 0)), box("screen", (w - 0.03, h - 0.03, 0.01), at=(0, y + h / 2, 0.026))]


@family("monitor", "monitors, computer monitor, computer screen, screen, display, pc, desktop computer, computer, computers, desktop pc", {"primary": _DARK, "screen": "screen", "secondary": "plastic:grey"},
        part_words={"screen": "screen", "stand": "primary"})
def monitor(k: Knobs, kind: str) -> list[Part]:
    w = k.u(0.48, 0.7)
    h = w * k.u(0.56, 0.64)
    y = k.u(0.1, 0.16)
    parts = [*_screen_stand(k, w, h, y + 0.02), box("primary", (w, h, 0.03), at=(0, y + h / 2, 0)), box("screen", (w - 0.025, h - 0.025, 0.008), at=(0, y + h / 2, 0.016))]
    if k.chance(0.4):
        parts += [rbox("secondary", (0.19, 0.42, 0.42), 0.01, at=(w / 2 + 0.2, 0.21, -0.05)), box("primary", (0.12, 0.01, 0.003), at=(w / 2 + 0.2, 0.35, 0.17))]
    return parts


@family("laptop", "laptops, notebook computer, notebook pc, macbook, chromebook, gaming laptop", {"primary": "aluminium", "screen": "screen", "detail": _DARK},
        part_words={"screen": "screen", "keyboard": "detail", "keys": "detail"})
def laptop(k: Knobs, kind: str) -> list[Part]:
    w, d = k.u(0.32, 0.4), k.u(0.22, 0.27)
    tilt = k.u(95, 120)
    return [
        rbox("primary", (w, 0.018, d), 0.006, at=(0, 0.009, 0)),
        box("detail", (w * 0.88, 0.003, d * 0.45), at=(0, 0.019, -d * 0.08)),
        box("detail", (w * 0.3, 0.002, d * 0.25), at=(0, 0.019, d * 0.32)),
        box("primary", (w, d, 0.008), at=(0, 0.018 + d / 2 * sin(radians(tilt)), -d / 2 - d / 2 * cos(radians(tilt))), rot=(90 - tilt, 0, 0)),
        box("screen", (w * 0.92, d * 0.88, 0.002), at=(0, 0.018 + d / 2 * sin(radians(tilt)) + 0.005 * cos(radians(tilt)), -d / 2 - d / 2 * cos(radians(tilt)) + 0.005 * sin(radians(tilt))),
            rot=(90 - tilt, 0, 0)),
    ]


@family("keyboard", "keyboards, computer keyboard, mechanical keyboard, gaming keyboard, typing keyboard", {"primary": _DARK, "keys": "plastic:grey", "accent": "plastic:white"},
        part_words={"keys": "keys", "keycaps": "keys"})
def keyboard(k: Knobs, kind: str) -> list[Part]:
    cols, rows = k.pick([(15, 5), (15, 6), (18, 6)])
    key = k.u(0.0175, 0.0195)
    w, d = cols * key + 0.03, rows * key + 0.03
    parts = [rbox("primary", (w, 0.025, d), 0.006, at=(0, 0.0125, 0), rot=(k.u(2, 6), 0, 0))]
    for r in range(rows):
        for c in range(cols):
            if r == 0 and 3 < c < cols - 5:
                continue
            x = -w / 2 + 0.015 + key * (c + 0.5)
            parts.append(box("keys", (key * 0.82, 0.01, key * 0.82), at=(x, 0.03 + r * key * 0.07, d / 2 - 0.015 - key * (r + 0.5))))
    parts.append(box("accent", (key * 6, 0.01, key * 0.82), at=(-w / 2 + 0.015 + key * 7.5, 0.03, d / 2 - 0.015 - key * 0.5)))
    return parts


@family("computer mouse", "computer mice, mouse pad mouse, gaming mouse, wireless mouse, pc mouse", {"primary": _DARK, "secondary": "plastic:grey"},
        part_words={"buttons": "secondary", "wheel": "secondary"})
def computer_mouse(k: Knobs, kind: str) -> list[Part]:
    length, w = k.u(0.1, 0.125), k.u(0.055, 0.068)
    parts = [hemi("primary", 1.0, scale=(w / 2, k.u(0.035, 0.042), length / 2)),
             cyl("secondary", 0.006, 0.005, at=(-0.0025, 0.03, length * 0.2), rot=(0, 0, 90)),
             box("secondary", (0.002, 0.004, length * 0.3), at=(0, 0.034, length * 0.3))]
    if k.chance(0.4):
        parts.append(tube("primary", [(0, 0.01, length / 2), (0, 0.008, length * 0.8), (0.03, 0.005, length * 1.3)], 0.002))
    return parts


@family("phone", "phones, smartphone, smartphones, mobile phone, cell phone, cellphone, iphone, android phone, telephone, telephones",
        {"primary": _DARK, "screen": "screen", "accent": "paint:sky", "metal": "steel"},
        kinds=[kind("smartphone", nouns="smartphone, smartphones, mobile phone, cell phone, cellphone, iphone, android phone"),
               kind("rotary", nouns="rotary phone, rotary telephone, landline", words_="rotary, old, retro, vintage, dial, antique", slots={"primary": "paint:red"})],
        part_words={"screen": "screen", "case": "primary"})
def phone(k: Knobs, kind: str) -> list[Part]:
    if kind == "rotary":
        w, d = k.u(0.18, 0.22), k.u(0.2, 0.24)
        return [
            extrude("primary", [(-w / 2, 0, 1), (w / 2, 0, 1), (w * 0.38, 0.1, 1), (-w * 0.38, 0.1, 1)], d, smooth=False, at=(0, 0, 0)),
            cyl("metal", w * 0.3, 0.012, at=(0, 0.055, d / 2 - 0.002), rot=(75, 0, 0)),
            *[cyl("primary", 0.009, 0.014, at=(w * 0.22 * sin(radians(a)), 0.055 + w * 0.22 * cos(radians(a)) * 0.26, d / 2 + w * 0.22 * cos(radians(a)) * 0.2), rot=(75, 0, 0))
              for a in range(30, 330, 30)],
            capsule("primary", 0.028, w * 1.15, at=(-w * 0.57, 0.13, 0), rot=(0, 0, -90)),
            *[sphere("primary", 0.04, at=(s * w * 0.5, 0.12, 0), scale=(0.9, 0.7, 1)) for s in (-1, 1)],
            tube("primary", [(-w / 2, 0.03, -d / 2 + 0.02), (-w * 0.8, 0.02, -d * 0.6), (-w, 0.01, -d * 0.2)], 0.005),
        ]
    w, h = k.u(0.068, 0.078), k.u(0.14, 0.16)
    return [
        rbox("primary", (w, h, 0.008), 0.008, at=(0, h / 2, 0), rot=(0, 0, 0)),
        box("screen", (w * 0.92, h * 0.93, 0.001), at=(0, h / 2, 0.0043)),
        rbox("primary", (w * 0.35, w * 0.35, 0.003), 0.006, at=(-w * 0.22, h - w * 0.25, -0.0055)),
        *[cyl("metal", 0.006, 0.002, at=(-w * (0.3 - 0.1 * (i % 2)), h - w * (0.18 + 0.12 * (i // 2)), -0.007), rot=(90, 0, 0)) for i in range(k.i(1, 3))],
    ]


@family("radio", "radios, boombox, boom box, transistor radio, stereo, cassette player, ghetto blaster", {"primary": "paint:red", "secondary": "fabric:beige", "metal": "chrome", "detail": _DARK},
        part_words={"grille": "secondary", "speaker": "secondary", "knobs": "metal", "antenna": "metal"})
def radio(k: Knobs, kind: str) -> list[Part]:
    w, h, d = k.u(0.3, 0.45), k.u(0.18, 0.26), k.u(0.1, 0.14)
    speakers = k.pick([1, 2])
    parts = [rbox("primary", (w, h, d), 0.025, at=(0, h / 2, 0)), tube("metal", [(-w * 0.35, h, 0), (-w * 0.3, h + 0.07, 0), (w * 0.3, h + 0.07, 0), (w * 0.35, h, 0)], 0.008)]
    if speakers == 2:
        parts += [cyl("secondary", h * 0.3, 0.01, at=(s * w * 0.3, h * 0.45, d / 2 - 0.004), rot=(90, 0, 0)) for s in (-1, 1)]
        parts.append(box("detail", (w * 0.25, h * 0.25, 0.01), at=(0, h * 0.45, d / 2)))
    else:
        parts.append(box("secondary", (w * 0.55, h * 0.65, 0.01), at=(-w * 0.15, h * 0.48, d / 2)))
        parts += [cyl("metal", 0.018, 0.015, at=(w * 0.32, h * (0.65 - 0.3 * i), d / 2), rot=(90, 0, 0)) for i in range(2)]
    if k.chance(0.6):
        parts.append(rod("metal", (w * 0.4, h, -d * 0.3), (w * 0.55, h + 0.3, -d * 0.3), 0.003))
    return parts


@family("speaker", "speakers, loudspeaker, loudspeakers, bluetooth speaker, subwoofer, speaker box, hifi speaker", {"primary": "dark wood", "secondary": _DARK, "metal": "aluminium"},
        part_words={"cone": "secondary", "grille": "secondary"})
def speaker(k: Knobs, kind: str) -> list[Part]:
    if k.chance(0.3):  # round portable one
        r, length = k.u(0.04, 0.05), k.u(0.16, 0.2)
        return [capsule("secondary", r, length, at=(-length / 2, r, 0), rot=(0, 0, -90)), *[cyl("metal", r * 0.85, 0.005, at=(s * length / 2, r, 0), rot=(0, 0, 90)) for s in (-1, 1)]]
    w, h, d = k.u(0.22, 0.3), k.u(0.38, 0.5), k.u(0.24, 0.3)
    return [
        box("primary", (w, h, d), at=(0, h / 2, 0)),
        box("secondary", (w - 0.02, h - 0.02, 0.006), at=(0, h / 2, d / 2)),
        lathe("metal", [(0, 0, 1), (w * 0.38, 0, 1), (w * 0.4, 0.006, 1), (w * 0.1, -0.02), (0, -0.02, 1)], at=(0, h * 0.35, d / 2 + 0.004), rot=(-90, 0, 0)),
        lathe("metal", [(0, 0, 1), (w * 0.16, 0, 1), (w * 0.17, 0.005, 1), (0, -0.01, 1)], at=(0, h * 0.78, d / 2 + 0.004), rot=(-90, 0, 0)),
    ]


@family("headphones", "headphone, headset, headsets, earphones, gaming headset, earmuffs", {"primary": _DARK, "secondary": "leather:black", "metal": "aluminium"},
        part_words={"cushions": "secondary", "pads": "secondary", "band": "primary"})
def headphones(k: Knobs, kind: str) -> list[Part]:
    r, cup = k.u(0.085, 0.1), k.u(0.04, 0.05)
    return [
        arch("primary", r, 0.012, at=(0, cup + 0.03, 0)),
        *[cyl("primary", cup, 0.03, at=(s * (r + 0.005), cup + 0.03, 0), rot=(0, 0, -s * 90)) for s in (-1, 1)],
        *[torus("secondary", cup * 0.75, 0.012, at=(s * (r - 0.002), cup + 0.03, 0), rot=(0, 0, 90)) for s in (-1, 1)],
        *[cyl("metal", cup * 0.5, 0.004, at=(s * (r + 0.034), cup + 0.03, 0), rot=(0, 0, -s * 90)) for s in (-1, 1)],
    ]


@family("camera", "cameras, photo camera, dslr, film camera, digital camera, polaroid, instant camera", {"primary": _DARK, "secondary": "leather:black", "glass": "glass:sky", "metal": "chrome"},
        part_words={"lens": "glass", "body": "primary"})
def camera(k: Knobs, kind: str) -> list[Part]:
    w, h, d = k.u(0.12, 0.15), k.u(0.08, 0.1), k.u(0.05, 0.07)
    lens = k.u(0.03, 0.07)
    return [
        rbox("primary", (w, h, d), 0.008, at=(0, h / 2, 0)),
        box("secondary", (w + 0.002, h * 0.6, d + 0.002), at=(0, h * 0.42, 0)),
        box("primary", (w * 0.35, h * 0.25, d * 0.8), at=(0, h + h * 0.12, -0.002)),
        cyl("metal", h * 0.32, lens, at=(0, h * 0.48, d / 2), rot=(90, 0, 0)),
        cyl("primary", h * 0.3, 0.01, at=(0, h * 0.48, d / 2 + lens - 0.004), rot=(90, 0, 0)),
        cyl("glass", h * 0.22, 0.004, at=(0, h * 0.48, d / 2 + lens + 0.004), rot=(90, 0, 0)),
        cyl("metal", 0.01, 0.008, at=(w * 0.32, h, 0)),
        box("glass", (w * 0.15, h * 0.12, 0.004), at=(-w * 0.32, h * 0.85, d / 2)),
    ]


@family("game controller", "game controllers, controller, gamepad, game pad, joypad, joystick, console controller, xbox controller, playstation controller",
        {"primary": _DARK, "secondary": "plastic:grey", "accent": "plastic:red", "detail": "plastic:green"}, part_words={"buttons": "accent", "sticks": "secondary"})
def game_controller(k: Knobs, kind: str) -> list[Part]:
    w = k.u(0.14, 0.17)
    return [
        capsule("primary", 0.032, w, at=(-w / 2, 0.03, 0), rot=(0, 0, -90), scale=(1, 1, 0.7)),
        *[capsule("primary", 0.028, 0.09, at=(s * w * 0.32, 0.02, 0.01), rot=(-70, s * 15, 0)) for s in (-1, 1)],
        *[cyl("secondary", 0.011, 0.02, at=(s * w * 0.13, 0.045, 0.012 * s)) for s in (-1, 1)],
        *[cyl(slot, 0.006, 0.012, at=(w * 0.28 + dx, 0.048, dz)) for slot, dx, dz in (("accent", 0.013, 0), ("detail", -0.013, 0), ("secondary", 0, 0.013), ("accent", 0, -0.013))],
        box("secondary", (0.03, 0.008, 0.009), at=(-w * 0.28, 0.05, 0)), box("secondary", (0.009, 0.008, 0.03), at=(-w * 0.28, 0.05, 0)),
    ]


@family("microphone", "microphones, mic, mics, mike, podcast microphone, studio microphone, microphone stand", {"primary": "chrome", "secondary": _DARK, "metal": "steel"},
        part_words={"stand": "secondary", "grille": "primary", "head": "primary"})
def microphone(k: Knobs, kind: str) -> list[Part]:
    stand = k.chance(0.7)
    head = k.u(0.025, 0.035)
    if not stand:
        return [cyl("secondary", head * 0.7, 0.18, r_top=head * 0.8), sphere("primary", head, at=(0, 0.2, 0))]
    h = k.u(1.3, 1.6)
    return [
        sphere("primary", head, at=(0, h + 0.2, 0.02), scale=(1, 1.1, 1)),
        cyl("secondary", head * 0.8, 0.16, at=(0, h + 0.2, 0.02), rot=(180, 0, 0), r_top=head * 0.55),
        cyl("secondary", 0.14, 0.03, r_top=0.12), cyl("metal", 0.012, h + 0.03, at=(0, 0.03, 0)),
        torus("metal", 0.02, 0.008, at=(0, h + 0.07, 0.02), rot=(90, 0, 0)),
    ]


@family("flashlight", "flashlights, electric torch, pocket torch, led torch, torchlight, penlight", {"primary": "aluminium", "glass": "light", "detail": _DARK},
        part_words={"lens": "glass", "button": "detail"})
def flashlight(k: Knobs, kind: str) -> list[Part]:
    r, length = k.u(0.016, 0.022), k.u(0.16, 0.24)
    head = r * k.u(1.4, 1.8)
    return [
        cyl("primary", r, length, at=(-length / 2, r * 1.8, 0), rot=(0, 0, -90)),
        cyl("primary", r, length * 0.2, at=(length / 2, r * 1.8, 0), rot=(0, 0, -90), r_top=head),
        cyl("primary", head, 0.02, at=(length * 0.7, r * 1.8, 0), rot=(0, 0, -90)),
        cyl("glass", head * 0.85, 0.004, at=(length * 0.7 + 0.018, r * 1.8, 0), rot=(0, 0, -90)),
        box("detail", (0.015, 0.006, 0.01), at=(length * 0.2, r * 2.8, 0)),
        *[torus("detail", r, 0.002, at=(x, r * 1.8, 0), rot=(0, 0, 90)) for x in (-length * 0.3, -length * 0.25, -length * 0.2)],
    ]


@family("battery", "batteries, aa battery, aaa battery, cell, power cell, energy cell", {"primary": "paint:yellow", "secondary": _DARK, "metal": "steel"},
        part_words={"cap": "metal", "label": "primary"})
def battery(k: Knobs, kind: str) -> list[Part]:
    r, h = k.u(0.007, 0.017), k.u(0.045, 0.065)
    split = k.u(0.3, 0.7)
    return [
        cyl("secondary", r, h * (1 - split)), cyl("primary", r, h * split, at=(0, h * (1 - split), 0)),
        cyl("metal", r * 0.98, 0.002, at=(0, -0.001, 0)), cyl("metal", r * 0.35, 0.0025, at=(0, h, 0)),
    ]
