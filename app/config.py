"""Service configuration: environment variables (prefix `FORGE402_`) or a TOML file named by `FORGE402_CONFIG`.

Everything has a default that runs offline on the embedded stack; production overrides a few values.
Secrets are `SecretStr`, so a settings object printed or logged never shows them.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

USDC_DECIMALS = 6


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FORGE402_", extra="forbid", frozen=True)

    # where state lives
    data_dir: Path = Field(default=Path("forge402-data"), description="SQLite database and generated files")
    public_url: str | None = Field(
        default=None, description="External base URL for links (default: taken from each request's Host)"
    )
    secret: SecretStr | None = Field(
        default=None, description="HMAC key for signed URLs (default: generated once, kept in data_dir)"
    )

    # HTTP
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    trusted_proxies: Annotated[list[str], NoDecode] = Field(  # comma-separated in the environment
        default_factory=list, description="Peers whose X-Forwarded-For is believed (IPs or CIDRs)"
    )
    file_url_ttl_seconds: int = Field(default=3600, ge=60, le=7 * 86400)

    # rate limits, per client IP and window (a minute by default) (shared by all worker processes through the database)
    rate_limit_generate: int = Field(default=10, ge=0, description="generations per minute; 0 = unlimited")
    rate_limit_poll: int = Field(default=240, ge=0, description="polls per minute; 0 = unlimited")
    rate_limit_window_seconds: int = Field(default=60, ge=1, le=3600, description="length of a rate-limit window")

    # jobs
    fast_lane_ms: int = Field(default=2500, ge=0, le=30_000, description="how long POST waits for a done job")
    engine_workers: int = Field(default=0, ge=0, le=64, description="mesh processes (0 = one per CPU)")
    job_timeout_seconds: float = Field(default=600, gt=0, le=600)
    job_max_attempts: int = Field(default=2, ge=1, le=10, description="runs before a job lost to a crash fails")
    job_lease_seconds: float = Field(default=30, ge=1, le=600)

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
    facilitator_url: str | None = Field(default=None, description="remote x402 facilitator instead of self-settling")
    payment_timeout_seconds: int = Field(default=120, ge=10, le=3600, description="maxTimeoutSeconds offered")

    @field_validator("evm_pay_to", "evm_usdc")
    @classmethod
    def _check_address(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"0x[0-9a-fA-F]{40}", value):
            raise ValueError("must be a 0x-prefixed 20-byte hex address")
        return value

    @field_validator("evm_facilitator_key")
    @classmethod
    def _check_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.fullmatch(r"(0x)?[0-9a-fA-F]{64}", value.get_secret_value()):
            raise ValueError("must be a 32-byte hex private key")  # never echo the value
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
        return self

    @property
    def paid_lane_configured(self) -> bool:
        return self.evm_rpc_url is not None

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
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

    @cached_property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    def price_atomics(self, tier: str) -> int:
        return {"draft": self.price_draft, "standard": self.price_standard, "high": self.price_high}[tier]

    def signing_key(self) -> bytes:
        """The configured secret, or one generated on first start and kept (0600) in the data directory."""
        if self.secret is not None:
            return self.secret.get_secret_value().encode()
        path = self.data_dir / "secret.key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
        return path.read_text().strip().encode()

    def engine_worker_count(self) -> int:
        return self.engine_workers or max(1, os.cpu_count() or 1)


def format_usdc(atomics: int) -> str:
    """50000 -> '0.05' (exact decimal, never through a float)."""
    whole, frac = divmod(atomics, 10**USDC_DECIMALS)
    text = f"{whole}.{frac:06d}".rstrip("0")
    return text + "0" if text.endswith(".") else text
