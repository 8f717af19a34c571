"""Animals, in a friendly toy-like style: four-legged mammals share one builder (body, legs, neck, head, snout,
ears, tail, and the extras that make the species: a trunk, horns, a mane, a long neck), birds another, fish a
third; frogs, turtles, snakes, snails, dinosaurs and dragons are their own. They face +x."""

# ruff: noqa: E501
# fmt: off

from __future__ import annotations

from dataclasses import dataclass
from math import cos, degrees, radians, sin

from app.engines.local.parts import Part, capsule, cone, cyl, extrude, hemi, lathe, sphere, torus, tube
from app.engines.local.recipes.model import Knobs, family, kind
from app.engines.local.recipes.shapes import rod

_EYES = "obsidian"
_ANIMAL_WORDS = {"fur": "primary", "coat": "primary", "body": "primary", "belly": "secondary", "spots": "accent", "eyes": "eyes", "nose": "nose", "mane": "accent", "horns": "horn"}


@dataclass(frozen=True)
class Beast:
    """A four-legged animal's proportions (metres) and features."""

    length: float  # body
    girth: float  # body radius
    legs: float
    leg_r: float
    neck: float  # length; its angle up from the body
    neck_up: float
    head: float  # radius
    snout: float  # length
    ears: str  # pointy | round | long | floppy | none | big
    tail: str  # thin | bushy | puff | tuft | none
    tail_len: float


def beast(k: Knobs, b: Beast, extras: str = "", legs_slot: str = "primary", head_slot: str = "primary", ears_slot: str = "primary") -> list[Part]:
    """The animal in `b`, with `extras` (words: belly, hooves, mane, horse mane, horns, antlers, trunk, spots, wool,
    pale snout); legs, head and ears may take their own slots (a sheep's dark face, a panda's black legs)."""
    s = k.u(0.9, 1.1)
    length, girth, legs = b.length * k.u(0.92, 1.08), b.girth * k.u(0.92, 1.1), b.legs * k.u(0.9, 1.1)
    y = legs + girth * 0.6
    parts = [capsule("primary", girth, length + 2 * girth, at=(-length / 2 - girth, y, 0), rot=(0, 0, -90))]
    if "belly" in extras:
        parts.append(sphere("secondary", girth * 0.85, at=(0.0, y - girth * 0.25, 0), scale=(length / girth * 0.45, 0.8, 0.95)))
    for fx in (-1, 1):
        for sz in (-1, 1):
            x, z = fx * length * 0.48, sz * girth * 0.55
            stance = k.u(-3, 3) * fx
            parts.append(capsule(legs_slot, b.leg_r * s, legs + girth * 0.5, at=(x, 0, z), rot=(0, 0, stance)))
            if "hooves" in extras:
                parts.append(cyl("hoof", b.leg_r * s * 1.05, b.leg_r * 0.9, at=(x, 0, z)))
    up = radians(b.neck_up * k.u(0.9, 1.1))
    nx0, ny0 = length / 2 + girth * 0.55, y + girth * 0.3
    nx1, ny1 = nx0 + b.neck * cos(up), ny0 + b.neck * sin(up)
    if b.neck > 0.01:
        parts.append(rod("primary", (nx0, ny0, 0), (nx1, ny1, 0), girth * 0.55, b.head * 0.75))
    head = b.head * k.u(0.92, 1.1)
    hx, hy = nx1 + head * 0.2, ny1 + head * 0.25
    parts.append(sphere(head_slot, head, at=(hx, hy, 0)))
    if b.snout:
        parts.append(capsule("secondary" if "pale snout" in extras else head_slot, head * 0.55, b.snout + head * 0.8, at=(hx + head * 0.2, hy - head * 0.3, 0), rot=(0, 0, -100)))
        tip = hx + head * 0.2 + b.snout + head * 0.5
        parts.append(sphere("nose", head * 0.18, at=(tip, hy - head * 0.12, 0)))
    else:
        parts.append(sphere("nose", head * 0.13, at=(hx + head * 0.98, hy - head * 0.1, 0)))
    parts += [sphere("eyes", head * 0.13, at=(hx + head * 0.75, hy + head * 0.3, s_ * head * 0.45)) for s_ in (-1, 1)]
    ear = head * k.u(0.4, 0.55)
    for s_ in (-1, 1):
        ez = s_ * head * 0.55
        if b.ears == "pointy":
            parts.append(cone(ears_slot, ear * 0.6, ear * 1.3, at=(hx - head * 0.1, hy + head * 0.7, ez), rot=(s_ * 15, 0, 0)))
        elif b.ears == "round":
            parts.append(sphere(ears_slot, ear * 0.6, at=(hx - head * 0.15, hy + head * 0.85, ez), scale=(0.5, 1, 1)))
        elif b.ears == "long":
            parts.append(capsule(ears_slot, ear * 0.35, ear * 3.2, at=(hx - head * 0.25, hy + head * 0.6, ez * 0.6), rot=(s_ * 10, 0, 12)))
        elif b.ears == "floppy":
            parts.append(sphere(ears_slot, ear * 0.7, at=(hx - head * 0.2, hy + head * 0.1, s_ * head * 1.0), rot=(0, 0, -20), scale=(0.6, 1.4, 0.25)))
        elif b.ears == "big":
            parts.append(sphere(ears_slot, head * 0.9, at=(hx - head * 0.5, hy + head * 0.1, s_ * head * 0.95), rot=(0, s_ * 20, 0), scale=(0.2, 1.1, 1.0)))
    tx, ty = -length / 2 - girth * 0.9, y + girth * 0.3
    tl = b.tail_len * k.u(0.85, 1.15)
    droop = k.u(-0.3, 0.5)
    if b.tail == "thin":
        parts.append(tube("primary", [(tx, ty, 0), (tx - tl * 0.5, ty + tl * (0.2 + droop * 0.3), 0), (tx - tl * 0.8, ty + tl * droop, 0.02)], (girth * 0.12, girth * 0.1, girth * 0.07)))
    elif b.tail == "bushy":
        parts.append(tube("primary", [(tx, ty, 0), (tx - tl * 0.5, ty + tl * 0.1, 0), (tx - tl, ty + tl * 0.2, 0)], (girth * 0.2, girth * 0.4, girth * 0.15)))
        parts.append(sphere("secondary", girth * 0.2, at=(tx - tl, ty + tl * 0.2, 0)))
    elif b.tail == "puff":
        parts.append(sphere("secondary", girth * 0.35, at=(tx + girth * 0.1, ty, 0)))
    elif b.tail == "tuft":
        parts.append(tube("primary", [(tx, ty, 0), (tx - tl * 0.3, ty - tl * 0.5, 0), (tx - tl * 0.35, ty - tl, 0)], girth * 0.07))
        parts.append(sphere("accent", girth * 0.16, at=(tx - tl * 0.35, ty - tl, 0), scale=(1, 1.6, 1)))
    if "mane" in extras:
        parts.append(sphere("accent", head * 1.5, at=(hx - head * 0.35, hy, 0), scale=(0.7, 1.1, 1.1)))
    if "horse mane" in extras:
        parts.append(rod("accent", (nx0 - girth * 0.2, ny0 + girth * 0.6, 0), (hx - head * 0.6, hy + head * 0.7, 0), girth * 0.09))
    if "horns" in extras:
        parts += [tube("horn", [(hx - head * 0.1, hy + head * 0.7, s_ * head * 0.4), (hx - head * 0.05, hy + head * 1.1, s_ * head * 0.8), (hx + head * 0.15, hy + head * 1.3, s_ * head * 0.7)], (head * 0.15, head * 0.1, head * 0.03)) for s_ in (-1, 1)]
    if "antlers" in extras:
        for s_ in (-1, 1):
            base = (hx - head * 0.1, hy + head * 0.8, s_ * head * 0.4)
            top = (hx - head * 0.4, hy + head * 2.6, s_ * head * 1.3)
            parts += [tube("horn", [base, top], head * 0.08), tube("horn", [((base[0] + top[0]) / 2, (base[1] + top[1]) / 2, (base[2] + top[2]) / 2), (hx + head * 0.3, hy + head * 2.2, s_ * head * 1.0)], head * 0.06)]
    if "trunk" in extras:
        parts.append(tube("primary", [(hx + head * 0.85, hy - head * 0.2, 0), (hx + head * 1.2, hy - head * 0.7, 0), (hx + head * 1.25, hy - head * 1.4, 0), (hx + head * 1.45, hy - head * 1.75, 0)], (head * 0.35, head * 0.28, head * 0.2, head * 0.15)))
        parts += [tube("horn", [(hx + head * 0.7, hy - head * 0.5, s_ * head * 0.45), (hx + head * 1.2, hy - head * 0.8, s_ * head * 0.55), (hx + head * 1.5, hy - head * 0.55, s_ * head * 0.5)], (head * 0.1, head * 0.08, head * 0.03)) for s_ in (-1, 1)]
    if "spots" in extras:
        for _ in range(k.i(4, 8)):
            a, fx = k.u(0, 360), k.u(-0.45, 0.45)
            parts.append(sphere("accent", girth * k.u(0.25, 0.4), at=(fx * length, y + girth * 0.92 * cos(radians(a)), girth * 0.92 * sin(radians(a))), scale=(1, 1, 0.35) if abs(sin(radians(a))) > 0.7 else (1, 0.35, 1)))
    if "wool" in extras:
        parts += [sphere("secondary", girth * 0.45, at=(length * (i / 3 - 0.5) * 0.9, y + girth * 0.55 * cos(radians(a)), girth * 0.6 * sin(radians(a)))) for i in range(4) for a in (-60, 0, 60)]
    return parts


@family("cat", "cats, kitten, kittens, kitty, tabby, tomcat, house cat, pussycat, tiger, tigers, leopard, cheetah, panther, jaguar, lynx", {"primary": "fur:ginger", "secondary": "fur:white", "accent": "fur:brown", "eyes": "gem:lime", "nose": "paint:pink"},
        kinds=[kind("cat"), kind("big cat", nouns="tiger, tigers, leopard, cheetah, panther, jaguar", slots={"primary": "fur:orange", "accent": "fur:black"})],
        part_words=_ANIMAL_WORDS)
def cat(k: Knobs, kind: str) -> list[Part]:
    s = 3.0 if kind == "big cat" else 1.0
    return beast(k, Beast(0.28 * s, 0.075 * s, 0.13 * s, 0.025 * s, 0.06 * s, 60, 0.075 * s, 0.0, "pointy", "thin", 0.3 * s), "belly" + (" spots" if kind == "big cat" else ""))


@family("lion", "lions, lioness, lion king", {"primary": "fur:tan", "secondary": "fur:beige", "accent": "fur:brown", "eyes": _EYES, "nose": "obsidian"}, part_words=_ANIMAL_WORDS)
def lion(k: Knobs, kind: str) -> list[Part]:
    return beast(k, Beast(0.9, 0.24, 0.45, 0.08, 0.15, 50, 0.2, 0.1, "round", "tuft", 0.7), "mane belly pale snout")


@family("dog", "dogs, puppy, puppies, pup, doggy, hound, poodle, terrier, labrador, retriever, puppy dog, wolf, wolves, fox terrier, husky, dachshund, beagle, corgi", {"primary": "fur:brown", "secondary": "fur:tan", "accent": "fur:black", "eyes": _EYES, "nose": "obsidian", "collar": "leather:red"},
        kinds=[kind("dog"), kind("wolf", nouns="wolf, wolves, husky", slots={"primary": "fur:grey", "secondary": "fur:white"})],
        part_words=_ANIMAL_WORDS | {"collar": "collar"})
def dog(k: Knobs, kind: str) -> list[Part]:
    wolf = kind == "wolf"
    size = 1.6 if wolf else k.u(0.8, 1.4)
    ears = "pointy" if wolf else k.pick(["floppy", "floppy", "pointy"])
    parts = beast(k, Beast(0.4 * size, 0.11 * size, 0.22 * size, 0.04 * size, 0.1 * size, 45, 0.1 * size, 0.09 * size, ears, "bushy" if wolf else "thin", 0.25 * size), "belly pale snout")
    if not wolf and k.feature(0.6, "collar"):
        parts.append(torus("collar", 0.08 * size, 0.015 * size, at=(0.27 * size, 0.39 * size, 0), rot=(0, 0, 55)))
    return parts


@family("fox", "foxes, red fox, vixen, arctic fox", {"primary": "fur:orange", "secondary": "fur:white", "accent": "fur:black", "eyes": _EYES, "nose": "obsidian"}, part_words=_ANIMAL_WORDS)
def fox(k: Knobs, kind: str) -> list[Part]:
    return beast(k, Beast(0.4, 0.1, 0.2, 0.03, 0.1, 45, 0.1, 0.12, "pointy", "bushy", 0.4), "belly pale snout")


@family("horse", "horses, pony, ponies, stallion, mare, foal, donkey, donkeys, mule, unicorn, deer, reindeer, stag, moose, elk, camel, llama, alpaca, goat", {"primary": "fur:brown", "secondary": "fur:brown", "accent": "fur:black", "eyes": _EYES, "nose": "obsidian", "horn": "bone", "hoof": "obsidian"},
        kinds=[kind("horse"), kind("unicorn", nouns="unicorn, unicorns", slots={"primary": "fur:white", "accent": "fur:pink", "horn": "gold"}),
               kind("deer", nouns="deer, reindeer, stag, moose, elk", slots={"primary": "fur:tan"}), kind("donkey", nouns="donkey, donkeys, mule", slots={"primary": "fur:grey"})],
        part_words=_ANIMAL_WORDS | {"horn": "horn", "antlers": "horn"})
def horse(k: Knobs, kind: str) -> list[Part]:
    if kind == "deer":
        return beast(k, Beast(0.8, 0.2, 0.75, 0.045, 0.35, 65, 0.13, 0.16, "pointy", "puff", 0.1), "antlers")
    ears = "long" if kind == "donkey" else "pointy"
    parts = beast(k, Beast(1.1, 0.3, 0.85, 0.07, 0.55, 55, 0.17, 0.3, ears, "tuft", 0.6), "hooves horse mane")
    if kind == "unicorn":
        parts.append(cone("horn", 0.04, 0.35, at=(1.1 / 2 + 0.3 + 0.55 * cos(radians(55)) + 0.05, 0.85 + 0.18 + 0.55 * sin(radians(55)) + 0.3, 0), rot=(0, 0, -30)))
    return parts


@family("cow", "cows, cattle, bull, bulls, calf, ox, oxen, heifer, buffalo, bison, yak", {"primary": "fur:white", "secondary": "fur:white", "accent": "fur:black", "eyes": _EYES, "nose": "paint:pink", "horn": "bone", "hoof": "obsidian"},
        part_words=_ANIMAL_WORDS | {"udder": "nose"})
def cow(k: Knobs, kind: str) -> list[Part]:
    return beast(k, Beast(1.2, 0.38, 0.7, 0.09, 0.2, 30, 0.22, 0.16, "round", "tuft", 0.7), "spots hooves horns")


@family("pig", "pigs, piglet, piglets, hog, boar, swine, sow, piggy", {"primary": "skin:pink", "secondary": "skin:pink", "accent": "skin:pink", "eyes": _EYES, "nose": "paint:pink"}, part_words=_ANIMAL_WORDS)
def pig(k: Knobs, kind: str) -> list[Part]:
    return beast(k, Beast(0.6, 0.26, 0.2, 0.06, 0.0, 20, 0.18, 0.05, "pointy", "thin", 0.12))


@family("sheep", "sheep, lamb, lambs, ram, ewe, goat sheep", {"primary": "fur:white", "secondary": "fur:white", "accent": "fur:white", "eyes": _EYES, "nose": "obsidian", "face": "skin:charcoal", "horn": "bone"},
        part_words=_ANIMAL_WORDS | {"wool": "primary", "fleece": "primary", "face": "face"})
def sheep(k: Knobs, kind: str) -> list[Part]:
    return beast(k, Beast(0.7, 0.3, 0.35, 0.05, 0.1, 40, 0.15, 0.08, "floppy", "puff", 0.1), "wool", legs_slot="face", head_slot="face", ears_slot="face")


@family("rabbit", "rabbits, bunny, bunnies, hare, hares, easter bunny, bunny rabbit", {"primary": "fur:white", "secondary": "fur:white", "accent": "fur:pink", "eyes": _EYES, "nose": "paint:pink"}, part_words=_ANIMAL_WORDS)
def rabbit(k: Knobs, kind: str) -> list[Part]:
    return beast(k, Beast(0.16, 0.09, 0.05, 0.03, 0.05, 70, 0.07, 0.0, "long", "puff", 0.05), "")


@family("mouse", "mice, rat, rats, hamster, hamsters, gerbil, guinea pig, field mouse", {"primary": "fur:grey", "secondary": "fur:white", "accent": "skin:pink", "eyes": _EYES, "nose": "paint:pink"},
        part_words=_ANIMAL_WORDS)
def mouse(k: Knobs, kind: str) -> list[Part]:
    return beast(k, Beast(0.06, 0.03, 0.012, 0.008, 0.0, 0, 0.025, 0.02, "big", "thin", 0.09))


@family("bear", "bears, grizzly, grizzly bear, brown bear, polar bear, black bear, panda, pandas, panda bear", {"primary": "fur:brown", "secondary": "fur:tan", "accent": "fur:black", "eyes": _EYES, "nose": "obsidian"},
        kinds=[kind("brown", words_="grizzly, brown"), kind("polar", nouns="polar bear", words_="polar, white, arctic", slots={"primary": "fur:white", "secondary": "fur:white"}),
               kind("panda", nouns="panda, pandas, panda bear, giant panda", slots={"primary": "fur:white", "accent": "fur:black", "secondary": "fur:white"})],
        part_words=_ANIMAL_WORDS)
def bear(k: Knobs, kind: str) -> list[Part]:
    dark = "accent" if kind == "panda" else "primary"
    return beast(k, Beast(0.9, 0.36, 0.45, 0.12, 0.12, 35, 0.22, 0.12, "round", "puff", 0.1), "pale snout", legs_slot=dark, ears_slot=dark)


@family("elephant", "elephants, mammoth, mammoths, baby elephant", {"primary": "skin:grey", "secondary": "skin:grey", "accent": "skin:grey", "eyes": _EYES, "nose": "skin:grey", "horn": "bone"},
        part_words=_ANIMAL_WORDS | {"tusks": "horn", "trunk": "primary"})
def elephant(k: Knobs, kind: str) -> list[Part]:
    return beast(k, Beast(1.6, 0.75, 0.9, 0.2, 0.0, 20, 0.5, 0.0, "big", "thin", 0.6), "trunk")


@family("giraffe", "giraffes, baby giraffe", {"primary": "fur:yellow", "secondary": "fur:yellow", "accent": "fur:brown", "eyes": _EYES, "nose": "obsidian", "horn": "fur:brown", "hoof": "obsidian"}, part_words=_ANIMAL_WORDS)
def giraffe(k: Knobs, kind: str) -> list[Part]:
    parts = beast(k, Beast(1.2, 0.35, 1.5, 0.07, 1.8, 70, 0.2, 0.25, "pointy", "tuft", 0.7), "spots hooves")
    hx = 1.2 / 2 + 0.35 * 0.55 + 1.8 * cos(radians(70))
    hy = 1.5 + 0.35 * 0.9 + 1.8 * sin(radians(70)) + 0.2
    parts += [cyl("horn", 0.025, 0.15, at=(hx - 0.05, hy + 0.1, s * 0.08)) for s in (-1, 1)]
    return parts


def _bird(k: Knobs, r: float, upright: float, beak: float, legs: float, wing: float, tail: float, extras: str = "") -> list[Part]:
    """A bird facing +x: an egg of a body tilted `upright` degrees, a head, a beak, wings, a tail and legs."""
    rr = r * k.u(0.92, 1.08)
    y = legs + rr * 0.9
    parts = [sphere("primary", rr, at=(0, y, 0), rot=(0, 0, upright), scale=(1.3, 1.0, 0.95))]
    if "breast" in extras:
        parts.append(sphere("secondary", rr * 0.8, at=(rr * 0.35, y - rr * 0.1, 0), rot=(0, 0, upright), scale=(1.0, 1.0, 0.9)))
    head = rr * (0.55 if "big head" not in extras else 0.85)
    hx, hy = rr * 0.9 * cos(radians(upright)) + head * 0.2, y + rr * 0.9 * sin(radians(upright)) + head * 0.6
    if "big head" in extras:
        hx, hy = rr * 0.2, y + rr * 0.95
    parts.append(sphere("primary", head, at=(hx, hy, 0)))
    if "flat bill" in extras:
        parts.append(sphere("accent", head * 0.55, at=(hx + head * 1.05, hy - head * 0.25, 0), scale=(1.2, 0.35, 0.8)))
    else:
        parts.append(cone("accent", head * 0.3, beak, at=(hx + head * 0.85, hy - head * 0.1, 0), rot=(0, 0, -95)))
    eye = head * (0.3 if "big head" in extras else 0.15)
    parts += [sphere("eyes", eye, at=(hx + head * 0.7, hy + head * 0.25, s * head * 0.45)) for s in (-1, 1)]
    if "big head" in extras:
        parts += [sphere("secondary", eye * 1.6, at=(hx + head * 0.6, hy + head * 0.22, s * head * 0.42), scale=(0.4, 1, 1)) for s in (-1, 1)]
        parts += [cone("primary", head * 0.2, head * 0.5, at=(hx - head * 0.1, hy + head * 0.75, s * head * 0.55), rot=(s * 20, 0, 0)) for s in (-1, 1)]
    parts += [sphere("wing", rr * 0.75 * wing, at=(-rr * 0.1, y + rr * 0.1, s * rr * 0.85), rot=(0, 0, upright - 15), scale=(1.5, 0.7, 0.25)) for s in (-1, 1)]
    if tail:
        parts.append(extrude("wing", [(0, -rr * 0.2), (0, rr * 0.2), (-tail, rr * 0.45), (-tail * 1.1, 0), (-tail, -rr * 0.45)], rr * 0.12, at=(-rr * 1.1 * cos(radians(upright)), y - rr * 1.0 * sin(radians(upright)) + rr * 0.2, 0), rot=(90, 0, upright + 15)))
    if legs > 0.001:
        parts += [rod("accent", (0, y - rr * 0.8, s * rr * 0.35), (0.02, 0, s * rr * 0.35), rr * 0.06) for s in (-1, 1)]
        parts += [rod("accent", (0.0, 0.003, s * rr * 0.35), (rr * 0.5, 0.003, s * rr * (0.35 + 0.15 * t)), rr * 0.04) for s in (-1, 1) for t in (-1, 0, 1)]
    if "comb" in extras:
        parts += [sphere("comb", head * 0.25, at=(hx - head * 0.2 + head * 0.3 * i, hy + head * 0.95, 0), scale=(0.8, 1.2, 0.4)) for i in range(3)]
        parts.append(sphere("comb", head * 0.2, at=(hx + head * 0.75, hy - head * 0.6, 0), scale=(0.6, 1.3, 0.4)))
    return parts


_BIRD_SLOTS = {"primary": "feathers:sky", "secondary": "feathers:white", "wing": "feathers:blue", "accent": "plastic:orange", "eyes": _EYES, "comb": "paint:red"}
_BIRD_WORDS = {"feathers": "primary", "wings": "wing", "beak": "accent", "bill": "accent", "legs": "accent", "breast": "secondary", "eyes": "eyes", "comb": "comb"}


@family("bird", "birds, songbird, robin, sparrow, bluebird, blue bird, parrot, parrots, eagle, eagles, hawk, falcon, crow, raven, pigeon, dove, seagull, gull, finch, canary, budgie, toucan, flamingo",
        _BIRD_SLOTS, kinds=[kind("songbird"), kind("parrot", nouns="parrot, parrots, macaw, cockatoo, toucan", slots={"primary": "feathers:red", "wing": "feathers:blue", "accent": "paint:yellow"}),
                           kind("eagle", nouns="eagle, eagles, hawk, falcon", slots={"primary": "feathers:brown", "secondary": "feathers:white", "wing": "feathers:brown", "accent": "paint:yellow"}),
                           kind("crow", nouns="crow, raven, blackbird", slots={"primary": "feathers:black", "wing": "feathers:black", "secondary": "feathers:black", "accent": "obsidian"})],
        part_words=_BIRD_WORDS)
def bird(k: Knobs, kind: str) -> list[Part]:
    size = {"songbird": 0.05, "parrot": 0.09, "eagle": 0.18, "crow": 0.1}[kind]
    return _bird(k, size, k.u(15, 35), size * (0.7 if kind != "eagle" else 0.5), size * 0.5, 1.0, size * 1.3, "breast")


@family("duck", "ducks, duckling, ducklings, mallard, goose, geese, swan, swans, drake", {"primary": "feathers:white", "secondary": "feathers:white", "wing": "feathers:white", "accent": "plastic:orange", "eyes": _EYES, "comb": "paint:red"},
        kinds=[kind("duck"), kind("mallard", nouns="mallard, drake", slots={"primary": "feathers:brown", "secondary": "feathers:brown", "wing": "feathers:grey"}),
               kind("duckling", nouns="duckling, ducklings", slots={"primary": "feathers:yellow", "wing": "feathers:yellow", "secondary": "feathers:yellow"})],
        part_words=_BIRD_WORDS)
def duck(k: Knobs, kind: str) -> list[Part]:
    size = 0.06 if kind == "duckling" else 0.15
    return _bird(k, size, k.u(0, 12), 0.0, size * 0.25, 1.0, size * 0.5, "flat bill")


@family("chicken", "chickens, hen, hens, rooster, roosters, cockerel, chick, chicks, turkey, poultry", {"primary": "feathers:white", "secondary": "feathers:white", "wing": "feathers:white", "accent": "plastic:yellow", "eyes": _EYES, "comb": "paint:red"},
        kinds=[kind("hen"), kind("chick", nouns="chick, chicks, baby chicken", slots={"primary": "feathers:yellow", "wing": "feathers:yellow"}),
               kind("rooster", nouns="rooster, roosters, cockerel, cock", slots={"primary": "feathers:brown", "wing": "feathers:red"})],
        part_words=_BIRD_WORDS)
def chicken(k: Knobs, kind: str) -> list[Part]:
    size = 0.05 if kind == "chick" else 0.15
    return _bird(k, size, k.u(15, 30), size * 0.3, size * 0.7, 1.0, size * (1.2 if kind == "rooster" else 0.6), "" if kind == "chick" else "comb")


@family("owl", "owls, barn owl, snowy owl, owlet, tawny owl, horned owl", {"primary": "feathers:brown", "secondary": "feathers:beige", "wing": "feathers:brown", "accent": "paint:yellow", "eyes": _EYES, "comb": "paint:red"},
        part_words=_BIRD_WORDS)
def owl(k: Knobs, kind: str) -> list[Part]:
    return _bird(k, k.u(0.1, 0.13), 80, 0.03, 0.02, 1.0, 0.0, "big head breast")


@family("penguin", "penguins, emperor penguin, king penguin, baby penguin", {"primary": "feathers:black", "secondary": "feathers:white", "wing": "feathers:black", "accent": "plastic:orange", "eyes": _EYES, "comb": "paint:red"},
        part_words=_BIRD_WORDS)
def penguin(k: Knobs, kind: str) -> list[Part]:
    r = k.u(0.16, 0.2)
    h = r * k.u(2.6, 3.0)
    return [
        capsule("primary", r, h, at=(0, 0.02, 0), scale=(1, 1, 0.9)),
        capsule("secondary", r * 0.85, h * 0.8, at=(r * 0.25, 0.04, 0), scale=(0.9, 1, 0.85)),
        cone("accent", r * 0.2, r * 0.6, at=(r * 0.85, h - r * 0.75, 0), rot=(0, 0, -100)),
        *[sphere("eyes", r * 0.1, at=(r * 0.75, h - r * 0.55, s * r * 0.35)) for s in (-1, 1)],
        *[sphere("wing", r * 0.6, at=(0, h * 0.5, s * r * 0.95), rot=(0, 0, -10), scale=(0.45, 1.3, 0.2)) for s in (-1, 1)],
        *[sphere("accent", r * 0.25, at=(r * 0.35, 0.02, s * r * 0.4), scale=(1.4, 0.3, 0.9)) for s in (-1, 1)],
    ]


def _fish(k: Knobs, length: float, depth: float, width: float, tail: float, fins: float, extras: str = "") -> list[Part]:
    y = depth * 1.2
    parts = [sphere("primary", 1.0, at=(0, y, 0), scale=(length / 2, depth / 2, width / 2))]
    if "belly" in extras:
        parts.append(sphere("secondary", 1.0, at=(length * 0.05, y - depth * 0.15, 0), scale=(length * 0.44, depth * 0.38, width * 0.46)))
    parts.append(extrude("fin", [(0, 0, 1), (-tail, tail * 0.8, 1), (-tail * 0.7, 0), (-tail, -tail * 0.8, 1)], width * 0.15, at=(-length / 2 + length * 0.05, y, 0)))
    parts.append(extrude("fin", [(0, 0, 1), (fins * 0.8, 0, 1), (-fins * 0.4, fins * (1.3 if "tall fin" in extras else 0.7), 1)], width * 0.12, at=(-length * 0.05, y + depth * 0.42, 0)))
    parts += [sphere("fin", fins * 0.5, at=(length * 0.1, y - depth * 0.2, s * width * 0.45), rot=(0, s * 30, -30), scale=(1.2, 0.5, 0.15)) for s in (-1, 1)]
    parts += [sphere("eyes", depth * 0.08, at=(length * 0.36, y + depth * 0.12, s * width * 0.33)) for s in (-1, 1)]
    return parts


_FISH_SLOTS = {"primary": "scales:orange", "secondary": "scales:white", "fin": "scales:orange", "eyes": _EYES}


@family("fish", "fishes, goldfish, gold fish, clownfish, trout, salmon, carp, koi, tropical fish, piranha, tuna, cod", _FISH_SLOTS,
        kinds=[kind("goldfish", nouns="goldfish, gold fish, koi", words_="gold, pet"), kind("trout", nouns="trout, salmon, carp, cod, tuna, bass", slots={"primary": "scales:olive", "fin": "scales:olive"}),
               kind("clownfish", nouns="clownfish, clown fish, nemo", slots={"primary": "scales:orange", "secondary": "scales:white"})],
        part_words={"fins": "fin", "tail": "fin", "scales": "primary", "eyes": "eyes", "stripes": "secondary"})
def fish(k: Knobs, kind: str) -> list[Part]:
    length = k.u(0.16, 0.22) * (2.0 if kind == "trout" else 1.0)
    parts = _fish(k, length, length * k.u(0.4, 0.55), length * 0.22, length * 0.35, length * 0.25, "belly")
    if kind == "clownfish":
        parts += [lathe("secondary", [(0, 0, 1), (length * 0.25, 0, 1), (length * 0.25, length * 0.05, 1), (0, length * 0.05, 1)], at=(x, length * 0.55 * 1.2 / 2 + length * 0.05, 0), rot=(0, 0, 90), scale=(1, 1, 0.5)) for x in (length * 0.2, -length * 0.1)]
    return parts


@family("shark", "sharks, great white, great white shark, hammerhead, dolphin, dolphins, porpoise", {"primary": "skin:grey", "secondary": "paint:white", "fin": "skin:grey", "eyes": _EYES},
        kinds=[kind("shark"), kind("dolphin", nouns="dolphin, dolphins, porpoise", slots={"primary": "skin:sky", "fin": "skin:sky"})],
        part_words={"fins": "fin", "belly": "secondary"})
def shark(k: Knobs, kind: str) -> list[Part]:
    length = k.u(2.0, 3.0)
    parts = _fish(k, length, length * 0.22, length * 0.2, length * 0.22, length * 0.16, "belly tall fin")
    if kind == "dolphin":
        parts.append(capsule("primary", length * 0.04, length * 0.15, at=(length * 0.45, length * 0.22 * 1.2 - length * 0.02, 0), rot=(0, 0, -95)))
    return parts


@family("whale", "whales, blue whale, humpback, humpback whale, killer whale, orca, orcas, sperm whale, narwhal", {"primary": "skin:navy", "secondary": "paint:white", "fin": "skin:navy", "eyes": _EYES, "water": "water"},
        part_words={"fins": "fin", "belly": "secondary", "spout": "water"})
def whale(k: Knobs, kind: str) -> list[Part]:
    length = k.u(8, 12)
    y = length * 0.15
    parts = [sphere("primary", 1.0, at=(0, y, 0), scale=(length / 2, length * 0.13, length * 0.14)),
             sphere("secondary", 1.0, at=(length * 0.1, y - length * 0.05, 0), scale=(length * 0.38, length * 0.09, length * 0.12)),
             extrude("fin", [(0, 0, 1), (-length * 0.15, length * 0.04, 1), (-length * 0.2, length * 0.14, 1), (-length * 0.1, length * 0.02, 1), (-length * 0.2, -length * 0.1, 1), (-length * 0.15, -length * 0.02, 1)],
                     length * 0.3, at=(-length * 0.45, y + length * 0.02, 0), rot=(90, 0, 0)),
             *[sphere("fin", length * 0.1, at=(length * 0.12, y - length * 0.08, s * length * 0.13), rot=(0, s * 30, -40), scale=(1.3, 0.4, 0.15)) for s in (-1, 1)],
             *[sphere("eyes", length * 0.012, at=(length * 0.33, y - length * 0.01, s * length * 0.1)) for s in (-1, 1)]]
    if k.chance(0.6):
        parts.append(lathe("water", [(0, 0, 1), (length * 0.015, 0, 1), (length * 0.05, length * 0.15), (0, length * 0.18, 1)], at=(length * 0.22, y + length * 0.12, 0)))
    return parts


@family("frog", "frogs, toad, toads, tree frog, bullfrog, froggy", {"primary": "skin:green", "secondary": "skin:lime", "eyes": _EYES, "eye white": "paint:white", "accent": "paint:red"},
        part_words={"belly": "secondary", "eyes": "eyes", "mouth": "accent"})
def frog(k: Knobs, kind: str) -> list[Part]:
    r = k.u(0.06, 0.08)
    return [
        sphere("primary", r, at=(0, r * 0.8, 0), rot=(0, 0, 20), scale=(1.2, 0.8, 1.0)),
        sphere("secondary", r * 0.8, at=(r * 0.3, r * 0.65, 0), scale=(1.0, 0.7, 0.9)),
        *[sphere("eye white", r * 0.35, at=(r * 0.6, r * 1.35, s * r * 0.45)) for s in (-1, 1)],
        *[sphere("eyes", r * 0.2, at=(r * 0.78, r * 1.4, s * r * 0.47)) for s in (-1, 1)],
        *[sphere("primary", r * 0.45, at=(-r * 0.5, r * 0.35, s * r * 0.8), scale=(1.5, 0.7, 0.7)) for s in (-1, 1)],
        *[capsule("primary", r * 0.12, r * 0.9, at=(r * 0.7, 0, s * r * 0.5), rot=(0, 0, 20)) for s in (-1, 1)],
        torus("accent", r * 0.55, r * 0.03, at=(r * 0.85, r * 0.85, 0), rot=(90, 0, 90), sweep=120),
    ]


@family("turtle", "turtles, tortoise, tortoises, sea turtle, terrapin", {"primary": "skin:olive", "shell": "wood:green", "secondary": "skin:olive", "eyes": _EYES, "accent": "wood"},
        part_words={"shell": "shell", "scutes": "accent"})
def turtle(k: Knobs, kind: str) -> list[Part]:
    r = k.u(0.16, 0.22)
    dome = k.u(0.5, 0.8)
    return [
        hemi("shell", r, at=(0, r * 0.25, 0), scale=(1.2, dome, 1.0)),
        cyl("accent", r * 1.05, r * 0.08, at=(0, r * 0.2, 0), scale=(1.2, 1, 1)),
        *[hemi("accent", r * 0.3, at=(x * r, r * 0.25 + r * dome * 0.82, z * r), scale=(1.2, 0.4, 1)) for x, z in ((0, 0), (0.45, 0.3), (0.45, -0.3), (-0.45, 0.3), (-0.45, -0.3))],
        sphere("primary", r * 0.3, at=(r * 1.45, r * 0.45, 0)),
        rod("primary", (r * 1.0, r * 0.3, 0), (r * 1.35, r * 0.42, 0), r * 0.18),
        *[sphere("eyes", r * 0.05, at=(r * 1.66, r * 0.52, s * r * 0.15)) for s in (-1, 1)],
        *[capsule("primary", r * 0.13, r * 0.4, at=(x * r * 0.8, 0, s * r * 0.75), rot=(s * 20, 0, 0)) for x in (-1, 1) for s in (-1, 1)],
        cone("primary", r * 0.1, r * 0.3, at=(-r * 1.2, r * 0.25, 0), rot=(0, 0, 100)),
    ]


@family("snake", "snakes, serpent, cobra, python, viper, rattlesnake, boa, anaconda", {"primary": "scales:green", "secondary": "scales:yellow", "eyes": _EYES, "tongue": "paint:red"},
        part_words={"belly": "secondary", "tongue": "tongue"})
def snake(k: Knobs, kind: str) -> list[Part]:
    r = k.u(0.035, 0.05)
    coils = k.u(1.6, 2.4)
    n = 24
    path = [((0.25 - 0.1 * t / n) * cos(radians(t / n * 360 * coils)), r + 0.05 * (t / n) ** 3, (0.25 - 0.1 * t / n) * sin(radians(t / n * 360 * coils))) for t in range(n + 1)]
    end = path[-1]
    radii = [r * (0.3 + 0.7 * min(1, t / 4)) for t in range(n + 1)]
    head = (end[0] * 0.6, end[1] + 0.18, end[2] * 0.6)
    return [tube("primary", path, radii), tube("primary", [end, (end[0] * 0.9, end[1] + 0.1, end[2] * 0.9), head], r),
            sphere("primary", r * 1.6, at=head, scale=(1.4, 0.8, 1.0)),
            *[sphere("eyes", r * 0.3, at=(head[0] + r * 0.6, head[1] + r * 0.6, head[2] + s * r * 0.7)) for s in (-1, 1)],
            rod("tongue", (head[0] + r * 2.0, head[1], head[2]), (head[0] + r * 3.2, head[1] - r * 0.2, head[2]), r * 0.1)]


@family("snail", "snails, slug, escargot", {"primary": "skin:tan", "shell": "wood:orange", "accent": "wood:brown", "eyes": _EYES}, part_words={"shell": "shell", "body": "primary"})
def snail(k: Knobs, kind: str) -> list[Part]:
    r = k.u(0.045, 0.06)
    turns = 10
    spiral = [(r * 0.9 * (1 - t / turns) * cos(radians(t * 70)), r * 1.35 + r * 0.9 * (1 - t / turns) * sin(radians(t * 70)), 0) for t in range(turns + 1)]
    return [capsule("primary", r * 0.35, r * 3.6, at=(-r * 1.6, r * 0.3, 0), rot=(0, 0, -90), scale=(1, 0.8, 1)),
            sphere("shell", r, at=(0, r * 1.3, 0), scale=(1, 1, 0.7)),
            tube("accent", spiral, [r * 0.12 * (1 - t / turns) + 0.003 for t in range(turns + 1)]),
            *[rod("primary", (r * 1.6, r * 0.5, s * r * 0.12), (r * 2.1, r * 1.5, s * r * 0.35), r * 0.06) for s in (-1, 1)],
            *[sphere("eyes", r * 0.12, at=(r * 2.1, r * 1.5, s * r * 0.35)) for s in (-1, 1)]]


@family("dinosaur", "dinosaurs, dino, t rex, trex, tyrannosaurus, tyrannosaurus rex, raptor, velociraptor, brontosaurus, diplodocus, stegosaurus, triceratops, brachiosaurus",
        {"primary": "scales:green", "secondary": "scales:lime", "eyes": _EYES, "teeth": "paint:white", "accent": "scales:olive", "nose": "obsidian"},
        kinds=[kind("t rex", nouns="t rex, trex, tyrannosaurus, tyrannosaurus rex, raptor, velociraptor", words_="rex, raptor"),
               kind("long neck", nouns="brontosaurus, diplodocus, brachiosaurus, sauropod, long neck dinosaur", words_="long necked, long neck, sauropod"),
               kind("stegosaurus", nouns="stegosaurus", slots={"accent": "scales:orange"})],
        part_words={"belly": "secondary", "teeth": "teeth", "plates": "accent", "spikes": "accent"})
def dinosaur(k: Knobs, kind: str) -> list[Part]:
    if kind == "long neck":
        return beast(k, Beast(2.2, 0.7, 1.4, 0.25, 2.6, 55, 0.3, 0.2, "none", "thin", 3.0), "belly")
    if kind == "stegosaurus":
        parts = beast(k, Beast(1.8, 0.6, 0.8, 0.2, 0.3, 10, 0.25, 0.15, "none", "thin", 1.6), "belly")
        parts += [extrude("accent", [(-0.2, 0, 1), (0.2, 0, 1), (0, 0.45, 1)], 0.05, at=(x, 0.8 + 0.6 * 1.55 - abs(x) * 0.15, 0)) for x in (-0.9, -0.6, -0.3, 0, 0.3, 0.6)]
        return parts
    h = k.u(1.8, 2.4)
    lean = k.u(15, 30)
    body_y = h * 0.55
    parts = [
        capsule("primary", h * 0.22, h * 0.95, at=(-h * 0.35, body_y, 0), rot=(0, 0, -90 + lean)),
        sphere("secondary", h * 0.18, at=(h * 0.05, body_y - h * 0.05, 0), scale=(1.2, 1.1, 1.0)),
        tube("primary", [(-h * 0.35, body_y - h * 0.05, 0), (-h * 0.8, body_y - h * 0.15, 0), (-h * 1.3, body_y - h * 0.35, 0.1)], (h * 0.18, h * 0.1, h * 0.02)),
        sphere("primary", h * 0.17, at=(h * 0.4, body_y + h * 0.35, 0), scale=(1.6, 1.0, 0.9)),
        sphere("primary", h * 0.12, at=(h * 0.5, body_y + h * 0.24, 0), scale=(1.7, 0.5, 0.85)),
        *[cone("teeth", h * 0.012, h * 0.035, at=(h * (0.35 + 0.06 * i), body_y + h * 0.29, s * h * 0.11), rot=(180, 0, 0)) for i in range(5) for s in (-1, 1)],
        *[sphere("eyes", h * 0.025, at=(h * 0.48, body_y + h * 0.42, s * h * 0.12)) for s in (-1, 1)],
        *[capsule("primary", h * 0.03, h * 0.18, at=(h * 0.2, body_y + h * 0.05, s * h * 0.15), rot=(0, 0, -60)) for s in (-1, 1)],
    ]
    for s in (-1, 1):
        parts += [capsule("primary", h * 0.09, h * 0.4, at=(-h * 0.3, body_y - h * 0.35, s * h * 0.17), rot=(0, 0, 20)),
                  capsule("primary", h * 0.06, h * 0.35, at=(-h * 0.15, 0.02, s * h * 0.17), rot=(0, 0, -25)),
                  sphere("primary", h * 0.07, at=(-h * 0.08, 0.03, s * h * 0.17), scale=(1.8, 0.5, 1.0))]
    return parts


@family("dragon", "dragons, wyvern, drake dragon, fire dragon, baby dragon, chinese dragon, wyrm", {"primary": "scales:green", "secondary": "scales:yellow", "wing": "leather:green", "horn": "bone", "eyes": "gem:amber", "accent": "scales:olive", "nose": "obsidian", "flame": "flame"},
        part_words={"wings": "wing", "belly": "secondary", "horns": "horn", "spikes": "accent", "fire": "flame"})
def dragon(k: Knobs, kind: str) -> list[Part]:
    parts = beast(k, Beast(1.6, 0.45, 0.6, 0.14, 0.8, 50, 0.3, 0.35, "none", "thin", 2.0), "belly horns")
    span = k.u(1.6, 2.4)
    lift = radians(k.u(55, 75))  # how far the wings rise from flat
    for s in (-1, 1):
        root = (0.1, 0.6 + 0.45 * 1.3, s * 0.35)

        def out(x: float, y: float, root: tuple = root, s: int = s) -> tuple[float, float, float]:
            return (root[0] + x, root[1] + y * cos(lift), root[2] + s * y * sin(lift))

        parts.append(tube("accent", [out(0, 0), out(0.4, span * 0.55), out(-0.6, span)], (0.06, 0.045, 0.02)))
        parts.append(extrude("wing", [(0, 0), (0.4, span * 0.55), (-0.6, span), (-0.9, span * 0.5), (-0.6, 0)], 0.02, at=root, rot=(s * degrees(lift), 0, 0)))
    parts += [cone("accent", 0.06, 0.18, at=(x, 0.6 + 0.45 * 1.5, 0)) for x in (-0.6, -0.3, 0.0, 0.3, 0.6)]
    if k.chance(0.4):
        hx = 1.6 / 2 + 0.45 * 0.55 + 0.8 * cos(radians(50)) + 0.3 * 0.2 + 0.35 + 0.3 * 0.7
        hy = 0.6 + 0.45 * 0.6 + 0.45 * 0.3 + 0.8 * sin(radians(50)) + 0.08
        parts.append(lathe("flame", [(0, 0, 1), (0.12, 0.3), (0.25, 0.8), (0, 1.2, 1)], at=(hx, hy - 0.05, 0), rot=(0, 0, -100)))
    return parts
