"""Newcomer papercuts (issue 13, finding 8): what the README tells a newcomer to run works after `scripts/serve`'s
install, and a custom Base token is configurable."""

from __future__ import annotations

import ast
import re
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.config import Settings
from app.paid.gateway import build_gateway
from payments.gateway import Offer

ROOT = Path(__file__).resolve().parent.parent
CUSTOM_TOKEN = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
PAID_ENV = {
    "evm_rpc_url": "http://127.0.0.1:1",
    "evm_pay_to": "0x7B671bF26E8f95Ee1b77708b4C520f95b0f0abB2",
    "evm_facilitator_key": "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
}


def third_party_imports(script: Path) -> set[str]:
    """The top-level modules a script imports, less the standard library and this project."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(script.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    import sys

    return {n for n in names if n not in sys.stdlib_module_names and n not in ("app", "payments", "__future__")}


def requirement_name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def serving_install() -> set[str]:
    """The distributions `scripts/setup` (as `scripts/serve` runs it, without --test) installs: the dependencies and
    the extras its default install names."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    setup = (ROOT / "scripts" / "setup").read_text()
    extras = re.search(r'^extras="\[([a-z,]*)\]"', setup, re.M)
    wanted = list(project["dependencies"])
    for extra in (extras.group(1).split(",") if extras else []):
        wanted += project["optional-dependencies"][extra]
    return {requirement_name(r) for r in wanted}


def test_the_demo_agent_needs_only_what_scripts_serve_installs() -> None:
    """README: `scripts/serve`, then `.venv/bin/python scripts/demo_agent.py`. It failed: x402 came with the tests."""
    installed = serving_install()
    providers = packages_distributions()
    for module in third_party_imports(ROOT / "scripts" / "demo_agent.py"):
        dists = {d.lower().replace("_", "-") for d in providers.get(module, [module])}
        assert dists & installed, f"scripts/demo_agent.py imports {module} ({dists}), not installed by scripts/serve"


def test_a_custom_base_token_is_configured_with_its_eip712_domain() -> None:
    settings = Settings(**PAID_ENV, evm_usdc=CUSTOM_TOKEN, evm_usdc_name="Operator Dollar", evm_usdc_version="1")
    gateway = build_gateway(settings)
    assert gateway is not None
    offer = Offer(price_atomics=50_000, resource_url="http://x/api/x402/forge", description="d")
    (accepted,) = gateway.book.terms(offer).accepts
    assert accepted.asset.lower() == CUSTOM_TOKEN.lower()
    assert accepted.extra == {"name": "Operator Dollar", "version": "1"}


def test_a_custom_base_token_without_its_name_is_refused_naming_the_variable() -> None:
    with pytest.raises(ValidationError, match="FORGE402_EVM_USDC_NAME"):
        Settings(**PAID_ENV, evm_usdc=CUSTOM_TOKEN)
    official = Settings(**PAID_ENV, evm_usdc="0x036CbD53842c5426634e7929541eC2318f3dCF7e")  # no name needed
    assert build_gateway(official) is not None
