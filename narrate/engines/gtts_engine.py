"""Google's Hindi voice through the gTTS library: one request per chunk, checked answers.

We hand gTTS our chunk with its pre-processors and tokenizer turned off, so it builds exactly
our text into one request (it only tokenizes text over 100 characters, which we refuse). We
send that request ourselves, through one kept-alive ``requests.Session`` per thread: gTTS
opens a new session (a new TCP connection and TLS handshake) for every request, which costs a
round trip or two to Google and ~25 ms of CPU each. gTTS waits forever by default, so a
timeout is always set; and it writes 0 bytes when Google answers 200 without audio, so the
answer is checked here: 0 bytes, or bytes that do not
decode as MP3, are :class:`~narrate.errors.EmptyAudio`. Failures worth retrying (429, 5xx,
timeouts, dropped connections) become :class:`~narrate.engines.base.TransientEngineError`
with the HTTP status and ``Retry-After``; retrying is :mod:`narrate.synth`'s job.
"""

from __future__ import annotations

import base64
import datetime as dt
import email.utils
import errno
import io
import logging
import re
import socket
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

import gtts
import mutagen
import mutagen.mp3
import requests
import requests.adapters
import urllib3.exceptions
from gtts.version import __version__ as GTTS_VERSION

from narrate.engines.base import Probe, TransientEngineError, check_text
from narrate.engines.builtin import GTTS
from narrate.engines.spec import AudioFormat
from narrate.errors import EmptyAudio, EngineError, UsageError

log = logging.getLogger(__name__)

SPEC = GTTS
NAME = SPEC.name
#: The path gTTS posts to, on ``translate.google.<tld>``.
RPC_PATH = "/_/TranslateWebserverUi/data/batchexecute"
#: (connect, read) seconds. Google answers a 100-character chunk in about a second.
DEFAULT_TIMEOUT = (3.05, 10.0)
#: What the probe asks Google to say.
PROBE_TEXT = "नमस्ते"

#: mutagen's MP3 reader, which ships without type hints.
_MP3: Callable[[io.BytesIO], Any] = mutagen.mp3.MP3

_TLD = re.compile(r"[a-z]{2,3}(\.[a-z]{2,3})?")


def _whole(text: str) -> list[str]:
    """gTTS tokenizer that keeps the text whole: our chunker already split it."""
    return [text]


def retry_after_seconds(value: str | None, *, now: dt.datetime | None = None) -> float | None:
    """``Retry-After`` in seconds: either a number of seconds or an HTTP date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    moment = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - moment).total_seconds())


def check_mp3(data: bytes, *, engine: str = NAME, chunk: str | None = None) -> None:
    """EmptyAudio unless ``data`` holds MPEG audio frames of some duration.

    Cheap: mutagen reads frame headers, nothing is decoded.
    """
    if not data:
        raise EmptyAudio(
            "Google answered without audio (0 bytes). Probable cause: Google did not accept"
            " the text, or its answer format changed (update gTTS)",
            engine=engine,
            chunk=chunk,
        )
    try:
        length = float(_MP3(io.BytesIO(data)).info.length)
    except mutagen.MutagenError as e:
        raise EmptyAudio(
            f"Google answered {len(data)} bytes that are not MP3 audio ({e}). Probable cause:"
            " a proxy or captive portal answered instead of Google",
            engine=engine,
            chunk=chunk,
        ) from e
    if length <= 0:
        raise EmptyAudio(
            "Google answered MP3 audio of no duration. Probable cause: Google did not"
            " accept the text",
            engine=engine,
            chunk=chunk,
        )


#: The line of Google's answer that carries the audio, as gTTS finds it.
_AUDIO_LINE = re.compile(r'jQ1olc","\[\\"(.*)\\"]')


def _audio(response: requests.Response) -> bytes:
    """The MP3 in Google's answer (b"" when it has no ``jQ1olc`` line); ValueError when the
    line is there without audio. gTTS's own reading, for a response we sent."""
    parts = []
    for line in response.iter_lines(chunk_size=1024):
        decoded = line.decode("utf-8")
        if "jQ1olc" in decoded:
            found = _AUDIO_LINE.search(decoded)
            if found is None:
                raise ValueError("Google's jQ1olc line carries no audio")
            parts.append(base64.b64decode(found.group(1).encode("ascii")))
    return b"".join(parts)


def _unreachable(cause: requests.RequestException) -> str | None:
    """What a request that never reached Google ran into, when it is the network itself
    (a name that does not resolve, a connection refused, a network or host that cannot
    be reached, on the way to Google or to the proxy in ``HTTPS_PROXY``), in a few words;
    None for anything else."""
    proxy = False
    seen: set[int] = set()
    error: BaseException | None = cause
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        proxy = proxy or isinstance(error, urllib3.exceptions.ProxyError)
        said = None
        if isinstance(error, urllib3.exceptions.NameResolutionError | socket.gaierror):
            said = "its name does not resolve"
        elif isinstance(error, ConnectionRefusedError):
            said = "the connection was refused"
        elif isinstance(error, OSError) and error.errno in _NO_ROUTE:
            said = "the network is unreachable"
        if said is not None:
            return f"the proxy in HTTPS_PROXY cannot be reached ({said})" if proxy else said
        reason = getattr(error, "reason", None)
        following = reason if isinstance(reason, BaseException) else None
        error = following or error.__cause__ or error.__context__ or next(
            (arg for arg in error.args if isinstance(arg, BaseException)), None)
    return None


#: errno values of "no way to that host": the network is down or has no route.
_NO_ROUTE = frozenset(getattr(errno, name) for name in (
    "ENETUNREACH", "EHOSTUNREACH", "ENETDOWN", "EHOSTDOWN", "EADDRNOTAVAIL")
    if hasattr(errno, name))


class GTTSEngine:
    """Google Translate's Hindi voice. Stateless and safe to call from many threads."""

    name = NAME
    max_chars = SPEC.max_chars
    languages = SPEC.languages
    audio_format: AudioFormat = SPEC.audio_format

    def __init__(
        self,
        *,
        tld: str = str(SPEC.option("tld").default),
        slow: bool = bool(SPEC.option("slow").default),
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        lang: str = "hi",
    ) -> None:
        if not _TLD.fullmatch(tld):
            raise UsageError(
                f"{tld!r} is not a Google domain ending such as 'com' or 'co.in'"
            )
        if lang not in self.languages:
            raise UsageError(f"gtts speaks {', '.join(sorted(self.languages))}, not {lang!r}")
        self.tld = tld
        self.slow = slow
        self.timeout = timeout
        self.lang = lang
        self._local = threading.local()

    @property
    def host(self) -> str:
        return f"translate.google.{self.tld}"

    def identity(self) -> Mapping[str, str]:
        return {
            "engine": NAME,
            "version": GTTS_VERSION,
            "voice": "google-translate",
            "language": self.lang,
            "tld": self.tld,
            "speed": "slow" if self.slow else "normal",
        }

    def synthesize(self, text: str) -> bytes:
        spoken = check_text(self, text)
        audio = self._fetch(spoken, self.timeout, chunk=text)
        check_mp3(audio, chunk=text)
        return audio

    def probe(self, timeout: float = 2.0) -> Probe:
        """Ask Google to say one word; give up after ``timeout`` seconds whatever happens.

        The request runs in a daemon thread so a hung connection cannot hold the caller
        (nor the exit of the process) longer than ``timeout``.
        """
        outcome: list[BaseException | None] = []
        started = time.monotonic()

        def ask() -> None:
            try:
                check_mp3(self._fetch(PROBE_TEXT, (min(1.0, timeout), timeout), chunk=None))
            except Exception as e:  # reported to the caller below, never raised from a thread
                outcome.append(e)
            else:
                outcome.append(None)

        thread = threading.Thread(target=ask, name="narrate-gtts-probe", daemon=True)
        thread.start()
        thread.join(timeout)
        if not outcome:
            return Probe(False, f"no answer from {self.host} within {timeout:g} s")
        error = outcome[0]
        if error is None:
            return Probe(True, f"{self.host} answered in {time.monotonic() - started:.1f} s")
        premise = str(error).partition(". Probable cause:")[0]
        return Probe(False, premise if isinstance(error, EngineError) else repr(error))

    def _session(self) -> requests.Session:
        """This thread's session to Google: its connection (and TLS session) is kept and
        reused for the thread's next requests, where gTTS opens a new one per request.

        One per thread, as ``requests.Session`` is not meant to be shared between threads.
        Proxies and CA bundles come from the environment (``HTTPS_PROXY``,
        ``REQUESTS_CA_BUNDLE``), as with gTTS; certificates are verified.
        """
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            adapter = requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=1)
            session.mount("https://", adapter)
            session.headers.update(gtts.gTTS.GOOGLE_TTS_HEADERS)
            self._local.session = session
        return session

    def _fetch(
        self, text: str, timeout: float | tuple[float, float], *, chunk: str | None
    ) -> bytes:
        """One request for ``text`` (already within 100 characters): gTTS builds it (its
        RPC, headers and URL), a kept-alive session sends it, and the audio is read out of
        the answer the way gTTS reads it."""
        tts = gtts.gTTS(
            text,
            tld=self.tld,
            lang=self.lang,
            slow=self.slow,
            lang_check=False,
            pre_processor_funcs=[],
            tokenizer_func=_whole,
            timeout=timeout,
        )
        (body,) = tts.get_bodies()
        try:
            response = self._session().post(
                f"https://{self.host}{RPC_PATH}", data=body, timeout=timeout
            )
        except requests.RequestException as e:
            raise self._from_request(e, timeout, chunk) from e
        try:
            response.raise_for_status()
            return _audio(response)
        except requests.HTTPError as e:
            raise self._from_status(response, chunk) from e
        except ValueError as e:  # a jQ1olc line without audio
            raise self._from_status(response, chunk) from e
        except requests.RequestException as e:  # while reading the body
            raise TransientEngineError(
                f"the answer from {self.host} was cut off ({type(e).__name__}). Probable"
                " cause: an unstable connection",
                kind="connection",
                engine=NAME,
                chunk=chunk,
            ) from e

    def _from_request(
        self, cause: requests.RequestException, timeout: float | tuple[float, float],
        chunk: str | None,
    ) -> EngineError:
        """Our error for a request that got no answer."""
        log.debug("request to Google failed: %r", cause)
        connect_s, read_s = timeout if isinstance(timeout, tuple) else (timeout, timeout)
        unreachable = _unreachable(cause)
        if unreachable is not None:
            why = ("the proxy is down, or HTTPS_PROXY names the wrong one" if "proxy" in
                   unreachable else "no network connection, or a firewall in the way")
            return TransientEngineError(
                f"cannot reach {self.host}: {unreachable}. Probable cause: {why}",
                kind="unreachable",
                engine=NAME,
                chunk=chunk,
            )
        if isinstance(cause, requests.ConnectTimeout):
            return TransientEngineError(
                f"cannot reach {self.host}: no connection within {connect_s:g} s."
                " Probable cause: no network connection, or a firewall drops it",
                kind="unreachable",
                engine=NAME,
                chunk=chunk,
            )
        if isinstance(cause, requests.Timeout):
            return TransientEngineError(
                f"no answer from {self.host} within {read_s:g} s. Probable cause: a slow"
                " network or an overloaded Google",
                kind="timeout",
                engine=NAME,
                chunk=chunk,
            )
        if isinstance(cause, requests.exceptions.ProxyError):
            return TransientEngineError(
                f"the proxy did not connect us to {self.host}. Probable cause: the proxy in"
                " HTTPS_PROXY is down or refuses the connection",
                kind="connection",
                engine=NAME,
                chunk=chunk,
            )
        if isinstance(cause, requests.exceptions.SSLError):
            return TransientEngineError(
                f"the secure connection to {self.host} failed. Probable cause: a proxy or"
                " firewall intercepts HTTPS",
                kind="connection",
                engine=NAME,
                chunk=chunk,
            )
        if isinstance(cause, requests.ConnectionError | requests.exceptions.ChunkedEncodingError):
            return TransientEngineError(
                f"the connection to {self.host} failed ({type(cause).__name__}). Probable"
                " cause: an unstable network",
                kind="connection",
                engine=NAME,
                chunk=chunk,
            )
        detail = type(cause).__name__
        return EngineError(
            f"the request to {self.host} failed ({detail}). Probable cause: a gTTS or"
            " requests problem; run with --debug for details",
            engine=NAME,
            chunk=chunk,
        )

    def _from_status(self, response: requests.Response, chunk: str | None) -> EngineError:
        status = response.status_code
        said = f"{status} ({response.reason}) from Google" if response.reason else (
            f"{status} from Google"
        )
        if status == 200:
            return EmptyAudio(
                "Google answered 200 without audio. Probable cause: Google did not accept"
                " the text, or its answer format changed (update gTTS)",
                engine=NAME,
                chunk=chunk,
            )
        if status == 429:
            return TransientEngineError(
                f"{said}. Probable cause: rate limit; run again later",
                kind="rate_limit",
                engine=NAME,
                chunk=chunk,
                status=status,
                retry_after=retry_after_seconds(response.headers.get("Retry-After")),
            )
        if status >= 500 or status == 408:
            return TransientEngineError(
                f"{said}. Probable cause: Google's servers are having trouble; run again"
                " later",
                kind="server",
                engine=NAME,
                chunk=chunk,
                status=status,
                retry_after=retry_after_seconds(response.headers.get("Retry-After")),
            )
        if status == 404 and self.tld != "com":
            cause = f"Google has no speech service at {self.host}; try --tld com"
        elif status == 403:
            cause = (
                "Google refused the request (a block or a change on Google's side);"
                " use --engine kokoro, the natural offline voice"
            )
        else:
            cause = "Google changed how its speech service is called; update gTTS"
        return EngineError(f"{said}. Probable cause: {cause}", engine=NAME, chunk=chunk)
