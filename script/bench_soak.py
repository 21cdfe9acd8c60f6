#!/usr/bin/env python3
"""Soak: concurrent ``narrate build`` processes into one folder, killed at random moments.

For ``--minutes`` (3 by default), ``--builders`` processes (4) at a time build random
subsets of a small set of articles into one output folder, each as a user would type it,
with its own ``TMPDIR`` and clip cache shared by all (both private to the soak). Articles
are edited between builds (so builds do real work) and now and then retitled. About two
builds in three are sent SIGKILL at a random moment. The engines taken in turn are
``--engines`` (``espeak``; ``gtts`` through the local stand-in for Google, see
``bench_gtts.py``; ``cluster``: espeak on ``--cluster local``, where half the kills hit one
of the build's Dask workers instead of the build itself). Then every article is built once
more in one clean run, and the soak looks for what was left behind:

- anything in the soak's ``TMPDIR``;
- anything in the clip cache but clips, their checks and shard locks (no temporary file);
- anything in the output folder's work area (``.narrate/runs``);
- versions the store still records as pending or doomed, and files in the output folder that
  no live or previous version, page or feed names;
- episodes whose files are missing, and processes of killed builds still running.

Each should be zero. Prints trials, kills, clean exits, failures and the leftovers.

Usage: .venv/bin/python script/bench_soak.py [--minutes 3] [--builders 4]
           [--engines espeak,gtts,cluster] [--seed N] [--keep] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from narrate.publish.feed import FEED_NAME
from narrate.publish.front import FRONT_NAME
from narrate.publish.index import INDEX_NAME

ROOT = Path(__file__).resolve().parent.parent
NARRATE = str(Path(sys.executable).with_name("narrate"))

TOPICS = ("मेट्रो", "बारिश", "क्रिकेट", "चुनाव", "बाज़ार", "स्कूल", "अस्पताल", "सड़क")
BASE_URL = "https://soak.example.com/"
#: A version's files: ``<slug>.<8 hex>.<kind>`` or the plain ``<slug>.<kind>``.
_VERSIONED = re.compile(r"^(?P<slug>[^.]+)\.(?P<version>[0-9a-f]{8})\.(?P<kind>.+)$")
_PLAIN = re.compile(r"^(?P<slug>[^.]+)\.(?P<kind>.+)$")
#: Files of the folder that belong to no episode (the feed, the index, the front page, the
#: podcast's artwork), named where narrate names them.
FOLDER_FILES = frozenset({FEED_NAME, INDEX_NAME, FRONT_NAME, "artwork.jpg", "artwork.png"})


def article(n: int, edits: int, title: str | None = None) -> str:
    """Article ``n`` after ``edits`` edits: a few paragraphs, a heading, a title."""
    topic = TOPICS[n % len(TOPICS)]
    title = title or f"{topic} पर ख़बर {n % 6}"  # articles 0 and 6 share a title
    extra = " ".join(f"संशोधन {k} के बाद {topic} की नई जानकारी आई है।" for k in range(edits))
    return (
        f"# {title}\n\n"
        f"शहर में आज {topic} को लेकर {n + 3} लोगों ने बैठक की। अधिकारियों ने कहा कि काम"
        f" अगले {n % 12 + 1} महीनों में पूरा होगा। {extra}\n\n"
        f"## आगे क्या\n\n"
        f"नागरिकों ने कहा कि {topic} से जुड़ी समस्याएँ पुरानी हैं, लेकिन इस बार उम्मीद है।"
        f" अगली बैठक {n % 28 + 1} तारीख को होगी।\n"
    )


@dataclass
class Builder:
    proc: subprocess.Popen[bytes]
    engine: str
    kill_at: float | None
    log: Path
    worker_killed: bool = False


@dataclass
class Soak:
    work: Path
    rng: random.Random
    engines: list[str]
    env: dict[str, str]
    gtts_env: dict[str, str] | None
    articles: int = 8
    edits: Counter[int] = field(default_factory=Counter)
    titles: dict[int, str] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    worker_failures: Counter[str] = field(default_factory=Counter)
    pgids: list[int] = field(default_factory=list)

    @property
    def out(self) -> Path:
        return self.work / "audio"

    def source(self, n: int) -> Path:
        return self.work / "news" / f"a{n}.md"

    def write(self, n: int) -> None:
        self.source(n).write_text(article(n, self.edits[n], self.titles.get(n)),
                                  encoding="utf-8")

    def start(self, now: float) -> Builder:
        engine = self.engines[self.counts["trials"] % len(self.engines)]
        chosen = self.rng.sample(range(self.articles), self.rng.randint(1, 4))
        if self.rng.random() < 0.3:
            n = self.rng.choice(chosen)
            self.edits[n] += 1
            self.write(n)
        if self.rng.random() < 0.05:
            n = self.rng.choice(chosen)
            self.titles[n] = f"नया शीर्षक {self.counts['trials']}"
            self.write(n)
        command = [NARRATE, "build", *(str(self.source(n)) for n in chosen), "--out",
                   str(self.out), "--workers", "2"]
        env = self.env
        if engine == "gtts":
            command += ["--engine", "gtts", "--jobs", "8"]
            env = self.gtts_env or env
        elif engine == "cluster":
            command += ["--engine", "espeak", "--cluster", "local"]
        else:
            command += ["--engine", "espeak"]
        if self.rng.random() < 0.3:
            command.append("--force")
        self.counts["trials"] += 1
        log = self.work / "logs" / f"{self.counts['trials']}.log"
        with log.open("wb") as f:
            proc = subprocess.Popen(command, cwd=self.work, env=env, stdout=f, stderr=f,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        self.pgids.append(proc.pid)
        horizon = 25.0 if engine == "cluster" else 6.0
        kill_at = now + self.rng.uniform(0.3, horizon) if self.rng.random() < 0.65 else None
        return Builder(proc, engine, kill_at, log)

    def settle(self, builder: Builder, killed: bool) -> None:
        if killed:
            self.counts["kills"] += 1
            self.counts[f"kills {builder.engine}"] += 1
            return
        if builder.proc.returncode == 0:
            self.counts["clean exits"] += 1
            return
        lines = builder.log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        last = lines[-1] if lines else "(no output)"
        if builder.worker_killed:  # a worker killed as the cluster started: a fair failure
            self.counts["failed after a worker kill"] += 1
            self.worker_failures[last] += 1
            return
        self.counts["failed exits"] += 1
        self.failures.append(f"{builder.engine}: exit {builder.proc.returncode}: {last}")


def run(soak: Soak, minutes: float, builders: int) -> None:
    """Keep ``builders`` builds running for ``minutes``, killing the chosen ones."""
    end = time.monotonic() + minutes * 60
    running: list[Builder] = []
    while time.monotonic() < end or running:
        now = time.monotonic()
        for builder in list(running):
            if builder.proc.poll() is not None:
                running.remove(builder)
                soak.settle(builder, killed=False)
            elif builder.kill_at is not None and now >= builder.kill_at:
                workers = dask_workers(builder.proc.pid) if builder.engine == "cluster" else []
                if workers and soak.rng.random() < 0.5:  # a worker dies; the build goes on
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(soak.rng.choice(workers), signal.SIGKILL)
                    soak.counts["worker kills"] += 1
                    builder.kill_at = None
                    builder.worker_killed = True
                    continue
                builder.proc.send_signal(signal.SIGKILL)
                builder.proc.wait()
                running.remove(builder)
                soak.settle(builder, killed=True)
        while now < end and len(running) < builders:
            running.append(soak.start(now))
        time.sleep(0.05)


def dask_workers(session: int) -> list[int]:
    """The Dask worker processes (spawned by multiprocessing) in a build's session."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == session:
            continue
        try:
            if os.getsid(int(entry.name)) != session:
                continue
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in command:
            found.append(int(entry.name))
    return found


def lingering(pgids: list[int]) -> int:
    """Processes still alive in the sessions of the builds (killed builds' children):
    given a while to finish, then stopped; how many there were."""
    deadline = time.monotonic() + 60
    alive = [g for g in pgids if _group_alive(g)]
    while alive and time.monotonic() < deadline:
        time.sleep(1)
        alive = [g for g in alive if _group_alive(g)]
    for group in alive:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
    return len(alive)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def leftovers(soak: Soak, tmp: Path, cache: Path) -> dict[str, list[str]]:
    """What the builds left that nothing will remove (see the module docstring)."""
    out = soak.out
    found: dict[str, list[str]] = {}
    found["tmp"] = sorted(str(p.relative_to(tmp)) for p in tmp.rglob("*"))
    found["cache"] = sorted(
        str(p.relative_to(cache)) for p in cache.rglob("*")
        if not p.is_dir() and not _cache_file(p, cache)
    )
    runs = out / ".narrate" / "runs"
    found["work area"] = sorted(p.name for p in runs.iterdir()) if runs.is_dir() else []
    versions = _versions(out)
    found["pending or doomed versions"] = sorted(
        f"{slug}.{version or '(plain)'} {state}" for slug, version, state in versions
        if state not in ("live", "previous"))
    kept = {(slug, version) for slug, version, state in versions
            if state in ("live", "previous")}
    live_slugs = {slug for slug, _, state in versions if state == "live"}
    orphans = []
    for path in sorted(out.iterdir()):
        name = path.name
        if name.startswith(".") and name != ".narrate":
            orphans.append(name)  # a temporary file of an atomic write
            continue
        if name == ".narrate" or name in FOLDER_FILES:
            continue
        match = _VERSIONED.match(name) or _PLAIN.match(name)
        if match is None:
            orphans.append(name)
            continue
        slug, version = match["slug"], match.groupdict().get("version") or ""
        if match["kind"] == "html" and not version:
            if slug not in live_slugs:
                orphans.append(name)
        elif (slug, version) not in kept:
            orphans.append(name)
    found["files no version names"] = orphans
    found["missing files"] = _missing(out)
    return found


def _cache_file(path: Path, cache: Path) -> bool:
    shard = path.parent
    if shard.parent != cache or not re.fullmatch(r"[0-9a-f]{2}", shard.name):
        return False
    return path.name == ".lock" or bool(
        re.fullmatch(r"[0-9a-f]{64}\.(mp3|wav)(\.check)?", path.name))


def _versions(out: Path) -> list[tuple[str, str, str]]:
    db = out / ".narrate" / "state.db"
    if not db.is_file():
        return []
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        return [tuple(row) for row in conn.execute("SELECT slug, version, state FROM versions")]


def _missing(out: Path) -> list[str]:
    """Files the public index names that are not there."""
    index = out / "episodes.json"
    if not index.is_file():
        return ["episodes.json"]
    missing = []
    for episode in json.loads(index.read_text(encoding="utf-8"))["episodes"]:
        for name in episode["files"].values():
            if not (out / name).is_file():
                missing.append(name)
    return missing


@contextlib.contextmanager
def google(engines: list[str], env: dict[str, str]) -> Iterator[dict[str, str] | None]:
    """The environment that sends gTTS to the stand-in, while it runs (when needed)."""
    if "gtts" not in engines:
        yield None
        return
    spec = importlib.util.spec_from_file_location("bench_gtts", ROOT / "script" / "bench_gtts.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench_gtts"] = bench
    spec.loader.exec_module(bench)
    with bench.stand_in(0.03) as server:
        proxy = bench.proxy_env(server.url, server.ca)
        yield {**proxy, **{k: env[k] for k in ("TMPDIR", "NARRATE_CACHE_DIR")}}


def soak_run(minutes: float, builders: int, engines: list[str], seed: int,
             keep: bool) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="narrate-soak-"))
    tmp, cache = work / "tmp", work / "cache"
    for folder in (tmp, cache, work / "news", work / "logs"):
        folder.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp), "NARRATE_CACHE_DIR": str(cache)}
    subprocess.run([NARRATE, "init"], cwd=work, env=env, check=True, capture_output=True)
    config = work / "narrate.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^#?\s*base_url\s*=.*$", f'base_url = "{BASE_URL}"', text,
                             count=1), encoding="utf-8")
    with google(engines, env) as gtts_env:
        soak = Soak(work, random.Random(seed), engines, env, gtts_env)
        for n in range(soak.articles):
            soak.write(n)
        start = time.monotonic()
        try:
            run(soak, minutes, builders)
        finally:
            left_running = lingering(soak.pgids)
        soaked = time.monotonic() - start
        clean_start = time.monotonic()
        clean = subprocess.run(
            [NARRATE, "build", str(work / "news"), "--out", str(soak.out), "--engine", "espeak",
             "--workers", "2"], cwd=work, env=env, capture_output=True, text=True, check=False)
        clean_s = time.monotonic() - clean_start
    found = leftovers(soak, tmp, cache)
    found["processes still running"] = [str(left_running)] if left_running else []
    report = {
        "seconds": round(soaked, 1), "builders": builders, "engines": engines, "seed": seed,
        "trials": soak.counts["trials"], "kills": soak.counts["kills"],
        "worker_kills": soak.counts["worker kills"],
        "failed_after_worker_kill": dict(soak.worker_failures),
        "kills_by_engine": {k.split(" ", 1)[1]: v for k, v in soak.counts.items()
                            if k.startswith("kills ")},
        "clean_exits": soak.counts["clean exits"], "failed_exits": soak.counts["failed exits"],
        "failures": soak.failures[:10],
        "final_run": {"exit": clean.returncode, "seconds": round(clean_s, 1),
                      "error": clean.stderr.strip().splitlines()[-1:] if clean.returncode else []},
        "episodes": len(json.loads((soak.out / "episodes.json").read_text("utf-8"))["episodes"])
        if (soak.out / "episodes.json").is_file() else 0,
        "leftovers": found, "left_over": sum(len(v) for v in found.values()),
        "folder": str(work) if keep else None,
    }
    if not keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return report


def show(report: dict[str, Any]) -> str:
    lines = [
        f"soak: {report['seconds']:.0f} s, {report['builders']} builds at a time, engines "
        f"{', '.join(report['engines'])} (seed {report['seed']})",
        f"  trials {report['trials']}, killed {report['kills']} "
        f"({', '.join(f'{k} {v}' for k, v in sorted(report['kills_by_engine'].items()))}), "
        f"clean exits {report['clean_exits']}, failed exits {report['failed_exits']}"
        + (f"; {report['worker_kills']} Dask workers killed" if report["worker_kills"] else ""),
    ]
    lines += [f"    failure: {f}" for f in report["failures"]]
    lines += [f"    after a worker kill, {n}x: {line}"
              for line, n in report["failed_after_worker_kill"].items()]
    final = report["final_run"]
    lines.append(f"  final clean run: exit {final['exit']} in {final['seconds']:.0f} s, "
                 f"{report['episodes']} episodes" + (f" ({final['error'][0]})"
                                                     if final["error"] else ""))
    lines.append(f"  left over: {report['left_over']}")
    for what, items in report["leftovers"].items():
        lines.append(f"    {what}: {len(items)}" + (f"  {items[:5]}" if items else ""))
    if report["folder"]:
        lines.append(f"  kept: {report['folder']}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--builders", type=int, default=4)
    parser.add_argument("--engines", default="espeak,gtts",
                        help="comma-separated: espeak, gtts, cluster")
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--keep", action="store_true", help="keep the soak's folder")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    report = soak_run(args.minutes, args.builders, engines, args.seed, args.keep)
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else show(report))
    return 0 if report["left_over"] == 0 and report["final_run"]["exit"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
