"""Blobs in an S3 bucket (AWS or any S3-compatible server), through boto3 in threads (`asyncio.to_thread`): boto3
is the reference S3 client and its clients are thread-safe, so one client per process serves every task.

Credentials come from boto3's standard chain (the `AWS_*` environment variables first). A custom endpoint is
addressed path-style (`<endpoint>/<bucket>/<key>`, what S3-compatible servers expect) and gets checksums only where
S3 requires them (not every compatible server knows the newer ones). Unreachable or throttling S3 is
`BlobStoreUnavailable` after a short retry; a missing object is `BlobNotFound`.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import threading
from collections.abc import AsyncIterable, AsyncIterator, Callable
from typing import Any, TypeVar

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, PartialCredentialsError

from app.store.blobs.base import (
    CHUNK_BYTES,
    Blob,
    BlobInfo,
    BlobNotFound,
    BlobStore,
    BlobStoreMisconfigured,
    BlobStoreUnavailable,
    check_key,
)
from app.store.blobs.spec import BlobSpec

T = TypeVar("T")
MISSING = {"404", "NoSuchKey", "NotFound"}
SPOOL_BYTES = 8 * 1024 * 1024  # a streamed put is kept in memory up to this, then in a temporary file
ATTEMPTS = 2  # botocore's own retry (standard mode) before a call reports the store unreachable


class S3BlobStore(BlobStore):
    def __init__(self, spec: BlobSpec) -> None:
        self.spec = spec
        self.bucket = spec.bucket
        self._prefix = f"{spec.prefix}/" if spec.prefix else ""
        self._client: Any = None
        self._lock = threading.Lock()

    # ---- the client ----------------------------------------------------------------------------------------------
    def client(self) -> Any:
        with self._lock:
            if self._client is None:
                self._client = self._new_client()
            return self._client

    def _new_client(self) -> Any:
        session = boto3.session.Session()
        region = self.spec.region or session.region_name or os.environ.get("AWS_REGION") or "us-east-1"
        options: dict[str, Any] = {"s3": {"addressing_style": "path" if self.spec.endpoint else "auto"}}
        if self.spec.endpoint:
            when = "when_required"  # not every S3-compatible server knows the newer default checksums
            options |= {"request_checksum_calculation": when, "response_checksum_validation": when}
        config = Config(
            region_name=region,
            retries={"max_attempts": ATTEMPTS, "mode": "standard"},
            max_pool_connections=32,
            connect_timeout=self.spec.timeout_s,
            read_timeout=self.spec.timeout_s,
            **options,
        )
        return session.client("s3", endpoint_url=self.spec.endpoint, config=config)

    def name(self, key: str) -> str:
        return self._prefix + check_key(key)

    async def _call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await asyncio.to_thread(_guarded, fn, *args, **kwargs)

    # ---- the interface -------------------------------------------------------------------------------------------
    async def put(self, key: str, data: bytes) -> None:
        name = self.name(key)
        await self._call(lambda: self.client().put_object(Bucket=self.bucket, Key=name, Body=data))

    async def put_stream(self, key: str, chunks: AsyncIterable[bytes]) -> int:
        name = self.name(key)
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
            size = 0
            async for chunk in chunks:
                spool.write(chunk)
                size += len(chunk)
            spool.seek(0)
            await self._call(lambda: self.client().upload_fileobj(spool, self.bucket, name))
        return size

    async def open(self, key: str) -> Blob:
        name = self.name(key)
        answer = await self._call(lambda: self.client().get_object(Bucket=self.bucket, Key=name))
        info = BlobInfo(key, int(answer["ContentLength"]), answer["LastModified"].timestamp())
        return Blob(info, BodyStream(answer["Body"]))

    async def stat(self, key: str) -> BlobInfo:
        name = self.name(key)
        answer = await self._call(lambda: self.client().head_object(Bucket=self.bucket, Key=name))
        return BlobInfo(key, int(answer["ContentLength"]), answer["LastModified"].timestamp())

    async def delete(self, key: str) -> None:
        name = self.name(key)
        await self._call(lambda: self.client().delete_object(Bucket=self.bucket, Key=name))

    async def list_older_than(self, prefix: str, before: float) -> list[str]:
        start = self._prefix + check_key(prefix.rstrip("/")) + "/"
        return await self._call(self._older, start, before)

    def _older(self, start: str, before: float) -> list[str]:
        found = []
        for page in self.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=start):
            for item in page.get("Contents", []):
                if item["LastModified"].timestamp() < before:
                    found.append(item["Key"][len(self._prefix) :])
        return sorted(found)

    async def check(self) -> None:
        try:
            await self._call(lambda: self.client().head_bucket(Bucket=self.bucket))
        except BlobNotFound:
            raise BlobStoreMisconfigured(
                f"the bucket {self.bucket!r} does not exist{self._where()}; create it first"
            ) from None
        except _Refused as exc:
            raise BlobStoreMisconfigured(f"the bucket {self.bucket!r}{self._where()} refuses us: {exc}") from None

    def _where(self) -> str:
        return f" at {self.spec.endpoint}" if self.spec.endpoint else ""

    async def close(self) -> None:
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            await asyncio.to_thread(client.close)


class _Refused(BlobStoreUnavailable):
    """S3 answered, and said no (credentials, permissions): not a passing outage."""


class BodyStream(AsyncIterator[bytes]):
    """An object's body read in chunks in threads; closed when drained or by `aclose()`."""

    def __init__(self, body: Any) -> None:
        self._body = body

    async def __anext__(self) -> bytes:
        chunk = await asyncio.to_thread(_guarded, self._body.read, CHUNK_BYTES)
        if not chunk:
            self._body.close()
            raise StopAsyncIteration
        return chunk

    async def aclose(self) -> None:
        self._body.close()


def _guarded(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call boto3, turning its errors into the blob layer's."""
    try:
        return fn(*args, **kwargs)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
        if code in MISSING or code == "NoSuchBucket":
            raise BlobNotFound(code) from None
        if status in (401, 403) or code in ("AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"):
            raise _Refused(f"S3 refused: {code or status}") from None
        raise BlobStoreUnavailable(f"S3 answered {status} {code}") from None
    except (NoCredentialsError, PartialCredentialsError):
        raise _Refused("no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY") from None
    except BotoCoreError as exc:  # connection refused or reset, timeouts, a body cut short
        raise BlobStoreUnavailable(f"S3 unreachable: {type(exc).__name__}") from None
