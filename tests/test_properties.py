"""Property tests (hypothesis) of every decoder of outside input at the HTTP edge and below it: whatever a client
sends, the answer is a refusal with a code (a ForgeError, a 4xx), never another exception (a 500).

Targets: JSON bodies (every request model, and the paid lane's tier hint read from an unpaid body), signed links
(file links and upload slots), upload headers, image bytes (the decoders a PUT or an image_url reaches), and the
client address from X-Forwarded-For. The x402 headers, EVM authorizations and Solana transactions are in
tests/payments/test_properties.py.
"""

from __future__ import annotations

import json
from typing import Any
from unittest.mock import Mock

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from app.errors import ForgeError, Invalid, TooLarge
from app.http.body import parse_model
from app.http.clientip import client_ip, parse_networks
from app.paid.lane import tier_hint
from app.photos.images import inspect_image
from app.photos.uploads import Slot, SlotSigner, Uploads
from app.schemas import ForgeRequest, RetopoRequest, UploadRequest
from app.signing import UrlSigner
from app.tiers import TIERS
from tests.images import clean_photo, encode
from tests.strategies import JSON_VALUES, PROPERTY

MODELS = [ForgeRequest, RetopoRequest, UploadRequest]
DEEP = b"[" * 60_000
HUGE_NUMBER = b'{"prompt": "a teapot", "seed": ' + b"9" * 5000 + b"}"
FIELD_NAMES = st.sampled_from(
    ["prompt", "tier", "seed", "image_urls", "backend", "skip_validation", "aspect_ratio", "webhook_url", "job_id",
     "model_url", "face_limit", "quad", "bake", "content_type", "size_bytes"]
)  # fmt: skip
BODIES = st.dictionaries(FIELD_NAMES, JSON_VALUES, max_size=6)


# ---- JSON bodies ----------------------------------------------------------------------------------------------------


def parsed_or_refused(raw: bytes, model: type[BaseModel]) -> None:
    try:
        assert isinstance(parse_model(raw, model), model)
    except Invalid as refusal:
        assert refusal.code in ("invalid_json", "invalid_body", "invalid_field") and refusal.message


@PROPERTY
@given(st.binary(max_size=400), st.sampled_from(MODELS))
@example(DEEP, ForgeRequest)
@example(HUGE_NUMBER, ForgeRequest)
@example(b"\xff\xfe{}", ForgeRequest)
def test_any_body_bytes_are_parsed_or_refused(raw: bytes, model: type[BaseModel]) -> None:
    parsed_or_refused(raw, model)


@PROPERTY
@given(BODIES, st.sampled_from(MODELS))
def test_any_json_object_is_parsed_or_refused_naming_the_field(body: dict[str, Any], model: type[BaseModel]) -> None:
    raw = json.dumps(body).encode()
    try:
        parsed = parse_model(raw, model)
    except Invalid as refusal:
        assert refusal.code == "invalid_field" and refusal.fields["fields"], refusal.message
        return
    for name, value in body.items():  # strict: what was accepted is what was sent (no coercion)
        if isinstance(value, (bool, int)):
            assert type(getattr(parsed, name)) is type(value), (name, value)


@PROPERTY
@given(st.binary(max_size=300) | JSON_VALUES.map(lambda v: json.dumps(v).encode()))
@example(DEEP)
@example(HUGE_NUMBER)
@example(b'{"tier": ["draft"]}')
def test_the_tier_an_unpaid_body_hints_is_always_a_tier(raw: bytes) -> None:
    """The paid lane prices its 402 by the body's tier before validating anything (indexers probe with any body)."""
    assert tier_hint(raw) in TIERS


# ---- signed links ---------------------------------------------------------------------------------------------------

SIGNER = UrlSigner(b"k" * 32, ttl_seconds=3600)
PATH = "/files/job_" + "0" * 32 + "/model.glb"


@PROPERTY
@given(st.one_of(st.none(), st.text(max_size=30)), st.one_of(st.none(), st.text(max_size=80)))
@example("²", "0" * 64)
@example("9" * 5000, "0" * 64)
@example("1" * 12, "é")
def test_any_link_parameters_are_judged_never_raise(expires: str | None, sig: str | None) -> None:
    problem = SIGNER.check(PATH, expires, sig)
    assert problem is None or isinstance(problem, str)
    if problem is None:  # only a genuine signature opens a link
        assert expires is not None and sig == SIGNER.mac(PATH, int(expires))


@PROPERTY
@given(st.integers(min_value=0, max_value=63), st.characters())
def test_a_genuine_link_with_its_signature_changed_is_refused(position: int, char: str) -> None:
    expires = 4_000_000_000
    sig = SIGNER.mac(PATH, expires)
    tampered = sig[:position] + char + sig[position + 1 :]
    assert SIGNER.check(PATH, str(expires), sig) is None
    if tampered != sig:
        assert SIGNER.check(PATH, str(expires), tampered) is not None


@PROPERTY
@given(st.one_of(st.none(), st.text(max_size=80)))
@example("é" * 64)
def test_any_upload_signature_is_judged_never_raises(sig: str | None) -> None:
    slots = SlotSigner(b"s" * 32)
    slot = Slot("a" * 24, "image/png", 1000, 4_000_000_000)
    genuine = slots._signer.mac(slots._message(slot), 4_000_000_000)
    assert slots.verify(slot, sig) is (sig == genuine)


# ---- upload headers and image bytes -------------------------------------------------------------------------------


@PROPERTY
@given(st.text(max_size=60), st.text(max_size=30))
@example("image/png; charset=é", "²")
@example("IMAGE/PNG", "9" * 5000)
def test_any_upload_headers_are_accepted_or_refused(content_type: str, content_length: str) -> None:
    slot = Slot("a" * 24, "image/png", 1000, 4_000_000_000)
    try:
        Uploads._check_headers(slot, content_type, content_length)
    except (Invalid, TooLarge) as refusal:
        assert refusal.code in ("content_type_mismatch", "upload_too_large")


def real_images() -> list[bytes]:
    photo = clean_photo()
    return [encode(photo), encode(photo, "JPEG", quality=80), encode(photo, "WEBP", quality=80)]


IMAGES = real_images()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(range(len(IMAGES))),
    st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), max_size=6),
    st.integers(min_value=0, max_value=1 << 20),
    st.sampled_from([None, "image/png", "image/jpeg", "image/webp"]),
)
def test_any_image_bytes_are_read_or_refused(which: int, changes: list, cut: int, declared: str | None) -> None:
    """A real PNG / JPEG / WebP with bytes changed and cut short: the image decoders a PUT or an image_url reaches."""
    data = bytearray(IMAGES[which])
    for position, value in changes:
        data[position % len(data)] = value
    data = data[: max(1, cut % (len(data) + 1))]
    try:
        inspect_image(bytes(data), declared, 40_000_000)
    except ForgeError as refusal:
        assert refusal.code and refusal.message


@PROPERTY
@given(st.binary(max_size=200), st.sampled_from([None, "image/png", "image/jpeg", "image/webp"]))
def test_any_bytes_as_an_image_are_refused(data: bytes, declared: str | None) -> None:
    try:
        inspect_image(data, declared, 40_000_000)
    except ForgeError as refusal:
        assert refusal.code


# ---- the client address ---------------------------------------------------------------------------------------------


@PROPERTY
@given(st.text(max_size=120), st.sampled_from(["127.0.0.1", "10.0.0.7", "::1"]))
def test_any_forwarded_for_gives_an_address(forwarded: str, peer: str) -> None:
    request = Mock()
    request.client.host = peer
    request.headers = {"x-forwarded-for": forwarded}
    found = client_ip(request, parse_networks(["127.0.0.0/8", "::1/128"]))
    assert isinstance(found, str) and found
    if peer == "10.0.0.7":  # an untrusted peer is the client, whatever it writes
        assert found == peer
    if found != peer:  # else one of the hops a trusted proxy wrote
        assert found in [h.strip() for h in forwarded.split(",")]
