"""Photo → 3D over HTTP: upload + generate from 1–4 photos on the free lane, fetched image_urls, the pre-check's
400s, every refused image_url, production mode (the whole application in-process); the paid lane refusing a bad
photo before any money moves and the CLI (a real uvicorn)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
import trimesh

from app.devnet.anvil import EvmDevnet
from app.engines.local.photo import cut_out
from app.engines.local.thumbnail import render_view
from app.tiers import TIERS
from tests import backends, images
from tests.api import assert_error, wait_done
from tests.backends import Backend
from tests.devnet import evm_devnet_fixture  # noqa: F401
from tests.fetchserver import FetchServer, fetch_server
from tests.inprocess import InProcessServer
from tests.live import LiveServer
from tests.objectstore import read_stored, stored_names
from tests.paid import PAID, balance, challenge, paid_env, v2_payment

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL

IOU_MIN = 0.85


@pytest.fixture(scope="module")
def fetcher(db_backend: Backend) -> Iterator[FetchServer]:
    with fetch_server() as server:
        yield server


@pytest.fixture(scope="module")
def server(
    db_backend: Backend, tmp_path_factory: pytest.TempPathFactory, fetcher: FetchServer
) -> Iterator[InProcessServer]:
    env = {
        "FORGE402_FETCH_ALLOW_HOSTS": f"127.0.0.1:{fetcher.port}",  # the local test server only
        "FORGE402_FETCH_TIMEOUT_SECONDS": "2",
    }
    with InProcessServer(tmp_path_factory.mktemp("photo-api"), env) as server:
        yield server


def upload(http: httpx.Client, data: bytes, content_type: str = "image/png") -> str:
    slot = http.post("/api/forge-upload", json={"content_type": content_type, "size_bytes": len(data)}).json()
    answer = http.put(slot["upload_url"], content=data, headers=slot["headers"])
    assert answer.status_code == 200, answer.text
    return slot["public_url"]


def job_count(server: InProcessServer) -> int:
    return backends.current().value(server.data_dir, "SELECT COUNT(*) FROM jobs")


def stored_images(server: InProcessServer) -> set[str]:
    return stored_names(server.settings, "uploads")


def generate(http: httpx.Client, body: dict) -> dict:
    answer = http.post("/api/forge", json=body)
    assert answer.status_code in (200, 202), answer.text
    job = wait_done(http, answer.json()["job_id"], timeout=120)
    assert job["status"] == "done", job
    return job


def front_silhouette(http: httpx.Client, glb_url: str) -> np.ndarray:
    glb = http.get(glb_url)
    assert glb.status_code == 200 and glb.content[:4] == b"glTF"
    _, mask = render_view(trimesh.load(io.BytesIO(glb.content), file_type="glb"), (0.0, 0.0, 1.0), 256, ssaa=1)
    return mask


def test_catalog_lists_the_photo_paths(http: httpx.Client) -> None:
    (local,) = [b for b in http.get("/api/forge?catalog").json()["backends"] if b["id"] == "local"]
    assert {"text", "image", "multiview"} <= set(local["paths"])


def test_single_photo_upload_then_generate(http: httpx.Client) -> None:
    photo = images.clean_photo()
    url = upload(http, images.encode(photo, "JPEG", quality=92), "image/jpeg")
    job = generate(http, {"image_urls": [url], "tier": "draft", "seed": 1})
    assert (job["mode"], job["recipe"], job["backend"]) == ("image_to_3d", "inflate", "local")
    assert 0 < job["faces"] <= TIERS["draft"].face_budget
    assert http.get(job["thumbnail_url"]).headers["content-type"] == "image/png"
    truth = cut_out(np.dstack([photo, np.full(photo.shape[:2], 255, np.uint8)]), 1)[1]
    assert images.silhouette_iou(front_silhouette(http, job["glb_url"]), truth) >= IOU_MIN


@pytest.fixture(scope="module")
def chair_views() -> list[tuple[np.ndarray, np.ndarray]]:
    return images.render_views(images.model_groups("a red plastic chair"), ["front", "right", "back", "top"])


@pytest.mark.parametrize("count", [2, 3, 4])
def test_multiview_upload_then_generate(http: httpx.Client, chair_views: list, count: int) -> None:
    urls = [upload(http, images.encode(rgb)) for rgb, _ in chair_views[:count]]
    job = generate(http, {"image_urls": urls, "tier": "standard"})
    assert (job["mode"], job["recipe"]) == ("multiview_to_3d", "visual_hull")
    assert 0 < job["faces"] <= TIERS["standard"].face_budget
    assert images.silhouette_iou(front_silhouette(http, job["glb_url"]), chair_views[0][1]) >= IOU_MIN


def test_an_external_image_url_is_fetched_and_kept_for_the_job(
    http: httpx.Client, server: InProcessServer, fetcher: FetchServer
) -> None:
    before = stored_images(server)
    job = generate(http, {"image_urls": [f"{fetcher.url}/redirect-photo"], "tier": "draft"})
    assert job["mode"] == "image_to_3d"
    (new,) = stored_images(server) - before
    assert read_stored(server.settings, f"uploads/{new}") == fetcher.photo


def test_the_precheck_refuses_an_unusable_photo_before_any_job(http: httpx.Client, server: InProcessServer) -> None:
    cases = [(images.blurred_photo(), "blurry"), (images.two_objects_photo(), "multiple_objects")]
    for photo, code in cases:
        url = upload(http, images.encode(photo))
        jobs = job_count(server)
        body = assert_error(http.post("/api/forge", json={"image_urls": [url], "tier": "draft"}), 400, "photo_rejected")
        assert body["issues"][0]["code"] == code and body["image"] == 1
        assert "skip_validation" in body["message"]
        assert job_count(server) == jobs
    answer = http.post("/api/forge", json={"image_urls": [url], "tier": "draft", "skip_validation": True})
    assert answer.status_code in (200, 202), answer.text


def test_a_fetched_photo_that_fails_the_precheck_is_not_kept(
    http: httpx.Client, server: InProcessServer, fetcher: FetchServer
) -> None:
    before, jobs = stored_images(server), job_count(server)
    answer = http.post("/api/forge", json={"image_urls": [f"{fetcher.url}/blurry.png"], "tier": "draft"})
    assert assert_error(answer, 400, "photo_rejected")["issues"][0]["code"] == "blurry"
    assert stored_images(server) == before and job_count(server) == jobs


BAD_URLS = [
    (["https://127.0.0.1/a.png"], 400, "image_url_forbidden"),
    (["https://[::1]/a.png"], 400, "image_url_forbidden"),
    (["https://10.0.0.1/a.png"], 400, "image_url_forbidden"),
    (["https://169.254.169.254/latest/meta-data/"], 400, "image_url_forbidden"),
    (["https://localhost/a.png"], 400, "image_url_forbidden"),  # a hostname resolving to a private address
    (["{fetcher}/redirect-private"], 400, "image_url_forbidden"),
    (["{fetcher}/redirect-localhost"], 400, "image_url_forbidden"),
    (["{fetcher}/huge"], 413, "image_too_large"),
    (["{fetcher}/huge-stream"], 413, "image_too_large"),
    (["{fetcher}/hang"], 400, "image_url_timeout"),
    (["{fetcher}/text"], 400, "not_an_image"),
    (["data:image/png;base64,iVBORw0KGgoAAAANSUhEUg=="], 400, "image_url_invalid"),
    (["{fetcher}/photo.png"] * 5, 400, "too_many_images"),
    ([], 400, "no_images"),
]


@pytest.mark.parametrize(("urls", "status", "code"), BAD_URLS)
def test_bad_image_urls_are_refused(
    http: httpx.Client, server: InProcessServer, fetcher: FetchServer, urls: list[str], status: int, code: str
) -> None:
    before, jobs = stored_images(server), job_count(server)
    body = {"image_urls": [u.format(fetcher=fetcher.url) for u in urls], "tier": "draft"}
    error = assert_error(http.post("/api/forge", json=body), status, code)
    assert len(error["message"]) > 20
    assert stored_images(server) == before and job_count(server) == jobs


def test_expired_or_unknown_uploads_are_refused(http: httpx.Client, server: InProcessServer) -> None:
    body = {"image_urls": [f"{server.url}/uploads/AAAAAAAAAAAAAAAAAAAAAAAA.png"], "tier": "draft"}
    assert "upload it again" in assert_error(http.post("/api/forge", json=body), 400, "image_not_found")["message"]


def test_production_mode_refuses_http_but_reads_its_own_uploads(tmp_path: Path) -> None:
    with InProcessServer(tmp_path / "prod", {"FORGE402_PRODUCTION": "1"}) as live, live.client() as http:
        body = {"image_urls": ["http://example.com/photo.png"], "tier": "draft"}
        assert "https" in assert_error(http.post("/api/forge", json=body), 400, "image_url_insecure")["message"]
        own = upload(http, images.encode(images.clean_photo()))
        assert own.startswith(live.url)  # our own upload URL: read from the store, never fetched
        assert generate(http, {"image_urls": [own], "tier": "draft"})["mode"] == "image_to_3d"


# ------------------------------------------------------------------------------------------------ the paid lane


@pytest.fixture(scope="module")
def paid(db_backend: Backend, tmp_path_factory: pytest.TempPathFactory, evm_devnet: EvmDevnet) -> Iterator[LiveServer]:
    env = paid_env(evm_devnet)
    with LiveServer(tmp_path_factory.mktemp("photo-paid"), env) as live:
        yield live


def test_the_paid_lane_refuses_a_bad_photo_before_money_moves(paid: LiveServer, evm_devnet: EvmDevnet) -> None:
    payer = evm_devnet.payers[-1]
    with httpx.Client(base_url=paid.url, timeout=60) as http:
        blurry = {"image_urls": [upload(http, images.encode(images.blurred_photo()))], "tier": "draft"}
        offer = challenge(http, blurry)["accepts"][0]
        assert offer["amount"] == "50000"
        before = balance(evm_devnet, payer.address)
        answer = http.post(PAID, json=blurry, headers={"payment-signature": v2_payment(evm_devnet, payer, offer)})
        assert assert_error(answer, 400, "photo_rejected")["issues"][0]["code"] == "blurry"
        assert balance(evm_devnet, payer.address) == before

        good = {"image_urls": [upload(http, images.encode(images.clean_photo()))], "tier": "draft"}
        offer = challenge(http, good)["accepts"][0]
        answer = http.post(PAID, json=good, headers={"payment-signature": v2_payment(evm_devnet, payer, offer)})
        assert answer.status_code in (200, 202), answer.text
        job = wait_done(http, answer.json()["job_id"], timeout=120)
        assert (job["status"], job["mode"]) == ("done", "image_to_3d")
        assert balance(evm_devnet, payer.address) == before - 50_000


# ------------------------------------------------------------------------------------------------ the CLI


def test_cli_generate_from_photos(live_server: LiveServer, chair_views: list, tmp_path: Path) -> None:
    from tests.test_cli import forge402

    url = live_server.url  # the CLI talks HTTP: a real server
    paths = []
    for name, (rgb, _) in zip(("front", "right"), chair_views, strict=False):
        paths += ["--image", str(tmp_path / f"{name}.png")]
        (tmp_path / f"{name}.png").write_bytes(images.encode(rgb))
    out = tmp_path / "chair.glb"
    result = forge402("generate", *paths, "--tier", "draft", "-o", str(out), "--server", url)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:4] == b"glTF" and "recipe visual_hull" in result.stdout

    blurry = tmp_path / "blurry.jpg"
    blurry.write_bytes(images.encode(images.blurred_photo(), "JPEG"))
    refused = forge402("generate", "--image", str(blurry), "--server", url, "-o", str(tmp_path / "b.glb"))
    assert refused.returncode == 2 and "blurry" in refused.stderr
    forced = forge402(
        "generate",
        "--image",
        str(blurry),
        "--skip-validation",
        "--tier",
        "draft",
        "--server",
        url,
        "-o",
        str(tmp_path / "b.glb"),
    )
    assert forced.returncode == 0, forced.stderr
    assert forge402("generate", "--server", url).returncode == 2  # neither prompt nor photo
