"""The studio in a real browser (headless Chromium, WebGL on SwiftShader) against real servers: forge from a prompt
and from a photo and see the model drawn, retopologize it, reopen it from the local history, hit the free lane's
limit, pay with a wallet in the page on the devnet, and open the paid URL as a browser does (the 402 page).
Screenshots of each step land in test-artifacts/studio/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from app.devnet.anvil import EvmDevnet
from app.devnet.litesvm import SvmDevnet, rpc
from app.studio.site import STATIC
from tests.browser import BrowserWallet, bright_fraction, browser_fixture, changed_fraction, pixels, screenshot  # noqa: F401
from tests.devnet import evm_devnet_fixture, usdc_contract, web3_for  # noqa: F401
from tests.images import clean_photo, encode
from tests.live import LiveServer
from tests.paid import PAID, decode, ledger_states, paid_env, solana_env, svm_devnet_fixture, usdc  # noqa: F401
from tests.settings import server_env

FORGE_TIMEOUT_MS = 90_000
PAYER = 2  # the devnet payers whose keys the page's test wallets sign with (Base, Solana)
expect.set_options(timeout=FORGE_TIMEOUT_MS)  # a waiting bound, not a speed assertion: jobs share 2 cores with CI


@pytest.fixture(scope="module")
def studio(
    tmp_path_factory: pytest.TempPathFactory, evm_devnet: EvmDevnet, svm_devnet: SvmDevnet
) -> Iterator[LiveServer]:
    """The service with its paid lane on both devnets (and the test settings: no rate limits): the studio's home in
    these tests. Its pages tell browser wallets the Solana devnet's RPC."""
    env = {**paid_env(evm_devnet), **solana_env(svm_devnet), **server_env(studio_solana_rpc_url=svm_devnet.rpc_url)}
    with LiveServer(tmp_path_factory.mktemp("studio"), env) as live:
        yield live


@pytest.fixture(scope="module")
def context(
    browser: Browser, evm_devnet: EvmDevnet, svm_devnet: SvmDevnet
) -> Iterator[tuple[BrowserContext, BrowserWallet]]:
    """A desktop-sized browser context whose pages carry the test wallets (Base and Solana)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    context.set_default_timeout(FORGE_TIMEOUT_MS)
    evm_key, svm_keypair = evm_devnet.payers[PAYER].private_key, svm_devnet.payers[PAYER].keypair
    wallet = BrowserWallet(context, evm_key, evm_devnet.chain_id, svm_keypair)
    try:
        yield context, wallet
    finally:
        context.close()


@pytest.fixture(scope="module")
def page(context: tuple[BrowserContext, BrowserWallet]) -> Iterator[Page]:
    """One page for the module's tests; each test opens the studio afresh in it."""
    page = context[0].new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    assert not errors, errors  # an uncaught script error, or something the CSP blocked, in the module's tests


def open_studio(page: Page, url: str, query: str = "") -> None:
    page.goto(f"{url}/{query}")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")


def forge_and_wait(page: Page, button: str = "Forge") -> None:
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_role("link", name="Download GLB")).to_be_visible()
    expect(page.locator("#message")).to_have_attribute("data-kind", "done")


def shown_job(page: Page) -> str:
    """The job the page shows (it keeps it in the address: #job=ID)."""
    return page.evaluate("decodeURIComponent(location.hash.slice('#job='.length))")


def poll(http: httpx.Client, job_id: str) -> dict:
    return http.get("/api/forge", params={"job": job_id}).json()


def balance(devnet: EvmDevnet, address: str) -> int:
    """USDC held, read synchronously (Playwright's sync API keeps an event loop running in this thread)."""
    return int(usdc_contract(devnet).functions.balanceOf(address).call())


def model_is_drawn(page: Page) -> None:
    canvas = pixels(page.locator("#canvas"))
    assert bright_fraction(canvas) > 0.01, "the viewer shows no lit model"
    assert len(set(map(tuple, canvas.reshape(-1, 3)[::7].tolist()))) > 50, "the viewer is flat"


@pytest.fixture
def http(studio: LiveServer) -> Iterator[httpx.Client]:
    with studio.client() as client:
        yield client


# ---- the page itself ------------------------------------------------------------------------------------------------


class InlineFinder(HTMLParser):
    """Collects what a strict CSP would block in a page: inline scripts, style blocks and attributes, handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self.inline.append("<script> without src")
        if tag == "style":
            self.inline.append("<style>")
        self.inline += [f"{tag} {name}=" for name in names if name == "style" or name.startswith("on")]


def inline_parts(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.inline


def test_the_page_and_its_files_carry_a_strict_csp(http: httpx.Client, svm_devnet: SvmDevnet) -> None:
    page = http.get("/", headers={"accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    # the one other origin the page may reach: the Solana RPC its wallet payments read, named in the page
    assert f"connect-src 'self' {svm_devnet.rpc_url} blob:" in csp
    assert f'<html lang="en" data-solana-rpc="{svm_devnet.rpc_url}">' in page.text
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert page.headers["x-content-type-options"] == "nosniff" and page.headers["x-frame-options"] == "DENY"
    assert inline_parts(page.text) == []
    script = http.get("/studio/studio.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert script.headers["content-security-policy"] == csp
    assert http.get("/studio/studio.css").status_code == 200
    for path in ("/studio/nothing.js", "/studio/..%2Fsite.py", "/studio/src", "/studio/.forge402-stamp"):
        answer = http.get(path)
        assert answer.status_code == 404 and answer.json()["error"], path
    assert http.get("/studio/index.html").status_code == 404  # the page is only the rendered one at /
    assert not list(STATIC.glob("*.js")), "page scripts are bundled from static/src, never served raw"


def test_the_paid_route_answers_browsers_with_the_402_page_and_clients_with_json(
    http: httpx.Client, page: Page, studio: LiveServer
) -> None:
    html = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    for answer in (http.get(PAID, headers=html), http.post(PAID, headers=html, json={"prompt": "a vase"})):
        assert answer.status_code == 402 and answer.headers["content-type"].startswith("text/html")
        assert "default-src 'none'" in answer.headers["content-security-policy"]
        assert decode(answer.headers["payment-required"])["x402Version"] == 2  # an x402 client can still pay
        assert "$0.15" in answer.text and "Base Sepolia" in answer.text and "Pay and forge" in answer.text
        assert inline_parts(answer.text) == []
    draft = http.post(PAID, headers=html, json={"prompt": "a vase", "tier": "draft"})
    assert draft.status_code == 402 and "$0.05" in draft.text
    assert http.get(PAID).status_code == 200 and "draft" in http.get(PAID).json()  # the JSON price list
    assert http.post(PAID).json()["x402Version"] == 1  # the JSON 402

    response = page.goto(studio.url + PAID)
    assert response is not None and response.status == 402
    expect(page.get_by_role("heading", name="Payment required")).to_be_visible()
    expect(page.get_by_text("Base Sepolia").first).to_be_visible()
    screenshot(page, "01-paywall")
    page.get_by_role("link", name="the studio").click()
    expect(page.locator("body")).to_have_attribute("data-ready", "true")


# ---- forging, viewing, retopology, history --------------------------------------------------------------------------


def test_forge_from_a_prompt_shows_the_model_in_the_viewer(page: Page, studio: LiveServer, http: httpx.Client) -> None:
    open_studio(page, studio.url)
    expect(page.get_by_label("Tier")).to_contain_text("$0.05")  # filled from the catalog, with prices
    page.get_by_label("Describe the object").fill("a white porcelain teapot")
    page.get_by_label("Tier").select_option("draft")
    page.get_by_label("Seed").fill("7")
    forge_and_wait(page)

    job = poll(http, shown_job(page))
    assert job["status"] == "done" and job["tier"] == "draft" and job["seed"] == 7 and job["mode"] == "text_to_3d"
    expect(page.locator("#face-count")).to_have_text(f"{job['faces']:,} faces")
    model_is_drawn(page)
    glb = page.get_by_role("link", name="Download GLB")
    assert glb.get_attribute("download") == f"forge402-{job['job_id']}.glb"
    assert http.get(glb.get_attribute("href") or "").content[:4] == b"glTF"
    expect(page.get_by_role("link", name="Download OBJ")).to_be_hidden()  # a text job has no OBJ
    expect(page.get_by_role("img", name="Thumbnail of a white porcelain teapot")).to_be_visible()
    screenshot(page, "02-prompt-forged", readme=True)

    canvas = page.locator("#canvas")
    for keys in ("Shift+ArrowLeft", "+"):  # orbit and zoom from the keyboard
        before = pixels(canvas)
        canvas.press(keys)
        assert changed_fraction(before, pixels(canvas)) > 0.005, f"{keys} on the viewer changed nothing"

    before = pixels(canvas)
    page.get_by_label("Wireframe").check()
    assert changed_fraction(before, pixels(canvas)) > 0.005, "the wireframe toggle changed nothing"
    page.get_by_label("Lighting").select_option("dramatic")
    screenshot(page, "03-wireframe-dramatic")
    page.get_by_label("Wireframe").uncheck()
    page.get_by_label("Lighting").select_option("studio")


def test_retopology_from_the_viewer_adds_the_quad_obj(page: Page, studio: LiveServer, http: httpx.Client) -> None:
    open_studio(page, studio.url)
    page.get_by_label("Describe the object").fill("a white ceramic vase")
    page.get_by_label("Tier").select_option("draft")
    forge_and_wait(page)
    source = poll(http, shown_job(page))

    slider = page.get_by_label(re.compile("^Face limit"))
    assert slider.get_attribute("max") == str(source["faces"])
    limit = source["faces"] * 2 // 3  # below the source, and not the slider's default (half of it)
    assert limit >= int(slider.get_attribute("min") or 0), source["faces"]
    slider.evaluate("(el, v) => { el.value = v; el.dispatchEvent(new Event('input', { bubbles: true })); }", str(limit))
    expect(page.locator("#face-limit-value")).to_have_text(f"{limit:,}")
    page.get_by_label("Quads (adds an OBJ)").check()
    page.get_by_role("button", name="Retopologize").click()
    expect(page.get_by_role("link", name="Download OBJ")).to_be_visible()

    job = poll(http, shown_job(page))
    assert job["job_id"] != source["job_id"] and job["mode"] == "retopo" and job["status"] == "done"
    assert job["retopo"]["source_faces"] == source["faces"] and 0 < job["retopo"]["faces"] <= limit * 105 // 100
    obj_link = page.get_by_role("link", name="Download OBJ").get_attribute("href") or ""
    assert obj_link.split("?")[0] == job["obj_url"].split("?")[0]  # the same file (each poll signs afresh)
    assert "\nv " in http.get(obj_link).text  # an OBJ's vertex lines
    model_is_drawn(page)
    screenshot(page, "04-retopology")


def test_recent_jobs_are_kept_in_the_browser_and_reopen(page: Page, studio: LiveServer) -> None:
    prompt = "a small white porcelain milk jug with a curved handle, a pinched spout and a thin gold rim, glossy glaze"
    open_studio(page, studio.url)
    page.get_by_label("Describe the object").fill(prompt)
    page.get_by_label("Tier").select_option("draft")
    forge_and_wait(page)
    job_id = shown_job(page)

    open_studio(page, studio.url, "?fresh")  # a new load: only localStorage remembers
    expect(page.locator("#result")).to_be_hidden()
    item = page.locator(f'#history .history-item[data-job="{job_id}"]')
    expect(item).to_contain_text(prompt)
    expect(item).to_contain_text("done")
    overflowing = page.evaluate("[...document.querySelectorAll('.panel')].filter(p => p.scrollWidth > p.clientWidth)")
    assert overflowing == [], "a long job title spills out of its panel"
    item.click()
    expect(page.get_by_role("link", name="Download GLB")).to_be_visible()
    expect(page.locator("#result-title")).to_have_text(prompt)
    expect(item).to_have_attribute("aria-current", "true")
    assert shown_job(page) == job_id
    model_is_drawn(page)


def test_a_dropped_photo_becomes_a_model(page: Page, studio: LiveServer, http: httpx.Client, tmp_path: Path) -> None:
    open_studio(page, studio.url)
    photo = tmp_path / "mug.png"
    photo.write_bytes(encode(clean_photo()))
    page.locator("#photos").set_input_files(str(photo))
    expect(page.get_by_role("img", name="Photo 1 (front): mug.png")).to_be_visible()
    expect(page.locator("#photo-list")).to_contain_text("1 · front")
    page.get_by_label("Tier").select_option("draft")
    screenshot(page, "05-photo-dropped")
    forge_and_wait(page)

    job = poll(http, shown_job(page))
    assert job["mode"] == "image_to_3d" and job["status"] == "done" and job["recipe"] == "inflate"
    expect(page.locator("#result-meta")).to_contain_text("Photo → 3D")
    model_is_drawn(page)
    screenshot(page, "06-photo-forged")


def test_the_studio_fits_a_phone_and_labels_every_control(browser: Browser, studio: LiveServer) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        phone = context.new_page()
        open_studio(phone, studio.url)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways on a phone"
        unlabelled = phone.evaluate(
            """[...document.querySelectorAll('input, select, textarea, button')]
                 .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                                 && !el.textContent.trim())
                 .map((el) => el.id || el.outerHTML)"""
        )
        assert unlabelled == []
        screenshot(phone, "07-phone")
    finally:
        context.close()


# ---- the free lane's limit ------------------------------------------------------------------------------------------


def test_the_free_limit_shows_the_wait(page: Page, tmp_path_factory: pytest.TempPathFactory) -> None:
    # one generation per hour-long window: the second is refused whatever the clock says
    env = server_env(rate_limit_generate=1, rate_limit_window_seconds=3600)
    with LiveServer(tmp_path_factory.mktemp("studio-limited"), env) as limited:
        open_studio(page, limited.url)
        page.get_by_label("Describe the object").fill("a small clay pot")
        page.get_by_label("Tier").select_option("draft")
        forge_and_wait(page)
        page.get_by_role("button", name="Forge", exact=True).click()
        message = page.locator("#message")
        expect(message).to_have_attribute("data-kind", "limit")
        found = re.search(r"try again in (\d+) s", message.inner_text())
        assert found, message.inner_text()
        with limited.client() as http:
            refused = http.post("/api/forge", json={"prompt": "a small clay pot", "tier": "draft"})
        assert refused.status_code == 429
        assert 0 <= int(refused.headers["retry-after"]) <= int(found.group(1)) <= 3600
        screenshot(page, "08-free-limit")


# ---- paying with a wallet in the page -------------------------------------------------------------------------------


def pay_in_the_studio(page: Page, url: str, wallet: str, prompt: str, network: str) -> str:
    """Pay and forge a draft of `prompt` with the wallet labelled `wallet`; answers the transaction the page shows
    once the model is drawn."""
    open_studio(page, url)
    page.get_by_label("Pay with").select_option(label=wallet)
    page.get_by_label("Describe the object").fill(prompt)
    page.get_by_label("Tier").select_option("draft")
    forge_and_wait(page, "Pay and forge")
    expect(page.locator("#payment")).to_contain_text("$0.05 USDC")
    expect(page.locator("#payment-network")).to_have_text(network)
    expect(page.locator("#history .history-item").first).to_contain_text("paid")
    model_is_drawn(page)
    return page.locator("#payment-tx").inner_text()


def test_pay_and_forge_with_a_browser_wallet_moves_the_price_once(
    page: Page,
    context: tuple[BrowserContext, BrowserWallet],
    studio: LiveServer,
    http: httpx.Client,
    evm_devnet: EvmDevnet,
) -> None:
    wallet = context[1]
    payer = evm_devnet.payers[PAYER].address
    before = (balance(evm_devnet, evm_devnet.pay_to), balance(evm_devnet, payer), len(ledger_states(studio.data_dir)))
    tx = pay_in_the_studio(page, studio.url, "Browser wallet · Base (EIP-1193)", "a golden trophy cup", "Base Sepolia")
    assert re.fullmatch(r"0x[0-9a-f]{64}", tx), tx
    screenshot(page, "09-paid-base")

    receipt = web3_for(evm_devnet).eth.get_transaction_receipt(tx)
    assert receipt["status"] == 1
    assert len(wallet.signed) == 1 and wallet.signed[0]["primaryType"] == "TransferWithAuthorization"
    assert balance(evm_devnet, evm_devnet.pay_to) - before[0] == 50_000
    assert before[1] - balance(evm_devnet, payer) == 50_000
    assert ledger_states(studio.data_dir)[before[2] :] == ["job_created"]  # one payment, one job
    job = poll(http, shown_job(page))
    assert job["status"] == "done" and job["tier"] == "draft"


def test_pay_and_forge_with_a_solana_wallet_moves_the_price_once(
    page: Page,
    context: tuple[BrowserContext, BrowserWallet],
    studio: LiveServer,
    http: httpx.Client,
    svm_devnet: SvmDevnet,
) -> None:
    wallet = context[1]
    payer = svm_devnet.payers[PAYER].address
    before = (usdc(svm_devnet, svm_devnet.pay_to), usdc(svm_devnet, payer), len(ledger_states(studio.data_dir)))
    wallet_label = "Test Solana wallet · Solana"
    signature = pay_in_the_studio(page, studio.url, wallet_label, "a silver chess knight", "Solana Devnet")
    screenshot(page, "10-paid-solana")
    landed = rpc(svm_devnet.rpc_url, "getTransaction", signature, {"maxSupportedTransactionVersion": 0})
    assert landed["meta"]["err"] is None
    assert len(wallet.solana_signed) == 1  # the wallet signed once, and that signature is on the landed transaction
    assert str(wallet.solana_signed[0].signatures[1]) in landed["transaction"]["signatures"]
    assert usdc(svm_devnet, svm_devnet.pay_to) - before[0] == 50_000
    assert before[1] - usdc(svm_devnet, payer) == 50_000
    assert ledger_states(studio.data_dir)[before[2] :] == ["job_created"]
    assert poll(http, shown_job(page))["status"] == "done"
