"""``narrate build --cluster``: a real scheduler and two worker processes (see conftest).

The cluster's episodes are the local build's (slugs, chapters, GUIDs, audio); a worker
killed mid-batch costs nothing; a cluster with no worker left does not hang; Ctrl-C on the
driver cancels the cluster's tasks and leaves only whole episodes; requests to Google in
flight across both workers stay within --jobs, and a 429 halves the limit for all.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import feedparser
import mutagen
import pytest

from narrate.batch.results import ArticleResult, Plan
from narrate.batch.run import plan_article, run_batch
from narrate.cluster import (
    ClusterLimiter,
    ClusterRunner,
    GoogleBudget,
    build_on_worker,
    open_cluster,
    worker_stats,
)
from narrate.engines.registry import create_engine
from narrate.pipeline import BuildSettings
from narrate.publish.files import MEDIA, episode_paths
from narrate.publish.folder import OutputFolder
from narrate.publish.index import load_index
from narrate.publish.store import Store
from narrate.stop import Cancelled
from tests.cluster.conftest import (
    DaskCluster,
    dask_command,
    free_port,
    start_scheduler,
    stop,
    worker_env,
)
from tests.publish.test_artwork import png_bytes

pytestmark = pytest.mark.slow

NOW = dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC)
TOPICS = [
    ("मेट्रो", "नई लाइन पर आज से ट्रायल शुरू हुआ।", "यात्रियों को अगले महीने से सुविधा मिलेगी।"),
    ("बारिश", "शहर में सुबह तेज़ बारिश हुई।", "कई सड़कों पर पानी भर गया।"),
    ("क्रिकेट", "भारत ने मैच तीन विकेट से जीता।", "कप्तान ने टीम की तारीफ की।"),
    ("चुनाव", "नगर निगम चुनाव में बासठ प्रतिशत मतदान हुआ।", "नतीजे शुक्रवार को आएंगे।"),
    ("स्कूल", "सरकारी स्कूलों में नई किताबें पहुंचीं।", "शिक्षकों ने बच्चों को बांटीं।"),
    ("अस्पताल", "ज़िला अस्पताल में नया वार्ड खुला।", "इसमें पचास बिस्तर हैं।"),
    ("किसान", "किसानों को बीज समय पर मिले।", "बुवाई का काम तेज़ हुआ।"),
    ("सड़क", "पुल की मरम्मत पूरी हो गई।", "अब भारी वाहन भी चल सकेंगे।"),
    ("बिजली", "गांवों में बिजली की आपूर्ति बढ़ी।", "रात में कटौती कम हुई।"),
    ("पानी", "नई पाइपलाइन से पानी पहुंचा।", "लोगों ने राहत की सांस ली।"),
    ("खेल", "हॉकी टीम ने फाइनल में जगह बनाई।", "अगला मैच रविवार को है।"),
]


def write_articles(folder: Path, n: int = 12) -> list[Path]:
    """``n`` short articles of two sections; the last one has the first one's title, so
    the batch must give it its own slug (``-2``)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        topic, first, second = TOPICS[i % len(TOPICS)]
        title = f"{topic} की खबर" if i < len(TOPICS) else f"{TOPICS[0][0]} की खबर"
        # each sentence is a chunk: the second section says them again in other words, so
        # that no chunk repeats another (a repeated one is asked for once)
        text = f"# {title}\n\n{first} {second}\n\n## आगे क्या\n\nयानी {second} और {first}\n"
        path = folder / f"{i:02d}-{topic}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def published(out: Path) -> dict[str, dict[str, Any]]:
    """What a listener sees, per slug: the index entry (without build times), the feed
    item's GUID, the chapters (titles and start times), the captions' words and the
    audio's length read back by mutagen."""
    feed = feedparser.parse(str(out / "feed.xml"))
    guids = {unquote(e.enclosures[0].href).rsplit("/", 1)[1]: e.id for e in feed.entries}
    episodes = json.loads((out / "episodes.json").read_text(encoding="utf-8"))["episodes"]
    seen: dict[str, dict[str, Any]] = {}
    for entry in episodes:
        slug = entry["slug"]
        paths = episode_paths(out, slug)
        chapters = json.loads(paths["chapters_json"].read_text(encoding="utf-8"))["chapters"]
        captions = paths["captions"].read_text(encoding="utf-8").splitlines()
        seen[slug] = {
            **{k: v for k, v in entry.items() if k not in ("first_built", "updated", "published")},
            "feed_guid": guids.get(f"{slug}.mp3"),
            "chapters": [(c["title"], c["startTime"]) for c in chapters],
            "words": [line for line in captions if line and "-->" not in line],
            "audio_s": mutagen.File(paths["audio"]).info.length,
        }
    return seen


def same_episode(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """One episode, to within espeak-ng's wobble: its clips for one text differ by a
    millisecond or so with what the process said before, so times are compared to 0.1 s."""
    exact = ("chapters", "duration_ms", "audio_s")
    return (
        {k: v for k, v in a.items() if k not in exact}
        == {k: v for k, v in b.items() if k not in exact}
        and [t for t, _ in a["chapters"]] == [t for t, _ in b["chapters"]]
        and all(abs(x - y) < 0.1 for (_, x), (_, y) in zip(a["chapters"], b["chapters"],
                                                           strict=True))
        and abs(a["duration_ms"] - b["duration_ms"]) < 100
        and abs(a["audio_s"] - b["audio_s"]) < 0.1
    )


def test_a_cluster_build_is_the_local_build(  # type: ignore[no-untyped-def]
    run_cli, dask_cluster: DaskCluster, tmp_path: Path
) -> None:
    write_articles(tmp_path / "news")
    (tmp_path / "art.png").write_bytes(png_bytes(1400, 1400))
    (tmp_path / "narrate.toml").write_text(
        '[podcast]\ntitle = "t"\ndescription = "d"\nauthor = "a"\nowner_name = "o"\n'
        'owner_email = "o@example.com"\nartwork = "art.png"\n'
        'base_url = "https://example.org/pod"\n', encoding="utf-8")
    common = ("--engine", "espeak", "--config", str(tmp_path / "narrate.toml"), "--quiet")
    # One worker: with several threads, the feed written after one article adopts another's
    # MP3, renamed into the folder but not yet published, under a slug-made GUID.
    local = run_cli("build", str(tmp_path / "news"), "--out", str(tmp_path / "local"),
                    "--cache-dir", str(tmp_path / "cache-local"), "--workers", "1", *common)
    assert local.code == 0, local.err
    with dask_cluster.client() as client:
        before = {s["pid"]: s for s in client.run(worker_stats).values()}
    cluster = run_cli("build", str(tmp_path / "news"), "--out", str(tmp_path / "cluster"),
                      "--cache-dir", str(tmp_path / "cache-cluster"),
                      "--cluster", dask_cluster.address, "--json", *common)
    assert cluster.code == 0, cluster.err
    report = json.loads(cluster.out)
    assert [a["status"] for a in report["articles"]] == ["built"] * 12
    assert all(a["requests"] + a["cache_hits"] == a["chunks"] for a in report["articles"])
    assert sum(a["requests"] for a in report["articles"]) > 12  # synthesized on the workers
    assert all(Path(e["audio"]).parent == tmp_path / "cluster" for e in report["episodes"])

    here, there = published(tmp_path / "local"), published(tmp_path / "cluster")
    assert len(there) == 12
    assert sorted(there) == sorted(here)
    assert "मेट्रो-की-खबर-2" in there  # two articles, one title: two episodes
    for slug, episode in there.items():
        assert episode["feed_guid"] == episode["guid"] == here[slug]["guid"], slug
        assert same_episode(episode, here[slug]), (episode, here[slug])
        assert len(episode["chapters"]) == 2 and episode["audio_s"] > 5
    assert not list((tmp_path / "cluster").glob(".narrate/runs/*/cluster"))  # staging gone
    # Run again: the driver sees every episode is unchanged and asks the cluster nothing.
    again = run_cli("build", str(tmp_path / "news"), "--out", str(tmp_path / "cluster"),
                    "--cache-dir", str(tmp_path / "cache-cluster"),
                    "--cluster", dask_cluster.address, "--json", *common)
    assert again.code == 0, again.err
    assert [a["status"] for a in json.loads(again.out)["articles"]] == ["skipped"] * 12

    # Each worker process loaded espeak-ng once, for however many articles it built.
    with dask_cluster.client() as client:
        after = list(client.run(worker_stats).values())
    built = 0
    for stats in after:
        earlier = before.get(stats["pid"], {"articles": 0})
        built += stats["articles"] - earlier["articles"]
        assert stats["engine_loads"].get("espeak", 0) == (1 if stats["articles"] else 0)
    assert built == 12
    assert sum(1 for s in after if s["articles"] > before.get(s["pid"], {"articles": 0})[
        "articles"]) == 2  # both workers took part


def _settings(tmp_path: Path, jobs: int = 4) -> BuildSettings:
    return BuildSettings(engine="espeak", jobs=jobs, cache_dir=tmp_path / "cache")


def test_a_worker_killed_mid_article_costs_nothing(
    dask_cluster: DaskCluster, tmp_path: Path
) -> None:
    sources = [str(p) for p in write_articles(tmp_path / "news")]
    engine = create_engine("espeak")
    settings = _settings(tmp_path)
    out = tmp_path / "out"
    killed: list[int] = []

    with OutputFolder(out) as folder, \
            open_cluster(dask_cluster.address, engine, settings, folder) as runner:

        def kill_one(result: ArticleResult) -> None:
            if killed:
                return
            busy = [w for w, keys in runner.client.processing().items() if keys]
            assert busy, "no worker is building anything"
            pid = runner.client.run(os.getpid, workers=[busy[0]])[busy[0]]
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

        report = run_batch(sources, engine, settings, folder=folder, now=lambda: NOW,
                           on_result=kill_one, runner=runner)
    assert killed
    assert [r.status for r in report.results] == ["built"] * 12, report.error()
    entries = load_index(Store(out))
    assert len(entries) == 12 and len({e.slug for e in entries}) == 12
    mp3s = sorted(p.name for p in out.glob("*.mp3"))
    assert len(mp3s) == 12
    assert not list(out.glob(".narrate/runs/*/cluster"))  # staging gone
    dask_cluster.wait_for_workers(2)  # the nanny brings the killed worker back


def test_ctrl_c_cancels_the_cluster_s_tasks_and_publishes_nothing_half_done(
    dask_cluster: DaskCluster, tmp_path: Path
) -> None:
    sources = [str(p) for p in write_articles(tmp_path / "news")]
    engine = create_engine("espeak")
    settings = _settings(tmp_path)
    out = tmp_path / "out"

    def interrupt(result: ArticleResult) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), OutputFolder(out) as folder, \
            open_cluster(dask_cluster.address, engine, settings, folder) as runner:
        run_batch(sources, engine, settings, folder=folder, now=lambda: NOW,
                  on_result=interrupt, runner=runner)
    with dask_cluster.client() as client:
        deadline = time.monotonic() + 30
        while True:
            ours = client.run_on_scheduler(
                lambda dask_scheduler: [str(k) for k in dask_scheduler.tasks
                                        if str(k).startswith("narrate-")])
            # A task cancelled mid-build runs to its end on its worker: wait for it too.
            busy = sum(client.run(lambda dask_worker: dask_worker.state.executing_count)
                       .values())
            if not (ours or busy) or time.monotonic() > deadline:
                break
            time.sleep(0.2)
    assert ours == [] and busy == 0
    entries = load_index(Store(out))
    # the one finished before Ctrl-C, and any other already finished then: whole episodes
    assert 1 <= len(entries) < 12
    names = {p.name for p in out.iterdir()}
    assert names == {*(p.name for e in entries for p in episode_paths(out, e.slug).values()),
                     "episodes.json", ".narrate"}
    assert not list(out.glob(".narrate/runs/*/cluster"))  # no staging folder either
    dask_cluster.wait_for_workers(2)


def test_a_cluster_whose_workers_never_come_back_does_not_hang(tmp_path: Path) -> None:
    """Its own scheduler and one worker without a nanny, killed after the first article."""
    sources = [str(p) for p in write_articles(tmp_path / "news", 4)]
    engine = create_engine("espeak")
    settings = _settings(tmp_path)
    out = tmp_path / "out"
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path / "logs"
    logs.mkdir()
    processes = [start_scheduler(logs, port)]
    try:
        with (logs / "worker.log").open("wb") as log:
            worker = subprocess.Popen(
                dask_command("worker", address, "--nthreads", "1", "--host", "127.0.0.1",
                             "--no-dashboard", "--no-nanny", "--memory-limit", "0"),
                stdout=log, stderr=subprocess.STDOUT, env=worker_env(),
                start_new_session=True,
            )
        processes.append(worker)

        def kill(result: ArticleResult) -> None:
            if worker.poll() is None:
                worker.kill()

        start = time.monotonic()
        with OutputFolder(out) as folder, \
                open_cluster(address, engine, settings, folder, no_workers_timeout=3) as runner:
            runner.client.wait_for_workers(1, timeout=60)
            report = run_batch(sources, engine, settings, folder=folder, now=lambda: NOW,
                               on_result=kill, runner=runner)
        took = time.monotonic() - start
    finally:
        stop(processes)
    statuses = [r.status for r in report.results]
    assert statuses.count("built") >= 1 and statuses.count("failed") >= 1
    failed = report.failed
    assert all("no Dask worker was connected for 3 s" in (r.error or "") for r in failed)
    assert took < 60
    assert len(load_index(Store(out))) == statuses.count("built")


def test_requests_in_flight_across_both_workers_stay_within_jobs(  # type: ignore[no-untyped-def]
    run_cli, dask_cluster: DaskCluster, tmp_path: Path
) -> None:
    write_articles(tmp_path / "news", 6)
    dask_cluster.google.ledger(reset_peak=True)
    asked_before = len(dask_cluster.google.ledger()[0])
    result = run_cli("build", str(tmp_path / "news"), "--out", str(tmp_path / "out"),
                     "--cache-dir", str(tmp_path / "cache"), "--engine", "gtts",
                     "--jobs", "3", "--cluster", dask_cluster.address, "--json")
    assert result.code == 0, result.err
    texts, peak = dask_cluster.google.ledger()
    report = json.loads(result.out)
    sent = sum(a["requests"] for a in report["articles"])
    assert sent == len(texts) - asked_before > 6  # every request reached the stand-in
    assert {e["engine"] for e in report["episodes"]} == {"gtts"}
    # Two workers, each synthesizing with --jobs threads: without the cluster's
    # semaphore up to 6 would be in flight.
    assert peak == 3


def test_a_429_halves_the_limit_for_every_worker(dask_cluster: DaskCluster) -> None:
    """Two limiters (two workers, as far as the scheduler can tell) on one budget."""
    with dask_cluster.client() as client, client.as_current():
        budget = GoogleBudget(f"narrate-test-{time.monotonic_ns()}", 4)
        budget.create(client)
        a, b = ClusterLimiter(budget), ClusterLimiter(budget)

        def refused(limiter: ClusterLimiter) -> bool:
            cancel = threading.Event()
            timer = threading.Timer(0.8, cancel.set)
            timer.start()
            try:
                slot = limiter.acquire(cancel)
            except Cancelled:
                return True
            finally:
                timer.cancel()
            limiter.release(slot, "failure")
            return False

        slots = [a.acquire() for _ in range(4)]
        assert refused(b)  # the fifth request waits, whoever asks
        a.release(slots[0], "congestion")
        assert b.limit == 2 and budget.read(client)["epoch"] == 1
        assert refused(b)  # 3 in flight, limit 2
        a.release(slots[1], "failure")
        a.release(slots[2], "failure")
        mine = b.acquire()  # 1 + 1 in flight
        assert refused(b)
        a.release(slots[3], "congestion")  # sent under the old limit: no second halving
        assert b.limit == 2 and b.lowest == 2 and b.decreases == 1
        b.release(mine, "success")
        b.release(b.acquire(), "success")  # two successes at limit 2: grows by one
        assert a.limit == 3
        budget.close(client)


def test_a_429_on_one_worker_process_halves_the_other_s_limit(
    dask_cluster: DaskCluster,
) -> None:
    # Local functions travel by value (the scheduler cannot import the tests).
    def _hear_429(budget: GoogleBudget) -> int:
        """On a worker: send one request, which Google refuses with 429."""
        limiter = budget.limiter()
        limiter.release(limiter.acquire(), "congestion")
        return limiter.limit

    def _limit_seen(budget: GoogleBudget) -> int:
        return budget.limiter().limit

    with dask_cluster.client() as client:
        first, second = sorted(client.nthreads())
        budget = GoogleBudget(f"narrate-test-{time.monotonic_ns()}", 6)
        with client.as_current():
            budget.create(client)
        assert client.submit(_limit_seen, budget, workers=[second], pure=False).result() == 6
        assert client.submit(_hear_429, budget, workers=[first], pure=False).result() == 3
        assert client.submit(_limit_seen, budget, workers=[second], pure=False).result() == 3
        with client.as_current():
            budget.close(client)


def test_a_worker_that_cannot_see_the_staging_folder_sends_the_files(
    dask_cluster: DaskCluster, tmp_path: Path
) -> None:
    source = str(write_articles(tmp_path / "news", 1)[0])
    engine = create_engine("espeak")
    settings = _settings(tmp_path)
    plan = plan_article(source, engine, settings)
    assert isinstance(plan, Plan)
    staged = build_on_worker(plan, "espeak", engine.identity(), settings,
                             str(tmp_path / "elsewhere" / "staging"), None)
    assert staged.folder is None and staged.files is not None
    assert set(staged.files) == {f.key for f in MEDIA}  # every file of one version
    assert {"audio", "chapters_json", "captions", "chapters_vtt"} <= set(staged.files)
    out = tmp_path / "out"
    with dask_cluster.client() as client, OutputFolder(out) as folder:
        runner = ClusterRunner(client, engine, settings, folder)
        try:
            landed = runner.land(staged)
        finally:
            runner.close()
        assert landed.status == "built" and landed.episode is not None
        # staged in the driver's work area, then switched in whole as a local batch does
        assert landed.episode.audio.is_relative_to(out / ".narrate" / "runs")
        assert landed.episode.audio.read_bytes() == staged.files["audio"]
        published = folder.publish(landed.episode, now=NOW, fingerprint=plan.fingerprint)
    assert published.audio == episode_paths(out, plan.slug)["audio"]
    assert published.audio.read_bytes() == staged.files["audio"]
    assert episode_paths(out, plan.slug)["page"].is_file()
    assert not list(out.glob(".narrate/runs/*/cluster"))


def test_cluster_errors_are_one_line(  # type: ignore[no-untyped-def]
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = write_articles(tmp_path / "news", 1)[0]
    bad = run_cli("build", str(article), "--engine", "espeak", "--cluster", "not an address",
                  "--out", str(tmp_path / "out"))
    assert bad.code == 2 and "--cluster takes a scheduler address" in bad.err
    monkeypatch.setenv("NARRATE_CLUSTER", "tcp://nowhere")
    from_env = run_cli("build", str(article), "--engine", "espeak", "--out", str(tmp_path / "o"))
    assert from_env.code == 2 and "'tcp://nowhere'" in from_env.err
    monkeypatch.delenv("NARRATE_CLUSTER")
    monkeypatch.setattr("narrate.cluster.CONNECT_TIMEOUT_S", 1.0)
    down = run_cli("build", str(article), "--engine", "espeak",
                   "--cluster", f"tcp://127.0.0.1:{free_port()}", "--out", str(tmp_path / "out"))
    assert down.code == 1 and "cannot reach the Dask scheduler" in down.err
    assert "Traceback" not in down.err
    monkeypatch.setitem(sys.modules, "distributed", None)
    monkeypatch.delitem(sys.modules, "narrate.cluster")
    missing = run_cli("build", str(article), "--engine", "espeak", "--cluster", "local",
                      "--out", str(tmp_path / "out"))
    assert missing.code == 2 and "narrate-hindi[cluster]" in missing.err


def test_ctrl_c_on_the_command_line(dask_cluster: DaskCluster, tmp_path: Path) -> None:
    """A real SIGINT to ``narrate build --cluster``: exit 130, only whole episodes."""
    write_articles(tmp_path / "news")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "narrate", "build", str(tmp_path / "news"), "--engine",
               "espeak", "--out", str(out), "--cache-dir", str(tmp_path / "cache"),
               "--cluster", dask_cluster.address]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=worker_env())
    try:
        deadline = time.monotonic() + 60
        while not (out / "episodes.json").exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, err.decode()
    assert "interrupted" in err.decode() and b"Traceback" not in err
    entries = load_index(Store(out))
    assert 1 <= len(entries) < 12
    wanted = {p.name for e in entries for p in episode_paths(out, e.slug).values()}
    names = {p.name for p in out.iterdir()}
    assert names == wanted | {"episodes.json", ".narrate"}
    assert not list(out.glob(".narrate/runs/*"))  # the run's work area went with it
    assert all(p.stat().st_size > 0 for p in out.iterdir() if p.is_file())
