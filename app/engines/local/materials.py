"""Materials, colours and style words as data.

Colours are written in sRGB (what people pick in a colour chooser) and converted to linear when a material is
exported: glTF's baseColorFactor is linear, and trimesh/our writer do not convert factors for us.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass, replace

from app.engines.local.gltf import PbrMaterial

RGB = tuple[float, float, float]


def srgb(r: int, g: int, b: int) -> RGB:
    return (r / 255.0, g / 255.0, b / 255.0)


def srgb_to_linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


@dataclass(frozen=True, slots=True)
class Material:
    name: str
    color: RGB  # sRGB, 0..1
    metallic: float = 0.0
    roughness: float = 0.6
    alpha: float = 1.0  # < 1 -> alphaMode BLEND
    pattern: str | None = None  # procedural texture at the textured tiers (`patterns.LOOKS`); None: flat colour

    def linear_rgba(self) -> tuple[float, float, float, float]:
        r, g, b = (srgb_to_linear(c) for c in self.color)
        return (r, g, b, self.alpha)

    def pbr_material(self, pbr: bool) -> PbrMaterial:
        """As written to the GLB: non-PBR tiers (draft, standard) export base colour only, metallic 0 and roughness
        1, so every viewer shows the same flat-lit colour; the high tier exports the real metallic/roughness."""
        return PbrMaterial(self.name, self.linear_rgba(), self.metallic if pbr else 0.0, self.roughness if pbr else 1.0)

    def tinted(self, color: RGB, color_name: str) -> Material:
        """A colour word replaces the base colour; metals keep a little of their own hue so 'red steel' still reads
        as metal."""
        if self.metallic > 0.5:
            color = tuple(0.75 * c + 0.25 * o for c, o in zip(color, self.color, strict=True))  # type: ignore[assignment]
        return replace(self, color=color, name=f"{color_name} {self.name}")


def _m(
    name: str,
    rgb: tuple[int, int, int],
    metallic: float = 0.0,
    roughness: float = 0.6,
    alpha: float = 1.0,
    pattern: str | None = None,
) -> Material:
    return Material(name, srgb(*rgb), metallic, roughness, alpha, pattern)


# Canonical materials. Metals use saturated "artist" colours rather than measured F0 values: the draft and standard
# tiers export base colour only (metallic 0), and a pale measured copper would read as pink plastic there.
MATERIALS: dict[str, Material] = {
    m.name: m
    for m in (
        _m("wood", (133, 87, 48), 0.0, 0.75, pattern="wood"),
        _m("oak", (150, 105, 60), 0.0, 0.7, pattern="wood"),
        _m("pine", (205, 160, 105), 0.0, 0.75, pattern="wood"),
        _m("dark wood", (84, 50, 30), 0.0, 0.7, pattern="wood"),
        _m("bark", (95, 66, 42), 0.0, 0.95, pattern="bark"),
        _m("wicker", (196, 150, 95), 0.0, 0.85, pattern="wicker"),
        _m("iron", (92, 94, 100), 1.0, 0.5, pattern="metal"),
        _m("steel", (165, 168, 175), 1.0, 0.3, pattern="metal"),
        _m("aluminium", (200, 203, 208), 1.0, 0.35, pattern="metal"),
        _m("gold", (240, 190, 60), 1.0, 0.25, pattern="metal"),
        _m("silver", (215, 215, 220), 1.0, 0.2, pattern="metal"),
        _m("bronze", (170, 115, 55), 1.0, 0.4, pattern="metal"),
        _m("copper", (190, 105, 60), 1.0, 0.35, pattern="metal"),
        _m("brass", (205, 170, 80), 1.0, 0.3, pattern="metal"),
        _m("chrome", (225, 228, 232), 1.0, 0.08),
        _m("stone", (128, 126, 120), 0.0, 0.9, pattern="stone"),
        _m("masonry", (140, 136, 128), 0.0, 0.9, pattern="masonry"),
        _m("marble", (232, 230, 224), 0.0, 0.25, pattern="marble"),
        _m("brick", (160, 70, 50), 0.0, 0.9, pattern="brick"),
        _m("concrete", (150, 150, 145), 0.0, 0.95, pattern="plaster"),
        _m("glass", (215, 235, 240), 0.0, 0.05, 0.35),
        _m("crystal", (190, 215, 255), 0.0, 0.05, 0.6),
        _m("ice", (200, 228, 250), 0.0, 0.1, 0.7),
        _m("ceramic", (232, 226, 214), 0.0, 0.5, pattern="ceramic"),
        _m("glazed ceramic", (242, 240, 232), 0.0, 0.12, pattern="ceramic"),
        _m("porcelain", (246, 246, 250), 0.0, 0.18, pattern="ceramic"),
        _m("enamel", (238, 236, 228), 0.0, 0.2, pattern="ceramic"),
        _m("clay", (176, 110, 75), 0.0, 0.9, pattern="stone"),
        _m("terracotta", (196, 100, 60), 0.0, 0.85, pattern="ceramic"),
        _m("plastic", (225, 225, 225), 0.0, 0.4, pattern="plastic"),
        _m("rubber", (38, 38, 40), 0.0, 0.9, pattern="plastic"),
        _m("leather", (110, 62, 32), 0.0, 0.7, pattern="leather"),
        _m("fabric", (180, 168, 150), 0.0, 0.95, pattern="fabric"),
        _m("fur", (120, 80, 50), 0.0, 0.95, pattern="fur"),
        _m("feathers", (150, 120, 90), 0.0, 0.9, pattern="fur"),
        _m("scales", (70, 120, 60), 0.0, 0.5, pattern="scales"),
        _m("skin", (225, 180, 150), 0.0, 0.7),
        _m("paper", (240, 234, 215), 0.0, 0.9, pattern="ceramic"),
        _m("cardboard", (180, 140, 95), 0.0, 0.95, pattern="plaster"),
        _m("wax", (242, 232, 205), 0.0, 0.5),
        _m("obsidian", (28, 22, 34), 0.0, 0.08),
        _m("bone", (228, 218, 190), 0.0, 0.6, pattern="ceramic"),
        _m("leaves", (70, 135, 55), 0.0, 0.8, pattern="foliage"),
        _m("pine needles", (40, 95, 50), 0.0, 0.85, pattern="foliage"),
        _m("grass", (90, 150, 60), 0.0, 0.9, pattern="foliage"),
        _m("cactus", (75, 140, 70), 0.0, 0.7, pattern="fur"),
        _m("snow", (245, 248, 255), 0.0, 0.8, pattern="ground"),
        _m("soil", (85, 60, 40), 0.0, 1.0, pattern="ground"),
        _m("sand", (220, 195, 140), 0.0, 1.0, pattern="ground"),
        _m("flame", (255, 190, 60), 0.0, 0.5),
        _m("paint", (200, 40, 35), 0.0, 0.35, pattern="plastic"),
        _m("mushroom cap", (200, 45, 40), 0.0, 0.6, pattern="plastic"),
        _m("pumpkin", (235, 125, 30), 0.0, 0.6, pattern="plastic"),
        _m("apple skin", (190, 30, 35), 0.0, 0.35, pattern="plastic"),
        _m("dough", (215, 160, 90), 0.0, 0.8, pattern="plaster"),
        _m("bread crust", (180, 110, 50), 0.0, 0.8, pattern="plaster"),
        _m("frosting", (245, 160, 190), 0.0, 0.5),
        _m("cake sponge", (240, 215, 160), 0.0, 0.9, pattern="plaster"),
        _m("cheese", (250, 200, 70), 0.0, 0.6, pattern="ceramic"),
        _m("meat", (110, 55, 35), 0.0, 0.8, pattern="plaster"),
        _m("chocolate", (90, 52, 30), 0.0, 0.4),
        _m("waffle", (215, 160, 85), 0.0, 0.8, pattern="wicker"),
        _m("water", (60, 130, 200), 0.0, 0.05, 0.6),
        _m("gem", (60, 190, 140), 0.0, 0.05, 0.8),
        _m("coffee", (62, 36, 20), 0.0, 0.1),
        _m("potion", (205, 45, 165), 0.0, 0.15),
        _m("tea", (150, 78, 30), 0.0, 0.1),
        _m("plaster", (236, 226, 200), 0.0, 0.9, pattern="plaster"),
        _m("roof tiles", (150, 62, 45), 0.0, 0.85, pattern="tiles"),
        _m("thatch", (190, 160, 90), 0.0, 1.0, pattern="bark"),
        _m("slate", (70, 78, 92), 0.0, 0.7, pattern="tiles"),
        _m("window", (42, 52, 68), 0.0, 0.1),
        _m("screen", (18, 22, 30), 0.0, 0.05),
        _m("light", (255, 244, 200), 0.0, 0.3),
        _m("cork", (190, 150, 100), 0.0, 0.9, pattern="stone"),
    )
}

# Words (and two-word phrases) naming a material. Bigrams are matched before single words.
MATERIAL_WORDS: dict[str, str] = {
    **{name: name for name in MATERIALS},
    "wooden": "wood",
    "timber": "wood",
    "oaken": "oak",
    "walnut": "dark wood",
    "mahogany": "dark wood",
    "ebony": "dark wood",
    "iron": "iron",
    "cast iron": "iron",
    "wrought iron": "iron",
    "metal": "steel",
    "metallic": "steel",
    "stainless steel": "steel",
    "aluminium": "aluminium",
    "aluminum": "aluminium",
    "tin": "aluminium",
    "enamel": "enamel",
    "enamelled": "enamel",
    "enameled": "enamel",
    "wicker": "wicker",
    "rattan": "wicker",
    "straw": "wicker",
    "furry": "fur",
    "plush": "fur",
    "fluffy": "fur",
    "feathered": "feathers",
    "scaly": "scales",
    "sandstone": "sand",
    "sandy": "sand",
    "thatched": "thatch",
    "brick": "brick",
    "bricks": "brick",
    "cardboard": "cardboard",
    "chocolate": "chocolate",
    "cheese": "cheese",
    "neon": "light",
    "glowing": "light",
    "golden": "gold",
    "gilded": "gold",
    "silvery": "silver",
    "stone": "stone",
    "granite": "stone",
    "rocky": "stone",
    "marble": "marble",
    "glazed": "glazed ceramic",
    "glazed ceramic": "glazed ceramic",
    "glazed porcelain": "porcelain",
    "china": "porcelain",
    "crystal": "crystal",
    "crystalline": "crystal",
    "glass": "glass",
    "icy": "ice",
    "frozen": "ice",
    "earthenware": "clay",
    "stoneware": "ceramic",
    "pottery": "ceramic",
    "cloth": "fabric",
    "cotton": "fabric",
    "wool": "fabric",
    "woolen": "fabric",
    "velvet": "fabric",
    "linen": "fabric",
    "plastic": "plastic",
    "rubber": "rubber",
    "leather": "leather",
    "paper": "paper",
    "bone": "bone",
    "ivory": "bone",
    "concrete": "concrete",
    "chrome": "chrome",
    "copper": "copper",
    "bronze": "bronze",
    "brass": "brass",
    "obsidian": "obsidian",
    "wax": "wax",
    "plaster": "plaster",
    "stucco": "plaster",
    "slate": "slate",
    "cork": "cork",
}

COLOURS: dict[str, RGB] = {
    "red": srgb(200, 38, 35),
    "crimson": srgb(170, 20, 40),
    "maroon": srgb(110, 25, 30),
    "green": srgb(55, 150, 60),
    "emerald": srgb(20, 150, 90),
    "lime": srgb(150, 210, 50),
    "olive": srgb(110, 115, 45),
    "blue": srgb(40, 80, 200),
    "navy": srgb(25, 35, 95),
    "sky": srgb(120, 180, 235),
    "yellow": srgb(240, 205, 40),
    "orange": srgb(240, 130, 30),
    "purple": srgb(125, 60, 170),
    "violet": srgb(140, 90, 210),
    "magenta": srgb(210, 40, 160),
    "pink": srgb(240, 135, 170),
    "white": srgb(238, 238, 236),
    "black": srgb(24, 24, 27),
    "grey": srgb(128, 128, 128),
    "gray": srgb(128, 128, 128),
    "brown": srgb(110, 70, 40),
    "beige": srgb(220, 200, 160),
    "tan": srgb(200, 160, 110),
    "teal": srgb(0, 128, 128),
    "cyan": srgb(0, 185, 210),
    "turquoise": srgb(60, 205, 190),
    "ruby": srgb(180, 20, 50),
    "sapphire": srgb(30, 60, 170),
    "amber": srgb(235, 150, 20),
    "ginger": srgb(215, 120, 45),
    "cream": srgb(245, 235, 205),
    "khaki": srgb(190, 175, 120),
    "mint": srgb(160, 225, 190),
    "lavender": srgb(190, 160, 225),
    "scarlet": srgb(220, 30, 25),
    "indigo": srgb(60, 40, 140),
    "charcoal": srgb(55, 55, 60),
    "rose": srgb(225, 100, 130),
    "peach": srgb(250, 190, 150),
    "burgundy": srgb(120, 20, 40),
}

# Style words: how they change a material. Each is a function name in `apply_modifier`.
MODIFIERS: frozenset[str] = frozenset(
    {
        "rusty",
        "rusted",
        "shiny",
        "polished",
        "glossy",
        "matte",
        "dull",
        "dark",
        "light",
        "pale",
        "bright",
        "mossy",
        "weathered",
        "old",
        "ancient",
        "worn",
        "chipped",
        "battered",
        "rustic",
        "antique",
        "vintage",
        "shining",
        "gleaming",
    }
)

# Words about the whole object rather than a surface.
LOW_POLY_WORDS: frozenset[str] = frozenset({"lowpoly", "faceted", "polygonal", "papercraft"})
SIZE_WORDS: dict[str, tuple[float, float]] = {  # (xz scale, y scale)
    "tiny": (0.5, 0.5),
    "small": (0.7, 0.7),
    "little": (0.7, 0.7),
    "mini": (0.6, 0.6),
    "big": (1.4, 1.4),
    "large": (1.4, 1.4),
    "huge": (2.0, 2.0),
    "giant": (2.5, 2.5),
    "tall": (1.0, 1.35),
    "short": (1.0, 0.75),
    "squat": (1.15, 0.75),
    "wide": (1.3, 1.0),
    "fat": (1.3, 1.0),
    "thin": (0.75, 1.0),
    "slim": (0.8, 1.0),
    "narrow": (0.8, 1.0),
}

# Part nouns and "-ed" adjectives that say which slot a material belongs to (recipes can add their own).
PART_WORDS: dict[str, str] = {
    "band": "metal",
    "bands": "metal",
    "banded": "metal",
    "banding": "metal",
    "strap": "metal",
    "straps": "metal",
    "strapped": "metal",
    "bound": "metal",
    "rim": "metal",
    "rimmed": "metal",
    "trim": "metal",
    "trimmed": "metal",
    "hinge": "metal",
    "hinges": "metal",
    "stud": "metal",
    "studs": "metal",
    "studded": "metal",
    "rivets": "metal",
    "riveted": "metal",
    "fittings": "metal",
    "hoops": "metal",
    "hooped": "metal",
    "handle": "secondary",
    "handles": "secondary",
    "handled": "secondary",
    "leg": "secondary",
    "legs": "secondary",
    "legged": "secondary",
    "frame": "secondary",
    "framed": "secondary",
    "base": "secondary",
    "stand": "secondary",
    "lid": "primary",
    "body": "primary",
    "lock": "accent",
    "knob": "accent",
    "gem": "accent",
    "gems": "accent",
    "jewel": "accent",
    "jewels": "accent",
    "leaves": "foliage",
    "leafy": "foliage",
    "foliage": "foliage",
    "canopy": "foliage",
    "window": "glass",
    "windows": "glass",
    "windowed": "glass",
    "lens": "glass",
}


def apply_modifier(material: Material, word: str) -> Material:
    """Change a material the way a style word suggests (why data + a switch: each rule is one line)."""
    r, g, b = material.color
    h, s, v = colorsys.rgb_to_hsv(r, g, b)
    if word in ("rusty", "rusted"):
        if material.metallic < 0.5:
            return material
        return replace(material, name=f"rusty {material.name}", color=srgb(135, 68, 38), metallic=0.3, roughness=0.9)
    if word in ("shiny", "polished", "glossy", "shining", "gleaming"):
        return replace(material, name=f"shiny {material.name}", roughness=round(material.roughness * 0.35, 3))
    if word in ("matte", "dull"):
        return replace(material, name=f"matte {material.name}", roughness=max(material.roughness, 0.9))
    if word == "dark":
        return replace(material, name=f"dark {material.name}", color=colorsys.hsv_to_rgb(h, s, v * 0.5))
    if word in ("light", "pale"):
        return replace(material, name=f"pale {material.name}", color=colorsys.hsv_to_rgb(h, s * 0.5, min(1, v * 1.2)))
    if word == "bright":
        return replace(
            material, name=f"bright {material.name}", color=colorsys.hsv_to_rgb(h, min(1, s * 1.3), min(1, v * 1.2))
        )
    if word == "mossy":
        moss = srgb(80, 120, 50)
        mixed = tuple(0.55 * c + 0.45 * m for c, m in zip(material.color, moss, strict=True))
        return replace(material, name=f"mossy {material.name}", color=mixed, roughness=max(material.roughness, 0.85))  # type: ignore[arg-type]
    if word in ("weathered", "old", "ancient", "worn", "chipped", "battered", "rustic", "antique", "vintage"):
        return replace(
            material,
            name=f"weathered {material.name}",
            color=colorsys.hsv_to_rgb(h, s * 0.7, v * 0.85),
            roughness=min(1.0, material.roughness + 0.2),
        )
    return material


def jittered(material: Material, hue: float, value: float) -> Material:
    """Per-seed colour variation: a small hue/value nudge that keeps the material recognisable."""
    h, s, v = colorsys.rgb_to_hsv(*material.color)
    color = colorsys.hsv_to_rgb((h + hue) % 1.0, s, min(1.0, max(0.0, v * (1 + value))))
    return replace(material, color=(round(color[0], 6), round(color[1], 6), round(color[2], 6)))
