"""Kokoro-82M: the pinned model and voices, Hindi phonemes, real synthesis, refusals.

The real model runs (no mock of onnxruntime), loaded once for the session; texts are short.
The suite-wide socket guard (tests/conftest.py) refuses every connection off this machine,
so each synthesis here also shows that Kokoro needs no network.
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import threading
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from narrate.cache import clip_key
from narrate.cpus import cores
from narrate.engines import kokoro_engine as k
from narrate.engines import phonemes as ph
from narrate.errors import EngineUnavailable, UsageError
from narrate.synth import cache_text
from narrate.text.normalize import speak

#: Pinned here independently of the code: the values the issue verified from the registries.
MODEL_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"
VOICE_SHA256 = {
    "hf_alpha": "040be6a4425411cc01fda5fd06693c76bfa78572632852bc8cda9c99232ffb56",
    "hf_beta": "cd83ae0bb9b2e4e4fb92b4973bd8d1822ca0036d3c498bf4fc89aa8e33917cc7",
    "hm_omega": "b02d9222d9ed00ce26b302173a862c2c93f96cc40b5c422b8d14910b9ff34137",
    "hm_psi": "644daf88ba8aeb7bd08950bbdcd4453bb280864e49dc4df93fabc6be32e03f37",
}

#: Article text -> narrate's spoken form -> the phonemes Kokoro reads (espeak-ng 1.52).
#: Numbers and ₹ are read by the normalizer; English words keep espeak-ng's English
#: reading; nukta letters keep their own sounds (x, f, z, q); ZWJ and ZWNJ keep the
#: difference espeak-ng makes; danda and double danda are stops, a decimal point is not.
GOLDEN = [
    ("सोयाबीन ₹4,250 प्रति क्विंटल पर बिका।",
     "sˌoːjaːbˈiːn cˈaːɾ həzˈaːɾ dˈoː sˈɔː pəcˈaːs ɾˈʊpjˌeː pɾˈʌtɪ kʋˈi\u0303ʈəl pˈʌɾ bˈɪkaː."),
    ("दालों की कीमतें 2.5 से 7 प्रतिशत तक नीचे आ सकती हैं।",
     "dˈaːlo\u0303 ki kˈiːmtˌe\u0303ː dˈoː dˈʌʃəmˌələʋ pˈa\u0303nc seː sˈaːt pɾˈʌtɪʃˌət tˌək"
     " nˈiːceː ˈaː"
     " sˈʌktˌi hɛ\u0303."),
    # English words the rules do not know go through espeak-ng's English switch
    ("उन्होंने कहा कि website form पर आवेदन करें।",
     "ʊnhˈo\u0303neː kˈʌhaː kˈɪ wˈɛbsIt fˈɔːm pˈʌɾ aːʋˈeːdən kˈʌɾe\u0303ː."),
    # ...the ones of narrate/text/english.py are said as Hindi prints them (मोबाइल ऐप)
    ("उन्होंने कहा कि mobile app पर आवेदन करें।",
     "ʊnhˈo\u0303neː kˈʌhaː kˈɪ moːbˈaːɪl ˈɛːp pˈʌɾ aːʋˈeːdən kˈʌɾe\u0303ː."),
    ("ख़बर है कि फ़सल और ज़मीन की क़ीमत बढ़ी॥",
     "xˈʌbəɾ hɛː kˈɪ fˈʌsəl ɔːɾ zəmˈiːn ki qˈiːmət bˈʌr.hi."),
    ("क्\u200dषमा और क्\u200cषमा अलग लिखे जाते हैं।",
     "k ʂˈʌmaː ɔːɾ kʃˈʌmaː ˈʌləɡ lˈɪkʰeː ɟˈaːteː hɛ\u0303."),
    ("क्या आप तैयार हैं? हाँ!", "kːjaː ˌaːp tɛːjˈaːɾ hɛ\u0303? hˈa\u0303!"),
]


@pytest.fixture(scope="session")
def kokoro() -> k.KokoroEngine:
    """The real model, loaded once for the whole test session."""
    k.load_model()
    return k.KokoroEngine()


def wav_info(data: bytes) -> tuple[int, float, int]:
    """Sample rate, seconds and peak of a 16-bit mono WAV."""
    with wave.open(io.BytesIO(data)) as w:
        assert (w.getnchannels(), w.getsampwidth()) == (1, 2)
        frames = w.readframes(w.getnframes())
        rate = w.getframerate()
    import array

    samples = array.array("h", frames)
    return rate, len(samples) / rate, max(abs(s) for s in samples)


def test_the_installed_model_is_the_pinned_one() -> None:
    parts = k.model_paths()
    assert [p.name for p in parts] == ["part.bin"] * 4
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.read_bytes())
    assert digest.hexdigest() == MODEL_SHA256 == k.MODEL_SHA256
    assert sum(p.stat().st_size for p in parts) == k.MODEL_BYTES == 92_361_271


@pytest.mark.parametrize("voice", sorted(VOICE_SHA256))
def test_the_vendored_voices_are_the_pinned_ones(voice: str) -> None:
    data = k.voice_path(voice).read_bytes()
    assert len(data) == 510 * 256 * 4
    assert hashlib.sha256(data).hexdigest() == VOICE_SHA256[voice] == k.VOICES[voice].sha256
    assert k.load_voice(voice).shape == (510, 256)
    folder = k.voice_path(voice).parent
    assert {"LICENSE.voices", "LICENSE.vocab", "SOURCE.md"} <= {p.name for p in folder.iterdir()}


def test_the_vocabulary_is_kokoro_onnx_0_6_1s() -> None:
    vocab = ph.vocabulary()
    assert len(vocab) == 114
    ids = (vocab["."], vocab[" "], vocab["ɽ"], vocab["ʰ"], vocab["\u0303"])
    assert ids == (4, 16, 129, 162, 17)


@pytest.mark.parametrize(("text", "expected"), GOLDEN)
def test_golden_phonemes(text: str, expected: str) -> None:
    phonemes = ph.phonemize(speak(text))
    assert phonemes == expected
    assert all(ch in ph.vocabulary() for ch in phonemes)
    assert len(ph.tokenize(phonemes)) == len(phonemes)


def test_danda_is_a_stop_and_a_decimal_point_is_not() -> None:
    assert ph.phonemize("हाँ। ठीक॥") == "hˈa\u0303. ʈʰˈiːk."
    assert "." not in ph.phonemize("मूल्य 2.5 है")
    tied = "(\u0361e\u0361n)kəmpjˈuːt\u0361ʃə(\u0361h\u0361i) t\u0361ʃaːj"
    assert ph.from_espeak(tied) == "kəmpjˈuːʧə ʧaːj"


def test_long_phonemes_are_cut_at_a_stop_or_a_space() -> None:
    text = ("kˈʌl " * 70 + ". ") * 3
    pieces = k.split_phonemes(text.strip(), limit=510)
    assert all(len(p) <= 510 for p in pieces)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")


def test_too_long_phonemes_are_cut_evenly_at_the_best_stop() -> None:
    """The safety net for a chunk whose phonemes outgrow the model: a clause mark near the
    middle beats a space near the limit, and the pieces come out even."""
    clause = "kˈʌl " * 40  # 200 symbols
    text = f"{clause}, {clause}, {clause}"  # about 600: two pieces
    pieces = k.split_phonemes(text, limit=510)
    assert len(pieces) == 2
    assert all(p.endswith(",") for p in pieces[:-1])
    assert abs(len(pieces[0]) - len(pieces[1])) < 250
    assert " ".join(pieces).split() == text.split()
    assert k.split_phonemes("", limit=510) == []


class _Session:
    """Stands in for onnxruntime's session to watch the budget: records the tokens of the
    runs in flight at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.now = 0.0
        self.runs = 0
        self.most = 0.0  # the most tokens in flight at once
        self.most_together = 0.0  # the same, counting only moments with two runs or more
        self.release = threading.Event()

    def run(self, names: object, inputs: dict[str, object], options: object) -> list[object]:
        cost = float(inputs["cost"])  # type: ignore[arg-type]
        with self.lock:
            self.now += cost
            self.runs += 1
            self.most = max(self.most, self.now)
            if self.runs > 1:
                self.most_together = max(self.most_together, self.now)
        self.release.wait(0.05)
        with self.lock:
            self.now -= cost
            self.runs -= 1
        return [cost]


def test_long_sentences_never_run_side_by_side() -> None:
    """Memory grows with a run's audio: the tokens in flight stay within the budget, and a
    run longer than the budget runs alone rather than never."""
    model = object.__new__(k._Model)
    session = _Session()
    model.session = session
    model.run_options = lambda: None  # type: ignore[method-assign]
    model.parallel = 4
    model._budget = threading.Condition()
    model._in_flight = 0.0
    model._pool = None
    model._pool_pid = 0
    model._pool_lock = threading.Lock()
    costs = [430.0, 200.0, 200.0, 90.0, 600.0, 150.0, 150.0, 150.0]
    threads = [threading.Thread(target=model.run, args=({"cost": c}, c)) for c in costs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert not any(t.is_alive() for t in threads)
    assert session.most == 600.0  # the long one ran, alone
    assert 0 < session.most_together <= k.TOKENS_IN_FLIGHT  # others side by side, in budget
    assert model._in_flight == 0


def test_the_session_does_not_keep_the_models_bytes(kokoro: k.KokoroEngine) -> None:
    """onnxruntime keeps the bytes it was given (92 MB) for a re-creation the CPU provider
    never needs; the engine lets them go."""
    assert getattr(k.load_model().session, "_model_bytes", None) is None


def test_a_whole_sentence_is_one_run(kokoro: k.KokoroEngine) -> None:
    """A long news sentence (close to the limit) is spoken in one run of the model."""
    sentence = speak(
        "मुख्यमंत्री ने गुवाहाटी में उच्च स्तरीय समीक्षा बैठक के बाद पत्रकारों से कहा कि राज्य"
        " सरकार ने प्रभावित इलाकों में 512 राहत शिविर खोले हैं, जिनमें इस समय 1.3 लाख से"
        " ज्यादा लोग रह रहे हैं, और केंद्र से दस अतिरिक्त टीमें भेजने का अनुरोध किया गया है।"
    )
    assert 200 < len(sentence) <= k.MAX_CHARS
    phonemes = ph.phonemize(sentence)
    assert len(k.split_phonemes(phonemes)) == 1
    rate, seconds, _ = wav_info(kokoro.synthesize(sentence))
    assert rate == 24_000 and 10 < seconds < 30


def test_real_synthesis(kokoro: k.KokoroEngine) -> None:
    rate, seconds, peak = wav_info(kokoro.synthesize("नमस्ते, आज मौसम साफ़ रहेगा।"))
    assert rate == 24_000
    assert 1.0 < seconds < 5.0
    assert 3000 < peak <= 32767 * k.PEAK + 1
    faster = k.KokoroEngine(speed=1.5).synthesize("नमस्ते, आज मौसम साफ़ रहेगा।")
    assert wav_info(faster)[1] < seconds * 0.85


def test_the_model_loads_once_per_process(kokoro: k.KokoroEngine) -> None:
    assert k.load_model() is k.load_model()
    assert len(k._models) == 1


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2,
                    reason="needs two CPUs and sched_setaffinity")
def test_runs_use_every_core_when_a_pinned_batch_thread_asks(kokoro: k.KokoroEngine) -> None:
    """A batch pins each article thread to one core; the model's own threads, made by the
    first thread that speaks, must not inherit that pin (the other cores would sit idle)."""
    model = k.load_model()
    everything = os.sched_getaffinity(0)
    with model._pool_lock:
        model._pool = None  # the next run makes its threads, from the pinned thread below
    seen: list[set[int]] = []

    def pinned_article() -> None:
        os.sched_setaffinity(0, {min(everything)})
        kokoro.synthesize("नमस्ते।")
        assert model._pool is not None
        seen.extend(model._pool.submit(os.sched_getaffinity, 0).result() for _ in range(4))

    thread = threading.Thread(target=pinned_article)
    thread.start()
    thread.join()
    assert seen and all(cpus == everything for cpus in seen)


#: A sentence of about 100 phoneme tokens (4 s of speech): long enough that onnxruntime
#: shares its operators among threads, short enough for a quick test.
SENTENCE = "नमस्ते, आज मौसम साफ़ रहेगा और शाम को हल्की बारिश हो सकती है, मौसम विभाग ने कहा।"


def _thread_cpu() -> dict[int, int]:
    """CPU time (clock ticks, user + system) of each thread of this process."""
    ticks = {}
    for task in Path("/proc/self/task").iterdir():
        try:
            fields = (task / "stat").read_text().rpartition(")")[2].split()
        except OSError:  # a thread that ended meanwhile
            continue
        ticks[int(task.name)] = int(fields[11]) + int(fields[12])
    return ticks


@pytest.mark.skipif(not Path("/proc/self/task").is_dir() or cores() < 2,
                    reason="needs two CPUs and /proc")
@pytest.mark.parametrize(("cores", "parallel", "threads"), [
    (1, 1, 1), (2, 1, 2), (3, 1, 3), (4, 1, 4), (6, 1, 6), (8, 2, 7), (12, 3, 10), (16, 4, 13),
])
def test_the_layout_gives_every_core_one_thread(cores: int, parallel: int, threads: int) -> None:
    """A run per four cores, and a pool that leaves one thread per core when every run is
    in flight (each run's own thread works too): never more threads than cores."""
    assert k.layout(cores) == (parallel, threads)
    assert parallel + threads - 1 == cores


def test_a_sentence_alone_is_spoken_by_every_core(kokoro: k.KokoroEngine) -> None:
    """A sentence that runs alone (a long one always does: the budget) is not left to one
    core while the others wait: the session's pool has a thread per core, and more than one
    thread does a good share of the run's work."""
    model = k.load_model()
    assert (model.parallel, model.threads) == k.layout(cores())
    kokoro.synthesize(SENTENCE)  # the runner threads and their first arena, made
    before = _thread_cpu()
    kokoro.synthesize(SENTENCE)
    after = _thread_cpu()
    used = {tid: after[tid] - before.get(tid, 0) for tid in after}
    total = sum(used.values())
    assert total > 0
    sharing = [tid for tid, ticks in used.items() if ticks >= 0.15 * total]
    assert len(sharing) >= 2, used


#: Run in a fresh process: a thread pinned to one CPU (as a batch pins its article
#: threads) loads the model; then the CPUs each thread of the process may use.
_PINNED_LOAD = """
import json, os, threading
from pathlib import Path
import narrate.engines.kokoro_engine as k
everything = os.sched_getaffinity(0)
def article():
    os.sched_setaffinity(0, {min(everything)})
    k.load_model()
    print(json.dumps({"asker": threading.get_native_id(), "all": sorted(everything),
                      "threads": {t.name: sorted(os.sched_getaffinity(int(t.name)))
                                  for t in Path("/proc/self/task").iterdir()}}))
thread = threading.Thread(target=article)
thread.start()
thread.join()
"""


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2,
                    reason="needs two CPUs and sched_setaffinity")
def test_the_sessions_threads_use_every_core_when_a_pinned_thread_loads_it() -> None:
    """onnxruntime starts its pool's threads when the session is made; made from a thread
    that a batch pinned to one core, they would share that core and leave the others idle."""
    import json

    done = subprocess.run([sys.executable, "-c", _PINNED_LOAD], capture_output=True,
                          text=True, check=True, timeout=120)
    seen = json.loads(done.stdout)
    others = {t: cpus for t, cpus in seen["threads"].items() if int(t) != seen["asker"]}
    assert len(others) >= 1 + (cores() - 1)  # the main thread and the pool's workers
    assert all(cpus == seen["all"] for cpus in others.values()), others


def test_the_samples_do_not_depend_on_the_threads(kokoro: k.KokoroEngine) -> None:
    """A sentence's audio is the same, sample for sample, whatever the layout: one thread,
    the engine's pool, or two runs side by side sharing a pool of two threads (the layout
    of a machine with many cores). The layout is a matter of speed, never of sound."""
    import numpy as np

    data = k._read_checked(k.model_paths())
    single = k._Model(data, parallel=1, threads=1)
    shared = k._Model(data, parallel=2, threads=2)
    style = k.load_voice(kokoro.voice)
    texts = (SENTENCE, "क्या आप तैयार हैं? हाँ!")
    inputs = [k.model_inputs(ph.tokenize(ph.phonemize(speak(t))), style, 1.0) for t in texts]
    alone = [single.run(i) for i in inputs]
    together: list[Any] = [None, None]

    def speak_one(n: int) -> None:
        together[n] = shared.run(inputs[n], cost=1.0)

    threads = [threading.Thread(target=speak_one, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert all(np.array_equal(a, b) for a, b in zip(alone, together, strict=True))
    assert all(np.array_equal(k.load_model().run(i), a) for i, a in zip(inputs, alone,
                                                                        strict=True))


def _speak_in_child(text: str, out: Any) -> None:
    out.send(k.KokoroEngine().synthesize(text))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_speaks_with_its_parents_model(kokoro: k.KokoroEngine) -> None:
    """A batch in worker processes forks them; the parent's model comes along, but not the
    threads of its pool: the child's runs do the pool's work themselves, and say the same."""
    import multiprocessing

    expected = kokoro.synthesize("क्या आप तैयार हैं? हाँ!")
    ours, theirs = multiprocessing.get_context("fork").Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(
        target=_speak_in_child, args=("क्या आप तैयार हैं? हाँ!", theirs))
    child.start()
    try:
        assert ours.poll(60), "the forked child did not finish speaking"
        assert ours.recv() == expected
    finally:
        child.join(10)
        if child.is_alive():
            child.kill()
    assert child.exitcode == 0


def test_the_cache_key_is_model_voice_speed_and_phonemes() -> None:
    base = k.KokoroEngine()
    text = "ज़मीन  की क़ीमत बढ़ी।"
    key = clip_key(base.identity(), cache_text(base, text))
    # The same words written another way (decomposed nukta, other spacing): the same key.
    decomposed = "ज\u093cमीन की क\u093cीमत बढ\u093cी।"
    assert clip_key(base.identity(), cache_text(base, decomposed)) == key
    # Another voice, speed or wording: another key.
    for other in (k.KokoroEngine(voice="hm_psi"), k.KokoroEngine(speed=1.1)):
        assert clip_key(other.identity(), cache_text(other, text)) != key
    assert clip_key(base.identity(), cache_text(base, "ज़मीन की क़ीमत घटी।")) != key
    assert base.identity()["model"] == MODEL_SHA256


def test_bad_options_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="no voice 'af_bella'"):
        k.KokoroEngine(voice="af_bella")
    with pytest.raises(UsageError, match="speed 3 is out of range"):
        k.KokoroEngine(speed=3.0)


@pytest.fixture
def model_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "kokoro.onnx"
    monkeypatch.setenv(k.MODEL_ENV, str(path))
    yield path


def test_a_missing_model_is_refused_in_one_line(model_file: Path) -> None:
    with pytest.raises(k.ModelError, match="does not exist") as caught:
        k.load_model()
    assert "\n" not in str(caught.value)
    probe = k.KokoroEngine().probe()
    assert not probe.usable
    assert "does not exist" in probe.detail


@pytest.mark.parametrize("damage", ["flipped", "truncated"])
def test_a_corrupt_model_is_refused_before_onnxruntime_sees_it(
    damage: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    good = b"".join(p.read_bytes() for p in k.model_paths())
    bad = good[:-1] + bytes([good[-1] ^ 1]) if damage == "flipped" else good[: len(good) // 2]
    path = tmp_path / "kokoro.onnx"
    path.write_bytes(bad)
    monkeypatch.setenv(k.MODEL_ENV, str(path))
    with pytest.raises(EngineUnavailable, match="corrupt or not the expected one") as caught:
        k.load_model()
    assert "\n" not in str(caught.value)
    status = k.model_status()
    assert (status.installed, status.intact) == (True, False)


def test_the_command_refuses_a_missing_model_in_one_line(tmp_path: Path) -> None:
    article = tmp_path / "a.md"
    article.write_text("# शीर्षक\n\nआज मौसम साफ़ रहेगा।\n", encoding="utf-8")
    env = {**os.environ, k.MODEL_ENV: str(tmp_path / "missing.onnx")}
    done = subprocess.run(
        [sys.executable, "-m", "narrate", "build", str(article), "--engine", "kokoro",
         "--out", str(tmp_path / "out")],
        capture_output=True, text=True, env=env, check=False,
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Kokoro model" in lines[0] and "does not exist" in lines[0]
    assert "Traceback" not in done.stderr


#: A short article in the shape of the seed articles: a title, two sections, numbers, ₹,
#: an English word, nukta letters and a question.
ARTICLE = """---
title: बाज़ार में सब्ज़ियों के दाम
date: 2026-03-02
---

# बाज़ार में सब्ज़ियों के दाम

इस हफ़्ते मंडी में टमाटर ₹40 प्रति किलो बिका। व्यापारियों ने कहा कि online ऑर्डर बढ़े हैं।

## आगे क्या?

मौसम विभाग ने 2.5 मिलीमीटर बारिश का अनुमान जताया है। क्या दाम और गिरेंगे?
"""


def _ffmpeg() -> str:
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


#: The shape users paste from news sites: a date line fused with the first paragraph, and a
#: later paragraph opening with a label and its heading run into the body.
SEED_STYLE = (
    " date 2026-11-28 इस हफ़्ते मंडी में टमाटर ₹40 प्रति किलो बिका। व्यापारियों ने कहा कि आवक"
    " बढ़ी है।\n\nकिसान क्या कहते हैं किसान किसानों का कहना है कि लागत भी नहीं निकल रही।"
    " क्या दाम और गिरेंगे?\n"
)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "text", "second_chapter"),
    [("article.md", ARTICLE, "आगे क्या?"), ("article.txt", SEED_STYLE, "क्या कहते हैं किसान")],
)
def test_an_episode_spoken_by_kokoro_holds_the_sound_guarantees(
    kokoro: k.KokoroEngine, tmp_path: Path, name: str, text: str, second_chapter: str
) -> None:
    """-19 LUFS +-1, true peak <= -1 dBTP, no clipped sample, no silence over 3 s inside a
    chapter; chapters and captions as with every engine. Read back with ffmpeg."""
    import array
    import json
    import re

    from narrate.cache import ClipCache
    from narrate.pipeline import BuildSettings, build_episode
    from narrate.publish.folder import OutputFolder

    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    with OutputFolder(tmp_path / "out") as folder:
        episode = build_episode(str(source), kokoro, BuildSettings(), folder,
                                cache=ClipCache(tmp_path / "cache"))
    assert episode.engine == "kokoro"
    assert episode.requests == episode.chunks >= 4

    log = subprocess.run(
        [_ffmpeg(), "-hide_banner", "-nostats", "-i", str(episode.audio), "-af",
         "silencedetect=n=-50dB:d=3,ebur128=peak=true", "-f", "null", "-"],
        capture_output=True, text=True, errors="replace", check=True,
    ).stderr
    summary = log[log.rfind("Summary:"):]
    lufs = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))  # type: ignore[union-attr]
    peak = float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary).group(1))  # type: ignore[union-attr]
    assert -20.0 <= lufs <= -18.0
    assert peak <= -1.0
    silences = [(float(a), float(b)) for a, b in re.findall(
        r"silence_start: ([\d.]+).*?silence_end: ([\d.]+)", log, re.S)]
    chapters = json.loads(episode.files["chapters_json"].read_text(encoding="utf-8"))["chapters"]
    assert len(chapters) == 2
    assert chapters[1]["title"] == second_chapter
    for start, end in silences:  # a long silence may only be a chapter's edge
        assert any(start <= c["startTime"] + 0.1 and end >= c["startTime"] - 0.1
                   for c in chapters), (start, end)
    pcm = subprocess.run([_ffmpeg(), "-v", "error", "-i", str(episode.audio), "-f", "s16le",
                          "-ac", "1", "-"], capture_output=True, check=True).stdout
    samples = array.array("h", pcm)
    assert sum(1 for s in samples if s in (32767, -32768)) == 0
    assert abs(len(samples) / 44100 - episode.duration_s) < 0.2
    captions = episode.files["captions"].read_text(encoding="utf-8")
    assert captions.startswith("WEBVTT")
    assert captions.count(" --> ") == episode.chunks
    assert "₹40" in captions  # captions keep the article's text, the voice says the words
