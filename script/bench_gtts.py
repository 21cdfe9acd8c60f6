#!/usr/bin/env python3
"""Benchmark narrate's gtts path against plain ``gtts-cli``, both talking to a local
stand-in for Google that answers every request after 300 ms.

gTTS sends through the proxy named in ``HTTPS_PROXY`` and does not verify certificates, so a
local proxy that accepts ``CONNECT``, terminates TLS with a self-signed certificate made at
start (``trustme``) and answers the ``batchexecute`` call stands in for Google with no
change to either program. Nothing leaves the machine.

Reports requests sent, wall time and the longest request text for: ``gtts-cli`` on the
article's body text; narrate cold (empty cache); narrate warm (same article again); narrate
after a one-paragraph edit. Targets (issue 3): narrate at least 5x faster than gtts-cli with
at most 20% more requests, every request within 100 characters, a warm re-run sends 0
requests, an edit sends only that paragraph's requests.

    .venv/bin/python script/bench_gtts.py [ARTICLE] [--delay 0.3] [--jobs N] [--repeat N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import socketserver
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ARTICLE = ROOT / "narrate" / "samples" / "demo-article.md"
sys.path.insert(0, str(ROOT))
from tests.fakes.google import audio_body, request_text, tiny_mp3  # noqa: E402  the same fake

GOOGLE_HOST = "translate.google.com"
#: Appended to one paragraph for the edit run.
EDIT = " अधिकारियों ने बताया कि यह जानकारी अगले सप्ताह फिर से जाँची जाएगी।"


# --- the stand-in for Google ---------------------------------------------------------------


@dataclass
class Ledger:
    """Every text the stand-in was asked to say, the most requests at once, and how many
    connections (CONNECT tunnels, each with its TLS handshake) carried them."""

    texts: list[str] = field(default_factory=list)
    peak: int = 0
    in_flight: int = 0
    connections: int = 0
    close: bool = False  # answer every request with Connection: close (no reuse)
    rtt_s: float = 0.0  # a network round trip, paid twice per new connection (TCP, TLS)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _read_head(stream: Any) -> tuple[str, dict[str, str]] | None:
    """Request line and headers, or None at end of stream."""
    line = stream.readline(65536)
    if not line:
        return None
    headers: dict[str, str] = {}
    while True:
        header = stream.readline(65536)
        if header in (b"\r\n", b"\n", b""):
            break
        name, _, value = header.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return line.decode("latin-1").strip(), headers


class StandIn(socketserver.ThreadingTCPServer):
    """An HTTPS proxy on 127.0.0.1 that is Google for gTTS: CONNECT, TLS, batchexecute."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, tls: ssl.SSLContext, body: bytes, delay_s: float) -> None:
        self.tls = tls
        self.body = body
        self.delay_s = delay_s
        self.ledger = Ledger()
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(socketserver.StreamRequestHandler):
    server: StandIn

    def handle(self) -> None:
        head = _read_head(self.rfile)
        if head is None:
            return
        request_line, _ = head
        method, target, _ = [*request_line.split(" "), "", ""][:3]
        if method == "GET" and target.startswith("/ledger"):
            ledger = self.server.ledger
            with ledger.lock:
                data = json.dumps({"texts": ledger.texts, "peak": ledger.peak,
                                   "connections": ledger.connections}).encode()
                if "reset-peak" in target:
                    ledger.peak = 0
                if "close=" in target:
                    ledger.close = "close=1" in target
                if "rtt=" in target:
                    ledger.rtt_s = float(target.rpartition("rtt=")[2])
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             b"Content-Length: " + str(len(data)).encode() + b"\r\n\r\n" + data)
            return
        if method != "CONNECT":
            self.wfile.write(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            return
        with self.server.ledger.lock:
            self.server.ledger.connections += 1
            rtt = self.server.ledger.rtt_s
        time.sleep(rtt)  # the TCP handshake
        self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self.wfile.flush()
        time.sleep(rtt)  # the TLS 1.3 handshake's round trip
        try:
            tls = self.server.tls.wrap_socket(self.connection, server_side=True)
        except (ssl.SSLError, OSError):
            return
        with tls, tls.makefile("rwb") as stream:
            while self._answer(stream):
                pass

    def _answer(self, stream: Any) -> bool:
        head = _read_head(stream)
        if head is None:
            return False
        request_line, headers = head
        body = stream.read(int(headers.get("content-length", "0")))
        ledger = self.server.ledger
        close = ledger.close or headers.get("connection", "").lower() == "close"
        if request_line.startswith("POST ") and "batchexecute" in request_line:
            with ledger.lock:
                ledger.texts.append(request_text(body))
                ledger.in_flight += 1
                ledger.peak = max(ledger.peak, ledger.in_flight)
            time.sleep(self.server.delay_s)
            with ledger.lock:
                ledger.in_flight -= 1
            status, payload = b"200 OK", self.server.body
        else:
            status, payload = b"404 Not Found", b""
        stream.write(
            b"HTTP/1.1 " + status + b"\r\nContent-Type: application/json; charset=utf-8\r\n"
            b"Content-Length: " + str(len(payload)).encode() + b"\r\n"
            + (b"Connection: close\r\n" if close else b"") + b"\r\n" + payload
        )
        stream.flush()
        return not close  # keep-alive, as Google's front ends do, unless asked not to


def serve(delay_s: float) -> None:
    """Run the stand-in in this process (``--serve``): print its URL, serve until killed."""
    try:
        import trustme
    except ImportError:
        sys.exit("bench_gtts: needs trustme for its self-signed certificate: pip install trustme")
    authority = trustme.CA()
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert(GOOGLE_HOST).configure_cert(tls)
    server = StandIn(tls, audio_body(tiny_mp3()).encode("ascii"), delay_s)
    with tempfile.TemporaryDirectory(prefix="stand-in-ca-") as folder:
        ca = Path(folder) / "ca.pem"
        authority.cert_pem.write_to_path(str(ca))
        print(server.url, ca, flush=True)  # narrate verifies certificates: trust this CA
        server.serve_forever()


class Remote:
    """The stand-in running in its own process (so it does not share narrate's GIL, as
    Google would not), and what it has been asked."""

    def __init__(self, delay_s: float) -> None:
        command = [sys.executable, str(Path(__file__).resolve()), "--serve",
                   "--delay", str(delay_s)]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        stdout = self.process.stdout
        self.url, _, self.ca = (stdout.readline().strip() if stdout is not None else "").partition(
            " "
        )
        if not self.url.startswith("http://"):
            self.close()
            sys.exit("bench_gtts: the stand-in for Google did not start")

    def ledger(self, *, reset_peak: bool = False) -> tuple[list[str], int]:
        """Every text asked for so far, and the most requests in flight at once."""
        data = self._ask("?reset-peak" if reset_peak else "")
        return list(data["texts"]), int(data["peak"])

    def connections(self) -> int:
        """Connections (CONNECT tunnels with their TLS handshakes) opened so far."""
        return int(self._ask("")["connections"])

    def keep_alive(self, on: bool, rtt_s: float = 0.0) -> None:
        """Keep connections open between requests (as Google does), or close each one; a
        new connection costs two round trips of ``rtt_s`` (TCP, then TLS)."""
        self._ask(f"?close={0 if on else 1}&rtt={rtt_s}")

    def _ask(self, query: str) -> dict[str, Any]:
        import urllib.request

        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(f"{self.url}/ledger{query}", timeout=10) as answer:
            data: dict[str, Any] = json.load(answer)
        return data

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(10)


@contextmanager
def stand_in(delay_s: float) -> Iterator[Remote]:
    remote = Remote(delay_s)
    try:
        yield remote
    finally:
        remote.close()


def proxy_env(url: str, ca: str = "") -> dict[str, str]:
    """The environment that sends gTTS (and narrate) to the stand-in, trusting its CA."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "all_proxy")}
    env.update({"HTTPS_PROXY": url, "https_proxy": url})
    if ca:
        env["REQUESTS_CA_BUNDLE"] = ca
    return env


# --- the article and its script ------------------------------------------------------------


def load(article_path: Path) -> tuple[Any, Any, str]:
    """The article, its narration script, and how the script was made."""
    from narrate.readers import read_article

    article = read_article(str(article_path))
    try:
        from narrate.script import build_script
    except ImportError as e:
        return article, fallback_script(article), f"fallback chunker ({e})"
    return article, build_script(article, max_chars=100), "narrate.script.build_script"


def fallback_script(article: Any) -> Any:
    """Sentences packed into chunks of at most 100 characters; only while the script stage
    cannot be imported. Title and headings are chunks of their own, as the script's are."""
    from narrate.model import Chunk, Script, ScriptSection

    def pack(paragraph: str) -> list[str]:
        chunks: list[str] = []
        for sentence in re.findall(r"[^।?!]+[।?!]?", paragraph):
            words, current = sentence.split(), ""
            for word in words:
                if current and len(current) + 1 + len(word) > 100:
                    chunks.append(current)
                    current = word
                else:
                    current = f"{current} {word}".strip()
            if current:
                chunks.append(current)
        return chunks

    sections = []
    for number, section in enumerate(article.sections):
        chunks = [Chunk(article.title, article.title, "title")] if number == 0 else []
        if section.heading and section.title != article.title:
            chunks.append(Chunk(section.title, section.title, "heading"))
        for paragraph in section.paragraphs:
            texts = pack(paragraph)
            chunks += [
                Chunk(t, t, "body", "paragraph" if k == len(texts) - 1 else "sentence")
                for k, t in enumerate(texts)
            ]
        sections.append(ScriptSection(section.title, tuple(chunks)))
    return Script(article.title, article.date, tuple(sections))


def paragraph_chunks(script: Any, section: int) -> set[str]:
    """Texts of the first paragraph's chunks in ``section`` (body chunks up to a paragraph end)."""
    texts: set[str] = set()
    for chunk in script.sections[section].chunks:
        if chunk.kind != "body":
            continue
        texts.add(chunk.text)
        if chunk.ends == "paragraph":
            break
    return texts


# --- the runs ------------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    requests: int
    wall_s: float
    max_chars: int
    note: str = ""
    command: str = ""
    cpu_s: float = 0.0
    connections: int = 0


@dataclass(frozen=True)
class Timing:
    wall_s: float
    cpu_s: float  # user + system of the process and every child it waited for
    max_rss_mb: float


def user_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a user's shell gives: Python may keep compiled bytecode (a CI or
    sandbox setting ``PYTHONDONTWRITEBYTECODE`` would make every start-up compile narrate)."""
    env = dict(os.environ if env is None else env)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def compile_narrate() -> None:
    """Byte-compile narrate once, as ``pip install`` does for a user's installation."""
    import compileall

    compileall.compile_dir(str(ROOT / "narrate"), quiet=1)


def timed(command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> Timing:
    """Run ``command`` as a user would (a new process) and time it whole: wall clock from
    fork to exit, CPU and peak memory from its rusage (``wait4``: it and its children)."""
    env = user_env(env)
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    stderr = process.stderr.read() if process.stderr is not None else b""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"bench_gtts: {' '.join(command)} failed:\n{stderr.decode(errors='replace')}")
    return Timing(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def shown(command: list[str]) -> str:
    """``command`` as a user types it: tools by name, files by their base name."""
    return " ".join(Path(part).name if "/" in part else part for part in command)


def narrate_exe() -> str:
    return str(Path(sys.executable).with_name("narrate"))


#: The start-up a build pays before its first piece of work: the interpreter and the modules
#: ``narrate build`` imports (``narrate --version`` starts leaner: it imports none of them).
BUILD_STARTUP = ("import narrate.cli.build, narrate.batch, narrate.engines.gtts_engine,"
                 " narrate.engines.espeak_engine, narrate.readers.markdown")


def build_startup_command() -> list[str]:
    return [sys.executable, "-c", BUILD_STARTUP]


def run_gtts_cli(server: Remote, article: Any, workdir: Path) -> Row:
    text = "\n\n".join(p for s in article.sections for p in s.paragraphs)
    source = workdir / "body.txt"
    source.write_text(text, encoding="utf-8")
    exe = Path(sys.executable).with_name("gtts-cli")
    command = [str(exe), "-l", "hi", "-f", str(source), "-o", str(workdir / "gtts-cli.mp3")]
    before, _ = server.ledger(reset_peak=True)
    connections = server.connections()
    took = timed(command, proxy_env(server.url))
    texts = server.ledger()[0][len(before):]
    return Row("gtts-cli (body text)", len(texts), took.wall_s, max(map(len, texts), default=0),
               "sequential requests", shown(command), took.cpu_s,
               server.connections() - connections)


def run_build(
    server: Remote, article: Path, workdir: Path, cache_dir: Path, name: str, *extra: str
) -> tuple[Row, list[str]]:
    """``narrate build`` as a user types it, through the stand-in."""
    command = [narrate_exe(), "build", str(article), "--engine", "gtts", "--out",
               str(workdir / "audio"), "--cache-dir", str(cache_dir), "-q", *extra]
    before, _ = server.ledger(reset_peak=True)
    connections = server.connections()
    took = timed(command, proxy_env(server.url, server.ca), cwd=workdir)
    after, peak = server.ledger()
    texts = after[len(before):]
    note = f"{peak} in flight at most" if texts else "every clip from the cache"
    return Row(name, len(texts), took.wall_s, max(map(len, texts), default=0), note,
               shown(command).replace(str(workdir), "."), took.cpu_s,
               server.connections() - connections), texts


def run_synth(server: Remote, script: Any, cache_dir: Path, jobs: int, name: str) -> Row:
    """In-process breakdown: ``synthesize`` alone (no start-up, no render)."""
    from narrate.cache import ClipCache
    from narrate.engines.gtts_engine import GTTSEngine
    from narrate.synth import synthesize

    before, _ = server.ledger(reset_peak=True)
    connections = server.connections()
    started = time.perf_counter()
    cpu = time.process_time()
    synthesize(script, GTTSEngine(), ClipCache(cache_dir), jobs=jobs)
    wall = time.perf_counter() - started
    texts = server.ledger()[0][len(before):]
    return Row(name, len(texts), wall, max(map(len, texts), default=0), "in-process",
               "synthesize(script, GTTSEngine(), cache)", time.process_time() - cpu,
               server.connections() - connections)


def median_row(rows: list[Row]) -> Row:
    """The run with the median wall time (requests are the same in every run)."""
    ordered = sorted(rows, key=lambda row: row.wall_s)
    middle = ordered[len(ordered) // 2]
    if len(rows) > 1:
        middle.note += f"; median of {len(rows)}"
    return middle


def edited_file(path: Path, article: Any, workdir: Path) -> tuple[Path, int]:
    """A copy of the article file with one sentence added to the middle section's first
    paragraph (at the end of the file when that paragraph is not found as written)."""
    index = len(article.sections) // 2
    paragraph = article.sections[index].paragraphs[0]
    text = path.read_text(encoding="utf-8")
    if paragraph in text:
        text = text.replace(paragraph, paragraph + EDIT, 1)
    else:
        index = len(article.sections) - 1
        text = text.rstrip() + EDIT + "\n"
    copy = workdir / f"edited{path.suffix}"
    copy.write_text(text, encoding="utf-8")
    return copy, index


def encode_floor(episode: Path, workdir: Path) -> tuple[Timing, str]:
    """One ffmpeg encode of the episode's audio (decoded beforehand, not timed), with the
    episode's settings: what any tool must pay once."""
    from narrate.ffmpeg import ffmpeg_exe

    pcm = workdir / "episode.pcm"
    subprocess.run([ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-i", str(episode),
                    "-f", "s16le", "-ac", "1", "-ar", "44100", "-y", str(pcm)], check=True)
    command = [ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-f", "s16le", "-ar", "44100",
               "-ac", "1", "-i", str(pcm), "-c:a", "libmp3lame", "-b:a", "96k", "-y",
               str(workdir / "floor.mp3")]
    return timed(command), shown(command).replace(Path(command[0]).name, "ffmpeg")


def bench(article_path: Path, delay_s: float, jobs: int, repeat: int = 1) -> dict[str, Any]:
    article, script, how = load(article_path)
    compile_narrate()
    with stand_in(delay_s) as server, tempfile.TemporaryDirectory(prefix="bench-gtts-") as tmp:
        workdir = Path(tmp)
        os.environ.update(proxy_env(server.url, server.ca))
        for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
            os.environ.pop(name, None)
        startup = median_row([
            Row("start-up of a build", 0, t.wall_s, 0, "its imports",
                f'python -c "{BUILD_STARTUP}"', t.cpu_s)
            for t in (timed(build_startup_command()) for _ in range(repeat))
        ])
        cli = median_row([run_gtts_cli(server, article, workdir) for _ in range(repeat)])
        colds = []
        for attempt in range(repeat):
            cache_dir = workdir / f"cache-{attempt}"
            (workdir / f"run-{attempt}").mkdir()
            colds.append(run_build(server, article_path, workdir / f"run-{attempt}", cache_dir,
                                   "narrate build, cold cache")[0])
        cold = median_row(colds)
        warm, _ = run_build(server, article_path, workdir / f"run-{repeat - 1}", cache_dir,
                            "narrate build --force, warm cache", "--force")
        changed, section = edited_file(article_path, article, workdir)
        edit, edit_texts = run_build(server, changed, workdir / f"run-{repeat - 1}", cache_dir,
                                     "narrate build, one-paragraph edit")
        episodes = sorted((workdir / f"run-{repeat - 1}" / "audio").glob("*.mp3"))
        encode, encode_command = encode_floor(episodes[0], workdir)
        new_script = load_changed(changed, how)
        paragraph = paragraph_chunks(new_script, section)
        edit.note += f"; the paragraph has {len(paragraph)} chunks"
        # In-process breakdown: synthesis alone, with and without connection reuse, on
        # this machine's loopback and with a 50 ms round trip to Google.
        breakdown = []
        for rtt in (0.0, 0.05):
            where = f", {rtt * 1000:.0f} ms round trip" if rtt else ", loopback"
            for keep in (True, False):
                server.keep_alive(keep, rtt)
                how = "connections kept" if keep else "a connection per request"
                breakdown.append(run_synth(server, script, workdir / f"synth-{rtt}-{keep}",
                                           jobs, f"synthesis only, {how}{where}"))
        server.keep_alive(True)

    speedup = cli.wall_s / cold.wall_s if cold.wall_s else float("inf")
    extra = (cold.requests - cli.requests) / cli.requests if cli.requests else 0.0
    warm_floor = startup.wall_s + encode.wall_s
    checks = {
        "whole-process speed-up >= 5": speedup >= 5,
        "extra requests <= 20%": extra <= 0.20,
        "every request <= 100 chars": max(cold.max_chars, edit.max_chars) <= 100,
        "warm re-run sends 0 requests": warm.requests == 0,
        "warm re-run <= 1.2x start-up + encode": warm.wall_s <= 1.2 * warm_floor,
        "edit sends only that paragraph's requests": bool(edit_texts)
        and set(edit_texts) <= paragraph,
    }
    return {
        "article": str(article_path),
        "script": how,
        "delay_s": delay_s,
        "jobs": jobs,
        "repeat": repeat,
        "rows": [vars(row) for row in (cli, cold, warm, edit, startup)],
        "encode": {"wall_s": encode.wall_s, "cpu_s": encode.cpu_s, "command": encode_command},
        "breakdown": [vars(row) for row in breakdown],
        "speedup": round(speedup, 2),
        "warm_ratio": round(warm.wall_s / warm_floor, 2),
        "extra_requests": round(extra, 3),
        "checks": checks,
    }


def load_changed(path: Path, how: str) -> Any:
    from narrate.readers import read_article

    changed = read_article(str(path))
    if how == "narrate.script.build_script":
        from narrate.script import build_script

        return build_script(changed, max_chars=100)
    return fallback_script(changed)


def show(report: dict[str, Any]) -> str:
    lines = [
        f"gtts path vs gtts-cli: {report['article']}",
        f"stand-in answers after {report['delay_s'] * 1000:.0f} ms; narrate --jobs"
        f" {report['jobs']}; script from {report['script']}; whole processes",
        "",
        f"{'run':<58} {'requests':>8} {'conns':>5} {'wall s':>7} {'cpu s':>6}  command",
    ]
    for row in report["rows"] + report["breakdown"]:
        lines.append(
            f"{row['name']:<58} {row['requests']:>8} {row['connections']:>5}"
            f" {row['wall_s']:>7.2f} {row['cpu_s']:>6.2f}  {row['command']}  ({row['note']})"
        )
    encode = report["encode"]
    lines += [
        f"{'one encode of the episode':<58} {'':>8} {'':>5} {encode['wall_s']:>7.2f}"
        f" {encode['cpu_s']:>6.2f}  {encode['command']}",
        "",
        f"whole process: narrate {report['speedup']:.1f}x faster than gtts-cli, requests"
        f" {report['extra_requests']:+.0%}; warm re-run {report['warm_ratio']:.2f}x"
        " (start-up + one encode)",
    ]
    for check, ok in report["checks"].items():
        lines.append(f"  [{'pass' if ok else 'FAIL'}] {check}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("article", nargs="?", type=Path, default=DEFAULT_ARTICLE)
    parser.add_argument("--delay", type=float, default=0.3, help="seconds per answer (0.3)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="narrate's --jobs (default: narrate's own)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="time gtts-cli and the cold run N times; report medians (1)")
    parser.add_argument("--json", action="store_true", help="print JSON for script/bench")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.delay)
        return 0
    socket.setdefaulttimeout(30)
    from narrate.synth import DEFAULT_JOBS

    report = bench(args.article, args.delay, args.jobs or DEFAULT_JOBS, max(1, args.repeat))
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else show(report))
    return 0 if args.json or all(report["checks"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
