"""`forge402 payments`: the operator's books, read from the service's database (run it beside the service, on the
same data directory): `list`, `show`, `export` (CSV), `revenue` (per day and network), `refunds`, `credits`
(totals and what wallets hold), `reconcile` (the ledgers agree; `--fix` closes and refunds what the refund keeper
has not reached yet), `grant` (credits to a wallet) and `refund` (make good a failed paid job, once)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from app.cli.exits import EXIT_FAILED, EXIT_INPUT, settings_or_exit
from app.config import Settings, format_usdc
from app.errors import ForgeError
from app.services import books
from app.store import open_store
from app.store.seam import Store
from app.wallets import account_of

T = TypeVar("T")

data_dir_option = click.option(
    "--data-dir", type=click.Path(file_okay=False, path_type=Path), help="Overrides FORGE402_DATA_DIR."
)


def _run(data_dir: Path | None, work: Callable[[Settings, Store], Awaitable[T]]) -> T:
    """`work(settings, store)` on the service's store (SQLite in the data directory, or FORGE402_DATABASE_URL); a
    refusal is one line and exit code 2."""
    settings = settings_or_exit(data_dir)

    async def go() -> T:
        store = open_store(settings.database, settings.data_dir)
        await store.open()  # migrated like any node: the books of a service that never ran are empty
        try:
            return await work(settings, store)
        finally:
            await store.close()

    try:
        return asyncio.run(go())
    except ForgeError as exc:
        click.echo(f"forge402: {exc.code}: {exc.message}", err=True)
        sys.exit(EXIT_INPUT)


def _filters(since: str | None, until: str | None, network: str | None, payer: str | None, state: str | None,
             ) -> Callable[[], books.Filters]:  # fmt: skip
    return functools.partial(books.filters, since, until, network, payer, state)


def filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed([
        click.option("--since", help="From this date or RFC 3339 time (UTC), inclusive."),
        click.option("--until", help="Until this date or time, exclusive."),
        click.option("--network", help="CAIP-2 network, e.g. eip155:8453."),
        click.option("--payer", help="The paying wallet."),
        click.option("--state", type=click.Choice(books.STATES), help="The payment's state."),
    ]):  # fmt: skip
        command = option(command)
    return command


@contextlib.asynccontextmanager
async def refund_keeper(settings: Settings, store: Store) -> AsyncIterator[Any]:
    """The service's refund keeper on `store`, with the refund wallets (and, for them, the payment ledger)."""
    from app.paid.refund_sender import build_refund_sender
    from app.services.refunds import Refunds

    ledger = store.ledger() if settings.refund_mode == "onchain" else None
    if ledger is not None:
        await ledger.open()
    keeper = Refunds(store, settings, build_refund_sender(settings, ledger))
    try:
        yield keeper
    finally:
        await keeper.stop()
        if ledger is not None:
            await ledger.close()


def _usd(atomics: int | None) -> str:
    return "" if atomics is None else format_usdc(atomics)


@click.group()
def payments() -> None:
    """The operator's books: payments, revenue, refunds, credits."""


@payments.command("list")
@filter_options
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@data_dir_option
def list_payments(since: str | None, until: str | None, network: str | None, payer: str | None, state: str | None,
                  limit: int, as_json: bool, data_dir: Path | None) -> None:  # fmt: skip
    """Payments, newest first, with their refunds."""
    make = _filters(since, until, network, payer, state)
    rows = _run(data_dir, lambda settings, store: books.payments(store, make(), limit))
    for row in rows:
        if as_json:
            click.echo(json.dumps(row))
            continue
        refund = f"  refund {row['refund_method']} {row['refund_state']}" if row["refund_state"] else ""
        click.echo(f"{row['created_at']}  {row['network']:<40}  {_usd(row['amount']):>10}  {row['state']:<11}  "
                   f"{row['product']:<22}  {row['payer']}  {row['job_id']}{refund}")  # fmt: skip


@payments.command()
@click.argument("ref")
@data_dir_option
def show(ref: str, data_dir: Path | None) -> None:
    """One payment (by ledger key, job or purchase id, transaction or payment-identifier), as JSON."""
    click.echo(json.dumps(_run(data_dir, lambda settings, store: books.payment(store, ref)), indent=2))


@payments.command()
@filter_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not stdout.")
@data_dir_option
def export(since: str | None, until: str | None, network: str | None, payer: str | None, state: str | None,
           output: Path | None, data_dir: Path | None) -> None:  # fmt: skip
    """Payments as CSV (every one that matches)."""
    make = _filters(since, until, network, payer, state)
    text = books.to_csv(_run(data_dir, lambda settings, store: books.payments(store, make(), 10_000_000)))
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text)
        click.echo(f"{text.count(chr(10)) - 1} payments written to {output}", err=True)


@payments.command()
@click.option("--since")
@click.option("--until")
@data_dir_option
def revenue(since: str | None, until: str | None, data_dir: Path | None) -> None:
    """Revenue per UTC day and network: payments settled, refunds, net (USDC)."""
    make = _filters(since, until, None, None, None)
    days = _run(data_dir, lambda settings, store: books.revenue(store, make()))
    click.echo(f"{'day':<10}  {'network':<40}  {'payments':>8}  {'gross':>10}  {'refunds':>7}  {'refunded':>10}  net")
    for d in days:
        click.echo(f"{d['day']:<10}  {d['network']:<40}  {d['payments']:>8}  {_usd(d['gross']):>10}  "
                   f"{d['refunds']:>7}  {_usd(d['refunded']):>10}  {_usd(d['net'])}")  # fmt: skip


@payments.command("refunds")
@click.option("--state", type=click.Choice(["pending", "sending", "sent", "credited", "failed"]))
@data_dir_option
def list_refunds(state: str | None, data_dir: Path | None) -> None:
    """Refunds, newest first."""
    for row in _run(data_dir, lambda settings, store: books.refunds(store, state, 10_000)):
        where = row["tx"] or ""
        click.echo(f"{row['created_at']}  {row['job_id']}  {row['method']:<8}  {row['state']:<8}  "
                   f"{_usd(row['amount']):>10}  {row['address']}  {row['reason']}  {where}")  # fmt: skip


@payments.command("credits")
@data_dir_option
def credit_totals(data_dir: Path | None) -> None:
    """Credits bought, granted, spent, refunded, expired, and outstanding (what wallets hold), in USDC."""
    for kind, atomics in _run(data_dir, lambda settings, store: books.credit_totals(store)).items():
        click.echo(f"{kind:<12} {_usd(atomics):>14}")


@payments.command()
@click.option("--fix", is_flag=True, help="Close and refund what the refund keeper has not reached yet.")
@data_dir_option
def reconcile(fix: bool, data_dir: Path | None) -> None:
    """Check that the payment ledger, the charges and the credit ledger agree; exit 1 when they do not."""

    async def check(settings: Settings, store: Store) -> list[str]:
        if fix:
            async with refund_keeper(settings, store) as keeper:
                opened = await keeper.sweep()
            click.echo(f"{opened} refunds made", err=True)
        return await books.problems(store)

    problems = _run(data_dir, check)
    for problem in problems:
        click.echo(problem)
    click.echo("the books agree" if not problems else f"{len(problems)} problems", err=True)
    sys.exit(EXIT_FAILED if problems else 0)


@payments.command()
@click.argument("address")
@click.argument("amount", type=click.IntRange(1))
@click.option("--memo", default="granted by the operator", show_default=True)
@data_dir_option
def grant(address: str, amount: int, memo: str, data_dir: Path | None) -> None:
    """Give a wallet AMOUNT credits (USDC atomics)."""
    try:
        account = account_of(address)
    except ValueError:
        click.echo("forge402: ADDRESS is neither an EVM nor a Solana address", err=True)
        sys.exit(EXIT_INPUT)

    async def give(settings: Settings, store: Store) -> int:
        await store.credits.post("grant", f"grant:{time.time_ns()}", account, amount, memo=memo)
        return await store.credits.balance(account)

    click.echo(f"{account} now holds {format_usdc(_run(data_dir, give))} USDC of credits")


@payments.command()
@click.argument("job_id")
@click.option("--method", type=click.Choice(["credit", "onchain"]), help="Default: FORGE402_REFUND_MODE.")
@click.option("--reason", default="operator", show_default=True)
@data_dir_option
def refund(job_id: str, method: str | None, reason: str, data_dir: Path | None) -> None:
    """Make good a paid job that failed (once: asking again shows the same refund)."""

    async def make_good(settings: Settings, store: Store) -> dict[str, Any]:
        async with refund_keeper(settings, store) as keeper:
            return await keeper.make_good(job_id, reason, method)

    made = _run(data_dir, make_good)
    made.pop("raw_tx", None)
    click.echo(json.dumps(made, indent=2))
