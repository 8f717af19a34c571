"""The service's tables on SQLite, as versioned migrations (`payments.ledger.migrations` runs them; the ledger's own
tables are the ledger's). Version 1 is the schema releases before versioned migrations created at each start,
written idempotently, so such a database passes through it unchanged; later versions add what came after (2: a job's
request id; 3: accounts, their API keys and used sign-in nonces, the credit ledger, charges and refunds)."""

from __future__ import annotations

import sqlite3

import sqlite_utils

from payments.ledger.migrations import Component


def _v1(conn: sqlite3.Connection) -> None:
    db = sqlite_utils.Database(conn)
    db["jobs"].create(
        {
            "id": str,
            "creation_id": str,
            "lane": str,  # free | paid
            "mode": str,  # text_to_3d | image_to_3d | multiview_to_3d
            "tier": str,
            "backend": str,
            "seed": int,
            "request_json": str,
            "status": str,  # queued | running | done | failed
            "step": str,  # image | mesh | finish
            "progress": int,
            "eta_seconds": int,
            "recipe": str,
            "faces": int,
            "notes_json": str,
            "error_code": str,
            "error_message": str,
            "attempts": int,
            "lease_owner": str,
            "lease_expires_at": float,
            "submitted_at": float,
            "started_at": float,
            "finished_at": float,
        },
        pk="id",
        not_null={"creation_id", "lane", "mode", "tier", "backend", "request_json", "status", "submitted_at"},
        defaults={"progress": 0, "attempts": 0, "notes_json": "[]"},
        if_not_exists=True,
    )
    db["jobs"].create_index(["status", "submitted_at"], if_not_exists=True)
    db["uploads"].create(
        {
            "id": str,  # random, >= 128 bits; also the file name under <data_dir>/uploads
            "source": str,  # slot (PUT by a client) | fetch (an image_url we downloaded)
            "content_type": str,  # image/png | image/jpeg | image/webp
            "size_bytes": int,  # declared (slot) or actual (fetch)
            "status": str,  # pending | receiving | stored | rejected
            "created_at": float,
            "slot_expires_at": float,
            "stored_at": float,
            "expires_at": float,  # the image is served and used until then
            "width": int,
            "height": int,
            "sha256": str,
        },
        pk="id",
        not_null={"source", "content_type", "size_bytes", "status", "created_at", "expires_at"},
        if_not_exists=True,
    )
    db["uploads"].create_index(["expires_at"], if_not_exists=True)
    db["rate_limits"].create(
        {"bucket": str, "window_start": int, "hits": int},
        pk=("bucket", "window_start"),
        if_not_exists=True,
    )
    # provider backends: the provider's task id per job, so a restart resumes polling instead of paying twice
    db["provider_tasks"].create(
        {"job_id": str, "backend": str, "task_id": str, "created_at": float}, pk="job_id", if_not_exists=True
    )
    # webhooks: one row per job that asked for one, and every delivery attempt
    db["webhooks"].create(
        {"job_id": str, "url": str, "base_url": str, "state": str, "owner": str, "lease_expires_at": float},
        pk="job_id",
        defaults={"state": "pending"},
        if_not_exists=True,
    )
    db["webhooks"].create_index(["state"], if_not_exists=True)
    db["webhook_deliveries"].create(
        {"id": int, "job_id": str, "event": str, "attempt": int, "at": float, "status_code": int,
         "error": str, "duration_ms": int},
        pk="id",
        if_not_exists=True,
    )  # fmt: skip
    db["webhook_deliveries"].create_index(["job_id"], if_not_exists=True)
    # retopology: what the result measured
    db["retopo_results"].create(
        {"job_id": str, "source_faces": int, "faces": int, "quads": int, "triangles": int, "quad_ratio": float,
         "watertight": int, "formats": str, "textured": int},
        pk="job_id",
        if_not_exists=True,
    )  # fmt: skip


def _v2(conn: sqlite3.Connection) -> None:
    # the request that created a job, in the log lines of its worker and engine (a database made by a release before
    # versioned migrations may have it already: that release added it at start)
    if "request_id" not in sqlite_utils.Database(conn)["jobs"].columns_dict:
        conn.execute("ALTER TABLE jobs ADD COLUMN request_id TEXT")


# accounts (wallet addresses), their API keys and used sign-in nonces; the double-entry credit ledger; who paid for
# each paid job (per call or with credits) and its refund. Plain SQL: the CHECKs and the UNIQUE keys carry the rules.
ACCOUNTS = (
    """CREATE TABLE accounts (
        address TEXT PRIMARY KEY,  -- EVM checksummed, Solana base58
        created_at REAL NOT NULL
    )""",
    """CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        address TEXT NOT NULL REFERENCES accounts (address),
        name TEXT NOT NULL,
        prefix TEXT NOT NULL,  -- the key's first characters, shown to tell keys apart
        key_hash TEXT NOT NULL UNIQUE,  -- sha256 of the key, hex: the key itself is never stored
        scopes TEXT NOT NULL,  -- comma-separated: generate, read
        spend_cap INTEGER CHECK (spend_cap IS NULL OR spend_cap >= 0),  -- credits (atomics) the key may spend
        created_at REAL NOT NULL,
        expires_at REAL,
        revoked_at REAL,
        last_used_at REAL
    )""",
    "CREATE INDEX api_keys_address ON api_keys (address, created_at)",
    """CREATE TABLE siwx_nonces (
        nonce TEXT PRIMARY KEY,  -- used once: a second sign-in with it finds it here
        address TEXT NOT NULL,
        used_at REAL NOT NULL,
        expires_at INTEGER NOT NULL  -- past it the nonce is refused as expired: the row may go
    )""",
    "CREATE INDEX siwx_nonces_expires ON siwx_nonces (expires_at)",
    """CREATE TABLE credit_txns (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('purchase', 'spend', 'refund', 'expiry', 'grant')),
        ref TEXT NOT NULL,  -- what it is for: a purchase's payment, a job, an expiry
        address TEXT NOT NULL,  -- the wallet it concerns
        amount INTEGER NOT NULL CHECK (amount > 0),
        key_id TEXT,  -- spend: the API key that spent (NULL: a session)
        memo TEXT,
        created_at REAL NOT NULL,
        UNIQUE (kind, ref)  -- one purchase per payment, one spend and one refund per job
    )""",
    "CREATE INDEX credit_txns_key ON credit_txns (key_id) WHERE key_id IS NOT NULL",
    "CREATE INDEX credit_txns_created ON credit_txns (created_at)",
    "CREATE INDEX credit_txns_address ON credit_txns (address, id)",
    """CREATE TABLE credit_entries (
        txn_id INTEGER NOT NULL REFERENCES credit_txns (id),
        account TEXT NOT NULL,  -- wallet:<address>, or the operator's: operator:issued|earned|refunded|expired
        amount INTEGER NOT NULL CHECK (amount <> 0),  -- signed; the entries of a transaction sum to zero
        PRIMARY KEY (txn_id, account)
    )""",
    "CREATE INDEX credit_entries_account ON credit_entries (account)",
    """CREATE TABLE job_charges (
        job_id TEXT PRIMARY KEY,
        address TEXT NOT NULL,  -- the payer's account
        method TEXT NOT NULL CHECK (method IN ('x402', 'credits')),
        amount INTEGER NOT NULL CHECK (amount >= 0),  -- USDC atomics paid, or credits spent
        network TEXT,  -- x402: the payment's network
        tx TEXT,  -- x402: the settlement
        key_id TEXT,  -- credits: the API key that spent them (NULL: a session)
        state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'kept', 'refunded')),
        created_at REAL NOT NULL
    )""",
    "CREATE INDEX job_charges_address ON job_charges (address, created_at, job_id)",
    "CREATE INDEX job_charges_open ON job_charges (created_at) WHERE state = 'open'",
    """CREATE TABLE refunds (
        job_id TEXT PRIMARY KEY REFERENCES job_charges (job_id),  -- one refund per job, whoever asks
        address TEXT NOT NULL,
        amount INTEGER NOT NULL CHECK (amount > 0),
        method TEXT NOT NULL CHECK (method IN ('credit', 'onchain')),
        network TEXT,  -- onchain: where the USDC goes back
        state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'credited', 'failed')),
        tx TEXT,  -- onchain: the refund's transaction (stored signed before it is sent)
        raw_tx TEXT,
        reason TEXT NOT NULL,  -- why: the job's error code, or the operator's word
        error TEXT,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    )""",
    "CREATE INDEX refunds_state ON refunds (state) WHERE state IN ('pending', 'sending')",
)


APP = Component("app", [_v1, _v2, ACCOUNTS])
