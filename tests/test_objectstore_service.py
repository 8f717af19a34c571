"""forge402 on S3 end to end (real uvicorn, moto behind a FaultProxy): S3 down answers 503 on reads and a job
built meanwhile finishes once S3 is back; an upload PUT refused for an unreachable store keeps its slot; a file link
signed by one node is served by another that shares the secret and the bucket."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.api import assert_error, wait_done, wait_for
from tests.faultproxy import FaultProxy
from tests.images import clean_photo, encode
from tests.live import LiveServer
from tests.objectstore import Bucket

PNG = encode(clean_photo())


def generate(http: httpx.Client, prompt: str) -> dict:
    answer = http.post("/api/forge", json={"prompt": prompt, "tier": "draft"})
    assert answer.status_code == 202, answer.text
    return answer.json()


def wait_for_log(live: LiveServer, text: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while text not in live.log():
        assert time.monotonic() < deadline, f"{text!r} never logged:\n{live.log()}"
        time.sleep(0.1)


def test_s3_down_reads_answer_503_and_jobs_finish_once_it_is_back(
    tmp_path: Path, s3_bucket: Callable[..., Bucket], s3_proxy: FaultProxy
) -> None:
    bucket = s3_bucket(via=s3_proxy)
    env = {**bucket.env("node"), "FORGE402_FAST_LANE_MS": "0", "FORGE402_STORAGE_TIMEOUT_SECONDS": "1"}
    with LiveServer(tmp_path, env) as live, live.client() as http:
        first = wait_done(http, generate(http, "a brass lantern")["job_id"])
        assert first["status"] == "done", first
        model = http.get(first["glb_url"])
        assert model.status_code == 200
        assert model.content == bucket.read(f"node/files/{first['job_id']}/model.glb")  # served from the bucket
        assert not (tmp_path / "files").exists()  # nothing on the node's disk
        slot = http.post("/api/forge-upload", json={"content_type": "image/png", "size_bytes": len(PNG)}).json()

        s3_proxy.down()
        for url in (first["glb_url"], first["thumbnail_url"]):
            refused = assert_error(http.get(url), 503, "storage_unavailable")
            assert "Retry" in refused["message"] and int(http.get(url).headers["retry-after"]) > 0
        put = http.put(slot["upload_url"], content=PNG, headers=slot["headers"])
        assert_error(put, 503, "storage_unavailable")
        second = generate(http, "a pewter goblet")
        wait_for_log(live, f"storing the model of {second['job_id']}")  # built, waiting for the store
        assert wait_for(http, second["job_id"], {"running"})["status"] == "running"  # not failed

        s3_proxy.up()
        done = wait_done(http, second["job_id"])
        assert done["status"] == "done", done
        assert http.get(done["glb_url"]).content == bucket.read(f"node/files/{second['job_id']}/model.glb")
        assert http.get(first["glb_url"]).status_code == 200
        kept = http.put(slot["upload_url"], content=PNG, headers=slot["headers"])  # the same slot, once more
        assert kept.status_code == 200, kept.text
        assert http.get(slot["public_url"]).content == PNG


def test_a_file_link_is_served_by_any_node_sharing_the_secret_and_the_bucket(
    tmp_path: Path, s3_bucket: Callable[..., Bucket]
) -> None:
    shared = {**s3_bucket().env("cluster"), "FORGE402_SECRET": "s" * 64}
    with LiveServer(tmp_path / "a", shared) as a, LiveServer(tmp_path / "b", shared) as b:
        with a.client() as http:
            job = wait_done(http, http.post("/api/forge", json={"prompt": "a wooden stool", "tier": "draft"}).json()[
                "job_id"])  # fmt: skip
            assert job["status"] == "done", job
            expected = http.get(job["glb_url"]).content
        link = httpx.URL(job["glb_url"])
        with b.client() as other:
            served = other.get(link.raw_path.decode())
            assert served.status_code == 200 and served.content == expected
            assert served.headers["content-type"] == "model/gltf-binary"
            assert int(served.headers["content-length"]) == len(expected)
            head = other.head(link.raw_path.decode())
            assert head.status_code == 200 and int(head.headers["content-length"]) == len(expected)
            forged = link.copy_with(params={**dict(link.params), "sig": "0" * 64})
            assert_error(other.get(forged.raw_path.decode()), 403, "link_invalid")
            expired = link.copy_with(params={**dict(link.params), "expires": "1"})
            assert other.get(expired.raw_path.decode()).status_code in (403, 404)  # the signature covers expiry
