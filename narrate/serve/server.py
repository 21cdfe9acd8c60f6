"""The wire side of ``narrate serve``: h11 on blocking sockets, one thread per connection.

h11 (a sans-I/O HTTP/1.1 implementation) parses every request head and body and frames
every response: the request line, header fields, ``Host`` presence and uniqueness,
``Content-Length`` and chunked bodies, keep-alive and pipelining. This module only moves
bytes between h11 and the socket, under these limits:

- **Slow and idle clients.** A connection has :data:`HEADER_TIMEOUT` seconds, from the moment
  the server starts waiting for a request on it, to send a whole request head (and then as
  long again for a body); a head still incomplete then gets 408, an idle keep-alive
  connection is closed. Each wait on the socket is only as long as what is left of that
  deadline, so a client trickling one byte at a time gains nothing. A write that blocks for
  :data:`IO_TIMEOUT` seconds (a client that stopped reading) ends the connection.
- **Bounded work.** At most :data:`MAX_CONNECTIONS` connections are served at once (one
  thread each); past that a new connection gets 503 with ``Retry-After`` and is closed,
  written from the accept loop without waiting. A request head may be :data:`MAX_HEAD`
  bytes (431 beyond, or 414 for a request line alone that long); a request body is read and
  dropped up to :data:`MAX_BODY` bytes, so its bytes are never taken for a next request,
  and a longer one (or one the client waits on ``100-continue`` to send) ends the
  connection after the answer.
- **Robustness.** Empty lines before a request line are skipped (RFC 9112 §2.2); a request
  h11 cannot parse gets h11's status hint (400, or 501 for an unknown transfer coding) with
  ``Connection: close``; after the last answer the server stops writing and reads what the
  client still sends for a moment (a "lingering close"), so the client gets the answer
  rather than a reset.

What to answer is :class:`narrate.serve.site.Site`'s decision; the server adds ``Date`` and
``Server`` to every response. Loopback (127.0.0.1) by default: serving to the network is a
choice made with ``--host``.
"""

from __future__ import annotations

import contextlib
import email.utils
import logging
import re
import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, cast

import h11

from narrate.errors import PublishError
from narrate.serve import rules
from narrate.serve.front import Show
from narrate.serve.site import Site

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: Seconds a connection may take to send a request head, or stay idle between requests.
HEADER_TIMEOUT = 10.0
#: Seconds one write may block (a client that stopped reading).
IO_TIMEOUT = 60.0
#: Connections served at once; more get 503.
MAX_CONNECTIONS = 128
#: Bytes of a request line and its header fields (h11's default).
MAX_HEAD = 16 * 1024
#: Bytes of a request body read (and dropped) to keep the connection open.
MAX_BODY = 64 * 1024
#: After the last answer: how long, and how many bytes, to read what the client still sends.
LINGER_SECONDS = 1.0
LINGER_BYTES = 256 * 1024
SERVER_NAME = "narrate"
_RECV = 64 * 1024


class _Gone(Exception):
    """The client went away, or a deadline passed."""


def _date() -> str:
    return email.utils.formatdate(usegmt=True)


def _response(reply: rules.Reply) -> h11.Response:
    headers = [("Date", _date()), ("Server", SERVER_NAME), *reply.headers]
    return h11.Response(status_code=reply.status, headers=headers,
                        reason=rules.reason(reply.status).encode("ascii"))


def busy_response() -> bytes:
    """The whole 503 answer to a connection over the limit (with this moment's Date)."""
    reply = rules.text_reply(503, "busy\n", "GET", {"Retry-After": "1"}, close=True)
    conn = h11.Connection(h11.SERVER)
    parts = [conn.send(_response(reply))]
    parts += [conn.send(h11.Data(data=part)) for part in reply.body if isinstance(part, bytes)]
    parts.append(conn.send(h11.EndOfMessage()))
    return b"".join(p for p in parts if p)


def head_too_large(buffer: bytes) -> int:
    """0 while the request head at the start of ``buffer`` may still fit in :data:`MAX_HEAD`
    bytes, else 414 (the request line alone is longer) or 431. h11 bounds only a head that is
    still incomplete; this bounds one that arrives whole in a single read too."""
    window = buffer[: MAX_HEAD + 4]
    if len(buffer) <= MAX_HEAD or re.search(rb"\n\r?\n", window):
        return 0
    return 431 if b"\n" in buffer[:MAX_HEAD] else 414


class _Reader:
    """Feeds one h11 connection (one request) from the socket, within a deadline."""

    def __init__(self, sock: socket.socket, conn: h11.Connection) -> None:
        self.sock = sock
        self.conn = conn
        self.started = False  # a byte of the request line has arrived
        self.fed = 0  # bytes given to h11

    def start(self, leftover: tuple[bytes, bool]) -> None:
        """Feed what the previous request left: pipelined bytes, and whether the client has
        closed its side."""
        data, closed = leftover
        self._feed(data)
        if closed:
            self.conn.receive_data(b"")

    def _feed(self, data: bytes) -> None:
        if not self.started:
            data = data.lstrip(b"\r\n")  # empty lines before a request line (RFC 9112 §2.2)
            if not data:
                return
            self.started = True
        if self.conn.their_state is h11.IDLE and self.fed + len(data) > MAX_HEAD:
            # Looked at only once this much has come (not on every byte of a slow client).
            status = head_too_large(self.conn.trailing_data[0] + data)
            if status:
                raise h11.RemoteProtocolError("request head too large", error_status_hint=status)
        self.fed += len(data)
        self.conn.receive_data(data)

    def next_event(self, deadline: float) -> Any:
        while True:
            try:
                event = self.conn.next_event()
            except h11.RemoteProtocolError as e:
                if e.error_status_hint != 431:  # h11's own bound on an incomplete head
                    raise
                status = head_too_large(self.conn.trailing_data[0]) or 431
                raise h11.RemoteProtocolError(str(e), error_status_hint=status) from e
            if event is not h11.NEED_DATA:
                return event
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _Gone("deadline")
            self.sock.settimeout(remaining)
            try:
                data = self.sock.recv(_RECV)
            except OSError as e:  # TimeoutError included
                raise _Gone(str(e)) from e
            if data:
                self._feed(data)
            else:
                self.conn.receive_data(b"")


def _drain(reader: _Reader, fields: dict[str, str], deadline: float) -> bool:
    """Read the request's body to its end and drop it; False when it is not read (too long,
    too slow, or the client waits for ``100 Continue`` before sending one)."""
    declared = fields.get("content-length", "0").strip() != "0" or "transfer-encoding" in fields
    if declared and reader.conn.they_are_waiting_for_100_continue:
        return False
    size = 0
    while True:
        try:
            event = reader.next_event(deadline)
        except (_Gone, h11.RemoteProtocolError):
            return False
        if isinstance(event, h11.EndOfMessage):
            return True
        if not isinstance(event, h11.Data):
            return False
        size += len(event.data)
        if size > MAX_BODY:
            return False


def _closing(reply: rules.Reply) -> rules.Reply:
    if reply.close:
        return reply
    return rules.Reply(reply.status, (*reply.headers, ("Connection", "close")), reply.body,
                       close=True)


def _send(sock: socket.socket, conn: h11.Connection, reply: rules.Reply,
          f: BinaryIO | None, timeout: float) -> None:
    """Write ``reply`` through h11 (which checks the body against Content-Length); spans of
    ``f`` go out with ``sendfile``."""
    sock.settimeout(timeout)
    sock.sendall(conn.send(_response(reply)) or b"")
    for part in reply.body:
        if isinstance(part, bytes):
            sock.sendall(conn.send(h11.Data(data=part)) or b"")
            continue
        # h11 counts the span against Content-Length and hands it back untouched.
        conn.send_with_data_passthrough(h11.Data(data=cast(bytes, part)))
        if f is None or sock.sendfile(f, part.first, part.length) != part.length:
            raise _Gone("the file is shorter than when its length was sent")
    sock.sendall(conn.send(h11.EndOfMessage()) or b"")


def _linger_close(sock: socket.socket) -> None:
    """Stop writing, read what the client still sends for a moment, then close: closing
    with unread bytes would reset the connection and could destroy the last answer."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_WR)
        deadline = time.monotonic() + LINGER_SECONDS
        read = 0
        while read < LINGER_BYTES and (remaining := deadline - time.monotonic()) > 0:
            sock.settimeout(remaining)
            data = sock.recv(_RECV)
            if not data:
                break
            read += len(data)
    sock.close()


def serve_connection(
    sock: socket.socket, site: Site, *, header_timeout: float = HEADER_TIMEOUT,
    io_timeout: float = IO_TIMEOUT, peer: str = "-",
) -> None:
    """Answer the requests of one connection until it closes, idles out or misbehaves."""
    leftover: tuple[bytes, bool] = (b"", False)
    try:
        while True:
            conn = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEAD)
            reader = _Reader(sock, conn)
            deadline = time.monotonic() + header_timeout
            try:
                reader.start(leftover)
                event = reader.next_event(deadline)
            except h11.RemoteProtocolError as e:
                status = int(e.error_status_hint)
                log.info("%s bad request (%s): %d", peer, e, status)
                _send(sock, conn, rules.refusal(status, close=True), None, io_timeout)
                return
            except _Gone:
                if reader.started and conn.their_state is h11.IDLE:
                    _send(sock, conn, rules.refusal(408, close=True), None, io_timeout)
                return
            if not isinstance(event, h11.Request):
                return  # the client closed the connection
            method = event.method.decode("ascii")
            target = event.target.decode("ascii")
            version = event.http_version.decode("ascii")
            fields = rules.header_fields(event.headers)
            reply, f = site.answer(method, target, version, fields)
            with f if f is not None else contextlib.nullcontext():
                body_deadline = time.monotonic() + header_timeout
                if not reply.close and not _drain(reader, fields, body_deadline):
                    reply = _closing(reply)
                log.info('%s "%s %s HTTP/%s" %d %d', peer, method, target, version,
                         reply.status, reply.body_length)
                _send(sock, conn, reply, f, io_timeout)
            if conn.our_state is not h11.DONE or conn.their_state is not h11.DONE:
                return
            leftover = conn.trailing_data
    except (_Gone, OSError, h11.LocalProtocolError) as e:
        log.debug("%s connection ended: %s", peer, e)
    finally:
        _linger_close(sock)


class FolderServer(socketserver.ThreadingTCPServer):
    """A threaded server for a :class:`Site`, with a header timeout and a bound on the
    number of connections."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 128  # the listen backlog (socketserver's default is 5)

    def __init__(
        self,
        address: tuple[str, int],
        site: Site,
        *,
        header_timeout: float = HEADER_TIMEOUT,
        io_timeout: float = IO_TIMEOUT,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        self.site = site
        self.header_timeout = header_timeout
        self.io_timeout = io_timeout
        self.slots = threading.BoundedSemaphore(max_connections)
        self._busy_answer = (0, b"")  # (second, bytes): made again when its Date is stale
        super().__init__(address, socketserver.BaseRequestHandler)

    @property
    def root(self) -> Path:
        return self.site.root

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

    def finish_request(self, request: Any, client_address: Any) -> None:
        serve_connection(request, self.site, header_timeout=self.header_timeout,
                         io_timeout=self.io_timeout, peer=str(client_address[0]))

    def _busy(self, request: socket.socket) -> None:
        """503 to a connection over the limit, written from the accept loop without waiting."""
        with contextlib.suppress(OSError):
            request.setblocking(False)
            second = int(time.time())
            if self._busy_answer[0] != second:
                self._busy_answer = (second, busy_response())
            request.send(self._busy_answer[1])
        self.shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("connection from %s ended with an error", client_address, exc_info=True)


class _FolderServer6(FolderServer):
    address_family = socket.AF_INET6


def make_folder_server(
    root: Path,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    show: Show | None = None,
    header_timeout: float = HEADER_TIMEOUT,
    max_connections: int = MAX_CONNECTIONS,
) -> FolderServer:
    """A threaded server for ``root`` bound to ``host:port`` (port 0 picks a free one)."""
    if not root.is_dir():
        raise PublishError(f"{root} is not a folder. Probable cause: nothing built yet")
    cls = _FolderServer6 if ":" in host else FolderServer
    site = Site(root.resolve(), show or Show())
    try:
        return cls((host, port), site, header_timeout=header_timeout,
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
