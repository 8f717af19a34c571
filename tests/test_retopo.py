"""Retopology end to end: `POST /api/forge/retopo` on the whole application (in-process), sources from a loopback
file host or from one of our own jobs; face counts, watertightness, quads, baked textures (Khronos validator); every
bad input."""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
import trimesh

from tests.api import wait_done
from tests.backends import Backend
from tests.fakes import files
from tests.fakes.common import FakeServer
from tests.gltf_validator import validate_glbs
from tests.inprocess import InProcessServer

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL

RETOPO = "/api/forge/retopo"
BASE_ENV = {"FORGE402_FAST_LANE_MS": "0", "FORGE402_MAX_MODEL_BYTES": str(8 * 1024 * 1024)}


def coloured_torus() -> trimesh.Trimesh:
    """200,000 faces, watertight, with vertex colours (bands of red and blue)."""
    torus = trimesh.creation.torus(major_radius=1.0, minor_radius=0.35, major_sections=500, minor_sections=200)
    colours = np.full((len(torus.vertices), 4), 255, np.uint8)
    colours[:, 0] = (127 + 120 * np.sin(torus.vertices[:, 0] * 4)).astype(np.uint8)
    colours[:, 1] = 40
    colours[:, 2] = np.where(torus.vertices[:, 1] > 0, 230, 20)
    torus.visual = trimesh.visual.ColorVisuals(torus, vertex_colors=colours)
    return torus


@pytest.fixture(scope="module")
def host(db_backend: Backend) -> Iterator[FakeServer]:
    server = files.build().start()
    torus = coloured_torus()
    assert len(torus.faces) == 200_000 and torus.is_watertight
    server.state.files["torus.glb"] = torus.export(file_type="glb")
    server.state.files["ball.obj"] = trimesh.creation.icosphere(subdivisions=3).export(file_type="obj").encode()
    server.state.files["notes.txt"] = b"hello, this is not a model\n" * 10
    server.state.files["huge.glb"] = b"glTF" + b"\0" * (9 * 1024 * 1024)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def server(db_backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcessServer]:
    env = {**BASE_ENV, "FORGE402_FETCH_ALLOW_HOSTS": "127.0.0.1"}
    with InProcessServer(tmp_path_factory.mktemp("retopo"), env) as server:
        yield server


def done(http: httpx.Client, answer: httpx.Response, timeout: float = 120) -> dict:
    assert answer.status_code in (200, 202), answer.text
    job = wait_done(http, answer.json()["job_id"], timeout)
    assert job["status"] == "done", job
    return job


def glb_json(data: bytes) -> dict:
    length = struct.unpack_from("<I", data, 12)[0]
    return json.loads(data[20 : 20 + length])


def test_a_200k_face_source_is_reduced_to_5000_faces_and_stays_watertight(
    http: httpx.Client, host: FakeServer, tmp_path: Path
) -> None:
    job = done(http, http.post(RETOPO, json={"model_url": f"{host.url}/files/torus.glb", "face_limit": 5000}))
    assert job["mode"] == "retopo" and job["recipe"] == "retopo"
    result = job["retopo"]
    assert result["source_faces"] == 200_000
    assert 4750 <= result["faces"] <= 5250 and 4750 <= job["faces"] <= 5250
    assert result["watertight"] and result["formats"] == ["glb"] and not result["textured"]
    glb = tmp_path / "low.glb"
    glb.write_bytes(http.get(job["glb_url"]).content)
    mesh = trimesh.load(glb, force="mesh")
    assert 4750 <= len(mesh.faces) <= 5250
    welded = trimesh.Trimesh(mesh.vertices, mesh.faces)  # merge_vertices on load
    assert welded.is_watertight
    assert validate_glbs([glb])[glb]["errors"] == 0
    assert http.get(job["thumbnail_url"]).content[:4] == b"\x89PNG"


def test_quad_delivers_an_obj_with_at_least_90_percent_quads(http: httpx.Client, host: FakeServer) -> None:
    body = {"model_url": f"{host.url}/files/torus.glb", "face_limit": 5000, "quad": True}
    job = done(http, http.post(RETOPO, json=body))
    result = job["retopo"]
    assert result["quad_ratio"] >= 0.9 and result["formats"] == ["glb", "obj"]
    assert 4750 <= result["faces"] <= 5250 and result["watertight"]
    obj = http.get(job["obj_url"])
    assert obj.status_code == 200 and obj.headers["content-type"].startswith("model/obj")
    polygons = [line.split()[1:] for line in obj.text.splitlines() if line.startswith("f ")]
    quads = sum(len(p) == 4 for p in polygons)
    assert len(polygons) == result["faces"] and quads / len(polygons) >= 0.9
    assert any("quads" in note for note in job["notes"])


def test_bake_gives_a_textured_glb_that_passes_the_validator(
    http: httpx.Client, host: FakeServer, tmp_path: Path
) -> None:
    body = {"model_url": f"{host.url}/files/torus.glb", "face_limit": 3000, "bake": True}
    job = done(http, http.post(RETOPO, json=body))
    assert job["retopo"]["textured"]
    data = http.get(job["glb_url"]).content
    doc = glb_json(data)
    assert doc["images"][0]["mimeType"] == "image/png"
    assert doc["materials"][0]["pbrMetallicRoughness"]["baseColorTexture"] == {"index": 0}
    assert "TEXCOORD_0" in doc["meshes"][0]["primitives"][0]["attributes"]
    glb = tmp_path / "baked.glb"
    glb.write_bytes(data)
    report = validate_glbs([glb])[glb]
    assert report["errors"] == 0 and report["warnings"] == 0, report["messages"][:5]
    scene = trimesh.load(glb)
    texture = np.asarray(next(iter(scene.geometry.values())).visual.material.baseColorTexture.convert("RGB"))
    assert texture[..., 2].max() > 200 and texture[..., 0].max() > 200  # the source's blue and red bands survived


def test_a_finished_job_and_an_obj_source_can_be_retopologized(http: httpx.Client, host: FakeServer) -> None:
    made = http.post("/api/forge", json={"prompt": "a ceramic teapot", "tier": "high"})
    teapot = done(http, made)
    job = done(http, http.post(RETOPO, json={"job_id": teapot["job_id"], "face_limit": 1000, "quad": True}))
    assert job["retopo"]["quad_ratio"] >= 0.8 and job["retopo"]["faces"] <= 1050
    ball = done(http, http.post(RETOPO, json={"model_url": f"{host.url}/files/ball.obj", "face_limit": 300}))
    assert ball["retopo"]["source_faces"] == 1280 and 285 <= ball["retopo"]["faces"] <= 315


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"model_url": "{host}/files/torus.glb", "face_limit": 50}, 400, "face_limit_too_low"),
        ({"model_url": "{host}/files/torus.glb", "face_limit": 250_000}, 400, "face_limit_too_high"),
        ({"model_url": "{host}/files/notes.txt", "face_limit": 500}, 400, "unsupported_model"),
        ({"model_url": "{host}/files/huge.glb", "face_limit": 500}, 413, "model_too_large"),
        ({"model_url": "{host}/files/missing.glb", "face_limit": 500}, 400, "model_url_unreachable"),
        ({"face_limit": 500}, 400, "missing_source"),
        ({"model_url": "{host}/files/torus.glb", "job_id": "job_x1", "face_limit": 500}, 400, "missing_source"),
        ({"job_id": "job_doesnotexist", "face_limit": 500}, 404, "job_not_found"),
        ({"model_url": "{host}/files/torus.glb", "face_limit": 500, "backend": "siray"}, 400, "unsupported_path"),
        ({"model_url": "{host}/files/torus.glb", "face_limit": 500, "backend": "meshy"}, 501, "needs_key"),
        ({"model_url": "{host}/files/torus.glb", "face_limit": 500, "backend": "nope"}, 400, "unknown_backend"),
    ],
)
def test_bad_retopology_inputs_say_why(
    body: dict, status: int, code: str, http: httpx.Client, host: FakeServer
) -> None:
    body = {k: v.format(host=host.url) if isinstance(v, str) else v for k, v in body.items()}
    answer = http.post(RETOPO, json=body)
    assert answer.status_code == status, answer.text
    assert answer.json()["error"] == code and len(answer.json()["message"]) > 20


def test_a_model_url_on_a_private_address_is_refused(tmp_path: Path, host: FakeServer) -> None:
    with InProcessServer(tmp_path, BASE_ENV) as strict, strict.client() as http:
        for url in (f"{host.url}/files/torus.glb", "https://10.1.2.3/m.glb", "https://169.254.169.254/latest",
                    "https://[::1]/m.glb", "https://localhost/m.glb"):  # fmt: skip
            answer = http.post(RETOPO, json={"model_url": url, "face_limit": 500})
            assert answer.status_code == 400, answer.text
            assert answer.json()["error"] == "model_url_forbidden", answer.json()
