"""What every engine hands back to the job runner: immutable, picklable values (they cross process boundaries).
Engines return; storage stores (`app.jobs.execute` writes the files, `app.store` records the figures)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EngineOutput:
    """A finished model.

    `recipe` names what ran (a text recipe such as "teapot", "generic", or an image method such as "inflate");
    `materials` lists the material names in the GLB; `notes` are human-readable facts for the client
    (fallbacks taken, decimation applied, words ignored). `quad_obj` is a retopology's quad mesh (an OBJ; the GLB
    holds its triangulation).
    """

    glb: bytes
    thumbnail_png: bytes
    faces: int
    recipe: str
    materials: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    quad_obj: bytes | None = None


@dataclass(frozen=True, slots=True)
class RetopoFigures:
    """What a retopology delivered, shown on the job (`retopo` in its view)."""

    source_faces: int
    faces: int  # polygons delivered (quads + triangles with quad, else triangles)
    quads: int
    triangles: int
    watertight: bool
    textured: bool
    formats: tuple[str, ...] = ("glb",)


@dataclass(frozen=True, slots=True)
class RetopoOutput:
    """A retopology: the model (with its quad OBJ, if asked) and what it measured."""

    model: EngineOutput
    figures: RetopoFigures
