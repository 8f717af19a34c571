"""The service's tables on SQLite, as versioned migrations (`payments.ledger.migrations` runs them; the ledger's own
tables are the ledger's). Version 1 is the schema releases before versioned migrations created at each start,
written idempotently, so such a database passes through it unchanged; later versions add what came after."""

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


APP = Component("app", [_v1, _v2])
