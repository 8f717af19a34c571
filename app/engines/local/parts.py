"""Recipe parts: a primitive kind, its parameters, a placement and a material slot — plain frozen data.

The constructors (`box`, `cyl`, `lathe`, ...) keep recipes to one short line per part; `build_part` turns a part
into a placed `Mesh` at a given tessellation `Detail`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.engines.local import geometry as g

Vec3 = tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class Part:
    kind: str
    slot: str
    params: tuple[tuple[str, Any], ...]
    at: Vec3 = (0.0, 0.0, 0.0)
    rot: Vec3 = (0.0, 0.0, 0.0)  # degrees, X then Y then Z
    scale: Vec3 = (1.0, 1.0, 1.0)


def _part(
    kind: str, slot: str, at: Sequence[float], rot: Sequence[float], scale: Sequence[float] | float, **params: Any
) -> Part:
    sc = (scale, scale, scale) if isinstance(scale, int | float) else tuple(scale)
    return Part(kind, slot, tuple(params.items()), tuple(map(float, at)), tuple(map(float, rot)), tuple(map(float, sc)))  # type: ignore[arg-type]


_O: Vec3 = (0.0, 0.0, 0.0)


def box(
    slot: str, size: Sequence[float], at: Sequence[float] = _O, rot: Sequence[float] = _O, scale: Any = 1.0
) -> Part:
    """Box centred on `at`."""
    return _part("box", slot, at, rot, scale, size=tuple(size))


def rbox(
    slot: str,
    size: Sequence[float],
    radius: float,
    at: Sequence[float] = _O,
    rot: Sequence[float] = _O,
    scale: Any = 1.0,
) -> Part:
    """Rounded box centred on `at`."""
    return _part("rbox", slot, at, rot, scale, size=tuple(size), radius=radius)


def cyl(
    slot: str,
    r: float,
    h: float,
    at: Sequence[float] = _O,
    rot: Sequence[float] = _O,
    r_top: float | None = None,
    scale: Any = 1.0,
) -> Part:
    """Cylinder/frustum whose base centre is at `at` (before rotation it stands along +Y)."""
    return _part("cyl", slot, at, rot, scale, r=r, h=h, r_top=r_top)


def cone(slot: str, r: float, h: float, at: Sequence[float] = _O, rot: Sequence[float] = _O, scale: Any = 1.0) -> Part:
    return _part("cone", slot, at, rot, scale, r=r, h=h)


def sphere(slot: str, r: float, at: Sequence[float] = _O, rot: Sequence[float] = _O, scale: Any = 1.0) -> Part:
    return _part("sphere", slot, at, rot, scale, r=r)


def hemi(slot: str, r: float, at: Sequence[float] = _O, rot: Sequence[float] = _O, scale: Any = 1.0) -> Part:
    """Dome: flat side on y=0 (capped), bulging up."""
    return _part("hemi", slot, at, rot, scale, r=r)


def capsule(
    slot: str, r: float, h: float, at: Sequence[float] = _O, rot: Sequence[float] = _O, scale: Any = 1.0
) -> Part:
    """Capsule standing on `at`, total height h."""
    return _part("capsule", slot, at, rot, scale, r=r, h=h)


def torus(
    slot: str,
    major: float,
    minor: float,
    at: Sequence[float] = _O,
    rot: Sequence[float] = _O,
    sweep: float = 360.0,
    scale: Any = 1.0,
) -> Part:
    """Ring lying in the XZ plane around `at`."""
    return _part("torus", slot, at, rot, scale, major=major, minor=minor, sweep=sweep)


def ring(
    slot: str,
    r_in: float,
    r_out: float,
    h: float,
    at: Sequence[float] = _O,
    rot: Sequence[float] = _O,
    scale: Any = 1.0,
) -> Part:
    """Flat band (hoop, rim): a rectangle revolved about +Y, base at `at`."""
    prof = [(r_in, 0, 1), (r_out, 0, 1), (r_out, h, 1), (r_in, h, 1)]
    return _part("lathe", slot, at, rot, scale, profile=tuple(prof), closed=True, sweep=360.0, segments=None)


def lathe(
    slot: str,
    profile: Sequence[tuple],
    at: Sequence[float] = _O,
    rot: Sequence[float] = _O,
    sweep: float = 360.0,
    closed: bool = False,
    scale: Any = 1.0,
    segments: int | None = None,
) -> Part:
    """Revolve (radius, height[, corner]) points about +Y; a fixed `segments` makes facets (gems, pyramids)."""
    return _part(
        "lathe", slot, at, rot, scale, profile=tuple(map(tuple, profile)), closed=closed, sweep=sweep, segments=segments
    )


def extrude(
    slot: str,
    polygon: Sequence[tuple],
    depth: float,
    at: Sequence[float] = _O,
    rot: Sequence[float] = _O,
    smooth: bool = False,
    scale: Any = 1.0,
) -> Part:
    """Extrude an (x, y) outline along Z (centred)."""
    return _part("extrude", slot, at, rot, scale, polygon=tuple(map(tuple, polygon)), depth=depth, smooth=smooth)


def tube(
    slot: str,
    path: Sequence[Sequence[float]],
    radius: float | Sequence[float],
    at: Sequence[float] = _O,
    rot: Sequence[float] = _O,
    caps: bool = True,
    scale: Any = 1.0,
) -> Part:
    """Round tube along a spline through `path` (handles, spouts, branches)."""
    rad = radius if isinstance(radius, int | float) else tuple(radius)
    return _part("tube", slot, at, rot, scale, path=tuple(map(tuple, path)), radius=rad, caps=caps)


def blob(
    slot: str,
    r: float,
    at: Sequence[float] = _O,
    rot: Sequence[float] = _O,
    scale: Any = 1.0,
    rough: float = 0.25,
    lumps: int = 6,
    freq: float = 2.2,
) -> Part:
    """Lumpy sphere, shaped by the seed (rocks, foliage, snow)."""
    return _part("blob", slot, at, rot, scale, r=r, rough=rough, lumps=lumps, freq=freq)


def arc(r: float, a0: float, a1: float, n: int, cx: float = 0.0, cy: float = 0.0, corners: bool = True) -> list[tuple]:
    """Control points on a circular arc (degrees); ends flagged as corners unless told otherwise."""
    ang = np.radians(np.linspace(a0, a1, n + 1))
    pts: list[tuple] = [(round(cx + r * np.cos(t), 6), round(cy + r * np.sin(t), 6)) for t in ang]
    if corners:
        pts[0] = (*pts[0], 1)
        pts[-1] = (*pts[-1], 1)
    return pts


# ------------------------------------------------------------------------------------------------------ building

_BUILDERS: dict[str, Callable[..., g.Mesh]] = {
    "box": lambda d, rng, size: g.box(size, d),
    "rbox": lambda d, rng, size, radius: g.rounded_box(size, radius, d),
    "cyl": lambda d, rng, r, h, r_top: g.cylinder(r, h, d, r_top),
    "cone": lambda d, rng, r, h: g.cone(r, h, d),
    "sphere": lambda d, rng, r: g.sphere(r, d),
    "hemi": lambda d, rng, r: g.hemisphere(r, d),
    "capsule": lambda d, rng, r, h: g.capsule(r, h, d),
    "torus": lambda d, rng, major, minor, sweep: g.torus(major, minor, d, sweep),
    "lathe": lambda d, rng, profile, closed, sweep, segments: g.lathe(profile, d, closed, sweep, segments),
    "extrude": lambda d, rng, polygon, depth, smooth: g.extrude(polygon, depth, d, smooth),
    "tube": lambda d, rng, path, radius, caps: g.tube(path, radius, d, caps),
    "blob": lambda d, rng, r, rough, lumps, freq: g.blob(r, d, rng, rough, lumps, freq),
}


def build_part(part: Part, detail: g.Detail, rng: np.random.Generator) -> g.Mesh:
    """Tessellate one part and place it: scale, then rotate, then translate."""
    mesh = _BUILDERS[part.kind](detail, rng, **dict(part.params))
    linear = g.euler_matrix(part.rot) @ np.diag(part.scale)
    return g.transformed(mesh, linear, part.at)
