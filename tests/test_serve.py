"""narrate serve: byte ranges, HEAD, types, CORS, and nothing outside the folder."""

from __future__ import annotations

import contextlib
import email.policy
import email.utils
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import mutagen.id3
import pytest
import requests
from lxml import etree

from narrate.publish.feed import PODCAST, regenerate_feed
from narrate.serve import make_folder_server, mime_type, resolve_request_path, running
from tests.publish.test_feed import NOW, UNDATED, build, podcast_config

SECRET = b"top secret outside the folder"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "site" / "audio"
    root.mkdir(parents=True)
    (tmp_path / "site" / "secret.txt").write_bytes(SECRET)
    (tmp_path / "secret.txt").write_bytes(SECRET)
    (root / "एपिसोड.mp3").write_bytes(bytes(range(256)) * 40)  # 10 240 bytes
    (root / "एपिसोड.vtt").write_text("WEBVTT\n", encoding="utf-8")
    (root / "एपिसोड.chapters.json").write_text('{"version": "1.2.0"}', encoding="utf-8")
    (root / "feed.xml").write_text("<rss/>", encoding="utf-8")
    (root / "index.html").write_text("<p>हिंदी</p>", encoding="utf-8")
    (root / "art.png").write_bytes(b"\x89PNG")
    (root / ".hidden.mp3.tmp").write_bytes(b"partial")
    (root / "out-link").symlink_to(tmp_path / "secret.txt")
    (root / "sub").mkdir()
    (root / "sub" / "a.vtt").write_text("WEBVTT\n", encoding="utf-8")
    return root


@pytest.fixture
def url(folder: Path) -> Iterator[str]:
    with running(folder) as base:
        yield base


def raw_get(base: str, path: str, method: str = "GET",
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """A request with ``path`` sent exactly as written (no client-side normalization)."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for key, value in (headers or {}).items():
            conn.putheader(key, value)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


MP3 = "/%E0%A4%8F%E0%A4%AA%E0%A4%BF%E0%A4%B8%E0%A5%8B%E0%A4%A1.mp3"


def test_loopback_by_default(folder: Path) -> None:
    server = make_folder_server(folder, port=0)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()


def test_full_get_and_head(url: str, folder: Path) -> None:
    data = (folder / "एपिसोड.mp3").read_bytes()
    status, headers, body = raw_get(url, MP3)
    assert status == 200 and body == data
    assert headers["Content-Type"] == "audio/mpeg"
    assert headers["Accept-Ranges"] == "bytes"
    status, headers, body = raw_get(url, MP3, "HEAD")
    assert status == 200 and body == b""
    assert int(headers["Content-Length"]) == len(data)


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [("bytes=0-0", 0, 0), ("bytes=100-299", 100, 299), ("bytes=10000-", 10000, 10239),
     ("bytes=-40", 10200, 10239), ("bytes=10200-999999", 10200, 10239)],
)
def test_range_requests_get_206_with_exactly_those_bytes(
    url: str, folder: Path, header: str, start: int, end: int
) -> None:
    data = (folder / "एपिसोड.mp3").read_bytes()
    response = requests.get(url + MP3[1:], headers={"Range": header}, timeout=10)
    assert response.status_code == 206
    assert response.content == data[start : end + 1]
    assert response.headers["Content-Range"] == f"bytes {start}-{end}/{len(data)}"
    assert int(response.headers["Content-Length"]) == end - start + 1


def test_unsatisfiable_range_is_416(url: str) -> None:
    response = requests.get(url + MP3[1:], headers={"Range": "bytes=20000-"}, timeout=10)
    assert response.status_code == 416
    assert response.headers["Content-Range"] == "bytes */10240"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (MP3, "audio/mpeg"),
        ("/%E0%A4%8F%E0%A4%AA%E0%A4%BF%E0%A4%B8%E0%A5%8B%E0%A4%A1.vtt", "text/vtt; charset=utf-8"),
        ("/%E0%A4%8F%E0%A4%AA%E0%A4%BF%E0%A4%B8%E0%A5%8B%E0%A4%A1.chapters.json",
         "application/json+chapters; charset=utf-8"),
        ("/feed.xml", "application/rss+xml; charset=utf-8"),
        ("/index.html", "text/html; charset=utf-8"),
        ("/", "text/html; charset=utf-8"),
        ("/art.png", "image/png"),
        ("/sub/a.vtt", "text/vtt; charset=utf-8"),
    ],
)
def test_mime_types(url: str, path: str, expected: str) -> None:
    status, headers, _ = raw_get(url, path)
    assert status == 200
    assert headers["Content-Type"] == expected


def test_mime_type_table() -> None:
    assert mime_type("x.json") == "application/json; charset=utf-8"
    assert mime_type("other.xml") == "application/xml; charset=utf-8"
    assert mime_type("x.bin") == "application/octet-stream"


def test_cors_on_captions_and_chapters(url: str) -> None:
    for path in (MP3.replace(".mp3", ".vtt"), MP3.replace(".mp3", ".chapters.json")):
        _, headers, _ = raw_get(url, path, headers={"Origin": "https://embed.example"})
        assert headers["Access-Control-Allow-Origin"] == "*"
        assert "Content-Range" in headers["Access-Control-Expose-Headers"]
    status, headers, _ = raw_get(url, "/feed.xml", "OPTIONS")
    assert status == 204 and "Range" in headers["Access-Control-Allow-Headers"]


def test_other_methods_are_refused(url: str) -> None:
    status, headers, _ = raw_get(url, "/feed.xml", "POST")
    assert status == 405 and "GET" in headers["Allow"]


TRAVERSALS = [
    "/../secret.txt",
    "/../../secret.txt",
    "/sub/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/%2e%2e/secret.txt",
    "/..%2fsecret.txt",
    "/%2e%2e%2fsecret.txt",
    "/sub%2f..%2f..%2fsecret.txt",
    "/%252e%252e/secret.txt",
    "/%252e%252e%252fsecret.txt",
    "/..%5csecret.txt",
    "/..\\secret.txt",
    "//etc/passwd",
    "/%2fetc%2fpasswd",
    "/etc/passwd",
    "/out-link",
    "/.hidden.mp3.tmp",
    "/%00secret.txt",
    "/C:%5cwindows",
    "/./feed.xml/..",
    "/sub",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_nothing_outside_the_folder(url: str, path: str) -> None:
    status, _, body = raw_get(url, path)
    assert status in (400, 404)
    assert SECRET not in body and b"root:" not in body


def test_absolute_url_form_is_not_a_way_out(url: str) -> None:
    status, _, body = raw_get(url, url + "../secret.txt")
    assert SECRET not in body
    assert status in (400, 404)


@pytest.mark.parametrize(
    "path", ["../secret.txt", "/../secret.txt", "a/../../secret.txt", "/etc/passwd", "/sub"]
)
def test_resolve_request_path_refuses(folder: Path, path: str) -> None:
    assert resolve_request_path(folder, path) is None


def test_the_listing_escapes_file_names(tmp_path: Path) -> None:
    (tmp_path / "<b>&.mp3").write_bytes(b"x")
    with running(tmp_path) as base:
        body = requests.get(base, timeout=10).text
    assert "&lt;b&gt;&amp;.mp3" in body and "<b>" not in body


# -- the whole path: a built episode, its feed, served ----------------------------------------


def test_feed_urls_resolve_through_the_server_and_agree_with_the_mp3(tmp_path: Path) -> None:
    article = tmp_path / "hockey.md"
    article.write_text(UNDATED, encoding="utf-8")
    out = tmp_path / "audio"
    episode = build(article, out, tmp_path / "cache")
    from narrate.publish.feed import publish_episode

    publish_episode(out, episode, None, now=NOW)
    with running(out) as base:
        config = podcast_config(tmp_path, base)
        regenerate_feed(out, config, now=NOW)
        feed = etree.fromstring(requests.get(base + "feed.xml", timeout=10).content)
        item = feed.find("channel/item")
        enclosure = item.find("enclosure")
        audio = requests.get(enclosure.get("url"), timeout=10)
        assert audio.status_code == 200
        assert len(audio.content) == int(enclosure.get("length"))
        chapters_url = item.find(f"{{{PODCAST}}}chapters").get("url")
        chapters = requests.get(chapters_url, timeout=10)
        assert chapters.headers["Access-Control-Allow-Origin"] == "*"
        transcript = requests.get(item.find(f"{{{PODCAST}}}transcript").get("url"), timeout=10)
        assert transcript.status_code == 200
        assert transcript.headers["Content-Type"].startswith("text/vtt")
        assert transcript.content.startswith(b"WEBVTT")
        assert unquote(urlsplit(chapters_url).path).endswith(episode.slug + ".chapters.json")
    tags = mutagen.id3.ID3(out / f"{episode.slug}.mp3")
    chaps = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    served = json.loads(chapters.content)["chapters"]
    assert [(round(c["startTime"] * 1000), c["title"]) for c in served] == [
        (c.start_time, str(c.sub_frames["TIT2"].text[0])) for c in chaps
    ]


def test_narrate_serve_command(tmp_path: Path, folder: Path) -> None:
    code = "import narrate.cli.podcast; from narrate.cli import main; main()"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "serve", str(folder), "--port", "0"],
        stderr=subprocess.PIPE, text=True, cwd=Path(__file__).parent.parent,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line
        base = match.group(0)
        deadline = time.monotonic() + 10
        while True:
            try:
                response = requests.get(base + MP3[1:], headers={"Range": "bytes=5-9"}, timeout=5)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        assert response.status_code == 206 and response.content == bytes(range(5, 10))
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# -- RFC 9110, checked on the raw status line and headers ------------------------------------


def raw_exchange(
    base: str, request: bytes, timeout: float = 10
) -> tuple[str, list[tuple[str, str]], bytes]:
    """Send ``request`` as is on a new connection; the status line, the header fields in
    order (repeats kept) and the body (read to the end: the request says Connection: close)."""
    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    fields = [tuple(s.strip() for s in line.split(":", 1)) for line in lines[1:]]
    return lines[0], fields, body  # type: ignore[return-value]


def request(method: str, path: str, *headers: str) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: localhost", *headers, "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def field(fields: list[tuple[str, str]], name: str) -> list[str]:
    return [v for k, v in fields if k.lower() == name.lower()]


DATA = bytes(range(256)) * 40


def test_a_segment_longer_than_a_file_name_is_404_not_500(url: str) -> None:
    for path in ("/" + "a" * 256 + ".mp3", "/" + "%E0%A4%8F" * 86, "/sub/" + "b" * 300):
        status, fields, _ = raw_exchange(url, request("GET", path))
        assert status == "HTTP/1.1 404 Not Found"
        assert field(fields, "Content-Type") == ["text/plain; charset=utf-8"]


@pytest.mark.parametrize(
    "raw",
    [request("GET", MP3), request("HEAD", MP3), request("GET", MP3, "Range: bytes=1-2"),
     request("GET", "/nothing"), request("OPTIONS", "/feed.xml"), request("POST", "/feed.xml"),
     request("GET", "/"), request("GET", MP3, "Range: bytes=99999-")],
)
def test_every_response_has_exactly_one_date(url: str, raw: bytes) -> None:
    _, fields, _ = raw_exchange(url, raw)
    dates = field(fields, "Date")
    assert len(dates) == 1
    assert email.utils.parsedate_to_datetime(dates[0]).tzinfo is not None
    assert len(field(fields, "Server")) <= 1


@pytest.mark.parametrize(
    "header",
    ["items=0-9", "bytes=abc", "bytes=9-0", "bytes=", "bytes 0-9", "bytes=0-9;x", "bytes=--1",
     "bytes=" + ",".join(f"{i * 10}-{i * 10 + 1}" for i in range(40))],
)
def test_a_range_the_server_will_not_serve_is_ignored_200_whole_file(
    url: str, header: str
) -> None:
    status, fields, body = raw_exchange(url, request("GET", MP3, f"Range: {header}"))
    assert status == "HTTP/1.1 200 OK"
    assert field(fields, "Content-Length") == [str(len(DATA))]
    assert field(fields, "Content-Range") == []
    assert body == DATA


def test_range_unit_is_case_insensitive_and_whitespace_is_allowed(url: str) -> None:
    status, fields, body = raw_exchange(url, request("GET", MP3, "Range: Bytes= 5-9 "))
    assert status == "HTTP/1.1 206 Partial Content"
    assert field(fields, "Content-Range") == [f"bytes 5-9/{len(DATA)}"]
    assert body == DATA[5:10]


def test_several_ranges_get_206_multipart_byteranges(url: str) -> None:
    status, fields, body = raw_exchange(
        url, request("GET", MP3, "Range: bytes=0-9, 2000-2009, -5")
    )
    assert status == "HTTP/1.1 206 Partial Content"
    (ctype,) = field(fields, "Content-Type")
    assert ctype.startswith("multipart/byteranges; boundary=")
    assert field(fields, "Content-Range") == []
    assert field(fields, "Content-Length") == [str(len(body))]
    # Read back with the standard library's MIME parser, not with this server's code.
    message = email.message_from_bytes(
        f"Content-Type: {ctype}\r\n\r\n".encode() + body, policy=email.policy.HTTP
    )
    parts = [(p["Content-Type"], p["Content-Range"], p.get_payload(decode=True))
             for p in message.iter_parts()]
    n = len(DATA)
    assert parts == [
        ("audio/mpeg", f"bytes 0-9/{n}", DATA[0:10]),
        ("audio/mpeg", f"bytes 2000-2009/{n}", DATA[2000:2010]),
        ("audio/mpeg", f"bytes {n - 5}-{n - 1}/{n}", DATA[n - 5:]),
    ]


def test_overlapping_ranges_are_coalesced_and_one_part_is_not_multipart(url: str) -> None:
    status, fields, body = raw_exchange(url, request("GET", MP3, "Range: bytes=0-9,5-19,99999-"))
    assert status == "HTTP/1.1 206 Partial Content"
    assert field(fields, "Content-Type") == ["audio/mpeg"]
    assert field(fields, "Content-Range") == [f"bytes 0-19/{len(DATA)}"]
    assert body == DATA[:20]


def test_unsatisfiable_range_set_is_416_with_the_length(url: str) -> None:
    status, fields, _ = raw_exchange(url, request("GET", MP3, "Range: bytes=20000-,-0"))
    assert status == "HTTP/1.1 416 Range Not Satisfiable"
    assert field(fields, "Content-Range") == [f"bytes */{len(DATA)}"]


def test_head_with_range_is_200_never_206(url: str) -> None:
    status, fields, body = raw_exchange(url, request("HEAD", MP3, "Range: bytes=0-9"))
    assert status == "HTTP/1.1 200 OK"
    assert field(fields, "Content-Length") == [str(len(DATA))]
    assert field(fields, "Content-Range") == []
    assert body == b""


def test_if_unmodified_since_gives_412_when_the_file_is_newer(url: str, folder: Path) -> None:
    mtime = (folder / "एपिसोड.mp3").stat().st_mtime
    older = email.utils.formatdate(mtime - 3600, usegmt=True)
    newer = email.utils.formatdate(mtime + 3600, usegmt=True)
    status, fields, body = raw_exchange(url, request("GET", MP3, f"If-Unmodified-Since: {older}"))
    assert status == "HTTP/1.1 412 Precondition Failed"
    assert DATA not in body
    status, _, body = raw_exchange(url, request("GET", MP3, f"If-Unmodified-Since: {newer}"))
    assert status == "HTTP/1.1 200 OK" and body == DATA
    # An invalid date is ignored; If-Match, when present, takes precedence (§13.2.2).
    status, _, _ = raw_exchange(url, request("GET", MP3, "If-Unmodified-Since: yesterday"))
    assert status == "HTTP/1.1 200 OK"
    _, fields, _ = raw_exchange(url, request("HEAD", MP3))
    (etag,) = field(fields, "ETag")
    status, _, _ = raw_exchange(
        url, request("GET", MP3, f"If-Match: {etag}", f"If-Unmodified-Since: {older}")
    )
    assert status == "HTTP/1.1 200 OK"
    status, _, _ = raw_exchange(url, request("GET", MP3, 'If-Match: "other"'))
    assert status == "HTTP/1.1 412 Precondition Failed"


def test_conditional_get_304_and_if_range(url: str) -> None:
    _, fields, _ = raw_exchange(url, request("HEAD", MP3))
    (etag,) = field(fields, "ETag")
    (modified,) = field(fields, "Last-Modified")
    status, fields304, body = raw_exchange(url, request("GET", MP3, f"If-None-Match: W/{etag}"))
    assert status == "HTTP/1.1 304 Not Modified" and body == b""
    assert field(fields304, "ETag") == [etag]
    status, _, _ = raw_exchange(url, request("GET", MP3, f"If-Modified-Since: {modified}"))
    assert status == "HTTP/1.1 304 Not Modified"
    # If-None-Match that does not match wins over a matching If-Modified-Since.
    status, _, _ = raw_exchange(
        url, request("GET", MP3, 'If-None-Match: "x"', f"If-Modified-Since: {modified}")
    )
    assert status == "HTTP/1.1 200 OK"
    ranged = request("GET", MP3, "Range: bytes=0-3", f"If-Range: {etag}")
    status, _, body = raw_exchange(url, ranged)
    assert status == "HTTP/1.1 206 Partial Content" and body == DATA[:4]
    ranged = request("GET", MP3, "Range: bytes=0-3", 'If-Range: "old"')
    status, _, body = raw_exchange(url, ranged)
    assert status == "HTTP/1.1 200 OK" and body == DATA


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    """Whether the server closes ``sock`` within ``seconds`` (reads until EOF or timeout)."""
    sock.settimeout(seconds)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True
    return True


def test_a_client_that_never_finishes_its_headers_is_dropped(folder: Path) -> None:
    with running(folder, header_timeout=0.6) as base:
        parts = urlsplit(base)
        started = time.monotonic()
        slow = socket.create_connection((parts.hostname, parts.port))
        idle = socket.create_connection((parts.hostname, parts.port))
        with slow, idle:
            # Slowloris: a header byte every 0.1 s never completes the head.
            slow.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            for _ in range(12):
                try:
                    slow.sendall(b"X")
                except OSError:
                    break
                time.sleep(0.1)
            assert _closed_within(slow, 2)
            assert _closed_within(idle, 2)
        assert 0.5 < time.monotonic() - started < 3
        # A keep-alive connection is served, then closed once idle.
        conn = socket.create_connection((parts.hostname, parts.port))
        with conn:
            conn.sendall(b"HEAD /feed.xml HTTP/1.1\r\nHost: x\r\n\r\n")
            assert conn.recv(4096).startswith(b"HTTP/1.1 200 OK\r\n")
            assert _closed_within(conn, 2)


def test_connections_are_bounded_and_the_excess_get_503(folder: Path) -> None:
    with running(folder, header_timeout=5, max_connections=4) as base:
        parts = urlsplit(base)
        threads_before = threading.active_count()
        held = [socket.create_connection((parts.hostname, parts.port)) for _ in range(40)]
        try:
            time.sleep(0.3)
            assert threading.active_count() - threads_before <= 4
            turned_away = 0
            for sock in held[4:]:
                sock.settimeout(5)
                with contextlib.suppress(ConnectionResetError):
                    if sock.recv(4096).startswith(b"HTTP/1.1 503 Service Unavailable\r\n"):
                        turned_away += 1
            assert turned_away == 36
        finally:
            for sock in held:
                sock.close()
        # Slots come back: a normal request is served again.
        deadline = time.monotonic() + 5
        while True:
            status, _, _ = raw_exchange(base, request("HEAD", "/feed.xml"))
            if status == "HTTP/1.1 200 OK" or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert status == "HTTP/1.1 200 OK"
