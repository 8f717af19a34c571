"""Files kept under the data directory, in three areas, every write atomic (temporary file, then rename) so a
reader or a crash never sees half a file:

    <data_dir>/files/<job_id>/<name>       a job's model, thumbnail and quad OBJ (served through signed links)
    <data_dir>/uploads/<id>.<ext>          photos uploaded or fetched for image_urls
    <data_dir>/sources/<sha256>.<format>   retopology sources, kept by content hash

One `FileStore` per process (`file_store(data_dir)`): the service builds it at start-up, an engine process on its
first job. A second backend (object storage) implements the same methods.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import tempfile
from functools import cache
from pathlib import Path

from app.errors import StoreUnavailable

MODEL = "model.glb"
THUMBNAIL = "thumbnail.png"
QUAD_MODEL = "model.obj"  # retopology with quads (GLB stores only triangles)
SERVABLE = {MODEL: "model/gltf-binary", THUMBNAIL: "image/png", QUAD_MODEL: "model/obj"}
SOURCE_NAMES = {"glb": MODEL, "obj": QUAD_MODEL}  # a retopology source, published where /files/ links reach it
_SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
_IMAGE = re.compile(r"^[A-Za-z0-9_-]{22,64}\.(png|jpg|webp)$")
_SOURCE = re.compile(r"^[0-9a-f]{64}$")


FULL_DISK = {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EROFS}  # the disk, not the caller: transient


def write_atomically(target: Path, data: bytes) -> Path:
    """Write through a temporary file and a rename: a reader (or a crash) never sees half a file. A full or failing
    disk is a StoreUnavailable (nothing is left behind)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    except OSError as exc:
        _raise_if_disk(exc)
        raise
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            _raise_if_disk(exc)
        raise
    return target


def _raise_if_disk(exc: OSError) -> None:
    if exc.errno in FULL_DISK:
        raise StoreUnavailable(
            f"The server cannot store files right now ({exc.strerror}); nothing was kept. Send it again in a moment."
        ) from exc


class FileStore:
    def __init__(self, data_dir: Path) -> None:
        self.jobs_root = data_dir / "files"
        self.images_root = data_dir / "uploads"
        self.sources_root = data_dir / "sources"

    # ---- a job's files -------------------------------------------------------------------------------------------
    def job_dir(self, job_id: str) -> Path:
        if not _SAFE_ID.match(job_id):
            raise ValueError(f"not a job id: {job_id!r}")
        return self.jobs_root / job_id

    def path(self, job_id: str, name: str) -> Path:
        if name not in SERVABLE:
            raise ValueError(f"not a stored file name: {name!r}")
        return self.job_dir(job_id) / name

    def write(self, job_id: str, name: str, data: bytes) -> Path:
        return write_atomically(self.path(job_id, name), data)

    def exists(self, job_id: str, name: str) -> bool:
        return self.path(job_id, name).is_file()

    def delete_job(self, job_id: str) -> None:
        shutil.rmtree(self.job_dir(job_id), ignore_errors=True)

    # ---- images (uploads and fetched image_urls) -------------------------------------------------------------------
    def image_path(self, name: str) -> Path:
        if not _IMAGE.match(name):
            raise ValueError(f"not an upload file name: {name!r}")
        return self.images_root / name

    def write_image(self, name: str, data: bytes) -> Path:
        return write_atomically(self.image_path(name), data)

    def delete_image(self, name: str) -> None:
        self.image_path(name).unlink(missing_ok=True)

    # ---- retopology sources ------------------------------------------------------------------------------------------
    def source_path(self, sha256: str, fmt: str) -> Path:
        if not _SOURCE.match(sha256) or fmt not in SOURCE_NAMES:
            raise ValueError(f"not a source: {sha256!r}.{fmt!r}")
        return self.sources_root / f"{sha256}.{fmt}"

    def keep_source(self, data: bytes, fmt: str) -> str:
        """Keep a source model by its content hash (once); returns the hash."""
        sha = hashlib.sha256(data).hexdigest()
        target = self.source_path(sha, fmt)
        if not target.exists():
            write_atomically(target, data)
        return sha

    def read_source(self, sha256: str, fmt: str) -> bytes:
        return self.source_path(sha256, fmt).read_bytes()

    def publish_source(self, sha256: str, fmt: str) -> tuple[str, str]:
        """Copy a kept source where signed `/files/` links reach it (a provider fetches it): (folder, name)."""
        folder, name = f"src_{sha256}", SOURCE_NAMES[fmt]
        if not self.exists(folder, name):
            self.write(folder, name, self.read_source(sha256, fmt))
        return folder, name


@cache
def file_store(data_dir: Path) -> FileStore:
    """The process's one FileStore for `data_dir`."""
    return FileStore(data_dir)
