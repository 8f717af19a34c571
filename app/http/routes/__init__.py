"""HTTP routes, one module per resource; each parses the request, calls one service, answers. Each handler declares
its operation (`app.http.contract.documented`) for the OpenAPI contract; tests/test_openapi.py fails on one that
does not."""

from __future__ import annotations

from starlette.routing import Route

from app.http.routes import admin, credits, files, forge, health, me, metrics, openapi, paid, retopo, studio, uploads

ROUTES = [
    # the paid lane first: its unpaid POST is what every agent and indexer meets, and Starlette tries routes in order
    # (these paths overlap no other route, so the order changes only how many patterns a request is matched against)
    Route("/api/x402/forge", paid.submit, methods=["POST"]),
    Route("/api/x402/forge", paid.price_list, methods=["GET"]),
    Route("/api/forge", forge.submit, methods=["POST"]),
    Route("/api/forge", forge.query, methods=["GET"]),
    Route("/files/{job_id}/{name}", files.download, methods=["GET", "HEAD"]),
    Route("/api/forge-upload", uploads.create_slot, methods=["POST"]),
    Route("/api/forge-upload/{upload_id}", uploads.receive, methods=["PUT"]),
    Route("/uploads/{name}", uploads.serve, methods=["GET", "HEAD"]),
    Route("/api/forge/retopo", retopo.submit, methods=["POST"]),
    Route("/api/x402/forge/retopo", paid.submit_retopo, methods=["POST"]),
    Route("/api/x402/credits", credits.bundles, methods=["GET"]),
    Route("/api/x402/credits", credits.buy, methods=["POST"]),
    Route("/api/me", me.account, methods=["GET"]),
    Route("/api/me/jobs", me.jobs, methods=["GET"]),
    Route("/api/me/jobs/{job_id}", me.job, methods=["GET"]),
    Route("/api/me/keys", me.create_key, methods=["POST"]),
    Route("/api/me/keys", me.list_keys, methods=["GET"]),
    Route("/api/me/keys/{key_id}", me.revoke_key, methods=["DELETE"]),
    Route("/api/admin/payments", admin.payments, methods=["GET"]),
    Route("/api/admin/payments/{ref}", admin.payment, methods=["GET"]),
    Route("/api/admin/revenue", admin.revenue, methods=["GET"]),
    Route("/api/admin/refunds", admin.refunds, methods=["GET"]),
    Route("/api/admin/refunds", admin.refund, methods=["POST"]),
    Route("/api/admin/credits", admin.credits, methods=["GET"]),
    Route("/api/admin/reconcile", admin.reconcile, methods=["GET"]),
    Route("/.well-known/x402.json", paid.manifest, methods=["GET"]),
    Route("/.well-known/x402", paid.manifest, methods=["GET"]),
    Route("/healthz", health.healthz, methods=["GET"]),
    Route("/readyz", health.readyz, methods=["GET"]),
    Route("/openapi.json", openapi.openapi, methods=["GET"]),
    Route("/metrics", metrics.metrics, methods=["GET"]),
    Route("/", studio.page, methods=["GET", "HEAD"]),
    Route("/studio/{name}", studio.asset, methods=["GET", "HEAD"]),
]
