"""The OpenAPI 3.1 document of the service, generated from the operations the routes declare (`app.http.contract`)
and the pydantic wire models (JSON Schema 2020-12, as OpenAPI 3.1 takes it). Built once per route table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from starlette.routing import BaseRoute, Route

from app import __version__
from app.http.contract import SECURITY_SCHEMES, Answer, Operation, Param, elsewhere, operation_of

REF = "#/components/schemas/{model}"
DESCRIPTION = (
    "Pay-per-call 3D generation: a prompt or 1-4 photos in, a GLB model out, as an async job. A free lane "
    "(`POST /api/forge`, rate-limited per address) and its paid twin (`POST /api/x402/forge`, x402: USDC on Base or "
    "Solana). Every error is `{\"error\": code, \"message\": ...}`."
)


def documented_methods(route: Route, op: Operation | None = None) -> list[str]:
    """The methods of a route the contract describes: Starlette serves HEAD beside every GET, the contract names it
    where the operation says so (downloads)."""
    methods = set(route.methods or ())
    if "GET" in methods and not (op is not None and op.head):
        methods.discard("HEAD")
    return sorted(methods)


def undocumented(routes: Iterable[BaseRoute]) -> list[str]:
    """`METHOD path` of every registered route without a declared operation (or anything that is not a Route), but
    those `described_elsewhere` (another protocol's endpoint)."""
    missing = []
    for route in routes:
        if not isinstance(route, Route):
            missing.append(f"{type(route).__name__} {getattr(route, 'path', route)!r}")
        elif operation_of(route.endpoint) is None and elsewhere(route.endpoint) is None:
            missing.extend(f"{method} {route.path}" for method in documented_methods(route))
    return missing


def _models(value: Any) -> list[type[BaseModel]]:
    if isinstance(value, type) and issubclass(value, BaseModel):
        return [value]
    if isinstance(value, tuple):
        return [m for item in value for m in _models(item)]
    return []


class _Schemas:
    """Every model's JSON Schema under components, requests as validated and answers as serialized."""

    def __init__(self, operations: Sequence[Operation]) -> None:
        inputs = {m for op in operations for m in _models(op.body)}
        outputs = {m for op in operations for answer in op.answers.values() for m in _models(answer.model)}
        keys = [(m, "validation") for m in sorted(inputs, key=_name)]
        keys += [(m, "serialization") for m in sorted(outputs, key=_name)]
        self.refs, top = models_json_schema(keys, ref_template=REF)  # type: ignore[arg-type]
        self.components: dict[str, Any] = top.get("$defs", {})

    def of(self, value: Any, mode: str) -> dict[str, Any]:
        if isinstance(value, dict):
            return value
        if isinstance(value, tuple):
            return {"anyOf": [self.of(item, mode) for item in value]}
        return self.refs[(value, mode)]  # type: ignore[index]


def _name(model: type[BaseModel]) -> str:
    return f"{model.__module__}.{model.__qualname__}"


def _parameter(param: Param) -> dict[str, Any]:
    out: dict[str, Any] = {"name": param.name, "in": param.location, "description": param.description}
    out["required"] = param.required or param.location == "path"
    out["schema"] = dict(param.schema)
    return out


def _answer(answer: Answer, schemas: _Schemas, head: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"description": answer.description}
    if answer.headers:
        out["headers"] = {
            h.name: {"description": h.description, "required": h.required, "schema": {"type": "string"}}
            for h in answer.headers
        }
    if head:  # a HEAD answer has the GET's headers, no body
        return out
    if answer.model is not None:
        out["content"] = {media: {"schema": schemas.of(answer.model, "serialization")} for media in answer.media}
    elif answer.media != ("application/json",):
        out["content"] = {media: {"schema": {"type": "string", "format": "binary"}} for media in answer.media}
    for media in answer.text_media:
        out.setdefault("content", {})[media] = {"schema": {"type": "string"}}
    return out


def _operation(op: Operation, method: str, path: str, schemas: _Schemas) -> dict[str, Any]:
    out: dict[str, Any] = {
        "summary": op.summary,
        "operationId": f"{method.lower()}{path.replace('/', '_').replace('{', '').replace('}', '').replace('.', '_')}",
        "tags": [op.tag],
    }
    if op.description:
        out["description"] = op.description
    if op.security:
        out["security"] = [{scheme: []} for scheme in op.security] + ([{}] if op.security_optional else [])
    params = [p for p in op.params if p.location != "path"]
    params += [Param(name, "path", f"The {name.replace('_', ' ')}.") for name in _path_names(path)]
    if params:
        out["parameters"] = [_parameter(p) for p in params]
    if op.body is not None:
        mode = "validation"
        schema = schemas.of(op.body, mode)
        media = op.body_media
        if media != ("application/json",) and isinstance(op.body, dict):
            content = {m: {"schema": op.body} for m in media}
        else:
            content = {m: {"schema": schema} for m in media}
        out["requestBody"] = {"required": op.body_required, "content": content}
    out["responses"] = {
        str(status): _answer(answer, schemas, method == "HEAD") for status, answer in sorted(op.answers.items())
    }
    return out


def _path_names(path: str) -> list[str]:
    return [part[1:-1].split(":")[0] for part in path.split("/") if part.startswith("{") and part.endswith("}")]


def build_document(routes: Sequence[BaseRoute]) -> dict[str, Any]:
    """The OpenAPI 3.1 document for `routes` (each Route with its declared operation)."""
    documented = [(r, operation_of(r.endpoint)) for r in routes if isinstance(r, Route) and operation_of(r.endpoint)]
    schemas = _Schemas([op for _, op in documented if op is not None])
    paths: dict[str, dict[str, Any]] = {}
    for route, op in documented:
        assert op is not None
        for method in documented_methods(route, op):
            paths.setdefault(route.path, {})[method.lower()] = _operation(op, method, route.path, schemas)
    return {
        "openapi": "3.1.0",
        "info": {"title": "forge402", "version": __version__, "description": DESCRIPTION},
        "paths": paths,
        "components": {"schemas": schemas.components, "securitySchemes": SECURITY_SCHEMES},
    }


_built: dict[tuple[int, ...], dict[str, Any]] = {}


def document(routes: Sequence[BaseRoute]) -> dict[str, Any]:
    """The document for a route table, built on first use (routes are not hashable: keyed by identity)."""
    key = tuple(id(route) for route in routes)
    found = _built.get(key)
    if found is None:
        found = _built[key] = build_document(routes)
    return found
