"""Generated files behind signed, expiring links: which file a link grants, if it does."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.errors import Forbidden, NotFound
from app.services.container import Services
from app.store.files import SERVABLE


@dataclass(frozen=True, slots=True)
class JobFile:
    path: Path
    media_type: str
    filename: str  # what a download saves it as: <job_id>.<ext>


def open_job_file(
    svc: Services, link_path: str, job_id: str, name: str, expires: str | None, sig: str | None
) -> JobFile:
    """The file `/files/<job_id>/<name>` names, when `expires` and `sig` sign `link_path` and are still valid."""
    if name not in SERVABLE:
        raise NotFound("file_not_found", "There is no such file.")
    problem = svc.signer.check(link_path, expires, sig)
    if problem is not None:
        kind = NotFound if "expired" in problem else Forbidden
        raise kind("link_invalid", f"This file link is not valid: {problem}.")
    try:
        path = svc.files.path(job_id, name)
    except ValueError:
        raise NotFound("file_not_found", "There is no such file.") from None
    if not path.is_file():
        raise NotFound("file_not_found", "The file is gone; generate the model again.")
    return JobFile(path, SERVABLE[name], f"{job_id}.{name.rsplit('.', 1)[-1]}")
