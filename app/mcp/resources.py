"""A finished job's files as MCP resources: `forge://jobs/<job_id>/model.glb` (and `thumbnail.png`), read by the
holder of the job id as its signed links are (with `FORGE402_PAID_VIEWS=payer`, a paid job's by nobody here: MCP
carries no wallet). Listed as a template: jobs are not enumerable."""

from __future__ import annotations

import re

from mcp import types
from mcp.server.lowlevel.helper_types import ReadResourceContents
from mcp.shared.exceptions import McpError

from app.errors import NotFound, SignInRequired
from app.services import generation, me
from app.services.container import Services
from app.store.blobs import BlobNotFound, BlobStoreUnavailable
from app.store.files import MODEL, SERVABLE, THUMBNAIL

RESOURCE_NOT_FOUND = -32002  # MCP's code for a resource that does not exist
URI = re.compile(r"^forge://jobs/(?P<job_id>[A-Za-z0-9_-]{4,80})/(?P<name>[a-z_]+\.[a-z]+)$")


def model_uri(job_id: str) -> str:
    return f"forge://jobs/{job_id}/{MODEL}"


def model_link(job_id: str) -> types.ResourceLink:
    return types.ResourceLink(
        type="resource_link", uri=model_uri(job_id), name=f"{job_id}.glb", mimeType=SERVABLE[MODEL],
        description="The generated 3D model (GLB); read it as a resource, or download glb_url.",
    )  # fmt: skip


def _template(name: str, what: str) -> types.ResourceTemplate:
    return types.ResourceTemplate(
        uriTemplate="forge://jobs/{job_id}/" + name, name=name, mimeType=SERVABLE[name], description=what
    )


TEMPLATES = [
    _template(MODEL, "A finished job's 3D model (GLB, binary glTF)."),
    _template(THUMBNAIL, "A finished job's thumbnail (PNG)."),
]


def _not_found(message: str) -> McpError:
    return McpError(types.ErrorData(code=RESOURCE_NOT_FOUND, message=message))


async def read(svc: Services, uri: str) -> list[ReadResourceContents]:
    """The bytes of the file `uri` names; McpError (resource not found, with the HTTP lane's wording) otherwise."""
    found = URI.match(uri)
    if found is None or found["name"] not in (MODEL, THUMBNAIL):
        raise _not_found(f"No resource {uri[:200]!r}: forge402 serves forge://jobs/<job_id>/{MODEL} and {THUMBNAIL}.")
    try:
        record = await generation.poll(svc, found["job_id"])
        me.check_view(svc, None, record)
    except (NotFound, SignInRequired) as exc:
        raise _not_found(exc.message) from None
    if record.row["status"] != "done":
        raise _not_found(f"Job {found['job_id']} is {record.row['status']}; its files exist once it is done.")
    try:
        data = await svc.files.read(found["job_id"], found["name"])
    except BlobNotFound:
        raise _not_found("The file is gone; generate the model again.") from None
    except BlobStoreUnavailable as exc:
        raise McpError(types.ErrorData(code=types.INTERNAL_ERROR, message=exc.message)) from None
    return [ReadResourceContents(content=data, mime_type=SERVABLE[found["name"]])]
