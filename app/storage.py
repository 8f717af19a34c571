"""Local file storage for generated assets: one folder per job under `<data_dir>/files`.

Writes are atomic (temporary file, then rename) so a reader or a crash never sees half a GLB.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

MODEL = "model.glb"
THUMBNAIL = "thumbnail.png"
QUAD_MODEL = "model.obj"  # retopology with quads (GLB stores only triangles)
SERVABLE = {MODEL: "model/gltf-binary", THUMBNAIL: "image/png", QUAD_MODEL: "model/obj"}
_SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,80}$")


def write_atomically(target: Path, data: bytes) -> Path:
    """Write through a temporary file and a rename: a reader (or a crash) never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def job_dir(self, job_id: str) -> Path:
        if not _SAFE_ID.match(job_id):
            raise ValueError(f"not a job id: {job_id!r}")
        return self.root / job_id

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
