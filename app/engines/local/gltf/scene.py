"""The typed description a GLB is written from: primitives (arrays + one material), PBR materials, textures."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Literal

import numpy as np
from PIL import Image

JPEG_QUALITY = 90
Rgba = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Texture:
    """An encoded image and how it is sampled: `repeat` tiles it (procedural patterns), otherwise edges clamp
    (atlases of photos or bakes). Equal textures (same bytes, same sampling) are stored once per file."""

    data: bytes
    mime_type: Literal["image/jpeg", "image/png"]
    repeat: bool = False

    @classmethod
    def jpeg(cls, rgb: np.ndarray, repeat: bool = False, quality: int = JPEG_QUALITY) -> Texture:
        """uint8 (H, W, 3); no chroma subsampling (colour edges stay crisp), same pixels give same bytes."""
        buf = io.BytesIO()
        Image.fromarray(np.ascontiguousarray(rgb), "RGB").save(
            buf, format="JPEG", quality=quality, optimize=False, subsampling=0
        )
        return cls(buf.getvalue(), "image/jpeg", repeat)

    @classmethod
    def png(cls, data: bytes, repeat: bool = False) -> Texture:
        return cls(data, "image/png", repeat)


@dataclass(frozen=True, slots=True)
class PbrMaterial:
    """glTF metallic-roughness material. `base_color` is linear RGBA (multiplies the texture); alpha < 1 blends."""

    name: str
    base_color: Rgba = (1.0, 1.0, 1.0, 1.0)
    metallic: float = 0.0
    roughness: float = 1.0
    base_color_texture: Texture | None = None
    normal_texture: Texture | None = None
    normal_scale: float = 1.0


@dataclass(frozen=True, slots=True, eq=False)
class Primitive:
    """Triangles with unit normals; `uvs` (glTF convention, (0, 0) = the image's top-left) when textured."""

    positions: np.ndarray  # (N, 3)
    normals: np.ndarray  # (N, 3)
    faces: np.ndarray  # (M, 3)
    material: PbrMaterial
    uvs: np.ndarray | None = None  # (N, 2)
    tangents: np.ndarray | None = None  # (N, 4) xyz + handedness; derived from the UVs when a normal map needs them
