"""Log lines: one JSON object a line (`FORGE402_LOG_FORMAT=json`, the default; `text` for people at a terminal),
every line of a request carrying its request id, and so every line about a job, in the worker and in the engine
process, the id of the request that created it.

    {"time": "2026-11-27T12:00:00.123456+00:00", "level": "INFO", "logger": "forge402.jobs",
     "message": "job job_1f… done in 1.42 s", "request_id": "9f2c…", "job_id": "job_1f…"}

The request id is a context variable: the HTTP edge sets it per request (`app.http.requestid`), the job runner and
the engine process set it per job (it is stored with the job). uvicorn's own loggers (errors and the access log)
get the same formatter, and access lines carry `client`, `method`, `path` and `status` as fields.
"""

from __future__ import annotations

import logging
import logging.config
import random
import re
from contextvars import ContextVar
from typing import Any, Literal

from pythonjsonlogger.core import RESERVED_ATTRS

LogFormat = Literal["json", "text"]
request_id: ContextVar[str | None] = ContextVar("forge402_request_id", default=None)
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def new_request_id() -> str:
    # 64 random bits: unique enough to follow one request (not a secret), and cheap on the hot path (no syscall)
    return f"{random.getrandbits(64):016x}"


def valid_request_id(value: str) -> bool:
    """An id a trusted proxy sent is kept only if it is short and plain (it goes into every log line)."""
    return bool(_VALID_ID.match(value))


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (the current request's or job's) to every record that does not carry one."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id.get()
        return True


class AccessFields(logging.Filter):
    """uvicorn's access line as fields: its args are (client, method, path, http version, status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5:
            record.client, record.method, record.path, _, record.status = args
        return True


def log_config(level: str = "info", fmt: LogFormat = "json") -> dict[str, Any]:
    """A `logging.config.dictConfig` for a process: forge402's loggers and uvicorn's, one handler on stderr."""
    level = level.upper()
    formatters: dict[str, Any] = {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["levelname", "name", "message"],
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
            "reserved_attrs": [*RESERVED_ATTRS, "color_message"],
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}, "access": {"()": AccessFields}},
        "formatters": {fmt: formatters[fmt]},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": fmt,
                "filters": ["request_id"],
            },
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": ["stderr"], "level": level, "propagate": False, "filters": ["access"]},
        },
        "root": {"handlers": ["stderr"], "level": level},
    }


def configure(level: str = "info", fmt: LogFormat = "json") -> None:
    """Set this process's logging (a process uvicorn does not configure: an engine process, a worker)."""
    logging.config.dictConfig(log_config(level, fmt))
