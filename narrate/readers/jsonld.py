"""schema.org JSON-LD, as pages embed it and CMSs export it: what the HTML and JSON
readers both read from it (a key anywhere in the structure, the authors' names, the
paragraphs of an ``articleBody``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from narrate.readers.assemble import clean

#: Paragraph separator inside an ``articleBody``: a line break.
PARAGRAPH = re.compile(r"\s*\n\s*")
#: How deep :func:`find` looks.
MAX_DEPTH = 8


def find(data: Any, key: str, depth: int = 0) -> Any:
    """The first value of ``key`` anywhere in a JSON-LD structure (``@graph`` included)."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(data, dict):
        if key in data:
            return data[key]
        children: Iterable[Any] = data.values()
    elif isinstance(data, list):
        children = data
    else:
        return None
    for child in children:
        found = find(child, key, depth + 1)
        if found is not None:
            return found
    return None


def author_names(author: Any) -> str | None:
    """An ``author`` value as one line: a name, a Person (its ``name``) or a list of those,
    joined with commas; None when it names nobody."""
    names = author if isinstance(author, list) else [author]
    found = [clean(n["name"]) for n in names
             if isinstance(n, dict) and isinstance(n.get("name"), str)]
    found += [clean(n) for n in names if isinstance(n, str)]
    return ", ".join(n for n in found if n) or None
