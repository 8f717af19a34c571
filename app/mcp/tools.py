"""What an agent sees when it lists the tools: each tool's purpose, its input schema (the HTTP body's fields, from
the same pydantic models the routes validate with) and, for the paid ones, the price per tier and network (in the
description, and as data in the tool's `_meta["forge402/prices"]`)."""

from __future__ import annotations

from typing import Any

from mcp import types
from pydantic import BaseModel

from app.config import format_usdc
from app.paid import offers as names
from app.paid.lane import PaidLane
from app.schemas import ForgeToolArguments, NoArguments, RetopoToolArguments, StatusToolArguments, UploadRequest
from app.services.caller import Caller
from app.services.container import Services

PRICES_META_KEY = "forge402/prices"
HOW_TO_PAY = (
    "Paid per call with x402 (USDC): called without payment it answers with the payment requirements; an x402 MCP "
    "client pays and calls again with the payment in _meta['x402/payment']. The same payment sent again is the same "
    "job."
)
ANSWERS_JOB = "Answers the job (poll it with forge_status) or, with wait: true, the finished model (GLB link and "
ANSWERS_JOB += "the resource forge://jobs/<job_id>/model.glb), with progress notifications meanwhile."


def _schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema()


def _tool(
    name: str, title: str, description: str, model: type[BaseModel], *, read_only: bool = False,
    meta: dict[str, Any] | None = None,
) -> types.Tool:  # fmt: skip
    annotations = types.ToolAnnotations(
        title=title, readOnlyHint=read_only, destructiveHint=False, idempotentHint=read_only, openWorldHint=False
    )
    return types.Tool(
        name=name, title=title, description=description, inputSchema=_schema(model), annotations=annotations,
        _meta=meta,
    )  # fmt: skip


def _prices(svc: Services) -> tuple[str, dict[str, Any], str, dict[str, Any]]:
    """(text, data) of the generation prices per tier and network, then the same for retopology."""
    assert svc.gateway is not None
    lane = PaidLane(svc, Caller(""), mcp=True)
    per_tier = svc.gateway.price_list(lane.offers())
    networks = next(iter(per_tier.values()))["networks"]
    on = " or ".join(f"{n['network_v1']} ({n['network']})" for n in networks)
    caip2 = [n["network"] for n in networks]
    text = " · ".join(f"{tier} ${format_usdc(p['price_usdc_atomics'])}" for tier, p in per_tier.items())
    by_tier = {tier: {"price_usdc_atomics": p["price_usdc_atomics"], "networks": caip2} for tier, p in per_tier.items()}
    retopo = lane.retopo_offer().price_atomics
    return (
        f"{text} USDC, on {on}",
        {"by_tier": by_tier},
        f"${format_usdc(retopo)} USDC, on {on}",
        {"price_usdc_atomics": retopo, "networks": caip2},
    )


def build_tools(svc: Services) -> list[types.Tool]:
    """Every tool this server offers; the paid ones only when its paid lane is configured."""
    tools: list[types.Tool] = []
    if svc.gateway is not None:
        generate_text, generate_data, retopo_text, retopo_data = _prices(svc)
        tools.append(_tool(
            names.GENERATE_TOOL, "Generate a 3D model (paid)",
            f"Generate a 3D model (GLB) from a text prompt or 1–4 photos of one object. Price per tier: "
            f"{generate_text}. {HOW_TO_PAY} {ANSWERS_JOB}",
            ForgeToolArguments, meta={PRICES_META_KEY: generate_data},
        ))  # fmt: skip
    tools.append(_tool(
        names.GENERATE_FREE_TOOL, "Generate a 3D model (free, rate limited)",
        "The free twin of forge_generate: the same arguments and answers, rate limited per client address. "
        + ANSWERS_JOB,
        ForgeToolArguments,
    ))  # fmt: skip
    tools.append(_tool(
        names.STATUS_TOOL, "Job status",
        "A job's status, step (image → mesh → finish) and progress; once done, freshly signed links to the GLB and "
        "its thumbnail and the model as the resource forge://jobs/<job_id>/model.glb; if it failed, why.",
        StatusToolArguments, read_only=True,
    ))  # fmt: skip
    tools.append(_tool(
        names.CATALOG_TOOL, "Catalog: tiers, prices, engines",
        "The quality tiers (face budget, PBR, texture size, price in USDC), the engines (backends) and retopology.",
        NoArguments, read_only=True,
    ))  # fmt: skip
    tools.append(_tool(
        names.UPLOAD_TOOL, "Upload slot for a photo",
        "A single-use, expiring slot for one photo (image/png, image/jpeg, image/webp, ≤ 8 MiB): PUT the bytes to "
        "upload_url with the given headers, then pass public_url in image_urls of forge_generate.",
        UploadRequest,
    ))  # fmt: skip
    if svc.gateway is not None:
        tools.append(_tool(
            names.RETOPO_TOOL, "Retopologize a model (paid)",
            f"Reduce a model (a GLB/OBJ URL, or one of your finished jobs) to face_limit faces, optionally as quads "
            f"and with its colours baked. Price: {retopo_text}. {HOW_TO_PAY} {ANSWERS_JOB}",
            RetopoToolArguments, meta={PRICES_META_KEY: retopo_data},
        ))  # fmt: skip
    tools.append(_tool(
        names.RETOPO_FREE_TOOL, "Retopologize a model (free, rate limited)",
        "The free twin of forge_retopo: the same arguments and answers, rate limited per client address. "
        + ANSWERS_JOB,
        RetopoToolArguments,
    ))  # fmt: skip
    return tools
