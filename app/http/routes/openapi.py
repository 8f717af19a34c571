"""`GET /openapi.json`: the service's OpenAPI 3.1 contract, generated from the operations the routes declare."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from app.http.contract import Answer, Operation, documented
from app.http.openapi import document


@documented(
    Operation(
        "This API's OpenAPI 3.1 contract",
        "service",
        answers={200: Answer("The OpenAPI document.", {"type": "object", "required": ["openapi", "paths"]})},
    )
)
async def openapi(request: Request) -> JSONResponse:
    return JSONResponse(document(request.app.routes), headers={"Cache-Control": "public, max-age=300"})
