"""The OpenAPI contract (`GET /openapi.json`): generated from the operations the routes declare, covering every
registered route — a route added without its operation fails here, so it cannot be left out of the contract nor out
of the schemathesis run (tests/test_contract.py) that reads it."""

from __future__ import annotations

import httpx
from starlette.routing import Mount, Route

from app.http.contract import elsewhere, operation_of
from app.http.openapi import build_document, documented_methods, undocumented
from tests.inprocess import InProcessServer


def test_every_registered_route_is_in_the_contract(server: InProcessServer) -> None:
    assert undocumented(server.app.routes) == []
    # the one route left out on purpose: MCP, another protocol that describes its own tools
    left_out = [r.path for r in server.app.routes if isinstance(r, Route) and elsewhere(r.endpoint) is not None]
    assert left_out == ["/mcp"]


def test_a_route_without_an_operation_is_caught() -> None:
    async def newcomer(request: object) -> None: ...

    routes = [Route("/api/new", newcomer, methods=["POST"]), Mount("/mcp", routes=[])]
    assert undocumented(routes) == ["POST /api/new", "Mount '/mcp'"]


def test_the_contract_is_served_and_describes_every_route(http: httpx.Client, server: InProcessServer) -> None:
    answer = http.get("/openapi.json")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    document = answer.json()
    assert document["openapi"] == "3.1.0" and document == build_document(server.app.routes)
    for route in server.app.routes:
        if elsewhere(route.endpoint) is not None:
            assert route.path not in document["paths"]
            continue
        for method in documented_methods(route, operation_of(route.endpoint)):
            operation = document["paths"][route.path][method.lower()]
            assert operation["responses"], (method, route.path)
            for status, answer_doc in operation["responses"].items():
                assert 200 <= int(status) < 600 and int(status) != 500, (method, route.path, status)
                assert answer_doc["description"]


def test_every_error_answer_has_the_error_shape(http: httpx.Client) -> None:
    document = http.get("/openapi.json").json()
    error_ref = "#/components/schemas/ErrorAnswer"
    assert set(document["components"]["schemas"]["ErrorAnswer"]["required"]) == {"error", "message"}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status, answer in operation["responses"].items():
                if int(status) >= 400 and int(status) != 402 and method != "head":
                    assert answer["content"]["application/json"]["schema"] == {"$ref": error_ref}, (path, status)


def test_the_paid_lane_documents_its_402_and_its_headers(http: httpx.Client) -> None:
    paid = http.get("/openapi.json").json()["paths"]["/api/x402/forge"]["post"]
    challenge = paid["responses"]["402"]
    assert challenge["headers"]["PAYMENT-REQUIRED"]["required"] is True
    assert challenge["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/PaymentRequiredV1"}
    assert "PAYMENT-RESPONSE" in paid["responses"]["202"]["headers"]
    assert {p["name"] for p in paid["parameters"]} >= {"PAYMENT-SIGNATURE", "X-PAYMENT"}


def test_metrics_are_in_the_contract_behind_their_token(http: httpx.Client) -> None:
    document = http.get("/openapi.json").json()
    metrics = document["paths"]["/metrics"]["get"]
    assert metrics["security"] == [{"metricsToken": []}]
    assert document["components"]["securitySchemes"]["metricsToken"] == {
        "type": "http", "scheme": "bearer", "description": "FORGE402_METRICS_TOKEN, for the operator."
    }  # fmt: skip
    assert set(metrics["responses"]) == {"200", "401", "404", "503"}
    assert "text/plain" in metrics["responses"]["200"]["content"]


def test_storage_unavailable_is_a_documented_503_with_retry_after(http: httpx.Client) -> None:
    paths = http.get("/openapi.json").json()["paths"]
    for path, method in [
        ("/files/{job_id}/{name}", "get"),
        ("/files/{job_id}/{name}", "head"),
        ("/api/forge-upload/{upload_id}", "put"),
        ("/uploads/{name}", "get"),
        ("/api/forge", "post"),
        ("/api/forge/retopo", "post"),
    ]:
        unavailable = paths[path][method]["responses"]["503"]
        assert "storage_unavailable" in unavailable["description"], (path, method)
        assert "Retry-After" in unavailable["headers"], (path, method)


def test_the_wallet_and_operator_routes_say_how_they_are_signed_in(http: httpx.Client) -> None:
    document = http.get("/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    assert schemes["signInWithX"] == {**schemes["signInWithX"], "type": "apiKey", "in": "header",
                                      "name": "SIGN-IN-WITH-X"}  # fmt: skip
    assert schemes["bearer"]["scheme"] == schemes["adminKey"]["scheme"] == "bearer"
    paths = document["paths"]
    for path, method in [("/api/me", "get"), ("/api/me/jobs", "get"), ("/api/me/keys", "post"),
                         ("/api/me/keys/{key_id}", "delete")]:  # fmt: skip
        operation = paths[path][method]
        assert operation["security"] == [{"bearer": []}, {"signInWithX": []}], path
        assert operation["responses"]["402"]["headers"]["PAYMENT-REQUIRED"]["required"] is True, path
        assert "X-Forge-Session" in operation["responses"][min(operation["responses"])]["headers"], path
        assert {"401", "403"} <= set(operation["responses"]), path
    admin = [op for path, item in paths.items() if path.startswith("/api/admin/") for op in item.values()]
    assert len(admin) == 7 and all(op["security"] == [{"adminKey": []}] for op in admin)
    for path in ("/api/forge", "/api/forge/retopo"):  # free, or paid with the wallet's credits
        submit = paths[path]["post"]
        assert submit["security"] == [{"bearer": []}, {"signInWithX": []}, {}], path
        assert {"401", "402", "403", "503"} <= set(submit["responses"]), path
        assert "busy" in submit["responses"]["503"]["description"], path
        credit = {"$ref": "#/components/schemas/CreditSubmitResponse"}
        assert credit in submit["responses"]["202"]["content"]["application/json"]["schema"]["anyOf"], path
