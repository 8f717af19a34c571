"""PostgreSQL for the tests and benchmarks: `FORGE402_TEST_DATABASE_URL` when set, else a throwaway cluster started
from the local binaries (`initdb`, `pg_ctl`; as the `postgres` user when running as root), one per test process,
stopped at the end. Never skipped: without either, the tests that need PostgreSQL fail and say why.

Each server under test gets a database of its own, named after its data directory (as SQLite keeps one file per data
directory), created on first use from a template already migrated to the current schema, so a server starts as fast
as on SQLite and two tests never see each other's rows.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from app.devnet.processes import free_port

TEMPLATE = "forge402_template"
ENV_URL = "FORGE402_TEST_DATABASE_URL"


class PostgresMissing(RuntimeError):
    """Neither FORGE402_TEST_DATABASE_URL nor the PostgreSQL binaries (scripts/setup --test installs them)."""


def bindir() -> Path:
    """Where initdb and pg_ctl are: `pg_config --bindir`, else the newest /usr/lib/postgresql/*/bin."""
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        found = Path(
            subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
        )
        if (found / "initdb").exists():
            return found
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if not candidates:
        raise PostgresMissing(
            f"no PostgreSQL: set {ENV_URL}, or install the server binaries (scripts/setup --test does: "
            "apt-get install postgresql)"
        )
    return candidates[-1].parent


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


class Cluster:
    """A PostgreSQL server the tests may create databases on (`url` names its maintenance database)."""

    def __init__(self, url: str, stop: Any = None) -> None:
        self.url = url
        self._stop = stop
        self._made: set[str] = set()
        self._template_ready = False

    def _admin(self) -> Any:
        import psycopg

        return psycopg.connect(self.url, autocommit=True)

    def _template(self) -> None:
        """A database migrated to this release's schema, to copy (CREATE DATABASE ... TEMPLATE)."""
        if self._template_ready:
            return
        with self._admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {TEMPLATE}")
            conn.execute(f"CREATE DATABASE {TEMPLATE}")
        with ThreadPoolExecutor(1) as thread:  # its own event loop, even when called from a coroutine
            thread.submit(migrate, with_database(self.url, TEMPLATE)).result()
        self._template_ready = True

    def database(self, key: str | Path) -> str:
        """The URL of the database for `key` (a data directory, a ledger file...), created empty on first use."""
        name = "t_" + hashlib.sha256(str(key).encode()).hexdigest()[:24]
        if name not in self._made:
            self._template()
            with self._admin() as conn:
                exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
                if not exists:
                    conn.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE} STRATEGY FILE_COPY")
            self._made.add(name)
        return with_database(self.url, name)

    def fresh(self, key: str | Path) -> str:
        """A database for `key` emptied of rows (its schema kept)."""
        name = "t_" + hashlib.sha256(str(key).encode()).hexdigest()[:24]
        self._made.discard(name)
        with self._admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        return self.database(key)

    def stop(self) -> None:
        if self._stop is not None:
            self._stop()


def migrate(url: str) -> None:
    import asyncio

    from app.store.postgres import PostgresStore

    async def run() -> None:
        store = PostgresStore(url, pool_size=2)
        ledger = store.ledger()
        await store.open()
        await ledger.open()
        await ledger.close()
        await store.close()

    asyncio.run(run())


def _as_postgres() -> list[str]:
    """Run a command as the postgres user when we are root (initdb refuses root)."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def start_cluster() -> Cluster:
    """The PostgreSQL of `FORGE402_TEST_DATABASE_URL`, or a fresh throwaway cluster on a free loopback port."""
    if os.environ.get(ENV_URL):
        return Cluster(os.environ[ENV_URL])
    bin_dir = bindir()
    root = Path(tempfile.mkdtemp(prefix="forge402-pg-"))
    root.chmod(0o755)
    data = root / "data"
    data.mkdir()
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        for path in (root, data):
            os.chown(path, user.pw_uid, user.pw_gid)
    port = free_port()
    run = _as_postgres()
    subprocess.run([*run, str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                    "--no-sync"], check=True, capture_output=True)  # fmt: skip
    options = (
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=400 -c shared_buffers=64MB"
    )
    subprocess.run([*run, str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"), "-w",
                    "start"], check=True, capture_output=True)  # fmt: skip

    def stop() -> None:
        subprocess.run([*run, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, check=False)  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)

    url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    deadline = time.monotonic() + 30
    while True:
        try:
            Cluster(url)._admin().close()
            break
        except Exception:
            if time.monotonic() > deadline:
                stop()
                raise
            time.sleep(0.1)
    return Cluster(url, stop)
