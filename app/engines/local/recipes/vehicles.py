"""Vehicles: road vehicles are a side profile extruded across the track, a cabin, wheels and lights (they face +x);
aircraft and boats a hull, wings or sails; the kinds (a fire truck, a rowing boat, a jet) change the parts, not just
the paint."""

# ruff: noqa: E501
# fmt: off

from __future__ import annotations

from math import cos, radians, sin

from app.engines.local.parts import Part, box, capsule, cone, cyl, extrude, hemi, lathe, rbox, sphere, torus, tube
from app.engines.local.recipes.model import Knobs, family, kind
from app.engines.local.recipes.shapes import around, axle_wheels, rod, slab, wheel

_ROAD = {"primary": "paint:red", "glass": "window", "detail": "rubber", "metal": "chrome", "accent": "plastic:yellow", "tail": "plastic:red"}
_ROAD_WORDS = {"windows": "glass", "tyres": "detail", "tires": "detail", "wheels": "detail", "lights": "accent", "paint": "primary", "body": "primary"}


def _lights(length: float, y: float, z: float) -> list[Part]:
    return [*[box("accent", (0.06, 0.12, 0.3), at=(length / 2 - 0.01, y, s * z)) for s in (-1, 1)],
            *[box("tail", (0.06, 0.12, 0.3), at=(-length / 2 + 0.01, y, s * z)) for s in (-1, 1)]]


@family("car", "cars, sedan, automobile, vehicle, taxi, cab, racecar, race car, jeep, suv, coupe, hatchback, sports car, convertible, limo, police car, cop car",
        _ROAD | {"stripe": "paint:white", "siren": "plastic:blue"},
        kinds=[kind("sedan", words_="family, sedan, saloon, hatchback, red, blue"),
               kind("sports", nouns="sports car, racecar, race car, supercar, coupe, convertible", words_="sports, racing, race, fast, super", slots={"primary": "paint:yellow"}),
               kind("taxi", nouns="taxi, cab, taxicab, yellow cab", words_="taxi", slots={"primary": "paint:yellow", "stripe": "paint:black"}),
               kind("police", nouns="police car, cop car, patrol car, squad car", words_="police, cop, patrol", slots={"primary": "paint:white", "stripe": "paint:navy", "tail": "plastic:red"}),
               kind("jeep", nouns="jeep, suv, off roader, land rover", words_="off road, offroad, safari, army", slots={"primary": "paint:olive"})],
        part_words=_ROAD_WORDS)
def car(k: Knobs, kind: str) -> list[Part]:
    if kind == "sports":
        length, w, r = k.u(4.2, 4.6), k.u(1.85, 2.0), k.u(0.33, 0.36)
        body = [(-length / 2, 0.3, 1), (length / 2, 0.3, 1), (length / 2 + 0.05, 0.5), (length * 0.3, 0.7), (-length * 0.3, 0.85), (-length / 2, 0.85, 1)]
        cabin = [(length * 0.15, 0.72, 1), (-length * 0.1, 1.12, 1), (-length * 0.3, 1.1, 1), (-length * 0.42, 0.85, 1)]
        parts = [extrude("primary", body, w, smooth=True), extrude("glass", cabin, w * 0.82), box("primary", (0.3, 0.05, w), at=(-length / 2 + 0.15, 1.0, 0)),
                 *[box("primary", (0.05, 0.15, 0.05), at=(-length / 2 + 0.15, 0.9, s * w * 0.4)) for s in (-1, 1)]]
    else:
        length, w, r = k.u(3.9, 4.6), k.u(1.7, 1.85), k.u(0.33, 0.38)
        tall = 1.15 if kind == "jeep" else 1.0
        body = [(-length / 2, 0.3, 1), (length / 2, 0.3, 1), (length / 2 + 0.08, 0.55), (length / 2, 0.86 * tall, 1), (length * 0.25, 0.98 * tall, 1), (-length * 0.35, 0.98 * tall, 1), (-length / 2, 0.92 * tall, 1)]
        roof_y = (1.42 if kind != "jeep" else 1.7) * k.u(0.96, 1.04)
        cabin = [(length * 0.26, 0.96 * tall, 1), (length * 0.1, roof_y, 1), (-length * 0.22, roof_y, 1), (-length * 0.34, 0.96 * tall, 1)]
        parts = [extrude("primary", body, w, smooth=kind != "jeep"), extrude("glass", cabin, w * 0.9), box("primary", (length * 0.34, 0.06, w * 0.92), at=(-length * 0.06, roof_y, 0))]
        parts += [box("primary", (0.08, roof_y - 0.95 * tall, 0.08), at=(x, (roof_y + 0.95 * tall) / 2, s * w * 0.44)) for x in (-length * 0.06,) for s in (-1, 1)]
        if kind == "taxi":
            parts += [box("accent", (0.5, 0.18, 0.25), at=(-length * 0.06, roof_y + 0.12, 0)), box("stripe", (length * 0.9, 0.1, w + 0.01), at=(0, 0.68, 0))]
        if kind == "police":
            parts += [box("stripe", (length * 0.55, 0.25, w + 0.01), at=(0, 0.6, 0)), box("siren", (0.25, 0.12, 0.6), at=(-length * 0.06, roof_y + 0.09, -0.3)),
                      box("tail", (0.25, 0.12, 0.6), at=(-length * 0.06, roof_y + 0.09, 0.3))]
        if kind == "jeep":
            parts += [cyl("detail", r * 0.95, 0.25, at=(-length / 2 - 0.12, 0.9, 0), rot=(0, 0, 90))]
    parts += axle_wheels("detail", "metal", r, 0.26, (-length * 0.3, length * 0.3), w * 0.85)
    parts += _lights(length, 0.72, w * 0.34)
    parts += [box("metal", (0.08, 0.12, w + 0.05), at=(x, 0.36, 0)) for x in (-length / 2, length / 2)]
    return parts


@family("truck", "trucks, lorry, lorries, pickup, pickup truck, pick-up truck, fire truck, fire engine, firetruck, dump truck, dumper, tipper, semi truck, delivery truck, tow truck, garbage truck, cement mixer, big rig",
        _ROAD | {"secondary": "steel", "ladder": "aluminium", "cargo": "paint:white"},
        kinds=[kind("pickup", nouns="pickup, pickup truck, pick-up truck, pick up truck", words_="pickup, farm", slots={"primary": "paint:blue"}),
               kind("fire", nouns="fire truck, fire engine, firetruck, fire engines", words_="fire, firefighter, fireman"),
               kind("dump", nouns="dump truck, dumper, tipper, tipper truck, dumptruck", words_="dump, tipper, construction, mining", slots={"primary": "paint:yellow", "secondary": "paint:yellow"}),
               kind("box", nouns="delivery truck, box truck, lorry, moving truck, semi truck, big rig, garbage truck", words_="delivery, moving, box, cargo, semi", slots={"primary": "paint:white", "cargo": "paint:white"})],
        part_words=_ROAD_WORDS | {"ladder": "ladder", "bed": "secondary", "cargo": "cargo"})
def truck(k: Knobs, kind: str) -> list[Part]:
    w, r = k.u(2.1, 2.4), k.u(0.45, 0.55)
    cab_l, cab_h = k.u(1.8, 2.2), k.u(2.6, 3.0)
    if kind == "pickup":
        w, r = k.u(1.85, 2.0), k.u(0.38, 0.42)
        length = k.u(5.0, 5.6)
        body = [(-length / 2, 0.45, 1), (length / 2, 0.45, 1), (length / 2 + 0.05, 0.7), (length / 2, 1.1, 1), (length * 0.18, 1.15, 1), (-length / 2, 1.15, 1)]
        cabin = [(length * 0.2, 1.12, 1), (length * 0.05, 1.75, 1), (-length * 0.12, 1.75, 1), (-length * 0.14, 1.12, 1)]
        parts = [extrude("primary", body, w), extrude("glass", cabin, w * 0.9), box("primary", (length * 0.17, 0.06, w * 0.92), at=(-length * 0.035, 1.75, 0)),
                 box("secondary", (length * 0.34, 0.05, w * 0.86), at=(-length * 0.32, 1.18, 0))]
        parts += axle_wheels("detail", "metal", r, 0.3, (-length * 0.32, length * 0.3), w * 0.85)
        return parts + _lights(length, 0.9, w * 0.34)
    length = k.u(6.0, 8.0)
    front = length / 2
    parts = [
        box("secondary", (length, 0.35, w * 0.8), at=(0, r + 0.2, 0)),
        rbox("primary", (cab_l, cab_h - r - 0.2, w), 0.12, at=(front - cab_l / 2, r + 0.2 + (cab_h - r - 0.2) / 2, 0)),
        box("glass", (0.06, (cab_h - r) * 0.38, w * 0.9), at=(front + 0.01, cab_h * 0.78, 0)),
        *[box("glass", (cab_l * 0.5, (cab_h - r) * 0.3, 0.06), at=(front - cab_l * 0.4, cab_h * 0.78, s * w / 2)) for s in (-1, 1)],
        box("metal", (0.1, 0.3, w * 0.8), at=(front + 0.03, r + 0.45, 0)),
    ]
    bed_l = length - cab_l - 0.2
    bx = -length / 2 + bed_l / 2
    if kind == "fire":
        parts += [box("primary", (bed_l, 1.6, w), at=(bx, r + 0.35 + 0.8, 0)), box("ladder", (bed_l * 1.05, 0.1, 0.6), at=(bx + 0.3, r + 0.35 + 1.75, 0), rot=(0, 0, 4)),
                  *[box("ladder", (0.05, 0.06, 0.6), at=(bx - bed_l / 2 + 0.3 + i * 0.35, r + 0.35 + 1.82, 0)) for i in range(int(bed_l / 0.35))],
                  *[box("metal", (bed_l * 0.9, 0.08, 0.05), at=(bx, r + 0.35 + 0.3 + 0.5 * j, w / 2 + 0.03)) for j in range(3)],
                  *[box("accent" if j % 2 else "tail", (0.2, 0.15, 0.3), at=(front - cab_l / 2, cab_h + 0.08, (j - 0.5) * 0.5)) for j in range(2)]]
    elif kind == "dump":
        tilt = k.u(0, 25)
        parts += [extrude("secondary", [(-bed_l / 2, 1.4, 1), (-bed_l / 2 + 0.3, 0.0, 1), (bed_l / 2, 0.0, 1), (bed_l / 2 + 0.4, 1.5, 1)], w, at=(bx, r + 0.38, 0), rot=(0, 0, tilt))]
    else:
        parts += [box("cargo", (bed_l, 2.6, w), at=(bx, r + 0.35 + 1.3, 0))]
    axles = (-length / 2 + 0.9, front - cab_l / 2) if length < 7 else (-length / 2 + 0.9, -length / 2 + 2.0, front - cab_l / 2)
    parts += axle_wheels("detail", "metal", r, 0.35, axles, w * 0.85)
    return [*parts, *[box("accent", (0.06, 0.16, 0.3), at=(front + 0.02, r + 0.6, s * w * 0.35)) for s in (-1, 1)]]


@family("bus", "buses, busses, school bus, double decker, double-decker, double decker bus, coach, city bus, tour bus, minibus", _ROAD | {"primary": "paint:yellow", "stripe": "paint:black"},
        kinds=[kind("school", nouns="school bus", words_="school, yellow, american"),
               kind("double", nouns="double decker, double-decker, double decker bus, london bus", words_="double, london, british", slots={"primary": "paint:red"}),
               kind("city", nouns="city bus, coach, tour bus, minibus, transit bus", words_="city, coach, tour, transit, public", slots={"primary": "paint:white", "stripe": "paint:blue"})],
        part_words=_ROAD_WORDS | {"stripe": "stripe"})
def bus(k: Knobs, kind: str) -> list[Part]:
    length, w, r = k.u(9, 12), k.u(2.4, 2.6), k.u(0.5, 0.55)
    decks = 2 if kind == "double" else 1
    h = 2.5 * decks + 0.5
    nose = 1.2 if kind == "school" else 0.0
    parts = [rbox("primary", (length, h - r, w), 0.15, at=(-nose / 2, r + (h - r) / 2, 0))]
    if nose:
        parts.append(rbox("primary", (nose + 0.2, 1.0, w * 0.9), 0.15, at=(length / 2 - 0.1, r + 0.75, 0)))
        parts.append(box("stripe", (0.05, 0.5, w * 0.8), at=(length / 2 + nose / 2 + 0.01, r + 0.7, 0)))
    n = int((length - 1.5) / k.u(1.1, 1.4))
    for d in range(decks):
        y = r + 1.3 + 2.5 * d
        parts += [box("glass", (length * 0.86 / n * 0.8, 0.9, 0.06), at=(-length / 2 + 0.8 + (length - 1.6) * (i + 0.5) / n - nose / 2, y, s * w / 2)) for i in range(n) for s in (-1, 1)]
        parts.append(box("glass", (0.06, 1.0, w * 0.88), at=(length / 2 - nose / 2 + 0.01, y, 0)))
    parts += [box("stripe", (length, 0.12, w + 0.02), at=(-nose / 2, r + 0.55, 0))]
    parts += axle_wheels("detail", "metal", r, 0.32, (-length * 0.3, length * 0.3), w * 0.85)
    parts += [box("accent", (0.06, 0.18, 0.3), at=(length / 2 + 0.01, r + 0.5, s * w * 0.35)) for s in (-1, 1)]
    return parts


@family("van", "vans, minivan, camper van, campervan, ambulance, ambulances, delivery van, ice cream van, ice cream truck, food truck, camper, rv, motorhome",
        _ROAD | {"primary": "paint:white", "stripe": "paint:red", "siren": "plastic:blue"},
        kinds=[kind("van", words_="delivery, cargo, panel, white"),
               kind("ambulance", nouns="ambulance, ambulances, paramedic van", words_="ambulance, medical, paramedic, emergency"),
               kind("camper", nouns="camper van, campervan, camper, rv, motorhome, hippie van", words_="camper, camping, hippie, vw", slots={"primary": "paint:sky", "stripe": "paint:white"}),
               kind("ice cream", nouns="ice cream van, ice cream truck, food truck", words_="ice cream, food", slots={"primary": "paint:pink", "stripe": "paint:white"})],
        part_words=_ROAD_WORDS | {"stripe": "stripe", "cross": "stripe"})
def van(k: Knobs, kind: str) -> list[Part]:
    length, w, r = k.u(4.8, 5.6), k.u(1.9, 2.05), k.u(0.36, 0.4)
    h = k.u(2.2, 2.5)
    body = [(-length / 2, 0.35, 1), (length / 2, 0.35, 1), (length / 2 + 0.05, 0.9, 1), (length * 0.38, 1.25, 1), (length * 0.25, h, 1), (-length / 2, h, 1)]
    parts = [extrude("primary", body, w, smooth=False),
             extrude("glass", [(length * 0.37, 1.3, 1), (length * 0.26, h - 0.15, 1), (length * 0.24, h - 0.15, 1), (length * 0.35, 1.3, 1)], w * 0.96, at=(0.06, 0, 0)),
             *[box("glass", (0.7, 0.6, 0.05), at=(length * 0.2, h * 0.72, s * w / 2)) for s in (-1, 1)],
             box("stripe", (length * 0.8, 0.2, w + 0.01), at=(-length * 0.1, 1.0, 0))]
    if kind == "ambulance":
        parts += [box("stripe", (0.5, 0.15, 0.02), at=(-length * 0.15, h * 0.72, w / 2 + 0.01)), box("stripe", (0.15, 0.5, 0.02), at=(-length * 0.15, h * 0.72, w / 2 + 0.01)),
                  *[box("siren" if s > 0 else "tail", (0.2, 0.12, 0.4), at=(length * 0.2, h + 0.06, s * 0.3)) for s in (-1, 1)]]
    elif kind == "camper":
        parts += [box("stripe", (length, h * 0.45, w + 0.01), at=(0, h * 0.78, 0)), *[box("glass", (0.6, 0.45, 0.05), at=(-length * 0.1 - 0.8 * i, h * 0.72, w / 2)) for i in range(3)]]
    elif kind == "ice cream":
        parts += [box("glass", (1.6, 0.8, 0.05), at=(-length * 0.15, h * 0.62, w / 2)), box("stripe", (1.8, 0.1, 0.4), at=(-length * 0.15, h * 0.45, w / 2 + 0.15)),
                  cone("accent", 0.25, 0.7, at=(-length * 0.25, h + 0.7, 0), rot=(180, 0, 0)), sphere("stripe", 0.3, at=(-length * 0.25, h + 0.75, 0))]
    parts += axle_wheels("detail", "metal", r, 0.26, (-length * 0.3, length * 0.3), w * 0.85)
    return parts + _lights(length, 0.8, w * 0.34)


@family("tractor", "tractors, farm tractor, bulldozer, digger, excavator, backhoe", {"primary": "paint:green", "secondary": "paint:yellow", "glass": "window", "detail": "rubber", "metal": "steel"},
        kinds=[kind("tractor"), kind("digger", nouns="digger, excavator, backhoe, bulldozer", words_="construction, digging", slots={"primary": "paint:yellow", "secondary": "paint:black"})],
        part_words={"wheels": "detail", "tyres": "detail", "tires": "detail", "cab": "glass", "hood": "primary", "bucket": "metal"})
def tractor(k: Knobs, kind: str) -> list[Part]:
    rear, front = k.u(0.75, 0.9), k.u(0.4, 0.5)
    length, w = k.u(3.2, 3.8), k.u(1.7, 1.9)
    cab = -length * 0.15
    parts = [
        rbox("primary", (length * 0.55, 0.9, w * 0.5), 0.08, at=(length * 0.15, front + 0.5, 0)),
        box("primary", (length * 0.35, 0.5, w * 0.6), at=(cab, rear * 0.9, 0)),
        box("glass", (1.2, 1.3, w * 0.75), at=(cab, rear * 0.9 + 0.9, 0)),
        box("primary", (1.4, 0.08, w * 0.85), at=(cab, rear * 0.9 + 1.6, 0)),
        cyl("metal", 0.06, 0.9, at=(length * 0.3, front + 0.9, 0)),
        *[w_ for z in (-w / 2 - 0.1, w / 2 + 0.1) for w_ in wheel("detail", "secondary", rear, 0.45, (cab, rear, z))],
        *[w_ for z in (-w / 2 + 0.15, w / 2 - 0.15) for w_ in wheel("detail", "secondary", front, 0.28, (length * 0.38, front, z))],
        box("secondary", (0.1, 0.3, w * 0.45), at=(length * 0.43, front + 0.5, 0)),
    ]
    if kind == "digger":
        parts += [slab("secondary", (length * 0.35, front + 1.0, 0), (length * 0.75, front + 2.2, 0), 0.25, 0.2),
                  slab("secondary", (length * 0.75, front + 2.2, 0), (length * 0.95, front + 0.6, 0), 0.2, 0.18),
                  extrude("metal", [(0, 0, 1), (0.6, 0, 1), (0.7, 0.5, 1), (0.1, 0.55, 1)], w * 0.7, at=(length * 0.9, 0.1, 0))]
    return parts


@family("train", "trains, locomotive, locomotives, steam locomotive, steam engine, steam train, train engine, railway engine, tram, trams, streetcar, toy train, choo choo, bullet train",
        {"primary": "paint:red", "secondary": "iron:black", "glass": "window", "detail": "iron", "accent": "brass", "metal": "steel"},
        kinds=[kind("steam", nouns="steam locomotive, steam engine, steam train, choo choo", words_="steam, old, wild west, toy"),
               kind("modern", nouns="bullet train, high speed train, electric train, tram, trams, streetcar, subway train", words_="bullet, modern, electric, high speed, passenger", slots={"primary": "paint:white", "secondary": "paint:blue"})],
        part_words={"boiler": "secondary", "chimney": "secondary", "funnel": "secondary", "cab": "primary", "wheels": "detail"})
def train(k: Knobs, kind: str) -> list[Part]:
    w = k.u(2.4, 2.8)
    if kind == "modern":
        length, h = k.u(12, 16), k.u(3.0, 3.4)
        parts = [extrude("primary", [(-length / 2, 0.6, 1), (length / 2 - 2.5, 0.6, 1), (length / 2, 1.2), (length / 2 - 1.0, h * 0.85), (length / 2 - 3.0, h, 1), (-length / 2, h, 1)], w, smooth=True),
                 box("secondary", (length - 2.0, 0.35, w + 0.02), at=(-1.0, 1.3, 0)),
                 *[box("glass", (0.8, 0.7, 0.05), at=(-length / 2 + 1.0 + 1.2 * i, h * 0.72, s * w / 2)) for i in range(int((length - 4) / 1.2)) for s in (-1, 1)],
                 extrude("glass", [(length / 2 - 1.2, h * 0.8), (length / 2 - 2.6, h * 0.97), (length / 2 - 2.8, h * 0.8)], w * 0.8, at=(0.02, 0, 0))]
        parts += [box("detail", (1.2, 0.5, w * 0.9), at=(x, 0.45, 0)) for x in (-length / 2 + 2, length / 2 - 3)]
        return parts
    length = k.u(5.5, 7.0)
    boiler_r = k.u(0.65, 0.8)
    drivers = k.i(2, 4)
    cab_x = -length / 2 + 1.1
    parts = [
        box("secondary", (length, 0.3, w * 0.8), at=(0, 0.75, 0)),
        cyl("secondary", boiler_r, length * 0.62, at=(cab_x + 1.0, 0.9 + boiler_r, 0), rot=(0, 0, -90)),
        cyl("secondary", boiler_r * 1.02, 0.12, at=(length / 2 - 0.4, 0.9 + boiler_r, 0), rot=(0, 0, -90)),
        lathe("secondary", [(0, 0, 1), (0.3, 0, 1), (0.25, 0.5), (0.42, 1.0, 1), (0.35, 1.05, 1), (0, 1.05, 1)], at=(length / 2 - 1.2, 0.9 + boiler_r * 1.8, 0)),
        sphere("accent", 0.35, at=(0.0, 0.9 + boiler_r * 1.85, 0)),
        box("primary", (2.0, 2.4, w), at=(cab_x, 2.0, 0)),
        box("primary", (2.4, 0.12, w + 0.2), at=(cab_x, 3.25, 0)),
        *[box("glass", (0.7, 0.6, 0.05), at=(cab_x, 2.5, s * w / 2)) for s in (-1, 1)],
        extrude("detail", [(0, 0, 1), (0.8, 0, 1), (0.0, 0.9, 1)], w * 0.8, at=(length / 2, 0.1, 0)),
        box("accent", (0.05, 0.4, 0.4), at=(length / 2 + 0.02, 0.9 + boiler_r * 1.2, 0)),
    ]
    parts += [w_ for i in range(drivers) for z in (-w * 0.42, w * 0.42) for w_ in wheel("detail", "primary", 0.6, 0.15, (cab_x + 0.8 + 1.3 * i, 0.6, z), spokes=8)]
    parts += [w_ for z in (-w * 0.42, w * 0.42) for w_ in wheel("detail", "primary", 0.38, 0.15, (length / 2 - 0.8, 0.38, z))]
    parts += [rod("metal", (cab_x + 0.8, 0.6, s * (w * 0.42 + 0.1)), (cab_x + 0.8 + 1.3 * (drivers - 1), 0.6, s * (w * 0.42 + 0.1)), 0.05) for s in (-1, 1)]
    return parts


@family("motorcycle", "motorcycles, motorbike, motorbikes, motor bike, scooter bike, vespa, moped, chopper, dirt bike, superbike", {"primary": "paint:red", "secondary": "iron:black", "detail": "rubber", "metal": "chrome", "seat": "leather:black"},
        part_words={"tank": "primary", "seat": "seat", "wheels": "detail", "exhaust": "metal"})
def motorcycle(k: Knobs, kind: str) -> list[Part]:
    r, base = k.u(0.3, 0.36), k.u(1.35, 1.55)
    fx, rx = base / 2, -base / 2
    rake = k.u(22, 32)
    return [
        *wheel("detail", "metal", r, 0.16, (fx, r, 0), spokes=0), *wheel("detail", "metal", r, 0.18, (rx, r, 0), spokes=0),
        rbox("primary", (0.5, 0.25, 0.3), 0.1, at=(0.05, r + 0.55, 0), rot=(0, 0, -8)),
        rbox("seat", (0.55, 0.1, 0.28), 0.05, at=(-0.38, r + 0.5, 0)),
        box("secondary", (0.45, 0.35, 0.25), at=(-0.05, r + 0.2, 0)),
        rod("secondary", (rx, r, 0), (-0.1, r + 0.25, 0), 0.04),
        *[rod("metal", (fx, r, s * 0.08), (fx - sin(radians(rake)) * 0.85, r + 0.8, s * 0.08), 0.025) for s in (-1, 1)],
        rod("metal", (fx - sin(radians(rake)) * 0.85, r + 0.85, -0.35), (fx - sin(radians(rake)) * 0.85, r + 0.85, 0.35), 0.018),
        sphere("metal", 0.09, at=(fx - sin(radians(rake)) * 0.8 + 0.12, r + 0.7, 0)),
        tube("metal", [(0.0, r + 0.05, 0.16), (-0.4, r + 0.05, 0.18), (-0.75, r + 0.2, 0.18)], 0.04),
    ]


@family("bicycle", "bicycles, bike, bikes, push bike, mountain bike, road bike, racing bike, bmx, cycle, tricycle, penny farthing", {"primary": "paint:blue", "detail": "rubber", "metal": "chrome", "seat": "leather:black"},
        part_words={"frame": "primary", "wheels": "detail", "seat": "seat", "saddle": "seat", "handlebars": "metal"})
def bicycle(k: Knobs, kind: str) -> list[Part]:
    r, base = k.u(0.33, 0.36), k.u(1.0, 1.1)
    fx, rx = base / 2, -base / 2
    crank = (rx + base * 0.42, r, 0)
    seat_top = (rx + base * 0.3, r + k.u(0.55, 0.65), 0)
    head = (fx - 0.12, r + 0.55, 0)
    parts = [
        *wheel("detail", "metal", r, 0.04, (fx, r, 0), spokes=k.i(8, 12)), *wheel("detail", "metal", r, 0.04, (rx, r, 0), spokes=k.i(8, 12)),
        rod("primary", crank, seat_top, 0.018), rod("primary", crank, head, 0.02), rod("primary", (seat_top[0] + 0.03, seat_top[1] - 0.08, 0), head, 0.018),
        *[rod("primary", (rx, r, s * 0.03), crank, 0.012) for s in (-1, 1)], *[rod("primary", (rx, r, s * 0.03), (seat_top[0], seat_top[1] - 0.05, 0), 0.012) for s in (-1, 1)],
        rod("metal", (fx, r, 0), (head[0], head[1] + 0.15, 0), 0.016),
        rod("metal", (head[0] - 0.05, head[1] + 0.17, -0.25), (head[0] - 0.05, head[1] + 0.17, 0.25), 0.012),
        rbox("seat", (0.24, 0.05, 0.1), 0.02, at=(seat_top[0] - 0.02, seat_top[1] + 0.04, 0)),
        cyl("metal", 0.09, 0.02, at=(crank[0], crank[1], 0.03), rot=(90, 0, 0)),
        *[box("detail", (0.09, 0.02, 0.05), at=(crank[0] + s * 0.12, crank[1] - s * 0.1, s * 0.12)) for s in (-1, 1)],
    ]
    return parts


@family("scooter", "scooters, kick scooter, push scooter, razor scooter, electric scooter, e-scooter", {"primary": "aluminium", "secondary": "paint:red", "detail": "rubber"},
        part_words={"deck": "secondary", "handlebar": "primary", "wheels": "detail"})
def scooter(k: Knobs, kind: str) -> list[Part]:
    length, r, h = k.u(0.6, 0.75), k.u(0.08, 0.1), k.u(0.8, 0.95)
    return [
        rbox("secondary", (length, 0.05, 0.14), 0.02, at=(0, r + 0.02, 0)),
        *wheel("detail", "primary", r, 0.03, (length / 2 + 0.05, r, 0)), *wheel("detail", "primary", r, 0.03, (-length / 2, r, 0)),
        rod("primary", (length / 2 + 0.05, r, 0), (length / 2 - 0.02, h, 0), 0.018),
        rod("primary", (length / 2 - 0.02, h, -0.22), (length / 2 - 0.02, h, 0.22), 0.014),
        *[cyl("detail", 0.02, 0.08, at=(length / 2 - 0.02, h, s * 0.22), rot=(90, 0, 0) if s < 0 else (-90, 0, 0)) for s in (-1, 1)],
    ]


@family("airplane", "airplanes, aeroplane, aeroplanes, plane, planes, jet, jets, airliner, jumbo jet, aircraft, fighter jet, propeller plane, biplane, seaplane, paper plane, paper airplane, glider",
        {"primary": "paint:white", "secondary": "paint:blue", "glass": "window", "detail": "rubber", "metal": "steel"},
        kinds=[kind("jet", nouns="jet, jets, airliner, jumbo jet, passenger plane, jet plane, jet airplane, jetliner", words_="jet, passenger, commercial, airline, jumbo"),
               kind("propeller", nouns="propeller plane, prop plane, cessna, biplane, seaplane, crop duster", words_="propeller, prop, small, light, vintage, old, bi", slots={"primary": "paint:red", "secondary": "paint:white"}),
               kind("fighter", nouns="fighter jet, fighter plane, warplane, fighter", words_="fighter, military, war, air force", slots={"primary": "paint:grey", "secondary": "paint:grey"}),
               kind("paper", nouns="paper plane, paper airplane, paper aeroplane", words_="paper, origami", slots={"primary": "paper", "secondary": "paper"})],
        part_words={"wings": "secondary", "tail": "secondary", "fuselage": "primary", "windows": "glass", "propeller": "metal"})
def airplane(k: Knobs, kind: str) -> list[Part]:
    if kind == "paper":
        s = k.u(0.25, 0.32)
        return [extrude("primary", [(0, 0), (s, 0.0), (0, s * 0.35)], 0.004, at=(0, 0.08, 0.0), rot=(-90 + a, 0, 0)) for a in (-12, 12)] + \
               [extrude("primary", [(0, 0), (s, 0), (0, -0.06)], 0.004, at=(0, 0.08, 0), rot=(0, 0, 0))]
    if kind == "propeller":
        length, span = k.u(6, 8), k.u(8, 11)
        biplane = k.chance(0.35)
        parts = [lathe("primary", [(0, 0, 1), (0.25, 0.2), (0.55, 1.0), (0.6, length * 0.45), (0.3, length * 0.9), (0.1, length, 1), (0, length, 1)], at=(length * 0.4, 1.2, 0), rot=(0, 0, 90)),
                 sphere("glass", 0.45, at=(length * 0.15, 1.7, 0), scale=(1.4, 0.8, 0.9)),
                 box("secondary", (1.4, 0.12, span), at=(length * 0.1, 1.1, 0)),
                 box("secondary", (0.9, 0.08, 3.0), at=(-length * 0.5, 1.25, 0)),
                 extrude("secondary", [(0, 0, 1), (1.0, 0, 1), (0.3, 1.3, 1), (0, 1.3, 1)], 0.08, at=(-length * 0.55, 1.25, 0)),
                 cone("metal", 0.2, 0.35, at=(length * 0.4, 1.2, 0), rot=(0, 0, -90)),
                 *[box("metal", (0.06, 2.2, 0.2), at=(length * 0.4 + 0.1, 1.2, 0), rot=(a, 0, 0)) for a in (0, 90)],
                 *axle_wheels("detail", "metal", 0.3, 0.15, (length * 0.15,), 1.6), *[rod("metal", (length * 0.15, 0.3, s * 0.8), (length * 0.15, 1.0, s * 0.3), 0.04) for s in (-1, 1)]]
        if biplane:
            parts += [box("secondary", (1.4, 0.12, span * 0.9), at=(length * 0.1, 2.4, 0)), *[rod("metal", (length * 0.1, 1.1, s * span * 0.35), (length * 0.1, 2.4, s * span * 0.35), 0.04) for s in (-1, 1)]]
        return parts
    if kind == "fighter":
        length = k.u(12, 15)
        return [lathe("primary", [(0, 0, 1), (0.4, length * 0.1), (0.9, length * 0.4), (0.9, length * 0.85), (0.6, length, 1), (0, length, 1)], at=(length * 0.5, 1.5, 0), rot=(0, 0, 90)),
                sphere("glass", 0.6, at=(length * 0.2, 2.2, 0), scale=(2.5, 0.8, 0.8)),
                extrude("secondary", [(length * 0.1, 0), (-length * 0.3, length * 0.4), (-length * 0.38, length * 0.4), (-length * 0.3, 0)], 0.15, at=(0, 1.5, 0), rot=(90, 0, 0)),
                extrude("secondary", [(length * 0.1, 0), (-length * 0.3, -length * 0.4), (-length * 0.38, -length * 0.4), (-length * 0.3, 0)], 0.15, at=(0, 1.5, 0), rot=(90, 0, 0)),
                *[extrude("secondary", [(0, 0, 1), (2.5, 0, 1), (0.5, 2.5, 1), (-0.3, 2.5, 1)], 0.1, at=(-length * 0.45, 2.0, s * 0.8), rot=(-s * 15, 0, 0)) for s in (-1, 1)],
                *axle_wheels("detail", "metal", 0.35, 0.2, (0.0, length * 0.35), 2.0)]
    length, span = k.u(28, 36), k.u(26, 34)
    r = length * k.u(0.05, 0.06)
    engines = k.pick([2, 2, 4])
    parts = [
        lathe("primary", [(0, 0, 1), (r * 0.6, r * 0.4), (r, r * 2.2), (r, length * 0.75), (r * 0.4, length * 0.97), (0, length, 1)], at=(length * 0.45, r + 1.6, 0), rot=(0, 0, 90)),
        extrude("secondary", [(r, 0), (-length * 0.12, span / 2), (-length * 0.18, span / 2), (-length * 0.12, 0)], 0.4, at=(0, r + 1.0, 0), rot=(90, 0, 0)),
        extrude("secondary", [(r, 0), (-length * 0.12, -span / 2), (-length * 0.18, -span / 2), (-length * 0.12, 0)], 0.4, at=(0, r + 1.0, 0), rot=(90, 0, 0)),
        extrude("secondary", [(0, 0, 1), (4.0, 0, 1), (0.5, 5.5, 1), (-1.0, 5.5, 1)], 0.3, at=(-length * 0.5, r * 2.0 + 1.4, 0)),
        box("secondary", (3.0, 0.25, 10.0), at=(-length * 0.47, r * 1.6 + 1.6, 0)),
        *[box("glass", (0.5, 0.45, 0.05), at=(length * 0.3 - 1.2 * i, r * 1.35 + 1.6, s * r * 0.98)) for i in range(int(length * 0.6 / 1.2)) for s in (-1, 1)],
        extrude("glass", [(0, 0), (1.0, -0.4), (1.2, 0.1), (0.3, 0.5)], r * 1.2, at=(length * 0.42, r * 1.5 + 1.6, 0)),
        *axle_wheels("detail", "metal", 0.6, 0.5, (-length * 0.05, length * 0.35), 4.0),
    ]
    for i in range(engines // 2):
        for s in (-1, 1):
            z = s * span * (0.18 + 0.15 * i)
            parts += [cyl("primary", 1.1, 3.5, at=(length * 0.02 - 1.6 * i + 1.8, r + 0.2, z), rot=(0, 0, 90), r_top=0.95), rod("secondary", (length * 0.02 - 1.6 * i, r + 0.6, z), (length * 0.02 - 1.6 * i - 1, r + 1.1, z), 0.3)]
    return parts


@family("helicopter", "helicopters, chopper, choppers, heli, helicopter gunship", {"primary": "paint:red", "secondary": "iron:black", "glass": "glass:sky", "metal": "steel"},
        part_words={"rotor": "secondary", "blades": "secondary", "skids": "metal", "cockpit": "glass"})
def helicopter(k: Knobs, kind: str) -> list[Part]:
    length = k.u(3.5, 4.5)
    blades = k.i(2, 5)
    spin = k.u(0, 90)
    rotor = k.u(4.5, 5.5)
    parts = [
        sphere("primary", 1.1, at=(0, 1.5, 0), scale=(1.3, 1.0, 0.9)),
        sphere("glass", 0.95, at=(0.55, 1.55, 0), scale=(0.9, 0.85, 0.85)),
        cyl("primary", 0.3, length, at=(-0.8, 1.7, 0), rot=(0, 0, 90), r_top=0.15),
        extrude("primary", [(0, 0, 1), (0.6, 0, 1), (0.2, 1.0, 1), (-0.2, 1.0, 1)], 0.08, at=(-0.8 - length, 1.65, 0)),
        cyl("secondary", 0.25, 0.08, at=(-0.6 - length, 2.1, 0.06), rot=(90, 0, 0)),  # tail rotor
        cyl("secondary", 0.12, 0.5, at=(0, 2.5, 0)),
        *[box("secondary", (rotor, 0.05, 0.25), at=(rotor / 2 * cos(radians(spin + 360 * i / blades)), 3.0, -rotor / 2 * sin(radians(spin + 360 * i / blades))), rot=(0, spin + 360 * i / blades, 0)) for i in range(blades)],
        *[rod("metal", (-1.2, 0.08, s * 0.7), (1.2, 0.08, s * 0.7), 0.06) for s in (-1, 1)],
        *[rod("metal", (x, 0.08, s * 0.7), (x * 0.6, 0.8, s * 0.4), 0.05) for x in (-0.6, 0.6) for s in (-1, 1)],
    ]
    return parts


@family("boat", "boats, ship, ships, sailboat, sailing ship, sailing boat, yacht, rowboat, rowing boat, canoe, vessel, galleon, dinghy, pirate ship, speedboat, motorboat, kayak boat, fishing boat, tugboat",
        {"primary": "wood", "secondary": "fabric:white", "accent": "dark wood", "metal": "steel", "glass": "window", "stripe": "paint:white"},
        kinds=[kind("sail", nouns="sailboat, sailing boat, sailing ship, yacht, sloop, catamaran", words_="sail, sailing, sails, sailboat, mast"),
               kind("rowing", nouns="rowboat, rowing boat, row boat, dinghy, skiff, canoe, punt", words_="rowing, row, oars, wooden, fishing, small, canoe"),
               kind("speed", nouns="speedboat, speed boat, motorboat, motor boat, powerboat, jet ski, racing boat", words_="speed, motor, fast, racing, power, outboard",
                    slots={"primary": "paint:white", "accent": "paint:red", "stripe": "paint:red"}),
               kind("galleon", nouns="galleon, pirate ship, frigate, man of war, tall ship", words_="pirate, galleon, tall, frigate, spanish, viking", slots={"secondary": "fabric:beige"}),
               kind("tug", nouns="tugboat, tug boat, tug, fishing trawler, trawler, ferry", words_="tug, trawler, ferry", slots={"primary": "paint:red", "accent": "paint:white"})],
        part_words={"sails": "secondary", "sail": "secondary", "hull": "primary", "mast": "accent", "oars": "accent", "deck": "accent", "cabin": "stripe"})
def boat(k: Knobs, kind: str) -> list[Part]:
    def hull(length: float, beam: float, depth: float, at_y: float = 0.0) -> list[Part]:
        return [hemi("primary", 1.0, at=(0, depth + at_y, 0), rot=(180, 0, 0), scale=(length / 2, depth, beam / 2))]

    if kind == "rowing":
        length, beam = k.u(3.0, 4.0), k.u(1.1, 1.4)
        d = 0.5
        parts = [*hull(length, beam, d), lathe("accent", [(0.95, 0, 1), (1.0, 0, 1), (1.0, 0.05, 1), (0.95, 0.05, 1)], at=(0, d, 0), closed=True, scale=(length / 2, 1, beam / 2))]
        parts += [box("accent", (0.25, 0.04, beam * 0.85), at=(x, d * 0.75, 0)) for x in (-length * 0.2, length * 0.12)]
        oars = k.chance(0.85)
        if oars:
            for s in (-1, 1):
                a = (0.0, d + 0.05, s * beam * 0.45)
                b = (-length * 0.1, 0.05, s * (beam * 0.45 + 1.7))
                parts += [rod("accent", a, b, 0.025), slab("accent", (b[0] * 0.9, b[1] + 0.08, b[2] - s * 0.3), (b[0] * 1.1, b[1] - 0.02, b[2] + s * 0.25), 0.18, 0.02)]
        return parts
    if kind == "speed":
        length, beam = k.u(5.0, 6.5), k.u(1.9, 2.3)
        d = 0.7
        body = [(-length / 2, 0.1, 1), (length * 0.2, 0.1, 1), (length / 2, d + 0.2, 1), (length / 2 - 0.3, d + 0.35, 1), (-length / 2, d + 0.25, 1)]
        return [extrude("primary", body, beam, smooth=True), box("stripe", (length * 0.85, 0.15, beam + 0.01), at=(-0.1, d * 0.55, 0)),
                extrude("glass", [(0, 0, 1), (0.6, 0, 1), (0.1, 0.5, 1)], beam * 0.85, at=(length * 0.05, d + 0.3, 0)),
                box("accent", (length * 0.35, 0.2, beam * 0.8), at=(-length * 0.2, d + 0.3, 0)),
                box("metal", (0.35, 0.7, 0.3), at=(-length / 2 - 0.15, d * 0.5, 0)), cyl("metal", 0.08, 0.6, at=(-length / 2 - 0.15, -0.1, 0))]
    if kind == "tug":
        length, beam = k.u(6, 8), k.u(2.5, 3.0)
        d = 1.0
        return [*hull(length, beam, d), box("stripe", (length * 0.35, 1.3, beam * 0.7), at=(-length * 0.05, d + 0.65, 0)), box("stripe", (length * 0.25, 0.9, beam * 0.6), at=(-length * 0.05, d + 1.75, 0)),
                *[box("glass", (0.3, 0.4, 0.05), at=(-length * 0.05 + 0.5 * i - 0.5, d + 1.8, s * beam * 0.3)) for i in range(3) for s in (-1, 1)],
                cyl("accent", 0.3, 1.5, at=(-length * 0.2, d + 1.3, 0)), torus("secondary", 0.3, 0.1, at=(length * 0.2, d + 0.7, beam * 0.42), rot=(90, 0, 0))]
    if kind == "galleon":
        length, beam = k.u(9, 12), k.u(3.0, 3.6)
        d = 1.6
        masts = k.i(2, 3)
        parts = [*hull(length, beam, d), box("accent", (length * 0.25, 1.4, beam * 0.9), at=(-length * 0.35, d + 0.5, 0)), box("accent", (length * 0.15, 0.8, beam * 0.8), at=(length * 0.35, d + 0.2, 0)),
                 rod("accent", (length * 0.45, d + 0.3, 0), (length * 0.7, d + 1.2, 0), 0.08)]
        for i in range(masts):
            x = -length * 0.2 + length * 0.45 * i / max(1, masts - 1)
            mh = (6.5 if i == masts // 2 else 5.0) * k.u(0.9, 1.1)
            parts.append(cyl("accent", 0.12, mh, at=(x, d - 0.5, 0)))
            for j, frac in enumerate((0.35, 0.65)):
                sw = beam * (1.4 - 0.35 * j)
                parts += [cyl("accent", 0.06, sw, at=(x, d + mh * (frac + 0.25) - 0.5, -sw / 2), rot=(90, 0, 0)),
                          hemi("secondary", 1.0, at=(x + 0.05, d + mh * frac - 0.5, 0), rot=(0, 0, -90), scale=(mh * 0.24, 0.45, sw / 2))]
        parts.append(box("secondary", (1.0, 0.6, 0.02), at=(-length * 0.2 + 0.5, d + 7.0, 0)))  # the flag
        return parts
    length, beam = k.u(4.5, 6.0), k.u(1.6, 2.0)
    d = 0.62
    mast = k.u(5.0, 6.5)
    return [
        *hull(length, beam, d),
        box("accent", (length * 0.95, 0.06, 0.06), at=(0, d + 0.02, 0)),
        box("stripe", (length * 0.25, 0.4, beam * 0.55), at=(-length * 0.15, d + 0.2, 0)),
        cyl("accent", 0.06, mast, at=(length * 0.07, d - 0.05, 0)),
        extrude("secondary", [(0, 0, 1), (-length * 0.38, 0, 1), (0, mast * 0.85, 1)], 0.02, at=(length * 0.05, d + 0.35, 0)),
        extrude("secondary", [(0, 0, 1), (length * 0.4, 0, 1), (0, mast * 0.75, 1)], 0.02, at=(length * 0.09, d + 0.35, 0)),
        cyl("accent", 0.04, length * 0.4, at=(length * 0.07, d + 0.35, 0), rot=(0, 0, 90)),
    ]


@family("submarine", "submarines, sub, u-boat, uboat, submersible, yellow submarine", {"primary": "paint:yellow", "secondary": "paint:yellow", "glass": "glass:sky", "metal": "steel"},
        part_words={"tower": "secondary", "periscope": "metal", "windows": "glass", "propeller": "metal"})
def submarine(k: Knobs, kind: str) -> list[Part]:
    length, r = k.u(6, 9), k.u(0.8, 1.1)
    portholes = k.i(3, 6)
    return [
        capsule("primary", r, length, at=(-length / 2, r, 0), rot=(0, 0, -90)),
        rbox("secondary", (length * 0.22, r * 0.9, r * 0.7), 0.2, at=(length * 0.05, r * 2.2, 0)),
        rod("metal", (length * 0.1, r * 2.6, 0), (length * 0.1, r * 3.4, 0), 0.06), rod("metal", (length * 0.1, r * 3.4, 0), (length * 0.1 + 0.35, r * 3.4, 0), 0.06),
        *[torus("metal", r * 0.22, 0.05, at=(-length * 0.25 + length * 0.5 * i / max(1, portholes - 1), r * 1.05, r * 0.96), rot=(90, 0, 0)) for i in range(portholes)],
        *[cyl("glass", r * 0.2, 0.05, at=(-length * 0.25 + length * 0.5 * i / max(1, portholes - 1), r * 1.05, r * 0.93), rot=(90, 0, 0)) for i in range(portholes)],
        *[box("secondary", (0.8, 0.1, r * 1.2), at=(-length / 2 + 0.3, r, s * r * 0.9)) for s in (-1, 1)],
        box("secondary", (0.8, r * 1.4, 0.1), at=(-length / 2 + 0.3, r, 0)),
        *[box("metal", (0.06, r * 0.8, 0.2), at=(-length / 2 - 0.15, r, 0), rot=(a, 0, 0)) for a in (0, 60, 120)],
    ]


@family("hot air balloon", "hot air balloons, hot-air balloon, air balloon, montgolfier", {"primary": "fabric:red", "secondary": "fabric:yellow", "basket": "wicker", "metal": "steel", "flame": "flame"},
        part_words={"basket": "basket", "envelope": "primary", "stripes": "secondary"})
def hot_air_balloon(k: Knobs, kind: str) -> list[Part]:
    r = k.u(4.5, 6.0)
    gores = k.pick([8, 10, 12])
    y = 2.0 + r * 1.6
    prof = [(r * 0.25, -r * 1.25, 1), (r * 0.45, -r * 0.95), (r * 0.85, -r * 0.45), (r, 0), (r * 0.85, r * 0.55), (r * 0.45, r * 0.9), (0, r, 1)]
    parts = [lathe("primary" if i % 2 == 0 else "secondary", prof, at=(0, y, 0), sweep=360 / gores, rot=(0, 360 * i / gores, 0)) for i in range(gores)]
    parts += [box("basket", (1.2, 1.0, 1.2), at=(0, 0.5, 0)), lathe("flame", [(0, 0, 1), (0.2, 0.3), (0, 0.9, 1)], at=(0, 1.6, 0))]
    parts += [rod("metal", (x * 0.55, 1.0, z * 0.55), (x * r * 0.25, y - r * 1.25, z * r * 0.25), 0.02) for x, _, z, _ in around(4, 1.0, 0, 45)]
    return parts


@family("tank", "tanks, army tank, battle tank, panzer, military tank, armoured tank, armored tank", {"primary": "paint:olive", "secondary": "paint:olive", "detail": "rubber", "metal": "iron"},
        part_words={"turret": "secondary", "barrel": "metal", "cannon": "metal", "tracks": "detail", "treads": "detail"})
def tank(k: Knobs, kind: str) -> list[Part]:
    length, w = k.u(6.5, 8.0), k.u(3.2, 3.6)
    turret = k.u(1.2, 1.5)
    aim_ = k.u(-25, 25)
    barrel = k.u(4, 5.5)
    parts = [
        extrude("primary", [(-length / 2, 0.7, 1), (length / 2, 0.7, 1), (length / 2 + 0.4, 1.3, 1), (length / 2 - 0.2, 1.8, 1), (-length / 2, 1.8, 1)], w * 0.7),
        *[capsule("detail", 0.55, length + 0.6, at=(-length / 2 - 0.3, 0.55, s * w * 0.38), rot=(0, 0, -90), scale=(1, 1, 0.8)) for s in (-1, 1)],
        *[box("primary", (length + 0.4, 0.1, w * 0.3), at=(0, 1.15, s * w * 0.38)) for s in (-1, 1)],
        lathe("secondary", [(0, 0, 1), (turret * 1.15, 0, 1), (turret, 0.7, 1), (0, 0.8, 1)], at=(-0.3, 1.8, 0), segments=8, rot=(0, 22.5, 0), scale=(1.25, 1, 1)),
        rod("metal", (-0.3 + turret * 0.8 * cos(radians(aim_)), 2.2, -turret * 0.8 * sin(radians(aim_))), (-0.3 + (turret + barrel) * cos(radians(aim_)), 2.35, -(turret + barrel) * sin(radians(aim_))), 0.14),
        cyl("secondary", 0.35, 0.3, at=(-0.8, 2.55, 0.3)),
    ]
    parts += [cyl("metal", 0.35, 0.25, at=(-length / 2 + 0.6 + (length - 1.2) * i / 5, 0.55, s * (w * 0.38 + 0.3)), rot=(90, 0, 0)) for i in range(6) for s in (-1, 1)]
    return parts


@family("ufo", "ufos, flying saucer, flying saucers, alien spaceship, alien ship, spaceship ufo, mothership", {"primary": "chrome", "glass": "glass:lime", "accent": "light:cyan", "secondary": "steel"},
        part_words={"dome": "glass", "lights": "accent"})
def ufo(k: Knobs, kind: str) -> list[Part]:
    r = k.u(2.0, 2.8)
    lights = k.i(6, 12)
    y = k.u(0.6, 1.0)
    return [
        lathe("primary", [(0, -0.3, 1), (r * 0.5, -0.25), (r, 0.05, 1), (r * 0.6, 0.35), (0, 0.4, 1)], at=(0, y, 0)),
        hemi("glass", r * 0.4, at=(0, y + 0.3, 0), scale=(1, 0.9, 1)),
        *[sphere("accent", 0.1, at=(x, y + 0.05, z)) for x, _, z, _ in around(lights, r * 0.93, 0)],
        *[rod("secondary", (x * r * 0.35, y - 0.2, z * r * 0.35), (x * r * 0.55, 0, z * r * 0.55), 0.05) for x, _, z, _ in around(3, 1.0, 0)],
        cyl("accent", r * 0.25, 0.1, at=(0, y - 0.38, 0)),
    ]


@family("cart", "carts, wagon, wagons, horse cart, hand cart, handcart, covered wagon, pushcart, cart wheel, carriage, stagecoach, chariot", {"primary": "wood", "secondary": "dark wood", "metal": "iron", "cover": "fabric:beige"},
        kinds=[kind("cart", words_="hand, horse, farm, wooden, hay"), kind("covered", nouns="covered wagon, prairie wagon, conestoga, stagecoach", words_="covered, wild west, pioneer, prairie")],
        part_words={"wheels": "secondary", "cover": "cover", "canvas": "cover"})
def cart(k: Knobs, kind: str) -> list[Part]:
    length, w = k.u(2.0, 2.8), k.u(1.2, 1.5)
    r = k.u(0.45, 0.6)
    wheels4 = kind == "covered" or k.chance(0.6)
    y = r + 0.15
    parts = [box("primary", (length, 0.08, w), at=(0, y, 0)),
             *[box("primary", (length, 0.4, 0.06), at=(0, y + 0.2, s * w / 2)) for s in (-1, 1)],
             *[box("primary", (0.06, 0.4, w), at=(s * length / 2, y + 0.2, 0)) for s in (-1, 1)],
             *[rod("secondary", (length / 2, y, s * 0.3), (length / 2 + 1.8, y - 0.2, s * 0.45), 0.04) for s in (-1, 1)]]
    xs = (-length * 0.3, length * 0.3) if wheels4 else (0.0,)
    parts += [w_ for x in xs for z in (-w / 2 - 0.08, w / 2 + 0.08) for w_ in wheel("secondary", "secondary", r, 0.1, (x, r, z), spokes=k.pick([6, 8]) if x == xs[0] else 8)]
    parts += [torus("metal", r, 0.02, at=(x, r, z), rot=(90, 0, 0)) for x in xs for z in (-w / 2 - 0.08, w / 2 + 0.08)]
    if kind == "covered":
        parts += [hemi("cover", 1.0, at=(0, y + 0.4, 0), rot=(0, 0, 0), scale=(length * 0.55, 1.3, w * 0.55))]
    return parts


@family("rocket", "rockets, spaceship, space ship, spacecraft, missile, rocketship, rocket ship, space rocket, shuttle, space shuttle, starship",
        {"primary": "paint:white", "accent": "paint:red", "metal": "steel", "glass": "glass:sky", "flame": "flame"},
        part_words={"fins": "accent", "nose": "accent", "window": "glass", "nozzle": "metal", "body": "primary"})
def rocket(k: Knobs, kind: str) -> list[Part]:
    r, h = k.u(0.28, 0.36), k.u(1.6, 2.2)
    fins = k.pick([3, 4, 4])
    nose = r * k.u(2.0, 3.0)
    parts = [
        lathe("primary", [(0, 0, 1), (r * 0.9, 0, 1), (r, h * 0.15), (r, h * 0.8), (r * 0.95, h, 1), (0, h, 1)]),
        lathe("accent", [(0, h, 1), (r * 0.95, h, 1), (r * 0.75, h + nose * 0.3), (r * 0.4, h + nose * 0.7), (0, h + nose, 1)]),
        lathe("metal", [(0, 0, 1), (r * 0.5, 0, 1), (r * 0.75, -r * 0.8, 1), (r * 0.65, -r * 0.8, 1), (r * 0.4, -0.04, 1), (0, -0.04, 1)]),
        torus("metal", r * 0.3, r * 0.06, at=(0, h * 0.7, r * 0.98), rot=(90, 0, 0)),
        cyl("glass", r * 0.3, 0.02, at=(0, h * 0.7, r * 0.92), rot=(90, 0, 0)),
    ]
    for i in range(fins):
        a = 360 * i / fins + 90
        parts.append(extrude("accent", [(0, 0, 1), (r * 1.2, -r * 0.7, 1), (r * 1.2, r * 0.25, 1), (0, r * 1.8, 1)], r * 0.15,
                             at=(r * 0.9 * sin(radians(a)), 0.1, r * 0.9 * cos(radians(a))), rot=(0, a - 90, 0)))
    if k.chance(0.4):
        parts.append(lathe("flame", [(0, 0, 1), (r * 0.55, 0, 1), (r * 0.3, -r * 1.6), (0, -r * 2.6, 1)], at=(0, -r * 0.8, 0)))
    return parts
