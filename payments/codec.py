"""Header codec: x402 headers carry base64-encoded JSON; decoding refuses anything odd with a precise reason."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from payments.errors import MalformedPayment

MAX_HEADER_BYTES = 8 * 1024

M = TypeVar("M", bound=BaseModel)


def encode_header(value: BaseModel | dict[str, Any]) -> str:
    """base64(JSON) of a model (by its wire names) or of a plain dict; compact, ASCII-safe."""
    data = value.model_dump(by_alias=True, exclude_none=True, mode="json") if isinstance(value, BaseModel) else value
    return base64.b64encode(json.dumps(data, separators=(",", ":")).encode()).decode("ascii")


def decode_json(header: str) -> dict[str, Any]:
    """The JSON object inside a base64 header; raises MalformedPayment saying what is wrong."""
    if len(header) > MAX_HEADER_BYTES:
        raise MalformedPayment(f"payment header is {len(header)} bytes; the limit is {MAX_HEADER_BYTES}")
    text = header.strip()
    if not text:
        raise MalformedPayment("payment header is empty")
    # Some clients send base64url or drop the padding: accept both, nothing else.
    text = text.replace("-", "+").replace("_", "/")
    text += "=" * (-len(text) % 4)
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise MalformedPayment("payment header is not base64") from None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # bad JSON or UTF-8, a number past 4,300 digits, nesting past the depth
        raise MalformedPayment("payment header is base64 but not JSON") from None
    if not isinstance(data, dict):
        raise MalformedPayment("payment header JSON is not an object")
    return data


def parse_model(model: type[M], data: Any, what: str) -> M:
    """Validate `data` as `model`; the first problem becomes a MalformedPayment naming the field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise MalformedPayment(f"{what}: {describe(exc)}") from None


def describe(exc: ValidationError) -> str:
    """One line for a person: where the first problem is and what it is."""
    err = exc.errors(include_url=False)[0]
    where = ".".join(str(p) for p in err["loc"]) or "(root)"
    return f"{where}: {err['msg']}" + (f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else "")
