"""A small TCP proxy that injects faults in front of a server the tests run (S3, PostgreSQL, anything over TCP):
stopping an in-memory server would lose its state, so the tests cut the road to it instead.

    with FaultProxy(("127.0.0.1", s3_port)) as proxy:     # clients talk to proxy.host:proxy.port
        proxy.down()        # open connections are reset, new ones are reset at once (connection refused-like)
        proxy.blackhole()   # new connections are accepted and never answered (timeouts)
        proxy.up()          # forwarding again

Plain threads and sockets: a connection is two pump threads; `down()` and `blackhole()` also cut every connection
already open, so a client's keep-alive pool cannot slip past the fault.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from typing import Literal, Self

Mode = Literal["up", "down", "blackhole"]
HOST = "127.0.0.1"
BUFFER = 64 * 1024


def _reset(sock: socket.socket) -> None:
    """Close with a TCP RST (SO_LINGER 0): the peer sees 'connection reset', not a clean end."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()


class FaultProxy:
    def __init__(self, target: tuple[str, int], name: str = "fault-proxy") -> None:
        self.target = target
        self.name = name
        self.mode: Mode = "up"
        self._listener = socket.create_server((HOST, 0))
        self.host, self.port = HOST, self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()  # every socket of a live connection (both sides), or a held one
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True, name=name)
        self.connections = 0  # accepted in all

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"

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
        with self._lock:
            self.mode = "up"
        self._cut()  # held (blackholed) connections end; clients reconnect through a working road

    def down(self) -> None:
        with self._lock:
            self.mode = "down"
        self._cut()

    def blackhole(self) -> None:
        with self._lock:
            self.mode = "blackhole"
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
                if mode == "blackhole":
                    self._open.add(client)
                    continue
            if mode == "down":
                _reset(client)
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
            for source, sink in ((client, upstream), (upstream, client)):
                args = (source, sink, pumps)
                threading.Thread(target=self._pump, args=args, daemon=True, name=self.name).start()

    def _pump(self, source: socket.socket, sink: socket.socket, pumps: list[int]) -> None:
        broken = False
        try:
            while chunk := source.recv(BUFFER):
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

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
