"""Where an article's bytes come from: a file, standard input, or an http(s) URL.

This is the only module of the readers that touches files or the network; everything after
it works on bytes already in memory.
"""

from __future__ import annotations

import logging
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import requests
import urllib3

from narrate.errors import ArticleError
from narrate.fsutil import FileTooLargeError, NotRegularFileError, read_bounded

log = logging.getLogger(__name__)

#: Largest article accepted, from any source: a news article is a few hundred kilobytes at
#: most, so anything bigger is a wrong file or an endless stream.
MAX_BYTES = 10 * 1024 * 1024
#: Sites answer bots with error pages; a browser-like User-Agent gets the article.
USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0 Safari/537.36 narrate"
)
HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": (
        "text/html,application/xhtml+xml,text/plain,text/markdown,application/json;q=0.9,*/*;q=0.5"
    ),
    "Accept-Language": "hi,en;q=0.8",
}
STDIN_NAME = "<stdin>"
#: An address with a scheme we do not fetch (ftp://, file://): not a file name either.
OTHER_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
#: What usually lies behind an HTTP error status, for the one-line message.
HTTP_CAUSES = {
    401: "the article is behind a login",
    403: "the site refuses scripts or the article is paywalled; save the page and pass the file",
    404: "a wrong address, or the article was removed",
    410: "the article was removed",
    429: "too many requests; try again later",
}
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Loaded:
    """An article's raw bytes, the name to use in messages, and the server's Content-Type."""

    data: bytes
    source: str
    content_type: str | None = None


def is_url(source: str) -> bool:
    """True for http(s) addresses; anything else is a path (or ``-``)."""
    return source.lower().startswith(("http://", "https://"))


def load(source: str, *, stdin: BinaryIO | None, timeout: float) -> Loaded:
    """The bytes of ``source``: a path, ``-`` for standard input, or an http(s) URL."""
    if source == "-":
        return Loaded(read_stream(stdin, STDIN_NAME), STDIN_NAME)
    if is_url(source):
        return fetch(source, timeout=timeout)
    if OTHER_SCHEME.match(source):
        raise ArticleError(source, "only http:// and https:// addresses can be fetched")
    return Loaded(read_path(source), source)


def read_stream(stream: BinaryIO | None, name: str) -> bytes:
    """Read at most :data:`MAX_BYTES` (plus one, to notice more) from a binary stream."""
    if stream is None:
        stream = sys.stdin.buffer
    try:
        data = stream.read(MAX_BYTES + 1)
    except OSError as e:
        raise ArticleError(name, f"cannot read: {e.strerror or e}") from e
    _check_size(len(data), name)
    if not data:
        raise ArticleError(name, "empty input (nothing on standard input)")
    return data


def read_path(source: str) -> bytes:
    """Read a file, turning each way it can fail into a reason a user understands.

    At most :data:`MAX_BYTES` plus one byte is read, and only from a regular file: a FIFO,
    a device (``/dev/zero``) or a link to one is refused before anything is read.
    """
    path = Path(source).expanduser()
    if path.is_dir():
        raise ArticleError(source, "is a directory, not an article file")
    try:
        return read_bounded(path, MAX_BYTES)
    except FileNotFoundError as e:
        raise ArticleError(source, "no such file") from e
    except IsADirectoryError as e:
        raise ArticleError(source, "is a directory, not an article file") from e
    except PermissionError as e:
        raise ArticleError(source, "permission denied") from e
    except NotRegularFileError as e:
        raise ArticleError(source, f"is {e.strerror}; narrate reads article files") from e
    except FileTooLargeError as e:
        raise _too_large(source) from e
    except OSError as e:
        raise ArticleError(source, f"cannot read: {e.strerror or e}") from e
    except ValueError as e:  # a NUL character in the name
        raise ArticleError(source, f"not a usable file name ({e})") from e


def fetch(url: str, *, timeout: float) -> Loaded:
    """GET ``url`` with a timeout, a size cap and an overall deadline.

    ``timeout`` bounds the connection and each wait for data; the deadline (the same number
    of seconds for the whole body) stops a server that trickles bytes forever.
    """
    deadline = time.monotonic() + timeout
    try:
        with requests.get(
            url, headers=HEADERS, timeout=timeout, stream=True, allow_redirects=True
        ) as response:
            if not 200 <= response.status_code < 300:
                raise ArticleError(url, _http_error(response))
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit():
                _check_size(int(declared), url)
            data = _read_body(response, url, deadline, timeout)
            content_type = response.headers.get("Content-Type")
    except requests.Timeout as e:
        raise ArticleError(
            url,
            f"no answer within {timeout:g} s. Probable cause: the site is slow or blocks"
            " scripts; try again, or save the page and pass the file",
        ) from e
    except requests.exceptions.SSLError as e:
        raise ArticleError(
            url, "TLS/SSL error. Probable cause: a wrong or expired certificate"
        ) from e
    except requests.ConnectionError as e:
        if _is_read_timeout(e):
            raise ArticleError(
                url,
                f"the site stopped sending data for {timeout:g} s. Probable cause: a slow"
                " or overloaded site; try again, or save the page and pass the file",
            ) from e
        raise ArticleError(
            url,
            "cannot connect. Probable cause: no network, a typo in the address,"
            " or the site is down",
        ) from e
    except requests.TooManyRedirects as e:
        raise ArticleError(url, "too many redirects") from e
    except requests.RequestException as e:
        raise ArticleError(url, f"cannot fetch: {e}") from e
    log.debug("fetched %s: %d bytes, %s", url, len(data), content_type)
    return Loaded(data, url, content_type)


def _http_error(response: requests.Response) -> str:
    """The reason for a non-2xx answer: "HTTP 404 Not Found. Probable cause: …"."""
    status = response.status_code
    text = f"HTTP {status} {response.reason}" if response.reason else f"HTTP {status}"
    cause = HTTP_CAUSES.get(status)
    if cause is None and status >= 500:
        cause = "a problem on the site; try again later"
    return f"{text}. Probable cause: {cause}" if cause else text


def _is_read_timeout(error: requests.ConnectionError) -> bool:
    """requests reports a read timeout while streaming the body as a ConnectionError."""
    return any(isinstance(arg, urllib3.exceptions.ReadTimeoutError) for arg in error.args)


def _chunks(response: requests.Response) -> Iterator[bytes]:
    """The body as it arrives: ``read1`` returns whatever data is there instead of waiting
    for a full chunk, so a server that trickles bytes cannot hide from the deadline."""
    raw = response.raw
    while chunk := raw.read1(_CHUNK, decode_content=True):
        yield chunk


def _read_body(response: requests.Response, url: str, deadline: float, timeout: float) -> bytes:
    """Read the body, stopping at the size cap or when the deadline passes."""
    parts: list[bytes] = []
    size = 0
    try:
        for chunk in _chunks(response):
            size += len(chunk)
            _check_size(size, url)
            parts.append(chunk)
            if time.monotonic() > deadline:
                raise ArticleError(
                    url,
                    f"the page took longer than {timeout:g} s to download. Probable cause:"
                    " a slow site; try again, or save the page and pass the file",
                )
    except urllib3.exceptions.ReadTimeoutError as e:
        raise requests.ConnectionError(e) from e  # reported like a timeout before the body
    except urllib3.exceptions.HTTPError as e:
        raise ArticleError(
            url, f"the connection broke while downloading ({type(e).__name__})"
        ) from e
    return b"".join(parts)


def _check_size(size: int, source: str) -> None:
    """Refuse anything over :data:`MAX_BYTES`."""
    if size > MAX_BYTES:
        raise _too_large(source)


def _too_large(source: str) -> ArticleError:
    return ArticleError(source, f"too large for an article (over {MAX_BYTES >> 20} MB)")
