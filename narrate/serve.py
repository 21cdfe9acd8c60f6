"""``narrate serve``: the output folder over HTTP, as a static host would serve it.

Built on the standard library's ``http.server`` (HTTP/1.1, persistent connections), with
the semantics of RFC 9110 written out here rather than left to a framework:

- **Ranges (§14)** for GET only: ``bytes=a-b``, ``bytes=a-`` and ``bytes=-n`` answer 206 with
  exactly those bytes; several ranges answer 206 ``multipart/byteranges`` (overlapping or
  touching ranges coalesced, one remaining range sent as a single part); a range set none
  of whose ranges can be satisfied answers 416 with ``Content-Range: bytes */length``. A
  ``Range`` with another unit, a malformed one, one on ``HEAD``, one whose ``If-Range`` does
  not match, or one with more than :data:`MAX_RANGES` ranges is ignored: 200 and the whole
  file, as §14.2 says.
- **Preconditions (§13.2.2, in that order)**: ``If-Match`` (strong comparison) then, when it
  is absent, ``If-Unmodified-Since`` → 412; ``If-None-Match`` (weak comparison) then, when it
  is absent, ``If-Modified-Since`` → 304 for GET and HEAD.
- One ``Date`` header per response; ``ETag`` and ``Last-Modified`` on files.
- **Slow and idle clients**: a client has :data:`HEADER_TIMEOUT` seconds (from the moment the
  server starts waiting for a request on its connection) to send a whole request head; an
  idle keep-alive connection is closed after the same time. At most :data:`MAX_CONNECTIONS`
  connections are served at once (one thread each); past that a new connection gets 503
  with ``Retry-After`` and is closed, so a flood of half-open connections cannot make
  threads without bound.

Only regular files inside the folder are served. The request path (percent-decoded once,
as every server does) is split at ``/``; a segment that is empty, ``.``, ``..``, starts with
a dot (temporary files, ``.git``), is longer than a file name can be (255 bytes), or holds a
backslash, a colon or a NUL is refused with 404, and the resolved file (symbolic links
followed) must still be inside the folder. A double-encoded ``%252e%252e`` decodes to the
literal name ``%2e%2e``, which is just a file that is not there.

Loopback (127.0.0.1) by default: serving to the network is a choice made with ``--host``.
"""

from __future__ import annotations

import contextlib
import email.utils
import html
import io
import logging
import os
import re
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, unquote, urlsplit

from narrate.errors import PublishError

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: Seconds a connection may take to send a request head, or stay idle between requests.
HEADER_TIMEOUT = 10.0
#: Seconds one read or write of a body may block (a client that stops reading).
IO_TIMEOUT = 60.0
#: Connections served at once; more get 503.
MAX_CONNECTIONS = 128
#: A Range header with more ranges than this is ignored (RFC 9110 §14.2 allows it: many
#: small ranges are a sign of a broken client or a denial-of-service attempt).
MAX_RANGES = 32
#: A file name cannot be longer than this many bytes on the file systems we serve from.
NAME_MAX = 255
_CHUNK = 1 << 16

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
_TEXT = "text/plain; charset=utf-8"
#: Reason phrases where RFC 9110 renamed the status.
_REASONS = {413: "Content Too Large", 416: "Range Not Satisfiable", 422: "Unprocessable Content"}
#: ``bytes=...``: the unit is case-insensitive (§14.1); the set is comma-separated with
#: optional whitespace (§5.6.1).
_RANGES = re.compile(r"\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)=(.*)\Z", re.S)
_INT_RANGE = re.compile(r"(\d+)-(\d*)\Z")
_SUFFIX_RANGE = re.compile(r"-(\d+)\Z")
_ETAG = re.compile(r'\s*(W/)?("[^"]*")\s*(?:,|\Z)')


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
        if len(segment.encode("utf-8", "surrogateescape")) > NAME_MAX:
            return None  # no such file can exist (and the OS would say ENAMETOOLONG)
    try:
        base = root.resolve()
        target = base.joinpath(*segments).resolve()
        if not target.is_relative_to(base) or target == base or not target.is_file():
            return None
    except (OSError, ValueError):  # a path the OS refuses is a file that is not there
        return None
    return target


# -- Range (RFC 9110 §14) -------------------------------------------------------------------


def parse_ranges(header: str, length: int) -> list[tuple[int, int]] | None:
    """The byte ranges (first, last inclusive) of a ``Range`` header on a file of ``length``
    bytes, in the order asked, unsatisfiable ones dropped.

    None means "ignore the header" (another unit, a malformed or invalid range set, more
    than :data:`MAX_RANGES` ranges): the answer is then 200 with the whole file. An empty
    list means no range can be satisfied (416).
    """
    match = _RANGES.match(header)
    if match is None or match.group(1).lower() != "bytes":
        return None
    specs = [s.strip(" \t") for s in match.group(2).split(",")]
    specs = [s for s in specs if s]  # 1#range-spec allows empty list elements
    if not specs or len(specs) > MAX_RANGES:
        return None
    ranges: list[tuple[int, int]] = []
    for spec in specs:
        if m := _INT_RANGE.match(spec):
            first = int(m.group(1))
            last = int(m.group(2)) if m.group(2) else None
            if last is not None and last < first:
                return None  # an invalid range-spec makes the whole set invalid (§14.1.1)
            if first < length:
                ranges.append((first, length - 1 if last is None else min(last, length - 1)))
        elif m := _SUFFIX_RANGE.match(spec):
            suffix = int(m.group(1))
            if suffix > 0 and length > 0:
                ranges.append((max(0, length - suffix), length - 1))
        else:
            return None
    return ranges


def coalesce(ranges: list[tuple[int, int]], gap: int = 80) -> list[tuple[int, int]]:
    """Ranges with neighbours (in the order asked) that overlap or are less than ``gap``
    bytes apart (about the overhead of a part) joined, as §14.6 allows."""
    out: list[tuple[int, int]] = []
    for first, last in ranges:
        if out and first <= out[-1][1] + gap and last >= out[-1][0] - gap:
            out[-1] = (min(out[-1][0], first), max(out[-1][1], last))
        else:
            out.append((first, last))
    return out


# -- preconditions (RFC 9110 §13) ----------------------------------------------------------


def _etags(header: str) -> list[tuple[bool, str]] | None:
    """``(weak, opaque-tag)`` of an If-Match / If-None-Match list; None when malformed."""
    out: list[tuple[bool, str]] = []
    pos = 0
    header = header.strip()
    while pos < len(header):
        m = _ETAG.match(header, pos)
        if m is None:
            return None
        out.append((bool(m.group(1)), m.group(2)))
        pos = m.end()
    return out


def _http_date(value: str) -> float | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None or parsed.tzinfo is None:
        return None
    return parsed.timestamp()


@dataclass(frozen=True)
class FileState:
    """What the validators of a file are: its strong ETag and modification time (seconds)."""

    size: int
    mtime: int
    etag: str

    @classmethod
    def of(cls, st: os.stat_result) -> FileState:
        return cls(st.st_size, int(st.st_mtime), f'"{st.st_mtime_ns:x}-{st.st_size:x}"')

    @property
    def last_modified(self) -> str:
        return email.utils.formatdate(self.mtime, usegmt=True)


def precondition(headers: Any, method: str, state: FileState) -> int | None:
    """412 or 304 when a precondition decides the answer, else None (RFC 9110 §13.2.2)."""
    if_match = headers.get("If-Match")
    if if_match is not None:
        tags = _etags(if_match)
        if if_match.strip() != "*" and not (
            tags and any(not weak and tag == state.etag for weak, tag in tags)
        ):
            return 412
    else:
        since = headers.get("If-Unmodified-Since")
        date = _http_date(since) if since is not None else None
        if date is not None and state.mtime > date:
            return 412
    if_none = headers.get("If-None-Match")
    if if_none is not None:
        tags = _etags(if_none)
        if if_none.strip() == "*" or (tags and any(tag == state.etag for _, tag in tags)):
            return 304 if method in ("GET", "HEAD") else 412
    elif method in ("GET", "HEAD"):
        since = headers.get("If-Modified-Since")
        date = _http_date(since) if since is not None else None
        if date is not None and state.mtime <= date:
            return 304
    return None


def if_range_holds(value: str | None, state: FileState) -> bool:
    """Whether a Range may be honoured given ``If-Range`` (§13.1.5): an exact strong ETag or
    the exact Last-Modified date."""
    if value is None:
        return True
    value = value.strip()
    if value.startswith('"'):
        return value == state.etag
    date = _http_date(value)
    return date is not None and int(date) == state.mtime


# -- the server -----------------------------------------------------------------------------


class _Watchdog:
    """Closes connections whose request head is not complete by their deadline (one thread
    for all connections, not a timer each)."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._deadlines: dict[FolderHandler, float] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="narrate-serve-watchdog",
                                        daemon=True)
        self._thread.start()

    def arm(self, handler: FolderHandler) -> None:
        with self._lock:
            self._deadlines[handler] = time.monotonic() + self.timeout

    def disarm(self, handler: FolderHandler) -> None:
        with self._lock:
            self._deadlines.pop(handler, None)

    def _run(self) -> None:
        tick = min(0.25, self.timeout / 4)
        while not self._stop.wait(tick):
            now = time.monotonic()
            with self._lock:
                late = [h for h, deadline in self._deadlines.items() if deadline <= now]
                for handler in late:
                    del self._deadlines[handler]
            for handler in late:
                handler.expire()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


class FolderHandler(BaseHTTPRequestHandler):
    """One connection: GET, HEAD and OPTIONS on the files of ``server.root``."""

    protocol_version = "HTTP/1.1"
    server_version = "narrate"
    sys_version = ""
    timeout = IO_TIMEOUT
    server: FolderServer

    expired = False

    def expire(self) -> None:
        """Called by the watchdog: the head did not arrive in time; drop the connection."""
        self.expired = True
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def handle_one_request(self) -> None:
        self.server.watchdog.arm(self)
        try:
            super().handle_one_request()
        finally:
            self.server.watchdog.disarm(self)

    def parse_request(self) -> bool:
        complete = super().parse_request()
        self.server.watchdog.disarm(self)
        if self.expired:  # the head was cut off by the watchdog: nothing to answer
            self.close_connection = True
            return False
        return complete

    def send_response(self, code: int, message: str | None = None) -> None:
        """The status line with RFC 9110's reason phrase (Python 3.11 says "Requested Range
        Not Satisfiable"), then Server and the one Date header."""
        super().send_response(code, message or _REASONS.get(code))

    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)

    # -- methods --

    def do_GET(self) -> None:
        self._serve(body=True)

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def do_OPTIONS(self) -> None:
        self._simple(204, "", {**CORS_HEADERS, "Allow": ALLOWED_METHODS})

    def _refuse(self) -> None:
        self._simple(405, "method not allowed\n", {"Allow": ALLOWED_METHODS})

    do_POST = do_PUT = do_DELETE = do_PATCH = _refuse

    # -- responses --

    def _simple(self, status: int, text: str, headers: dict[str, str] | None = None) -> None:
        body = text.encode("utf-8")
        self.send_response(status)
        if body or status not in (204, 304):
            self.send_header("Content-Type", _TEXT)
            self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def _serve(self, *, body: bool) -> None:
        url_path = unquote(urlsplit(self.path).path, errors="surrogateescape")
        path = resolve_request_path(self.server.root, url_path)
        if path is None:
            if url_path == "/":
                page = _listing(self.server.root).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                if body:
                    self.wfile.write(page)
                return
            self._simple(404, "not found\n", CORS_HEADERS)
            return
        try:
            f = path.open("rb")
        except OSError:
            self._simple(404, "not found\n", CORS_HEADERS)
            return
        with f:
            self._send_file(f, path, body=body)

    def _send_file(self, f: IO[bytes], path: Path, *, body: bool) -> None:
        state = FileState.of(os.fstat(f.fileno()))
        ctype = mime_type(path.name)
        common = {
            "ETag": state.etag,
            "Last-Modified": state.last_modified,
            "Cache-Control": "no-cache",
            "Accept-Ranges": "bytes",
            "X-Content-Type-Options": "nosniff",
            **CORS_HEADERS,
        }
        decided = precondition(self.headers, self.command, state)
        if decided == 304:
            self.send_response(304)
            for key in ("ETag", "Last-Modified", "Cache-Control", *CORS_HEADERS):
                self.send_header(key, common[key])
            self.end_headers()
            return
        if decided == 412:
            self._simple(412, "precondition failed\n", CORS_HEADERS)
            return
        ranges: list[tuple[int, int]] | None = None
        header = self.headers.get("Range")
        if (
            header is not None
            and self.command == "GET"  # §14.2: range handling is defined for GET only
            and if_range_holds(self.headers.get("If-Range"), state)
        ):
            ranges = parse_ranges(header, state.size)
        if ranges is not None and not ranges:
            self._simple(416, "range not satisfiable\n",
                         {**common, "Content-Range": f"bytes */{state.size}"})
            return
        if ranges is not None:
            ranges = coalesce(ranges)
        if ranges is None:
            self._head(200, {"Content-Type": ctype, "Content-Length": str(state.size), **common})
            if body:
                _copy(f, self.wfile, 0, state.size)
        elif len(ranges) == 1:
            first, last = ranges[0]
            self._head(206, {
                "Content-Type": ctype,
                "Content-Length": str(last - first + 1),
                "Content-Range": f"bytes {first}-{last}/{state.size}",
                **common,
            })
            _copy(f, self.wfile, first, last - first + 1)
        else:
            boundary = secrets.token_hex(16)
            heads = [
                (f"\r\n--{boundary}\r\nContent-Type: {ctype}\r\n"
                 f"Content-Range: bytes {first}-{last}/{state.size}\r\n\r\n").encode("ascii")
                for first, last in ranges
            ]
            tail = f"\r\n--{boundary}--\r\n".encode("ascii")
            length = sum(len(h) for h in heads) + sum(b - a + 1 for a, b in ranges) + len(tail)
            self._head(206, {
                "Content-Type": f"multipart/byteranges; boundary={boundary}",
                "Content-Length": str(length),
                **common,
            })
            for head, (first, last) in zip(heads, ranges, strict=True):
                self.wfile.write(head)
                _copy(f, self.wfile, first, last - first + 1)
            self.wfile.write(tail)

    def _head(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()


def _copy(f: IO[bytes], out: io.BufferedIOBase, start: int, length: int) -> None:
    f.seek(start)
    while length > 0:
        data = f.read(min(_CHUNK, length))
        if not data:  # the file shrank while being sent: the client sees a short body
            raise OSError("file shorter than when its length was sent")
        out.write(data)
        length -= len(data)


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


_BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Content-Length: 5\r\nRetry-After: 1\r\nConnection: close\r\n"
)


class FolderServer(ThreadingHTTPServer):
    """A threaded HTTP server for the files of ``root``, with a header timeout and a bound
    on the number of connections."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 128  # the listen backlog (socketserver's default is 5)

    def __init__(
        self,
        address: tuple[str, int],
        root: Path,
        *,
        header_timeout: float = HEADER_TIMEOUT,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        self.root = root
        self.watchdog = _Watchdog(header_timeout)
        self.slots = threading.BoundedSemaphore(max_connections)
        try:
            super().__init__(address, FolderHandler)
        except BaseException:
            self.watchdog.stop()
            raise

    @property
    def host(self) -> str:
        return str(self.server_address[0])

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.slots.acquire(blocking=False):
            self._busy(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def _busy(self, request: socket.socket) -> None:
        """503 to a connection over the limit, written from the accept loop without waiting."""
        date = email.utils.formatdate(usegmt=True).encode("ascii")
        with contextlib.suppress(OSError):
            request.setblocking(False)
            request.send(_BUSY + b"Date: " + date + b"\r\n\r\nbusy\n")
        self.shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("connection from %s ended with an error", client_address, exc_info=True)

    def server_close(self) -> None:
        super().server_close()
        self.watchdog.stop()


class _FolderServer6(FolderServer):
    address_family = socket.AF_INET6


def make_folder_server(
    root: Path,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    header_timeout: float = HEADER_TIMEOUT,
    max_connections: int = MAX_CONNECTIONS,
) -> FolderServer:
    """A threaded server for ``root`` bound to ``host:port`` (port 0 picks a free one)."""
    if not root.is_dir():
        raise PublishError(f"{root} is not a folder. Probable cause: nothing built yet")
    cls = _FolderServer6 if ":" in host else FolderServer
    try:
        return cls((host, port), root.resolve(), header_timeout=header_timeout,
                   max_connections=max_connections)
    except OSError as e:
        raise PublishError(
            f"cannot listen on {host}:{port} ({e.strerror or e}). "
            "Probable cause: the port is in use; pick another with --port"
        ) from e


def server_url(server: FolderServer) -> str:
    host = server.host
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{server.port}/"


@contextmanager
def running(
    root: Path, *, host: str = DEFAULT_HOST, port: int = 0, **options: Any
) -> Iterator[str]:
    """Serve ``root`` in a background thread for the duration of the block; yield its URL."""
    server = make_folder_server(root, host=host, port=port, **options)
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


def serve_forever(server: FolderServer) -> None:
    """Serve until interrupted (Ctrl-C raises KeyboardInterrupt in the caller)."""
    try:
        server.serve_forever()
    finally:
        server.server_close()
