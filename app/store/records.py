"""A job as its view shows it: its row and what is kept beside it (its webhook and delivery attempts, a
retopology's figures, who paid for it and its refund), read in one trip to the database (a poll is the hottest
path)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class JobRecord:
    row: dict[str, Any]
    hook: dict[str, Any] | None = None
    deliveries: list[dict[str, Any]] = field(default_factory=list)
    retopo: dict[str, Any] | None = None
    charge: dict[str, Any] | None = None  # a paid job: who paid, how
    refund: dict[str, Any] | None = None


def wants_charge(row: dict[str, Any]) -> bool:
    """A paid job (per call or with credits): its charge is read with it."""
    return row["lane"] == "paid"


def wants_refund(charge: dict[str, Any] | None) -> bool:
    return charge is not None and charge["state"] == "refunded"


def wants_retopo(row: dict[str, Any]) -> bool:
    """A finished retopology: its figures are read with it."""
    return row["mode"] == "retopo" and row["status"] == "done"


class Figures(Protocol):
    """What a retopology records (the engines' `RetopoFigures` has these fields)."""

    source_faces: int
    faces: int
    quads: int
    triangles: int
    watertight: bool
    textured: bool
    formats: Sequence[str]


RETOPO_COLUMNS = ("job_id", "source_faces", "faces", "quads", "triangles", "quad_ratio", "watertight", "formats",
                  "textured")  # fmt: skip


def retopo_values(job_id: str, fig: Figures) -> tuple[Any, ...]:
    """A retopology's figures as the row stores them, in RETOPO_COLUMNS order."""
    total = fig.quads + fig.triangles
    return (job_id, fig.source_faces, fig.faces, fig.quads, fig.triangles,
            round(fig.quads / total, 4) if total else 0.0, int(fig.watertight), ",".join(fig.formats),
            int(fig.textured))  # fmt: skip
