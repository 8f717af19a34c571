"""Blob storage: one small async interface (`BlobStore`), local files (default) or S3 (`FORGE402_STORAGE_URL`).
`app.store.files` names what is kept in it; a `BlobSpec` is what another process needs to open the same store."""

from functools import cache

from app.store.blobs.base import (
    Blob,
    BlobInfo,
    BlobNotFound,
    BlobStore,
    BlobStoreMisconfigured,
    BlobStoreUnavailable,
)
from app.store.blobs.spec import BlobSpec, local_spec, parse_storage_url


@cache
def open_blob_store(spec: BlobSpec) -> BlobStore:
    """The process's one store for `spec` (opened lazily: no I/O until it is used)."""
    if spec.kind == "local":
        from app.store.blobs.local import LocalBlobStore

        return LocalBlobStore(spec)
    from app.store.blobs.s3 import S3BlobStore  # boto3 is imported only by processes that use S3

    return S3BlobStore(spec)


__all__ = [
    "Blob",
    "BlobInfo",
    "BlobNotFound",
    "BlobSpec",
    "BlobStore",
    "BlobStoreMisconfigured",
    "BlobStoreUnavailable",
    "local_spec",
    "open_blob_store",
    "parse_storage_url",
]
