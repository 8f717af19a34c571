"""Part groups many families share: legs, rods between two points, wheels, roofs, windows, handles, rosettes.

Each returns plain `Part`s, so a family's builder stays a short parts list of its own proportions.
"""

# ruff: noqa: E501
# fmt: off

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from math import acos, asin, atan2, cos, degrees, radians, sin, sqrt

from app.engines.local.parts import Part, box, cyl, extrude, lathe, sphere, torus, tube

Vec = Sequence[float]


def around(n: int, radius: float, y: float, start: float = 0.0) -> list[tuple[float, float, float, float]]:
    """(x, y, z, yaw degrees) for n points on a circle — merlons, spikes, legs."""
    out = []
    for i in range(n):
        a = start + 360.0 * i / n
        out.append((radius * sin(radians(a)), y, radius * cos(radians(a)), a))
    return out


def mirror_x(points: list[tuple]) -> list[tuple]:
    """Close a right-half outline (listed bottom to top, x >= 0) with its mirror image."""
    left = [(-p[0], *p[1:]) for p in reversed(points) if abs(p[0]) > 1e-9]
    return points + left


def aim(a: Vec, b: Vec) -> tuple[float, tuple[float, float, float]]:
    """(length, rotation in degrees) that turns a part standing along +Y at `a` to reach `b`."""
    d = [b[i] - a[i] for i in range(3)]
    length = sqrt(sum(c * c for c in d)) or 1e-9
    return length, (degrees(acos(max(-1.0, min(1.0, d[1] / length)))), degrees(atan2(d[0], d[2])), 0.0)


def _axis_matrix(axis: str, degrees_: float) -> list[list[float]]:
    c, s = cos(radians(degrees_)), sin(radians(degrees_))
    return {"x": [[1, 0, 0], [0, c, -s], [0, s, c]], "y": [[c, 0, s], [0, 1, 0], [-s, 0, c]], "z": [[c, -s, 0], [s, c, 0], [0, 0, 1]]}[axis]


def turn(*steps: tuple[str, float]) -> tuple[float, float, float]:
    """The `rot` (extrinsic X, then Y, then Z, as parts take it) of rotations applied in the order given:
    turn(("z", 30), ("y", 90)) tilts a leaf up 30° about z, then swings it round to face +x."""
    m = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    for axis, deg in steps:
        r = _axis_matrix(axis, deg)
        m = [[sum(r[i][k] * m[k][j] for k in range(3)) for j in range(3)] for i in range(3)]
    # m = Rz(c) Ry(b) Rx(a): read the angles back off it
    b = -asin(max(-1.0, min(1.0, m[2][0])))
    if abs(cos(b)) > 1e-9:
        a, c = atan2(m[2][1], m[2][2]), atan2(m[1][0], m[0][0])
    else:  # gimbal lock: fold the x turn into z
        a, c = 0.0, atan2(-m[0][1], m[1][1])
    return (round(degrees(a), 4), round(degrees(b), 4), round(degrees(c), 4))


def shifted(parts: Sequence[Part], d: Vec) -> list[Part]:
    """The same parts moved by d (for builders that lay parts out around their own origin)."""
    return [replace(p, at=(p.at[0] + d[0], p.at[1] + d[1], p.at[2] + d[2])) for p in parts]


def rod(slot: str, a: Vec, b: Vec, r: float, r_end: float | None = None) -> Part:
    """A cylinder from point a to point b."""
    length, rot = aim(a, b)
    return cyl(slot, r, length, at=a, rot=rot, r_top=r_end)


def slab(slot: str, a: Vec, b: Vec, width: float, thick: float) -> Part:
    """A box from point a to point b (a plank, a strut): `width` across, `thick` through."""
    length, rot = aim(a, b)
    mid = [(a[i] + b[i]) / 2 for i in range(3)]
    return box(slot, (width, length, thick), at=mid, rot=rot)


def legs(
    slot: str, x: float, z: float, h: float, size: float, y0: float = 0.0, turned: bool = False, splay: float = 0.0
) -> list[Part]:
    """Four legs at (±x, y0, ±z) reaching up h: square posts, or turned ones; `splay` leans their feet out."""
    out = []
    for sx in (-1, 1):
        for sz in (-1, 1):
            top, foot = (sx * x, y0 + h, sz * z), (sx * (x + splay), y0, sz * (z + splay))
            if turned:
                out.append(lathe(slot, [(0, 0, 1), (size * 0.5, 0, 1), (size * 0.6, h * 0.3), (size * 0.75, h * 0.75), (size * 0.6, h, 1), (0, h, 1)],
                                 at=(sx * x, y0, sz * z)))  # fmt: skip
            elif splay:
                out.append(slab(slot, foot, top, size, size))
            else:
                out.append(box(slot, (size, h, size), at=(sx * x, y0 + h / 2, sz * z)))
    return out


def wheel(tyre: str, hub: str, r: float, width: float, at: Vec, spokes: int = 0, axis: str = "z") -> list[Part]:
    """A wheel turning about the z axis (or x): a tyre, a hub disc and optional spokes."""
    rot = (90.0, 0.0, 0.0) if axis == "z" else (0.0, 0.0, 90.0)
    x, y, z = at
    base = (x, y, z - width / 2) if axis == "z" else (x - width / 2, y, z)
    out = [
        torus(tyre, r - width * 0.35, width * 0.45, at=at, rot=rot, scale=(1, 1, 1)),
        cyl(hub, r * (0.55 if spokes else 0.62), width * 0.8, at=base, rot=rot) if not spokes else cyl(hub, r * 0.16, width, at=base, rot=rot),
    ]  # fmt: skip
    for i in range(spokes):
        a = radians(360.0 * i / spokes)
        end = (x + r * 0.7 * cos(a), y + r * 0.7 * sin(a), z) if axis == "z" else (x, y + r * 0.7 * sin(a), z + r * 0.7 * cos(a))
        out.append(rod(hub, at, end, width * 0.12))
    return out


def axle_wheels(tyre: str, hub: str, r: float, width: float, xs: Sequence[float], track: float, spokes: int = 0) -> list[Part]:
    """Pairs of wheels at each x, `track` apart (centre to centre), touching the ground."""
    return [p for x in xs for z in (-track / 2, track / 2) for p in wheel(tyre, hub, r, width, (x, r, z), spokes)]


def gable(slot: str, width: float, depth: float, rise: float, y: float, overhang: float = 0.2, x: float = 0.0, z: float = 0.0) -> Part:
    """A pitched roof: its ridge runs along x over a `width` (x) by `depth` (z) footprint."""
    half = depth / 2 + overhang
    return extrude(slot, [(-half, -0.05), (half, -0.05), (0, rise)], width + 2 * overhang, at=(x, y, z), rot=(0, 90, 0))


def hip(slot: str, width: float, depth: float, rise: float, y: float, overhang: float = 0.2, x: float = 0.0, z: float = 0.0) -> Part:
    """A four-sided roof (a square pyramid stretched over the footprint)."""
    r = 0.7071
    return lathe(slot, [(0, 0, 1), (1, 0, 1), (0, 1, 1)], at=(x, y, z), rot=(0, 45, 0), segments=4,
                 scale=((width / 2 + overhang) / r, rise, (depth / 2 + overhang) / r))  # fmt: skip


def window(frame: str, glass: str, w: float, h: float, at: Vec, facing: float = 0.0, bars: bool = True) -> list[Part]:
    """A framed window on a wall facing +z turned `facing` degrees about y (0: +z, 90: +x)."""
    x, y, z = at
    c, s = cos(radians(facing)), sin(radians(facing))

    def place(dx: float, dy: float, dz: float) -> tuple[float, float, float]:
        return (x + dx * c + dz * s, y + dy, z - dx * s + dz * c)

    t = min(w, h) * 0.09
    out = [box(glass, (w, h, 0.04), at=place(0, 0, 0), rot=(0, facing, 0))]
    for dy in (-h / 2, h / 2):
        out.append(box(frame, (w + 2 * t, t, 0.08), at=place(0, dy, 0.01), rot=(0, facing, 0)))
    for dx in (-w / 2, w / 2):
        out.append(box(frame, (t, h, 0.08), at=place(dx, 0, 0.01), rot=(0, facing, 0)))
    if bars:
        out.append(box(frame, (t * 0.6, h, 0.06), at=place(0, 0, 0.01), rot=(0, facing, 0)))
        out.append(box(frame, (w, t * 0.6, 0.06), at=place(0, 0, 0.01), rot=(0, facing, 0)))
    return out


def arch(slot: str, r: float, thick: float, at: Vec, facing: str = "z", sweep: float = 180.0) -> Part:
    """An upright half ring (a handle over a bucket, a headband): it rises over `at`, spanning ±r along x (or along
    z with facing="x")."""
    return torus(slot, r, thick, at=at, rot=(90.0, 0.0, 90.0) if facing == "z" else (90.0, 90.0, 90.0), sweep=sweep)


def knob(slot: str, r: float, at: Vec) -> Part:
    return sphere(slot, r, at=at)


def bent_handle(slot: str, x0: float, y0: float, y1: float, reach: float, r: float, z: float = 0.0) -> Part:
    """A C-shaped handle on the +x side of a body, from height y0 to y1, sticking out `reach`."""
    mid = (y0 + y1) / 2
    path = [(x0, y1, z), (x0 + reach * 0.8, y1 - 0.05 * (y1 - y0), z), (x0 + reach, mid, z), (x0 + reach * 0.8, y0 + 0.05 * (y1 - y0), z), (x0, y0, z)]
    return tube(slot, path, r)


def ring_of(slot: str, n: int, radius: float, y: float, make: str, size: float, start: float = 0.0) -> list[Part]:
    """n small spheres or boxes around a circle (studs, bolts, spikes)."""
    out = []
    for x, yy, z, a in around(n, radius, y, start):
        out.append(sphere(slot, size, at=(x, yy, z)) if make == "sphere" else box(slot, (size, size, size), at=(x, yy, z), rot=(0, a, 0)))
    return out


def leaf_rosette(slot: str, n: int, length: float, y: float, tilt: float, start: float = 15.0, width: float = 0.2) -> list[Part]:
    """n flat leaves around +y, tilted `tilt` degrees up from horizontal."""
    leaf = [(0, 0, 1), (0.25 * length, width * 0.9 * length), (0.6 * length, width * length), (length, 0, 1),
            (0.6 * length, -width * 0.8 * length), (0.25 * length, -width * 0.75 * length)]  # fmt: skip
    return [extrude(slot, leaf, 0.006, at=(0, y, 0), rot=turn(("z", tilt), ("y", a)), smooth=True) for _, _, _, a in around(n, 0, 0, start)]
