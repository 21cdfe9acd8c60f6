"""narrate.batch: which files, failures isolated, one shared budget, unchanged skipped."""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import feedparser
import pytest

from narrate import cpus
from narrate.batch import run as batch_run
from narrate.batch.results import ArticleResult, BatchError, BatchReport
from narrate.batch.run import run_batch
from narrate.batch.signals import signals_deferred
from narrate.batch.slugs import SlugBook
from narrate.batch.sources import expand_sources
from narrate.config import PodcastConfig
from narrate.cpus import PIN_ENV, worker_cpus
from narrate.engines.base import Engine, Probe
from narrate.engines.limiter import AdaptiveLimiter
from narrate.engines.registry import create_engine
from narrate.engines.spec import AudioFormat
from narrate.errors import ArticleError, EngineError
from narrate.fsutil import SLUG_MAX_BYTES
from narrate.model import Article, Section
from narrate.pipeline import BuildSettings, episode_slug
from narrate.publish.folder import OutputFolder
from narrate.publish.index import load_index, source_key
from narrate.publish.store import Store
from narrate.script import build_script

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
POISON = "विषाक्त"


def article(title: str, body: str = "आज शहर में बारिश हुई। लोग खुश हैं।") -> str:
    return f"# {title}\n\n{body}\n"


class Recording:
    """The real espeak-ng engine, recording every request and failing for good on any
    chunk that contains :data:`POISON`; ``delay_s`` holds each request open."""

    def __init__(self, delay_s: float = 0.0) -> None:
        self.inner: Engine = create_engine("espeak")
        self.name = self.inner.name
        self.max_chars = self.inner.max_chars
        self.languages = self.inner.languages
        self.audio_format: AudioFormat = self.inner.audio_format
        self.delay_s = delay_s
        self.calls: list[str] = []
        self.peak = 0
        self._in_flight = 0
        self._lock = threading.Lock()

    def identity(self) -> Mapping[str, str]:
        return self.inner.identity()

    def synthesize(self, text: str) -> bytes:
        with self._lock:
            self.calls.append(text)
            self._in_flight += 1
            self.peak = max(self.peak, self._in_flight)
        try:
            if self.delay_s:
                time.sleep(self.delay_s)
            if POISON in text:
                raise EngineError(f"chunk {text[:20]!r} refused", engine=self.name, chunk=text)
            return self.inner.synthesize(text)
        finally:
            with self._lock:
                self._in_flight -= 1

    def probe(self, timeout: float = 2.0) -> Probe:
        return Probe(True, "recording")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    news = tmp_path / "news"
    news.mkdir()
    (news / "a-metro.md").write_text(article("मेट्रो खुली"), encoding="utf-8")
    (news / "b-empty.txt").write_bytes(b"")
    (news / "c-poison.md").write_text(article("खराब खबर", f"यह {POISON} वाक्य है।"),
                                      encoding="utf-8")
    (news / "d-rain.md").write_text(article("बारिश आई", "आज सुबह तेज़ बारिश हुई।"),
                                    encoding="utf-8")
    return news


def settings(tmp_path: Path, **kwargs: object) -> BuildSettings:
    return BuildSettings(cache_dir=tmp_path / "cache", **kwargs)  # type: ignore[arg-type]


def build_into(tmp_path: Path, sources: list[str], engine: Engine, settings: BuildSettings,
               **kwargs: Any) -> BatchReport:
    """:func:`run_batch` into the folder ``tmp_path / "out"``, opened and closed as the
    command line does."""
    with OutputFolder(tmp_path / "out") as folder:
        return run_batch(sources, engine, settings, folder=folder, **kwargs)


def config() -> PodcastConfig:
    return PodcastConfig(title="खबरें", description="d", author="a", owner_name="o",
                         owner_email="o@example.com", base_url="https://example.com/pod/",
                         artwork="https://example.com/art.jpg")


def sources_of(folder: Path) -> list[str]:
    return expand_sources([str(folder)])


# -- which files ---------------------------------------------------------------------------


def test_folders_globs_and_files_expand_to_articles(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "out").mkdir()
    for name in ("a.txt", "b.md", "c.html", "d.json", "e.htm", "README.md", "LICENSE.txt",
                 "notes.pdf", ".hidden.md", "sub/f.txt", ".git/g.md", "out/h.md",
                 "x.chapters.json", "episodes.json"):
        (root / name).write_text("x", encoding="utf-8")
    found = expand_sources([str(root)], exclude=root / "out")
    assert [Path(s).relative_to(root).as_posix() for s in found] == [
        "a.txt", "b.md", "c.html", "d.json", "e.htm", "sub/f.txt"
    ]
    # a glob takes what it matches; an explicit file is always taken; duplicates go
    by_glob = expand_sources([str(root / "*.md"), str(root / "README.md"), str(root / "b.md")])
    assert [Path(s).name for s in by_glob] == ["README.md", "b.md"]
    recursive = expand_sources([str(root / "**" / "*.txt")])
    assert [Path(s).name for s in recursive] == ["LICENSE.txt", "a.txt", "f.txt"]
    assert expand_sources(["-", "https://example.com/a"]) == ["-", "https://example.com/a"]


def test_an_empty_folder_a_glob_without_match_or_no_file_at_all_is_an_article_error(
    tmp_path: Path,
) -> None:
    """Exit code 1, as for a missing file: what was named holds nothing to narrate."""
    with pytest.raises(ArticleError, match="a folder with no article in it") as caught:
        expand_sources([str(tmp_path)])
    assert caught.value.exit_code == 1
    with pytest.raises(ArticleError, match="no file matches"):
        expand_sources([str(tmp_path / "*.md")])
    with pytest.raises(ArticleError, match=r"missing\.md: no such file"):
        expand_sources([str(tmp_path / "missing.md"), str(tmp_path / "gone.md")])
    (tmp_path / "here.md").write_text("# शीर्षक\n\nपाठ।\n", encoding="utf-8")
    # among files that are there, a missing one fails later as its own article
    assert len(expand_sources([str(tmp_path / "missing.md"), str(tmp_path / "here.md")])) == 2


# -- failures ------------------------------------------------------------------------------


def test_a_broken_and_a_failing_article_do_not_spoil_the_batch(
    folder: Path, tmp_path: Path
) -> None:
    engine = Recording()
    seen: list[ArticleResult] = []
    report = build_into(tmp_path, sources_of(folder), engine, settings(tmp_path), workers=2,
                       config=config(), now=lambda: NOW, on_result=seen.append)
    assert [r.status for r in report.results] == ["built", "failed", "failed", "built"]
    assert len(seen) == 4
    empty, poison = report.failed
    assert isinstance(empty.exception, ArticleError) and "b-empty.txt" in (empty.error or "")
    assert isinstance(poison.exception, EngineError)
    out = tmp_path / "out"
    assert sorted(e.title for e in load_index(Store(out))) == ["बारिश आई", "मेट्रो खुली"]
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not feed.bozo
    assert sorted(e.title for e in feed.entries) == ["बारिश आई", "मेट्रो खुली"]
    assert all(e.enclosures[0].href.endswith(".mp3") for e in feed.entries)
    error = report.error()
    assert isinstance(error, BatchError) and error.exit_code == 1
    assert str(error).startswith("2 of 4 articles failed:")
    assert "b-empty.txt" in str(error) and "c-poison.md" in str(error)
    assert report.failed[1].to_json()["error_type"] == "EngineError"


def test_fail_fast_stops_at_the_first_failure(folder: Path, tmp_path: Path) -> None:
    report = build_into(tmp_path, sources_of(folder), Recording(), settings(tmp_path), workers=1,
                       fail_fast=True, now=lambda: NOW)
    assert [r.status for r in report.results] == ["built", "failed"]
    assert [Path(s).name for s in report.not_started] == ["c-poison.md", "d-rain.md"]
    assert "not started because of --fail-fast" in str(report.error())


def test_fail_fast_with_workers_drops_the_articles_not_started(
    folder: Path, tmp_path: Path
) -> None:
    many = [str(folder / "b-empty.txt")] + [
        str(folder / f"n{i}.md") for i in range(12)
    ]
    for path in many[1:]:
        Path(path).write_text(article(f"खबर {Path(path).stem}"), encoding="utf-8")
    report = build_into(tmp_path, many, Recording(delay_s=0.02), settings(tmp_path), workers=2,
                       fail_fast=True, now=lambda: NOW)
    assert report.results[0].status == "failed"
    assert report.not_started  # the queue was dropped
    assert len(report.results) + len(report.not_started) == len(many)


# -- one budget ----------------------------------------------------------------------------


def test_the_limit_of_requests_in_flight_holds_for_the_whole_batch(
    folder: Path, tmp_path: Path
) -> None:
    engine = Recording(delay_s=0.03)
    limiter = AdaptiveLimiter(2)
    good = [s for s in sources_of(folder) if "empty" not in s and "poison" not in s]
    extra = []
    for n in range(4):
        path = folder / f"extra-{n}.md"
        path.write_text(article(f"अतिरिक्त {n}", "पहला वाक्य। दूसरा वाक्य। तीसरा वाक्य।"),
                        encoding="utf-8")
        extra.append(str(path))
    report = build_into(tmp_path, [*good, *extra], engine, settings(tmp_path, jobs=8), workers=4,
                       now=lambda: NOW, limiter=limiter)
    assert not report.failed
    assert engine.peak <= 2 and limiter.peak == 2


# -- unchanged articles --------------------------------------------------------------------


def _stats(out: Path) -> dict[str, tuple[int, int]]:
    """The public files (the hidden work area changes with every run)."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.iterdir()
            if p.name != ".narrate"}


def test_an_unchanged_batch_sends_no_request_and_rewrites_nothing(
    folder: Path, tmp_path: Path
) -> None:
    (folder / "b-empty.txt").unlink()
    (folder / "c-poison.md").unlink()
    first = build_into(tmp_path, sources_of(folder), Recording(), settings(tmp_path), workers=2,
                      config=config(), now=lambda: NOW)
    assert [r.status for r in first.results] == ["built", "built"]
    out = tmp_path / "out"
    assert len(Store(out).builds()) == 2  # the build manifest, in the folder's store
    before = _stats(out)

    engine = Recording()
    again = build_into(tmp_path, sources_of(folder), engine, settings(tmp_path), workers=2,
                      config=config(), now=lambda: NOW)
    assert [r.status for r in again.results] == ["skipped", "skipped"]
    assert engine.calls == []
    assert _stats(out) == before  # not one file written, the index and feed included

    # one edited article is rebuilt; the other is still skipped
    (folder / "d-rain.md").write_text(article("बारिश आई", "शाम को फिर बारिश हुई।"),
                                      encoding="utf-8")
    edited = build_into(tmp_path, sources_of(folder), engine, settings(tmp_path), workers=2,
                       config=config(), now=lambda: NOW)
    assert [r.status for r in edited.results] == ["skipped", "built"]
    assert engine.calls and all("शाम" in c or "बारिश" in c for c in engine.calls)


def test_other_settings_a_deleted_file_or_force_rebuild(folder: Path, tmp_path: Path) -> None:
    sources = [str(folder / "a-metro.md")]
    build_into(tmp_path, sources, Recording(), settings(tmp_path), now=lambda: NOW)
    assert build_into(tmp_path, sources, Recording(), settings(tmp_path), now=lambda: NOW
                     ).results[0].status == "skipped"
    renamed = settings(tmp_path, podcast="दूसरा पॉडकास्ट")
    assert build_into(tmp_path, sources, Recording(), renamed, now=lambda: NOW
                     ).results[0].status == "built"
    load_index(Store(tmp_path / "out"))[0].files(tmp_path / "out")["captions"].unlink()
    assert build_into(tmp_path, sources, Recording(), renamed, now=lambda: NOW
                     ).results[0].status == "built"
    assert build_into(tmp_path, sources, Recording(), renamed, now=lambda: NOW, force=True
                     ).results[0].status == "built"


def test_a_local_engine_may_run_in_worker_processes(folder: Path, tmp_path: Path) -> None:
    report = build_into(tmp_path, sources_of(folder), create_engine("espeak"), settings(tmp_path),
                       workers=2, processes=True, now=lambda: NOW)
    assert [r.status for r in report.results] == ["built", "failed", "built", "built"]
    assert report.failed[0].error_type == "ArticleError"


# -- cores ---------------------------------------------------------------------------------

linux_affinity = pytest.mark.skipif(
    not hasattr(os, "sched_setaffinity"), reason="CPU affinity is a Linux call"
)


@linux_affinity
def test_workers_are_pinned_one_per_cpu_when_they_fill_the_cpus(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 5})
    assert worker_cpus(3) == (0, 1, 5)
    assert worker_cpus(6) == (0, 1, 5, 0, 1, 5)
    assert worker_cpus(4) is None  # uneven: one CPU would carry two workers
    assert worker_cpus(1) is None  # alone, ffmpeg's threads are better spread
    monkeypatch.setenv(PIN_ENV, "0")
    assert worker_cpus(3) is None
    monkeypatch.delenv(PIN_ENV)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {3})
    assert worker_cpus(2) is None  # one CPU: nothing to spread over


@linux_affinity
def test_each_worker_and_the_processes_it_starts_stay_on_one_cpu(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What every article's work, ffmpeg included, sees: one CPU per worker thread."""
    on = sorted(os.sched_getaffinity(0))
    if len(on) < 2:
        pytest.skip("needs two CPUs")
    seen: dict[str, tuple[set[int], set[int]]] = {}
    barrier = threading.Barrier(2, timeout=10)

    def job(source: str, **kwargs: object) -> ArticleResult:
        barrier.wait()  # both workers exist, so each took its own slot
        child = subprocess.run(
            [sys.executable, "-c", "import os; print(sorted(os.sched_getaffinity(0)))"],
            capture_output=True, text=True, check=True,
        )
        seen[source] = (os.sched_getaffinity(0), set(json.loads(child.stdout)))
        return ArticleResult(source, "failed", error="test")

    monkeypatch.setattr(batch_run, "narrate_article", job)
    monkeypatch.setattr(cpus, "worker_cpus", lambda workers: tuple(on[:2]))
    report = build_into(tmp_path, ["a.md", "b.md"], create_engine("espeak"), settings(tmp_path),
                       workers=2, now=lambda: NOW)
    assert len(report.failed) == 2
    mine, theirs = zip(*seen.values(), strict=True)
    assert sorted(next(iter(s)) for s in mine) == on[:2]  # one CPU each, not the same
    assert list(mine) == list(theirs)  # a started process keeps its worker's CPU
    assert os.sched_getaffinity(0) == set(on)  # the calling thread is left alone


# -- one title, two articles ---------------------------------------------------------------


def test_two_articles_with_one_title_get_their_own_episodes(tmp_path: Path) -> None:
    news = tmp_path / "news"
    news.mkdir()
    for name, body in (("a.md", "सुबह बारिश हुई।"), ("b.md", "शाम को धूप निकली।"),
                       ("c.md", "रात को ठंड बढ़ी।")):
        (news / name).write_text(article("मौसम का हाल", body), encoding="utf-8")
    first = build_into(tmp_path, sources_of(news), Recording(), settings(tmp_path), workers=2,
                      config=config(), now=lambda: NOW)
    slugs = [r.slug for r in first.results]
    assert sorted(slugs) == ["मौसम-का-हाल", "मौसम-का-हाल-2", "मौसम-का-हाल-3"]
    out = tmp_path / "out"
    index = load_index(Store(out))
    assert sorted(e.slug for e in index) == sorted(slugs)
    assert len({e.guid for e in index}) == 3
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert len({e.enclosures[0].href for e in feed.entries}) == 3
    for result in first.results:  # each episode's captions say its own article's words
        assert result.episode is not None
        words = (news / Path(result.source).name).read_text(encoding="utf-8").split()[-2]
        assert words in result.episode.files["captions"].read_text(encoding="utf-8")

    before = _stats(out)
    engine = Recording()
    again = build_into(tmp_path, list(reversed(sources_of(news))), engine, settings(tmp_path),
                       workers=2, config=config(), now=lambda: NOW)
    assert [r.status for r in again.results] == ["skipped"] * 3
    assert [r.slug for r in again.results] == list(reversed(slugs))  # each keeps its slug
    assert engine.calls == [] and _stats(out) == before


def test_the_slug_book_keeps_given_slugs_and_numbers_the_rest(tmp_path: Path) -> None:
    script = build_script(Article(title="खबर", sections=(Section("", ("एक वाक्य।",)),)))
    a, b, c = (str(Path(f"/news/{n}.md").resolve()) for n in "abc")
    store = Store(tmp_path)
    with store.transaction() as conn:  # what earlier builds claimed
        conn.execute("INSERT INTO claims VALUES (?, ?)", ("खबर", source_key(b, "खबर")))
        conn.execute("INSERT INTO claims VALUES (?, ?)", ("खबर-7", source_key(a, "खबर-7")))
    book = SlugBook(store)
    assert book.claim(script, a) == "खबर-7"  # the index gave it this one: kept
    assert book.claim(script, b) == "खबर"
    assert book.claim(script, c) == "खबर-2"
    assert book.claim(script, c) == "खबर-2"  # asking again changes nothing
    assert book.claim(script, "-") == "खबर"  # standard input: the slug is its identity
    copy = pickle.loads(pickle.dumps(book))  # a process executor gets a copy: same store
    assert copy.claim(script, c) == "खबर-2"
    assert SlugBook(Store(tmp_path)).claim(script, str(Path("/news/d.md").resolve())) == (
        "खबर-3"
    )


def test_a_numbered_slug_stays_within_the_length_limit() -> None:
    script = build_script(Article(title="बहुत लंबा शीर्षक " * 20, sections=(
        Section("", ("एक वाक्य।",)),)))
    first, tenth = episode_slug(script, "a.md"), episode_slug(script, "a.md", 10)
    assert len(first.encode()) <= SLUG_MAX_BYTES and len(tenth.encode()) <= SLUG_MAX_BYTES
    assert tenth.endswith("-10") and tenth[:-3] and first.startswith(tenth[:-3])


def test_an_interrupted_batch_publishes_what_finished_and_stops_the_rest_at_once(
    tmp_path: Path,
) -> None:
    """Ctrl-C (SIGTERM becomes one too) after the first article: the two still speaking
    stop at once, without waiting for their requests, and nothing of them is published."""
    news = tmp_path / "news"
    news.mkdir()
    long_body = " ".join(f"आज {n} बजे शहर में बारिश हुई और लोग भीग गए।" for n in range(1, 30))
    (news / "a.md").write_text(article("पहली"), encoding="utf-8")
    (news / "b.md").write_text(article("दूसरी", long_body), encoding="utf-8")
    (news / "c.md").write_text(article("तीसरी", long_body), encoding="utf-8")
    seen: list[str] = []

    def interrupt(result: ArticleResult) -> None:
        seen.append(Path(result.source).name)
        raise KeyboardInterrupt

    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        build_into(tmp_path, sources_of(news), Recording(delay_s=0.5), settings(tmp_path),
                   workers=3, now=lambda: NOW, on_result=interrupt)
    took = time.monotonic() - start
    assert seen == ["a.md"]
    assert took < 1.5, f"the batch took {took:.2f} s to stop"  # a's own 1 s, then at once
    out = tmp_path / "out"
    assert [e.title for e in load_index(Store(out))] == ["पहली"]
    assert sorted(p.name for p in out.iterdir() if p.suffix == ".mp3") == ["पहली.mp3"]
    assert not any((out / ".narrate" / "runs").iterdir())


def test_a_signal_during_publishing_waits_for_its_end_whichever_thread_takes_it() -> None:
    """Ctrl-C while an episode is published lands after it, even when the kernel hands
    the signal to another thread (Python still runs the handler in the main thread)."""
    import signal

    steps: list[str] = []

    def ctrl_c_from_another_thread() -> None:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        os.kill(os.getpid(), signal.SIGINT)

    with pytest.raises(KeyboardInterrupt), signals_deferred():
        steps.append("files")
        sender = threading.Thread(target=ctrl_c_from_another_thread)
        sender.start()
        sender.join()
        time.sleep(0.05)  # the main thread runs bytecode: a pending handler would run now
        steps.append("index")
    assert steps == ["files", "index"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
