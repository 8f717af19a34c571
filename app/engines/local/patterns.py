"""Procedural, tileable material textures in numpy: wood grain, stone, brick, brushed metal, fabric weave, leather,
ceramic, plastic and a few more, each an albedo (sRGB, around the material's colour) and a height map (for the
high tier's normal maps).

Why textures at all: at the standard and high tiers a flat colour reads as plastic; grain, courses and weave say
what a thing is made of. Every pattern tiles (wrap-around noise, integer counts of bricks, rings and threads), so
the GLB samples it with REPEAT and one texture covers a part of any size.

Orientation, by convention: grain, fibres and brushing run along V (down the image: parts lay V along their length),
courses of brick, blocks and tiles along U (across the image: world-aligned UVs keep U level).
"""

from __future__ import annotations

import colorsys
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image

RGB = tuple[float, float, float]
F32 = np.float32


class Noise:
    """Tileable value noise over a size×size texture, made one band of rows at a time.

    The pattern functions run once per band: each call of `layer` or `table` takes the random lattice or table
    of its position in the call order (drawn at the first band, reused by the others), so every band sees the same
    texture and only its own rows are ever in memory. Rows are "unwrapped" (a band may start at -1 or end past the
    last row): lattices are padded by wrap-around and tables indexed modulo, so the texture tiles seamlessly."""

    PAD = 3  # lattice cells of wrap-around padding: bicubic support plus a halo row

    def __init__(self, size: int, seed: int) -> None:
        self.size = size
        self.rng = np.random.default_rng(seed)
        self._lattices: list[np.ndarray] = []
        self._tables: list[np.ndarray] = []
        self.band(0, size)

    def band(self, start: int, stop: int) -> None:
        """Work on rows [start, stop) from now on (and replay the draws from the first call)."""
        self.start, self.stop = start, stop
        self._next_lattice = self._next_table = 0

    @property
    def rows(self) -> int:
        return self.stop - self.start

    def grid(self) -> tuple[np.ndarray, np.ndarray]:
        """(u, v) at pixel centres, u in [0, 1) as a row, v of this band's rows as a column (they broadcast)."""
        u = (np.arange(self.size, dtype=F32) + F32(0.5)) / F32(self.size)
        v = (np.arange(self.start, self.stop, dtype=F32) + F32(0.5)) / F32(self.size)
        return u[None, :], v[:, None]

    def layer(self, cells_u: int, cells_v: int | None = None) -> np.ndarray:
        """One octave, about N(0, 1): a random cells_v × cells_u lattice, bicubic-interpolated with wrap-around."""
        cells_v = cells_v or cells_u
        if self._next_lattice == len(self._lattices):
            lattice = self.rng.standard_normal((cells_v, cells_u)).astype(F32)
            self._lattices.append(np.pad(lattice, self.PAD, mode="wrap"))
        padded = self._lattices[self._next_lattice]
        self._next_lattice += 1
        per_row = cells_v / self.size
        box = (self.PAD, self.PAD + self.start * per_row, self.PAD + cells_u, self.PAD + self.stop * per_row)
        image = Image.fromarray(padded, mode="F").resize((self.size, self.rows), Image.Resampling.BICUBIC, box=box)
        return np.array(image, dtype=F32)  # a writable copy: patterns work in place

    def fbm(self, cells: int, octaves: int, stretch: int = 1) -> np.ndarray:
        """Octaves of doubling frequency and halving amplitude; `stretch` lengthens features along V."""
        out = np.zeros((self.rows, self.size), F32)
        amp, total = 1.0, 0.0
        for o in range(octaves):
            c = cells << o
            out += F32(amp) * self.layer(c, max(1, c // stretch))
            total += amp
            amp *= 0.5
        out /= F32(total)
        return out

    def table(self, n: int) -> np.ndarray:
        """n random values in [0, 1) (per brick, per tile); index them modulo n."""
        if self._next_table == len(self._tables):
            self._tables.append(self.rng.random(n).astype(F32))
        out = self._tables[self._next_table]
        self._next_table += 1
        return out

    def tiled(self, cell: np.ndarray) -> np.ndarray:
        """A small periodic cell (its sides divide the texture's) repeated over this band."""
        rows = np.arange(self.start, self.stop) % cell.shape[0]
        return np.tile(cell[rows], (1, self.size // cell.shape[1]))


def smoothstep(e0: float, e1: float, x: np.ndarray) -> np.ndarray:
    t = np.clip((x - F32(e0)) / F32(e1 - e0), 0.0, 1.0)
    return t * t * (F32(3.0) - F32(2.0) * t)


def shade(colour: RGB, value: float = 1.0, saturation: float = 1.0) -> np.ndarray:
    """The colour with its HSV value and saturation scaled."""
    h, s, v = colorsys.rgb_to_hsv(*colour)
    return np.asarray(colorsys.hsv_to_rgb(h, min(1.0, s * saturation), min(1.0, v * value)), F32)


@dataclass(frozen=True, slots=True)
class Layers:
    """What a pattern makes: a tone map (0 -> `dark`, 1 -> `light`), a height map for the normal map, and
    optionally a second colour laid over where `overlay` is 1 (the mortar between bricks)."""

    tone: np.ndarray
    height: np.ndarray
    dark: np.ndarray
    light: np.ndarray
    overlay: tuple[np.ndarray, np.ndarray] | None = None


# ------------------------------------------------------------------------------------------------ the patterns
# Each takes (noise, base colour) and returns Layers; heights are in about [-1, 1].

Pattern = Callable[[Noise, RGB], Layers]


def wood(n: Noise, c: RGB) -> Layers:
    u, _ = n.grid()
    rings = n.fbm(3, 3, stretch=3)
    rings *= F32(0.35)
    rings += u * F32(14.0)  # growth rings along V, wavering
    rings %= F32(1.0)
    late = smoothstep(0.55, 0.95, rings)  # the dark late-wood band of each ring
    del rings
    fibres = n.layer(n.size // 8, 8)
    fibres *= F32(0.06)  # long thin fibres
    tone = n.fbm(2, 2)
    tone *= F32(0.08)
    tone += F32(0.8) + fibres - F32(0.45) * late
    late *= F32(-0.6)
    late += fibres
    return Layers(tone, late, shade(c, 0.55, 1.25), shade(c, 1.18, 0.9))


def bark(n: Noise, c: RGB) -> Layers:
    fissure = smoothstep(0.0, 0.35, np.abs(n.fbm(12, 3, stretch=6)))
    tone = n.fbm(4, 2)
    tone *= F32(0.1)
    tone += F32(0.25) + F32(0.7) * fissure
    return Layers(tone, fissure, shade(c, 0.45), shade(c, 1.15))


def brushed(n: Noise, c: RGB) -> Layers:
    streaks = n.layer(n.size // 4, 6)
    streaks *= F32(0.07)
    streaks += n.layer(n.size // 16, 3) * F32(0.05)
    tone = n.fbm(3, 3)
    tone *= F32(0.06)
    tone += F32(0.8) + streaks
    streaks *= F32(0.3)
    return Layers(tone, streaks, shade(c, 0.75), shade(c, 1.12, 0.9))


def weave(n: Noise, c: RGB, threads: int = 128, depth: float = 1.0) -> Layers:
    """Plain weave: threads go over and under each other; one 2×2-thread cell, tiled."""
    period = max(2, n.size // threads)
    t = (np.arange(2 * period, dtype=F32) + F32(0.5)) / F32(period)
    profile = np.sin(F32(np.pi) * (t % F32(1.0))) ** 2  # across one thread
    over = ((np.floor(t)[None, :] + np.floor(t)[:, None]) % 2).astype(F32)
    cell = over * profile[None, :] + (F32(1.0) - over) * profile[:, None]
    height = n.tiled(cell * F32(depth))
    tone = n.fbm(4, 3)
    tone *= F32(0.07)
    tone += F32(0.62) + F32(0.32) * height
    return Layers(tone, height, shade(c, 0.7), shade(c, 1.1))


def wicker(n: Noise, c: RGB) -> Layers:
    return weave(n, c, threads=32, depth=1.4)


def leather(n: Noise, c: RGB) -> Layers:
    pebbles = n.layer(n.size // 24) + F32(0.5) * n.layer(n.size // 12)
    pebbles = F32(1.0) - np.abs(pebbles)
    creases = smoothstep(0.15, 0.0, np.abs(n.fbm(6, 2)))
    creases *= F32(0.5)
    tone = n.fbm(2, 2)
    tone *= F32(0.08)
    tone += F32(0.65) + F32(0.15) * pebbles - F32(0.3) * creases
    pebbles *= F32(0.4)
    pebbles -= creases
    return Layers(tone, pebbles, shade(c, 0.7), shade(c, 1.12))


def speckled(n: Noise, c: RGB, speck: float = 0.06, mottle: float = 0.05) -> Layers:
    specks = smoothstep(2.0, 2.6, n.layer(n.size // 6))
    specks *= F32(speck)
    tone = n.fbm(2, 3)
    tone *= F32(mottle)
    tone += F32(0.9) - specks * F32(2.0)
    return Layers(tone, -specks, shade(c, 0.6), shade(c, 1.05))


def ceramic(n: Noise, c: RGB) -> Layers:
    return speckled(n, c, 0.12, 0.05)


def plastic(n: Noise, c: RGB) -> Layers:
    return speckled(n, c, 0.0, 0.03)


def stone(n: Noise, c: RGB) -> Layers:
    body = n.fbm(4, 5)
    grains = n.layer(n.size // 5)
    grains *= F32(0.12)
    tone = body * F32(0.28) + grains
    tone += F32(0.62)
    body *= F32(0.6)
    body += grains
    return Layers(tone, body, shade(c, 0.55), shade(c, 1.2, 0.8))


def courses(
    n: Noise, c: RGB, rows: int, cols: int, mortar: float, mortar_colour: np.ndarray, jitter: float, rough: float
) -> Layers:
    """Blocks laid in courses along U (half-bond), each with its own tone, in mortar."""
    u, v = n.grid()
    row = np.floor(v * F32(rows))
    offset = (row % 2) * F32(0.5) + n.table(rows)[row.astype(np.int64) % rows] * F32(jitter)
    x = u * F32(cols) + offset
    col = np.floor(x) % cols
    fu, fv = x % F32(1.0), (v * F32(rows)) % F32(1.0)
    # distance to the nearest joint, in course heights
    edge = np.minimum(np.minimum(fu, F32(1.0) - fu) * F32(rows / cols), np.minimum(fv, F32(1.0) - fv))
    del fu, x
    joint = F32(1.0) - smoothstep(mortar * 0.5, mortar, edge)
    del edge
    surface = n.fbm(8, 3)
    surface *= F32(rough)
    tone = n.table(rows * cols)[(row * cols + col).astype(np.int64) % (rows * cols)] * F32(0.35)
    tone += F32(0.55) + surface
    height = (F32(1.0) - joint) * F32(0.8)
    height += surface
    return Layers(tone, height, shade(c, 0.62), shade(c, 1.15), (joint, mortar_colour))


def brick(n: Noise, c: RGB) -> Layers:
    mortar = np.asarray((0.74, 0.71, 0.66), F32)
    return courses(n, c, rows=16, cols=4, mortar=0.1, mortar_colour=mortar, jitter=0.0, rough=0.08)


def masonry(n: Noise, c: RGB) -> Layers:
    return courses(n, c, rows=8, cols=3, mortar=0.07, mortar_colour=shade(c, 0.55, 0.6), jitter=0.5, rough=0.16)


def tiles(n: Noise, c: RGB) -> Layers:
    """Overlapping roof tiles or shingles: each course's lower edge shadows the one below."""
    u, v = n.grid()
    rows, cols = 12, 8
    row = np.floor(v * F32(rows))
    x = u * F32(cols) + (row % 2) * F32(0.5)
    fu, fv = x % F32(1.0), (v * F32(rows)) % F32(1.0)
    lip = np.sqrt(np.clip(F32(1.0) - ((fu - F32(0.5)) * F32(2.0)) ** 2, 0.0, 1.0)) * F32(0.25)  # rounded tile ends
    height = np.clip(fv + lip, 0.0, 1.0)
    del lip, fv
    gap = smoothstep(0.04, 0.0, np.minimum(fu, F32(1.0) - fu))
    tone = n.table(rows * cols)[(row * cols + np.floor(x) % cols).astype(np.int64) % (rows * cols)] * F32(0.2)
    tone += F32(0.45) + F32(0.4) * height - F32(0.35) * gap + n.fbm(8, 2) * F32(0.06)
    height -= gap
    return Layers(tone, height, shade(c, 0.5), shade(c, 1.15))


def plaster(n: Noise, c: RGB) -> Layers:
    body = n.fbm(6, 4)
    pores = smoothstep(2.2, 2.8, n.layer(n.size // 8))
    pores *= F32(0.5)
    tone = body * F32(0.1)
    tone += F32(0.82) - pores * F32(0.3)
    body *= F32(0.5)
    body -= pores
    return Layers(tone, body, shade(c, 0.7), shade(c, 1.08))


def marble(n: Noise, c: RGB) -> Layers:
    u, v = n.grid()
    veins = n.fbm(3, 5)
    veins *= F32(4.0)
    veins += F32(2 * np.pi) * (u * F32(2.0) + v * F32(1.0))
    veins = np.abs(np.sin(veins))
    tone = veins**0.3 * F32(0.45)
    tone += F32(0.55) + n.fbm(4, 2) * F32(0.04)
    veins *= F32(0.1)
    return Layers(tone, veins, shade(c, 0.55, 1.4), shade(c, 1.05))


def foliage(n: Noise, c: RGB) -> Layers:
    clumps = n.fbm(8, 4)
    leaves = n.layer(n.size // 10)
    tone = clumps * F32(0.3) + leaves * F32(0.12)
    tone += F32(0.55)
    leaves *= F32(0.4)
    leaves += clumps
    return Layers(tone, leaves, shade(c, 0.45, 1.2), shade(c, 1.25, 0.9))


def fur(n: Noise, c: RGB) -> Layers:
    hairs = n.layer(n.size // 3, n.size // 24)
    hairs *= F32(0.08)
    tone = n.fbm(4, 3)
    tone *= F32(0.12)
    tone += F32(0.75) + hairs
    hairs *= F32(2.0)
    return Layers(tone, hairs, shade(c, 0.7), shade(c, 1.12))


def scales(n: Noise, c: RGB) -> Layers:
    """Overlapping round scales in offset rows (fish, reptiles, dragons)."""
    u, v = n.grid()
    rows, cols = 24, 16
    row = np.floor(v * F32(rows))
    x = u * F32(cols) + (row % 2) * F32(0.5)
    fu, fv = x % F32(1.0) - F32(0.5), (v * F32(rows)) % F32(1.0)
    height = np.clip(F32(1.0) - np.sqrt(fu * fu * F32(1.6) + (F32(1.0) - fv) ** 2), 0.0, 1.0)
    tone = n.fbm(4, 2)
    tone *= F32(0.08)
    tone += F32(0.45) + F32(0.5) * height
    return Layers(tone, height, shade(c, 0.5, 1.2), shade(c, 1.2, 0.9))


def ground(n: Noise, c: RGB) -> Layers:
    body = n.fbm(6, 5)
    tone = body * F32(0.25)
    tone += F32(0.7)
    return Layers(tone, body, shade(c, 0.6), shade(c, 1.15))


@dataclass(frozen=True, slots=True)
class Look:
    """How a pattern is laid on a model: its generator, world-aligned or along the parts, the size of one repeat
    (metres, for a model 1 m across; bigger models get bigger repeats, see `repeat_for`), the strength of its normal
    map (0: none), and the fraction of the tier's texture size it needs (subtle patterns need few texels)."""

    make: Pattern
    world: bool
    repeat: float
    normal: float
    size: float = 1.0


LOOKS: dict[str, Look] = {
    "wood": Look(wood, False, 0.45, 1.2),
    "bark": Look(bark, False, 0.5, 3.0),
    "metal": Look(brushed, False, 0.35, 0.6, 0.5),
    "fabric": Look(weave, False, 0.25, 1.5),
    "wicker": Look(wicker, False, 0.35, 3.0),
    "leather": Look(leather, False, 0.3, 1.5),
    "ceramic": Look(ceramic, False, 0.2, 0.0, 0.5),
    "plastic": Look(plastic, False, 0.3, 0.0, 0.25),
    "stone": Look(stone, True, 0.8, 2.0),
    "masonry": Look(masonry, True, 1.0, 3.0),
    "brick": Look(brick, True, 0.75, 3.0),
    "tiles": Look(tiles, True, 0.7, 3.0),
    "plaster": Look(plaster, True, 0.8, 1.0, 0.5),
    "marble": Look(marble, False, 0.6, 0.3),
    "foliage": Look(foliage, False, 0.5, 2.0),
    "fur": Look(fur, False, 0.3, 1.2),
    "scales": Look(scales, False, 0.25, 2.5),
    "ground": Look(ground, True, 0.6, 1.5, 0.5),
}
WORLD_ALIGNED = frozenset(name for name, look in LOOKS.items() if look.world)


def repeat_for(look: Look, extent: float) -> float:
    """Metres per texture repeat on a model `extent` metres across: grows slower than the model, so a cottage's
    bricks are bigger than real ones but a castle's are not giant, and a mug still shows its glaze's speckle."""
    return look.repeat * max(extent, 0.05) ** 0.6


def normals_of(height: np.ndarray, strength: float) -> np.ndarray:
    """uint8 tangent-space normals of the inner rows of a height band (its first and last rows are the halo);
    columns wrap around (+Y up in the image, as glTF wants)."""
    h = height * F32(strength)
    dx = (np.roll(h[1:-1], -1, axis=1) - np.roll(h[1:-1], 1, axis=1)) * F32(0.5)
    dy = (h[2:] - h[:-2]) * F32(0.5)
    inv = F32(1.0) / np.sqrt(dx * dx + dy * dy + F32(1.0))
    out = np.empty((*dx.shape, 3), np.uint8)
    out[..., 0] = np.round((F32(1.0) - dx * inv) * F32(127.5))
    out[..., 1] = np.round((F32(1.0) + dy * inv) * F32(127.5))
    out[..., 2] = np.round((F32(1.0) + inv) * F32(127.5))
    return out


BAND = 64  # rows made at once: a few MB of working arrays per band whatever the texture size (256 rows peaked at
# ~20 MB above the texture itself on a 2048² high-tier one)


def texture(name: str, colour: RGB, size: int, seed: int, normal: float = 0.0) -> tuple[np.ndarray, np.ndarray | None]:
    """(albedo uint8 (S, S, 3) sRGB, normal map uint8 (S, S, 3) or None) of pattern `name` around `colour`; the
    normal map when `normal` (its strength, in height units per texel) is above 0."""
    noise = Noise(size, seed)
    make = LOOKS[name].make
    rgb = np.empty((size, size, 3), np.uint8)
    normals = np.empty((size, size, 3), np.uint8) if normal > 0 else None
    for r0 in range(0, size, BAND):
        r1 = min(size, r0 + BAND)
        noise.band(r0 - 1, r1 + 1)  # one halo row each side, for the normal map's slope
        layers = make(noise, colour)
        tone = np.broadcast_to(layers.tone, (noise.rows, size))[1:-1]
        band = layers.dark + (layers.light - layers.dark) * np.clip(tone, 0.0, 1.0)[..., None]
        if layers.overlay is not None:
            mask = np.broadcast_to(layers.overlay[0], (noise.rows, size))[1:-1]
            band += (layers.overlay[1] - band) * mask[..., None]
        rgb[r0:r1] = np.clip(band * F32(255.0) + F32(0.5), 0, 255).astype(np.uint8)
        if normals is not None:
            normals[r0:r1] = normals_of(np.broadcast_to(layers.height, (noise.rows, size)).astype(F32), normal)
    return rgb, normals
