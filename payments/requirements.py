"""Payment requirements: from an `Offer` and the configured networks, the 402 challenge in every shape we serve.

v2 `PaymentRequired` (the PAYMENT-REQUIRED header, with the bazaar and payment-identifier extensions), the v1 body
(with `outputSchema`) and the `/.well-known/x402.json` manifest item. Built once per offer and cached, the v1 body
already encoded: the unpaid 402 path does no RPC, no I/O, and after the first call only a dict lookup.

Every 402 carries the offer's schemas twice (the bazaar extension in the header, `outputSchema` in the v1 body, once
per accepted network), so they go out lean (`lean_schema`): without the JSON Schema annotations that no client,
facilitator or indexer reads — pydantic's `title`s (each field's name again) and `default: null` (an absent field
is null already). In the v1 `bodyFields`, "X or null" is written as X: `required: false` says it may be left out,
and indexers read a field's `type` there (the official v1 discovery code and x402scan take the fields as given).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from payments.codec import encode_header
from payments.models import (
    PaymentRequired,
    PaymentRequiredV1,
    PaymentRequirements,
    PaymentRequirementsV1,
    ResourceInfo,
)
from payments.networks import Network

PAYMENT_IDENTIFIER = "payment-identifier"
BAZAAR = "bazaar"
PAYMENT_ID_MIN, PAYMENT_ID_MAX = 16, 128
_ERROR_CACHE_LIMIT = 64  # distinct `error` texts kept per offer (a fixed set of reasons in practice)


@dataclass(frozen=True)
class Offer:
    price_atomics: int
    resource_url: str
    description: str
    mime_type: str = "application/json"
    input_example: dict | None = None
    input_schema: dict | None = None
    output_example: dict | None = None
    output_schema: dict | None = None
    # set for a tool sold over MCP (x402's MCP transport): the tool's name; its discovery info says how to call it
    mcp_tool: str | None = None


@dataclass(frozen=True)
class Acceptance:
    """One way we take money: a network, its token, and where the money goes."""

    network: Network
    asset: str
    pay_to: str
    eip712_name: str | None = None  # EVM: the token's EIP-712 domain, which the payer signs with
    eip712_version: str | None = None
    scheme: str = "exact"
    fee_payer: str | None = None  # SVM: our key that co-signs the payer's transaction and pays its fee

    def extra(self) -> dict[str, Any]:
        """The requirement's `extra`: the EIP-712 domain (EVM) or the fee payer (SVM)."""
        if self.network.family == "svm":
            return {"feePayer": self.fee_payer}
        return {"name": self.eip712_name, "version": self.eip712_version}


@dataclass
class OfferTerms:
    """Everything derived from one offer; immutable after construction except the per-error caches."""

    offer: Offer
    accepts: list[PaymentRequirements]
    accepts_v1: list[PaymentRequirementsV1]
    required: PaymentRequired
    required_v1: PaymentRequiredV1
    _challenges: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    _encoded: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    _required: dict[str, dict[str, Any]] = field(default_factory=dict)

    def challenge(self, error: str) -> tuple[str, dict[str, Any]]:
        """(PAYMENT-REQUIRED header value, v1 body) for this error text; cached."""
        hit = self._challenges.get(error)
        if hit is None:
            header = encode_header(self.required.model_copy(update={"error": error}))
            body = self.required_v1.model_copy(update={"error": error}).wire()
            if len(self._challenges) >= _ERROR_CACHE_LIMIT:
                self._challenges.clear()
            hit = self._challenges[error] = (header, body)
        return hit

    def encoded_challenge(self, error: str) -> tuple[str, bytes]:
        """(PAYMENT-REQUIRED header value, v1 body as compact JSON bytes) for this error text; cached, so a 402
        costs no JSON encoding."""
        hit = self._encoded.get(error)
        if hit is None:
            header, body = self.challenge(error)
            if len(self._encoded) >= _ERROR_CACHE_LIMIT:
                self._encoded.clear()
            encoded = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
            hit = self._encoded[error] = (header, encoded)
        return hit

    def payment_required(self, error: str) -> dict[str, Any]:
        """The v2 `PaymentRequired` for this error text as a JSON object (what the MCP transport carries, where
        HTTP carries it base64-encoded in PAYMENT-REQUIRED); cached. Callers get their own copy."""
        hit = self._required.get(error)
        if hit is None:
            if len(self._required) >= _ERROR_CACHE_LIMIT:
                self._required.clear()
            hit = self._required[error] = self.required.model_copy(update={"error": error}).wire()
        return json.loads(json.dumps(hit))

    def find_v2(self, accepted: PaymentRequirements) -> PaymentRequirements | None:
        """Our requirement that `accepted` repeats field by field (addresses compared case-insensitively)."""
        for ours in self.accepts:
            if same_requirement(ours, accepted):
                return ours
        return None


def same_requirement(ours: PaymentRequirements, theirs: PaymentRequirements) -> bool:
    return not differing_fields(ours, theirs)


def differing_fields(ours: PaymentRequirements, theirs: PaymentRequirements) -> list[str]:
    """Names (wire names) of the fields where a client's `accepted` differs from our requirement."""
    diffs = []
    if ours.scheme != theirs.scheme:
        diffs.append("scheme")
    if ours.network != theirs.network:
        diffs.append("network")
    if ours.amount != theirs.amount:
        diffs.append("amount")
    if ours.asset.lower() != theirs.asset.lower():
        diffs.append("asset")
    if ours.pay_to.lower() != theirs.pay_to.lower():
        diffs.append("payTo")
    if ours.max_timeout_seconds != theirs.max_timeout_seconds:
        diffs.append("maxTimeoutSeconds")
    if (ours.extra or {}) != (theirs.extra or {}):
        diffs.append("extra")
    return diffs


class RequirementsBook:
    """Builds and caches the terms of every offer for the configured acceptances."""

    def __init__(self, acceptances: list[Acceptance], max_timeout_seconds: int) -> None:
        self.acceptances = acceptances
        self.max_timeout_seconds = max_timeout_seconds
        self._by_id: dict[int, OfferTerms] = {}
        self._by_content: dict[str, OfferTerms] = {}

    def terms(self, offer: Offer) -> OfferTerms:
        """The cached terms of `offer`: by identity first (offers are usually module constants), then by content."""
        hit = self._by_id.get(id(offer))
        if hit is not None and hit.offer is offer:
            return hit
        key = content_key(offer)
        hit = self._by_content.get(key)
        if hit is None:
            if len(self._by_content) > 1024:  # offers built per request: stay bounded
                self._by_content.clear()
                self._by_id.clear()
            hit = self._by_content[key] = self._build(offer)
        if len(self._by_id) <= 1024:
            self._by_id[id(offer)] = hit  # `hit.offer` may be an equal twin; the identity check above guards ids
        return hit

    def _build(self, offer: Offer) -> OfferTerms:
        accepts = [self._requirement(offer, a) for a in self.acceptances]
        accepts_v1 = [self._requirement_v1(offer, a) for a in self.acceptances]
        required = PaymentRequired(
            resource=ResourceInfo(url=offer.resource_url, description=offer.description, mime_type=offer.mime_type),
            accepts=accepts,
            extensions={BAZAAR: bazaar_extension(offer), PAYMENT_IDENTIFIER: payment_identifier_extension()},
        )
        return OfferTerms(offer, accepts, accepts_v1, required, PaymentRequiredV1(accepts=accepts_v1))

    def _requirement(self, offer: Offer, a: Acceptance) -> PaymentRequirements:
        return PaymentRequirements(
            scheme=a.scheme,
            network=a.network.caip2,
            amount=str(offer.price_atomics),
            asset=a.asset,
            pay_to=a.pay_to,
            max_timeout_seconds=self.max_timeout_seconds,
            extra=a.extra(),
        )

    def _requirement_v1(self, offer: Offer, a: Acceptance) -> PaymentRequirementsV1:
        return PaymentRequirementsV1(
            scheme=a.scheme,
            network=a.network.v1_name,
            max_amount_required=str(offer.price_atomics),
            resource=offer.resource_url,
            description=offer.description,
            mime_type=offer.mime_type,
            output_schema=v1_output_schema(offer),
            pay_to=a.pay_to,
            max_timeout_seconds=self.max_timeout_seconds,
            asset=a.asset,
            extra=a.extra(),
        )

    def manifest_item(self, offer: Offer) -> dict[str, Any]:
        """One `items[]` entry of /.well-known/x402.json, from the same terms as the live 402."""
        terms = self.terms(offer)
        item: dict[str, Any] = {
            "resource": terms.required.resource.wire(),
            "type": "http",
            "accepts": [r.wire() for r in terms.accepts],
            "input": {
                "method": "POST",
                "routeTemplate": urlsplit(offer.resource_url).path or "/",
                "bodyType": "json",
                "body": lean_schema(offer.input_schema or {"type": "object"}),
            },
        }
        if offer.mcp_tool is not None:
            item["type"] = "mcp"
            item["input"] = mcp_input(offer)
        if offer.output_schema or offer.output_example is not None:
            item["output"] = {
                "type": "json",
                "schema": lean_schema(offer.output_schema),
                "example": offer.output_example,
            }
        return item


def content_key(offer: Offer) -> str:
    return json.dumps(
        [offer.price_atomics, offer.resource_url, offer.description, offer.mime_type, offer.input_example,
         offer.input_schema, offer.output_example, offer.output_schema, offer.mcp_tool],
        sort_keys=True,
        default=str,
    )  # fmt: skip


def mcp_input(offer: Offer) -> dict[str, Any]:
    """How to call an MCP tool, as the bazaar extension describes it (`input.type` "mcp"). The spec names the tool
    `tool`; the official Python SDK (2.25) reads `toolName`: both are given."""
    found: dict[str, Any] = {
        "type": "mcp",
        "tool": offer.mcp_tool,
        "toolName": offer.mcp_tool,
        "description": offer.description,
        "transport": "streamable-http",
        "inputSchema": offer.input_schema or {"type": "object"},
    }
    if offer.input_example is not None:
        found["example"] = offer.input_example
    return found


def bazaar_extension(offer: Offer) -> dict[str, Any]:
    """`extensions.bazaar`: an example call and its answer (`info`) plus a JSON Schema that validates `info`."""
    info: dict[str, Any] = {
        "input": {"type": "http", "method": "POST", "bodyType": "json", "body": offer.input_example or {}}
    }
    input_schema: dict[str, Any] = {
        "type": "object",
        "properties": {
            "type": {"type": "string", "const": "http"},
            "method": {"type": "string", "enum": ["POST"]},
            "bodyType": {"type": "string", "enum": ["json"]},
            "body": lean_schema(offer.input_schema or {"type": "object"}),
        },
        "required": ["type", "method", "bodyType", "body"],
    }
    if offer.mcp_tool is not None:
        info["input"] = mcp_input(offer)
        input_schema = {
            "type": "object",
            "properties": {
                "type": {"type": "string", "const": "mcp"},
                "tool": {"type": "string"},
                "toolName": {"type": "string"},
                "description": {"type": "string"},
                "transport": {"type": "string", "enum": ["streamable-http", "sse"]},
                "inputSchema": {"type": "object"},
                "example": {"type": "object"},
            },
            "required": ["type", "tool", "inputSchema"],
        }
    properties: dict[str, Any] = {"input": input_schema}
    if offer.output_example is not None or offer.output_schema:
        info["output"] = {"type": "json", "example": offer.output_example}
        properties["output"] = {
            "type": "object",
            "properties": {
                "type": {"type": "string"},
                "example": lean_schema(offer.output_schema or {"type": "object"}),
            },
            "required": ["type"],
        }
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": properties,
        "required": ["input"],
    }
    return {"info": info, "schema": schema}


def payment_identifier_extension() -> dict[str, Any]:
    """`extensions.payment-identifier`: we honour a client idempotency id (16–128 of [A-Za-z0-9_-]) if sent; it is
    never required."""
    return {
        "info": {"required": False},
        "schema": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "properties": {
                "required": {"type": "boolean"},
                "id": {
                    "type": "string",
                    "minLength": PAYMENT_ID_MIN,
                    "maxLength": PAYMENT_ID_MAX,
                    "pattern": "^[a-zA-Z0-9_-]+$",
                },
            },
            "required": ["required"],
        },
    }


def v1_output_schema(offer: Offer) -> dict[str, Any]:
    """v1's discovery hint: how to call the resource (`input`) and what comes back (`output`)."""
    schema = lean_schema(offer.input_schema or {})
    fields = schema.get("properties", {})
    required = set(schema.get("required", []))
    body_fields = {name: {**without_null(spec), "required": name in required} for name, spec in fields.items()}
    return {
        "input": {
            "type": "http",
            "method": "POST",
            "bodyType": "json",
            "bodyFields": body_fields,
            "discoverable": True,
        },
        "output": lean_schema(offer.output_schema) or offer.output_example,
    }


# keys whose value maps names to schemas (a property may be called "title"), and keys whose value is data
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})
_DATA = frozenset({"default", "const", "enum", "examples", "example"})


def lean_schema(schema: Any) -> Any:
    """`schema` (a JSON Schema, or part of one) without `title` and `default: null` annotations."""
    if isinstance(schema, list):
        return [lean_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if (key == "title" and isinstance(value, str)) or (key == "default" and value is None):
            continue
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: lean_schema(sub) for name, sub in value.items()}
        elif key in _DATA:
            out[key] = value
        else:
            out[key] = lean_schema(value)
    return out


def without_null(spec: dict[str, Any]) -> dict[str, Any]:
    """A field's schema with "X or null" (pydantic's optional field) written as X, for v1's `bodyFields`."""
    options = spec.get("anyOf")
    if not isinstance(options, list) or len(options) != 2 or {"type": "null"} not in options:
        return spec
    (kept,) = [option for option in options if option != {"type": "null"}]
    return {**{k: v for k, v in spec.items() if k != "anyOf"}, **kept}
