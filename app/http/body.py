"""Reading a JSON request body into a pydantic model: size-capped (TooLarge), refusals a person can act on."""

from __future__ import annotations

import json
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from starlette.requests import Request

from app.digits import ascii_int
from app.errors import Invalid, TooLarge

M = TypeVar("M", bound=BaseModel)
MAX_LENGTH_DIGITS = 18  # a Content-Length longer than this is not one (and the body's own size is checked anyway)
# strict models refuse a JSON value of the wrong type (no "5" for 5, no true for 1): say which type was wanted
JSON_TYPES = {
    "int_type": "an integer",
    "bool_type": "true or false",
    "string_type": "a string",
    "float_type": "a number",
    "list_type": "a list",
    "dict_type": "an object",
}


async def read_bytes(request: Request, max_bytes: int) -> bytes:
    declared = ascii_int(request.headers.get("content-length"), MAX_LENGTH_DIGITS)
    if declared is not None and declared > max_bytes:
        raise too_large(max_bytes)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise too_large(max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def too_large(max_bytes: int) -> TooLarge:
    return TooLarge("body_too_large", f"The request body is larger than {max_bytes // 1024} KiB.")


def parse_model(raw: bytes, model: type[M]) -> M:
    if not raw.strip():
        raise Invalid("invalid_body", 'The request needs a JSON object body, e.g. {"prompt": "a teapot"}.')
    return model_from(load_json(raw), model)


def model_from(data: object, model: type[M]) -> M:
    """A decoded JSON value as `model` (the HTTP body, or an MCP tool's arguments), refused as a body would be."""
    if not isinstance(data, dict):
        raise Invalid("invalid_body", "The body must be a JSON object.")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise Invalid("invalid_field", describe(exc), fields=_fields(exc)) from None


def load_json(raw: bytes) -> object:
    """`json.loads`, refusing what it cannot read as Invalid: bad JSON or encoding, and also a number past Python's
    4,300-digit limit (a plain ValueError) and nesting past the parser's depth (RecursionError)."""
    try:
        return json.loads(raw)
    except RecursionError:
        raise Invalid("invalid_json", "The body is not valid JSON (nested too deeply).") from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, the int digit limit
        raise Invalid("invalid_json", f"The body is not valid JSON ({str(exc)[:120]}).") from None


async def read_model(request: Request, model: type[M], max_bytes: int) -> M:
    return parse_model(await read_bytes(request, max_bytes), model)


def _where(error: dict) -> str:
    return ".".join(str(part) for part in error["loc"]) or "body"


def _fields(exc: ValidationError) -> list[str]:
    return sorted({_where(e) for e in exc.errors()})


def describe(exc: ValidationError) -> str:
    """One sentence per problem, naming the field: 'tier must be one of: draft, standard, high.'"""
    sentences = []
    for error in exc.errors():
        where, kind, ctx = _where(error), error["type"], error.get("ctx") or {}
        if kind == "extra_forbidden":
            sentences.append(f"Unknown field '{where}'.")
        elif kind == "literal_error":
            sentences.append(f"{where} must be one of: {ctx.get('expected', '').replace(' or ', ', ')}.")
        elif kind == "string_too_short":
            sentences.append(f"{where} must be at least {ctx.get('min_length')} characters.")
        elif kind == "string_too_long":
            sentences.append(f"{where} must be at most {ctx.get('max_length')} characters.")
        elif kind == "string_pattern_mismatch":
            sentences.append(f"{where} contains characters it may not (control characters).")
        elif kind in JSON_TYPES:
            sentences.append(f"{where} must be {JSON_TYPES[kind]}.")
        else:
            sentences.append(f"{where}: {error['msg']}.")
    return " ".join(sentences)
