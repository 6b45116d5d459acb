"""The local HTTP server of the browser tests and benchmarks."""

from __future__ import annotations

import socket
import struct
import time
import urllib.request

from aitrade.site.server import serve


def test_a_dropped_connection_prints_no_traceback_and_the_server_goes_on(tmp_path, capfd):
    (tmp_path / "big.bin").write_bytes(b"x" * 20_000_000)
    (tmp_path / "page.html").write_text("<p>ok</p>")
    with serve(tmp_path) as base:
        host, port = base.removeprefix("http://").split(":")
        client = socket.create_connection((host, int(port)))
        client.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
        client.recv(1024)
        # Close with a reset, as a browser abandoning a download does.
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()
        time.sleep(0.5)
        assert urllib.request.urlopen(f"{base}/page.html").read() == b"<p>ok</p>"
    assert "Traceback" not in capfd.readouterr().err
