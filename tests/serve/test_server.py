"""narrate serve over real sockets: byte ranges, HEAD, types, CORS, nothing hidden or outside
the folder, and the wire rules of RFC 9112 (through h11)."""

from __future__ import annotations

import contextlib
import email.policy
import email.utils
import http.client
import json
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import mutagen.id3
import pytest
import requests
from lxml import etree
from lxml import html as lxml_html

from narrate.publish.feed import PODCAST
from narrate.serve.files import open_served
from narrate.serve.rules import mime_type, path_segments
from narrate.serve.server import make_folder_server, running
from tests.publish.test_feed import NOW, UNDATED, build, podcast_config, regenerate_feed

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
def test_open_served_refuses(folder: Path, path: str) -> None:
    segments = path_segments(path)
    assert segments is None or open_served(folder.resolve(), segments) is None


def test_the_front_page_escapes_file_names(tmp_path: Path) -> None:
    (tmp_path / "<b>&.mp3").write_bytes(b"x")
    with running(tmp_path) as base:
        body = requests.get(base, timeout=10).text
    assert ">&lt;b&gt;&amp;</a>" in body and "<b>" not in body


# -- the whole path: a built episode, its feed, served ----------------------------------------


def test_feed_urls_resolve_through_the_server_and_agree_with_the_mp3(tmp_path: Path) -> None:
    article = tmp_path / "hockey.md"
    article.write_text(UNDATED, encoding="utf-8")
    out = tmp_path / "audio"
    episode = build(article, out, tmp_path / "cache")
    from tests.publish.test_feed import publish_episode

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
        # The item's link is its player page; the channel's is the front page, listing it.
        page = requests.get(item.findtext("link"), timeout=10)
        assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
        assert unquote(urlsplit(page.url).path) == f"/{episode.slug}.html"
        front = lxml_html.fromstring(requests.get(feed.findtext("channel/link"), timeout=10).text)
        assert front.findtext(".//h1") == config.title
        links = [unquote(a.get("href")) for a in front.iterfind(".//ol//a")]
        assert links == [f"{episode.slug}.html"]
        assert front.find(".//p[@class='feed']/a").get("href") == base + "feed.xml"
    tags = mutagen.id3.ID3(out / f"{episode.slug}.mp3")
    chaps = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    served = json.loads(chapters.content)["chapters"]
    assert [(round(c["startTime"] * 1000), c["title"]) for c in served] == [
        (c.start_time, str(c.sub_frames["TIT2"].text[0])) for c in chaps
    ]


REPO = Path(__file__).parents[2]


@contextlib.contextmanager
def narrate_serve(*args: str, cwd: Path = REPO) -> Iterator[tuple[str, str]]:
    """``narrate serve ARGS --port 0`` as a process: its first line and its URL."""
    code = "from narrate.cli import main; main()"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "serve", *args, "--port", "0"],
        stderr=subprocess.PIPE, text=True, cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line
        yield line, match.group(0)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_narrate_serve_command(folder: Path) -> None:
    with narrate_serve(str(folder)) as (line, base):
        assert f"(feed: {base}feed.xml)" in line  # the fixture folder has a feed.xml
        response = requests.get(base + MP3[1:], headers={"Range": "bytes=5-9"}, timeout=5)
        assert response.status_code == 206 and response.content == bytes(range(5, 10))


def test_narrate_serve_shows_the_podcast_of_narrate_toml(tmp_path: Path) -> None:
    """Issue 26: the front page was a file list titled "audio", and the first line named a
    feed.xml that was not there."""
    (tmp_path / "audio").mkdir()
    (tmp_path / "audio" / "art.png").write_bytes(b"\x89PNG")
    (tmp_path / "narrate.toml").write_text(
        '[podcast]\ntitle = "सुबह की ख़बरें"\ndescription = "रोज़"\nauthor = "डेस्क"\n'
        'owner_name = "डेस्क"\nowner_email = "desk@news.example.com"\n'
        'artwork = "audio/art.png"\n', encoding="utf-8")
    with narrate_serve(cwd=tmp_path) as (line, base):
        assert "feed" not in line
        front = lxml_html.fromstring(requests.get(base, timeout=5).text)
    assert front.findtext(".//h1") == "सुबह की ख़बरें"
    assert front.find(".//header/img").get("src") == "art.png"
    assert "एपिसोड (0)" in front.text_content()


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


# -- hidden files are hidden however they are reached -----------------------------------------


def test_a_link_into_hidden_files_is_404(folder: Path) -> None:
    """Issue 23: ``ln -s .narrate/state.db audio/link.txt`` served the SQLite store."""
    state = folder / ".narrate"
    state.mkdir()
    (state / "state.db").write_bytes(b"SQLite format 3\x00" + SECRET)
    (folder / "link.txt").symlink_to(".narrate/state.db")
    (folder / "state-dir").symlink_to(".narrate", target_is_directory=True)
    (folder / "sub" / "up.txt").symlink_to("../.hidden.mp3.tmp")
    (folder / "absolute.txt").symlink_to(state / "state.db")
    (folder / "latest.mp3").symlink_to("एपिसोड.mp3")  # a link that stays visible is served
    with running(folder) as base:
        for path in ("/link.txt", "/state-dir/state.db", "/sub/up.txt", "/absolute.txt"):
            status, _, body = raw_get(base, path)
            assert status == 404, path
            assert SECRET not in body and b"partial" not in body
        status, _, body = raw_get(base, "/latest.mp3")
        assert status == 200 and body == DATA


def test_a_fifo_is_404_at_once(folder: Path) -> None:
    os.mkfifo(folder / "pipe.mp3")
    (folder / "pipe-link.mp3").symlink_to("pipe.mp3")
    with running(folder) as base:
        started = time.monotonic()
        for path in ("/pipe.mp3", "/pipe-link.mp3"):
            status, _, _ = raw_get(base, path)
            assert status == 404
        assert time.monotonic() - started < 5  # opening a FIFO would hang for ever


# -- the wire: RFC 9112 through h11 -------------------------------------------------------------

TCHAR = r"[!#$%&'*+.^_`|~0-9A-Za-z-]"
#: RFC 9112 §3: request-line = method SP request-target SP HTTP-version.
REQUEST_LINE = re.compile(rf"{TCHAR}+ [\x21-\x7e]+ HTTP/([0-9])\.[0-9]")
STATUS_LINE = re.compile(rb"HTTP/1\.1 ([0-9]{3}) [^\r\n]*\r\n")

#: Methods and what they are to this server.
FUZZ_METHODS = {"GET": "read", "HEAD": "read", "OPTIONS": "options", "POST": "refused",
                "DELETE": "refused", "TRACE": "refused", "BREW": "unknown", "get": "unknown",
                "GE(T": "unknown", "": "unknown"}
#: Request-targets: the status of a GET, or "bad" (not a form a server accepts), or "*".
FUZZ_TARGETS = {"/": 200, "/feed.xml": 200, "/nothing": 404, "/..%2fsecret.txt": 404,
                "/.hidden.mp3.tmp": 404, "/feed.xml?x=1": 200,
                "http://localhost/feed.xml": 200, "http://[::1]/feed.xml": 200,
                "https://h": 200, "*": "*", "http://[::1/": "bad", "feed.xml": "bad",
                "/%zz": "bad", "http://u@h/": "bad", "ftp://h/": "bad", "/a<b": "bad",
                "/a b": "bad"}
FUZZ_VERSIONS = ["HTTP/1.1", "HTTP/1.0", "HTTP/1.2", "HTTP/2.0", "HTTP/0.9", "HTTP/3.0",
                 "HTTP/2", "HTTP/1", "http/1.1", "HTTP/1.1.1", "HTTPS/1.1", "HTTP/11", ""]
FUZZ_EXTRAS = ["", "", " extra", " HTTP/1.1", " "]
FUZZ_SEPARATORS = [" ", " ", " ", "  ", "\t"]
FUZZ_BLANKS = ["", "", "\r\n", "\r\n\r\n"]


def expected_status(method: str, target: str, line: str) -> int:
    """What RFC 9110/9112 say about ``line`` sent to the fixture folder (an oracle written
    from the RFCs' grammar, independent of the server's code)."""
    match = REQUEST_LINE.fullmatch(line)
    if match is None:
        return 400
    if match.group(1) != "1":
        return 505
    kind = FUZZ_TARGETS[target]
    if kind == "bad" or (kind == "*" and method != "OPTIONS"):
        return 400
    role = FUZZ_METHODS[method]
    if role == "unknown":
        return 501
    if role == "refused":
        return 405
    if role == "options":
        return 204
    assert isinstance(kind, int)
    return kind


def fuzz_cases(count: int, seed: int = 9112) -> list[tuple[bytes, int]]:
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        method = rng.choice(list(FUZZ_METHODS))
        target = rng.choice(list(FUZZ_TARGETS))
        sep = rng.choice(FUZZ_SEPARATORS)
        line = f"{method}{sep}{target}{sep}{rng.choice(FUZZ_VERSIONS)}{rng.choice(FUZZ_EXTRAS)}"
        raw = (rng.choice(FUZZ_BLANKS) + line + "\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        cases.append((raw.encode("latin-1"), expected_status(method, target, line)))
    return cases


FUZZ_COUNT = 3000


def test_fuzzed_request_lines_all_get_a_status_line_and_the_rfc_s_code(url: str) -> None:
    """Issue 23: 2,440 of 3,000 such lines got an HTML page without a status line."""
    parts = urlsplit(url)
    wrong = []
    for raw, expected in fuzz_cases(FUZZ_COUNT):
        with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
            sock.sendall(raw)
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        match = STATUS_LINE.match(data)
        if match is None or int(match.group(1)) != expected:
            wrong.append((raw, expected, data[:60]))
    assert wrong == [], f"{len(wrong)} of {FUZZ_COUNT}: {wrong[:5]}"


def test_the_fuzz_covers_every_status() -> None:
    assert {code for _, code in fuzz_cases(FUZZ_COUNT)} == {200, 204, 400, 404, 405, 501, 505}


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b"GET /feed.xml HTTP/1.1\r\nConnection: close\r\n\r\n", 400),  # no Host
        (b"GET /feed.xml HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n", 400),
        (b"GET /feed.xml HTTP/1.1\r\nHost: a\r\nHost: a\r\nConnection: close\r\n\r\n", 400),
        (b"GET /feed.xml HTTP/1.1\r\nHost : a\r\nConnection: close\r\n\r\n", 400),
        (b"GET /feed.xml HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n", 400),
        (b"GET /feed.xml HTTP/1.1\r\nHost: [::1\r\nConnection: close\r\n\r\n", 400),
        (b"GET /feed.xml HTTP/1.0\r\n\r\n", 200),  # HTTP/1.0 may omit Host
        (b"GET /feed.xml HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n", 200),
        (b"\r\n\r\nGET /feed.xml HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", 200),
        (b"GET http://[::1/ HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", 400),
        (b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505),  # an HTTP/2 client without upgrade
        (b"GET /feed.xml HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
        (b"GET /feed.xml HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n"
         b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n", 400),
        (b"GET /" + b"a" * 20_000 + b" HTTP/1.1\r\n\r\n", 414),
        (b"GET / HTTP/1.1\r\nHost: a\r\nX: " + b"a" * 20_000 + b"\r\n\r\n", 431),
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 400),  # TLS spoken to plain HTTP
    ],
)
def test_host_and_framing_rules(url: str, raw: bytes, status: int) -> None:
    line, fields, _ = raw_exchange(url, raw)
    assert line.startswith(f"HTTP/1.1 {status} "), line
    assert len(field(fields, "Date")) == 1
    if status >= 400:
        assert field(fields, "Connection") == ["close"]


def split_responses(data: bytes) -> list[tuple[int, bytes]]:
    """(status, body) of each response in ``data``, framed by Content-Length (no HEAD)."""
    out = []
    while data:
        head, _, rest = data.partition(b"\r\n\r\n")
        match = STATUS_LINE.match(head + b"\r\n")
        assert match is not None, data[:80]
        length = re.search(rb"\r\nContent-Length: ([0-9]+)", head)
        size = int(length.group(1)) if length else 0
        out.append((int(match.group(1)), rest[:size]))
        data = rest[size:]
    return out


def exchange_all(base: str, raw: bytes) -> list[tuple[int, bytes]]:
    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(raw)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return split_responses(data)


SMUGGLED = b"GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n"
LAST = b"GET /feed.xml HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"


def test_a_request_body_is_read_not_taken_for_a_request(url: str) -> None:
    """Issue 23: a POST whose body is a GET was answered as two requests."""
    post = (b"POST /feed.xml HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Length: %d\r\n\r\n" % len(SMUGGLED)) + SMUGGLED
    assert [s for s, _ in exchange_all(url, post + LAST)] == [405, 200]
    chunked = (b"POST /feed.xml HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
               b"%x\r\n" % len(SMUGGLED) + SMUGGLED + b"\r\n0\r\n\r\n")
    assert [s for s, _ in exchange_all(url, chunked + LAST)] == [405, 200]
    get_with_body = (b"GET /feed.xml HTTP/1.1\r\nHost: localhost\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(SMUGGLED)) + SMUGGLED
    answers = exchange_all(url, get_with_body + LAST)
    assert answers == [(200, b"<rss/>"), (200, b"<rss/>")]


def test_a_body_too_long_to_read_ends_the_connection(url: str) -> None:
    body = SMUGGLED * (70_000 // len(SMUGGLED))
    post = (b"POST /feed.xml HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body)) + body
    assert [s for s, _ in exchange_all(url, post + LAST)] == [405]
    expect = (b"POST /feed.xml HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\n"
              b"Content-Length: 10\r\n\r\n")
    assert [s for s, _ in exchange_all(url, expect)] == [405]


def test_pipelined_requests_are_answered_in_order(url: str) -> None:
    first = b"GET /nothing HTTP/1.1\r\nHost: localhost\r\n\r\n"
    answers = exchange_all(url, first + b"\r\n" + SMUGGLED + LAST)
    assert [s for s, _ in answers] == [404, 200, 200]
    assert answers[1][1] == "<p>हिंदी</p>".encode()


def test_a_range_of_4301_digits_gets_an_answer(url: str) -> None:
    """Issue 23: Python's int() limit closed the connection without a response."""
    status, fields, _ = raw_exchange(url, request("GET", MP3, f"Range: bytes={'9' * 4301}-"))
    assert status == "HTTP/1.1 416 Range Not Satisfiable"
    assert field(fields, "Content-Range") == [f"bytes */{len(DATA)}"]
    status, _, body = raw_exchange(url, request("GET", MP3, f"Range: bytes=0-{'9' * 4301}"))
    assert status == "HTTP/1.1 206 Partial Content" and body == DATA


def test_overlapping_ranges_cannot_amplify_the_answer(url: str) -> None:
    """Issue 23: 32 alternating half-file ranges returned 16 times the file."""
    half = len(DATA) // 2
    alternating = ",".join([f"0-{half - 200}", f"{half + 200}-"] * 16)
    status, _, body = raw_exchange(url, request("GET", MP3, f"Range: bytes={alternating}"))
    assert status == "HTTP/1.1 206 Partial Content"
    assert len(body) < 2 * len(DATA)
    assert len(body) < len(DATA)  # two parts, not 32
    overlapping = ",".join(f"{i}-{len(DATA) - 1 - i}" for i in range(32))
    status, fields, body = raw_exchange(url, request("GET", MP3, f"Range: bytes={overlapping}"))
    assert status == "HTTP/1.1 206 Partial Content" and body == DATA
    assert field(fields, "Content-Range") == [f"bytes 0-{len(DATA) - 1}/{len(DATA)}"]


def test_an_unfinished_head_gets_408_before_the_close(folder: Path) -> None:
    with running(folder, header_timeout=0.5) as base:
        parts = urlsplit(base)
        with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
            sock.sendall(b"GET /feed.xml HTTP/1.1\r\nHost: a\r\n")
            data = b""
            while chunk := sock.recv(4096):
                data += chunk
    assert data.startswith(b"HTTP/1.1 408 Request Timeout\r\n")


def test_a_feed_item_links_its_player_page_only_when_there_is_one(tmp_path: Path) -> None:
    article = tmp_path / "hockey.md"
    article.write_text(UNDATED, encoding="utf-8")
    out = tmp_path / "audio"
    from tests.publish.test_feed import publish_episode

    episode = publish_episode(out, build(article, out, tmp_path / "cache"), None, now=NOW)
    (out / "copied.mp3").write_bytes(episode.audio.read_bytes())  # an MP3 copied in, no page
    regenerate_feed(out, podcast_config(tmp_path, "https://news.example.com/"), now=NOW)
    items = etree.parse(str(out / "feed.xml")).getroot().findall("channel/item")
    links = {unquote(urlsplit(i.find("enclosure").get("url")).path): i.findtext("link")
             for i in items}
    assert links == {f"/{episode.slug}.mp3": f"https://news.example.com/{quote(episode.slug)}.html",
                     "/copied.mp3": None}


def test_help_does_not_load_the_server() -> None:
    """h11, lxml and the server load when ``narrate serve`` serves, not for ``--help``."""
    code = (
        "import sys, json\n"
        "from narrate.cli import cli\n"
        "for args in (['--help'], ['serve', '--help']):\n"
        "    try:\n"
        "        cli.main(args, standalone_mode=False)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('h11', 'lxml')\n"
        "                        or m.startswith('narrate.serve'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=REPO)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
    assert "--config" in done.stdout  # serve's own help was printed


def test_pipelined_bytes_too_large_for_a_head_get_431(url: str) -> None:
    """The second head arrives with the first; its size is checked all the same."""
    big = b"GET / HTTP/1.1\r\nHost: a\r\nX: " + b"a" * 20_000 + b"\r\n\r\n"
    first = b"GET /feed.xml HTTP/1.1\r\nHost: localhost\r\n\r\n"
    assert [s for s, _ in exchange_all(url, first + big)] == [200, 431]


def test_expect_100_continue_without_a_body_keeps_the_connection(url: str) -> None:
    expect = b"GET /feed.xml HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\n\r\n"
    assert [s for s, _ in exchange_all(url, expect + LAST)] == [200, 200]
