"""A test-only static file server with HTTP Range support (audio seeking needs it).

Used only while ``narrate serve`` is unavailable; see :func:`serve_folder`.
"""

from __future__ import annotations

import contextlib
import mimetypes
import re
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from socketserver import BaseRequestHandler

TYPES = {
    ".mp3": "audio/mpeg",
    ".vtt": "text/vtt; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
}
_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


def _handler(root: Path) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_HEAD(self) -> None:
            self._serve(body=False)

        def do_GET(self) -> None:
            self._serve(body=True)

        def _serve(self, *, body: bool) -> None:
            name = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path).lstrip("/")
            path = (root / name).resolve()
            if not path.is_relative_to(root) or not path.is_file():
                self.send_error(404)
                return
            data = path.read_bytes()
            ctype = TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "text/plain"
            start, end, status = 0, len(data) - 1, 200
            match = _RANGE.match(self.headers.get("Range", ""))
            if match and (match.group(1) or match.group(2)):
                if match.group(1):
                    start = int(match.group(1))
                    end = min(int(match.group(2) or end), len(data) - 1)
                else:
                    start = max(0, len(data) - int(match.group(2)))
                if start > end:
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{len(data)}")
                    self.end_headers()
                    return
                status = 206
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Content-Length", str(end - start + 1))
            if status == 206:
                self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
            self.end_headers()
            if body:
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data[start : end + 1])

    return Handler


@contextlib.contextmanager
def serve_folder(root: Path, handler: Callable[..., BaseRequestHandler] | None = None
                 ) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 in a thread (with ``handler``, else the test handler
    above); yield the base URL (ending in ``/``)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler or _handler(root.resolve()))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
