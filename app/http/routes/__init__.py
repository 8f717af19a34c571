"""HTTP routes, one module per resource; each parses the request, calls one service, answers."""

from __future__ import annotations

from starlette.routing import Route

from app.http.routes import files, forge, health, metrics, paid, retopo, studio, uploads

ROUTES = [
    Route("/api/forge", forge.submit, methods=["POST"]),
    Route("/api/forge", forge.query, methods=["GET"]),
    Route("/files/{job_id}/{name}", files.download, methods=["GET", "HEAD"]),
    Route("/api/forge-upload", uploads.create_slot, methods=["POST"]),
    Route("/api/forge-upload/{upload_id}", uploads.receive, methods=["PUT"]),
    Route("/uploads/{name}", uploads.serve, methods=["GET", "HEAD"]),
    Route("/api/forge/retopo", retopo.submit, methods=["POST"]),
    Route("/api/x402/forge/retopo", paid.submit_retopo, methods=["POST"]),
    Route("/api/x402/forge", paid.submit, methods=["POST"]),
    Route("/api/x402/forge", paid.price_list, methods=["GET"]),
    Route("/.well-known/x402.json", paid.manifest, methods=["GET"]),
    Route("/.well-known/x402", paid.manifest, methods=["GET"]),
    Route("/healthz", health.healthz, methods=["GET"]),
    Route("/readyz", health.readyz, methods=["GET"]),
    Route("/metrics", metrics.metrics, methods=["GET"]),
    Route("/", studio.page, methods=["GET", "HEAD"]),
    Route("/studio/{name}", studio.asset, methods=["GET", "HEAD"]),
]
