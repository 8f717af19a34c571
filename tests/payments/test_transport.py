"""The chain clients' HTTP transport against a small local HTTP/1.1 server that misbehaves on request: keep-alive
reuse, `Connection: close`, chunked answers, errors, silence, a cut connection, credentials and a query in the URL,
and the connection limit. (The paid tests drive it against real anvil and Solana devnets.)"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from payments.jsonrpc import JsonRpcClient, RpcUnavailable
from payments.transport import HttpTransport, TransportError


class Server:
    """Answers by path: /ok echoes, /close answers then closes, /chunked answers in chunks, /error is a 500,
    /silent never answers, /cut closes mid-answer, /slow answers after 50 ms (counting requests in flight)."""

    def __init__(self) -> None:
        self.connections = 0
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        self.in_flight = 0
        self.most_in_flight = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                line = await reader.readline()
                if not line:
                    return
                target = line.split()[1].decode()
                headers: dict[str, str] = {}
                while (header := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = header.decode().partition(":")
                    headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                self.requests.append((target, headers, body))
                if not await self.answer(target.split("?")[0], body, writer):
                    return
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            writer.close()

    async def answer(self, path: str, body: bytes, writer: asyncio.StreamWriter) -> bool:
        """Write the answer; False when the connection is to be closed."""
        ok = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
        if path in ("/ok", "/slow"):
            if path == "/slow":
                self.in_flight += 1
                self.most_in_flight = max(self.most_in_flight, self.in_flight)
                await asyncio.sleep(0.05)
                self.in_flight -= 1
            writer.write(ok % (len(body), body))
        elif path == "/close":
            writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
            await writer.drain()
            return False
        elif path == "/chunked":
            half = len(body) // 2
            writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            for part in (body[:half], body[half:]):
                writer.write(b"%x\r\n%s\r\n" % (len(part), part))
            writer.write(b"0\r\n\r\n")
        elif path == "/error":
            writer.write(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\nboom")
        elif path == "/silent":
            await asyncio.sleep(30)
        elif path == "/cut":
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"partial")
            await writer.drain()
            return False
        await writer.drain()
        return True


@asynccontextmanager
async def serving() -> AsyncIterator[tuple[Server, str]]:
    server = Server()
    listener = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    try:
        yield server, f"127.0.0.1:{port}"
    finally:
        listener.close()


def run(coro: object) -> None:
    asyncio.run(coro)  # type: ignore[arg-type]


def test_keep_alive_reuses_one_connection() -> None:
    async def main() -> None:
        async with serving() as (server, where):
            http = HttpTransport(f"http://{where}/ok")
            for i in range(5):
                assert await http.post(b'{"n":%d}' % i) == b'{"n":%d}' % i
            assert server.connections == 1
            await http.close()

    run(main())


def test_connection_close_and_chunked_answers_are_read_whole() -> None:
    async def main() -> None:
        async with serving() as (server, where):
            closing = HttpTransport(f"http://{where}/close")
            for _ in range(3):
                assert await closing.post(b'{"a":1}') == b'{"a":1}'
            assert server.connections == 3  # a fresh connection after each Connection: close
            chunked = HttpTransport(f"http://{where}/chunked")
            body = json.dumps({"result": "x" * 5000}).encode()
            assert await chunked.post(body) == body

    run(main())


def test_errors_are_transport_errors_and_the_next_request_still_works() -> None:
    async def main() -> None:
        async with serving() as (_, where):
            for path in ("/error", "/cut"):
                with pytest.raises(TransportError):
                    await HttpTransport(f"http://{where}{path}").post(b"{}")
            silent = HttpTransport(f"http://{where}/silent", timeout=0.2)
            with pytest.raises(TransportError, match="no answer within"):
                await silent.post(b"{}")
            with pytest.raises(TransportError):
                await HttpTransport("http://127.0.0.1:9/").post(b"{}")  # nothing listens on the discard port
            ok = HttpTransport(f"http://{where}/ok")
            assert await ok.post(b"{}") == b"{}"

    run(main())


def test_credentials_path_and_query_go_out_as_given() -> None:
    async def main() -> None:
        async with serving() as (server, where):
            http = HttpTransport(f"http://us%40er:p%3Ass@{where}/ok?key=abc123")
            await http.post(b"{}")
            target, headers, _ = server.requests[-1]
            assert target == "/ok?key=abc123"
            assert headers["authorization"] == "Basic " + base64.b64encode(b"us@er:p:ss").decode()
            assert headers["host"] == where
            assert headers["content-type"] == "application/json"

    run(main())


def test_the_connection_limit_holds() -> None:
    async def main() -> None:
        async with serving() as (server, where):
            http = HttpTransport(f"http://{where}/slow", max_connections=3)
            await asyncio.gather(*(http.post(b"{}") for _ in range(9)))
            assert server.most_in_flight == 3
            assert server.connections == 3

    run(main())


def test_a_cancelled_request_leaves_no_half_read_connection_behind() -> None:
    async def main() -> None:
        async with serving() as (server, where):
            slow = HttpTransport(f"http://{where}/slow")
            task = asyncio.create_task(slow.post(b"{}"))
            await asyncio.sleep(0.01)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert await slow.post(b'{"b":2}') == b'{"b":2}'  # on a new connection, not the cancelled one's answer
            assert server.connections == 2

    run(main())


def test_the_json_rpc_client_turns_transport_failures_into_rpc_unavailable() -> None:
    async def main() -> None:
        async with serving() as (_, where):
            client = JsonRpcClient(f"http://{where}/error")
            with pytest.raises(RpcUnavailable):
                await client.call("eth_chainId")
            await client.close()

    run(main())
