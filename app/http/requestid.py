"""The request id: `X-Request-Id` from a trusted proxy (FORGE402_TRUSTED_PROXIES) when it is plain and short, else a
new one; set for the request's log lines (`app.logs.request_id`), stored with a job it creates, and returned in the
answer's `X-Request-Id`. Pure ASGI and cheap: it runs on every request, the 402 path included."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.http.clientip import Network
from app.logs import new_request_id, request_id, valid_request_id

HEADER = b"x-request-id"


class RequestIds:
    def __init__(self, app: ASGIApp, trusted: Sequence[Network] = ()) -> None:
        self.app = app
        self.trusted = tuple(trusted)
        self._peers: dict[str, bool] = {}  # peer address → trusted (proxies are few; bounded anyway)

    def _is_trusted(self, address: str) -> bool:
        known = self._peers.get(address)
        if known is None:
            try:
                peer = ipaddress.ip_address(address)
                known = any(peer in net for net in self.trusted)
            except ValueError:
                known = False
            if len(self._peers) >= 4096:
                self._peers.clear()
            self._peers[address] = known
        return known

    def _incoming(self, scope: Scope) -> str | None:
        """The id a trusted proxy sent, if any (anyone else's is ignored: ids go into every log line)."""
        client = scope.get("client")
        if not self.trusted or not client or not self._is_trusted(client[0]):
            return None
        for name, value in scope["headers"]:
            if name == HEADER:
                text = value.decode("latin-1")
                return text if valid_request_id(text) else None
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = self._incoming(scope) or new_request_id()
        # Not reset afterwards: the server runs each request in a task of its own (a context of its own), and the
        # access log line and an unhandled error's log line come after this returns.
        request_id.set(rid)
        header = (HEADER, rid.encode())

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        await self.app(scope, receive, send_with_id)
