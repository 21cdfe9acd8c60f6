"""The HTTP rules of ``narrate serve``, as plain functions without I/O (RFC 9110, RFC 9112).

Parsing the wire (request line, header fields, bodies, keep-alive) is h11's job
(:mod:`narrate.serve.server`); what to answer is decided here, from values, so that every
rule is tested as a table (the way werkzeug keeps ``parse_range_header`` and
``is_resource_modified`` in its ``sansio`` package):

- **The request** (:func:`request_status`): in this order, an HTTP major version other than 1
  is 505; a ``Host`` that is not ``uri-host [":" port]`` (RFC 9112 §3.2), a request with both
  ``Content-Length`` and ``Transfer-Encoding`` (§6.1) or a request-target that is none of
  origin-form, absolute-form (``http(s)://authority/path``, no user info) or ``*`` for
  OPTIONS (§3.2) is 400; an unknown method is 501 and a known one other than GET, HEAD and
  OPTIONS is 405. (A missing or repeated ``Host`` is refused by h11 with 400.)
- **Paths** (:func:`path_segments`): the path is percent-decoded once and split at ``/``; a
  segment that is empty, ``.``, ``..``, starts with a dot (``.narrate``, temporary files,
  ``.git``), is longer than a file name can be (255 bytes), or holds a backslash, a colon or
  a NUL is refused. The file system side (symbolic links, resolved names) is
  :mod:`narrate.serve.site`'s.
- **Ranges (§14)** for GET only: :func:`parse_ranges` reads ``bytes=a-b``, ``a-`` and ``-n``
  (numbers of any length, compared as digit strings: a 4,301-digit position is simply past
  the end); :func:`coalesce` merges every overlapping or nearly touching pair, whatever
  their order (§14.6), so the parts never add up to more than the file; one remaining range
  is a plain 206, several a ``multipart/byteranges`` 206 unless that would be larger than
  the whole file (then 200: §14.2 lets a server ignore a Range). None satisfiable is 416 with
  ``Content-Range: bytes */length``. Another unit, a malformed set, one on HEAD, one whose
  ``If-Range`` does not match, or more than :data:`MAX_RANGES` ranges: 200 and the file.
- **Preconditions (§13.2.2, in that order)**: ``If-Match`` (strong comparison) then, when it
  is absent, ``If-Unmodified-Since`` → 412; ``If-None-Match`` (weak comparison) then, when it
  is absent, ``If-Modified-Since`` → 304 for GET and HEAD.

A :class:`Reply` is the whole answer as data: status, header fields and body parts, each
either bytes or a :class:`Span` of the open file, for the server to write (``Date`` and
``Server`` are added there).
"""

from __future__ import annotations

import email.utils
import http
import ipaddress
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import unquote

from narrate.publish.files import EPISODE_FILES

#: A Range header with more ranges than this is ignored (§14.2 allows it: many small ranges
#: are a sign of a broken client or a denial-of-service attempt).
MAX_RANGES = 32
#: Ranges closer than this many bytes are sent as one part: about the overhead of a part.
RANGE_GAP = 80
#: A file name cannot be longer than this many bytes on the file systems we serve from.
NAME_MAX = 255

#: Methods this server answers; other registered methods are 405, unknown ones 501.
ALLOWED = ("GET", "HEAD", "OPTIONS")
ALLOWED_METHODS = ", ".join(ALLOWED)
#: RFC 9110 §9 and RFC 5789 (PATCH): methods a server knows of even when it refuses them.
KNOWN_METHODS = frozenset(
    {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"}
)

def _served_as(media_type: str) -> str:
    """``media_type`` as a Content-Type: narrate writes every text file in UTF-8."""
    textual = media_type.startswith("text/") or "json" in media_type or "xml" in media_type
    return f"{media_type}; charset=utf-8" if textual else media_type


#: Types of the files a folder holds besides each episode's (its index, the feed's other
#: files, a site's own pages and images).
OTHER_TYPES = {
    ".m4a": "audio/mp4",
    ".json": "application/json",
    ".xml": "application/xml",
    ".htm": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}
#: Types by suffix (the longest matching suffix wins); text types say UTF-8. An episode's
#: files have the type their table gives them (:data:`narrate.publish.files.EPISODE_FILES`,
#: the type the feed names too).
MIME_TYPES = {suffix: _served_as(kind) for suffix, kind in (
    *OTHER_TYPES.items(), *((f.suffix, f.media_type) for f in EPISODE_FILES))}
#: The feed is RSS; other XML files are plain XML.
FEED_TYPE = "application/rss+xml; charset=utf-8"
FALLBACK_TYPE = "application/octet-stream"
HTML_TYPE = "text/html; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
#: Sidecars that players and the embed page fetch from another origin.
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": ALLOWED_METHODS,
    "Access-Control-Allow-Headers": "Range",
    "Access-Control-Expose-Headers": "Content-Length, Content-Range, Accept-Ranges",
}
#: Reason phrases where RFC 9110 renamed the status.
REASONS = {413: "Content Too Large", 414: "URI Too Long", 416: "Range Not Satisfiable",
           422: "Unprocessable Content"}

_BAD_IN_SEGMENT = ("\\", ":", "\x00")
#: RFC 3986: pct-encoded, unreserved and sub-delims; a path segment adds ":" and "@".
_PCT = r"%[0-9A-Fa-f]{2}"
_SUB = r"A-Za-z0-9\-._~!$&'()*+,;="
_PATH = re.compile(rf"/(?:[{_SUB}:@/]|{_PCT})*\Z")
_QUERY = re.compile(rf"(?:[{_SUB}:@/?]|{_PCT})*\Z")
#: ``uri-host [":" port]``: an IP-literal in brackets, or a reg-name (which covers IPv4).
_HOST = re.compile(rf"(?:\[(?P<ip6>[0-9A-Fa-f:.]+)\]|(?:[{_SUB}]|{_PCT})*)(?::[0-9]*)?\Z")
_ABSOLUTE = re.compile(r"(?i:https?)://(?P<authority>[^/?#]*)(?P<rest>.*)\Z", re.S)
#: ``bytes=...``: the unit is case-insensitive (§14.1); the set is comma-separated with
#: optional whitespace (§5.6.1).
_RANGES = re.compile(r"\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)=(.*)\Z", re.S)
_INT_RANGE = re.compile(r"([0-9]+)-([0-9]*)\Z")
_SUFFIX_RANGE = re.compile(r"-([0-9]+)\Z")
_ETAG = re.compile(r'\s*(W/)?("[^"]*")\s*(?:,|\Z)')


def reason(status: int) -> str:
    """The reason phrase of ``status`` as RFC 9110 names it."""
    if status in REASONS:
        return REASONS[status]
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def mime_type(name: str) -> str:
    """The Content-Type for a file called ``name``."""
    lower = name.lower()
    if lower == "feed.xml" or lower.endswith((".rss", "/feed.xml")):
        return FEED_TYPE
    for suffix in sorted(MIME_TYPES, key=len, reverse=True):
        if lower.endswith(suffix):
            return MIME_TYPES[suffix]
    return FALLBACK_TYPE


def header_fields(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    """Request header fields by lower-case name; a field sent on several lines is one
    comma-separated value (RFC 9110 §5.3), so a repeated singleton field is malformed."""
    fields: dict[str, str] = {}
    for name, value in raw:
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        fields[key] = f"{fields[key]}, {text}" if key in fields else text
    return fields


# -- the request (RFC 9112 §2-3) -----------------------------------------------------------


def valid_host(value: str) -> bool:
    """Whether ``value`` is ``uri-host [":" port]`` (an empty host is allowed, §3.2)."""
    match = _HOST.match(value)
    if match is None:
        return False
    if match.group("ip6") is not None:
        try:
            ipaddress.IPv6Address(match.group("ip6"))
        except ValueError:
            return False
    return True


def target_path(method: str, target: str) -> str | None:
    """The decoded path a request-target names (``*`` for the asterisk-form of OPTIONS),
    or None when the target is none of the forms a server accepts (§3.2)."""
    if target == "*":
        return "*" if method == "OPTIONS" else None
    if target.startswith("/"):
        path, _, query = target.partition("?")
    else:
        absolute = _ABSOLUTE.match(target)
        if absolute is None or "@" in absolute.group("authority"):
            return None  # §4.2.4 of RFC 9110: user info in a target is an error
        if not valid_host(absolute.group("authority")):
            return None
        path, _, query = absolute.group("rest").partition("?")
        path = path or "/"
    if _PATH.match(path) is None or _QUERY.match(query) is None:
        return None
    return unquote(path, errors="surrogateescape")


def request_status(method: str, target: str, version: str, fields: Mapping[str, str]) -> int:
    """0 for a request the server goes on to answer, else the status that refuses it (see
    the module docstring for the order). ``version`` is h11's ``"1.1"``; ``fields`` come
    from :func:`header_fields`."""
    if not version.startswith("1."):
        return 505
    host = fields.get("host")
    if host is not None and not valid_host(host):
        return 400
    if "content-length" in fields and "transfer-encoding" in fields:
        return 400
    if target_path(method, target) is None:
        return 400
    if method not in KNOWN_METHODS:
        return 501
    if method not in ALLOWED:
        return 405
    return 0


def path_segments(path: str) -> tuple[str, ...] | None:
    """The names a decoded URL path walks through (``index.html`` for a trailing ``/``), or
    None when a segment can never name a file that is served."""
    segments = path.split("/")[1:] if path.startswith("/") else path.split("/")
    if segments and segments[-1] == "":
        segments[-1] = "index.html"
    for segment in segments:
        if segment in ("", ".", "..") or segment.startswith("."):
            return None
        if any(bad in segment for bad in _BAD_IN_SEGMENT):
            return None
        if len(segment.encode("utf-8", "surrogateescape")) > NAME_MAX:
            return None  # no such file can exist (and the OS would say ENAMETOOLONG)
    return tuple(segments)


# -- Range (RFC 9110 §14) -------------------------------------------------------------------


def _digits_key(digits: str) -> tuple[int, str]:
    """An order on decimal strings of any length, without converting them to int."""
    stripped = digits.lstrip("0")
    return len(stripped), stripped


def _at_most(digits: str, limit: int) -> int:
    """``min(int(digits), limit)`` for a decimal string of any length (``int()`` refuses
    more than 4,300 digits)."""
    key = _digits_key(digits)
    if key > _digits_key(str(limit)):
        return limit
    return int(key[1] or "0")


def parse_ranges(header: str, length: int) -> list[tuple[int, int]] | None:
    """The byte ranges (first, last inclusive) of a ``Range`` header on a file of ``length``
    bytes, in the order asked, unsatisfiable ones dropped.

    None means "ignore the header" (another unit, a malformed or invalid range set, more
    than :data:`MAX_RANGES` ranges): the answer is then 200 with the whole file. An empty
    list means no range can be satisfied (416).
    """
    match = _RANGES.match(header)
    if match is None or match.group(1).lower() != "bytes":
        return None
    specs = [s.strip(" \t") for s in match.group(2).split(",")]
    specs = [s for s in specs if s]  # 1#range-spec allows empty list elements
    if not specs or len(specs) > MAX_RANGES:
        return None
    ranges: list[tuple[int, int]] = []
    for spec in specs:
        if m := _INT_RANGE.match(spec):
            first, last = m.group(1), m.group(2)
            if last and _digits_key(last) < _digits_key(first):
                return None  # an invalid range-spec makes the whole set invalid (§14.1.1)
            if _digits_key(first) < _digits_key(str(length)):
                end = length - 1 if not last else _at_most(last, length - 1)
                ranges.append((_at_most(first, length), end))
        elif m := _SUFFIX_RANGE.match(spec):
            suffix = _at_most(m.group(1), length)
            if suffix > 0 and length > 0:
                ranges.append((length - suffix, length - 1))
        else:
            return None
    return ranges


def coalesce(ranges: Sequence[tuple[int, int]], gap: int = RANGE_GAP) -> list[tuple[int, int]]:
    """``ranges`` with every two that overlap or lie less than ``gap`` bytes apart joined,
    whatever their order in the header (§14.6), each remaining one in the place of its first
    member: the parts are disjoint, so together they are never more than the file."""
    groups: list[list[int]] = []  # [first, last, index of the earliest member]
    for index in sorted(range(len(ranges)), key=lambda i: ranges[i]):
        first, last = ranges[index]
        if groups and first <= groups[-1][1] + gap:
            group = groups[-1]
            group[1] = max(group[1], last)
            group[2] = min(group[2], index)
        else:
            groups.append([first, last, index])
    return [(first, last) for first, last, _ in sorted(groups, key=lambda g: g[2])]


# -- preconditions (RFC 9110 §13) ----------------------------------------------------------


def _etags(header: str) -> list[tuple[bool, str]] | None:
    """``(weak, opaque-tag)`` of an If-Match / If-None-Match list; None when malformed."""
    out: list[tuple[bool, str]] = []
    pos = 0
    header = header.strip()
    while pos < len(header):
        m = _ETAG.match(header, pos)
        if m is None:
            return None
        out.append((bool(m.group(1)), m.group(2)))
        pos = m.end()
    return out


def http_date(value: str) -> float | None:
    """An HTTP-date as a POSIX time; None when it is not one (the field is then ignored)."""
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None or parsed.tzinfo is None:
        return None
    try:
        return parsed.timestamp()
    except (OverflowError, ValueError):
        return None


@dataclass(frozen=True)
class FileState:
    """What the validators of a file are: its strong ETag and modification time (seconds)."""

    size: int
    mtime: int
    etag: str

    @classmethod
    def of(cls, st: os.stat_result) -> FileState:
        return cls(st.st_size, int(st.st_mtime), f'"{st.st_mtime_ns:x}-{st.st_size:x}"')

    @property
    def last_modified(self) -> str:
        return email.utils.formatdate(self.mtime, usegmt=True)


def precondition(fields: Mapping[str, str], method: str, state: FileState) -> int | None:
    """412 or 304 when a precondition decides the answer, else None (§13.2.2)."""
    if_match = fields.get("if-match")
    if if_match is not None:
        tags = _etags(if_match)
        if if_match.strip() != "*" and not (
            tags and any(not weak and tag == state.etag for weak, tag in tags)
        ):
            return 412
    else:
        since = fields.get("if-unmodified-since")
        date = http_date(since) if since is not None else None
        if date is not None and state.mtime > date:
            return 412
    if_none = fields.get("if-none-match")
    if if_none is not None:
        tags = _etags(if_none)
        if if_none.strip() == "*" or (tags and any(tag == state.etag for _, tag in tags)):
            return 304 if method in ("GET", "HEAD") else 412
    elif method in ("GET", "HEAD"):
        since = fields.get("if-modified-since")
        date = http_date(since) if since is not None else None
        if date is not None and state.mtime <= date:
            return 304
    return None


def if_range_holds(value: str | None, state: FileState) -> bool:
    """Whether a Range may be honoured given ``If-Range`` (§13.1.5): an exact strong ETag or
    the exact Last-Modified date."""
    if value is None:
        return True
    value = value.strip()
    if value.startswith('"'):
        return value == state.etag
    date = http_date(value)
    return date is not None and int(date) == state.mtime


# -- replies ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """``length`` bytes of the open file from offset ``first``."""

    first: int
    length: int

    def __len__(self) -> int:
        return self.length


@dataclass(frozen=True)
class Reply:
    """A whole answer: status, header fields in order, and the body's parts."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: tuple[bytes | Span, ...] = ()
    #: Close the connection after this answer (a refused request whose rest is unread).
    close: bool = False

    def header(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def body_length(self) -> int:
        return sum(len(part) for part in self.body)


def text_reply(
    status: int, text: str, method: str, headers: Mapping[str, str] | None = None,
    *, content_type: str = TEXT_TYPE, close: bool = False,
) -> Reply:
    """A short text (or HTML) answer; HEAD gets its header fields without the body."""
    body = text.encode("utf-8")
    fields: list[tuple[str, str]] = []
    if status not in (204, 304):
        fields += [("Content-Type", content_type), ("Content-Length", str(len(body)))]
    fields += list((headers or {}).items())
    if close:
        fields.append(("Connection", "close"))
    parts = () if method == "HEAD" or status in (204, 304) else (body,)
    return Reply(status, tuple(fields), parts, close)


def refusal(status: int, method: str = "GET", *, close: bool = False) -> Reply:
    """The answer to a request refused with ``status`` before any file is looked at."""
    headers: dict[str, str] = {}
    if status == 405:
        headers["Allow"] = ALLOWED_METHODS
    if status == 404:
        headers.update(CORS_HEADERS)
    return text_reply(status, reason(status).lower() + "\n", method, headers, close=close)


def options_reply() -> Reply:
    return text_reply(204, "", "OPTIONS", {**CORS_HEADERS, "Allow": ALLOWED_METHODS})


def file_reply(
    method: str, fields: Mapping[str, str], state: FileState, content_type: str,
    *, boundary: str,
) -> Reply:
    """The answer to GET or HEAD of a file in ``state``: 304 or 412 when a precondition
    decides, else 416, 206 (one range or multipart) or 200 (see the module docstring).
    ``boundary`` separates the parts of a multipart answer (random, chosen by the caller)."""
    common = {
        "ETag": state.etag,
        "Last-Modified": state.last_modified,
        "Cache-Control": "no-cache",
        "Accept-Ranges": "bytes",
        "X-Content-Type-Options": "nosniff",
        **CORS_HEADERS,
    }
    decided = precondition(fields, method, state)
    if decided == 304:
        kept = ("ETag", "Last-Modified", "Cache-Control", *CORS_HEADERS)
        return Reply(304, tuple((k, common[k]) for k in kept))
    if decided == 412:
        return text_reply(412, "precondition failed\n", method, CORS_HEADERS)
    ranges: list[tuple[int, int]] | None = None
    header = fields.get("range")
    if header is not None and method == "GET" and if_range_holds(fields.get("if-range"), state):
        ranges = parse_ranges(header, state.size)  # §14.2: ranges are defined for GET only
    if ranges is not None and not ranges:
        return text_reply(416, "range not satisfiable\n", method,
                          {**common, "Content-Range": f"bytes */{state.size}"})
    if ranges is not None:
        ranges = coalesce(ranges)
    if ranges is not None and len(ranges) == 1:
        first, last = ranges[0]
        return Reply(206, (
            ("Content-Type", content_type),
            ("Content-Length", str(last - first + 1)),
            ("Content-Range", f"bytes {first}-{last}/{state.size}"),
            *common.items(),
        ), (Span(first, last - first + 1),))
    if ranges is not None:
        parts = _byteranges(ranges, state.size, content_type, boundary)
        length = sum(len(part) for part in parts)
        if length < state.size:
            return Reply(206, (
                ("Content-Type", f"multipart/byteranges; boundary={boundary}"),
                ("Content-Length", str(length)),
                *common.items(),
            ), parts)
    body = (Span(0, state.size),) if method == "GET" and state.size else ()
    return Reply(200, (
        ("Content-Type", content_type), ("Content-Length", str(state.size)), *common.items()
    ), body)


def _byteranges(
    ranges: Sequence[tuple[int, int]], size: int, content_type: str, boundary: str
) -> tuple[bytes | Span, ...]:
    """The body of a ``multipart/byteranges`` answer (§14.6): each part's head, its bytes,
    and the closing delimiter."""
    parts: list[bytes | Span] = []
    for first, last in ranges:
        parts.append(
            (f"\r\n--{boundary}\r\nContent-Type: {content_type}\r\n"
             f"Content-Range: bytes {first}-{last}/{size}\r\n\r\n").encode("ascii")
        )
        parts.append(Span(first, last - first + 1))
    parts.append(f"\r\n--{boundary}--\r\n".encode("ascii"))
    return tuple(parts)
