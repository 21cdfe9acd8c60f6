"""``narrate serve``: the output folder over HTTP, as a static host would serve it.

Built on Werkzeug (a WSGI application and its threaded server): ``send_file`` answers
``Range`` requests with 206 and exactly those bytes (416 when the range cannot be
satisfied), conditional requests with 304, and ``HEAD`` without a body. Players need
ranges to seek, which Python's ``http.server`` does not offer.

Only regular files inside the folder are served. The request path (percent-decoded once,
as every server does) is split at ``/``; a segment that is empty, ``.``, ``..``, starts with
a dot (temporary files, ``.git``), or holds a backslash, a colon or a NUL is refused, and the
resolved file (symbolic links followed) must still be inside the folder. A double-encoded
``%252e%252e`` decodes to the literal name ``%2e%2e``, which is just a file that is not there.

Loopback (127.0.0.1) by default: serving to the network is a choice made with ``--host``.
"""

from __future__ import annotations

import html
import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from werkzeug.exceptions import HTTPException
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.utils import send_file
from werkzeug.wrappers import Request, Response

from narrate.errors import PublishError

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

#: Types by suffix (the longest matching suffix wins); text types say UTF-8.
MIME_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".vtt": "text/vtt; charset=utf-8",
    ".chapters.json": "application/json+chapters; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}
#: The feed is RSS; other XML files are plain XML.
FEED_TYPE = "application/rss+xml; charset=utf-8"
FALLBACK_TYPE = "application/octet-stream"
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
#: Sidecars that players and the embed page fetch from another origin.
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": ALLOWED_METHODS,
    "Access-Control-Allow-Headers": "Range",
    "Access-Control-Expose-Headers": "Content-Length, Content-Range, Accept-Ranges",
}
_BAD_IN_SEGMENT = ("\\", ":", "\x00")


def mime_type(name: str) -> str:
    """The Content-Type for a file called ``name``."""
    lower = name.lower()
    if lower == "feed.xml" or lower.endswith((".rss", "/feed.xml")):
        return FEED_TYPE
    for suffix in sorted(MIME_TYPES, key=len, reverse=True):
        if lower.endswith(suffix):
            return MIME_TYPES[suffix]
    return FALLBACK_TYPE


def resolve_request_path(root: Path, url_path: str) -> Path | None:
    """The file ``url_path`` (already percent-decoded) names inside ``root``, or None."""
    segments = url_path.split("/")[1:] if url_path.startswith("/") else url_path.split("/")
    if segments and segments[-1] == "":
        segments[-1] = "index.html"
    for segment in segments:
        if segment in ("", ".", "..") or segment.startswith("."):
            return None
        if any(bad in segment for bad in _BAD_IN_SEGMENT):
            return None
    base = root.resolve()
    target = base.joinpath(*segments).resolve()
    if not target.is_relative_to(base) or target == base or not target.is_file():
        return None
    return target


def _listing(root: Path) -> str:
    """A plain page listing the folder's files (shown when there is no index.html)."""
    names = sorted(p.name for p in root.iterdir() if p.is_file() and not p.name.startswith("."))
    rows = "\n".join(
        f'<li><a href="{html.escape(quote(n))}">{html.escape(n)}</a></li>' for n in names
    )
    title = html.escape(root.name or str(root))
    return (
        f'<!doctype html>\n<html lang="hi"><meta charset="utf-8"><title>{title}</title>\n'
        f"<h1>{title}</h1>\n<ul>\n{rows}\n</ul>\n</html>\n"
    )


class FolderApp:
    """A WSGI application serving the files of ``root``."""

    def __init__(self, root: Path) -> None:
        if not root.is_dir():
            raise PublishError(f"{root} is not a folder. Probable cause: nothing built yet")
        self.root = root.resolve()

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        request = Request(environ)
        try:
            response = self.respond(request)
        except HTTPException as e:  # 416 for an unsatisfiable range, 400 for a bad request
            error = e.get_response(environ)
            error.headers.update(CORS_HEADERS)
            return error(environ, start_response)
        return response(environ, start_response)

    def respond(self, request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status=204, headers={**CORS_HEADERS, "Allow": ALLOWED_METHODS})
        if request.method not in ("GET", "HEAD"):
            return Response("method not allowed\n", status=405, headers={"Allow": ALLOWED_METHODS},
                            content_type="text/plain; charset=utf-8")
        path = resolve_request_path(self.root, request.path)
        if path is None:
            if request.path == "/":
                return Response(_listing(self.root), content_type="text/html; charset=utf-8")
            return Response("not found\n", status=404, content_type="text/plain; charset=utf-8")
        response = send_file(
            path,
            request.environ,
            mimetype=mime_type(path.name),
            conditional=True,
            etag=True,
            max_age=None,
        )
        response.headers["Content-Type"] = mime_type(path.name)  # werkzeug adds a charset too
        response.headers.update(CORS_HEADERS)
        response.headers["Cache-Control"] = "no-cache"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def make_folder_server(
    root: Path, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT
) -> BaseWSGIServer:
    """A threaded server for ``root`` bound to ``host:port`` (port 0 picks a free one)."""
    app = FolderApp(root)
    try:
        server: BaseWSGIServer = make_server(host, port, app, threaded=True)
    except OSError as e:
        raise PublishError(
            f"cannot listen on {host}:{port} ({e.strerror or e}). "
            "Probable cause: the port is in use; pick another with --port"
        ) from e
    return server


def server_url(server: BaseWSGIServer) -> str:
    host = server.host
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{server.port}/"


@contextmanager
def running(root: Path, *, host: str = DEFAULT_HOST, port: int = 0) -> Iterator[str]:
    """Serve ``root`` in a background thread for the duration of the block; yield its URL."""
    server = make_folder_server(root, host=host, port=port)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="narrate-serve",
        daemon=True,
    )
    thread.start()
    try:
        yield server_url(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def serve_forever(server: BaseWSGIServer) -> None:
    """Serve until interrupted (Ctrl-C raises KeyboardInterrupt in the caller)."""
    try:
        server.serve_forever()
    finally:
        server.server_close()

