"""What the paid lane sells: one x402 offer per tier and one for retopology, priced from configuration, described
for agents and indexers."""

from __future__ import annotations

from functools import cache

from app.config import Settings, format_usdc
from app.schemas import ForgeRequest, ForgeToolArguments, PaidSubmitResponse, RetopoRequest, RetopoToolArguments
from app.tiers import TIERS
from payments.gateway import Offer

PAID_PATH = "/api/x402/forge"
PAID_RETOPO_PATH = "/api/x402/forge/retopo"
MCP_PATH = "/mcp"  # the MCP endpoint (streamable HTTP); its paid tools are sold below like the paid routes
GENERATE_TOOL = "forge_generate"
RETOPO_TOOL = "forge_retopo"
GENERATE_FREE_TOOL = "forge_generate_free"
RETOPO_FREE_TOOL = "forge_retopo_free"
STATUS_TOOL = "forge_status"
CATALOG_TOOL = "forge_catalog"
UPLOAD_TOOL = "forge_upload_slot"
MCP_ORIGIN = "mcp://tool"  # x402's MCP transport names a tool's resource mcp://tool/<name>

INPUT_EXAMPLE = {"prompt": "a low-poly treasure chest, iron-banded wood", "tier": "draft"}
OUTPUT_EXAMPLE = {
    "job_id": "job_4f1c0d7e9b2a4c55a1e0f3b6d8c2a9e1",
    "poll_url": "https://forge.example/api/forge?job=job_4f1c0d7e9b2a4c55a1e0f3b6d8c2a9e1",
    "status": "queued",
    "tier": "draft",
    "eta_seconds": 1,
}
RETOPO_INPUT_EXAMPLE = {"model_url": "https://example.com/statue.glb", "face_limit": 5000, "quad": False, "bake": True}


@cache
def _input_schema() -> dict:
    schema = ForgeRequest.model_json_schema()
    schema["required"] = ["prompt"]
    return schema


@cache
def _output_schema() -> dict:
    return PaidSubmitResponse.model_json_schema()


def _generation(tier_id: str, price: int) -> str:
    """What one generation at a tier is, for a description."""
    tier = TIERS[tier_id]
    return (
        f"forge402: one 3D model (GLB) from a text prompt, {tier.label} tier "
        f"(≤ {tier.face_budget:,} faces{', PBR' if tier.pbr else ''}), ${format_usdc(price)} USDC."
    )


def build_offers(settings: Settings, base_url: str) -> dict[str, Offer]:
    """tier id → Offer; `base_url` is the public origin (configured, or taken from the request)."""
    resource = base_url.rstrip("/") + PAID_PATH
    offers = {}
    for tier in TIERS.values():
        price = settings.price_atomics(tier.id)
        offers[tier.id] = Offer(
            price_atomics=price,
            resource_url=resource,
            description=_generation(tier.id, price) + " Answers a job id; poll it for the GLB link.",
            mime_type="application/json",
            input_example={**INPUT_EXAMPLE, "tier": tier.id},
            input_schema=_input_schema(),
            output_example={**OUTPUT_EXAMPLE, "tier": tier.id, "eta_seconds": tier.eta_seconds},
            output_schema=_output_schema(),
        )
    return offers


def build_mcp_offers(settings: Settings) -> dict[str, Offer]:
    """tier id → the Offer of the MCP tool `forge_generate` at that tier: the same price (so the same payment
    requirements) as the HTTP route, sold as a tool (`mcp://tool/forge_generate`, bazaar input type "mcp")."""
    offers = {}
    for tier in TIERS.values():
        price = settings.price_atomics(tier.id)
        offers[tier.id] = Offer(
            price_atomics=price,
            resource_url=f"{MCP_ORIGIN}/{GENERATE_TOOL}",
            description=_generation(tier.id, price) + " Answers the job; with wait: true, the finished model.",
            mime_type="application/json",
            input_example={**INPUT_EXAMPLE, "tier": tier.id},
            input_schema=_tool_schema(ForgeToolArguments),
            output_example={**OUTPUT_EXAMPLE, "tier": tier.id, "eta_seconds": tier.eta_seconds},
            output_schema=_output_schema(),
            mcp_tool=GENERATE_TOOL,
        )
    return offers


def build_mcp_retopo_offer(settings: Settings) -> Offer:
    """The MCP tool `forge_retopo`, at the price of its HTTP twin."""
    http = build_retopo_offer(settings, "")
    return Offer(
        price_atomics=http.price_atomics,
        resource_url=f"{MCP_ORIGIN}/{RETOPO_TOOL}",
        description=http.description.split(" Answers")[0] + " Answers the job; with wait: true, the finished model.",
        mime_type="application/json",
        input_example=RETOPO_INPUT_EXAMPLE,
        input_schema=_tool_schema(RetopoToolArguments),
        output_example=http.output_example,
        output_schema=http.output_schema,
        mcp_tool=RETOPO_TOOL,
    )


@cache
def _tool_schema(model: type) -> dict:
    return model.model_json_schema()


def build_retopo_offer(settings: Settings, base_url: str) -> Offer:
    """The one retopology offer; `base_url` is the public origin (configured, or taken from the request)."""
    price = settings.price_retopo
    return Offer(
        price_atomics=price,
        resource_url=base_url.rstrip("/") + PAID_RETOPO_PATH,
        description=(
            f"forge402: retopologize one 3D model (GLB/OBJ in; GLB, or OBJ with quads, out) to a face limit, "
            f"optionally baking its colours, ${format_usdc(price)} USDC. Answers a job id; poll it."
        ),
        mime_type="application/json",
        input_example=RETOPO_INPUT_EXAMPLE,
        input_schema=RetopoRequest.model_json_schema(),
        output_example={"job_id": "job_…", "poll_url": "…/api/forge?job=job_…", "status": "queued"},
        output_schema={"type": "object"},
    )
