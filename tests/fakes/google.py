"""A fake Google Translate speech endpoint at the HTTP layer, so the real gTTS code runs.

``FakeGoogle`` answers gTTS's POST to ``batchexecute`` through ``responses``: by default
with a ``jQ1olc`` line carrying a real tiny MP3; queued answers (429, 5xx, timeouts, 200
without audio...) come first, or per text. It records every text asked for and how many
requests were in flight at once.
"""

from __future__ import annotations

import base64
import errno
import functools
import json
import socket
import subprocess
import threading
import time
import urllib.parse
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import imageio_ffmpeg
import mutagen.mp3
import requests
import responses
from requests import PreparedRequest

URL = "https://translate.google.com/_/TranslateWebserverUi/data/batchexecute"


@functools.cache
def tiny_mp3() -> bytes:
    """0.2 s of a 440 Hz tone as MP3 (about 1 KB), made once with the bundled ffmpeg."""
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=0.2:sample_rate=24000",
        "-ac", "1", "-c:a", "libmp3lame", "-b:a", "32k", "-f", "mp3", "-",
    ]
    return subprocess.run(command, capture_output=True, check=True).stdout


def mp3_seconds(data: bytes) -> float:
    """Duration of MP3 ``data`` from its frame headers (mutagen)."""
    import io

    info: Any = mutagen.mp3.MP3(io.BytesIO(data)).info  # type: ignore[no-untyped-call]
    return float(info.length)


def audio_body(audio: bytes) -> str:
    """Google's answer carrying ``audio``, in the shape gTTS's regex reads."""
    b64 = base64.b64encode(audio).decode("ascii")
    line = json.dumps([["wrb.fr", "jQ1olc", json.dumps([b64]), None, None, None, "generic"]],
                      separators=(",", ":"))
    return ")]}'\n\n" + line + "\n"


def request_parameters(body: str | bytes) -> list[object]:
    """``[text, lang, speed, "null"]`` from gTTS's ``f.req=`` form body."""
    raw = body.decode("ascii") if isinstance(body, bytes) else body
    value = urllib.parse.parse_qs(raw)["f.req"][0]
    rpc = json.loads(value)
    parameters: list[object] = json.loads(rpc[0][0][1])
    return parameters


def request_text(body: str | bytes) -> str:
    """The text gTTS asked Google to say."""
    return str(request_parameters(body)[0])


@dataclass(frozen=True)
class Answer:
    """One answer: a status and body, or an exception raised instead (a timeout)."""

    status: int = 200
    body: str | None = None  # None: the audio
    headers: dict[str, str] = field(default_factory=dict)
    #: Raised instead of an answer: made from a message (an exception class will do).
    raises: Callable[[str], Exception] | None = None
    delay_s: float = 0.0


def ok() -> Answer:
    return Answer()


def rate_limited(retry_after: str | None = None) -> Answer:
    return Answer(429, "Too Many Requests", {"Retry-After": retry_after} if retry_after else {})


def server_error(status: int = 503) -> Answer:
    return Answer(status, "Service Unavailable")


def connect_timeout() -> Answer:
    return Answer(raises=requests.exceptions.ConnectTimeout)


def read_timeout() -> Answer:
    return Answer(raises=requests.exceptions.ReadTimeout)


def connection_refused() -> Answer:
    """What requests raises when nothing listens at Google's address: the refusal is in
    the error's chain."""
    return Answer(raises=lambda message: requests.exceptions.ConnectionError(
        ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"), message))


def name_not_resolved() -> Answer:
    """What requests raises on a machine without DNS (no network)."""
    return Answer(raises=lambda message: requests.exceptions.ConnectionError(
        socket.gaierror(socket.EAI_NONAME, "Name or service not known"), message))


def connection_dropped() -> Answer:
    """A connection lost on the way (no cause narrate can name)."""
    return Answer(raises=requests.exceptions.ConnectionError)


def no_audio_line() -> Answer:
    """200 without any jQ1olc line: gTTS yields nothing and would write 0 bytes."""
    return Answer(200, ")]}'\n\n[[\"wrb.fr\",\"other\",null]]\n")


def unreadable_audio_line() -> Answer:
    """200 with a jQ1olc line gTTS cannot read: gTTS raises with the 200 response."""
    return Answer(200, ")]}'\n\n[[\"wrb.fr\",\"jQ1olc\",null,null,null,\"generic\"]]\n")


def not_mp3() -> Answer:
    """200 with 'audio' that is not MP3 (a portal's HTML)."""
    return Answer(200, audio_body(b"<html>please log in</html>" * 20))


class FakeGoogle:
    """Answers gTTS's requests; see the module docstring."""

    def __init__(self, mock: responses.RequestsMock) -> None:
        self.mock = mock
        self.texts: list[str] = []
        self.queue: deque[Answer] = deque()
        self.by_text: dict[str, deque[Answer]] = {}
        self.always: dict[str, Answer] = {}
        self.delay_s = 0.0
        self.peak = 0
        self.on_request: Callable[[str], object] | None = None
        self._in_flight = 0
        self._lock = threading.Lock()
        mock.add_callback(responses.POST, URL, callback=self._answer)

    @property
    def requests(self) -> int:
        return len(self.texts)

    def answer(self, *answers: Answer) -> None:
        """Answer the next requests (whatever their text) with ``answers``, then audio."""
        self.queue.extend(answers)

    def answer_text(self, text: str, *answers: Answer) -> None:
        """Answer the next requests for ``text`` with ``answers``."""
        self.by_text.setdefault(text, deque()).extend(answers)

    def always_text(self, text: str, answer: Answer) -> None:
        """Answer every request for ``text`` with ``answer``."""
        self.always[text] = answer

    def _next(self, text: str) -> Answer:
        with self._lock:
            if text in self.always:
                return self.always[text]
            mine = self.by_text.get(text)
            if mine:
                return mine.popleft()
            if self.queue:
                return self.queue.popleft()
        return ok()

    def _answer(
        self, request: PreparedRequest
    ) -> Exception | tuple[int, dict[str, str], str]:
        text = request_text(request.body or "")
        with self._lock:
            self.texts.append(text)
            self._in_flight += 1
            self.peak = max(self.peak, self._in_flight)
        try:
            answer = self._next(text)
            if self.on_request is not None:
                self.on_request(text)
            wait = answer.delay_s or self.delay_s
            if wait:
                time.sleep(wait)
            if answer.raises is not None:
                return answer.raises(f"fake Google: {getattr(answer.raises, '__name__', '')}")
            body = audio_body(tiny_mp3()) if answer.body is None else answer.body
            return (answer.status, answer.headers, body)
        finally:
            with self._lock:
                self._in_flight -= 1
