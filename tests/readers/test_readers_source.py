"""Sources: files, standard input, and http(s) URLs served by a local server."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pytest

from narrate.errors import ArticleError
from narrate.readers import read_article
from narrate.readers import source as source_module

from .conftest import Route, Server
from .support import FIXTURES

TEXT = "शहर में आज से नई बस सेवा शुरू हो गई है। पहले दिन दस हज़ार लोगों ने सफ़र किया।"


def test_path_and_format_by_extension(tmp_path: Path) -> None:
    path = tmp_path / "लेख.md"
    path.write_text(f"# बस सेवा\n\n{TEXT}\n", encoding="utf-8")
    article = read_article(str(path))
    assert article.title == "बस सेवा"
    assert article.source == str(path)


def test_stdin() -> None:
    article = read_article("-", stdin=io.BytesIO(f"बस सेवा\n\n{TEXT}".encode()))
    assert article.title == "बस सेवा"
    assert article.source == "<stdin>"


def test_stdin_format_is_sniffed() -> None:
    data = json.dumps({"title": "बस", "sections": [{"text": TEXT}]}).encode()
    assert read_article("-", stdin=io.BytesIO(data)).title == "बस"


def test_forced_format_wins_over_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_text(f"# शीर्षक नहीं\n\n{TEXT}", encoding="utf-8")
    article = read_article(str(path), fmt="txt")
    assert article.title == "# शीर्षक नहीं"  # plain text: the '#' is part of the line


# --- URLs ----------------------------------------------------------------------------------


def test_url_200_html(server: Server) -> None:
    server.routes["/khel/cricket"] = Route(body=(FIXTURES / "cricket-page.html").read_bytes())
    url = server.url("/khel/cricket")
    article = read_article(url, timeout=5)
    assert article.title == "भारत ने दूसरा टेस्ट जीता, सीरीज़ बराबर"
    assert article.source == url
    user_agent = server.requests[-1]["User-Agent"]
    assert user_agent.startswith("Mozilla/5.0") and "narrate" in user_agent


def test_url_content_type_chooses_the_reader(server: Server) -> None:
    body = json.dumps({"title": "बस", "sections": [{"text": TEXT}]}, ensure_ascii=False)
    server.routes["/api/story"] = Route(body=body.encode(), content_type="application/json")
    assert read_article(server.url("/api/story"), timeout=5).title == "बस"


def test_url_extension_beats_a_generic_content_type(server: Server) -> None:
    server.routes["/raw/story.md"] = Route(
        body=f"# बस सेवा\n\n{TEXT}".encode(), content_type="text/plain; charset=utf-8"
    )
    assert read_article(server.url("/raw/story.md"), timeout=5).title == "बस सेवा"


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (404, "HTTP 404 Not Found. Probable cause: a wrong address"),
        (403, "HTTP 403 Forbidden. Probable cause: the site refuses scripts"),
        (500, "HTTP 500 Internal Server Error. Probable cause: a problem on the site"),
    ],
)
def test_url_error_status(server: Server, status: int, reason: str) -> None:
    server.routes["/story"] = Route(status=status, body=b"<html>error</html>")
    url = server.url("/story")
    with pytest.raises(ArticleError) as e:
        read_article(url, timeout=5)
    assert e.value.source == url
    assert e.value.reason.startswith(reason)
    assert "\n" not in str(e.value)


def test_url_slow_answer_times_out(server: Server) -> None:
    server.routes["/slow"] = Route(body=b"<p>x</p>", delay=10)
    started = time.monotonic()
    with pytest.raises(ArticleError) as e:
        read_article(server.url("/slow"), timeout=0.3)
    assert time.monotonic() - started < 5
    assert "0.3 s" in e.value.reason


def test_url_trickling_body_hits_the_deadline(server: Server) -> None:
    server.routes["/trickle"] = Route(body=TEXT.encode() * 20, trickle=0.05)
    started = time.monotonic()
    with pytest.raises(ArticleError) as e:
        read_article(server.url("/trickle"), timeout=0.5)
    assert time.monotonic() - started < 5
    assert "longer than 0.5 s" in e.value.reason


def test_url_over_the_size_cap(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source_module, "MAX_BYTES", 100)
    server.routes["/big"] = Route(body=TEXT.encode() * 10)
    with pytest.raises(ArticleError, match="too large"):
        read_article(server.url("/big"), timeout=5)


def test_url_connection_refused(server: Server) -> None:
    url = server.url("/x")
    port = url.rsplit(":", 1)[1].split("/")[0]
    closed = f"http://127.0.0.1:{int(port) + 1 if int(port) < 65535 else 1}/x"
    with pytest.raises(ArticleError) as e:
        read_article(closed, timeout=2)
    assert e.value.source == closed
    assert e.value.reason.startswith("cannot connect. Probable cause:")


def test_url_empty_page(server: Server) -> None:
    server.routes["/empty"] = Route(body=b"")
    with pytest.raises(ArticleError, match="empty file"):
        read_article(server.url("/empty"), timeout=5)


def test_url_body_that_stalls_times_out(server: Server) -> None:
    """Headers arrive, then no byte for longer than the timeout."""
    server.routes["/stall"] = Route(body=TEXT.encode(), trickle=5)
    started = time.monotonic()
    with pytest.raises(ArticleError) as e:
        read_article(server.url("/stall"), timeout=0.3)
    assert time.monotonic() - started < 4
    assert e.value.reason.startswith("the site stopped sending data for 0.3 s")
