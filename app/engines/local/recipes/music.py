"""Musical instruments: plucked and bowed strings share one body-and-neck builder; brass and woodwind one tube
builder; pianos, drums, harps, xylophones and bells are their own."""

# ruff: noqa: E501
# fmt: off

from __future__ import annotations

from math import cos, radians, sin

from app.engines.local.parts import Part, box, cone, cyl, extrude, lathe, rbox, sphere, torus, tube
from app.engines.local.recipes.model import Knobs, family, kind
from app.engines.local.recipes.shapes import aim, mirror_x, rod


def _body(lower: float, waist: float, upper: float, length: float) -> list[tuple]:
    """A figure-eight body outline (guitar, violin) of half-widths lower/waist/upper, bottom at y=0."""
    return mirror_x([(0, 0.0), (lower * 0.7, length * 0.05), (lower, length * 0.25), (lower * 0.85, length * 0.45), (waist, length * 0.57),
                     (upper, length * 0.72), (upper * 0.9, length * 0.88), (upper * 0.5, length * 0.98), (0, length)])


def _strung(k: Knobs, body: list[tuple], depth: float, length: float, neck: float, neck_w: float, strings: int, hole: bool, head: float, tilt: float = -8) -> list[Part]:
    """A body, a neck with a head, strings from the bridge to the head."""
    top = length + neck
    parts = [
        extrude("primary", body, depth, smooth=True),
        box("secondary", (neck_w, neck, depth * 0.3), at=(0, length + neck / 2 - 0.01, depth * 0.2)),
        box("secondary", (neck_w * 1.5, head, depth * 0.25), at=(0, top + head / 2, depth * 0.15), rot=(tilt, 0, 0)),
        box("detail", (neck_w * 2.2, 0.02, 0.012), at=(0, length * 0.2, depth / 2 + 0.004)),
    ]
    if hole:
        parts.append(cyl("detail", length * 0.075, 0.006, at=(0, length * 0.6, depth / 2 - 0.002), rot=(90, 0, 0)))
    span = neck_w * 0.7
    parts += [box("metal", (0.0022, top - length * 0.2, 0.003), at=(-span / 2 + span * i / max(1, strings - 1), (top + length * 0.2) / 2, depth / 2 + 0.008)) for i in range(strings)]
    parts += [cyl("metal", 0.006, 0.02, at=(s * neck_w * 0.85, top + head * (0.3 + 0.25 * j), depth * 0.15), rot=(0, 0, s * -90)) for s in (-1, 1) for j in range((strings + 1) // 2)]
    return parts


_STRING_SLOTS = {"primary": "wood", "secondary": "dark wood", "detail": "obsidian", "metal": "steel"}
_STRING_WORDS = {"neck": "secondary", "strings": "metal", "body": "primary", "fretboard": "secondary"}


@family("guitar", "guitars, acoustic guitar, ukulele, lute, banjo, bass guitar, classical guitar, mandolin", _STRING_SLOTS,
        kinds=[kind("acoustic", words_="acoustic, classical, spanish, folk"),
               kind("electric", nouns="electric guitar, bass guitar, electric bass, stratocaster, les paul", words_="electric, rock, bass", slots={"primary": "paint:red", "secondary": "wood"}),
               kind("ukulele", nouns="ukulele, ukulele guitar, uke"),
               kind("banjo", nouns="banjo, banjos", slots={"primary": "fabric:white"})],
        part_words=_STRING_WORDS)
def guitar(k: Knobs, kind: str) -> list[Part]:
    if kind == "electric":
        length = k.u(0.42, 0.48)
        body = mirror_x([(0, 0), (0.16, 0.03), (0.19, 0.15), (0.15, 0.26), (0.12, 0.32), (0.17, 0.4), (0.1, length), (0.03, length * 0.86), (0, length * 0.86)])
        parts = _strung(k, body, 0.045, length * 0.86, k.u(0.5, 0.56), 0.05, 6, False, 0.18, tilt=0)
        parts += [box("detail", (0.08, 0.02, 0.006), at=(0, length * y, 0.026)) for y in (0.4, 0.55)]
        parts += [cyl("metal", 0.01, 0.01, at=(0.1, length * y, 0.022), rot=(90, 0, 0)) for y in (0.12, 0.2, 0.28)]
        return parts
    if kind == "banjo":
        r = k.u(0.15, 0.18)
        return [cyl("primary", r, 0.06, at=(0, r, -0.03), rot=(90, 0, 0)), torus("metal", r, 0.012, at=(0, r, 0.03), rot=(90, 0, 0)),
                box("secondary", (0.045, 0.6, 0.025), at=(0, r * 2 + 0.28, 0.01)), box("secondary", (0.07, 0.14, 0.02), at=(0, r * 2 + 0.64, 0.01)),
                *[box("metal", (0.002, 0.6 + r, 0.003), at=(-0.012 + 0.006 * i, r + 0.3, 0.035)) for i in range(5)]]
    scale = k.u(0.5, 0.6) if kind == "ukulele" else 1.0
    length = k.u(0.46, 0.54) * scale
    body = _body(k.u(0.18, 0.21) * scale, k.u(0.1, 0.13) * scale, k.u(0.13, 0.16) * scale, length)
    return _strung(k, body, k.u(0.09, 0.11) * scale, length, k.u(0.45, 0.52) * scale, 0.05 * scale ** 0.5, 4 if kind == "ukulele" else 6, True, 0.17 * scale)


def _bowed(k: Knobs, scale: float, endpin: bool) -> list[Part]:
    length = 0.36 * scale
    body = _body(0.1 * scale, 0.06 * scale, 0.085 * scale, length)
    parts = [extrude("primary", body, 0.06 * scale ** 0.8, smooth=True),
             box("secondary", (0.03 * scale ** 0.6, 0.27 * scale, 0.02 * scale ** 0.8), at=(0, length + 0.12 * scale, 0.03 * scale ** 0.8)),
             tube("secondary", [(0, length + 0.25 * scale, 0.02), (0, length + 0.3 * scale, 0.0), (0, length + 0.33 * scale, 0.02), (0, length + 0.31 * scale, 0.035)], 0.015 * scale ** 0.7),
             extrude("detail", [(-0.035 * scale, 0), (0.035 * scale, 0), (0.012 * scale, 0.12 * scale), (-0.012 * scale, 0.12 * scale)], 0.008, at=(0, 0.04 * scale, 0.035 * scale ** 0.8)),
             box("secondary", (0.05 * scale, 0.012, 0.02), at=(0, length * 0.45, 0.04 * scale ** 0.8))]
    parts += [extrude("detail", [(-0.004 * scale, 0), (0.004 * scale, 0), (0.006 * scale, 0.07 * scale), (-0.002 * scale, 0.07 * scale)], 0.004, at=(s * 0.045 * scale, length * 0.42, 0.03 * scale ** 0.8)) for s in (-1, 1)]
    parts += [box("metal", (0.0015 * scale, length * 0.65 + 0.25 * scale, 0.002), at=(-0.01 * scale + 0.0066 * scale * i, length * 0.5 + 0.12 * scale, 0.042 * scale ** 0.8)) for i in range(4)]
    if endpin:
        parts.append(rod("metal", (0, 0, 0), (0, -0.2 * scale, 0), 0.006))
    return parts


@family("violin", "violins, fiddle, fiddles, viola, violas", _STRING_SLOTS | {"bow": "wood"}, part_words=_STRING_WORDS)
def violin(k: Knobs, kind: str) -> list[Part]:
    parts = _bowed(k, k.u(0.95, 1.1), False)
    if k.chance(0.6):
        parts += [rod("bow", (0.25, 0.05, 0.05), (0.25, 0.75, 0.05), 0.004), rod("detail", (0.235, 0.07, 0.05), (0.235, 0.72, 0.05), 0.002)]
    return parts


@family("cello", "cellos, violoncello, double bass, upright bass, contrabass", _STRING_SLOTS, part_words=_STRING_WORDS)
def cello(k: Knobs, kind: str) -> list[Part]:
    return _bowed(k, k.u(2.0, 2.6), True)


def _bell_tube(path: list[tuple], radius: float | tuple, bell: float, end: tuple, direction: tuple) -> list[Part]:
    """A brass tube along `path`, ending in a flared bell at `end` opening along `direction`."""
    r = radius if isinstance(radius, float) else radius[-1]
    _, rot = aim(end, (end[0] + direction[0], end[1] + direction[1], end[2] + direction[2]))
    return [tube("primary", path, radius),
            lathe("primary", [(r, 0, 1), (r * 1.6, bell * 0.4), (bell * 0.55, bell * 0.75), (bell, bell, 1), (bell * 0.95, bell, 1), (r * 0.9, 0.0, 1)], at=end, rot=rot, closed=True)]


@family("trumpet", "trumpets, cornet, bugle, flugelhorn, horn, brass horn", {"primary": "brass", "metal": "silver"}, part_words={"valves": "metal", "bell": "primary"})
def trumpet(k: Knobs, kind: str) -> list[Part]:
    length, bell = k.u(0.45, 0.55), k.u(0.055, 0.07)
    y = 0.12
    parts = _bell_tube([(-length / 2, y, 0), (length * 0.2, y, 0), (length * 0.3, y, 0.0)], 0.007, bell, (length * 0.3, y, 0), (1, 0, 0))
    parts += [tube("primary", [(-length * 0.3, y, 0), (-length * 0.05, y - 0.06, 0), (length * 0.2, y - 0.07, 0), (length * 0.28, y - 0.03, 0), (length * 0.2, y - 0.005, 0)], 0.007),
              cone("primary", 0.012, 0.04, at=(-length / 2 - 0.03, y, 0), rot=(0, 0, -90))]
    parts += [cyl("metal", 0.011, 0.09, at=(-0.02 + 0.025 * i, y - 0.07, 0)) for i in range(3)]
    parts += [cyl("metal", 0.009, 0.015, at=(-0.02 + 0.025 * i, y + 0.02, 0)) for i in range(3)]
    return parts


@family("trombone", "trombones, sackbut", {"primary": "brass", "metal": "silver"}, part_words={"slide": "metal", "bell": "primary"})
def trombone(k: Knobs, kind: str) -> list[Part]:
    length, bell = k.u(0.95, 1.15), k.u(0.09, 0.11)
    y = 0.15
    parts = _bell_tube([(-length * 0.2, y + 0.12, 0), (length * 0.3, y + 0.12, 0)], 0.008, bell, (length * 0.3, y + 0.12, 0), (1, 0, 0))
    parts += [tube("primary", [(-length * 0.2, y + 0.12, 0), (-length * 0.3, y + 0.08, 0), (-length * 0.2, y + 0.04, 0), (0, y + 0.04, 0)], 0.008),
              *[rod("metal", (0, y + dy, 0), (length * 0.7, y + dy, 0), 0.007) for dy in (0.04, -0.04)],
              tube("metal", [(length * 0.7, y + 0.04, 0), (length * 0.74, y, 0), (length * 0.7, y - 0.04, 0)], 0.007)]
    return parts


@family("tuba", "tubas, sousaphone, euphonium, baritone horn, french horn", {"primary": "brass", "metal": "silver"}, part_words={"valves": "metal", "bell": "primary"})
def tuba(k: Knobs, kind: str) -> list[Part]:
    h, bell = k.u(0.8, 1.0), k.u(0.2, 0.26)
    r = 0.03
    parts = _bell_tube([(0, 0.1, 0), (-0.08, 0.05, 0), (-0.15, 0.2, 0), (-0.14, h * 0.6, 0), (-0.1, h * 0.8, 0)], r, bell, (-0.1, h * 0.8, 0), (0.15, 1, 0))
    parts += [tube("primary", [(0, 0.1, 0), (0.1, 0.15, 0), (0.12, 0.35, 0), (0.08, 0.5, 0), (0.0, 0.55, 0)], r * 0.8),
              *[cyl("metal", 0.016, 0.14, at=(0.08, 0.25 + 0.035 * i, 0.02 + 0.0 * i), rot=(0, 0, 90)) for i in range(k.i(3, 4))],
              tube("primary", [(0.0, 0.55, 0), (0.1, 0.65, 0), (0.16, 0.7, 0)], 0.008)]
    return parts


@family("saxophone", "saxophones, sax, alto sax, tenor sax", {"primary": "brass", "metal": "gold", "detail": "obsidian"}, part_words={"keys": "metal", "bell": "primary"})
def saxophone(k: Knobs, kind: str) -> list[Part]:
    h, bell = k.u(0.6, 0.72), k.u(0.06, 0.075)
    parts = _bell_tube([(0, h, 0), (0.0, h * 0.5, 0), (0.02, h * 0.15, 0), (0.08, 0.04, 0), (0.14, 0.08, 0), (0.15, h * 0.35, 0)], (0.014, 0.02, 0.028, 0.032, 0.035, 0.038), bell, (0.15, h * 0.35, 0), (0.1, 1, 0.2))
    parts += [tube("primary", [(0, h, 0), (-0.03, h + 0.06, 0), (-0.08, h + 0.07, 0)], 0.011), cone("detail", 0.01, 0.04, at=(-0.08, h + 0.07, 0), rot=(0, 0, 90))]
    parts += [cyl("metal", 0.01, 0.006, at=(0.02, h * (0.3 + 0.08 * i), 0.024), rot=(90, 0, 0)) for i in range(k.i(4, 6))]
    return parts


@family("flute", "flutes, recorder, recorders, clarinet, clarinets, oboe, piccolo, fife, pan flute, tin whistle, whistle", {"primary": "silver", "metal": "silver", "detail": "obsidian"},
        kinds=[kind("flute"), kind("recorder", nouns="recorder, recorders, tin whistle, whistle, fife", words_="wooden, school", slots={"primary": "wood", "metal": "wood"}),
               kind("clarinet", nouns="clarinet, clarinets, oboe", slots={"primary": "obsidian", "metal": "silver"})],
        part_words={"keys": "metal"})
def flute(k: Knobs, kind: str) -> list[Part]:
    if kind == "flute":
        length = k.u(0.6, 0.68)
        parts = [cyl("primary", 0.01, length, at=(-length / 2, 0.02, 0), rot=(0, 0, -90)), cyl("detail", 0.004, 0.004, at=(-length * 0.4, 0.03, 0))]
        parts += [cyl("metal", 0.0075, 0.005, at=(-length * 0.1 + 0.03 * i, 0.028, 0)) for i in range(k.i(6, 8))]
        return parts
    length = k.u(0.3, 0.34) if kind == "recorder" else k.u(0.6, 0.66)
    bell = 0.02 if kind == "recorder" else 0.035
    parts = [lathe("primary", [(0, 0, 1), (bell, 0, 1), (0.013, length * 0.12), (0.012, length * 0.85), (0.015, length, 1), (0, length, 1)]),
             cone("primary", 0.012, 0.05, at=(0, length, 0)) if kind == "recorder" else cone("detail", 0.01, 0.06, at=(0, length, 0))]
    parts += [cyl("detail" if kind == "recorder" else "metal", 0.0035, 0.004, at=(0, length * (0.3 + 0.06 * i), 0.011), rot=(90, 0, 0)) for i in range(7)]
    if kind == "clarinet":
        parts += [torus("metal", 0.013, 0.002, at=(0, length * y, 0)) for y in (0.15, 0.5, 0.85)]
    return parts


@family("piano", "pianos, grand piano, upright piano, baby grand, concert grand, keyboard piano, synthesizer, synth, electric piano, digital piano",
        {"primary": "paint:black", "keys": "plastic:white", "black keys": "obsidian", "secondary": "paint:black", "metal": "brass"},
        kinds=[kind("grand", nouns="grand piano, baby grand, concert grand", words_="grand, concert, baby"),
               kind("upright", nouns="upright piano", words_="upright, old, saloon, school, wooden", slots={"primary": "dark wood", "secondary": "dark wood"}),
               kind("keyboard", nouns="synthesizer, synth, electric piano, digital piano, keyboard piano, musical keyboard", words_="electric, digital, synth", slots={"primary": "plastic:black"})],
        part_words={"keys": "keys", "lid": "primary", "legs": "secondary"})
def piano(k: Knobs, kind: str) -> list[Part]:
    octaves = k.i(4, 7) if kind != "keyboard" else k.i(3, 5)
    kw = k.u(0.0225, 0.0245)
    width = octaves * 7 * kw

    def keyboard_at(y: float, z: float) -> list[Part]:
        out = [box("keys", (width, 0.02, 0.15), at=(0, y, z))]
        for o in range(octaves):
            for j in (0, 1, 3, 4, 5):
                x = -width / 2 + (o * 7 + j + 1) * kw
                out.append(box("black keys", (kw * 0.55, 0.02, 0.09), at=(x, y + 0.015, z - 0.03)))
        out += [box("black keys", (0.0012, 0.021, 0.15), at=(-width / 2 + i * kw, y + 0.001, z)) for i in range(1, octaves * 7)]
        return out

    if kind == "keyboard":
        return [rbox("primary", (width + 0.12, 0.06, 0.3), 0.01, at=(0, 0.03, -0.06)), *keyboard_at(0.065, 0.02),
                *[cyl("keys", 0.008, 0.01, at=(-width / 2 + 0.03 * i, 0.06, -0.17)) for i in range(k.i(4, 8))]]
    if kind == "upright":
        h = k.u(1.15, 1.35)
        return [box("primary", (width + 0.1, h, 0.3), at=(0, h / 2, -0.22)), box("primary", (width + 0.1, 0.05, 0.25), at=(0, 0.7, -0.02)),
                *keyboard_at(0.74, -0.02), box("primary", (width + 0.1, 0.35, 0.04), at=(0, 0.98, -0.08)),
                *[box("secondary", (0.06, 0.7, 0.06), at=(s * (width / 2 + 0.02), 0.35, 0.06)) for s in (-1, 1)],
                *[box("metal", (0.06, 0.02, 0.06), at=(s * 0.06, 0.08, 0.0)) for s in (-1, 1)]]
    length = k.u(1.5, 2.2)
    w = width + 0.12
    # the body seen from above (x across, y = depth going back), stood up by rot=(-90, 0, 0): y becomes -z
    outline = [(-w / 2, 0, 1), (w / 2, 0, 1), (w / 2, length * 0.45), (w * 0.1, length * 0.8), (-w * 0.25, length), (-w / 2, length * 0.9, 1)]
    lid = k.u(25, 45)
    hinged = [(x + w / 2, y, *c) for x, y, *c in outline]  # the lid turns about its long straight side
    top = 1.06
    return [
        extrude("primary", outline, 0.32, at=(0, 0.9, 0), rot=(-90, 0, 0), smooth=True),
        extrude("primary", hinged, 0.02, at=(-w / 2, top + 0.01, 0), rot=(-90, 0, lid), smooth=True),
        rod("secondary", (w * 0.3, top, -length * 0.45), (w * 0.3, top + 0.5 * w * 0.8 * sin(radians(lid)), -length * 0.45), 0.01),
        *keyboard_at(0.74, 0.08),
        box("primary", (w, 0.06, 0.2), at=(0, 0.7, 0.08)),
        *[lathe("secondary", [(0, 0, 1), (0.04, 0, 1), (0.06, 0.4), (0.05, 0.74, 1), (0, 0.74, 1)], at=(x, 0, z)) for x, z in ((-w * 0.4, -0.05), (w * 0.4, -0.05), (-w * 0.1, -length * 0.8))],
    ]


@family("drum", "drums, snare, snare drum, bass drum, war drum, tom tom, bongo, bongos, tambourine, kettle drum, timpani",
        {"primary": "paint:red", "secondary": "fabric:white", "metal": "brass", "stand": "steel"},
        kinds=[kind("snare", words_="snare, marching, war, toy"),
               kind("kit", nouns="drum kit, drum set, drumkit, drums set", words_="kit, set, rock")],
        part_words={"shell": "primary", "skin": "secondary", "rims": "metal", "cymbals": "metal", "sticks": "secondary"})
def drum(k: Knobs, kind: str) -> list[Part]:
    def one(r: float, h: float, at: tuple, rot: tuple = (0, 0, 0)) -> list[Part]:
        x, y, z = at
        return [cyl("primary", r, h, at=at, rot=rot), cyl("secondary", r * 1.002, 0.004, at=(x, y + h - 0.002, z), rot=rot) if rot == (0, 0, 0) else cyl("secondary", r * 1.002, 0.004, at=(x, y, z + h - 0.002), rot=rot),
                torus("metal", r, 0.008, at=(x, y + h, z) if rot == (0, 0, 0) else (x, y, z + h), rot=rot), torus("metal", r, 0.008, at=at, rot=rot)]

    if kind == "kit":
        bass = k.u(0.25, 0.3)
        parts = one(bass, 0.4, (0, bass, -0.2), (90, 0, 0))
        parts += one(0.12, 0.14, (-0.35, 0.55, 0.25)) + one(0.11, 0.12, (-0.12, bass * 2 + 0.08, 0.05)) + one(0.13, 0.12, (0.15, bass * 2 + 0.06, 0.05))
        parts += [cyl("stand", 0.012, 0.55, at=(-0.35, 0, 0.25)), cyl("stand", 0.012, 0.25, at=(0, bass * 2 - 0.05, 0.05))]
        for x, h in ((-0.6, 1.0), (0.55, 1.15)):
            parts += [cyl("stand", 0.01, h, at=(x, 0, 0.1)), lathe("metal", [(0, 0, 1), (0.2, -0.02, 1), (0.2, -0.015, 1), (0, 0.01, 1)], at=(x, h, 0.1), closed=True)]
        return parts
    r, h = k.u(0.16, 0.22), k.u(0.14, 0.26)
    parts = one(r, h, (0, 0.01, 0))
    parts += [tube("metal", [(r * 1.01 * sin(radians(a)), 0.025, r * 1.01 * cos(radians(a))), (r * 1.01 * sin(radians(a + 20)), h - 0.01, r * 1.01 * cos(radians(a + 20)))], 0.003)
              for a in range(0, 360, 360 // k.i(6, 10))]
    parts += [cyl("secondary", 0.008, 0.35, at=(x, h + 0.05, 0.05), rot=(0, 0, s * 65)) for x, s in ((-0.05, 1), (0.05, -1))]
    return parts


@family("harp", "harps, lyre, celtic harp, concert harp", {"primary": "gold", "secondary": "wood", "string": "fabric:white"}, part_words={"strings": "string", "frame": "primary"})
def harp(k: Knobs, kind: str) -> list[Part]:
    h, w = k.u(1.1, 1.6), k.u(0.55, 0.75)
    strings = k.i(14, 24)
    parts = [
        box("secondary", (0.2, 0.08, 0.14), at=(0.05, 0.04, 0)),
        rod("secondary", (0.0, 0.05, 0), (w, h * 0.6, 0), 0.045),
        tube("primary", [(0.0, 0.05, 0), (-0.05, h * 0.5, 0), (0.0, h, 0)], (0.035, 0.03, 0.028)),
        tube("primary", [(0.0, h, 0), (w * 0.35, h * 0.92, 0), (w * 0.7, h * 0.75, 0), (w * 1.02, h * 0.62, 0)], 0.028),
        sphere("primary", 0.04, at=(0.0, h + 0.02, 0)),
    ]
    for i in range(strings):
        t = (i + 0.5) / strings
        x = w * t
        y0 = 0.05 + (h * 0.6 - 0.05) * t
        y1 = h * (1.0 - 0.38 * t ** 1.3) - 0.04
        parts.append(rod("string", (x, y0, 0), (x, y1, 0), 0.002))
    return parts


@family("xylophone", "xylophones, glockenspiel, marimba, vibraphone", {"primary": "wood", "secondary": "dark wood", "a": "paint:red", "b": "paint:yellow", "c": "paint:green", "d": "paint:blue", "mallet": "wood"},
        part_words={"bars": "a", "keys": "a", "frame": "secondary", "mallets": "mallet"}, main=("secondary",))
def xylophone(k: Knobs, kind: str) -> list[Part]:
    n = k.i(7, 12)
    colours = k.chance(0.6)
    bar, step = k.u(0.035, 0.045), k.u(0.008, 0.014)
    parts = [rod("secondary", (-0.05, 0.03, s * 0.06 * (1 + 0.6 * ((1 - s) / 2))), (n * 0.05, 0.03, s * 0.05), 0.012) for s in (-1, 1)]
    for i in range(n):
        length = 0.24 - step * i
        slot = ("a", "b", "c", "d")[i % 4] if colours else "primary"
        parts.append(box(slot, (bar, 0.015, length), at=(i * (bar + 0.01), 0.05, 0)))
    parts += [rod("mallet", (0.1 + 0.12 * j, 0.06, 0.2), (0.25 + 0.12 * j, 0.06, 0.45), 0.005) for j in range(2)]
    parts += [sphere("secondary", 0.018, at=(0.1 + 0.12 * j, 0.065, 0.2)) for j in range(2)]
    return parts


@family("bell", "bells, church bell, hand bell, handbell, school bell, cow bell, cowbell, jingle bell, sleigh bell, liberty bell", {"primary": "bronze", "secondary": "dark wood", "metal": "iron"},
        part_words={"clapper": "metal", "handle": "secondary", "yoke": "secondary"})
def bell(k: Knobs, kind: str) -> list[Part]:
    r = k.u(0.12, 0.2)
    h = r * k.u(1.1, 1.4)
    parts = [lathe("primary", [(r, 0, 1), (r * 0.95, h * 0.12), (r * 0.7, h * 0.4), (r * 0.6, h * 0.85), (r * 0.4, h, 1), (0, h, 1), (0, h * 0.9, 1), (r * 0.52, h * 0.88), (r * 0.6, h * 0.4), (r * 0.88, 0.02, 1)], closed=False),
             sphere("metal", r * 0.18, at=(0, h * 0.12, 0)), rod("metal", (0, h * 0.15, 0), (0, h * 0.9, 0), r * 0.04)]
    if k.chance(0.5):
        parts += [box("secondary", (r * 2.6, r * 0.25, r * 0.4), at=(0, h + r * 0.2, 0)), torus("metal", r * 0.15, r * 0.05, at=(0, h + 0.01, 0), rot=(90, 0, 0))]
    else:
        parts.append(lathe("secondary", [(0, 0, 1), (r * 0.15, 0, 1), (r * 0.12, r * 0.4), (r * 0.2, r * 0.7), (0, r * 0.8, 1)], at=(0, h, 0)))
    return parts


@family("accordion", "accordions, concertina, squeezebox", {"primary": "paint:red", "secondary": "paint:black", "keys": "plastic:white", "metal": "chrome"}, part_words={"bellows": "secondary", "keys": "keys"})
def accordion(k: Knobs, kind: str) -> list[Part]:
    w, h, d = k.u(0.35, 0.45), k.u(0.35, 0.42), k.u(0.16, 0.2)
    folds = k.i(6, 10)
    parts = [box("primary", (0.08, h, d), at=(-w / 2, h / 2, 0)), box("primary", (0.08, h, d), at=(w / 2, h / 2, 0)), box("keys", (0.02, h * 0.9, d * 0.5), at=(-w / 2 - 0.045, h / 2, 0))]
    for i in range(folds):
        x = -w / 2 + 0.04 + (w - 0.08) * (i + 0.5) / folds
        parts.append(box("secondary", ((w - 0.08) / folds * 0.9, h * (0.96 if i % 2 else 0.9), d * (0.96 if i % 2 else 0.9)), at=(x, h / 2, 0)))
    parts += [cyl("metal", 0.008, 0.01, at=(w / 2 + 0.04, h * (0.2 + 0.1 * i), 0.03), rot=(0, 0, -90)) for i in range(6)]
    return parts
