"""Hand and garden tools: most are a haft with a head (hammers, axes, shovels, rakes, forks, brooms, picks); a few
are their own shapes (saws, pliers, scissors, drills, ladders, wheelbarrows, mowers, anvils). They lie as they
would on a workbench or stand on their head, whichever shows them best."""

# ruff: noqa: E501
# fmt: off

from __future__ import annotations

from app.engines.local.parts import Part, box, cone, cyl, extrude, lathe, rbox, sphere, torus, tube
from app.engines.local.recipes.model import Knobs, family, kind
from app.engines.local.recipes.shapes import arch, rod, slab, wheel


def _haft(k: Knobs, slot: str, length: float, r: float, grip: str | None = None) -> list[Part]:
    parts = [cyl(slot, r, length, r_top=r * k.u(0.85, 1.0))]
    if grip:
        parts.append(cyl(grip, r * 1.25, length * 0.25, at=(0, 0.01, 0)))
    return parts


@family("hammer", "hammers, claw hammer, mallet, sledgehammer, sledge hammer, warhammer, war hammer, gavel",
        {"metal": "steel", "secondary": "wood", "grip": "rubber"},
        kinds=[kind("claw", nouns="claw hammer", words_="claw, carpenter, nail"),
               kind("sledge", nouns="sledgehammer, sledge hammer, maul", words_="sledge, heavy, big"),
               kind("war", nouns="warhammer, war hammer", words_="war, battle, viking, dwarf, thor", slots={"metal": "iron"}),
               kind("mallet", nouns="mallet, gavel, wooden mallet", words_="wooden, rubber, croquet", slots={"metal": "wood"})],
        part_words={"head": "metal", "handle": "secondary", "grip": "grip"}, main=("metal",), colour="metal")
def hammer(k: Knobs, kind: str) -> list[Part]:
    if kind == "sledge":
        length = k.u(0.8, 0.95)
        head = k.u(0.22, 0.28)
        return [*_haft(k, "secondary", length, 0.02), rbox("metal", (head, 0.09, 0.09), 0.01, at=(0, length, 0))]
    if kind == "war":
        length = k.u(0.75, 1.0)
        return [*_haft(k, "secondary", length, 0.02), box("metal", (0.2, 0.11, 0.11), at=(0, length, 0)),
                cone("metal", 0.05, 0.18, at=(0.1, length, 0), rot=(0, 0, -90)), cone("metal", 0.04, 0.2, at=(0, length + 0.05, 0)),
                *[torus("metal", 0.025, 0.008, at=(0, y, 0)) for y in (length * 0.1, length * 0.4)], sphere("metal", 0.03, at=(0, -0.01, 0))]
    if kind == "mallet":
        length = k.u(0.3, 0.38)
        return [*_haft(k, "secondary", length, 0.014), cyl("metal", k.u(0.04, 0.055), k.u(0.12, 0.16), at=(-0.07, length, 0), rot=(0, 0, -90))]
    length = k.u(0.3, 0.36)
    grip = k.chance(0.5)
    return [
        *_haft(k, "secondary", length, 0.016, "grip" if grip else None),
        rbox("metal", (0.1, 0.035, 0.035), 0.006, at=(0.03, length, 0)),
        cyl("metal", 0.018, 0.02, at=(0.08, length, 0), rot=(0, 0, -90)),
        tube("metal", [(-0.02, length, 0), (-0.06, length - 0.005, 0), (-0.095, length - 0.035, 0)], (0.014, 0.01, 0.005)),
    ]


@family("axe", "axes, hatchet, tomahawk, lumberjack axe, woodcutter axe, wood axe, felling axe", {"metal": "steel", "secondary": "wood"},
        kinds=[kind("hatchet", nouns="hatchet, tomahawk, hand axe", words_="hand, small, camping"),
               kind("felling", words_="lumberjack, woodcutter, wood, felling, splitting, fire"),
               kind("battle", nouns="battle axe, battleaxe, war axe, greataxe, great axe, double axe, labrys", words_="battle, war, two handed, double, viking, dwarven, barbarian",
                    slots={"metal": "iron"})],
        part_words={"head": "metal", "blade": "metal", "handle": "secondary", "haft": "secondary", "shaft": "secondary"}, main=("metal",), colour="metal")
def axe(k: Knobs, kind: str) -> list[Part]:
    if kind == "battle":
        length = k.u(1.0, 1.3)
        reach, drop = k.u(0.2, 0.26), k.u(0.16, 0.22)
        blade = [(0.02, -0.05, 1), (reach * 0.5, -0.06), (reach, -drop, 1), (reach * 1.08, 0), (reach, drop, 1), (reach * 0.5, 0.06), (0.02, 0.05, 1)]
        parts = [*_haft(k, "secondary", length, 0.022), cone("metal", 0.03, 0.1, at=(0, length + 0.06, 0)), cyl("metal", 0.03, 0.03, at=(0, -0.02, 0))]
        parts += [extrude("metal", blade if s > 0 else [(-x, y, *c) for x, y, *c in blade], 0.02, at=(0, length - 0.02, 0), smooth=True) for s in ((1, -1) if k.chance(0.75) else (1,))]
        parts += [torus("metal", 0.026, 0.007, at=(0, y, 0)) for y in (length * 0.05, length * 0.3)]
        return parts
    length = k.u(0.35, 0.45) if kind == "hatchet" else k.u(0.75, 0.9)
    s = length / 0.8
    return [
        cyl("secondary", 0.018 * s ** 0.5, length, r_top=0.016 * s ** 0.5),
        extrude("metal", [(-0.035 * s, length - 0.17 * s, 1), (0.05 * s, length - 0.16 * s, 1), (0.17 * s, length - 0.25 * s, 1), (0.2 * s, length - 0.19 * s), (0.21 * s, length - 0.13 * s),
                          (0.2 * s, length - 0.07 * s), (0.17 * s, length - 0.01 * s, 1), (0.05 * s, length - 0.09 * s, 1), (-0.035 * s, length - 0.08 * s, 1)], 0.022 * s ** 0.5, smooth=True),
        extrude("metal", [(-0.035 * s, length - 0.16 * s, 1), (-0.07 * s, length - 0.145 * s, 1), (-0.07 * s, length - 0.1 * s, 1), (-0.035 * s, length - 0.085 * s, 1)], 0.03 * s ** 0.5),
    ]


@family("saw", "saws, hand saw, handsaw, hacksaw, wood saw, crosscut saw", {"metal": "steel", "secondary": "wood"},
        part_words={"blade": "metal", "handle": "secondary"}, main=("metal",))
def saw(k: Knobs, kind: str) -> list[Part]:
    length, tip, heel = k.u(0.45, 0.6), k.u(0.05, 0.07), k.u(0.1, 0.13)
    teeth = [(x * length / 40, -0.006 * (i % 2)) for i, x in enumerate(range(0, 41))]
    blade = [(0, 0), *teeth[1:], (length, tip), (0, heel)]
    return [
        extrude("metal", blade, 0.002, at=(0, 0.0, 0)),
        extrude("secondary", [(-0.12, -0.01), (0.02, -0.01), (0.02, heel + 0.02), (-0.12, heel + 0.03), (-0.15, heel * 0.5)], 0.025, at=(0, 0, 0), smooth=False),
        extrude("secondary", [(-0.1, 0.025), (-0.03, 0.025), (-0.03, heel - 0.01), (-0.1, heel - 0.005)], 0.03, at=(0, 0, 0)),
    ]


@family("screwdriver", "screwdrivers, screw driver, phillips screwdriver, flathead screwdriver", {"metal": "steel", "secondary": "plastic:yellow", "detail": "plastic:black"},
        part_words={"handle": "secondary", "shaft": "metal", "tip": "metal"}, colour="secondary")
def screwdriver(k: Knobs, kind: str) -> list[Part]:
    handle, shaft = k.u(0.09, 0.12), k.u(0.08, 0.16)
    r = k.u(0.013, 0.017)
    return [
        lathe("secondary", [(0, 0, 1), (r * 0.8, 0, 1), (r, handle * 0.15), (r, handle * 0.75), (r * 0.7, handle, 1), (0, handle, 1)], segments=k.pick([6, 8, 64])),
        cyl("detail", r * 0.5, handle * 0.3, at=(0, handle * 0.98, 0)),
        cyl("metal", 0.0035, shaft, at=(0, handle, 0)),
        box("metal", (0.007, 0.012, 0.0015), at=(0, handle + shaft + 0.004, 0)),
    ]


@family("wrench", "wrenches, spanner, spanners, adjustable wrench, monkey wrench, pipe wrench, adjustable spanner", {"metal": "chrome"},
        part_words={"handle": "metal"}, main=("metal",), colour="metal")
def wrench(k: Knobs, kind: str) -> list[Part]:
    length, w = k.u(0.18, 0.3), k.u(0.018, 0.026)
    jaw = w * k.u(1.6, 2.0)
    return [
        rbox("metal", (w, length, 0.008), 0.004, at=(0, length / 2, 0)),
        torus("metal", jaw * 0.62, jaw * 0.3, at=(0, length + jaw * 0.45, 0), rot=(90, 0, -150), sweep=300),  # the open end
        torus("metal", w * 0.7, w * 0.3, at=(0, 0.0, 0), rot=(90, 0, 0)),
    ]


def _long_tool(k: Knobs) -> float:
    return k.u(1.2, 1.5)


@family("shovel", "shovels, spade, spades, garden shovel, snow shovel, trowel", {"metal": "steel", "secondary": "wood", "grip": "plastic:black"},
        part_words={"blade": "metal", "handle": "secondary", "grip": "grip"}, main=("metal",))
def shovel(k: Knobs, kind: str) -> list[Part]:
    length = _long_tool(k)
    w, bl = k.u(0.2, 0.26), k.u(0.25, 0.32)
    pointed = k.chance(0.6)
    blade = [(-w / 2, bl * 0.1), (-w / 2, bl * 0.85), (-0.03, bl, 1), (0.03, bl, 1), (w / 2, bl * 0.85), (w / 2, bl * 0.1)]
    blade = [(0, -0.04 if pointed else 0.0, 1), *blade] if pointed else [(-w / 2, 0, 1), *blade[1:], (w / 2, 0, 1)]
    return [
        extrude("metal", blade, 0.006, smooth=pointed, at=(0, 0, 0)),
        cyl("metal", 0.025, 0.1, at=(0, bl - 0.02, 0)),
        cyl("secondary", 0.018, length - bl, at=(0, bl + 0.05, 0)),
        arch("grip", 0.06, 0.012, at=(0, length + 0.05, 0)),
        box("grip", (0.12, 0.03, 0.03), at=(0, length + 0.05, 0)),
    ]


@family("pickaxe", "pickaxes, pick axe, pick, mining pick, mattock, pickaxe tool", {"metal": "iron", "secondary": "wood"},
        part_words={"head": "metal", "handle": "secondary"}, main=("metal",), colour="metal")
def pickaxe(k: Knobs, kind: str) -> list[Part]:
    length = k.u(0.75, 0.95)
    span, curve = k.u(0.28, 0.36), k.u(0.05, 0.1)
    return [
        cyl("secondary", 0.02, length),
        tube("metal", [(-span, length - curve, 0), (-span * 0.5, length - 0.01, 0), (0, length + 0.02, 0), (span * 0.5, length - 0.01, 0), (span, length - curve, 0)],
             (0.004, 0.018, 0.03, 0.018, 0.004)),
        box("metal", (0.06, 0.07, 0.05), at=(0, length, 0)),
    ]


@family("rake", "rakes, garden rake, leaf rake", {"metal": "steel", "secondary": "wood"}, part_words={"tines": "metal", "handle": "secondary"}, main=("secondary",))
def rake(k: Knobs, kind: str) -> list[Part]:
    length = _long_tool(k)
    w, tines = k.u(0.3, 0.42), k.i(10, 16)
    parts = [cyl("secondary", 0.016, length, at=(0, 0.1, 0)), box("metal", (w, 0.03, 0.03), at=(0, 0.1, 0))]
    parts += [cyl("metal", 0.004, 0.1, at=(-w / 2 + w * i / (tines - 1), 0.0, 0.01)) for i in range(tines)]
    return parts


@family("pitchfork", "pitchforks, pitch fork, hay fork, hayfork, garden fork, digging fork", {"metal": "steel", "secondary": "wood"},
        part_words={"tines": "metal", "prongs": "metal", "handle": "secondary"}, main=("secondary",))
def pitchfork(k: Knobs, kind: str) -> list[Part]:
    length = _long_tool(k)
    tines, spread, tl = k.i(3, 4), k.u(0.08, 0.11), k.u(0.25, 0.35)
    parts = [cyl("secondary", 0.017, length), cyl("metal", 0.02, 0.08, at=(0, length, 0))]
    for i in range(tines):
        x = -spread + 2 * spread * i / (tines - 1)
        parts.append(tube("metal", [(0, length + 0.06, 0), (x * 0.8, length + 0.1, 0), (x, length + 0.16, 0), (x, length + 0.06 + tl, 0)], (0.008, 0.007, 0.006, 0.003)))
    return parts


@family("broom", "brooms, broomstick, broom stick, witch broom, besom, sweeping brush, push broom", {"primary": "wicker", "secondary": "wood", "accent": "fabric:red"},
        part_words={"bristles": "primary", "handle": "secondary", "stick": "secondary"}, main=("secondary",))
def broom(k: Knobs, kind: str) -> list[Part]:
    length = k.u(1.2, 1.5)
    r, brush = k.u(0.1, 0.14), k.u(0.3, 0.42)
    return [
        lathe("primary", [(0, 0, 1), (r, 0, 1), (r * 0.8, brush * 0.4), (r * 0.3, brush, 1), (0, brush, 1)], scale=(1, 1, k.u(0.5, 1.0))),
        torus("accent", r * 0.45, 0.012, at=(0, brush * 0.8, 0)),
        cyl("secondary", 0.018, length, at=(0, brush * 0.5, 0), r_top=0.014),
    ]


@family("wheelbarrow", "wheelbarrows, wheel barrow, barrow, garden cart", {"primary": "paint:green", "secondary": "wood", "detail": "rubber", "metal": "steel"},
        part_words={"tray": "primary", "bucket": "primary", "handles": "secondary", "wheel": "detail"})
def wheelbarrow(k: Knobs, kind: str) -> list[Part]:
    w, length, d = k.u(0.55, 0.7), k.u(0.7, 0.85), k.u(0.3, 0.38)
    r = k.u(0.18, 0.22)
    y0 = r + 0.1
    tray = [(-length / 2, y0 + d, 1), (-length / 2 + 0.1, y0, 1), (length / 2 - 0.05, y0, 1), (length / 2 + 0.1, y0 + d, 1)]
    return [
        extrude("primary", tray, w, rot=(0, 90, 0), at=(0, 0, 0)),
        *[rod("secondary", (length / 2 + 0.25, r, s * w * 0.3), (-length / 2 - 0.5, y0 + 0.15, s * w * 0.4), 0.022) for s in (-1, 1)],
        *wheel("detail", "metal", r, 0.08, (length / 2 + 0.25, r, 0)),
        *[rod("metal", (-length / 2 + 0.1, y0, s * w * 0.3), (-length / 2 + 0.05, 0, s * w * 0.32), 0.015) for s in (-1, 1)],
    ]


@family("drill", "drills, power drill, cordless drill, electric drill, drill driver, hand drill", {"primary": "plastic:yellow", "secondary": "plastic:black", "metal": "steel"},
        part_words={"bit": "metal", "chuck": "secondary", "grip": "secondary", "battery": "secondary"}, colour="primary")
def drill(k: Knobs, kind: str) -> list[Part]:
    body, grip = k.u(0.17, 0.22), k.u(0.13, 0.17)
    return [
        box("secondary", (0.075, 0.06, 0.09), at=(0, 0.03, 0)),
        rbox("primary", (0.05, grip, 0.045), 0.015, at=(0, 0.06 + grip / 2, 0), rot=(0, 0, -10)),
        rbox("primary", (body, 0.07, 0.06), 0.025, at=(body * 0.3, 0.06 + grip + 0.02, 0)),
        cyl("secondary", 0.022, 0.05, at=(body * 0.8, 0.06 + grip + 0.02, 0), rot=(0, 0, -90), r_top=0.016),
        cyl("metal", 0.004, k.u(0.06, 0.1), at=(body * 0.8 + 0.05, 0.06 + grip + 0.02, 0), rot=(0, 0, -90)),
        box("secondary", (0.02, 0.03, 0.02), at=(0.025, 0.06 + grip * 0.8, 0)),
    ]


@family("pliers", "plier, pincers, wire cutters, pliers tool", {"metal": "steel", "secondary": "rubber:red"}, part_words={"handles": "secondary", "grips": "secondary"})
def pliers(k: Knobs, kind: str) -> list[Part]:
    length, spread = k.u(0.16, 0.22), k.u(5, 12)
    parts = [cyl("metal", 0.012, 0.012, at=(0, 0.006, 0))]
    for s in (-1, 1):
        parts.append(extrude("metal", [(0, 0), (0.008, 0.01), (0.004, length * 0.35), (0, length * 0.36)], 0.008, at=(0, 0.004, 0), rot=(90, s * spread * 0.3, 0)))
        parts.append(tube("secondary", [(0, 0.008, 0.0), (s * 0.02, 0.008, -length * 0.3), (s * 0.035, 0.008, -length * 0.6)], 0.008))
    return parts


@family("scissors", "scissor, shears, pair of scissors", {"metal": "steel", "secondary": "plastic:red"}, part_words={"handles": "secondary", "blades": "metal"})
def scissors(k: Knobs, kind: str) -> list[Part]:
    length, open_ = k.u(0.09, 0.13), k.u(8, 22)
    parts = []
    for s in (-1, 1):
        parts.append(extrude("metal", [(0, 0, 1), (0.007, 0.004), (0.004, length * 0.9), (0, length, 1), (-0.003, length * 0.5)], 0.003, at=(0, 0.003 + 0.003 * s, 0), rot=(90, s * open_ / 2, 0)))
        parts.append(torus("secondary", 0.017, 0.005, at=(s * 0.025, 0.004, -0.035), rot=(0, 0, 0), scale=(0.8, 1, 1.3)))
        parts.append(rod("secondary", (0, 0.004, 0), (s * 0.02, 0.004, -0.02), 0.004))
    parts.append(cyl("metal", 0.004, 0.012, at=(0, 0, 0)))
    return parts


@family("paintbrush", "paintbrushes, paint brush, paint brushes, brush, artist brush", {"primary": "paint:red", "metal": "aluminium", "bristles": "wicker", "accent": "paint:blue"},
        part_words={"handle": "primary", "bristles": "bristles", "paint": "accent"})
def paintbrush(k: Knobs, kind: str) -> list[Part]:
    length, w = k.u(0.18, 0.26), k.u(0.02, 0.06)
    flat = w > 0.035
    return [
        lathe("primary", [(0, 0, 1), (0.006, 0, 1), (0.009, length * 0.6), (0.007, length, 1), (0, length, 1)]),
        box("metal", (w, 0.035, 0.012), at=(0, length + 0.015, 0)) if flat else cyl("metal", 0.007, 0.03, at=(0, length, 0)),
        box("bristles", (w * 0.95, 0.04, 0.011), at=(0, length + 0.05, 0)) if flat else cone("bristles", 0.007, 0.035, at=(0, length + 0.03, 0)),
        box("accent", (w * 0.96, 0.012, 0.0115), at=(0, length + 0.065, 0)) if flat else cone("accent", 0.004, 0.012, at=(0, length + 0.053, 0)),
    ]


@family("ladder", "ladders, step ladder, stepladder, wooden ladder, aluminium ladder, extension ladder", {"primary": "aluminium", "secondary": "aluminium"},
        part_words={"rungs": "secondary", "rails": "primary", "steps": "secondary"})
def ladder(k: Knobs, kind: str) -> list[Part]:
    h, w = k.u(1.8, 2.6), k.u(0.4, 0.5)
    rungs = int(h / k.u(0.26, 0.32))
    lean = h * k.u(0.18, 0.28)  # it leans back against a wall that is not there
    parts = [slab("primary", (s * w / 2, 0, lean), (s * w / 2, h, 0), 0.05, 0.025) for s in (-1, 1)]
    for i in range(rungs):
        t = (i + 0.7) / (rungs + 0.6)
        parts.append(rod("secondary", (-w / 2, h * t, lean * (1 - t)), (w / 2, h * t, lean * (1 - t)), 0.014))
    return parts


@family("anvil", "anvils, forge anvil, blacksmith anvil", {"primary": "iron", "secondary": "wood"}, part_words={"stump": "secondary", "base": "secondary"})
def anvil(k: Knobs, kind: str) -> list[Part]:
    s = k.u(0.9, 1.15)
    stump = k.u(0.3, 0.4)
    horn = k.u(0.2, 0.28)
    return [
        cyl("secondary", 0.22, stump, r_top=0.2),
        box("primary", (0.36 * s, 0.06, 0.2), at=(0, stump + 0.03, 0)),
        box("primary", (0.18 * s, 0.12, 0.11), at=(0, stump + 0.12, 0)),
        box("primary", (0.42 * s, 0.1, 0.16), at=(-0.03, stump + 0.23, 0)),
        lathe("primary", [(0, 0, 1), (0.075, 0, 1), (0.05, horn * 0.4), (0, horn, 1)], at=(0.18 * s, stump + 0.245, 0), rot=(0, 0, -90), scale=(1, 1, 0.9)),
    ]


@family("lawn mower", "lawn mowers, lawnmower, lawnmowers, mower, push mower, grass cutter, ride on mower", {"primary": "paint:red", "secondary": "steel", "detail": "rubber", "metal": "steel"},
        part_words={"handle": "secondary", "wheels": "detail", "deck": "primary"})
def lawn_mower(k: Knobs, kind: str) -> list[Part]:
    w, length = k.u(0.45, 0.55), k.u(0.55, 0.7)
    r = k.u(0.09, 0.12)
    return [
        rbox("primary", (w, 0.14, length), 0.04, at=(0, r + 0.06, 0)),
        rbox("secondary", (w * 0.45, 0.16, length * 0.4), 0.03, at=(0, r + 0.2, length * 0.1)),
        cyl("detail", 0.03, 0.05, at=(0, r + 0.28, length * 0.1)),
        *[w_ for x in (-length / 2 + r, length / 2 - r) for z in (-w / 2 - 0.02, w / 2 + 0.02) for w_ in wheel("detail", "metal", r, 0.05, (z, r, x), axis="x")],
        *[rod("secondary", (s * w * 0.4, r + 0.1, -length / 2 + 0.05), (s * w * 0.4, 1.0, -length / 2 - 0.45), 0.014) for s in (-1, 1)],
        rod("secondary", (-w * 0.4, 1.0, -length / 2 - 0.45), (w * 0.4, 1.0, -length / 2 - 0.45), 0.016),
        *([box("detail", (w * 0.5, 0.28, 0.35), at=(0, r + 0.15, -length / 2 - 0.15), rot=(-15, 0, 0))] if k.chance(0.6) else []),  # grass bag
    ]


@family("tire", "tires, tyre, tyres, car tire, car tyre, wheel, wheels", {"primary": "rubber", "metal": "chrome"}, part_words={"rim": "metal", "hubcap": "metal"})
def tire(k: Knobs, kind: str) -> list[Part]:
    r, w = k.u(0.3, 0.38), k.u(0.18, 0.25)
    spokes = k.pick([0, 5, 6])
    return wheel("primary", "metal", r, w, (0, r, 0), spokes=spokes) + ([cyl("metal", r * 0.5, w * 0.7, at=(0, r, -w * 0.35), rot=(90, 0, 0))] if spokes else [])
