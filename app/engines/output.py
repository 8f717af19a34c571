"""What every engine hands back to the job runner: one immutable, picklable value (it crosses process boundaries)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EngineOutput:
    """A finished model.

    `recipe` names what ran (a text recipe such as "teapot", "generic", or an image method such as "inflate");
    `materials` lists the material names in the GLB; `notes` are human-readable facts for the client
    (fallbacks taken, decimation applied, words ignored).
    """

    glb: bytes
    thumbnail_png: bytes
    faces: int
    recipe: str
    materials: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
