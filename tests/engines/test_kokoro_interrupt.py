"""Ctrl-C and SIGTERM to a real ``narrate build --engine kokoro`` in the middle of a chunk:
exit 130 within two seconds, nothing half-published, no work area left; a second Ctrl-C
ends the process at once.

Each test runs narrate as a user does (its own process, the real model, a new clip cache),
waits until the model is speaking (the first clip lands in the cache while the next chunks
are in onnxruntime: chunks run side by side), then sends the signal.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

#: Long sentences, so each run of the model takes seconds.
SENTENCE = ("मौसम विभाग ने कहा है कि अगले तीन दिनों तक प्रदेश के अधिकतर ज़िलों में मध्यम से भारी "
            "बारिश होगी और किसानों को खेतों में पानी की निकासी का इंतज़ाम रखना चाहिए।")
ARTICLE = "# बारिश की चेतावनी\n\n" + "\n\n".join(
    f"## भाग {n}\n\n{SENTENCE} {SENTENCE}" for n in range(1, 6)
)
#: The promise: the process is gone this soon after the signal.
WITHIN_S = 2.0


def published(out: Path) -> dict[str, str]:
    """Every file a reader of the folder may see, with its digest (the folder's own state
    and work area aside)."""
    if not out.is_dir():
        return {}
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in out.iterdir() if p.is_file()
    }


def work_areas(out: Path) -> list[str]:
    runs = out / ".narrate" / "runs"
    return sorted(p.name for p in runs.iterdir()) if runs.is_dir() else []


def start_build(tmp_path: Path, cache: Path) -> tuple[subprocess.Popen[bytes], Path]:
    article = tmp_path / "barish.md"
    article.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "audio"
    process = subprocess.Popen(
        [sys.executable, "-m", "narrate", "build", str(article), "--engine", "kokoro",
         "--out", str(out), "--cache-dir", str(cache)],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    return process, out


def wait_until_speaking(process: subprocess.Popen[bytes], cache: Path) -> None:
    """Until the first clip is in the cache: the model is loaded and the other runs are in
    the middle of their chunks."""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"narrate ended early: {process.stderr.read().decode()}")  # type: ignore[union-attr]
        if any(cache.rglob("*.wav")):
            return
        time.sleep(0.02)
    pytest.fail("Kokoro spoke no chunk in four minutes")


def ended(process: subprocess.Popen[bytes]) -> tuple[int, str, float]:
    """The exit code, stderr and seconds until the process was gone."""
    start = time.monotonic()
    _, err = process.communicate(timeout=60)
    return process.returncode, err.decode("utf-8"), time.monotonic() - start


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_mid_chunk_stops_the_build_at_once_with_nothing_half_published(
    tmp_path: Path, sig: signal.Signals
) -> None:
    # An episode already published under this title: the interrupted rebuild must leave it
    # exactly as it is.
    article = tmp_path / "barish.md"
    article.write_text(ARTICLE, encoding="utf-8")
    first = subprocess.run(
        [sys.executable, "-m", "narrate", "build", str(article), "--engine", "espeak",
         "--out", str(tmp_path / "audio")],
        cwd=tmp_path, capture_output=True, check=False,
    )
    assert first.returncode == 0, first.stderr.decode()
    before = published(tmp_path / "audio")
    assert any(name.endswith(".mp3") for name in before)

    cache = tmp_path / "cache"
    process, out = start_build(tmp_path, cache)
    wait_until_speaking(process, cache)
    sent = time.monotonic()
    process.send_signal(sig)
    code, err, _ = ended(process)
    took = time.monotonic() - sent

    assert code == 130, err
    assert took < WITHIN_S, f"{sig.name} took {took:.2f} s"
    lines = err.strip().splitlines()
    assert lines[0].startswith("narrate: stopping…"), err
    assert lines[-1] == "narrate: interrupted", err
    assert "Traceback" not in err
    assert published(out) == before  # nothing half-published, nothing new
    assert work_areas(out) == []  # the run's work area went with it


def test_a_second_ctrl_c_ends_the_build_at_once(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    process, out = start_build(tmp_path, cache)
    wait_until_speaking(process, cache)
    process.send_signal(signal.SIGINT)
    time.sleep(0.01)
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    code, err, _ = ended(process)
    assert code == 130, err
    assert time.monotonic() - sent < 1.0
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == "narrate: interrupted"
    assert published(out) == {}


SLOW_STOP = textwrap.dedent("""
    import sys, time
    from narrate.batch.signals import signals_deferred
    from narrate.cli import Interrupts
    import signal
    handler = Interrupts(sys.stderr)
    for number in Interrupts.SIGNALS:
        signal.signal(number, handler)
    try:
        print("working", flush=True)
        time.sleep(60)
    except KeyboardInterrupt:
        # the way out takes long (an episode being published whole, a thread to wait for)
        with signals_deferred():
            time.sleep(30)
    sys.exit(0)
""")


def test_a_second_signal_means_now_even_while_the_first_is_still_unwinding(
    tmp_path: Path,
) -> None:
    """The rule in isolation: after the first signal the process unwinds; if that takes
    long (here an unwinding that holds signals for 30 s), a second signal ends it at once
    with exit code 130."""
    process = subprocess.Popen([sys.executable, "-c", SLOW_STOP], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env={**os.environ})
    assert process.stdout is not None and process.stdout.readline() == b"working\n"
    process.send_signal(signal.SIGINT)
    time.sleep(0.5)
    assert process.poll() is None  # still unwinding
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    code, err, _ = ended(process)
    assert code == 130
    assert time.monotonic() - sent < 1.0
    assert err.splitlines() == ["narrate: stopping… (Ctrl-C again stops at once)",
                                "narrate: interrupted"]
