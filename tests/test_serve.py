"""narrate serve: byte ranges, HEAD, types, CORS, and nothing outside the folder."""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
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
