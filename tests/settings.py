"""The settings every test server runs with, written once: rate limits off and one engine process, unless a test
says otherwise (`server_env(...)`, by setting name). A test about rate limits sets its own. The file store is the
suite's (`--store`, tests.objectstore: local files by default), unless a test names its own."""

from __future__ import annotations

from pathlib import Path

from app.config import Settings
from tests.objectstore import suite_store_env

RATE_LIMITS_OFF = {
    "FORGE402_RATE_LIMIT_GENERATE": "0",
    "FORGE402_RATE_LIMIT_POLL": "0",
    "FORGE402_RATE_LIMIT_UPLOAD": "0",
}
TEST_ENV = {**RATE_LIMITS_OFF, "FORGE402_ENGINE_WORKERS": "1", "FORGE402_DRAIN_SECONDS": "5"}


def server_env(**overrides: object) -> dict[str, str]:
    """TEST_ENV with `overrides` named as Settings names them: server_env(fast_lane_ms=0) sets FORGE402_FAST_LANE_MS."""
    return TEST_ENV | {f"FORGE402_{name.upper()}": str(value) for name, value in overrides.items()}


def store_env(data_dir: Path) -> dict[str, str]:
    """The suite's file store for a server in `data_dir` (nothing for local files)."""
    return suite_store_env(data_dir)


def settings_from(data_dir: Path, env: dict[str, str]) -> Settings:
    """The Settings a server started with `env` (FORGE402_* variables) in `data_dir` would read."""
    env = store_env(data_dir) | env
    values = {name.removeprefix("FORGE402_").lower(): value for name, value in env.items()}
    return Settings(**{**values, "data_dir": data_dir})
