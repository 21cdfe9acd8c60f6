"""The polite client: its rules as tables, then each behaviour against the local site."""

from __future__ import annotations

import datetime as dt
import gzip
import threading
import time

import pytest

from narrate import __version__
from narrate.follow.http import (
    FetchError,
    PoliteClient,
    Politeness,
    Validators,
    backoff_s,
    redirect_target,
    retry_after_s,
    robots_verdict,
)
from tests.follow.site import Served

NOW = dt.datetime(2025, 8, 14, 10, 0, tzinfo=dt.UTC)
FAST = Politeness(backoff=0.05, timeout=2.0, deadline=5.0)


@pytest.mark.parametrize(("value", "seconds"), [
    (None, None), ("", None), ("120", 120.0), (" 0 ", 0.0),
    ("Thu, 14 Aug 2025 10:01:30 GMT", 90.0),
    ("Thu, 14 Aug 2025 09:00:00 GMT", 0.0),  # in the past: at once
    ("soon", None), ("-5", None),
])
def test_retry_after(value: str | None, seconds: float | None) -> None:
    assert retry_after_s(value, NOW) == seconds


def test_backoff_doubles_with_jitter_and_obeys_the_server() -> None:
    assert [backoff_s(n, 2.0, None, jitter=lambda: 0.0) for n in range(3)] == [2.0, 4.0, 8.0]
    assert backoff_s(0, 2.0, None, jitter=lambda: 1.0) == 3.0
    assert backoff_s(5, 2.0, 7.0) == 7.0


@pytest.mark.parametrize(("status", "location", "target"), [
    (200, None, None),
    (301, "/b", "https://x.in/b"),
    (302, "https://y.in/c#frag", "https://y.in/c"),
    (308, "d", "https://x.in/a/d"),
])
def test_redirect_target(status: int, location: str | None, target: str | None) -> None:
    assert redirect_target("https://x.in/a/", status, location) == target


@pytest.mark.parametrize("location", [None, "  ", "file:///etc/passwd", "javascript:alert(1)"])
def test_a_redirect_without_a_usable_location_is_an_error(location: str | None) -> None:
    with pytest.raises(FetchError):
        redirect_target("https://x.in/a", 302, location)


@pytest.mark.parametrize(("status", "verdict"), [
    (200, "rules"), (404, "allow"), (401, "allow"), (403, "allow"), (429, "disallow"),
    (500, "disallow"), (503, "disallow"),
])
def test_robots_verdict(status: int, verdict: str) -> None:
    assert robots_verdict(status) == verdict


# -- against the site ----------------------------------------------------------------------


def test_it_names_itself_and_reads_robots_once(site: Served) -> None:
    site.site.publish(1)
    client = PoliteClient(FAST)
    client.get(site.url("/rss.xml"))
    client.get(site.url("/atom.xml"))
    log = site.site.requests_to()
    assert [r[1] for r in log] == ["/robots.txt", "/rss.xml", "/atom.xml"]
    assert all(r[3]["User-Agent"].startswith(f"narrate/{__version__} ") for r in log)


def test_robots_txt_keeps_it_out(site: Served) -> None:
    with pytest.raises(FetchError, match=r"robots\.txt keeps narrate out"):
        PoliteClient(FAST).get(site.url("/private/a.html"))
    assert [r[1] for r in site.site.requests_to()] == ["/robots.txt"]


def test_robots_txt_that_is_missing_allows_everything(site: Served) -> None:
    site.extra["/robots.txt"] = (404, b"", "text/plain", {})
    site.extra["/private/a.html"] = (200, b"<p>x</p>", "text/html", {})
    assert PoliteClient(FAST).get(site.url("/private/a.html")).body == b"<p>x</p>"


def test_robots_txt_answering_5xx_keeps_it_out_until_the_next_round(site: Served) -> None:
    site.extra["/robots.txt"] = (500, b"", "text/plain", {})
    client = PoliteClient(FAST)
    with pytest.raises(FetchError, match="robots"):
        client.get(site.url("/rss.xml"))
    del site.extra["/robots.txt"]
    with pytest.raises(FetchError):
        client.get(site.url("/rss.xml"))  # the same round: still out, no new request
    client.new_round()
    client.get(site.url("/rss.xml"))


def test_conditional_requests_get_304(site: Served) -> None:
    site.site.publish(1)
    client = PoliteClient(FAST)
    first = client.get(site.url("/rss.xml"))
    assert first.status == 200 and first.validators.etag
    again = client.get(site.url("/rss.xml"), validators=first.validators)
    assert again.not_modified and again.body == b""
    assert site.site.requests_to("/rss.xml")[-1][3]["If-None-Match"] == first.validators.etag
    site.site.publish(2)
    assert client.get(site.url("/rss.xml"), validators=first.validators).status == 200


def test_a_redirect_loop_is_named(site: Served) -> None:
    with pytest.raises(FetchError, match=r"redirect loop \(.*/loop-a -> .*/loop-b -> .*/loop-a"):
        PoliteClient(FAST).get(site.url("/loop-a"))


def test_too_many_redirects(site: Served) -> None:
    for n in range(10):
        site.extra[f"/hop{n}"] = (302, b"", "text/plain", {"Location": f"/hop{n + 1}"})
    with pytest.raises(FetchError, match="more than 5 redirects"):
        PoliteClient(FAST).get(site.url("/hop0"))
    assert len(site.site.requests_to("/hop")) == 6


def test_a_body_over_the_limit_is_refused_unread(site: Served) -> None:
    site.extra["/big"] = (200, b"x" * 5000, "text/html", {})
    with pytest.raises(FetchError, match="larger than the limit of 1,000 bytes"):
        PoliteClient(FAST).get(site.url("/big"), max_bytes=1000)


def test_a_gzip_bomb_is_refused_after_limit_plus_one_bytes(site: Served) -> None:
    bomb = gzip.compress(b"\0" * 50_000_000)  # 50 MB inflated, 50 KB on the wire
    site.extra["/bomb"] = (200, bomb, "text/html", {"Content-Encoding": "gzip"})
    started = time.perf_counter()
    with pytest.raises(FetchError, match="larger than the limit"):
        PoliteClient(FAST).get(site.url("/bomb"), max_bytes=1_000_000)
    assert time.perf_counter() - started < 2.0  # nothing near 50 MB was inflated


def test_a_silent_site_times_out(site: Served) -> None:
    site.site.delay["/slow"] = 3.0
    site.extra["/slow"] = (200, b"late", "text/plain", {})
    client = PoliteClient(Politeness(timeout=0.5, tries=1))
    client.get(site.url("/robots.txt"), robots=False)
    started = time.perf_counter()
    with pytest.raises(FetchError, match=r"no answer within 0\.5 s|stopped sending") as found:
        client.get(site.url("/slow"))
    assert found.value.transient
    assert time.perf_counter() - started < 2.0


def test_429_with_retry_after_is_waited_for_then_tried_again(site: Served) -> None:
    site.site.publish(1)
    site.site.queued["/rss.xml"] = [(429, {"Retry-After": "1"})]
    client = PoliteClient(FAST)
    client.get(site.url("/robots.txt"), robots=False)
    started = time.perf_counter()
    assert client.get(site.url("/rss.xml")).status == 200
    assert time.perf_counter() - started >= 1.0
    assert [r[2] for r in site.site.requests_to("/rss.xml")] == [429, 200]


def test_a_retry_after_longer_than_a_round_waits_fails_now(site: Served) -> None:
    site.site.queued["/rss.xml"] = [(503, {"Retry-After": "3600"})]
    with pytest.raises(FetchError, match="asks to wait 3600 s") as found:
        PoliteClient(FAST).get(site.url("/rss.xml"))
    assert found.value.transient


def test_503s_back_off_then_give_up(site: Served) -> None:
    site.site.queued["/rss.xml"] = [(503, {})] * 5
    with pytest.raises(FetchError, match="HTTP 503") as found:
        PoliteClient(FAST).get(site.url("/rss.xml"))
    assert found.value.transient
    assert len(site.site.requests_to("/rss.xml")) == 3


def test_at_most_per_host_requests_in_flight(site: Served) -> None:
    site.site.publish(*range(1, 9))
    for n in range(1, 9):
        site.site.delay[site.site.articles[n].path] = 0.2
    client = PoliteClient(Politeness(per_host=2))
    client.get(site.url("/robots.txt"), robots=False)
    threads = [threading.Thread(target=client.get, args=(site.url(a.path),))
               for a in site.site.articles.values()]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert site.site.peak == 2


def test_stop_wakes_a_backoff_wait(site: Served) -> None:
    site.site.queued["/rss.xml"] = [(503, {"Retry-After": "60"})]
    client = PoliteClient(FAST)
    client.get(site.url("/robots.txt"), robots=False)
    threading.Timer(0.3, client.stop).start()
    started = time.perf_counter()
    with pytest.raises(FetchError, match="stopped"):
        client.get(site.url("/rss.xml"))
    assert time.perf_counter() - started < 5.0


def test_validators_make_the_conditional_headers() -> None:
    assert Validators().headers() == {}
    assert Validators('"a"', "Thu, 14 Aug 2025 10:00:00 GMT").headers() == {
        "If-None-Match": '"a"', "If-Modified-Since": "Thu, 14 Aug 2025 10:00:00 GMT"}
