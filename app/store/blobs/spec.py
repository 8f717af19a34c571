"""Which blob store a process uses: `FORGE402_STORAGE_URL` parsed into a `BlobSpec`, a small picklable value that
every process (the service, its engine processes, a worker on another machine) turns into its own store handle with
`app.store.blobs.open_blob_store`. Credentials are never part of it: S3 reads the standard `AWS_*` variables in
each process.

    (unset)                                          local files under FORGE402_DATA_DIR (the default)
    s3://bucket                                      AWS S3, the whole bucket
    s3://bucket/some/prefix?region=eu-west-1         keys under some/prefix/
    s3://bucket/prefix?endpoint=http%3A%2F%2F127.0.0.1%3A9000   an S3-compatible server (path-style addressing)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, urlsplit

_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")  # S3's bucket naming rules
_PREFIX = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$")
_REGION = re.compile(r"^[a-z0-9-]{2,32}$")


@dataclass(frozen=True, slots=True)
class BlobSpec:
    kind: Literal["local", "s3"]
    root: str = ""  # local: the directory that holds files/, uploads/ and sources/
    bucket: str = ""
    prefix: str = ""  # s3: keys live under '<prefix>/' ('' = the bucket's root)
    endpoint: str | None = None  # s3: an S3-compatible server instead of AWS (path-style addressing)
    region: str | None = None  # s3: default from AWS_REGION / AWS_DEFAULT_REGION, else us-east-1
    timeout_s: float = 10.0  # s3: connect and read timeout of one attempt (a call makes two before it gives up)

    def describe(self) -> str:
        """Where the blobs are, for a log line (no credentials are ever part of a spec)."""
        if self.kind == "local":
            return f"local files in {self.root}"
        where = f"s3://{self.bucket}/{self.prefix}".rstrip("/")
        return where + (f" at {self.endpoint}" if self.endpoint else "")


def local_spec(data_dir: Path) -> BlobSpec:
    return BlobSpec("local", root=str(data_dir))


def parse_storage_url(url: str) -> BlobSpec:
    """The spec of an `s3://bucket[/prefix][?endpoint=<url-encoded URL>&region=<name>]` URL; ValueError says why not
    (never echoing the URL: a careless one may hold a key)."""
    parts = urlsplit(url.strip())
    if parts.scheme != "s3":
        raise ValueError("must be s3://bucket[/prefix][?endpoint=URL] (unset for local files)")
    if parts.username or parts.password or "@" in parts.netloc:
        raise ValueError("must not hold credentials; use the AWS_* environment variables")
    if not _BUCKET.match(parts.netloc):
        raise ValueError("the bucket name must be 3–63 characters: lower-case letters, digits, '.', '-'")
    prefix = parts.path.strip("/")
    if prefix and not _PREFIX.match(prefix):
        raise ValueError("the prefix may hold letters, digits, '_', '.', '-' and '/' only")
    query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=False)
    unknown = set(query) - {"endpoint", "region"}
    if unknown:
        raise ValueError(f"unknown parameter {sorted(unknown)[0]!r} (endpoint and region are known)")
    endpoint = _single(query, "endpoint")
    if endpoint is not None:
        target = urlsplit(endpoint)
        if target.scheme not in ("http", "https") or not target.hostname or target.username or target.password:
            raise ValueError("endpoint must be an http(s) URL without credentials, URL-encoded")
        endpoint = endpoint.rstrip("/")
    region = _single(query, "region")
    if region is not None and not _REGION.match(region):
        raise ValueError("region must be an AWS region name such as eu-west-1")
    return BlobSpec("s3", bucket=parts.netloc, prefix=prefix, endpoint=endpoint, region=region)


def _single(query: dict[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    if not values:
        return None
    if len(values) > 1 or not values[0]:
        raise ValueError(f"{name} must be given once, with a value")
    return values[0]

