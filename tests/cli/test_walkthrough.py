"""The README's walkthrough, run exactly as written: from ``narrate init`` to ``narrate
serve``, with a browser's-eye check of what it serves.

The block under the ``<!-- walkthrough … -->`` marker is handed to bash as it stands, in a
new folder beside a copy of the package's samples (``../narrate/samples``, where the
README's reader has them), with ``narrate`` on the PATH; its last command serves the
folder, which is asked for its front page, its feed and the episode's files before a
Ctrl-C ends it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import lxml.html
import pytest
import requests

import narrate

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
MARKER = "<!-- walkthrough:"


def walkthrough() -> str:
    """The commands of the README's walkthrough block, as written."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    after = readme[readme.index(MARKER):]
    found = re.search(r"```sh\n(.*?)```", after, re.S)
    assert found is not None, "the walkthrough's marker is not followed by a sh block"
    return found.group(1)


def port_of(block: str) -> int:
    """The port the block serves on (``narrate serve … --port N``)."""
    found = re.search(r"^narrate serve .*--port (\d+)", block, re.M)
    assert found is not None, "the walkthrough ends without narrate serve --port"
    return int(found.group(1))


def wait_for_free(port: int, timeout: float = 120.0) -> None:
    """The machine is shared: wait while another run of this test holds the port."""
    deadline = time.monotonic() + timeout
    while True:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
                return
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"port {port} stayed busy for {timeout:g} s")
        time.sleep(1.0)


def test_the_readme_walkthrough_runs_as_written(tmp_path: Path) -> None:
    block = walkthrough()
    assert block.splitlines()[0].startswith("mkdir "), "the walkthrough starts a new folder"
    port = port_of(block)
    base = f"http://127.0.0.1:{port}/"
    shutil.copytree(Path(narrate.__file__).parent / "samples", tmp_path / "narrate" / "samples")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    out, err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    wait_for_free(port)
    with out.open("wb") as stdout, err.open("wb") as stderr:
        shell = subprocess.Popen(["bash", "-e", "-c", block], cwd=tmp_path, env=env,
                                 stdout=stdout, stderr=stderr, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        front = None
        while time.monotonic() < deadline and shell.poll() is None:
            with contextlib.suppress(requests.ConnectionError):
                front = requests.get(base, timeout=5)
                break
            time.sleep(0.2)
        said = out.read_text(encoding="utf-8") + err.read_text(encoding="utf-8")
        assert front is not None, f"nothing served (exit {shell.poll()}):\n{said}"

        # what each step said, as the README says it
        assert "wrote narrate.toml and artwork.jpg" in said
        assert re.search(r"audio/\S+\.mp3  \d+:\d\d · 5 chapters · engine espeak", said)
        assert "demo-article.md  unchanged since the last build; skipped" in said
        assert f"audio/feed.xml  1 episode · {base}feed.xml" in said
        assert "narrate: warning:" in said and "owner_email" in said
        assert "Traceback" not in said and "RuntimeWarning" not in said

        # the front page: the podcast's title (from narrate.toml), its episode, the feed
        assert front.status_code == 200
        page = lxml.html.fromstring(front.content)
        assert page.findtext(".//h1") == "हमारी ख़बरें"
        links = page.xpath("//ol//a/@href")
        assert len(links) == 1 and links[0].endswith(".html")
        assert page.xpath("//p[@class='feed']/a/@href") == [f"{base}feed.xml"]
        player = requests.get(base + links[0], timeout=5)
        assert player.status_code == 200 and "<audio" in player.text

        # the feed, as a podcast app reads it: its channel link is the front page, and
        # every file it names is served
        feed = feedparser.parse(requests.get(base + "feed.xml", timeout=5).content)
        assert not feed.bozo and feed.feed.link == base
        (item,) = feed.entries
        for url in (item.enclosures[0].href, item.link, feed.feed.image.href):
            assert urlsplit(url).netloc == f"127.0.0.1:{port}"
            assert requests.head(url, timeout=5).status_code == 200, url
    finally:
        if shell.poll() is None:
            os.killpg(shell.pid, signal.SIGINT)  # Ctrl-C, as the README says
        shell.wait(timeout=30)
    folder = tmp_path / "my-podcast" / "audio"
    assert (folder / "feed.xml").is_file() and (folder / "index.html").is_file()
