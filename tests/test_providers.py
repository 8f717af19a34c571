"""Provider backends end to end: a real forge402 server driving each adapter against its fake provider (loopback),
through whole jobs and their failure modes; BYO keys never reach the database, the log or an answer."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import trimesh

from tests.api import assert_error, wait_for
from tests.backends import Backend
from tests.fakes import files, meshy, scenario, siray, tripo
from tests.fakes.common import LOWPOLY_FACES, RETOPO_FAIL_FACES, FakeServer, Task
from tests.gltf_validator import validate_glbs
from tests.live import LiveServer
from tests.objectstore import read_stored, stored_names

pytestmark = pytest.mark.usefixtures("db_backend")  # the store on SQLite, then on PostgreSQL

KEYS = {  # the BYO keys a caller sends: each must never be stored, logged or echoed
    "tripo": "tsk_byo_TRIPO_4b7d91",
    "meshy": "msy_byo_MESHY_c03e5a",
    "siray": "sk-byo-SIRAY-77a1f0",
    "scenario": "apikey_byo_SCN:secret_SCN_e19b",
}
OPERATOR_MESHY = "msy_operator_MESHY_1d2e"
FAKES = {"tripo": tripo.build, "meshy": meshy.build, "siray": siray.build, "scenario": scenario.build}
RETOPO = "/api/forge/retopo"
seen_text: list[str] = []  # every answer body this module received, checked for keys at the end


@pytest.fixture(scope="module")
def fakes(db_backend: Backend) -> Iterator[dict[str, FakeServer]]:
    servers = {name: build({KEYS[name], OPERATOR_MESHY}).start() for name, build in FAKES.items()}
    yield servers
    for server in servers.values():
        server.stop()


def provider_env(fakes: dict[str, FakeServer], **extra: str) -> dict[str, str]:
    return {
        "FORGE402_FAST_LANE_MS": "0",
        "FORGE402_FETCH_ALLOW_HOSTS": "127.0.0.1",
        "FORGE402_PROVIDER_POLL_SECONDS": "0.1",
        "FORGE402_PROVIDER_RETRY_BACKOFF_SECONDS": "0.05",
        **{f"FORGE402_{name.upper()}_BASE_URL": server.api_url for name, server in fakes.items()},
        **extra,
    }


@pytest.fixture(scope="module")
def live(
    db_backend: Backend, fakes: dict[str, FakeServer], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    env = provider_env(fakes, FORGE402_MESHY_API_KEY=OPERATOR_MESHY)
    with LiveServer(tmp_path_factory.mktemp("providers"), env) as server:
        yield server


@pytest.fixture
def http(live: LiveServer) -> Iterator[httpx.Client]:
    def keep(response: httpx.Response) -> None:
        response.read()
        seen_text.append(response.text + " ".join(f"{k}: {v}" for k, v in response.headers.items()))

    with httpx.Client(base_url=live.url, timeout=30, event_hooks={"response": [keep]}) as client:
        yield client


def key_header(backend: str, key: str | None) -> dict[str, str]:
    return {"x-forge-provider-key": KEYS[backend] if key == "byo" else key} if key else {}


def submit(
    http: httpx.Client, backend: str, prompt: str, key: str | None = "byo", tier: str = "draft"
) -> httpx.Response:
    body = {"prompt": prompt, "backend": backend, "tier": tier}
    return http.post("/api/forge", json=body, headers=key_header(backend, key))


def follow(http: httpx.Client, job_id: str, timeout: float = 30) -> tuple[dict, list[tuple[str, int]]]:
    """Poll to the end; returns the final job and the (status, progress) pairs seen on the way."""
    seen: list[tuple[str, int]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = http.get("/api/forge", params={"job": job_id}).json()
        seen.append((job["status"], job["progress"]))
        if job["status"] in ("done", "failed"):
            return job, seen
        time.sleep(0.03)
    raise AssertionError(f"{job_id} did not finish: {seen[-3:]}")


def test_catalog_lists_every_backend_with_its_fields(http: httpx.Client) -> None:
    catalog = http.get("/api/forge?catalog").json()
    backends = {b["id"]: b for b in catalog["backends"]}
    assert set(backends) == {"local", "tripo", "meshy", "siray", "scenario"}
    for b in backends.values():
        assert set(b) == {"id", "label", "vendor", "paths", "byok", "configured", "eta_seconds"}
    assert backends["local"]["configured"] and not backends["local"]["byok"]
    assert backends["meshy"]["byok"] and backends["meshy"]["configured"]  # the operator's key
    assert all(backends[p]["byok"] and not backends[p]["configured"] for p in ("tripo", "siray", "scenario"))
    assert [b for b in backends if "retopo" in backends[b]["paths"]] == ["local", "tripo", "meshy"]
    retopo = catalog["retopology"]
    assert retopo["backends"] == ["local", "tripo", "meshy"]
    assert retopo["price_usdc_atomics"] == 100_000 and retopo["price_usdc"] == "0.1"
    assert retopo["paid_path"] == "/api/x402/forge/retopo" and retopo["face_limit_min"] == 100


@pytest.mark.parametrize("backend", ["tripo", "meshy", "siray", "scenario"])
def test_each_provider_builds_a_whole_job(
    backend: str, http: httpx.Client, fakes: dict[str, FakeServer], tmp_path: Path
) -> None:
    answer = submit(http, backend, "a slow brass desk lamp")
    assert answer.status_code == 202, answer.text
    job_id = answer.json()["job_id"]
    assert answer.json()["backend"] == backend
    job, seen = follow(http, job_id)
    assert job["status"] == "done", job
    assert any(status == "running" and 0 < progress < 100 for status, progress in seen), seen
    assert job["progress"] == 100 and job["faces"] > 0 and job["recipe"] == backend
    assert any("copied to this server and validated" in note for note in job["notes"])
    glb = tmp_path / f"{backend}.glb"
    glb.write_bytes(http.get(job["glb_url"]).content)
    assert http.get(job["thumbnail_url"]).content[:4] == b"\x89PNG"
    assert validate_glbs([glb])[glb]["errors"] == 0
    fake = fakes[backend].state
    task = next(t for t in fake.tasks.values() if t.prompt == "a slow brass desk lamp")
    assert task.body.get("prompt") == "a slow brass desk lamp"
    assert any(KEYS[backend].split(":")[0] in h or h.startswith("Basic ") for h in fake.seen_auth)


def test_unknown_backend_is_400(http: httpx.Client) -> None:
    body = assert_error(submit(http, "hunyuan", "a vase", key=None), 400, "unknown_backend")
    assert "tripo" in body["message"] and "catalog" in body["message"]


def test_a_byo_backend_without_a_key_is_501_needs_key(http: httpx.Client) -> None:
    body = assert_error(submit(http, "tripo", "a vase", key=None), 501, "needs_key")
    assert "x-forge-provider-key" in body["message"] and "Tripo" in body["message"]


@pytest.mark.parametrize(
    ("key", "status", "code"),
    [("wrong-key", 401, "provider_unauthorized"), ("no-credits", 403, "provider_out_of_credits"),
     ("busy", 429, "provider_rate_limited")],
)  # fmt: skip
def test_provider_refusals_answer_at_submit_naming_the_provider(
    key: str, status: int, code: str, http: httpx.Client
) -> None:
    for backend in ("tripo", "siray"):
        body = assert_error(submit(http, backend, "a vase", key=key), status, code)
        assert body["provider"] == backend and backend.capitalize() in body["message"]
        assert key not in body["message"]


def test_a_failed_task_fails_a_free_job_with_the_sanitized_reason(http: httpx.Client) -> None:
    for backend in ("meshy", "siray", "scenario"):
        job, _ = follow(http, submit(http, backend, "a fail-prone statue").json()["job_id"])
        assert job["status"] == "failed" and job["error"]["code"] == "provider_failed", job
        message = job["error"]["message"]
        assert backend.capitalize() in message and "moderation" in message
        assert "sk_live" not in message and "\x07" not in message


def test_an_expired_result_url_is_refreshed_by_polling_again(http: httpx.Client, fakes: dict) -> None:
    job, _ = follow(http, submit(http, "siray", "an expired-link teapot").json()["job_id"])
    assert job["status"] == "done", job
    task = next(t for t in fakes["siray"].state.tasks.values() if t.prompt == "an expired-link teapot")
    assert task.downloads == 2


def test_a_garbage_answer_is_a_transient_failure_retried_once(http: httpx.Client, fakes: dict) -> None:
    job, _ = follow(http, submit(http, "scenario", "a garbage bin").json()["job_id"])
    assert job["status"] == "done", job
    assert any("failed once" in n and "retried" in n for n in job["notes"]), job["notes"]
    flaky, _ = follow(http, submit(http, "meshy", "a flaky chair").json()["job_id"])  # 500s on GET: retried
    assert flaky["status"] == "done", flaky
    creates = [t for t in fakes["scenario"].state.tasks.values() if t.prompt == "a garbage bin"]
    assert len(creates) == 1  # resumed the same provider task: never paid twice


def test_a_result_that_is_not_a_glb_fails_validation(http: httpx.Client) -> None:
    job, _ = follow(http, submit(http, "tripo", "a badglb crate").json()["job_id"])
    assert job["status"] == "failed" and job["error"]["code"] == "provider_failed"
    assert "validation" in job["error"]["message"] and "Tripo" in job["error"]["message"]


def test_the_operator_key_serves_callers_without_their_own(http: httpx.Client, fakes: dict) -> None:
    job, _ = follow(http, submit(http, "meshy", "a small wooden boat", key=None).json()["job_id"])
    assert job["status"] == "done", job
    assert f"Bearer {OPERATOR_MESHY}" in fakes["meshy"].state.seen_auth


def tasks_of(fake: FakeServer, prompt: str) -> list[Task]:
    return [t for t in fake.state.tasks.values() if t.prompt == prompt]


def test_meshy_high_tier_refines_the_preview_and_delivers_the_refined_model(
    http: httpx.Client, fakes: dict[str, FakeServer]
) -> None:
    job, seen = follow(http, submit(http, "meshy", "a slow jade dragon", tier="high").json()["job_id"])
    assert job["status"] == "done" and job["tier"] == "high", job
    preview, refine = tasks_of(fakes["meshy"], "a slow jade dragon")
    assert preview.body["mode"] == "preview" and refine.body == {
        "mode": "refine", "preview_task_id": preview.id, "enable_pbr": True
    }  # fmt: skip
    assert preview.downloads == 0 and refine.downloads == 1  # the refined (textured) model is the one delivered
    running = [progress for status, progress in seen if status == "running"]
    assert any(0 < p <= 50 for p in running) and any(50 < p < 100 for p in running), seen
    assert running == sorted(running), seen  # preview 0–50 %, refine 50–100 %: never backwards
    draft, _ = follow(http, submit(http, "meshy", "a slow draft dragon").json()["job_id"])
    assert draft["status"] == "done" and len(tasks_of(fakes["meshy"], "a slow draft dragon")) == 1  # preview only


def test_a_failed_meshy_refine_fails_the_job_with_the_sanitized_reason(http: httpx.Client) -> None:
    job, _ = follow(http, submit(http, "meshy", "a norefine vase", tier="high").json()["job_id"])
    assert job["status"] == "failed" and job["error"]["code"] == "provider_failed", job
    assert "Meshy" in job["error"]["message"] and "sk_live" not in job["error"]["message"]


@pytest.fixture(scope="module")
def host(db_backend: Backend) -> Iterator[FakeServer]:
    server = files.build().start()
    server.state.files["ball.glb"] = trimesh.creation.icosphere(subdivisions=4).export(file_type="glb")
    yield server
    server.stop()


def retopo(http: httpx.Client, backend: str, key: str | None = "byo", **body: object) -> httpx.Response:
    return http.post(RETOPO, json={"backend": backend, **body}, headers=key_header(backend, key))


def test_meshy_remeshes_a_model_url_fetched_from_our_signed_link(
    http: httpx.Client, fakes: dict[str, FakeServer], host: FakeServer, tmp_path: Path
) -> None:
    answer = retopo(http, "meshy", model_url=f"{host.url}/files/ball.glb", face_limit=400, quad=True)
    assert answer.status_code == 202 and answer.json()["backend"] == "meshy", answer.text
    job, _ = follow(http, answer.json()["job_id"])
    assert job["status"] == "done" and job["mode"] == "retopo" and job["recipe"] == "meshy", job
    assert job["retopo"]["source_faces"] == 5120 and job["retopo"]["faces"] == LOWPOLY_FACES == job["faces"]
    assert job["retopo"]["watertight"] and any("retopologized by Meshy" in n for n in job["notes"])
    task = tasks_of(fakes["meshy"], "remesh to 400")[-1]
    assert task.body["topology"] == "quad" and task.body["target_formats"] == ["glb"]
    assert task.body["fetched"] == 200 and task.body["size"] == len(host.state.files["ball.glb"])
    assert (
        task.body["model_url"].startswith(http.base_url.join("/files/src_").__str__())
        and "sig=" in task.body["model_url"]
    )
    glb = tmp_path / "remeshed.glb"
    glb.write_bytes(http.get(job["glb_url"]).content)
    assert validate_glbs([glb])[glb]["errors"] == 0


@pytest.mark.parametrize(
    ("face_limit", "reason"), [(RETOPO_FAIL_FACES, "moderation"), (200, "validation")]
)  # fmt: skip
def test_a_failed_or_oversized_provider_retopology_fails_a_free_job(
    face_limit: int, reason: str, http: httpx.Client, host: FakeServer
) -> None:
    answer = retopo(http, "meshy", key=None, model_url=f"{host.url}/files/ball.glb", face_limit=face_limit)
    job, _ = follow(http, answer.json()["job_id"])
    assert job["status"] == "failed" and job["error"]["code"] == "provider_failed", job
    assert reason in job["error"]["message"] and "sk_live" not in job["error"]["message"]


def test_tripo_retopologizes_a_model_it_built(http: httpx.Client, fakes: dict[str, FakeServer]) -> None:
    source, _ = follow(http, submit(http, "tripo", "a carved oak chest").json()["job_id"])
    assert source["status"] == "done", source
    job, _ = follow(http, retopo(http, "tripo", job_id=source["job_id"], face_limit=1000, bake=True).json()["job_id"])
    assert job["status"] == "done" and job["backend"] == "tripo" and job["retopo"]["faces"] == LOWPOLY_FACES, job
    [built] = tasks_of(fakes["tripo"], "a carved oak chest")
    [low] = tasks_of(fakes["tripo"], "lowpoly of a carved oak chest")
    assert low.body == {"type": "highpoly_to_lowpoly", "original_model_task_id": built.id, "face_limit": 1000,
                        "quad": False, "bake": True}  # fmt: skip


@pytest.mark.parametrize(
    ("backend", "body", "status", "code", "said"),
    [
        ("tripo", {"model_url": "{host}/files/ball.glb", "face_limit": 1000}, 400, "unsupported_retopo", "Tripo built"),
        ("tripo", {"job_id": "{tripo_job}", "face_limit": 1000, "quad": True}, 400, "unsupported_retopo", "FBX"),
        ("tripo", {"job_id": "{tripo_job}", "face_limit": 300}, 400, "unsupported_retopo", "500–20,000"),
        ("meshy", {"model_url": "{host}/files/ball.glb", "face_limit": 500, "bake": True}, 400, "unsupported_retopo",
         "bake"),
        ("siray", {"model_url": "{host}/files/ball.glb", "face_limit": 500}, 400, "unsupported_path", "meshy"),
        ("tripo", {"key": None, "model_url": "{host}/files/ball.glb", "face_limit": 500}, 501, "needs_key", "Tripo"),
        ("tripo", {"key": "wrong-key", "job_id": "{tripo_job}", "face_limit": 1000}, 401, "provider_unauthorized",
         "Tripo"),
    ],
)  # fmt: skip
def test_provider_retopology_refusals_say_why(
    backend: str, body: dict, status: int, code: str, said: str, http: httpx.Client, host: FakeServer
) -> None:
    tripo_job = follow(http, submit(http, "tripo", "a pewter goblet").json()["job_id"])[0]["job_id"]
    body = {k: v.format(host=host.url, tripo_job=tripo_job) if isinstance(v, str) else v for k, v in body.items()}
    answer = retopo(http, backend, key=body.pop("key", "byo"), **body)
    assert_error(answer, status, code)
    assert said in answer.json()["message"], answer.json()


def test_zz_provider_keys_appear_in_no_database_row_log_line_or_answer(live: LiveServer) -> None:
    assert len(seen_text) > 20
    assert any('"mode":"retopo"' in text and '"backend":"meshy"' in text for text in seen_text)  # the new paths too
    assert any('"backend":"tripo"' in text and '"mode":"retopo"' in text for text in seen_text)
    files = stored_names(live.settings, "files")
    assert any(name.startswith("src_") for name in files)  # staged sources: scanned
    stored = b"".join(p.read_bytes() for p in live.data_dir.rglob("*") if p.is_file())
    for area in ("files", "uploads", "sources"):  # the file store too, wherever it is
        stored += b"".join(read_stored(live.settings, f"{area}/{name}") for name in stored_names(live.settings, area))
    for key in [*KEYS.values(), OPERATOR_MESHY]:
        for part in {key, *key.split(":")}:
            assert part.encode() not in stored, f"{part} found in {live.data_dir}"
            assert all(part not in text for text in seen_text)


def test_a_restart_resumes_polling_instead_of_paying_twice(fakes: dict, tmp_path: Path) -> None:
    env = provider_env(fakes, FORGE402_MESHY_API_KEY=OPERATOR_MESHY, FORGE402_PROVIDER_POLL_SECONDS="0.4")
    live = LiveServer(tmp_path, env).start()
    with httpx.Client(base_url=live.url, timeout=30) as http:
        job_id = submit(http, "meshy", "a slow restart robot", key=None).json()["job_id"]
        wait_for(http, job_id, {"running"}, timeout=30)
        time.sleep(0.5)
    live.kill()
    with LiveServer(tmp_path, env) as again, httpx.Client(base_url=again.url, timeout=30) as http:
        job, _ = follow(http, job_id)
    assert job["status"] == "done", job
    assert [t.prompt for t in fakes["meshy"].state.tasks.values()].count("a slow restart robot") == 1


def test_after_a_restart_a_byo_job_whose_key_is_gone_fails_clearly(fakes: dict, tmp_path: Path) -> None:
    env = provider_env(fakes, FORGE402_PROVIDER_POLL_SECONDS="0.4")
    live = LiveServer(tmp_path, env).start()
    with httpx.Client(base_url=live.url, timeout=30) as http:
        job_id = submit(http, "tripo", "a slow forgotten key").json()["job_id"]
    live.kill()
    with LiveServer(tmp_path, env) as again, httpx.Client(base_url=again.url, timeout=30) as http:
        job, _ = follow(http, job_id)
    assert job["status"] == "failed" and job["error"]["code"] == "provider_key_lost", job
    assert "never stored" in job["error"]["message"] and "submit it again" in job["error"]["message"]


def test_a_restart_during_meshy_refine_resumes_the_refine_stage(fakes: dict, tmp_path: Path) -> None:
    env = provider_env(fakes, FORGE402_MESHY_API_KEY=OPERATOR_MESHY, FORGE402_PROVIDER_POLL_SECONDS="0.3")
    live = LiveServer(tmp_path, env).start()
    with httpx.Client(base_url=live.url, timeout=30) as http:
        job_id = submit(http, "meshy", "a slow refined restart", key=None, tier="high").json()["job_id"]
        deadline = time.monotonic() + 30
        while http.get("/api/forge", params={"job": job_id}).json()["progress"] <= 50:  # in the refine stage
            assert time.monotonic() < deadline
            time.sleep(0.05)
    live.kill()
    with LiveServer(tmp_path, env) as again, httpx.Client(base_url=again.url, timeout=30) as http:
        job, _ = follow(http, job_id)
    assert job["status"] == "done", job
    preview, refine = tasks_of(fakes["meshy"], "a slow refined restart")  # neither stage was paid twice
    assert refine.body["preview_task_id"] == preview.id and refine.downloads == 1
