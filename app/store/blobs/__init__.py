"""Blob storage: one small async interface (`BlobStore`), local files (default) or S3 (`FORGE402_STORAGE_URL`).
`app.store.files` names what is kept in it; a `BlobSpec` is what another process needs to open the same store."""

from app.store.blobs.base import (
    Blob,
    BlobInfo,
    BlobNotFound,
    BlobStore,
    BlobStoreMisconfigured,
    BlobStoreUnavailable,
)
from app.store.blobs.spec import BlobSpec, local_spec, open_blob_store, parse_storage_url

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
