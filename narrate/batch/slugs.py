"""Which slug each article of a folder gets, whichever process builds it."""

from __future__ import annotations

import re

from narrate.model import Script
from narrate.pipeline import episode_slug
from narrate.publish.index import source_key
from narrate.publish.store import Store


class SlugBook:
    """Which slug each article gets, so that two articles with one title never share (and
    overwrite) one episode's files, whichever process builds them.

    An article that has an episode keeps its slug for life, whatever its title becomes.
    Before its first publication it keeps a slug it owns while its title still makes that
    slug; otherwise it gets its title's slug, or, when another article owns that one, the
    title's slug with ``-2``, ``-3``, … (the claims it no longer needs are released).
    Ownership is recorded in the folder's store in the transaction that grants it (see
    :meth:`~narrate.publish.store.Store.claim`). Articles read from standard input have no
    identity but their slug and always take it.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def claim(self, script: Script, source: str) -> str:
        base = episode_slug(script, source)
        if source in ("", "-"):
            return base
        return self.store.claim(
            source_key(source, base),
            lambda n: episode_slug(script, source, n),
            lambda slug: self._made_by(slug, base, script, source),
        )

    @staticmethod
    def _made_by(slug: str, base: str, script: Script, source: str) -> bool:
        """True when ``slug`` is the title's slug ``base``, or the title's with a ``-n``."""
        number = re.fullmatch(r".*-(\d{1,6})", slug)
        return slug == base or (
            number is not None and slug == episode_slug(script, source, int(number.group(1)))
        )
