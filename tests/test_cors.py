"""Cross-origin access (issue 13, finding 7): a browser app on another origin can call the API and pay — simple
requests carry Access-Control-Allow-Origin and expose the payment headers, preflights are answered — and the
operator can narrow the origins (FORGE402_CORS_ORIGINS) or turn CORS off. Credentials are never allowed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.inprocess import InProcessServer

APP = "https://app.example"


def preflight(http: httpx.Client, path: str, method: str, headers: str, origin: str = APP) -> httpx.Response:
    return http.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": headers,
        },
    )


def listed(value: str) -> set[str]:
    return {item.strip().lower() for item in value.split(",")}


def test_a_simple_request_from_any_origin_is_allowed_and_reads_the_payment_headers(http: httpx.Client) -> None:
    answer = http.get("/api/forge?catalog", headers={"Origin": APP})
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in answer.headers
    exposed = listed(answer.headers["access-control-expose-headers"])
    assert {"payment-required", "payment-response", "x-payment-response", "retry-after"} <= exposed
    assert {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"} <= exposed


def test_errors_carry_cors_headers_too(http: httpx.Client) -> None:
    answer = http.post("/api/forge", json={"prompt": 5}, headers={"Origin": APP})
    assert answer.status_code == 400 and answer.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(
    ("path", "method", "headers"),
    [
        ("/api/x402/forge", "POST", "content-type, payment-signature"),
        ("/api/x402/forge", "POST", "content-type, x-payment"),
        ("/api/forge", "POST", "content-type, x-forge-provider-key"),
        ("/api/forge-upload/abc", "PUT", "content-type"),
    ],
)
def test_preflights_allow_the_paid_and_upload_calls(http: httpx.Client, path: str, method: str, headers: str) -> None:
    answer = preflight(http, path, method, headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["access-control-allow-origin"] == "*"
    assert method in answer.headers["access-control-allow-methods"]
    assert listed(headers) <= listed(answer.headers["access-control-allow-headers"])
    assert "access-control-allow-credentials" not in answer.headers
    assert int(answer.headers["access-control-max-age"]) > 0


@pytest.fixture(scope="module")
def narrowed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    env = {"FORGE402_CORS_ORIGINS": f"{APP}, http://localhost:5173"}
    with InProcessServer(tmp_path_factory.mktemp("cors"), env) as served, served.client() as http:
        yield http


def test_configured_origins_are_echoed_and_others_get_nothing(narrowed: httpx.Client) -> None:
    allowed = narrowed.get("/healthz", headers={"Origin": "http://localhost:5173"})
    assert allowed.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert "origin" in listed(allowed.headers["vary"])
    other = narrowed.get("/healthz", headers={"Origin": "https://evil.example"})
    assert other.status_code == 200 and "access-control-allow-origin" not in other.headers
    evil = preflight(narrowed, "/api/x402/forge", "POST", "payment-signature", "https://evil.example")
    assert evil.status_code == 400
    assert preflight(narrowed, "/api/x402/forge", "POST", "payment-signature").status_code == 200


def test_cors_can_be_turned_off(tmp_path: Path) -> None:
    with InProcessServer(tmp_path, {"FORGE402_CORS_ORIGINS": ""}) as served, served.client() as http:
        answer = http.get("/healthz", headers={"Origin": APP})
        assert answer.status_code == 200 and "access-control-allow-origin" not in answer.headers
        assert preflight(http, "/api/forge", "POST", "content-type").status_code == 405
