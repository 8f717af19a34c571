"""The photo engines in-process: pre-check verdicts, single-photo inflation and 2/3/4-view visual hulls checked
against their input silhouettes, face budgets, determinism, progress, and the Khronos validator."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import trimesh
from PIL import Image

from app.engines.local.photo import PhotoInputError, cut_out, generate_from_photos
from app.engines.local.precheck import check_photo
from app.engines.local.thumbnail import render_view
from app.engines.output import EngineOutput
from app.tiers import TIERS
from tests import images
from tests.gltf_validator import validate_glbs, validator_available

IOU_MIN = 0.85
GLBS: list[Path] = []  # every GLB this module makes, validated at the end


def rgba_of(rgb: np.ndarray) -> np.ndarray:
    return np.dstack([rgb, np.full(rgb.shape[:2], 255, np.uint8)])


def issues_of(rgb: np.ndarray) -> list[str]:
    return [i.code for i in check_photo(rgba_of(rgb))]


def front_silhouette(glb: bytes) -> np.ndarray:
    scene = trimesh.load(io.BytesIO(glb), file_type="glb")
    _, mask = render_view(scene, (0.0, 0.0, 1.0), 256, ssaa=1)
    return mask


def build(photos: list[bytes], tier: str = "draft", steps: list | None = None) -> EngineOutput:
    report: Callable[[str, int], None] = (
        (lambda s, p: steps.append((s, p))) if steps is not None else (lambda s, p: None)
    )
    return generate_from_photos(photos, TIERS[tier], 7, report)


def keep(tmp_path: Path, name: str, out: EngineOutput) -> None:
    path = tmp_path / f"{name}.glb"
    path.write_bytes(out.glb)
    GLBS.append(path)


def check_output(out: EngineOutput, tier: str) -> None:
    assert 0 < out.faces <= TIERS[tier].face_budget
    thumb = Image.open(io.BytesIO(out.thumbnail_png))
    assert thumb.size == (TIERS[tier].thumbnail_size,) * 2 and thumb.mode == "RGBA"
    assert np.asarray(thumb)[..., 3].mean() > 10  # something was drawn
    scene = trimesh.load(io.BytesIO(out.glb), file_type="glb")
    (mesh,) = scene.geometry.values()
    assert len(mesh.faces) == out.faces
    texture = mesh.visual.material.baseColorTexture
    assert texture.size == (TIERS[tier].texture_size,) * 2  # power of two


# ------------------------------------------------------------------------------------------------ pre-check


def test_precheck_accepts_clean_photos() -> None:
    assert issues_of(images.clean_photo()) == []
    assert issues_of(images.draw_mug(colour=(40, 90, 180), background=(250, 250, 250))) == []
    assert issues_of(images.draw_mug(colour=(120, 120, 120), background=(140, 140, 140))) == []  # dim but clean
    assert issues_of(images.draw_mug(colour=(180, 180, 180), background=(228, 230, 226))) == []


@pytest.mark.parametrize(
    ("maker", "code"),
    [
        (images.blurred_photo, "blurry"),
        (images.dark_photo, "too_dark"),
        (images.busy_photo, "busy_background"),
        (images.two_objects_photo, "multiple_objects"),
        (images.tiny_subject_photo, "subject_too_small"),
        (images.empty_photo, "no_subject"),
        (images.low_contrast_photo, "low_contrast"),
    ],
)
def test_precheck_names_the_problem(maker: Callable[[], np.ndarray], code: str) -> None:
    issues = check_photo(rgba_of(maker()))
    assert issues and issues[0].code == code, [i.code for i in issues]
    assert len(issues[0].message) > 40  # says how to reshoot


def test_precheck_low_resolution() -> None:
    small = np.asarray(Image.fromarray(images.clean_photo()).resize((200, 150)))
    assert issues_of(small) == ["low_resolution"]


def test_transparent_background_is_the_mask() -> None:
    rgb = images.clean_photo()
    mask = cut_out(rgba_of(rgb), 1)[1]
    rgba = rgba_of(rgb)
    rgba[..., 3] = np.where(mask, 255, 0)
    rgba[~mask, :3] = (30, 200, 30)  # a colour that would never pass as the plain background
    assert check_photo(rgba) == []
    again = cut_out(rgba, 1)[1]
    assert (again == mask).mean() > 0.995


# ------------------------------------------------------------------------------------------------ one photo


@pytest.mark.parametrize("tier", ["draft", "standard", "high"])
def test_single_photo_inflation(tier: str, tmp_path: Path) -> None:
    photo = images.clean_photo()
    steps: list = []
    out = build([images.encode(photo)], tier, steps)
    check_output(out, tier)
    assert out.recipe == "inflate" and out.materials == ("photo",)
    order = [s for s, _ in steps]
    assert order[0] == "image" and order[-1] == "finish" and order.index("mesh") > order.index("image")
    assert steps[-1] == ("finish", 100)
    truth = cut_out(rgba_of(photo), 1)[1]
    assert images.silhouette_iou(front_silhouette(out.glb), truth) >= IOU_MIN
    keep(tmp_path, f"single-{tier}", out)


def dihedral_angles(glb: bytes) -> np.ndarray:
    """Degrees between the normals of every two faces sharing an edge (vertices welded first)."""
    (mesh,) = trimesh.load(io.BytesIO(glb), file_type="glb").geometry.values()
    welded = trimesh.Trimesh(mesh.vertices, mesh.faces, process=True)
    return np.degrees(welded.face_adjacency_angles)


def test_high_tier_photo_is_smooth_not_terraced(tmp_path: Path) -> None:
    """A voxel staircase shows as many sharp folds between neighbouring faces (before smoothing, one edge in ten
    bent by over 20°, on 194k faces); a smooth surface bends a little everywhere, on far fewer faces."""
    photo = images.clean_photo()
    out = build([images.encode(photo)], "high")
    angles = dihedral_angles(out.glb)
    assert np.percentile(angles, 90) < 10.0, np.percentile(angles, 90)
    assert out.faces <= TIERS["high"].face_budget // 3
    truth = cut_out(rgba_of(photo), 1)[1]
    assert images.silhouette_iou(front_silhouette(out.glb), truth) >= IOU_MIN
    keep(tmp_path, "single-high-smooth", out)


def test_photo_engine_is_deterministic() -> None:
    photo = images.encode(images.clean_photo(), "JPEG", quality=92)
    a, b = build([photo]), build([photo])
    assert a.glb == b.glb and a.thumbnail_png == b.thumbnail_png


def test_rgba_photo_with_alpha(tmp_path: Path) -> None:
    rgb = images.clean_photo()
    rgba = rgba_of(rgb)
    rgba[..., 3] = np.where(cut_out(rgba, 1)[1], 255, 0)
    buf = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buf, format="PNG")
    out = build([buf.getvalue()])
    assert images.silhouette_iou(front_silhouette(out.glb), rgba[..., 3] > 0) >= IOU_MIN
    keep(tmp_path, "alpha", out)


def test_a_photo_without_an_object_fails_with_a_reason() -> None:
    with pytest.raises(PhotoInputError, match="photo 1"):
        build([images.encode(images.empty_photo())])


# ------------------------------------------------------------------------------------------------ multiview


@pytest.fixture(scope="module")
def robot_views() -> list[tuple[np.ndarray, np.ndarray]]:
    return images.render_views(images.model_groups("a robot"), ["front", "right", "back", "top"])


@pytest.fixture(scope="module")
def chair_views() -> list[tuple[np.ndarray, np.ndarray]]:
    return images.render_views(images.model_groups("a red plastic chair"), ["front", "right", "back", "top"])


@pytest.mark.parametrize("count", [2, 3, 4])
@pytest.mark.parametrize("subject", ["robot", "chair"])
def test_multiview_visual_hull(count: int, subject: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    views = request.getfixturevalue(f"{subject}_views")
    tier = "standard" if count == 4 else "draft"
    out = build([images.encode(rgb) for rgb, _ in views[:count]], tier)
    check_output(out, tier)
    assert out.recipe == "visual_hull"
    assert "front, right" in out.notes[0]
    iou = images.silhouette_iou(front_silhouette(out.glb), views[0][1])
    assert iou >= IOU_MIN, iou
    keep(tmp_path, f"{subject}-{count}", out)


def test_multiview_high_tier_fits_its_budget(robot_views: list, tmp_path: Path) -> None:
    out = build([images.encode(rgb) for rgb, _ in robot_views], "high")
    check_output(out, "high")
    keep(tmp_path, "robot-4-high", out)


def test_multiview_colours_come_from_the_views(chair_views: list) -> None:
    """The chair is red: its thumbnail, textured from the photos, is mostly red."""
    out = build([images.encode(rgb) for rgb, _ in chair_views[:2]])
    thumb = np.asarray(Image.open(io.BytesIO(out.thumbnail_png)).convert("RGBA")).astype(int)
    drawn = thumb[..., 3] > 200
    r, g, b = (thumb[..., k][drawn].mean() for k in range(3))
    assert r > 1.8 * g and r > 1.8 * b


def test_five_photos_are_refused() -> None:
    photo = images.encode(images.clean_photo())
    with pytest.raises(PhotoInputError, match="1 to 4"):
        build([photo] * 5)


# ------------------------------------------------------------------------------------------------ validator


@pytest.mark.skipif(not validator_available(), reason="node and node_modules/gltf-validator are needed")
def test_every_glb_passes_the_khronos_validator() -> None:
    assert GLBS, "run with the engine tests above"
    reports = validate_glbs(GLBS)
    for path, report in reports.items():
        assert report["errors"] == 0, (path.name, report["messages"][:5])
        assert report["warnings"] == 0, (path.name, report["messages"][:5])
