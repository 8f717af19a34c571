"""Wire shapes of the HTTP API (requests and answers), as pydantic models.

Request models are strict: a JSON value of the wrong type is refused (400 naming the field), never coerced (no
`"5"` for 5, no `true` for 1).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, RootModel, field_validator

Status = Literal["queued", "running", "done", "failed"]
Step = Literal["image", "mesh", "finish"]
Mode = Literal["text_to_3d", "image_to_3d", "multiview_to_3d", "retopo"]
AspectRatio = Literal["1:1", "4:3", "3:4", "16:9", "9:16"]
TierName = Literal["draft", "standard", "high"]

PROMPT_MIN, PROMPT_MAX = 3, 1000
SEED_MAX = 2**31 - 1
URL_MAX = 2048
MAX_IMAGES = 4


class ForgeRequest(BaseModel):
    """Body of `POST /api/forge` and `POST /api/x402/forge`: a prompt, or image_urls (1–4 photos)."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        strict=True,
        json_schema_extra={
            "anyOf": [
                {"required": ["prompt"], "properties": {"prompt": {"type": "string"}}},
                {"required": ["image_urls"], "properties": {"image_urls": {"type": "array"}}},
            ]
        },
    )

    prompt: str | None = Field(
        default=None,
        min_length=PROMPT_MIN,
        max_length=PROMPT_MAX,
        pattern=r"^[^\x00-\x08\x0b-\x1f]*$",
        description="What to build (text → 3D).",
    )
    tier: TierName = Field(
        default="standard", description="draft ≤ 12k faces, standard ≤ 30k, high ≤ 200k with PBR materials."
    )
    aspect_ratio: AspectRatio | None = None
    image_urls: list[Annotated[str, Field(max_length=URL_MAX)]] | None = Field(
        default=None,
        description="1–4 photos of one object instead of a prompt (front, right, back, top).",
    )  # checked in app.photos
    backend: str | None = Field(
        default=None, min_length=1, max_length=64, description="An engine of the catalog (default: built in)."
    )
    skip_validation: bool = Field(default=False, description="Skip the photo pre-check.")
    seed: int | None = Field(
        default=None, ge=0, le=SEED_MAX, description="Same prompt, tier and seed give the same model."
    )
    webhook_url: str | None = Field(
        default=None, min_length=8, max_length=URL_MAX, description="POSTed the job's view when it ends."
    )

    @field_validator("prompt")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        if value is not None and any(ord(c) < 32 and c not in "\t\n" for c in value):
            raise ValueError("the prompt contains control characters")
        return value


class SubmitResponse(BaseModel):
    job_id: str
    creation_id: str
    status: Status
    mode: Mode
    tier: TierName
    backend: str
    eta_seconds: int
    seed: int
    poll_url: str
    glb_url: str | None = None
    thumbnail_url: str | None = None
    recipe: str | None = None  # set once done (fast lane)
    faces: int | None = None


class CreditSubmitResponse(SubmitResponse):
    """`POST /api/forge` (or `/api/forge/retopo`) paid with credits: the job, and what it cost."""

    credits_used: int  # atomics spent on this job (given back if it fails)
    credits_remaining: int  # the wallet's balance after it


class PaidSubmitResponse(BaseModel):
    """`POST /api/x402/forge` once paid: the job to poll (the same one for every resend of the same payment)."""

    job_id: str
    poll_url: str
    status: Status
    tier: TierName
    eta_seconds: int | None = None
    transaction: str | None = None  # the settlement's transaction, also in the PAYMENT-RESPONSE header
    network: str | None = None


class JobError(BaseModel):
    code: str
    message: str


class PaymentView(BaseModel):
    method: Literal["x402", "credits"]
    amount_atomics: int
    network: str | None = None  # x402
    transaction: str | None = None  # x402: the settlement
    key_id: str | None = None  # credits: the API key that spent them


class RefundView(BaseModel):
    method: Literal["credit", "onchain"]
    state: Literal["pending", "sending", "sent", "credited", "failed"]
    amount_atomics: int
    network: str | None = None
    transaction: str | None = None  # on chain: the refund's transaction
    reason: str


class JobView(BaseModel):
    """`GET /api/forge?job=ID`."""

    job_id: str
    creation_id: str
    status: Status
    step: Step | None
    progress: int
    mode: Mode
    tier: TierName
    backend: str
    seed: int
    eta_seconds: int | None
    recipe: str | None
    faces: int | None
    notes: list[str]
    attempts: int
    glb_url: str | None
    thumbnail_url: str | None
    error: JobError | None
    submitted_at: str
    started_at: str | None
    finished_at: str | None
    obj_url: str | None = None  # retopology with quad: the quad mesh (OBJ; the GLB holds its triangulation)
    retopo: RetopoResult | None = None
    webhook: WebhookView | None = None
    # a paid job: how it was paid, and its refund if it failed
    payment: PaymentView | None = None
    refund: RefundView | None = None
    credits_used: int | None = None  # credit-paid: what it spent (0 once refunded), in atomics
    credits_remaining: int | None = None  # credit-paid, shown to its payer: the wallet's balance now


class CatalogTier(BaseModel):
    id: TierName
    label: str
    polycount: int
    pbr: bool
    texture_size: int
    price_usdc: str
    price_usdc_atomics: int
    eta_seconds: int  # on the free lane, its queue included
    paid_eta_seconds: int  # on the paid lane (served first), its queue included


class CatalogBackend(BaseModel):
    id: str
    label: str
    vendor: str
    paths: list[str]
    byok: bool
    configured: bool
    eta_seconds: int


class Catalog(BaseModel):
    backends: list[CatalogBackend]
    tiers: list[CatalogTier]
    default_tier: TierName
    default_backend: str
    retopology: CatalogRetopo | None = None


class CatalogRetopo(BaseModel):
    path: str
    paid_path: str
    backends: list[str]
    price_usdc: str
    price_usdc_atomics: int
    face_limit_min: int
    formats: list[str]


RETOPO_FACE_MIN = 100


class RetopoRequest(BaseModel):
    """Body of `POST /api/forge/retopo` and `POST /api/x402/forge/retopo`: one source (a model URL or one of our
    finished jobs) reduced to `face_limit` faces."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)

    model_url: str | None = Field(
        default=None, min_length=8, max_length=URL_MAX, description="A GLB or OBJ to retopologize."
    )
    job_id: str | None = Field(
        default=None, min_length=4, max_length=80, pattern=r"^[A-Za-z0-9_-]+$",
        description="Or one of your finished jobs as the source.",
    )  # fmt: skip
    face_limit: int = Field(ge=1, le=10_000_000, description="Faces wanted (100 up to the source's).")
    quad: bool = Field(default=False, description="Pair triangles into quads; adds an OBJ.")
    bake: bool = Field(default=False, description="Unwrap the new mesh and bake the source's colours into it.")
    backend: str | None = Field(default=None, min_length=1, max_length=64)
    webhook_url: str | None = Field(default=None, min_length=8, max_length=URL_MAX)


class RetopoResult(BaseModel):
    source_faces: int
    faces: int
    quads: int
    triangles: int
    quad_ratio: float
    watertight: bool
    textured: bool
    formats: list[str]


class WebhookDelivery(BaseModel):
    event: str
    attempt: int
    at: str
    status_code: int | None
    error: str | None
    duration_ms: int | None


class WebhookView(BaseModel):
    url: str
    state: str  # pending | sending | delivered | failed
    deliveries: list[WebhookDelivery]


ImageType = Literal["image/png", "image/jpeg", "image/webp"]


class UploadRequest(BaseModel):
    """Body of `POST /api/forge-upload`: what the client is about to PUT."""

    model_config = ConfigDict(extra="forbid", strict=True)

    content_type: ImageType
    size_bytes: int = Field(ge=1)


class UploadSlot(BaseModel):
    """A single-use, expiring slot: PUT the bytes to `upload_url` with `headers`, then use `public_url`."""

    upload_url: str
    method: Literal["PUT"] = "PUT"
    headers: dict[str, str]
    public_url: str
    expires_in: int  # seconds left to PUT


class UploadReceipt(BaseModel):
    """The answer to a successful PUT."""

    public_url: str
    content_type: ImageType
    size_bytes: int
    width: int
    height: int
    expires_in: int  # seconds the image stays available


class PhotoIssue(BaseModel):
    """One problem the photo pre-check found: a stable code and what to do about it."""

    code: str
    message: str


class ErrorAnswer(BaseModel):
    """Every refusal: a stable `error` code and a `message` a person can act on; some carry more fields (`fields`,
    `issues`, `retry_after`, `provider`, `image`, ...)."""

    model_config = ConfigDict(extra="allow")

    error: str
    message: str


class JobCounts(BaseModel):
    queued: int
    running: int


class Health(BaseModel):
    """`GET /healthz`."""

    status: Literal["ok"]
    version: str
    jobs: JobCounts
    engine_workers: int


class Readiness(BaseModel):
    """`GET /readyz` when ready (200); not ready, the 503 is a refusal (`not_ready`) carrying the same fields."""

    status: Literal["ready"]
    store: Literal["sqlite", "postgres"]
    draining: bool
    database: Literal["ok"]


class NetworkPrice(BaseModel):
    network: str  # CAIP-2
    network_v1: str
    scheme: str
    asset: str
    pay_to: str
    amount: str  # atomic units, as the x402 requirement says it
    amount_usd: str


class TierPrice(BaseModel):
    price_usdc: str
    price_usdc_atomics: int
    networks: list[NetworkPrice]


class PriceList(RootModel[dict[str, TierPrice]]):
    """`GET /api/x402/forge`: per tier, its price on every network the paid lane takes."""


class Manifest(BaseModel):
    """`GET /.well-known/x402.json`: every paid resource with the same requirements as its live 402."""

    model_config = ConfigDict(populate_by_name=True)

    x402_version: Literal[2] = Field(alias="x402Version")
    last_updated: str = Field(alias="lastUpdated")
    items: list[dict[str, Any]]


# ---- MCP tools: their arguments are the HTTP bodies' fields (plus `wait`) ------------------------------------------

JOB_ID_PATTERN = r"^[A-Za-z0-9_-]+$"


class WaitArgument(BaseModel):
    wait: bool = Field(
        default=False,
        description="Answer with the finished model (progress notifications meanwhile) instead of the queued job.",
    )


class ForgeToolArguments(ForgeRequest, WaitArgument):
    """Arguments of the MCP tools `forge_generate` (paid) and `forge_generate_free`: the body of `POST /api/forge`,
    plus `wait`."""

    def request(self) -> ForgeRequest:
        return ForgeRequest.model_validate(self.model_dump(exclude={"wait"}, exclude_unset=True))


class RetopoToolArguments(RetopoRequest, WaitArgument):
    """Arguments of `forge_retopo` (paid) and `forge_retopo_free`: the body of `POST /api/forge/retopo`, plus `wait`."""

    def request(self) -> RetopoRequest:
        return RetopoRequest.model_validate(self.model_dump(exclude={"wait"}, exclude_unset=True))


class StatusToolArguments(BaseModel):
    """Arguments of `forge_status`: the job to look at (as `GET /api/forge?job=ID`)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    job_id: str = Field(min_length=4, max_length=80, pattern=JOB_ID_PATTERN)


class NoArguments(BaseModel):
    """A tool that takes no arguments (`forge_catalog`)."""

    model_config = ConfigDict(extra="forbid")


# ---- accounts: keys, credits ------------------------------------------------------------------------------------

Scope = Literal["generate", "read"]


class KeyRequest(BaseModel):
    """Body of `POST /api/me/keys`."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)

    name: str = Field(min_length=1, max_length=64)
    scopes: list[Scope] = Field(min_length=1, max_length=2)
    expires_at: AwareDatetime | None = Field(default=None, strict=False)  # RFC 3339 with a zone (a string only)
    spend_cap: int | None = Field(default=None, ge=0, le=10**15)  # credits (atomics) the key may spend

    @field_validator("expires_at", mode="before")
    @classmethod
    def _a_time_string(cls, value: Any) -> Any:
        if value is not None and not isinstance(value, str):  # lax datetimes take unix times: not on this wire
            raise ValueError("expires_at is an RFC 3339 time with a zone, as a string")
        return value


class KeyView(BaseModel):
    id: str
    prefix: str  # the key's first characters, to tell keys apart
    name: str
    scopes: list[Scope]
    created_at: str
    expires_at: str | None = None
    spend_cap: int | None = None
    spent: int = 0  # credits spent through this key (refunded spends not counted)
    revoked_at: str | None = None
    last_used_at: str | None = None
    state: Literal["active", "revoked", "expired"]


class KeyCreated(KeyView):
    key: str  # shown this once: only its hash is kept


class KeyList(BaseModel):
    keys: list[KeyView]


class CreditTxnView(BaseModel):
    kind: Literal["purchase", "spend", "refund", "expiry", "grant"]
    ref: str
    delta_atomics: int  # its effect on the balance
    key_id: str | None = None
    memo: str | None = None
    at: str


class MeView(BaseModel):
    address: str
    credit_atomics: int
    signed_in_with: Literal["session", "key"]
    key_id: str | None = None
    scopes: list[str]
    session_expires_at: str | None = None
    transactions: list[CreditTxnView]


class MyJobs(BaseModel):
    jobs: list[JobView]
    next_cursor: str | None


class BundleView(BaseModel):
    id: str
    price_atomics: int
    credit_atomics: int
    bonus_atomics: int
    price_usdc: str


class BundleList(BaseModel):
    bundles: list[BundleView]
    refund_policy: str


class BundleRequest(BaseModel):
    """Body of `POST /api/x402/credits`."""

    model_config = ConfigDict(extra="forbid", strict=True)

    bundle: str = Field(min_length=1, max_length=32)


class CreditPurchase(BaseModel):
    """`POST /api/x402/credits` once paid: the credits granted to the payer (the same answer for every resend)."""

    bundle: str
    credit_atomics: int
    address: str
    credits_remaining: int
    purchase_id: str
    transaction: str | None = None
    network: str | None = None


class RefundRequest(BaseModel):
    """Body of `POST /api/admin/refunds`."""

    model_config = ConfigDict(extra="forbid", strict=True)

    job_id: str = Field(min_length=4, max_length=80, pattern=JOB_ID_PATTERN)
    method: Literal["credit", "onchain"] | None = None  # default: the configured refund mode
    reason: str = Field(default="operator", min_length=1, max_length=200)


# ---- the operator's books (`/api/admin/...`): rows as the books read them -------------------------------------------


class AdminPayment(BaseModel):
    """One payment of the ledger with its job's refund (if any); times in UTC, amounts in atomics."""

    key: str
    payment_id: str | None
    network: str
    payer: str
    amount: int
    state: str
    tx_hash: str | None
    job_id: str
    error_code: str | None
    error_message: str | None
    created_at: str | None
    updated_at: str | None
    product: str  # `credits:<bundle>`, or `<mode>:<tier>` for a job
    refund_method: Literal["credit", "onchain"] | None
    refund_state: Literal["pending", "sending", "sent", "credited", "failed"] | None
    refund_amount: int | None
    refund_tx: str | None


class AdminPaymentDetail(AdminPayment):
    """`GET /api/admin/payments/{ref}`: the payment, and the payment payload it was made with."""

    payment: Any


class AdminPayments(BaseModel):
    payments: list[AdminPayment]


class RevenueDay(BaseModel):
    day: str  # YYYY-MM-DD, UTC
    network: str
    payments: int
    gross: int
    refunds: int
    refunded: int
    net: int


class CreditTotals(BaseModel):
    """Credits per kind of transaction (atomics), and what wallets hold (`outstanding`)."""

    purchase: int
    grant: int
    spend: int
    refund: int
    expiry: int
    outstanding: int


class AdminRevenue(BaseModel):
    days: list[RevenueDay]
    credits: CreditTotals


class AdminRefund(BaseModel):
    job_id: str
    address: str
    amount: int
    method: Literal["credit", "onchain"]
    network: str | None
    state: Literal["pending", "sending", "sent", "credited", "failed"]
    tx: str | None
    reason: str
    error: str | None
    created_at: str | None
    updated_at: str | None


class AdminRefunds(BaseModel):
    refunds: list[AdminRefund]


class RefundMade(BaseModel):
    """`POST /api/admin/refunds`: the job's refund (the same one again for a job already made good)."""

    job_id: str
    refund: RefundView


class Reconciliation(BaseModel):
    ok: bool
    problems: list[str]
