"""How routes answer with a view: JSON of a pydantic model, and the free lane's submit answer."""

from __future__ import annotations

from pydantic import BaseModel
from starlette.responses import JSONResponse

from app.http.links import Links
from app.http.views import job_view, submit_view
from app.services.launch import Launched


def json_answer(model: BaseModel, status: int = 200) -> JSONResponse:
    return JSONResponse(model.model_dump(mode="json"), status_code=status)


def launched_answer(links: Links, launched: Launched) -> JSONResponse:
    """200 with the links when the job is done in time, 202 while it runs, or its view (saying why) when it failed
    at once."""
    if launched.failed is not None:
        return json_answer(job_view(links, launched.failed))
    answer = submit_view(links, launched.row)
    return json_answer(answer, 200 if answer.status == "done" else 202)
