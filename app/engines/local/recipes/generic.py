"""The last resort for a noun no family knows: a softly turned clay form on a pale stone plinth, so the client
still gets a solid, printable object (and the job's notes say which word was not understood)."""

# ruff: noqa: E501
# fmt: off

from __future__ import annotations

from app.engines.local.parts import Part, box, lathe, rbox
from app.engines.local.recipes.model import Family, Kind, Knobs


def _generic(k: Knobs, kind: str) -> list[Part]:
    h, r = k.u(0.45, 0.6), k.u(0.1, 0.13)
    waist, shoulder = k.u(0.55, 0.75), k.u(0.8, 1.0)
    return [
        box("secondary", (0.42, 0.08, 0.42), at=(0, 0.04, 0)),
        rbox("secondary", (0.36, 0.04, 0.36), 0.01, at=(0, 0.1, 0)),
        lathe("primary", [(0, 0.12, 1), (r, 0.12, 1), (r * shoulder, 0.12 + h * 0.2), (r * waist, 0.12 + h * 0.45), (r * shoulder, 0.12 + h * 0.7),
                          (r * 0.9, 0.12 + h * 0.82), (r * 0.55, 0.12 + h * 0.95), (0, 0.12 + h, 1)]),
    ]


GENERIC = Family(
    "generic", (), {"primary": "clay:peach", "secondary": "marble"}, _generic, (Kind("generic"),),
    {"base": "secondary", "pedestal": "secondary", "plinth": "secondary"},
)
