"""Every tool result forge402 writes over MCP. A refusal is a tool result with `isError: true` whose JSON is the
HTTP lane's error body (`{"error": code, "message": ..., ...fields}`); a payment request is x402's MCP form (the
`PaymentRequired` as `structuredContent`, and in `content[0].text` inside an `x402/error` wrapper); nothing becomes
a protocol error."""

from __future__ import annotations

import json
from typing import Any

from mcp import types

from app.engines.base import ProviderError
from app.engines.providers.errors import job_error_code
from app.errors import ForgeError

PAYMENT_META_KEY = "x402/payment"
PAYMENT_RESPONSE_META_KEY = "x402/payment-response"
X402_ERROR = "x402/error"


def _text(data: Any) -> types.TextContent:
    return types.TextContent(type="text", text=json.dumps(data, separators=(",", ":"), ensure_ascii=False))


def answer(
    data: dict[str, Any], *, meta: dict[str, Any] | None = None, links: list[types.ResourceLink] | None = None
) -> types.CallToolResult:
    """A tool's answer: the JSON object as `structuredContent` and as text (for hosts that read only text), and a
    link to each resource it names (the model)."""
    content: list[types.ContentBlock] = [_text(data), *(links or [])]
    return types.CallToolResult(content=content, structuredContent=data, isError=False, _meta=meta)


def refusal(code: str, message: str, **fields: Any) -> types.CallToolResult:
    """A tool error with the HTTP lane's error body."""
    body = {"error": code, "message": message, **fields}
    return types.CallToolResult(content=[_text(body)], structuredContent=body, isError=True)


def from_error(exc: ForgeError | ProviderError) -> types.CallToolResult:
    """A domain error or a provider's refusal at submit time, as the HTTP edge words it."""
    if isinstance(exc, ProviderError):
        fields: dict[str, Any] = {"provider": exc.provider}
        if exc.retry_after:
            fields["retry_after"] = exc.retry_after
        return refusal(job_error_code(exc), exc.message, **fields)
    fields = dict(exc.fields)
    if exc.retry_after is not None:
        fields["retry_after"] = exc.retry_after
    return refusal(exc.code, exc.message, **fields)


def payment_required(
    required: dict[str, Any], message: str, settlement: dict[str, Any] | None = None
) -> types.CallToolResult:
    """x402's MCP payment request: `structuredContent` is the v2 PaymentRequired (its `error` the reason code), with
    `x402/payment-response` beside it when a settlement failed; `content[0].text` wraps it in `x402/error`."""
    structured = dict(required)
    if settlement is not None:
        structured[PAYMENT_RESPONSE_META_KEY] = settlement
    wrapped = {X402_ERROR: {"code": 402, "message": message, "data": structured}}
    return types.CallToolResult(content=[_text(wrapped)], structuredContent=structured, isError=True)
