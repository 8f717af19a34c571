"""FORGE402_RETENTION_DAYS: models, thumbnails and retopology sources older than the retention are deleted, on either
store; younger files, photos and every job record stay."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from app.store.blobs import local_spec, open_blob_store, parse_storage_url
from app.store.files import MODEL, THUMBNAIL, FileStore
from app.store.retention import DAY_S, RetentionSweeper
from tests.api import assert_error, wait_done
from tests.inprocess import InProcessServer
from tests.objectstore import Bucket, stored_names

IMAGE = "A" * 24 + ".png"


@pytest.fixture(params=["local", "s3"])
def files(request: pytest.FixtureRequest, tmp_path: Path) -> FileStore:
    if request.param == "local":
        return FileStore(open_blob_store(local_spec(tmp_path)))
    bucket: Bucket = request.getfixturevalue("s3_bucket")()
    return FileStore(open_blob_store(parse_storage_url(bucket.url("kept"))))


def test_old_models_thumbnails_and_sources_go_young_ones_and_photos_stay(files: FileStore) -> None:
    async def scenario() -> None:
        await files.write("job_old", MODEL, b"old model")
        await files.write("job_old", THUMBNAIL, b"old thumbnail")
        old_source = await files.keep_source(b"old source", "glb")
        await files.write_image(IMAGE, b"a photo")  # photos follow UPLOAD_RETENTION_SECONDS, not this
        await asyncio.sleep(1.5)  # S3 keeps times to the second: the young files are a second younger at least
        await files.write("job_new", MODEL, b"new model")
        young_source = await files.keep_source(b"young source", "obj")
        cutoff = (await files.blobs.stat(f"files/job_new/{MODEL}")).modified
        sweeper = RetentionSweeper(files, days=2)
        assert await sweeper.once(now=cutoff - 0.001 + 2 * DAY_S) == 3
        assert not await files.exists("job_old", MODEL) and not await files.exists("job_old", THUMBNAIL)
        assert not await files.blobs.exists(f"sources/{old_source}.glb")
        assert await files.read("job_new", MODEL) == b"new model"
        assert await files.read_source(young_source, "obj") == b"young source"
        assert await files.read_image(IMAGE) == b"a photo"
        assert await sweeper.once(now=cutoff - 0.001 + 2 * DAY_S) == 0  # a second sweep finds nothing more

    asyncio.run(scenario())


def test_a_source_in_use_again_is_young_again(files: FileStore) -> None:
    """keep_source rewrites: a source a new job uses is never swept as old under it."""

    async def scenario() -> None:
        sha = await files.keep_source(b"source", "glb")
        first = (await files.blobs.stat(f"sources/{sha}.glb")).modified
        await asyncio.sleep(1.5)
        assert await files.keep_source(b"source", "glb") == sha
        assert (await files.blobs.stat(f"sources/{sha}.glb")).modified > first

    asyncio.run(scenario())


def test_without_retention_nothing_is_swept(files: FileStore) -> None:
    sweeper = RetentionSweeper(files, days=None)
    sweeper_loop = asyncio.run(_started(sweeper))
    assert sweeper_loop is None


async def _started(sweeper: RetentionSweeper) -> object:
    sweeper.start()
    task = sweeper._task
    await sweeper.stop()
    return task


def test_the_service_keeps_job_records_after_their_files_are_gone(tmp_path: Path) -> None:
    with InProcessServer(tmp_path, {"FORGE402_RETENTION_DAYS": "1"}) as server, server.client() as http:
        job = wait_done(http, http.post("/api/forge", json={"prompt": "a clay pot", "tier": "draft"}).json()["job_id"])
        assert job["status"] == "done" and http.get(job["glb_url"]).status_code == 200
        sweeper = server.app.state.services.retention
        assert server.call(sweeper.once(now=time.time() + 2 * DAY_S)) == 2
        assert stored_names(server.settings, "files") == set()
        again = http.get(f"/api/forge?job={job['job_id']}").json()
        assert (again["status"], again["faces"], again["recipe"]) == ("done", job["faces"], job["recipe"])
        assert_error(http.get(again["glb_url"]), 404, "file_not_found")
