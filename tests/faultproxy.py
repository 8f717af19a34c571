"""A small TCP proxy that injects faults in front of a server the tests run (S3, a chain's RPC node, a provider's API,
anything over TCP): stopping an in-memory server would lose its state, so the tests cut the road to it instead.

    with FaultProxy(("127.0.0.1", s3_port)) as proxy:     # clients talk to proxy.host:proxy.port
        proxy.down()        # open connections are reset, new ones are reset at once (connection refused-like)
        proxy.blackhole()   # new connections are accepted and never answered (timeouts)
        proxy.slow(5)       # forwarding, each answer held back 5 s (a node under load)
        proxy.garbage()     # every request answered at once, 200, with a body that is not what was asked
        proxy.up()          # forwarding again

    FaultProxy("http://127.0.0.1:8545")   # or an HTTP URL: `proxy.url` is the same URL through the proxy (path kept)

Plain threads and sockets: a connection is two pump threads; every change of mode also cuts every connection already
open, so a client's keep-alive pool cannot slip past the fault (nor stay faulty once it ends).
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from typing import Literal, Self
from urllib.parse import urlsplit

Mode = Literal["up", "down", "blackhole", "slow", "garbage"]
HOST = "127.0.0.1"
BUFFER = 64 * 1024
MAX_HEAD = 64 * 1024
GARBAGE = b"<html><body>502 Bad Gateway (nginx)</body></html>"


def _reset(sock: socket.socket) -> None:
    """Close with a TCP RST (SO_LINGER 0): the peer sees 'connection reset', not a clean end. The shutdown first wakes
    a pump blocked in recv() on it in another thread (a close alone does not, and the connection would live on)."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()


class FaultProxy:
    def __init__(self, target: tuple[str, int] | str, name: str = "fault-proxy") -> None:
        path = ""
        if isinstance(target, str):  # an HTTP URL: its host and port, and its path for `url`
            parts = urlsplit(target)
            assert parts.hostname and parts.port, target
            target, path = (parts.hostname, parts.port), parts.path.rstrip("/")
        self.target = target
        self.name = name
        self.mode: Mode = "up"
        self.delay = 5.0  # seconds each answer waits in `slow`
        self.garbage_body = GARBAGE
        self.delayed = 0  # answers held back by `slow`, in all
        self.connections = 0  # accepted in all
        self._path = path
        self._listener = socket.create_server((HOST, 0))
        self.host, self.port = HOST, self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()  # every socket of a live connection (both sides), or a held one
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True, name=name)

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}{self._path}"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._closed.set()
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() in progress (close alone does not)
        with contextlib.suppress(OSError):
            self._listener.close()
        self._cut()
        self._thread.join(5)

    def up(self) -> None:
        self._switch("up")  # held (blackholed) connections end; clients reconnect through a working road

    def down(self) -> None:
        self._switch("down")

    def blackhole(self) -> None:
        self._switch("blackhole")

    def slow(self, delay: float = 5.0) -> None:
        self.delay = delay
        self._switch("slow")

    def garbage(self, body: bytes = GARBAGE) -> None:
        self.garbage_body = body
        self._switch("garbage")

    def _switch(self, mode: Mode) -> None:
        with self._lock:
            self.mode = mode
        self._cut()

    def _cut(self) -> None:
        with self._lock:
            sockets, self._open = self._open, set()
        for sock in sockets:
            _reset(sock)

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            with self._lock:
                mode = self.mode
                if mode in ("blackhole", "garbage"):
                    self._open.add(client)
            if mode == "blackhole":
                continue
            if mode == "down":
                _reset(client)
                continue
            if mode == "garbage":
                threading.Thread(target=self._answer_garbage, args=(client,), daemon=True, name=self.name).start()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                _reset(client)
                continue
            with self._lock:
                self._open.update((client, upstream))
            pumps = [2]  # pumps still running on this connection
            turn = {"answered": True}  # the upstream answered since the client last sent (its next chunk is not one)
            for source, sink, outbound in ((client, upstream, True), (upstream, client, False)):
                args = (source, sink, pumps, turn, outbound)
                threading.Thread(target=self._pump, args=args, daemon=True, name=self.name).start()

    def _pump(
        self, source: socket.socket, sink: socket.socket, pumps: list[int], turn: dict[str, bool], outbound: bool
    ) -> None:
        broken = False
        try:
            while chunk := source.recv(BUFFER):
                # `slow` holds back the answer (its first chunk), not the request: the upstream's connection stays
                # busy meanwhile, so its own idle timeout cannot close it under a request on its way
                if not outbound and not turn["answered"] and self.mode == "slow":
                    self.delayed += 1
                    time.sleep(self.delay)
                turn["answered"] = not outbound
                sink.sendall(chunk)
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)  # a clean end travels on as a clean end
        except OSError:
            broken = True
        with self._lock:
            pumps[0] -= 1
            if not broken and pumps[0] > 0:
                return  # the other direction is still talking
            self._open.discard(source)
            self._open.discard(sink)
        if broken:  # one side broke: end the whole connection abruptly
            _reset(source)
            _reset(sink)
        else:
            source.close()
            sink.close()

    def _answer_garbage(self, client: socket.socket) -> None:
        """Read one HTTP request (a Content-Length body, as JSON-RPC and API clients send) and answer it 200 with
        `garbage_body`, then close: the client's next request opens a new connection and gets the same."""
        with contextlib.suppress(OSError, ValueError):
            with client.makefile("rb") as reader:
                head = b""
                while not head.endswith(b"\r\n\r\n") and len(head) < MAX_HEAD:
                    line = reader.readline(MAX_HEAD)
                    if not line:
                        return
                    head += line
                length = 0
                for line in head.decode("latin-1").split("\r\n")[1:]:
                    key, _, value = line.partition(":")
                    if key.strip().lower() == "content-length":
                        length = int(value.strip() or 0)
                reader.read(length)
            body = self.garbage_body
            head = f"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {len(body)}\r\n"
            client.sendall(head.encode() + b"connection: close\r\n\r\n" + body)
        with self._lock:
            self._open.discard(client)
        with contextlib.suppress(OSError):
            client.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
