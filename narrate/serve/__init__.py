"""``narrate serve``: the output folder over HTTP, as a static host would serve it, with a
front page for people.

- :mod:`narrate.serve.rules`: the HTTP rules as plain functions (ranges, preconditions,
  request checks, replies as data), without I/O;
- :mod:`narrate.serve.files`: which file a URL path names (nothing hidden, nothing outside);
- :mod:`narrate.serve.front`: the front page (the podcast's title, artwork, episodes, feed);
- :mod:`narrate.serve.site`: a parsed request to a reply;
- :mod:`narrate.serve.server`: the wire, on h11 (a well-kept sans-I/O HTTP/1.1
  implementation), with timeouts and a bound on connections.
"""
