"""Driving the studio in a real browser: Debian's headless Chromium through Playwright (the system browser, as
Playwright's own download needs the internet), WebGL on SwiftShader, screenshots kept as test artifacts, and a test
wallet (EIP-1193) whose signatures come from a devnet payer key held by the test."""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from eth_account import Account
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Locator, Page, sync_playwright
from solders.keypair import Keypair
from solders.message import to_bytes_versioned
from solders.transaction import VersionedTransaction

from tests.live import ROOT

ARTIFACTS = ROOT / "test-artifacts" / "studio"
README_SHOT = ROOT / "docs" / "studio.png"
# FORGE402_README_SCREENSHOT=1 makes the studio tests write the README's screenshot (docs/studio.png) too
WRITE_README_SHOT = os.environ.get("FORGE402_README_SCREENSHOT") == "1"
CHROMIUM_ARGS = [
    "--use-gl=angle",
    "--use-angle=swiftshader",  # WebGL without a GPU (with --use-gl=swiftshader the canvas stays blank)
    "--enable-unsafe-swiftshader",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # no calls home: the closed network refuses them and the tests would stall
    "--disable-component-update",
    "--disable-sync",
]
WALLET_SCRIPT = (Path(__file__).parent / "browser_wallet.js").read_text()


def chromium_path() -> str:
    """The system Chromium; its absence fails the tests (CI must run them: scripts/setup --test installs it)."""
    found = os.environ.get("FORGE402_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("Chromium is not installed: run scripts/setup --test (as root it installs Debian's chromium)")
    return found


@pytest.fixture(scope="module", name="browser")
def browser_fixture() -> Iterator[Browser]:
    """One headless Chromium for a test module (each launch costs about a second). Register it in a test module
    with `from tests.browser import browser_fixture  # noqa: F401`, then take `browser` as a parameter."""
    with sync_playwright() as playwright:
        # Playwright starts it with a fresh temporary profile (--user-data-dir) of its own
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def screenshot(page: Page, name: str, readme: bool = False) -> Path:
    """Save the page as test-artifacts/studio/<name>.png (and as the README's picture when asked and enabled)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    if readme:
        page.evaluate("window.scrollTo(0, 0)")  # the README shows the page from its top
    page.screenshot(path=str(path))
    if readme and WRITE_README_SHOT:
        README_SHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, README_SHOT)
    return path


def pixels(element: Locator) -> np.ndarray:
    """What the element shows on screen, as RGB (the composited frame: WebGL needs no preserveDrawingBuffer)."""
    return np.asarray(Image.open(io.BytesIO(element.screenshot())).convert("RGB"), dtype=np.int16)


def bright_fraction(rgb: np.ndarray, level: int = 150) -> float:
    """Share of pixels with a channel above `level`: the viewer's background and grid stay below 100, a lit model
    does not."""
    return float((rgb.max(axis=2) > level).mean())


def changed_fraction(a: np.ndarray, b: np.ndarray, tolerance: int = 40) -> float:
    return float((np.abs(a - b).max(axis=2) > tolerance).mean())


class BrowserWallet:
    """Wallets injected into every page of a context, like browser extensions: an EIP-1193 `window.ethereum` (Base)
    and, given a Solana payer, a Wallet Standard Solana wallet. Accounts answer from the page; what they sign is
    signed here, with the devnet payers' keys, and kept in `signed` / `solana_signed`."""

    def __init__(
        self, context: BrowserContext, private_key: str, chain_id: int, solana_keypair: Keypair | None = None
    ) -> None:
        self.account = Account.from_key(private_key)
        self.solana_keypair = solana_keypair
        self.signed: list[dict[str, Any]] = []
        self.solana_signed: list[VersionedTransaction] = []
        context.expose_function("forge402TestWalletSign", self.sign)
        context.expose_function("forge402TestSolanaSign", self.sign_solana)
        config: dict[str, Any] = {"address": self.account.address, "chainId": hex(chain_id)}
        if solana_keypair is not None:
            pubkey = solana_keypair.pubkey()
            config["solana"] = {"address": str(pubkey), "publicKey": list(bytes(pubkey))}
        context.add_init_script(f"window.__forge402TestWallet = {json.dumps(config)};\n{WALLET_SCRIPT}")

    def sign(self, typed_data_json: str) -> str:
        typed = json.loads(typed_data_json)
        self.signed.append(typed)
        return "0x" + bytes(self.account.sign_typed_data(full_message=typed).signature).hex()

    def sign_solana(self, wire_base64: str) -> str:
        """Sign our slot of a partially signed transaction (the fee payer's slot stays for the server)."""
        assert self.solana_keypair is not None
        unsigned = VersionedTransaction.from_bytes(base64.b64decode(wire_base64))
        message = unsigned.message
        signatures = list(unsigned.signatures)
        signatures[list(message.account_keys).index(self.solana_keypair.pubkey())] = self.solana_keypair.sign_message(
            to_bytes_versioned(message)
        )
        signed = VersionedTransaction.populate(message, signatures)
        self.solana_signed.append(signed)
        return base64.b64encode(bytes(signed)).decode()
