"""narrate.serve.rules as plain functions: tables of inputs against answers, and properties.

No socket here: what the server answers is decided by these functions, so each rule is
checked by itself (the wire is tests/serve/test_server.py's).
"""

from __future__ import annotations

import email.utils
import itertools
from collections.abc import Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from narrate.serve.rules import (
    MAX_RANGES,
    RANGE_GAP,
    FileState,
    Reply,
    Span,
    coalesce,
    file_reply,
    header_fields,
    if_range_holds,
    parse_ranges,
    path_segments,
    precondition,
    reason,
    request_status,
    target_path,
    valid_host,
)

BIG = "9" * 4301  # one digit more than int() converts by default
N = 10_240
STATE = FileState(size=N, mtime=1_700_000_000, etag='"abc-2800"')
OLDER = email.utils.formatdate(STATE.mtime - 3600, usegmt=True)
SAME = email.utils.formatdate(STATE.mtime, usegmt=True)
NEWER = email.utils.formatdate(STATE.mtime + 3600, usegmt=True)


# -- Range -----------------------------------------------------------------------------------

RANGES = [
    ("bytes=0-0", [(0, 0)]),
    ("bytes=100-299", [(100, 299)]),
    ("bytes=10000-", [(10000, N - 1)]),
    ("bytes=-40", [(N - 40, N - 1)]),
    ("bytes=-99999", [(0, N - 1)]),
    ("bytes=10200-999999", [(10200, N - 1)]),
    ("Bytes= 5-9 ", [(5, 9)]),
    ("bytes=0-9, 2000-2009, -5", [(0, 9), (2000, 2009), (N - 5, N - 1)]),
    ("bytes=,0-1,,", [(0, 1)]),  # 1#range-spec allows empty elements
    # None satisfiable: 416.
    ("bytes=20000-", []),
    ("bytes=-0", []),
    (f"bytes={N}-", []),
    ("bytes=20000-,-0", []),
    # Numbers of any length, compared without int(): past the end, or clipped to it.
    (f"bytes={BIG}-", []),
    (f"bytes=0-{BIG}", [(0, N - 1)]),
    (f"bytes=-{BIG}", [(0, N - 1)]),
    (f"bytes={'0' * 4400}5-{'0' * 4400}9", [(5, 9)]),
    # Ignored (200): another unit, malformed, invalid, too many.
    ("items=0-9", None),
    ("bytes=abc", None),
    ("bytes=9-0", None),
    (f"bytes={BIG}-{'8' * 4301}", None),
    ("bytes=", None),
    ("bytes 0-9", None),
    ("bytes = 0-9", None),
    ("bytes=0-9;x", None),
    ("bytes=--1", None),
    ("bytes=1-2-3", None),
    ("bytes=0x10-", None),
    ("bytes=٣-٤", None),  # Arabic-Indic digits are not DIGIT
    ("bytes=" + ",".join(f"{i}-{i}" for i in range(MAX_RANGES + 1)), None),
]


@pytest.mark.parametrize(("header", "expected"), RANGES)
def test_parse_ranges(header: str, expected: list[tuple[int, int]] | None) -> None:
    assert parse_ranges(header, N) == expected


def test_an_empty_file_satisfies_no_range() -> None:
    assert parse_ranges("bytes=0-", 0) == []
    assert parse_ranges("bytes=-5", 0) == []


def test_as_many_ranges_as_allowed_are_read() -> None:
    header = "bytes=" + ",".join(f"{i * 100}-{i * 100}" for i in range(MAX_RANGES))
    assert len(parse_ranges(header, N) or []) == MAX_RANGES


COALESCED = [
    ([(0, 9), (5, 19)], [(0, 19)]),
    ([(0, 9), (10, 19)], [(0, 19)]),
    ([(0, 9), (9 + RANGE_GAP, 100)], [(0, 100)]),  # less than a part's overhead apart
    ([(0, 9), (10 + RANGE_GAP, 100)], [(0, 9), (10 + RANGE_GAP, 100)]),
    ([(100, 199), (0, 9)], [(100, 199), (0, 9)]),  # the order asked is kept
    ([(500, 600), (0, 10), (590, 700)], [(500, 700), (0, 10)]),  # overlap, not neighbours
    ([(0, 4999), (5300, N - 1)] * 16, [(0, 4999), (5300, N - 1)]),
    ([(5300, N - 1), (0, 4999)] * 16, [(5300, N - 1), (0, 4999)]),
    ([(3, 3)] * 32, [(3, 3)]),
]


@pytest.mark.parametrize(("ranges", "expected"), COALESCED)
def test_coalesce(ranges: list[tuple[int, int]], expected: list[tuple[int, int]]) -> None:
    assert coalesce(ranges) == expected


def _ranges(length: int) -> st.SearchStrategy[list[tuple[int, int]]]:
    pair = st.tuples(st.integers(0, length - 1), st.integers(0, length - 1))
    return st.lists(pair.map(sorted).map(tuple), min_size=1, max_size=40)  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.just(n), _ranges(n))))
def test_coalesced_parts_are_disjoint_cover_the_request_and_fit_in_the_file(
    case: tuple[int, list[tuple[int, int]]],
) -> None:
    length, ranges = case
    out = coalesce(ranges)
    assert sum(last - first + 1 for first, last in out) <= length
    ordered = sorted(out)
    for (_, last), (first, _) in itertools.pairwise(ordered):
        assert first > last + RANGE_GAP  # apart by more than a part's overhead
    for first, last in ranges:  # every byte asked for is in exactly one part
        assert sum(1 for a, b in out if a <= first and last <= b) == 1
    for a, b in out:  # and every part starts and ends on bytes that were asked for
        assert any(first == a for first, _ in ranges) and any(last == b for _, last in ranges)


def _range_header() -> st.SearchStrategy[str]:
    number = st.one_of(st.integers(0, 12_000).map(str), st.just(BIG), st.just(""))
    spec = st.tuples(number, number).map(lambda p: f"{p[0]}-{p[1]}")
    return st.lists(spec, min_size=1, max_size=MAX_RANGES).map(lambda s: "bytes=" + ",".join(s))


@settings(max_examples=400, deadline=None)
@given(st.integers(1, 12_000), _range_header())
def test_no_range_header_gets_more_bytes_than_the_file(size: int, header: str) -> None:
    state = FileState(size=size, mtime=STATE.mtime, etag=STATE.etag)
    reply = file_reply("GET", {"range": header}, state, "audio/mpeg", boundary="b" * 32)
    assert reply.status in (200, 206, 416)
    if reply.status != 416:  # 416 is a line of text, whatever the file
        assert reply.body_length <= size
    assert reply.header("Content-Length") == [str(reply.body_length)]


# -- replies ---------------------------------------------------------------------------------


def reply_for(fields: Mapping[str, str], method: str = "GET", size: int = N) -> Reply:
    state = FileState(size=size, mtime=STATE.mtime, etag=STATE.etag)
    return file_reply(method, fields, state, "audio/mpeg", boundary="B")


def test_a_plain_get_is_the_whole_file_with_its_validators() -> None:
    reply = reply_for({})
    assert reply.status == 200 and reply.body == (Span(0, N),)
    assert reply.header("ETag") == [STATE.etag]
    assert reply.header("Last-Modified") == [SAME]
    assert reply.header("Accept-Ranges") == ["bytes"]


def test_head_has_the_length_but_no_body_and_ignores_range() -> None:
    reply = reply_for({"range": "bytes=0-9"}, "HEAD")
    assert reply.status == 200 and reply.body == ()
    assert reply.header("Content-Length") == [str(N)]


def test_one_range_is_a_plain_206() -> None:
    reply = reply_for({"range": "bytes=0-9,5-19,99999-"})
    assert reply.status == 206 and reply.body == (Span(0, 20),)
    assert reply.header("Content-Range") == [f"bytes 0-19/{N}"]
    assert reply.header("Content-Type") == ["audio/mpeg"]


def test_several_ranges_are_multipart_in_the_order_asked() -> None:
    reply = reply_for({"range": "bytes=2000-2009,0-9"})
    assert reply.status == 206
    assert reply.header("Content-Type") == ["multipart/byteranges; boundary=B"]
    assert [p for p in reply.body if isinstance(p, Span)] == [Span(2000, 10), Span(0, 10)]
    heads = [p for p in reply.body if isinstance(p, bytes)]
    assert heads[0] == (b"\r\n--B\r\nContent-Type: audio/mpeg\r\n"
                        b"Content-Range: bytes 2000-2009/%d\r\n\r\n" % N)
    assert heads[-1] == b"\r\n--B--\r\n"
    assert reply.header("Content-Length") == [str(reply.body_length)]


def test_a_multipart_answer_larger_than_the_file_is_the_file() -> None:
    reply = reply_for({"range": "bytes=0-0,99-99"}, size=100)
    assert reply.status == 200 and reply.body == (Span(0, 100),)


def test_unsatisfiable_is_416_with_the_length() -> None:
    reply = reply_for({"range": f"bytes={BIG}-"})
    assert reply.status == 416
    assert reply.header("Content-Range") == [f"bytes */{N}"]


def test_if_range_that_does_not_match_means_the_whole_file() -> None:
    assert reply_for({"range": "bytes=0-3", "if-range": STATE.etag}).status == 206
    assert reply_for({"range": "bytes=0-3", "if-range": SAME}).status == 206
    assert reply_for({"range": "bytes=0-3", "if-range": '"old"'}).status == 200
    assert reply_for({"range": "bytes=0-3", "if-range": f"W/{STATE.etag}"}).status == 200
    assert reply_for({"range": "bytes=0-3", "if-range": OLDER}).status == 200


# -- preconditions (RFC 9110 §13.2.2) --------------------------------------------------------

PRECONDITIONS = [
    ({}, "GET", None),
    ({"if-match": STATE.etag}, "GET", None),
    ({"if-match": "*"}, "GET", None),
    ({"if-match": f'"x", {STATE.etag}'}, "GET", None),
    ({"if-match": '"other"'}, "GET", 412),
    ({"if-match": f"W/{STATE.etag}"}, "GET", 412),  # If-Match compares strongly
    ({"if-match": "garbage"}, "GET", 412),
    ({"if-unmodified-since": OLDER}, "GET", 412),
    ({"if-unmodified-since": SAME}, "GET", None),
    ({"if-unmodified-since": "yesterday"}, "GET", None),  # an invalid date is ignored
    ({"if-match": STATE.etag, "if-unmodified-since": OLDER}, "GET", None),  # step 1 wins
    ({"if-none-match": STATE.etag}, "GET", 304),
    ({"if-none-match": f"W/{STATE.etag}"}, "HEAD", 304),  # weak comparison
    ({"if-none-match": "*"}, "GET", 304),
    ({"if-none-match": '"x"'}, "GET", None),
    ({"if-modified-since": SAME}, "GET", 304),
    ({"if-modified-since": OLDER}, "GET", None),
    ({"if-none-match": '"x"', "if-modified-since": SAME}, "GET", None),  # step 3 wins
    ({"if-match": '"other"', "if-none-match": STATE.etag}, "GET", 412),  # step 1 first
    ({"if-modified-since": "Sun, 06 Nov 1994 08:49:37"}, "GET", None),  # no zone: ignored
    ({"if-modified-since": "Fri, 31 Dec 99999 23:59:59 GMT"}, "GET", None),
]


@pytest.mark.parametrize(("fields", "method", "expected"), PRECONDITIONS)
def test_precondition(fields: dict[str, str], method: str, expected: int | None) -> None:
    assert precondition(fields, method, STATE) == expected


def test_304_keeps_the_validators_and_has_no_body() -> None:
    reply = reply_for({"if-none-match": STATE.etag})
    assert reply.status == 304 and reply.body == ()
    assert reply.header("ETag") == [STATE.etag] and reply.header("Content-Length") == []


def test_if_range_holds() -> None:
    assert if_range_holds(None, STATE)
    assert if_range_holds(STATE.etag, STATE)
    assert not if_range_holds("not a date", STATE)


# -- the request (RFC 9112 §2-3) -------------------------------------------------------------

H = {"host": "localhost"}
REQUESTS = [
    ("GET", "/", "1.1", H, 0),
    ("GET", "/feed.xml?x=1&y=/?", "1.1", H, 0),
    ("HEAD", "/%E0%A4%8F.mp3", "1.1", H, 0),
    ("GET", "/", "1.0", {}, 0),  # HTTP/1.0 may omit Host
    ("GET", "/", "1.2", H, 0),  # a higher minor version is read as 1.1
    ("OPTIONS", "*", "1.1", H, 0),
    ("GET", "http://localhost:8000/feed.xml", "1.1", H, 0),
    ("GET", "HTTPS://[::1]/", "1.1", H, 0),
    ("GET", "http://h", "1.1", H, 0),
    ("GET", "/", "2.0", H, 505),
    ("GET", "/", "0.9", H, 505),
    ("GET", "/", "3.0", H, 505),
    ("GET", "/", "1.1", {"host": "a b"}, 400),
    ("GET", "/", "1.1", {"host": "[::1"}, 400),
    ("GET", "/", "1.1", {"host": "[::g]"}, 400),
    ("GET", "/", "1.1", {"host": "user@host"}, 400),
    ("GET", "/", "1.1", {"host": "h:80x"}, 400),
    ("GET", "/", "1.1", {"host": ""}, 0),
    ("GET", "/", "1.1", {"host": "[::1]:8000"}, 0),
    ("GET", "/", "1.1", {**H, "content-length": "3", "transfer-encoding": "chunked"}, 400),
    ("GET", "http://[::1/", "1.1", H, 400),
    ("GET", "http://user@h/", "1.1", H, 400),
    ("GET", "ftp://h/", "1.1", H, 400),
    ("GET", "feed.xml", "1.1", H, 400),
    ("GET", "*", "1.1", H, 400),
    ("GET", "/%zz", "1.1", H, 400),
    ("GET", "/a%2", "1.1", H, 400),
    ("GET", "/a#b", "1.1", H, 400),
    ("GET", "/a<b>", "1.1", H, 400),
    ("POST", "/feed.xml", "1.1", H, 405),
    ("DELETE", "/", "1.1", H, 405),
    ("CONNECT", "localhost:443", "1.1", H, 400),  # authority-form is not served at all
    ("BREW", "/", "1.1", H, 501),
    ("get", "/", "1.1", H, 501),  # methods are case-sensitive
]


@pytest.mark.parametrize(("method", "target", "version", "fields", "expected"), REQUESTS)
def test_request_status(
    method: str, target: str, version: str, fields: dict[str, str], expected: int
) -> None:
    assert request_status(method, target, version, fields) == expected


@pytest.mark.parametrize(
    ("target", "path"),
    [("/", "/"), ("/a%20b", "/a b"), ("/%252e", "/%2e"), ("http://h", "/"),
     ("http://h:1/x?y", "/x"), ("/%E0%A4%8F", "/ए"), ("/%ff", "/\udcff")],
)
def test_target_path_decodes_once(target: str, path: str) -> None:
    assert target_path("GET", target) == path


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1:8000", "[::1]", "xn--h2b.example",
                                  "a.b-c_d~e!$&'()*+,;=", "%41"])
def test_valid_host(host: str) -> None:
    assert valid_host(host)


@pytest.mark.parametrize(
    ("path", "segments"),
    [
        ("/", ("index.html",)),
        ("/feed.xml", ("feed.xml",)),
        ("/sub/", ("sub", "index.html")),
        ("/sub/a.vtt", ("sub", "a.vtt")),
        ("/.narrate/state.db", None),
        ("/sub/.hidden", None),
        ("/../x", None),
        ("/./x", None),
        ("//etc/passwd", None),
        ("/a\\b", None),
        ("/C:x", None),
        ("/a\x00b", None),
        ("/" + "a" * 256, None),
        ("/" + "ए" * 86, None),  # 258 bytes of UTF-8
        ("/" + "ए" * 85, ("ए" * 85,)),
    ],
)
def test_path_segments(path: str, segments: tuple[str, ...] | None) -> None:
    assert path_segments(path) == segments


def test_repeated_fields_are_one_list_value() -> None:
    fields = header_fields([(b"If-None-Match", b'"a"'), (b"if-none-match", b'"b"'),
                            (b"Range", b"bytes=0-1")])
    assert fields == {"if-none-match": '"a", "b"', "range": "bytes=0-1"}
    assert precondition(fields | {"if-none-match": f'"a", {STATE.etag}'}, "GET", STATE) == 304


def test_reason_phrases_are_rfc_9110_s() -> None:
    assert reason(416) == "Range Not Satisfiable"
    assert reason(413) == "Content Too Large"
    assert reason(505) == "HTTP Version Not Supported"
    assert reason(599) == ""
