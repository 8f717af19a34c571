"""Characters: one toy-figure builder (legs, body, arms, head) dressed per character — a knight's helm and shield,
a wizard's hat, robe and staff, a king's crown and cape — plus robots, snowmen, ghosts and skeletons."""

# ruff: noqa: E501
# fmt: off

from __future__ import annotations

from math import radians, sin

from app.engines.local.parts import Part, blob, box, capsule, cone, cyl, extrude, hemi, lathe, rbox, sphere, torus, tube
from app.engines.local.recipes.model import Knobs, family, kind
from app.engines.local.recipes.shapes import around, rod

_FIGURE_WORDS = {"shirt": "primary", "top": "primary", "clothes": "primary", "robe": "primary", "cloak": "cape", "cape": "cape", "trousers": "legs", "pants": "legs",
                 "legs": "legs", "skin": "skin", "hair": "hair", "hat": "hat", "boots": "boots", "shoes": "boots", "beard": "hair", "armor": "primary", "armour": "primary"}
_FIGURE_SLOTS = {"primary": "fabric:blue", "legs": "fabric:navy", "skin": "skin", "hair": "fabric:brown", "boots": "leather:black", "eyes": "obsidian", "hat": "fabric:brown",
                 "cape": "fabric:red", "accent": "gold", "metal": "steel", "wood": "wood"}


def figure(k: Knobs, h: float = 1.75, robe: bool = False, hair: bool = True, arms_up: float = 0.0) -> tuple[list[Part], dict[str, tuple[float, float, float]]]:
    """A standing figure `h` tall facing +x; returns its parts and anchors (head top, hands, back, belt)."""
    h *= k.u(0.94, 1.06)
    u = h / 1.75
    hip, shoulder, head_r = 0.85 * u, 1.42 * u, 0.12 * u * k.u(0.95, 1.1)
    width = 0.2 * u * k.u(0.9, 1.15)
    parts: list[Part] = []
    if robe:
        parts.append(lathe("primary", [(0, 0, 1), (width * 1.5, 0, 1), (width * 1.1, hip), (width * 1.05, shoulder - 0.05 * u), (width * 0.6, shoulder + 0.02 * u, 1), (0, shoulder + 0.02 * u, 1)], scale=(0.8, 1, 1)))
    else:
        parts += [capsule("legs", 0.065 * u, hip + 0.05 * u, at=(0, 0.04 * u, s * width * 0.48)) for s in (-1, 1)]
        parts += [rbox("boots", (0.2 * u, 0.08 * u, 0.1 * u), 0.025 * u, at=(0.04 * u, 0.04 * u, s * width * 0.48)) for s in (-1, 1)]
        parts.append(rbox("primary", (0.24 * u, shoulder - hip + 0.08 * u, width * 2.0), 0.07 * u, at=(0, (hip + shoulder) / 2, 0)))
    hand = []
    for s in (-1, 1):
        up = arms_up if s > 0 else 0.0
        a = (0, shoulder - 0.04 * u, s * (width + 0.06 * u))
        b = (0.05 * u + 0.25 * u * sin(radians(up)), shoulder - 0.6 * u + 0.6 * u * (1 - abs(sin(radians(90 - up)))) * 1.0, s * (width + 0.1 * u))
        parts.append(rod("primary", a, b, 0.05 * u, 0.045 * u))
        parts.append(sphere("skin", 0.05 * u, at=b))
        hand.append(b)
    hy = shoulder + 0.06 * u + head_r
    parts += [cyl("skin", 0.05 * u, 0.08 * u, at=(0, shoulder - 0.02 * u, 0)), sphere("skin", head_r, at=(0, hy, 0))]
    parts += [sphere("eyes", head_r * 0.12, at=(head_r * 0.9, hy + head_r * 0.15, s * head_r * 0.35)) for s in (-1, 1)]
    if hair:
        parts.append(hemi("hair", head_r * 1.05, at=(-head_r * 0.1, hy, 0), rot=(0, 0, 20)))
    anchors = {"head": (0.0, hy + head_r, 0.0), "head_c": (0.0, hy, 0.0), "head_r": (head_r, 0.0, 0.0), "right": hand[1], "left": hand[0],
               "back": (-0.12 * u, shoulder, 0.0), "belt": (0.0, hip + 0.05 * u, 0.0), "u": (u, 0.0, 0.0), "width": (width, 0.0, 0.0)}
    return parts, anchors


@family("person", "people, man, men, woman, women, human, humans, boy, girl, child, kid, figure, character, guy, lady, villager, farmer, soldier, chef, doctor, policeman, firefighter, zombie, npc, adventurer",
        _FIGURE_SLOTS,
        kinds=[kind("person"), kind("soldier", nouns="soldier, soldiers, army man, toy soldier", slots={"primary": "fabric:olive", "legs": "fabric:olive", "hat": "paint:olive"}),
               kind("chef", nouns="chef, cook, baker", slots={"primary": "fabric:white", "hat": "fabric:white", "legs": "fabric:black"}),
               kind("zombie", nouns="zombie, zombies, undead, ghoul", slots={"skin": "skin:olive", "primary": "fabric:grey", "legs": "fabric:brown"})],
        part_words=_FIGURE_WORDS)
def person(k: Knobs, kind: str) -> list[Part]:
    child = k.chance(0.2) and kind == "person"
    parts, at = figure(k, h=1.2 if child else 1.75, arms_up=70 if kind == "zombie" else 0)
    r, (x, y, z) = at["head_r"][0], at["head_c"]
    if kind == "soldier":
        parts.append(hemi("hat", r * 1.2, at=(x, y + r * 0.2, z), scale=(1, 0.8, 1)))
    elif kind == "chef":
        parts += [cyl("hat", r * 0.9, r * 0.5, at=(x, y + r * 0.7, z)), sphere("hat", r * 1.0, at=(x, y + r * 1.5, z), scale=(1, 0.7, 1))]
    elif kind == "zombie":
        parts = [p for p in parts if p.slot != "hair"]
    return parts


@family("knight", "knights, paladin, crusader, templar, armored knight, armoured knight, warrior, medieval knight", _FIGURE_SLOTS | {"primary": "steel", "legs": "steel", "boots": "steel", "cape": "fabric:red", "hat": "steel", "shield": "paint:blue", "emblem": "paint:yellow"},
        part_words=_FIGURE_WORDS | {"helmet": "hat", "shield": "shield", "sword": "metal"})
def knight(k: Knobs, kind: str) -> list[Part]:
    parts, at = figure(k, hair=False)
    r, (x, y, z), u = at["head_r"][0], at["head_c"], at["u"][0]
    parts += [cyl("hat", r * 1.1, r * 2.1, at=(x, y - r * 1.0, z)), hemi("hat", r * 1.1, at=(x, y + r * 1.1, z)), box("eyes", (0.01, r * 0.15, r * 1.4), at=(x + r * 1.1, y + r * 0.2, z))]
    if k.feature(0.7, "cape", "cloak"):
        parts.append(extrude("cape", [(-0.07, 0), (-0.04, 0), (0.02, 1.35 * u), (-0.01, 1.35 * u)], 0.4 * u, at=(-0.14 * u, 0.05 * u, 0)))
    hx, hy, hz = at["left"]
    outline = [(0, 0), (0.17 * u, 0.18 * u), (0.2 * u, 0.45 * u), (-0.2 * u, 0.45 * u), (-0.17 * u, 0.18 * u)]
    parts += [extrude("shield", outline, 0.04 * u, at=(hx + 0.05 * u, hy - 0.22 * u, hz - 0.06 * u), rot=(0, 90, 0), smooth=True),
              box("emblem", (0.03 * u, 0.3 * u, 0.06 * u), at=(hx + 0.06 * u, hy + 0.0, hz - 0.09 * u)), box("emblem", (0.03 * u, 0.06 * u, 0.25 * u), at=(hx + 0.06 * u, hy + 0.05 * u, hz - 0.09 * u))]
    sx, sy, sz = at["right"]
    parts += [rod("metal", (sx + 0.02, sy, sz), (sx + 0.25 * u, sy + 0.85 * u, sz), 0.02 * u), box("accent", (0.04 * u, 0.04 * u, 0.22 * u), at=(sx + 0.02, sy + 0.02, sz))]
    return parts


@family("wizard", "wizards, mage, magician, sorcerer, warlock, witch, witches, sorceress, gandalf, merlin, enchanter, druid", _FIGURE_SLOTS | {"primary": "fabric:indigo", "hat": "fabric:indigo", "hair": "fabric:white", "accent": "crystal:cyan", "star": "gold"},
        kinds=[kind("wizard"), kind("witch", nouns="witch, witches, sorceress", slots={"primary": "fabric:black", "hat": "fabric:black", "hair": "fabric:orange", "skin": "skin:lime"})],
        part_words=_FIGURE_WORDS | {"staff": "wood", "orb": "accent", "stars": "star"})
def wizard(k: Knobs, kind: str) -> list[Part]:
    parts, at = figure(k, robe=True)
    r, (x, y, z), u = at["head_r"][0], at["head_c"], at["u"][0]
    tall = k.u(2.5, 3.5)
    parts += [cyl("hat", r * 2.2, 0.02 * u, at=(x, y + r * 0.55, z)), lathe("hat", [(0, 0, 1), (r * 1.15, 0, 1), (r * 0.5, r * tall * 0.6), (0, r * tall, 1)], at=(x, y + r * 0.55, z), rot=(0, 0, k.u(-15, 0)))]
    if kind == "wizard":
        parts.append(lathe("hair", [(0, 0, 1), (r * 0.8, 0, 1), (r * 0.4, -r * 2.2), (0, -r * 2.8, 1)], at=(x + r * 0.6, y - r * 0.35, z), scale=(0.6, 1, 1)))
        parts += [lathe("star", [(0, 0, 1), (r * 0.2, 0, 1), (0, r * 0.3, 1)], at=(x + r * 0.8 * sin(radians(a)), y + r * (1.2 + 0.4 * (a % 3)), z + r * 0.6), segments=5) for a in (0, 1, 2)]
    sx, _sy, sz = at["right"]
    parts += [rod("wood", (sx + 0.02, 0.0, sz), (sx + 0.02, 1.9 * u, sz), 0.022 * u), sphere("accent", 0.06 * u, at=(sx + 0.02, 1.97 * u, sz))]
    return parts


@family("king", "kings, queen, queens, prince, princes, princess, princesses, monarch, emperor, empress, royalty, royal", _FIGURE_SLOTS | {"primary": "fabric:red", "cape": "fabric:purple", "accent": "gold", "gem": "gem:sapphire", "fur": "fur:white"},
        kinds=[kind("king", nouns="king, kings, prince, emperor, monarch"), kind("queen", nouns="queen, queens, princess, princesses, empress", slots={"primary": "fabric:pink", "cape": "fabric:purple", "hair": "fabric:yellow"})],
        part_words=_FIGURE_WORDS | {"crown": "accent", "jewels": "gem", "scepter": "accent", "sceptre": "accent"})
def king(k: Knobs, kind: str) -> list[Part]:
    parts, at = figure(k, robe=kind == "queen")
    r, (x, y, z), u = at["head_r"][0], at["head_c"], at["u"][0]
    points = k.i(5, 8)
    parts += [lathe("accent", [(r * 0.85, 0, 1), (r * 0.95, 0, 1), (r * 0.95, r * 0.35, 1), (r * 0.85, r * 0.35, 1)], at=(x, y + r * 0.55, z), closed=True),
              *[cone("accent", r * 0.14, r * 0.4, at=(x + px, y + r * 0.85, z + pz)) for px, _, pz, _ in around(points, r * 0.9, 0)],
              *[sphere("gem", r * 0.09, at=(x + px, y + r * 0.72, z + pz)) for px, _, pz, _ in around(points, r * 0.97, 0, 180 / points)]]
    parts.append(extrude("cape", [(-0.08, 0), (-0.05, 0), (0.02, 1.38 * u), (-0.01, 1.38 * u)], 0.55 * u, at=(-0.16 * u, 0.02, 0)))
    parts.append(torus("fur", 0.2 * u, 0.04 * u, at=(-0.02, 1.42 * u, 0), scale=(0.7, 1, 1)))
    sx, sy, sz = at["right"]
    parts += [rod("accent", (sx, sy - 0.1 * u, sz), (sx + 0.1 * u, sy + 0.5 * u, sz), 0.015 * u), sphere("gem", 0.04 * u, at=(sx + 0.1 * u, sy + 0.53 * u, sz))]
    return parts


@family("pirate", "pirates, pirate captain, buccaneer, corsair, captain hook, sea captain, sailor, sailors", _FIGURE_SLOTS | {"primary": "fabric:white", "legs": "fabric:black", "hat": "fabric:black", "cape": "fabric:red", "accent": "gold", "metal": "steel"},
        part_words=_FIGURE_WORDS | {"sword": "metal", "sash": "cape", "eyepatch": "eyes"})
def pirate(k: Knobs, kind: str) -> list[Part]:
    parts, at = figure(k)
    r, (x, y, z), u = at["head_r"][0], at["head_c"], at["u"][0]
    parts += [extrude("hat", [(-r * 1.6, 0), (r * 1.6, 0), (r * 1.1, r * 0.7), (0, r * 0.9), (-r * 1.1, r * 0.7)], r * 1.5, at=(x, y + r * 0.5, z), smooth=True),
              box("eyes", (0.01, r * 0.35, r * 0.4), at=(x + r * 0.95, y + r * 0.15, z + r * 0.35)), torus("eyes", r * 1.0, r * 0.03, at=(x, y + r * 0.2, z), rot=(0, 0, 10)),
              torus("cape", 0.2 * u, 0.035 * u, at=(0, at["belt"][1], 0), scale=(0.65, 1, 1))]
    if k.chance(0.6):
        parts += [capsule("wood", 0.035 * u, 0.45 * u, at=(0, 0.0, -at["width"][0] * 0.48))]
    sx, sy, sz = at["right"]
    parts += [tube("metal", [(sx + 0.03, sy, sz), (sx + 0.3 * u, sy + 0.3 * u, sz), (sx + 0.45 * u, sy + 0.75 * u, sz)], 0.012 * u), box("accent", (0.05 * u, 0.04 * u, 0.16 * u), at=(sx + 0.03, sy, sz))]
    return parts


@family("astronaut", "astronauts, spaceman, space man, cosmonaut, spacesuit, space suit, space explorer", _FIGURE_SLOTS | {"primary": "fabric:white", "legs": "fabric:white", "boots": "paint:grey", "visor": "gold", "accent": "paint:orange", "pack": "paint:grey"},
        part_words=_FIGURE_WORDS | {"visor": "visor", "helmet": "primary", "backpack": "pack"})
def astronaut(k: Knobs, kind: str) -> list[Part]:
    parts, at = figure(k, hair=False)
    r, (x, y, z), u = at["head_r"][0], at["head_c"], at["u"][0]
    parts += [sphere("primary", r * 1.55, at=(x, y, z)), sphere("visor", r * 1.2, at=(x + r * 0.55, y + r * 0.05, z), scale=(0.6, 0.85, 1.0)),
              rbox("pack", (0.18 * u, 0.45 * u, 0.32 * u), 0.04 * u, at=(-0.2 * u, 1.15 * u, 0)), box("accent", (0.02 * u, 0.1 * u, 0.14 * u), at=(0.13 * u, 1.25 * u, 0.05 * u))]
    return parts


@family("ghost", "ghosts, spook, spirit, phantom, specter, spectre, poltergeist, apparition, boo", {"primary": "fabric:white", "eyes": "obsidian", "mouth": "obsidian"}, part_words={"sheet": "primary", "eyes": "eyes"})
def ghost(k: Knobs, kind: str) -> list[Part]:
    r, h = k.u(0.3, 0.4), k.u(1.0, 1.3)
    frills = k.i(5, 8)
    parts = [lathe("primary", [(r * 1.05, 0.1, 1), (r, h * 0.5), (r * 0.95, h - r * 0.6), (r * 0.6, h - r * 0.1), (0, h, 1)])]
    parts += [sphere("primary", r * 0.3, at=(x, 0.1, z), scale=(1, 0.6, 1)) for x, _, z, _ in around(frills, r * 0.85, 0)]
    parts += [sphere("eyes", r * 0.14, at=(r * 0.82, h * 0.72, s * r * 0.3), scale=(0.5, 1.3, 1)) for s in (-1, 1)]
    parts.append(sphere("mouth", r * 0.12, at=(r * 0.88, h * 0.55, 0), scale=(0.5, 1.2, 1.2)))
    parts += [capsule("primary", r * 0.15, r * 0.8, at=(r * 0.3, h * 0.55, s * r * 0.9), rot=(s * 60, 0, 20)) for s in (-1, 1)]
    return parts


@family("skeleton", "skeletons, skelly, skeleton warrior, skeletal", {"primary": "bone", "eyes": "obsidian"}, part_words={"bones": "primary", "skull": "primary"})
def skeleton(k: Knobs, kind: str) -> list[Part]:
    u = k.u(0.95, 1.05)
    parts = [sphere("primary", 0.12 * u, at=(0, 1.62 * u, 0), scale=(1, 1.05, 0.95)), box("primary", (0.12 * u, 0.06 * u, 0.16 * u), at=(0.04 * u, 1.5 * u, 0)),
             *[sphere("eyes", 0.035 * u, at=(0.1 * u, 1.64 * u, s * 0.045 * u)) for s in (-1, 1)],
             rod("primary", (0, 0.9 * u, 0), (0, 1.45 * u, 0), 0.025 * u)]
    parts += [torus("primary", (0.13 - 0.015 * abs(i - 2)) * u, 0.012 * u, at=(0, (1.12 + 0.07 * i) * u, 0), scale=(0.7, 1, 1)) for i in range(5)]
    parts += [box("primary", (0.12 * u, 0.06 * u, 0.28 * u), at=(0, 0.88 * u, 0)), box("primary", (0.04 * u, 0.04 * u, 0.4 * u), at=(0, 1.42 * u, 0))]
    for s in (-1, 1):
        parts += [rod("primary", (0, 1.42 * u, s * 0.2 * u), (0.05 * u, 1.1 * u, s * 0.24 * u), 0.02 * u), rod("primary", (0.05 * u, 1.1 * u, s * 0.24 * u), (0.15 * u, 0.85 * u, s * 0.25 * u), 0.017 * u),
                  rod("primary", (0, 0.86 * u, s * 0.1 * u), (0.02 * u, 0.45 * u, s * 0.11 * u), 0.025 * u), rod("primary", (0.02 * u, 0.45 * u, s * 0.11 * u), (0, 0.05 * u, s * 0.11 * u), 0.022 * u),
                  box("primary", (0.16 * u, 0.04 * u, 0.07 * u), at=(0.05 * u, 0.02 * u, s * 0.11 * u))]
    return parts


@family("alien", "aliens, extraterrestrial, martian, martians, little green man, et, space alien", {"primary": "skin:lime", "eyes": "obsidian", "suit": "fabric:grey", "accent": "light:cyan"},
        part_words={"skin": "primary", "eyes": "eyes", "suit": "suit", "antennae": "primary"})
def alien(k: Knobs, kind: str) -> list[Part]:
    h = k.u(1.0, 1.4)
    head = h * k.u(0.17, 0.22)
    parts = [capsule("suit", h * 0.12, h * 0.5, at=(0, h * 0.15, 0)), *[capsule("primary", h * 0.04, h * 0.25, at=(0, 0, s * h * 0.06)) for s in (-1, 1)],
             *[rod("primary", (0, h * 0.55, s * h * 0.1), (h * 0.1, h * 0.3, s * h * 0.2), h * 0.025) for s in (-1, 1)],
             sphere("primary", head, at=(0, h * 0.65 + head, 0), scale=(1, 1.2, 1)),
             *[sphere("eyes", head * 0.38, at=(head * 0.72, h * 0.65 + head * 1.1, s * head * 0.4), rot=(0, 0, s * 20), scale=(0.4, 1, 0.65)) for s in (-1, 1)]]
    if k.chance(0.6):
        parts += [tube("primary", [(0, h * 0.65 + head * 2.1, s * head * 0.3), (0, h * 0.65 + head * 2.6, s * head * 0.5)], head * 0.06) for s in (-1, 1)]
        parts += [sphere("accent", head * 0.12, at=(0, h * 0.65 + head * 2.65, s * head * 0.5)) for s in (-1, 1)]
    return parts


@family("robot", "robots, android, droid, mech, automaton, cyborg, bot, golem, toy robot, mecha, humanoid robot", {"primary": "steel", "metal": "iron", "accent": "paint:red", "eyes": "gem:cyan", "detail": "rubber"},
        part_words={"eyes": "eyes", "arms": "metal", "legs": "metal", "head": "primary", "body": "primary", "armor": "primary", "armour": "primary", "antenna": "accent"})
def robot(k: Knobs, kind: str) -> list[Part]:
    w, torso = k.u(0.42, 0.56), k.u(0.45, 0.6)
    leg = k.u(0.35, 0.5)
    head_w = k.u(0.26, 0.36)
    eyes = k.pick([1, 2, 3])
    y0 = leg + 0.1
    parts = [*[rbox("detail", (0.16, 0.08, 0.24), 0.02, at=(x, 0.04, 0.03)) for x in (-0.12, 0.12)],
             *[cyl("metal", 0.045, leg, at=(x, 0.08, 0)) for x in (-0.12, 0.12)],
             rbox("accent", (w * 0.8, 0.12, 0.26), 0.03, at=(0, y0, 0)),
             rbox("primary", (w, torso, 0.32), 0.05, at=(0, y0 + 0.06 + torso / 2, 0)),
             box("accent", (w * 0.5, torso * 0.3, 0.02), at=(0, y0 + 0.06 + torso * 0.55, 0.165)),
             cyl("metal", 0.05, 0.08, at=(0, y0 + 0.06 + torso, 0)),
             rbox("primary", (head_w, head_w * 0.8, 0.28), 0.05, at=(0, y0 + 0.14 + torso + head_w * 0.4, 0))]
    hy = y0 + 0.14 + torso + head_w * 0.4
    if eyes == 1:  # a visor
        parts.append(box("eyes", (head_w * 0.7, 0.04, 0.02), at=(0, hy + 0.02, 0.14)))
    else:
        parts += [sphere("eyes", 0.04, at=(x, hy + 0.02, 0.135), scale=(1, 1, 0.5)) for x in ((-0.075, 0.075) if eyes == 2 else (-0.08, 0.0, 0.08))]
    parts += [box("detail", (0.14, 0.025, 0.01), at=(0, hy - 0.07, 0.142)), cyl("metal", 0.008, 0.13, at=(0, hy + head_w * 0.4, 0)), sphere("accent", 0.025, at=(0, hy + head_w * 0.4 + 0.14, 0))]
    for s in (-1, 1):
        sx = s * (w / 2 + 0.06)
        parts += [sphere("metal", 0.07, at=(sx, y0 + torso - 0.05, 0)), cyl("metal", 0.04, torso * 0.95, at=(sx, y0 + torso * 0.05 - 0.05, 0)),
                  rbox("primary", (0.09, 0.11, 0.11), 0.02, at=(sx, y0 - 0.02, 0))]
    return parts


@family("snowman", "snowmen, snow man, frosty, snow figure", {"primary": "snow", "accent": "pumpkin", "detail": "obsidian", "secondary": "fabric:red", "hat": "fabric:black", "wood": "bark"},
        part_words={"scarf": "secondary", "hat": "hat", "nose": "accent", "carrot": "accent", "buttons": "detail", "arms": "wood"})
def snowman(k: Knobs, kind: str) -> list[Part]:
    balls = k.pick([2, 3, 3])
    r0 = k.u(0.32, 0.4)
    radii = [r0, r0 * 0.72, r0 * 0.5][:balls] if balls == 3 else [r0, r0 * 0.6]
    parts, y = [], 0.0
    centres = []
    for r in radii:
        y += r * 0.9
        parts.append(blob("primary", r, at=(0, y, 0), rough=0.05, lumps=4))
        centres.append(y)
        y += r * 0.85
    hr, hy = radii[-1], centres[-1]
    parts += [cone("accent", hr * 0.15, hr * 0.8, at=(0, hy, hr * 0.9), rot=(90, 0, 0)), *[sphere("detail", hr * 0.1, at=(s * hr * 0.35, hy + hr * 0.3, hr * 0.85)) for s in (-1, 1)],
              *[sphere("detail", radii[-2] * 0.09, at=(0, centres[-2] + radii[-2] * f, radii[-2] * 0.95)) for f in (-0.3, 0.1, 0.45)],
              torus("secondary", hr * 0.95, hr * 0.2, at=(0, hy - hr * 0.75, 0)), box("secondary", (hr * 0.45, hr * 1.2, hr * 0.15), at=(hr * 0.5, hy - hr * 1.3, hr * 0.95), rot=(0, 0, -10))]
    if k.feature(0.7, "hat"):
        parts += [cyl("hat", hr * 1.15, hr * 0.1, at=(0, hy + hr * 0.75, 0)), cyl("hat", hr * 0.7, hr * 1.1, at=(0, hy + hr * 0.8, 0))]
    parts += [tube("wood", [(s * radii[-2] * 0.85, centres[-2] + radii[-2] * 0.2, 0), (s * radii[-2] * 1.6, centres[-2] + radii[-2] * 0.7, 0.02), (s * radii[-2] * 2.1, centres[-2] + radii[-2] * 1.2, 0)], (0.015, 0.01, 0.006)) for s in (-1, 1)]
    return parts
