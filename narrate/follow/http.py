"""A polite HTTP client: how narrate fetches a site it follows.

A watcher asks the same site for its feed every few minutes for months, so it must be a
good citizen of the web:

- it says who it is: a User-Agent naming narrate and its version (:data:`USER_AGENT`);
- it honours the site's ``robots.txt`` (RFC 9309: a 4xx means no rules, a 5xx or no answer
  means keep out for now; rules are kept a day at most; ``Crawl-delay`` spaces requests);
- at most :attr:`Politeness.per_host` requests are in flight to one host, and a 429 or
  503 slows every request to that host for the time ``Retry-After`` asks (else an
  exponential backoff with jitter);
- redirects are followed by hand: at most :attr:`Politeness.max_redirects`, only to
  http(s), and a loop is named as one;
- a body over the size limit is refused: at most ``limit + 1`` bytes are ever read
  (after decompression), and a declared ``Content-Length`` over it is refused unread;
- every request has a connect and read timeout, and the whole body a deadline, so a slow
  or silent site never hangs the watcher;
- conditional requests (``If-None-Match``, ``If-Modified-Since``) from the validators of
  the last answer, so an unchanged feed costs one request and no body.

The rules that need no socket (``Retry-After``, the backoff, where a redirect goes, what a
``robots.txt`` status means) are plain functions, tested as tables; the wire is
``requests``'. :meth:`PoliteClient.stop` wakes every wait at once (Ctrl-C, SIGTERM).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import random
import threading
import time
import urllib.robotparser
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

from narrate import __version__
from narrate.errors import ArticleError
from narrate.readers.source import HTTP_CAUSES

log = logging.getLogger(__name__)

#: Who is asking: the product token ``narrate`` is what ``robots.txt`` groups name.
USER_AGENT = f"narrate/{__version__} (+https://pypi.org/project/narrate-hindi/)"
ROBOTS_TOKEN = "narrate"
#: Statuses that mean "not now": slow down and try again.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
#: Longest ``robots.txt`` read (RFC 9309 asks crawlers to parse at least 500 KiB).
ROBOTS_MAX_BYTES = 500 * 1024
#: How long ``robots.txt`` rules are kept (RFC 9309: not more than 24 hours).
ROBOTS_TTL_S = 24 * 3600.0
#: The longest ``Crawl-delay`` honoured between two requests to one host.
MAX_CRAWL_DELAY_S = 30.0
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Politeness:
    """How hard narrate may knock. The defaults suit a watcher polling a news site."""

    per_host: int = 2
    timeout: float = 15.0
    #: Seconds for a whole body to arrive (a trickling server is cut off).
    deadline: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    tries: int = 3
    backoff: float = 2.0
    #: The longest wait a ``Retry-After`` may ask for within a round; a longer one fails
    #: the request (the next round asks again).
    max_wait: float = 120.0
    robots: bool = True
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Validators:
    """What a server said about the version it sent, to ask next time "only if changed"."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


@dataclass(frozen=True)
class Fetched:
    """An answer: 200 with its body, or 304 (``body`` empty: the last one still holds)."""

    url: str
    final_url: str
    status: int
    body: bytes = b""
    content_type: str | None = None
    validators: Validators = field(default_factory=Validators)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class FetchError(ArticleError):
    """A URL could not be fetched. ``transient`` when trying later may help (a timeout, a
    429, a site that is down); ``status`` is the HTTP status when there was one."""

    def __init__(self, url: str, reason: str, *, status: int | None = None,
                 transient: bool = False, retry_after: float | None = None) -> None:
        self.status = status
        self.transient = transient
        self.retry_after = retry_after
        super().__init__(url, reason)


class Stopped(FetchError):
    """The client was stopped (Ctrl-C, SIGTERM) while this request waited."""

    def __init__(self, url: str) -> None:
        super().__init__(url, "stopped before it was fetched", transient=True)


# -- rules without a socket --------------------------------------------------------------


def retry_after_s(value: str | None, now: dt.datetime) -> float | None:
    """Seconds a ``Retry-After`` value asks to wait: delay-seconds or an HTTP-date
    (RFC 9110 §10.2.3); None when absent or unreadable; never negative."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - now).total_seconds())


def backoff_s(attempt: int, base: float, retry_after: float | None,
              jitter: Callable[[], float] = random.random) -> float:
    """How long to wait before try ``attempt + 1`` (``attempt`` from 0): what the server
    asked, else ``base * 2**attempt`` stretched by up to half again at random, so that
    many clients turned away at once do not all come back at once."""
    if retry_after is not None:
        return retry_after
    return float(base * (2 ** attempt) * (1.0 + 0.5 * jitter()))


def redirect_target(url: str, status: int, location: str | None) -> str | None:
    """Where a redirect answer sends ``url``: an absolute http(s) URL, or None when the
    answer is not a redirect. A redirect without a usable ``Location`` is an error."""
    if status not in REDIRECT_STATUSES:
        return None
    if not location or not location.strip():
        raise FetchError(url, f"HTTP {status} redirect without a Location", status=status)
    target = urljoin(url, location.strip())
    if urlsplit(target).scheme not in ("http", "https"):
        raise FetchError(url, f"redirect to {target!r}: only http(s) is followed",
                         status=status)
    return target.split("#", 1)[0]


RobotsVerdict = Literal["rules", "allow", "disallow"]


def robots_verdict(status: int) -> RobotsVerdict:
    """What a ``robots.txt`` answer means (RFC 9309 §2.3.1): 2xx rules to read; 4xx
    ("unavailable") no rules at all; 5xx ("unreachable") and 429 keep out for now."""
    if 200 <= status < 300:
        return "rules"
    if 400 <= status < 500 and status != 429:  # 429 is "not now", like a 5xx
        return "allow"
    return "disallow"


def http_reason(status: int, reason: str | None) -> str:
    """"HTTP 404 Not Found. Probable cause: …" for a status narrate will not retry."""
    text = f"HTTP {status} {reason}" if reason else f"HTTP {status}"
    cause = HTTP_CAUSES.get(status)
    if cause is None and status >= 500:
        cause = "a problem on the site; it is asked again next round"
    return f"{text}. Probable cause: {cause}" if cause else text


# -- the client ----------------------------------------------------------------------------


class _Host:
    """One host's share: its slots, and the moment before which nobody may ask it."""

    def __init__(self, slots: int) -> None:
        self.slots = threading.BoundedSemaphore(slots)
        self.lock = threading.Lock()
        self.not_before = 0.0
        self.spacing = 0.0  # Crawl-delay

    def hold_off(self, until: float) -> None:
        with self.lock:
            self.not_before = max(self.not_before, until)


@dataclass
class _Robots:
    """A site's rules: parsed, or a verdict without rules; ``unreachable`` (no answer at
    all) is kept until the next round (:meth:`PoliteClient.new_round`) with its reason."""

    parser: urllib.robotparser.RobotFileParser | None
    verdict: RobotsVerdict | Literal["unreachable"]
    expires: float
    reason: str = ""


@dataclass
class _Redirect:
    target: str


class PoliteClient:
    """Fetches URLs under a :class:`Politeness`; safe to use from many threads (one
    ``requests`` session per thread). ``clock`` is monotonic seconds."""

    def __init__(self, policy: Politeness | None = None, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.policy = policy or Politeness()
        self.clock = clock
        self._stop = threading.Event()
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, _Robots] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        self._local = threading.local()
        #: Requests sent, by URL (robots.txt included): what a round cost.
        self.requests = 0

    # -- lifecycle -------------------------------------------------------------------------

    def stop(self) -> None:
        """Wake every wait now; requests not yet sent fail with :class:`Stopped`."""
        self._stop.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers["User-Agent"] = self.policy.user_agent
            self._local.session = session
        return session

    def _host(self, url: str) -> _Host:
        key = urlsplit(url).netloc.lower()
        with self._lock:
            host = self._hosts.get(key)
            if host is None:
                host = self._hosts[key] = _Host(self.policy.per_host)
            return host

    def _wait(self, seconds: float, url: str) -> None:
        if seconds > 0 and self._stop.wait(seconds):
            raise Stopped(url)
        if self._stop.is_set():
            raise Stopped(url)

    # -- fetching --------------------------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        validators: Validators | None = None,
        robots: bool = True,
        max_bytes: int | None = None,
        accept: str | None = None,
    ) -> Fetched:
        """GET ``url`` politely (see the module docstring): a 200 with its body, or a 304
        when ``validators`` still hold. Raises :class:`FetchError` naming the URL."""
        headers = validators.headers() if validators else {}
        if accept:
            headers["Accept"] = accept
        seen = [url]
        current = url
        for _ in range(self.policy.max_redirects + 1):
            if robots and self.policy.robots and not self.allowed(current):
                raise FetchError(current, f"its site's robots.txt keeps {ROBOTS_TOKEN} out. "
                                 "Probable cause: the site does not want to be followed")
            answer = self._try(current, headers, max_bytes or self.policy.max_bytes)
            if isinstance(answer, Fetched):
                return Fetched(url, answer.final_url, answer.status, answer.body,
                               answer.content_type, answer.validators)
            if answer.target in seen:
                chain = " -> ".join([*seen[seen.index(answer.target):], answer.target])
                raise FetchError(url, f"redirect loop ({chain})")
            seen.append(answer.target)
            current = answer.target
        raise FetchError(url, f"more than {self.policy.max_redirects} redirects "
                         f"(last: {current})")

    def _try(self, url: str, headers: Mapping[str, str], limit: int) -> Fetched | _Redirect:
        """One URL, tried up to ``policy.tries`` times on answers that may pass."""
        policy = self.policy
        host = self._host(url)
        for attempt in range(policy.tries):
            last = attempt == policy.tries - 1
            try:
                return self._once(url, headers, limit, host)
            except Stopped:
                raise
            except FetchError as e:
                if not e.transient or last:
                    raise
                wait = backoff_s(attempt, policy.backoff, e.retry_after)
                if wait > policy.max_wait:
                    raise FetchError(url, f"{e.reason}; the site asks to wait {wait:.0f} s, "
                                     "longer than this round waits", status=e.status,
                                     transient=True) from e
                host.hold_off(self.clock() + wait)
                log.info("%s: %s; trying again in %.1f s", url, e.reason, wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, url: str, headers: Mapping[str, str], limit: int,
              host: _Host) -> Fetched | _Redirect:
        if self._stop.is_set():
            raise Stopped(url)
        host.slots.acquire()
        try:
            while True:  # another request may push not_before while this one waits
                with host.lock:
                    delay = host.not_before - self.clock()
                if delay <= 0:
                    break
                self._wait(delay, url)
            with host.lock:
                host.not_before = max(host.not_before, self.clock() + host.spacing)
            return self._send(url, headers, limit, host)
        finally:
            host.slots.release()

    def _send(self, url: str, headers: Mapping[str, str], limit: int,
              host: _Host) -> Fetched | _Redirect:
        timeout = self.policy.timeout
        deadline = self.clock() + self.policy.deadline
        with self._lock:
            self.requests += 1
        try:
            with self._session().get(url, headers=dict(headers), timeout=(timeout, timeout),
                                     stream=True, allow_redirects=False) as response:
                status = response.status_code
                target = redirect_target(url, status, response.headers.get("Location"))
                if target is not None:
                    return _Redirect(target)
                if status == 304:
                    return Fetched(url, url, 304, validators=_validators(response))
                if status in RETRY_STATUSES:
                    wait = retry_after_s(response.headers.get("Retry-After"),
                                         dt.datetime.now(dt.UTC))
                    raise FetchError(url, http_reason(status, response.reason),
                                     status=status, transient=True, retry_after=wait)
                if not 200 <= status < 300:
                    raise FetchError(url, http_reason(status, response.reason), status=status)
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise FetchError(url, _too_large(limit))
                body = _read_capped(response, url, limit, deadline, self.clock)
                return Fetched(url, url, status, body, response.headers.get("Content-Type"),
                               _validators(response))
        except requests.Timeout as e:
            raise FetchError(url, f"no answer within {timeout:g} s. Probable cause: the "
                             "site is slow or down", transient=True) from e
        except requests.exceptions.SSLError as e:
            raise FetchError(url, "TLS/SSL error. Probable cause: a wrong or expired "
                             "certificate") from e
        except requests.ConnectionError as e:
            if any(isinstance(a, urllib3.exceptions.ReadTimeoutError) for a in e.args):
                raise FetchError(url, f"the site stopped sending for {timeout:g} s",
                                 transient=True) from e
            raise FetchError(url, "cannot connect. Probable cause: the site is down or "
                             "the address is wrong", transient=True) from e
        except requests.RequestException as e:
            raise FetchError(url, f"cannot fetch: {e}", transient=True) from e

    # -- robots.txt ------------------------------------------------------------------------

    def new_round(self) -> None:
        """Forget the sites that did not answer for ``robots.txt`` (or answered 5xx), so
        the next round asks them again; rules that were read are kept their day."""
        with self._lock:
            self._robots = {k: r for k, r in self._robots.items()
                            if r.verdict in ("rules", "allow")}

    def allowed(self, url: str) -> bool:
        """Whether the site's ``robots.txt`` lets narrate fetch ``url`` (fetched once a day
        per site; see :func:`robots_verdict`). A site that does not answer at all is a
        transient :class:`FetchError` until the next round."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        with self._lock:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:
            robots = self._robots.get(origin)
            if robots is None or robots.expires <= self.clock():
                robots = self._fetch_robots(origin)
                with self._lock:
                    self._robots[origin] = robots
        if robots.verdict == "unreachable":
            raise FetchError(url, f"{origin} cannot be reached ({robots.reason}); it is "
                             "asked again next round", transient=True)
        if robots.parser is None:
            return robots.verdict == "allow"
        return robots.parser.can_fetch(ROBOTS_TOKEN, url)

    def _fetch_robots(self, origin: str) -> _Robots:
        url = origin + "/robots.txt"
        forever = float("inf")
        try:
            answer = self.get(url, robots=False, max_bytes=ROBOTS_MAX_BYTES,
                              accept="text/plain")
        except Stopped:
            raise
        except FetchError as e:
            now = self.clock()
            if e.status is not None and robots_verdict(e.status) == "allow":
                return _Robots(None, "allow", now + ROBOTS_TTL_S)
            if e.status is not None:  # 5xx: keep out until the next round
                log.warning("%s answered %s: keeping out of the site for now", url, e.status)
                return _Robots(None, "disallow", forever)
            if not e.transient:  # too large, a bad redirect: as if there were no rules
                return _Robots(None, "allow", now + ROBOTS_TTL_S)
            return _Robots(None, "unreachable", forever, e.reason)
        parser = urllib.robotparser.RobotFileParser(url)
        parser.parse(answer.body.decode("utf-8", errors="replace").splitlines())
        delay = parser.crawl_delay(ROBOTS_TOKEN)
        if delay:
            self._host(origin).spacing = min(float(delay), MAX_CRAWL_DELAY_S)
        return _Robots(parser, "rules", self.clock() + ROBOTS_TTL_S)


def _validators(response: requests.Response) -> Validators:
    return Validators(response.headers.get("ETag"), response.headers.get("Last-Modified"))


def _too_large(limit: int) -> str:
    return f"larger than the limit of {limit:,} bytes. Probable cause: not a page or feed"


def _chunks(response: requests.Response, room: Callable[[], int]) -> Iterator[bytes]:
    """Decoded body data as it arrives, never more than ``room()`` bytes at a time."""
    raw = response.raw
    while (want := room()) > 0:
        chunk = raw.read1(min(_CHUNK, want), decode_content=True)
        if not chunk:
            return
        yield chunk


def _read_capped(response: requests.Response, url: str, limit: int, deadline: float,
                 clock: Callable[[], float]) -> bytes:
    """The body, reading at most ``limit + 1`` bytes: one more than the limit says it is
    over, and nothing past that is ever read (a gzip bomb stays compressed)."""
    parts: list[bytes] = []
    size = 0

    def room() -> int:
        return limit + 1 - size

    try:
        for chunk in _chunks(response, room):
            size += len(chunk)
            parts.append(chunk)
            if clock() > deadline:
                raise FetchError(url, "the body took too long to arrive. Probable cause: "
                                 "a slow site", transient=True)
    except urllib3.exceptions.ReadTimeoutError as e:
        raise FetchError(url, "the site stopped sending", transient=True) from e
    except urllib3.exceptions.HTTPError as e:
        raise FetchError(url, f"the connection broke while downloading "
                         f"({type(e).__name__})", transient=True) from e
    if size > limit:
        raise FetchError(url, _too_large(limit))
    return b"".join(parts)
