"""A small local HTTP server for fetch tests: a photo, redirects (to private addresses, in loops), a 50 MB answer
(declared and streamed), and a path that never answers."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.images import blurred_photo, clean_photo, encode

FIFTY_MB = 50 * 1024 * 1024


class FetchServer:
    def __init__(self) -> None:
        self.photo = encode(clean_photo())
        self.blurry = encode(blurred_photo())
        self.hosts_seen: list[str] = []
        self.stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server.hosts_seen.append(self.headers.get("host", ""))
                route = {
                    "/photo.png": self.photo,
                    "/blurry.png": lambda: self.send(server.blurry, "image/png"),
                    "/redirect-private": lambda: self.redirect("http://10.0.0.1/photo.png"),
                    "/redirect-metadata": lambda: self.redirect("http://169.254.169.254/latest/meta-data/"),
                    "/redirect-localhost": lambda: self.redirect(
                        f"http://localhost:{self.server.server_port}/photo.png"
                    ),
                    "/redirect-loop": lambda: self.redirect("/redirect-loop"),
                    "/redirect-photo": lambda: self.redirect("/photo.png"),
                    "/huge": self.huge_declared,
                    "/huge-stream": self.huge_streamed,
                    "/hang": self.hang,
                    "/text": lambda: self.send(b"just some text, not an image", "text/plain"),
                }.get(self.path)
                if route is None:
                    self.send(b"not found", "text/plain", 404)
                else:
                    route()

            def photo(self) -> None:
                self.send(server.photo, "image/png")

            def send(self, body: bytes, ctype: str, status: int = 200) -> None:
                self.send_response(status)
                self.send_header("content-type", ctype)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def redirect(self, location: str) -> None:
                self.send_response(302)
                self.send_header("location", location)
                self.send_header("content-length", "0")
                self.end_headers()

            def huge_declared(self) -> None:
                self.send_response(200)
                self.send_header("content-type", "image/png")
                self.send_header("content-length", str(FIFTY_MB))
                self.end_headers()
                self.write_zeros()

            def huge_streamed(self) -> None:  # no Content-Length: only counting the stream catches it
                self.send_response(200)
                self.send_header("content-type", "image/png")
                self.send_header("connection", "close")
                self.end_headers()
                self.write_zeros()

            def write_zeros(self) -> None:
                chunk = b"\0" * 65536
                try:
                    for _ in range(FIFTY_MB // len(chunk)):
                        if server.stop.is_set():
                            return
                        self.wfile.write(chunk)
                except OSError:
                    pass  # the client hung up, as it should

            def hang(self) -> None:
                server.stop.wait(30)  # never answers while the test runs

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> FetchServer:
        self.thread.start()
        return self

    def close(self) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        time.sleep(0.05)


@contextmanager
def fetch_server() -> Iterator[FetchServer]:
    server = FetchServer().start()
    try:
        yield server
    finally:
        server.close()
