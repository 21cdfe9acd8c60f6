"""One address per article: the key that makes a site's twins one episode.

News sites publish one article under several addresses: with campaign parameters
(``?utm_source=whatsapp``), as an AMP twin (``/amp/…``, ``…/amp``, ``….amp.html``,
``?amp=1``, ``amp.site.com``, Google's AMP cache), with or without a trailing slash.
:func:`canonical_url` maps all of them to one address, which becomes the episode's key
(:func:`narrate.publish.index.source_key`), so a feed, an Atom feed and a sitemap that
list one article in different spellings make one episode. Pure: no network.

A page's own ``<link rel="canonical">`` is the second net (see
:mod:`narrate.follow.reader`): it catches twins no rule here knows.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

#: Query parameters that say who sent the reader, never which article: campaign tags and
#: the click ids of ad and social networks. Compared lowercased.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
    "mc_cid", "mc_eid", "_ga", "_gl", "ref", "ref_src", "ref_url", "cmpid", "ito", "icid",
    "ncid", "s_cid",
})
#: Prefixes of tracking parameters (``utm_source``, ``utm_medium``, …).
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "at_")
#: Query parameters that ask for the AMP rendering of the same article.
AMP_PARAMS = frozenset({"amp", "outputtype"})
#: Google's AMP cache: ``https://www-site-com.cdn.ampproject.org/c/s/www.site.com/path``
#: (``/c/`` content, ``/v/`` viewer; ``s/`` for https).
AMP_CACHE_HOST = ".cdn.ampproject.org"
_AMP_CACHE_PATH = re.compile(r"^/[cv]/(s/)?(?P<rest>.+)$")
#: Characters kept as they are in a path; the rest is percent-encoded once, upper-case.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def _tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def _amp_param(name: str, value: str) -> bool:
    """``?amp``, ``?amp=1``, ``?outputType=amp``: the AMP rendering."""
    lowered = name.lower()
    return lowered == "amp" or (lowered in AMP_PARAMS and value.lower() == "amp")


def _from_amp_cache(host: str, path: str) -> str | None:
    """The publisher's URL inside a Google AMP cache URL, or None."""
    if not host.endswith(AMP_CACHE_HOST):
        return None
    found = _AMP_CACHE_PATH.match(path)
    if found is None:
        return None
    scheme = "https" if found.group(1) else "http"
    return f"{scheme}://{found.group('rest')}"


def _without_amp(path: str) -> str:
    """The path without its AMP marks: an ``amp`` segment anywhere (``/amp/news/x``,
    ``/news/x/amp``), and ``.amp`` before the extension (``x.amp.html``) or at the end."""
    segments = [s for s in path.split("/") if s.lower() != "amp"]
    path = "/".join(segments) or "/"
    return re.sub(r"\.amp(?=\.[A-Za-z0-9]+$|$)", "", path, flags=re.IGNORECASE)


def canonical_url(url: str) -> str:
    """The one address of the article at ``url`` (an http(s) URL; anything else comes back
    as it is): lower-case scheme and host, no default port, no fragment, no tracking or AMP
    parameters, no AMP path marks or ``amp.`` host, no trailing slash (except the root),
    percent-encoding in one spelling. Other hosts (``www.``, ``m.``) stay as given: only a
    page's own canonical link may merge them."""
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return url
    host = parts.hostname.lower().rstrip(".")
    inner = _from_amp_cache(host, parts.path)
    if inner is not None and inner != url:
        return canonical_url(inner)
    if host.startswith("amp."):
        host = host[4:]
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) \
        else f"{host}:{port}"
    path = quote(unquote(_without_amp(parts.path or "/")), safe=_PATH_SAFE)
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not _tracking(k) and not _amp_param(k, v)]
    return urlunsplit((scheme, netloc, path, urlencode(query, quote_via=quote), ""))


def same_site(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` are on one site (hosts equal but for ``www.``/``amp.``/``m.``):
    a page may name its canonical address there, not on another site."""
    def site(url: str) -> str:
        host = (urlsplit(url).hostname or "").lower()
        for prefix in ("www.", "amp.", "m."):
            host = host.removeprefix(prefix)
        return host
    return bool(site(a)) and site(a) == site(b)
