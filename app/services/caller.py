"""Who is asking, as the services need to know it (whatever the transport): the origin the answer's links use,
the hosts under which this server is reached, the caller's own provider key if one was sent, and its address."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Caller:
    base_url: str  # the configured public URL, or the origin the client used
    own_hosts: Collection[str] = field(default_factory=frozenset)  # "host[:port]" that are this server
    provider_key: str | None = None  # as sent (x-forge-provider-key), checked when a provider backend needs it
    address: str = ""  # the client's address, as rate limits count it
