"""A minimal HTTP/1.1 keep-alive client, light enough to share a core with anvil."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from tests.live import HOST


@dataclass
class HttpResponse:
    status: int
    headers: dict[str, str]
    body: bytes
    size: int = 0  # bytes on the wire: status line, headers and body


def build_post(port: int, path: str, body: bytes, extra: dict[str, str] | None = None) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: {HOST}:{port}", "Content-Type: application/json"]
    lines += [f"Content-Length: {len(body)}", "Connection: keep-alive"]
    lines += [f"{k}: {v}" for k, v in (extra or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class HttpConnection:
    """One keep-alive connection; reconnects after an error or a `Connection: close`."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def request(self, raw: bytes) -> HttpResponse:
        try:
            if self._writer is None:
                self._reader, self._writer = await asyncio.open_connection(HOST, self.port)
            self._writer.write(raw)
            response = await self._read_response()
        except BaseException:
            self.close()
            raise
        if response.headers.get("connection", "").lower() == "close":
            self.close()
        return response

    async def _read_response(self) -> HttpResponse:
        assert self._reader is not None
        raw_head = await self._reader.readuntil(b"\r\n\r\n")
        head = raw_head.decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            if name:
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self._reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = await self._read_chunked()
        else:
            body = await self._reader.read()
            self.close()
        return HttpResponse(status, headers, body, len(raw_head) + len(body))

    async def _read_chunked(self) -> bytes:
        assert self._reader is not None
        parts = []
        while size := int((await self._reader.readuntil(b"\r\n")).split(b";")[0], 16):
            parts.append(await self._reader.readexactly(size))
            await self._reader.readexactly(2)
        await self._reader.readuntil(b"\r\n")  # no trailers expected
        return b"".join(parts)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None
