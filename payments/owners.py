"""Who works on a ledger row: each gateway instance has an owner id, `host:pid:token`, and keeps a heartbeat in the
ledger while it runs. A row whose owner is gone is taken over by a peer (or by the next start) and finished there.

An owner is gone when its heartbeat ran out (on any host, `HEARTBEAT_TTL_SECONDS` after its last beat), or when it
was a process of this host that no longer runs.
"""

from __future__ import annotations

import os
import secrets
import socket

HEARTBEAT_SECONDS = 2.0  # how often a gateway renews its heartbeat
HEARTBEAT_TTL_SECONDS = 10.0  # a heartbeat this old: its owner is presumed dead (SIGKILL, a lost machine)


def new_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(6)}"


def gone_from_this_host(owner: str | None, me: str) -> bool:
    """True when `owner` was a process of this host that no longer runs."""
    if not owner or owner == me:
        return not owner
    parts = owner.split(":")
    if len(parts) != 3 or parts[0] != socket.gethostname() or not parts[1].isdigit():
        return False  # another host, or an id from before owners named their process: the heartbeat decides
    pid = int(parts[1])
    if pid == os.getpid():
        return False  # another gateway of this very process (tests run two): alive while its heartbeat is
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False  # alive (a sibling, or an unrelated process that reused the pid): the heartbeat decides
