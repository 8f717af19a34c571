"""S3 for the tests: moto's standalone server (`python -m moto.server`, a pinned test dependency) on a loopback port,
one per test process, started on first use and stopped at the end of the session; the code under test talks real S3
HTTP to it. Buckets come from `new_bucket()` (fixture `s3_bucket`), each with a fresh name; a `FaultProxy`
(tests.faultproxy) in front of the server makes S3 unreachable without losing its state.

    bucket = new_bucket()                          # or: bucket = new_bucket(via=proxy)
    env = bucket.env("some/prefix")                # FORGE402_STORAGE_URL for a server under test
    bucket.keys()                                  # what is in it (a boto3 client, not the code under test)

`--store=s3` runs the whole suite on S3: every test server (tests.settings) then gets its own prefix in one bucket.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import secrets
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import boto3
from botocore.config import Config

from app.config import Settings
from app.store.blobs import open_blob_store
from tests.faultproxy import FaultProxy

if TYPE_CHECKING:
    from tests.live import ServerProcess

REGION = "us-east-1"
# moto accepts any credentials; the tests' own, so no developer's AWS setup is ever used (or reached)
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "forge402-tests",
    "AWS_SECRET_ACCESS_KEY": "forge402-tests",
    "AWS_DEFAULT_REGION": REGION,
}
FOREIGN_AWS = ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3",
               "AWS_REGION", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE")  # fmt: skip

_server: ServerProcess | None = None
_suite: dict[str, Any] = {"store": "local", "bucket": None}


def aws_environment() -> None:
    """The test process's AWS variables are the tests' own (children inherit them: tests.live passes them on)."""
    for name in FOREIGN_AWS:
        os.environ.pop(name, None)
    os.environ.update(CREDENTIALS)
    os.environ["AWS_CONFIG_FILE"] = os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull


def moto_server() -> ServerProcess:
    """This process's S3 server, started on first use."""
    global _server
    if _server is None:
        from tests.live import ServerProcess  # tests.live reads the suite's store from here

        aws_environment()
        logs = Path(tempfile.mkdtemp(prefix="forge402-moto-"))
        command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", "{port}"]
        env = {**os.environ, "MOTO_ALLOW_NONEXISTENT_REGION": "true"}
        _server = ServerProcess(command, env, logs / "moto-{port}.log", name="moto", health="/moto-api/data.json")
        _server.start(timeout=60)
    return _server


def stop_moto() -> None:
    global _server
    if _server is not None:
        _server.stop()
        shutil.rmtree(_server.log_path.parent, ignore_errors=True)
        _server = None


def s3_client(endpoint: str) -> Any:
    config = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}, connect_timeout=2, read_timeout=10)
    return boto3.client("s3", endpoint_url=endpoint, region_name=REGION, config=config)


@dataclass(frozen=True)
class Bucket:
    name: str
    endpoint: str  # where the code under test reaches S3 (moto itself, or a FaultProxy in front of it)
    direct: str  # moto itself, for the tests' own look-ups

    def url(self, prefix: str = "") -> str:
        """FORGE402_STORAGE_URL for this bucket (and a prefix), the endpoint URL-encoded."""
        path = f"/{prefix.strip('/')}" if prefix.strip("/") else ""
        return f"s3://{self.name}{path}?endpoint={quote(self.endpoint, safe='')}"

    def env(self, prefix: str = "") -> dict[str, str]:
        return {"FORGE402_STORAGE_URL": self.url(prefix)}

    def client(self) -> Any:
        return s3_client(self.direct)

    def keys(self, prefix: str = "") -> list[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=self.name, Prefix=prefix)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client().get_object(Bucket=self.name, Key=key)["Body"].read()


def new_bucket(via: FaultProxy | None = None, name: str | None = None) -> Bucket:
    """A new, empty bucket on this process's S3 server; `via` a proxy in front of it for the code under test."""
    direct = moto_server().url
    name = name or f"forge402-{secrets.token_hex(6)}"
    s3_client(direct).create_bucket(Bucket=name)
    return Bucket(name, via.url if via is not None else direct, direct)


def proxy_to_s3() -> FaultProxy:
    """A started FaultProxy in front of this process's S3 server (stop it when done)."""
    return FaultProxy(("127.0.0.1", moto_server().port), name="s3-proxy").start()


# ---- the whole suite on S3 (--store=s3) --------------------------------------------------------------------------


def use_for_suite(store: str) -> None:
    if store not in ("local", "s3"):
        raise ValueError(f"--store must be local or s3, not {store!r}")
    _suite["store"] = store


def suite_store_env(data_dir: Path) -> dict[str, str]:
    """With --store=s3: a storage URL for the server in `data_dir` (one bucket per test process, a prefix per data
    directory, so servers never see each other's files and any Settings for the same directory reads the same
    store). With the local default: nothing."""
    if _suite["store"] != "s3":
        return {}
    if _suite["bucket"] is None:
        _suite["bucket"] = new_bucket()
    prefix = "suite/" + hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    return _suite["bucket"].env(prefix)


# ---- what a server under test has stored, whatever its store --------------------------------------------------------


def stored_names(settings: Settings, area: str) -> set[str]:
    """The keys under `area` (files, uploads, sources) of the store `settings` name, relative to the area."""
    keys = asyncio.run(open_blob_store(settings.blob_spec).list_older_than(area, float("inf")))
    return {key.removeprefix(f"{area}/") for key in keys}


def read_stored(settings: Settings, key: str) -> bytes:
    return asyncio.run(open_blob_store(settings.blob_spec).read(key))
