"""Service configuration: environment variables (prefix `FORGE402_`) or a TOML file named by `FORGE402_CONFIG`.

Everything has a default that runs offline on the embedded stack; production overrides a few values.
Secrets are `SecretStr`, so a settings object printed or logged never shows them.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import os
import re
import secrets
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)
from solders.keypair import Keypair
from solders.pubkey import Pubkey

from app.store.blobs.spec import BlobSpec, local_spec, parse_storage_url
from payments.networks import lookup

USDC_DECIMALS = 6
SOLANA_NETWORKS = ("solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp", "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1")


@dataclass(frozen=True, slots=True)
class CreditBundle:
    """Credits sold in one x402 payment: `price_atomics` USDC buys `credit_atomics` credits (more: a bonus)."""

    id: str
    price_atomics: int
    credit_atomics: int

    @classmethod
    def parse(cls, text: str) -> CreditBundle:
        """`id:price_atomics:credit_atomics`; ValueError saying what is wrong."""
        parts = text.strip().split(":")
        if len(parts) != 3 or not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,31}", parts[0]):
            raise ValueError("each bundle is id:price_atomics:credit_atomics (id: a-z, 0-9, _ or -)")
        price, credit = int(parts[1]), int(parts[2])
        if price <= 0 or credit < price:
            raise ValueError("a bundle costs more than 0 and gives at least what it costs")
        return cls(parts[0], price, credit)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FORGE402_", extra="forbid", frozen=True)

    # where state lives
    data_dir: Path = Field(default=Path("forge402-data"), description="SQLite database and generated files")
    database_url: SecretStr | None = Field(
        default=None, description="postgresql://… (or postgres://…): one database for every node; unset: SQLite"
    )
    public_url: str | None = Field(
        default=None, description="External base URL for links (default: taken from each request's Host)"
    )
    secret: SecretStr | None = Field(
        default=None, description="HMAC key for signed URLs (default: generated once, kept in data_dir)"
    )
    secret_previous: SecretStr | None = Field(
        default=None, description="the secret before a rotation: links and slots it signed are still accepted"
    )
    storage_url: str | None = Field(
        default=None, description="s3://bucket[/prefix][?endpoint=URL&region=R] for models, photos and sources"
    )
    storage_timeout_seconds: float = Field(
        default=10, gt=0, le=120, description="S3: connect and read timeout of one attempt (two per call)"
    )
    retention_days: int | None = Field(
        default=None, ge=1, le=36500, description="delete models, thumbnails and sources older than this (unset: keep)"
    )

    # HTTP
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    trusted_proxies: Annotated[list[str], NoDecode] = Field(  # comma-separated in the environment
        default_factory=list, description="Peers whose X-Forwarded-For is believed (IPs or CIDRs)"
    )
    file_url_ttl_seconds: int = Field(default=3600, ge=60, le=7 * 86400)
    cors_origins: Annotated[list[str], NoDecode] = Field(  # comma-separated in the environment; empty: no CORS
        default_factory=lambda: ["*"], description="origins whose browser apps may call the API (* for any)"
    )
    http_header_timeout_seconds: float = Field(default=10, gt=0, le=300, description="time to send a request's head")
    http_body_timeout_seconds: float = Field(default=60, gt=0, le=3600, description="time to send a request's body")
    http_keep_alive_seconds: float = Field(default=5, gt=0, le=300, description="idle kept-alive connections close")
    http_max_connections: int = Field(default=1000, ge=1, description="connections and requests at once per process")

    log_format: Literal["json", "text"] = Field(default="json", description="log lines: JSON objects, or text")
    metrics_token: SecretStr | None = Field(default=None, description="Bearer token that GET /metrics requires")
    metrics_listen: str | None = Field(default=None, description="host:port serving /metrics instead of the main port")
    facilitator_balance_floor_wei: int = Field(
        default=5 * 10**15, ge=0, description="warn when the EVM facilitator holds less ETH (wei; 0 = never)"
    )
    fee_payer_balance_floor_lamports: int = Field(
        default=50_000_000, ge=0, description="warn when the Solana fee payer holds less SOL (lamports; 0 = never)"
    )

    # rate limits, per client IP and window (a minute by default) (shared by all worker processes through the database)
    rate_limit_generate: int = Field(default=10, ge=0, description="generations per minute; 0 = unlimited")
    rate_limit_poll: int = Field(default=240, ge=0, description="polls per minute; 0 = unlimited")
    rate_limit_window_seconds: int = Field(default=60, ge=1, le=3600, description="length of a rate-limit window")

    # jobs
    fast_lane_ms: int = Field(default=2500, ge=0, le=30_000, description="how long POST waits for a done job")
    engine_workers: int = Field(default=0, ge=0, le=64, description="mesh processes (0 = one per CPU)")
    engine_memory_limit_mb: float = Field(
        default=80,
        ge=16,
        le=65_536,
        description="an engine process holding more memory of its own after a job is replaced",
    )
    # Paid jobs are claimed first; the free lane runs on at most this share of a process's engine processes (at
    # least one), so the others stay ready for paid work however long the free queue is.
    free_lane_share: float = Field(default=0.5, gt=0, le=1, description="share of engine processes free jobs may use")
    free_queue_max_eta_seconds: int = Field(
        default=300, ge=0, le=86_400, description="the free lane answers 503 busy past this queue ETA (0 = never)"
    )
    job_timeout_seconds: float = Field(default=600, gt=0, le=600)
    job_max_attempts: int = Field(default=2, ge=1, le=10, description="runs before a job lost to a crash fails")
    job_lease_seconds: float = Field(default=30, ge=1, le=600)
    drain_seconds: float = Field(
        default=60, ge=0, le=3600, description="on SIGTERM, how long running jobs may finish before they are released"
    )

    # photo→3D: upload slots, and fetching `image_urls` from elsewhere. The SSRF rules (app/safefetch.py), the
    # allow-list and the redirect limit apply to every URL we fetch or call: images, models, results, webhooks.
    upload_max_bytes: int = Field(default=8 * 1024 * 1024, ge=1024, le=64 * 1024 * 1024, description="largest image")
    upload_max_pixels: int = Field(default=40_000_000, ge=1_000_000, description="width × height limit (bombs)")
    upload_slot_ttl_seconds: int = Field(default=600, ge=1, le=86400, description="time to PUT after the slot")
    upload_retention_seconds: int = Field(default=86400, ge=60, le=30 * 86400, description="images kept this long")
    rate_limit_upload: int = Field(default=40, ge=0, description="upload slots per window; 0 = unlimited")
    production: bool = Field(default=False, description="production mode: image_urls must be https")
    fetch_allow_hosts: Annotated[list[str], NoDecode] = Field(  # comma-separated in the environment
        default_factory=list,
        description="development only: hosts (or host:port) reached even at private addresses, and over http",
    )
    fetch_timeout_seconds: float = Field(default=10, gt=0, le=60, description="whole fetch of one image_url")
    fetch_max_redirects: int = Field(default=3, ge=0, le=10, description="redirects followed by any download")

    # prices in USDC atomic units (6 decimals): $0.05 / $0.15 / $0.50
    price_draft: int = Field(default=50_000, ge=0)
    price_standard: int = Field(default=150_000, ge=0)
    price_high: int = Field(default=500_000, ge=0)

    # the paid lane (x402). Without an RPC URL, `forge402 serve` starts a local devnet (anvil) and fills these in.
    devnet: bool = Field(default=True, description="start a local devnet when no RPC URL is configured")
    evm_network: str = Field(default="eip155:84532", description="CAIP-2 id: eip155:8453 (Base) or eip155:84532")
    evm_rpc_url: str | None = Field(default=None, description="JSON-RPC endpoint of that network")
    evm_pay_to: str | None = Field(default=None, description="address that receives the USDC")
    evm_facilitator_key: SecretStr | None = Field(
        default=None, description="private key that submits settlements and pays gas (not the payTo account)"
    )
    evm_usdc: str | None = Field(default=None, description="USDC contract (default: the network's official one)")
    evm_usdc_name: str | None = Field(
        default=None, min_length=1, max_length=64, description="EIP-712 domain name of a custom FORGE402_EVM_USDC"
    )
    evm_usdc_version: str | None = Field(
        default=None, min_length=1, max_length=16, description="EIP-712 domain version of a custom FORGE402_EVM_USDC"
    )
    facilitator_url: str | None = Field(default=None, description="remote x402 facilitator instead of self-settling")
    # the paid lane on Solana (self-settled: our fee payer co-signs each payment and pays its fee)
    svm_network: str = Field(
        default="solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1",
        description="CAIP-2 id: solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp (mainnet) or solana:EtWT... (devnet)",
    )
    svm_rpc_url: str | None = Field(default=None, description="Solana JSON-RPC endpoint of that network")
    svm_pay_to: str | None = Field(default=None, description="wallet that receives the USDC (into its token account)")
    svm_fee_payer_key: SecretStr | None = Field(
        default=None, description="base58 64-byte secret key that co-signs and pays fees (holds SOL, not payTo)"
    )
    svm_usdc_mint: str | None = Field(default=None, description="USDC mint (default: the network's official one)")
    svm_max_priority_fee_lamports: int = Field(
        default=10_000, ge=0, description="largest priority fee (unit price × unit limit) paid per Solana payment"
    )
    svm_fee_budget_lamports_per_minute: int = Field(
        default=2_000_000, ge=0, description="lamports the fee payer may spend per minute; past it 503 (0 = none)"
    )
    studio_solana_rpc_url: str | None = Field(
        default=None,
        pattern=r"^https?://[^\s/]+(/\S*)?$",
        description="public Solana RPC that the studio's browser wallets read; unset: no Solana in the studio",
    )
    payment_timeout_seconds: int = Field(default=120, ge=10, le=3600, description="maxTimeoutSeconds offered")
    # failed payments (refused on chain, or a failed settlement) before the paid lane answers 429; 0 = no limit
    payment_failures_per_payer: int = Field(default=10, ge=0, description="failed payments per payer and window")
    payment_failures_per_address: int = Field(default=30, ge=0, description="failed payments per client IP and window")
    payment_failure_window_seconds: int = Field(default=600, ge=1, le=86400, description="failure-limit window")

    # third-party engines: operator keys (make a backend `configured`), API base URLs, provider-side model ids
    tripo_api_key: SecretStr | None = None
    meshy_api_key: SecretStr | None = None
    siray_api_key: SecretStr | None = None
    scenario_api_key: SecretStr | None = Field(default=None, description="api_key:api_secret (HTTP Basic)")
    tripo_base_url: str = "https://api.tripo3d.ai/v2/openapi"
    meshy_base_url: str = "https://api.meshy.ai"
    siray_base_url: str = "https://api.siray.ai"
    scenario_base_url: str = "https://api.cloud.scenario.com"
    siray_model: str = Field(default="tripo3d/h3.1", description="Siray model id for text-to-3D")
    scenario_model: str = Field(default="model_tripo-v3-text-to-3d", description="Scenario model id for text-to-3D")
    provider_poll_seconds: float = Field(default=3.0, gt=0, le=60, description="how often a provider task is polled")
    provider_timeout_seconds: float = Field(default=30.0, gt=0, le=120, description="per provider HTTP call")
    provider_retry_backoff_seconds: float = Field(default=0.5, ge=0, le=30)
    provider_concurrency: int = Field(default=32, ge=1, le=1000, description="provider jobs polled at once")
    max_model_bytes: int = Field(default=64 * 1024 * 1024, ge=1024, description="largest GLB/OBJ downloaded")

    # webhooks and retopology
    webhook_secret: SecretStr | None = Field(
        default=None, description="HMAC key for webhook signatures (default: derived from the signing secret)"
    )
    webhook_retry_seconds: Annotated[list[float], NoDecode] = Field(
        default_factory=lambda: [1.0, 5.0, 15.0], description="backoff before each retry (comma-separated)"
    )
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    price_retopo: int = Field(default=100_000, ge=0, description="paid retopology, USDC atomic units")
    retopo_max_source_faces: int = Field(default=2_000_000, ge=1000)

    # accounts: sign-in with a wallet (SIWX), sessions, API keys, prepaid credits, refunds, the operator's books
    siwx_challenge_seconds: int = Field(default=300, ge=30, le=3600, description="how long a sign-in challenge lasts")
    session_ttl_seconds: int = Field(default=86400, ge=60, le=30 * 86400, description="lifetime of a session token")
    paid_views: Literal["anyone", "payer"] = Field(
        default="anyone", description="who may view a paid job: whoever holds its id, or only its payer"
    )
    credit_bundles: Annotated[list[CreditBundle], NoDecode] = Field(
        default_factory=lambda: [CreditBundle("starter", 1_000_000, 1_000_000), CreditBundle("studio", 10_000_000,
                                                                                             11_000_000)],
        description="credit bundles sold: id:price_atomics:credit_atomics, comma-separated",
    )  # fmt: skip
    credit_expiry_days: int = Field(default=0, ge=0, le=3650, description="unused credits expire (0 = never)")
    rate_limit_key: int = Field(default=60, ge=0, description="requests per API key and window; 0 = unlimited")
    api_keys_per_account: int = Field(default=20, ge=1, le=1000, description="live keys one wallet may hold")
    admin_key: SecretStr | None = Field(default=None, description="bearer key of /api/admin (unset: no admin API)")
    refund_mode: Literal["credit", "onchain"] = Field(
        default="credit", description="failed paid jobs: credited to the payer, or refunded on chain in USDC"
    )
    evm_refund_key: SecretStr | None = Field(
        default=None, description="private key of the wallet that sends on-chain refunds on Base (USDC and ETH)"
    )
    svm_refund_key: SecretStr | None = Field(
        default=None, description="base58 secret key of the wallet that sends on-chain refunds on Solana (USDC, SOL)"
    )
    refund_poll_seconds: float = Field(default=1.0, gt=0, le=60, description="how often ended paid jobs are read")

    @field_validator("credit_bundles", mode="before")
    @classmethod
    def _parse_bundles(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [CreditBundle.parse(item) for item in value.split(",") if item.strip()]
        return value

    @field_validator("credit_bundles")
    @classmethod
    def _check_bundles(cls, value: list[CreditBundle]) -> list[CreditBundle]:
        if len({b.id for b in value}) != len(value):
            raise ValueError("bundle ids must be unique")
        return value

    @field_validator("storage_url")
    @classmethod
    def _check_storage_url(cls, value: str | None) -> str | None:
        if value is not None and value.strip():
            parse_storage_url(value)  # raises a ValueError saying what is wrong (never echoing the URL)
            return value.strip()
        return None

    @cached_property
    def blob_spec(self) -> BlobSpec:
        """Where models, thumbnails, photos and retopology sources are kept: S3, or files under data_dir."""
        if not self.storage_url:
            return local_spec(self.data_dir)
        return replace(parse_storage_url(self.storage_url), timeout_s=self.storage_timeout_seconds)

    @field_validator("metrics_listen")
    @classmethod
    def _check_listen(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        host, sep, port = value.strip().rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError("must be host:port, e.g. 127.0.0.1:9402")
        return value.strip()

    @property
    def metrics_address(self) -> tuple[str, int] | None:
        if self.metrics_listen is None:
            return None
        host, _, port = self.metrics_listen.rpartition(":")
        return host.strip("[]"), int(port)

    @field_validator("webhook_retry_seconds", mode="before")
    @classmethod
    def _split_delays(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [float(item) for item in value.split(",") if item.strip()]
        return value

    def webhook_key(self) -> bytes:
        """The webhook signing key: configured, or derived from the signing secret (stable across restarts)."""
        if self.webhook_secret is not None:
            return self.webhook_secret.get_secret_value().encode()
        return hmac.new(self.signing_key(), b"forge402 webhook signatures", hashlib.sha256).hexdigest().encode()

    @field_validator("evm_pay_to", "evm_usdc")
    @classmethod
    def _check_address(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"0x[0-9a-fA-F]{40}", value):
            raise ValueError("must be a 0x-prefixed 20-byte hex address")
        return value

    @field_validator("evm_facilitator_key", "evm_refund_key")
    @classmethod
    def _check_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.fullmatch(r"(0x)?[0-9a-fA-F]{64}", value.get_secret_value()):
            raise ValueError("must be a 32-byte hex private key")  # never echo the value
        return value

    @field_validator("svm_pay_to", "svm_usdc_mint")
    @classmethod
    def _check_solana_address(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                Pubkey.from_string(value)
            except ValueError:
                raise ValueError("must be a base58 Solana address (32 bytes)") from None
        return value

    @field_validator("svm_fee_payer_key", "svm_refund_key")
    @classmethod
    def _check_solana_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            try:
                Keypair.from_base58_string(value.get_secret_value().strip())
            except Exception:
                raise ValueError("must be a base58 64-byte Solana secret key") from None  # never echo the value
        return value

    @field_validator("svm_network")
    @classmethod
    def _check_svm_network(cls, value: str) -> str:
        if value not in SOLANA_NETWORKS:
            raise ValueError(f"must be {' or '.join(SOLANA_NETWORKS)} (Solana mainnet or devnet)")
        return value

    @field_validator("evm_network")
    @classmethod
    def _check_network(cls, value: str) -> str:
        if value not in ("eip155:8453", "eip155:84532"):
            raise ValueError("must be eip155:8453 (Base) or eip155:84532 (Base Sepolia)")
        return value

    @model_validator(mode="after")
    def _check_paid_lane(self) -> Settings:
        if self.evm_rpc_url is not None:
            if self.evm_pay_to is None:
                raise ValueError("FORGE402_EVM_PAY_TO is required with FORGE402_EVM_RPC_URL")
            if self.evm_facilitator_key is None and self.facilitator_url is None:
                raise ValueError("set FORGE402_EVM_FACILITATOR_KEY (self-settlement) or FORGE402_FACILITATOR_URL")
        custom_token = self.evm_usdc is not None and self.evm_usdc.lower() != lookup(self.evm_network).usdc.lower()
        if custom_token and self.evm_usdc_name is None:
            raise ValueError(
                "FORGE402_EVM_USDC_NAME is required with a custom FORGE402_EVM_USDC: the token's EIP-712 domain "
                "name, which payers sign with (and FORGE402_EVM_USDC_VERSION if it is not 2)"
            )
        if self.svm_rpc_url is not None:
            if self.svm_pay_to is None or self.svm_fee_payer_key is None:
                raise ValueError("FORGE402_SVM_PAY_TO and FORGE402_SVM_FEE_PAYER_KEY are required with SVM_RPC_URL")
            fee_payer = Keypair.from_base58_string(self.svm_fee_payer_key.get_secret_value().strip()).pubkey()
            if str(fee_payer) == self.svm_pay_to:
                raise ValueError("FORGE402_SVM_PAY_TO must not be the fee payer's own address")
            if self.facilitator_url is not None:
                raise ValueError("Solana settles with its own fee payer; FORGE402_FACILITATOR_URL is for Base only")
        return self

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(("postgresql://", "postgres://")):
            raise ValueError("must be a postgresql:// (or postgres://) URL")  # never echo the value: it has a password
        return value

    @model_validator(mode="after")
    def _check_shared_secret(self) -> Settings:
        if self.database_url is not None and self.secret is None:
            raise ValueError(
                "FORGE402_SECRET is required with FORGE402_DATABASE_URL: every node must sign and check file links, "
                "upload slots and webhooks with the same key"
            )
        return self

    @property
    def database(self) -> str | None:
        """The PostgreSQL URL, or None for SQLite in the data directory."""
        return self.database_url.get_secret_value() if self.database_url is not None else None

    @model_validator(mode="after")
    def _check_refunds(self) -> Settings:
        if self.refund_mode == "onchain" and self.evm_refund_key is None and self.svm_refund_key is None:
            raise ValueError("FORGE402_REFUND_MODE=onchain needs FORGE402_EVM_REFUND_KEY or FORGE402_SVM_REFUND_KEY")
        pairs = ((self.evm_refund_key, self.evm_facilitator_key), (self.svm_refund_key, self.svm_fee_payer_key))
        for refund_key, sender_key in pairs:
            if refund_key is None or sender_key is None:
                continue
            if refund_key.get_secret_value().strip().lower() == sender_key.get_secret_value().strip().lower():
                raise ValueError("a refund key must be a wallet of its own, not the one that settles payments")
        return self

    @model_validator(mode="after")
    def _check_fetch_allow_hosts(self) -> Settings:
        if self.production and self.fetch_allow_hosts:
            raise ValueError("FORGE402_FETCH_ALLOW_HOSTS is for development; unset it in production")
        return self

    @property
    def paid_lane_configured(self) -> bool:
        return self.evm_rpc_url is not None or self.svm_rpc_url is not None

    @field_validator("trusted_proxies", "fetch_allow_hosts", "cors_origins", mode="before")
    @classmethod
    def _split_proxies(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("cors_origins")
    @classmethod
    def _check_origins(cls, value: list[str]) -> list[str]:
        for origin in value:
            if origin != "*" and not re.fullmatch(r"https?://[^/\s]+", origin):
                raise ValueError(f"{origin!r} is not an origin: * or scheme://host[:port], without a path")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _check_proxies(cls, value: list[str]) -> list[str]:
        for item in value:
            ipaddress.ip_network(item, strict=False)  # raises a ValueError naming the bad entry
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        config_file = os.environ.get("FORGE402_CONFIG")
        if config_file:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(config_file)))
        return tuple(sources)

    @cached_property
    def database_path(self) -> Path:
        return self.data_dir / "forge402.db"

    def price_atomics(self, tier: str) -> int:
        return {"draft": self.price_draft, "standard": self.price_standard, "high": self.price_high}[tier]

    def signing_keys(self) -> tuple[bytes, ...]:
        """The key that signs, then the one it replaced (still accepted by checks), when a rotation is under way."""
        previous = self.secret_previous.get_secret_value().encode() if self.secret_previous is not None else None
        return (self.signing_key(), previous) if previous else (self.signing_key(),)

    def signing_key(self) -> bytes:
        """The configured secret, or one generated on first start and kept (0600) in the data directory."""
        if self.secret is not None:
            return self.secret.get_secret_value().encode()
        path = self.data_dir / "secret.key"
        if not path.exists():  # processes starting together: the first link wins, the others read it
            self.data_dir.mkdir(parents=True, exist_ok=True)
            draft = path.with_name(f".secret.key.{os.getpid()}.{secrets.token_hex(4)}")
            fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
            try:
                os.link(draft, path)  # atomic, and never replaces a key another process made first
            except FileExistsError:
                pass
            finally:
                draft.unlink()
        return path.read_text().strip().encode()

    def engine_worker_count(self) -> int:
        return self.engine_workers or max(1, os.cpu_count() or 1)

    def free_worker_count(self) -> int:
        """Engine processes (of this process's) that may run free jobs at once: the free lane's share, at least one."""
        return max(1, math.floor(self.engine_worker_count() * self.free_lane_share + 1e-9))


def format_usdc(atomics: int) -> str:
    """50000 -> '0.05' (exact decimal, never through a float)."""
    whole, frac = divmod(atomics, 10**USDC_DECIMALS)
    text = f"{whole}.{frac:06d}".rstrip("0")
    return text + "0" if text.endswith(".") else text
