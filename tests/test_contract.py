"""Schemathesis against a live uvicorn (issue 13): every operation of `GET /openapi.json`, positive and negative
cases (examples, coverage and fuzzing phases), checked for server errors, undocumented statuses, content types,
response headers and response schemas. The paid lane runs on both devnets, so its 402s are real.

Checks left out, and why: `positive_data_acceptance` (a request valid by the schema is still refused when what it
names does not exist or is not allowed: a random job id, a random image URL, an unknown backend — 4xx by design),
and the authorization checks (`ignored_auth`, `object_level_authorization`, `use_after_free`,
`ensure_resource_availability`: links and slots are capabilities, and a wallet's resources are refused to another
wallet, tested in their own modules; a wallet without credentials is answered 402, a sign-in challenge, not the
401 `ignored_auth` expects) — except `ignored_auth` on `GET /metrics` and `/api/admin/...`, the operator's
operations behind a token (their security schemes, the tokens given to schemathesis). The wallet's routes run
signed in: a wallet signs in, buys a credit bundle over x402 and pays a job with credits before the run, and its
session token is the `bearer` scheme's. The paid routes answer 402 to a request without payment whatever its body
(indexers probe that way), so 402 counts as a rejection there. Operations that need a real job, link, slot, key or
payment get one made before the run.

Bounded for CI: MAX_EXAMPLES per operation (`FORGE402_SCHEMATHESIS_EXAMPLES` raises it locally).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from app.devnet.anvil import EvmDevnet
from app.devnet.litesvm import SvmDevnet
from tests.api import wait_done
from tests.devnet import evm_devnet_fixture  # noqa: F401 - registers the evm_devnet fixture
from tests.images import clean_photo, encode
from tests.live import LiveServer
from tests.paid import paid_env, sdk_pay, solana_env, svm_devnet_fixture  # noqa: F401 - registers svm_devnet
from tests.wallets import bearer, evm_signer, sign_in

MAX_EXAMPLES = int(os.environ.get("FORGE402_SCHEMATHESIS_EXAMPLES", "50"))
CHECKS_LEFT_OUT = "positive_data_acceptance,ignored_auth,object_level_authorization,use_after_free"
CHECKS_LEFT_OUT += ",ensure_resource_availability"
REJECTIONS = ["400", "404", "405", "406", "408", "409", "413", "415", "422", "429"]
# routes a wallet signs in to: a bad SIGN-IN-WITH-X proof (schemathesis fills the header) is refused with a fresh 402
# challenge, bad credentials with 401, before the rest of the request is looked at
SIGNED_IN_REJECTIONS = [*REJECTIONS, "401", "402"]
METRICS_TOKEN = "contract-metrics-token"  # /metrics is on, and schemathesis sends the token (its security scheme)
ADMIN_KEY = "contract-admin-key-0123456789"  # the admin API is on, schemathesis sends its key (adminKey)
BUNDLES = "starter:100000:1000000"  # a small bundle, bought before the run: credits for the wallet's submissions


@pytest.fixture(scope="module")
def live(
    tmp_path_factory: pytest.TempPathFactory, evm_devnet: EvmDevnet, svm_devnet: SvmDevnet
) -> Iterator[LiveServer]:
    env = {**paid_env(evm_devnet), **solana_env(svm_devnet), "FORGE402_METRICS_TOKEN": METRICS_TOKEN,
           "FORGE402_ADMIN_KEY": ADMIN_KEY, "FORGE402_CREDIT_BUNDLES": BUNDLES,
           "FORGE402_RATE_LIMIT_KEY": "0"}  # fmt: skip  (the wallet's submissions are bounded by its credits)
    with LiveServer(tmp_path_factory.mktemp("contract"), env) as server:
        yield server


def signed(url: str) -> dict[str, str]:
    """The path parameters' last segments and the query of a signed link."""
    parts = urlsplit(url)
    return {key: values[0] for key, values in parse_qs(parts.query).items()}


def wallet_for_the_run(http: httpx.Client, devnet: EvmDevnet) -> dict[str, str]:
    """A wallet with credits, so the accounts routes answer more than their sign-in challenge: signed in (its session
    token is the `bearer` scheme's), a bundle bought over x402 (a payment for the books), a job paid with credits,
    an API key to revoke."""
    payer = devnet.payers[-1]
    session = sign_in(http, evm_signer(payer.private_key))
    bought = sdk_pay(str(http.base_url).rstrip("/"), payer, {"bundle": "starter"}, path="/api/x402/credits")
    assert bought.status_code == 200, bought.text
    paid = http.post("/api/forge", json={"prompt": "a copper kettle", "tier": "draft"}, headers=bearer(session))
    assert paid.status_code in (200, 202) and paid.json()["credits_used"] > 0, paid.text
    key = http.post("/api/me/keys", json={"name": "contract", "scopes": ["read"]}, headers=bearer(session))
    assert key.status_code == 201, key.text
    return {"session": session, "purchase": bought.json()["purchase_id"], "job": paid.json()["job_id"],
            "key": key.json()["id"]}  # fmt: skip


def fixtures_for_the_run(http: httpx.Client, devnet: EvmDevnet) -> str:
    """Operations that 404 on anything generated get real identifiers: a finished job's signed file link, an
    upload slot, a stored photo, the wallet's paid job, key and purchase. Returns the schemathesis configuration
    (TOML)."""
    wallet = wallet_for_the_run(http, devnet)
    job = wait_done(http, http.post("/api/forge", json={"prompt": "a brass lantern", "tier": "draft"}).json()["job_id"])
    model = signed(job["glb_url"])
    photo = encode(clean_photo())
    stored = http.post("/api/forge-upload", json={"content_type": "image/png", "size_bytes": len(photo)}).json()
    kept = http.put(stored["upload_url"], content=photo, headers=stored["headers"])
    assert kept.status_code == 200, kept.text
    slot = http.post("/api/forge-upload", json={"content_type": "image/png", "size_bytes": len(photo)}).json()
    slot_id = urlsplit(slot["upload_url"]).path.rsplit("/", 1)[1]
    return f"""
[auth.openapi.metricsToken]
bearer = "{METRICS_TOKEN}"

[auth.openapi.adminKey]
bearer = "{ADMIN_KEY}"

[auth.openapi.bearer]
bearer = "{wallet["session"]}"

# the routes a wallet signs in to come first: an operation takes the first entry that matches it
[[operations]]
include-path-regex = "^/api/(me|me/jobs|me/keys|forge|forge/retopo)$"
checks.negative_data_rejection.expected-statuses = {SIGNED_IN_REJECTIONS!r}

[[operations]]
include-path = "/api/me/jobs/{{job_id}}"
parameters = {{ "path.job_id" = "{wallet["job"]}" }}
checks.negative_data_rejection.expected-statuses = {SIGNED_IN_REJECTIONS!r}

[[operations]]
include-path = "/api/me/keys/{{key_id}}"
parameters = {{ "path.key_id" = "{wallet["key"]}" }}
checks.negative_data_rejection.expected-statuses = {SIGNED_IN_REJECTIONS!r}

[[operations]]
include-path = "/metrics"
checks.ignored_auth.enabled = true

[[operations]]
include-path-regex = "^/api/admin/"
checks.ignored_auth.enabled = true
checks.negative_data_rejection.expected-statuses = {[*REJECTIONS, "401"]!r}

[[operations]]
include-path = "/api/x402/credits"
include-method = "POST"
checks.negative_data_rejection.expected-statuses = {[*REJECTIONS, "402"]!r}

[[operations]]
include-path = "/api/admin/payments/{{ref}}"
parameters = {{ "path.ref" = "{wallet["purchase"]}" }}

[[operations]]
include-path-regex = "^/api/x402/forge"
include-method = "POST"
checks.negative_data_rejection.expected-statuses = {[*REJECTIONS, "402"]!r}

[[operations]]
include-path = "/files/{{job_id}}/{{name}}"
parameters = {{ "path.job_id" = "{job["job_id"]}", "path.name" = "model.glb", "query.expires" = "{model["expires"]}", \
"query.sig" = "{model["sig"]}" }}

[[operations]]
include-path = "/api/forge-upload/{{upload_id}}"
parameters = {{ "path.upload_id" = "{slot_id}", "query.expires" = "{signed(slot["upload_url"])["expires"]}", \
"query.sig" = "{signed(slot["upload_url"])["sig"]}" }}

[[operations]]
include-path = "/uploads/{{name}}"
parameters = {{ "path.name" = "{urlsplit(stored["public_url"]).path.rsplit("/", 1)[1]}" }}
"""


def test_every_operation_keeps_its_contract(live: LiveServer, evm_devnet: EvmDevnet, tmp_path: Path) -> None:
    with live.client() as http:
        config = tmp_path / "schemathesis.toml"
        config.write_text(fixtures_for_the_run(http, evm_devnet))
    command = [
        str(Path(sys.executable).with_name("schemathesis")), "--config-file", str(config),
        "run", f"{live.url}/openapi.json",
        "--checks", "all", "--exclude-checks", CHECKS_LEFT_OUT,
        "--phases", "examples,coverage,fuzzing", "--max-examples", str(MAX_EXAMPLES),
        "--workers", "1", "--generation-database", "none", "--no-color", "--request-timeout", "60",
    ]  # fmt: skip
    run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=900, check=False)
    report = run.stdout + run.stderr
    print(report[-6000:])
    assert run.returncode == 0, report[-20000:]
    assert "Tested: " in report and " 0 generated" not in report
