"""Serve a built site over HTTP on the loopback interface, for browser tests and benchmarks.

``serve(folder)`` serves files as they are; ``serve(folder, compress=True)`` gzips text
responses the way a production web server does (level 6, the default of nginx and
Apache), so the page-weight benchmark measures what readers would download.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import sys
import threading
from pathlib import Path

# Types a web server compresses; images and fonts are already compressed.
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")
GZIP_LEVEL = 6


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging every request."""

    def log_message(self, format, *args):  # noqa: A002 (the standard library's name)
        pass


class GzipHandler(QuietHandler):
    """Serves files gzipped when the client accepts it and the type is compressible."""

    compressed: dict[tuple[Path, int], bytes] = {}

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        content_type = self.guess_type(str(path))
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.is_file() and content_type.startswith(COMPRESSED_TYPES)):
            return super().send_head()
        key = (path, path.stat().st_mtime_ns)
        if key not in self.compressed:
            self.compressed[key] = gzip.compress(path.read_bytes(), compresslevel=GZIP_LEVEL, mtime=0)
        body = self.compressed[key]
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class QuietServer(http.server.ThreadingHTTPServer):
    """A threading HTTP server that does not print a traceback when a browser drops a
    connection it no longer needs (a page left before all its files arrived); any other
    error is reported as usual."""

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(folder: Path, compress: bool = False):
    """Serve ``folder`` on a free loopback port; yields the base URL."""
    handler_class = GzipHandler if compress else QuietHandler
    handler = functools.partial(handler_class, directory=str(folder))
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
