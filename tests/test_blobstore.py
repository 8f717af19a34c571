"""The blob interface, the same contract on both backends (local files and S3 on moto, real S3 HTTP), the storage URL,
an unreachable S3 (a FaultProxy in front of it) and a missing bucket (a clear refusal to start)."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import pickle
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.cli.exits import EXIT_INPUT
from app.config import Settings
from app.store.blobs import (
    BlobNotFound,
    BlobSpec,
    BlobStore,
    BlobStoreMisconfigured,
    BlobStoreUnavailable,
    local_spec,
    open_blob_store,
    parse_storage_url,
)
from app.store.blobs.local import LocalBlobStore
from tests.faultproxy import FaultProxy
from tests.live import ROOT, clean_environment
from tests.objectstore import Bucket


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[BlobStore]:
    if request.param == "local":
        yield LocalBlobStore(local_spec(tmp_path))
        return
    bucket: Bucket = request.getfixturevalue("s3_bucket")()
    yield open_blob_store(parse_storage_url(bucket.url("some/prefix")))


async def chunks(parts: list[bytes], fail_after: int | None = None) -> AsyncIterator[bytes]:
    for i, part in enumerate(parts):
        if fail_after is not None and i == fail_after:
            raise RuntimeError("the client went away")
        yield part


def test_put_open_stat_exists_delete(store: BlobStore) -> None:
    async def scenario() -> None:
        await store.put("files/job_a/model.glb", b"glTF" + b"\1" * 5000)
        blob = await store.open("files/job_a/model.glb")
        assert blob.size == 5004
        assert await blob.read() == b"glTF" + b"\1" * 5000
        info = await store.stat("files/job_a/model.glb")
        assert (info.key, info.size) == ("files/job_a/model.glb", 5004)
        assert abs(info.modified - time.time()) < 3600  # a real time, in UTC seconds
        await store.put("files/job_a/model.glb", b"replaced")
        assert await store.read("files/job_a/model.glb") == b"replaced"
        assert await store.exists("files/job_a/model.glb")
        await store.delete("files/job_a/model.glb")
        assert not await store.exists("files/job_a/model.glb")
        await store.delete("files/job_a/model.glb")  # deleting nothing is fine
        for missing in (store.open, store.stat, store.read):
            with pytest.raises(BlobNotFound):
                await missing("files/job_a/model.glb")

    asyncio.run(scenario())


def test_a_stream_is_stored_whole_or_not_at_all(store: BlobStore) -> None:
    parts = [os.urandom(n) for n in (1, 300_000, 77, 2_000_000, 5)]

    async def scenario() -> None:
        assert await store.put_stream("uploads/a.png", chunks(parts)) == sum(map(len, parts))
        blob = await store.open("uploads/a.png")
        streamed = [chunk async for chunk in blob.chunks()]
        assert b"".join(streamed) == b"".join(parts) and len(streamed) > 1  # read in chunks, not at once
        with pytest.raises(RuntimeError):
            await store.put_stream("uploads/b.png", chunks(parts, fail_after=3))
        assert not await store.exists("uploads/b.png")
        assert await store.list_older_than("uploads", time.time() + 60) == ["uploads/a.png"]  # no temporary left

    asyncio.run(scenario())


def test_list_older_than_sees_only_its_prefix_and_age(store: BlobStore) -> None:
    async def scenario() -> None:
        for key in ("files/job_a/model.glb", "files/job_a/thumbnail.png", "files/job_b/model.glb",
                    "sources/ab.glb", "uploads/x.png"):  # fmt: skip
            await store.put(key, b"data")
        written = (await store.stat("files/job_b/model.glb")).modified
        later = time.time() + 60
        assert await store.list_older_than("files", later) == [
            "files/job_a/model.glb", "files/job_a/thumbnail.png", "files/job_b/model.glb"
        ]  # fmt: skip
        assert await store.list_older_than("sources", later) == ["sources/ab.glb"]
        assert await store.list_older_than("files", written - 1) == []
        assert await store.list_older_than("nothing", later) == []

    asyncio.run(scenario())


def test_keys_cannot_leave_the_store(store: BlobStore) -> None:
    for key in ("../secret.key", "files/../../etc/passwd", ".hidden", "files//x", "/abs", "files/x/", ""):
        with pytest.raises(ValueError):
            asyncio.run(store.put(key, b"x"))


def _read_in_child(spec: BlobSpec, key: str) -> bytes:
    return asyncio.run(open_blob_store(spec).read(key))


def test_another_process_reopens_the_store_from_its_spec(store: BlobStore) -> None:
    """What an engine process (or a worker elsewhere) gets is a picklable spec, not a path or a client."""
    asyncio.run(store.put("files/job_c/model.glb", b"from the parent"))
    spec = pickle.loads(pickle.dumps(store.spec))
    assert spec == store.spec
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        assert pool.apply(_read_in_child, (spec, "files/job_c/model.glb")) == b"from the parent"


def test_s3_keys_live_under_the_prefix(s3_bucket: Callable[..., Bucket]) -> None:
    bucket = s3_bucket()
    store = open_blob_store(parse_storage_url(bucket.url("tenant/one")))
    asyncio.run(store.put("files/job_d/model.glb", b"x"))
    assert bucket.keys() == ["tenant/one/files/job_d/model.glb"]
    whole = open_blob_store(parse_storage_url(bucket.url()))  # no prefix: the bucket's root
    asyncio.run(whole.put("uploads/y.png", b"y"))
    assert bucket.keys() == ["tenant/one/files/job_d/model.glb", "uploads/y.png"]


def test_unreachable_s3_is_unavailable_then_comes_back(
    s3_bucket: Callable[..., Bucket], s3_proxy: FaultProxy
) -> None:
    spec = replace(parse_storage_url(s3_bucket(via=s3_proxy).url("p")), timeout_s=0.5)
    store = open_blob_store(spec)

    async def scenario() -> None:
        await store.put("files/job_e/model.glb", b"kept")
        s3_proxy.down()  # connections reset
        key = "files/job_e/model.glb"
        calls = (store.open, store.stat, store.read, lambda key: store.put(key, b"new"), lambda key: store.check())
        for call in calls:
            with pytest.raises(BlobStoreUnavailable) as caught:
                await call(key)
            assert caught.value.code == "storage_unavailable" and caught.value.retry_after
        s3_proxy.up()
        assert await store.read("files/job_e/model.glb") == b"kept"  # nothing was lost
        s3_proxy.blackhole()  # connections accepted, never answered: the timeout ends the wait
        with pytest.raises(BlobStoreUnavailable):
            await store.stat("files/job_e/model.glb")
        s3_proxy.up()
        assert await store.exists("files/job_e/model.glb")

    asyncio.run(scenario())


def test_a_missing_bucket_refuses_to_start(s3_bucket: Callable[..., Bucket], tmp_path: Path) -> None:
    existing = s3_bucket()
    missing = Bucket("forge402-no-such-bucket", existing.endpoint, existing.direct)
    with pytest.raises(BlobStoreMisconfigured, match=r"forge402-no-such-bucket.*does not exist"):
        asyncio.run(open_blob_store(parse_storage_url(missing.url())).check())
    env = clean_environment({"FORGE402_DATA_DIR": str(tmp_path), "FORGE402_DEVNET": "0", **missing.env()})
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--port", "1"], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert done.returncode == EXIT_INPUT, done.stderr
    assert done.stderr.strip().splitlines() == [
        f"forge402: file storage cannot start: the bucket 'forge402-no-such-bucket' does not exist at "
        f"{existing.endpoint}; create it first"
    ]


# ---- the storage URL ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "spec"),
    [
        ("s3://models", BlobSpec("s3", bucket="models")),
        ("s3://models/", BlobSpec("s3", bucket="models")),
        ("s3://my.models/a/b/?region=eu-west-1", BlobSpec("s3", bucket="my.models", prefix="a/b", region="eu-west-1")),
        ("s3://models/p?endpoint=http%3A%2F%2F127.0.0.1%3A9000%2F",
         BlobSpec("s3", bucket="models", prefix="p", endpoint="http://127.0.0.1:9000")),
        ("s3://models?endpoint=https%3A%2F%2Fs3.example.com", BlobSpec("s3", bucket="models",
         endpoint="https://s3.example.com")),
    ],
)  # fmt: skip
def test_storage_urls(url: str, spec: BlobSpec) -> None:
    assert parse_storage_url(url) == spec


@pytest.mark.parametrize(
    "url",
    [
        "https://bucket/prefix", "file:///tmp/x", "s3://", "s3://UPPER", "s3://a", "s3://key:secret@bucket",
        "s3://bucket/pre fix", "s3://bucket?endpoint=ftp%3A%2F%2Fhost", "s3://bucket?endpoint=",
        "s3://bucket?endpoint=http%3A%2F%2Fuser%3Apw%40host", "s3://bucket?acl=public", "s3://bucket?region=EU WEST",
    ],
)  # fmt: skip
def test_bad_storage_urls_are_refused_without_echoing_them(url: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        parse_storage_url(url)
    with pytest.raises(ValidationError) as caught:
        Settings(data_dir=tmp_path, storage_url=url)
    assert url not in str(caught.value.errors()[0]["msg"])


def test_without_a_storage_url_files_stay_in_the_data_dir(tmp_path: Path) -> None:
    assert Settings(data_dir=tmp_path).blob_spec == BlobSpec("local", root=str(tmp_path))
