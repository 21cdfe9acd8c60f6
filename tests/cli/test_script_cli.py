"""``narrate script``: the JSON contract, and one clear line for every bad input."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.cli.conftest import Run

DEMO = Path(__file__).parents[2] / "narrate" / "samples" / "demo-article.md"

ARTICLE_TXT = (
    "बाज़ार में हलचल\n\n"
    "शेयर बाज़ार आज ऊपर बंद हुआ। निवेशकों ने राहत की साँस ली।\n\n"
    "विदेशी निवेशकों ने भी खरीदारी की, लेकिन छोटे शेयर दबाव में रहे।\n"
)


def _one_line_error(result: Run) -> str:
    assert result.code in (1, 2), result
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    return lines[0]


def test_json_contract_on_the_demo_article(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("script", str(DEMO), "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert set(data) == {"engine", "title", "date", "language", "sections"}
    limit = {"gtts": 100, "espeak": 100, "kokoro": 150}[data["engine"]]
    assert data["language"] == "hi"
    assert data["date"] == "2025-08-14"
    assert data["title"] == "मानसून की अच्छी बारिश से किसानों को राहत"
    for section in data["sections"]:
        assert set(section) == {"title", "chunks"}
        for chunk in section["chunks"]:
            assert set(chunk) == {"text", "kind"}
            assert chunk["kind"] in ("title", "heading", "body")
            assert 0 < len(chunk["text"]) <= limit
    kinds = [c["kind"] for s in data["sections"] for c in s["chunks"]]
    assert kinds[0] == "title"
    assert [s["title"] for s in data["sections"]][1:] == [
        "बुवाई का रकबा बढ़ा",
        "मंडियों में क्या बदला",
        "विशेषज्ञ क्या कहते हैं?",
        "आगे की राह",
    ]
    assert all(s["chunks"][0]["kind"] == "heading" for s in data["sections"][1:])


def test_human_output_lists_sections_and_chunks(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("script", str(DEMO))
    assert result.code == 0, result.err
    assert "§1" in result.out and "§5" in result.out
    assert "title" in result.out and "heading" in result.out


def test_reads_standard_input(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("script", "-", "--json", stdin=ARTICLE_TXT.encode())
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["title"] == "बाज़ार में हलचल"
    body = " ".join(c["text"] for s in data["sections"] for c in s["chunks"] if c["kind"] == "body")
    assert "निवेशकों ने राहत की साँस ली।" in body


@pytest.fixture
def article_server() -> Iterator[str]:
    page = (
        "<html lang='hi'><head><title>खबर</title></head><body><article><h1>बाज़ार में हलचल</h1>"
        "<p>शेयर बाज़ार आज ऊपर बंद हुआ। निवेशकों ने राहत की साँस ली और खरीदारी जारी रखी।</p>"
        "<p>विदेशी निवेशकों ने भी खरीदारी की, लेकिन छोटे शेयर दबाव में रहे।</p>"
        "</article></body></html>"
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/article.html":
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)
            else:
                self.send_error(404)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_reads_a_url(run_cli, article_server: str) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("script", f"{article_server}/article.html", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["title"] == "बाज़ार में हलचल"


def test_url_not_found_is_one_line(run_cli, article_server: str) -> None:  # type: ignore[no-untyped-def]
    line = _one_line_error(run_cli("script", f"{article_server}/missing.html"))
    assert "404" in line


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n \t\n", "empty"),
        ("binary.txt", bytes(range(256)) * 4, ""),
        ("latin1.txt", "किसान".encode() + b"\xe9\xff caf\xe9", ""),
        ("english.txt", b"Only English words here. Nothing in Hindi.", ""),
        ("broken.json", b'{"title": "x", "sections": [', ""),
        ("nosections.json", '{"title": "खबर"}'.encode(), ""),
    ],
)
def test_bad_articles_get_one_line_and_exit_1(  # type: ignore[no-untyped-def]
    run_cli, tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = run_cli("script", str(path))
    line = _one_line_error(result)
    assert result.code == 1
    assert name in line
    assert reason in line


def test_missing_file_and_directory(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = run_cli("script", str(tmp_path / "nope.txt"))
    assert missing.code == 1 and "nope.txt" in _one_line_error(missing)
    directory = run_cli("script", str(tmp_path))
    assert directory.code == 1 and str(tmp_path) in _one_line_error(directory)


def test_utf16_and_bom_are_read(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for encoding, name in (("utf-16", "a16.txt"), ("utf-8-sig", "a8.txt")):
        path = tmp_path / name
        path.write_bytes(ARTICLE_TXT.encode(encoding))
        result = run_cli("script", str(path), "--json")
        assert result.code == 0, result.err
        assert json.loads(result.out)["title"] == "बाज़ार में हलचल"


def test_unknown_engine_is_a_usage_error(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("script", str(DEMO), "--engine", "nope")
    assert result.code == 2
    assert "Traceback" not in result.err


def test_bad_lexicon_is_one_line(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lexicon = tmp_path / "words.tsv"
    lexicon.write_text("no tab on this line\n", encoding="utf-8")
    result = run_cli("script", str(DEMO), "--lexicon", str(lexicon))
    line = _one_line_error(result)
    assert "words.tsv" in line


def test_lexicon_changes_what_is_said(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lexicon = tmp_path / "words.tsv"
    lexicon.write_text("सुनीता\tसु-नी-ता\n", encoding="utf-8")
    result = run_cli("script", str(DEMO), "--json", "--lexicon", str(lexicon))
    assert result.code == 0, result.err
    assert "सु-नी-ता" in result.out


def test_console_script_never_shows_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "empty.md"
    path.write_bytes(b"")
    proc = subprocess.run(
        [sys.executable, "-m", "narrate", "script", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("narrate: error:")


# --- one enormous "word": memory bounded by the article, SIGTERM honoured -------------------

#: The ceiling the issue sets for ``narrate script`` and ``narrate build`` on any input
#: under the 10 MB limit.
PEAK_RSS_LIMIT_KB = 300 * 1024


def _one_word_article(path: Path) -> Path:
    """A 1 MB article that is one 350,000-character "word" (three bytes a letter)."""
    letters = "कखगघचछजझटठडढतथदधनपफबभमयरलवशसह"
    word = "".join(letters[(i * 7919) % len(letters)] for i in range(350_000))
    path.write_text(word, encoding="utf-8")
    assert path.stat().st_size > 1_000_000
    return path


def _narrate(*args: str, cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "narrate", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _wait_with_peak_rss(process: subprocess.Popen[bytes]) -> tuple[int, int]:
    """Exit status and peak resident set size (KiB, from the kernel's rusage) of a child."""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_maxrss


def test_one_enormous_word_script_memory_and_output_stay_small(tmp_path: Path) -> None:
    article = _one_word_article(tmp_path / "one-word.txt")
    process = _narrate("script", str(article), cwd=tmp_path)
    assert process.stdout is not None and process.stderr is not None
    out_file = tmp_path / "script.out"
    with out_file.open("wb") as sink:
        for block in iter(lambda: process.stdout.read(1 << 16), b""):  # type: ignore[union-attr]
            sink.write(block)
    err = process.stderr.read()
    code, peak_kb = _wait_with_peak_rss(process)
    assert code == 0, err.decode()
    assert peak_kb < PEAK_RSS_LIMIT_KB, f"peak RSS {peak_kb // 1024} MB"
    # the script is the article once more (about 1 MB of text), not once per warning
    assert out_file.stat().st_size < 4 * article.stat().st_size
    warnings = out_file.read_text(encoding="utf-8").split("\nwarnings:\n")[1].splitlines()
    assert 1 <= len(warnings) <= 5
    assert all(len(line) < 300 for line in warnings)


def test_one_enormous_word_build_memory_and_sigterm(tmp_path: Path) -> None:
    """``narrate build`` on the same article, with the offline voice: its memory stays small
    while it works through 3,500 chunks, and SIGTERM ends it within seconds (not the minutes
    it would run), leaving no half-written file behind."""
    article = _one_word_article(tmp_path / "one-word.txt")
    out = tmp_path / "audio"
    process = _narrate(
        "build", str(article), "--engine", "espeak", "--out", str(out),
        "--cache-dir", str(tmp_path / "cache"), cwd=tmp_path,
    )
    deadline = time.monotonic() + 60
    cache = tmp_path / "cache"
    # wait until synthesis is under way (clips land in the cache), then a little more
    while time.monotonic() < deadline and sum(1 for _ in cache.rglob("*.*")) < 20:
        assert process.poll() is None, process.stderr.read().decode()  # type: ignore[union-attr]
        time.sleep(0.2)
    time.sleep(2)
    assert process.poll() is None
    sent = time.monotonic()
    process.send_signal(signal.SIGTERM)
    code, peak_kb = _wait_with_peak_rss(process)
    took = time.monotonic() - sent
    assert took < 3.0, f"SIGTERM took {took:.2f} s"  # left alone, it runs for minutes
    assert code == 130
    assert peak_kb < PEAK_RSS_LIMIT_KB, f"peak RSS {peak_kb // 1024} MB"
    # the folder holds nothing but the publishing state, and no run's work area
    assert not out.exists() or {p.name for p in out.iterdir()} <= {".narrate"}
    assert not any((out / ".narrate" / "runs").glob("*"))


CORPUS = Path(__file__).parents[1] / "corpus" / "articles"


@pytest.mark.parametrize(
    ("page", "says"),
    [
        ("nav-only.html", "only navigation, links and scripts"),
        ("paywall-stub.html", "subscription or login notice"),
        ("not-found-200.html", "'page not found' notice"),
    ],
)
def test_a_page_without_an_article_is_one_line_and_exit_1(
    run_cli, page: str, says: str  # type: ignore[no-untyped-def]
) -> None:
    result = run_cli("script", str(CORPUS / page))
    assert result.code == 1
    line = _one_line_error(result)
    assert page in line and "no article text found" in line and says in line
    assert result.out == ""
