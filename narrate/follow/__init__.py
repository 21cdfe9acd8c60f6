"""Follow a news site: narrate what its feed or sitemap publishes, as it publishes it.

- :mod:`~narrate.follow.http`: a polite HTTP client (User-Agent, robots.txt, per-host
  limits and backoff, redirect and size limits, timeouts, conditional requests);
- :mod:`~narrate.follow.sources`: RSS, Atom, JSON Feed and XML sitemaps as items;
- :mod:`~narrate.follow.canonical`: one address per article (tracking parameters and AMP
  twins folded);
- :mod:`~narrate.follow.reader`: each item's article, from the feed's content or its page;
- :mod:`~narrate.follow.state`: what the watcher knows, in the folder's store;
- :mod:`~narrate.follow.feeds`: one podcast feed per category;
- :mod:`~narrate.follow.build`: ``narrate build`` of a feed, and the one call to the batch;
- :mod:`~narrate.follow.watch`: the watch loop.
"""
