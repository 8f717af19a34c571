"""Hostile input at the HTTP edge (issue 13, findings 2, 3 and 6): every odd body, number, type or link parameter is
a 4xx that names the problem, never a 500."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from tests.api import assert_error
from tests.inprocess import InProcessServer

HUGE = "9" * 5000  # past Python's 4,300-digit limit on int(str)
JSON_ROUTES = ["/api/forge", "/api/forge/retopo", "/api/forge-upload"]


# ---- finding 2: huge JSON integers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", JSON_ROUTES)
def test_a_5000_digit_number_in_a_json_body_is_a_400(http: httpx.Client, path: str) -> None:
    body = '{"prompt": "a teapot", "seed": ' + HUGE + "}"
    answer = http.post(path, content=body, headers={"content-type": "application/json"})
    assert_error(answer, 400, "invalid_json")


def test_a_json_body_nested_past_the_parser_s_depth_is_a_400(http: httpx.Client) -> None:
    answer = http.post("/api/forge", content="[" * 60_000, headers={"content-type": "application/json"})
    assert_error(answer, 400, "invalid_json")


# ---- finding 3: odd signed-link parameters ------------------------------------------------------------------------


def tampered(link: str, **params: str) -> str:
    parts = urlsplit(link)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()} | params
    return f"{parts.path}?{urlencode(query)}"


@pytest.fixture
def file_link(server: InProcessServer) -> str:
    """A valid signed link (the file need not exist: the signature is checked first)."""
    return server.app.state.services.signer.sign("/files/job_" + "0" * 32 + "/model.glb")


@pytest.mark.parametrize(
    "params",
    [{"expires": "²"}, {"expires": "١٢٣"}, {"expires": HUGE}, {"sig": "é"}, {"sig": "\u0000"}, {"sig": "é" * 64}],
    ids=["superscript", "arabic-digits", "5000-nines", "sig-e-acute", "sig-nul", "sig-64-non-ascii"],
)
def test_odd_file_link_parameters_are_a_403(http: httpx.Client, file_link: str, params: dict[str, str]) -> None:
    assert_error(http.get(tampered(file_link, **params)), 403, "link_invalid")


def test_a_non_ascii_upload_signature_is_a_403(http: httpx.Client) -> None:
    slot = http.post("/api/forge-upload", json={"content_type": "image/png", "size_bytes": 100}).json()
    for params in ({"sig": "é"}, {"expires": "²"}, {"expires": HUGE}):
        answer = http.put(tampered(slot["upload_url"], **params), content=b"x" * 100, headers=slot["headers"])
        assert_error(answer, 403, "slot_invalid")


# ---- finding 6: loose coercion ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/forge", {"prompt": "a teapot", "seed": True}, "seed"),
        ("/api/forge", {"prompt": "a teapot", "seed": "5"}, "seed"),
        ("/api/forge", {"prompt": "a teapot", "seed": 5.0}, "seed"),
        ("/api/forge", {"prompt": "a teapot", "skip_validation": "true"}, "skip_validation"),
        ("/api/forge", {"prompt": "a teapot", "skip_validation": 1}, "skip_validation"),
        ("/api/forge", {"prompt": 12345}, "prompt"),
        ("/api/forge/retopo", {"job_id": "job_abcd", "face_limit": "500"}, "face_limit"),
        ("/api/forge/retopo", {"job_id": "job_abcd", "face_limit": 500, "quad": "yes"}, "quad"),
        ("/api/forge-upload", {"content_type": "image/png", "size_bytes": "100"}, "size_bytes"),
        ("/api/forge-upload", {"content_type": "image/png", "size_bytes": True}, "size_bytes"),
    ],
)
def test_a_wrong_json_type_is_a_400_naming_the_field(http: httpx.Client, path: str, body: dict, field: str) -> None:
    answer = assert_error(http.post(path, json=body), 400, "invalid_field")
    assert field in answer["fields"] and field in answer["message"], answer
