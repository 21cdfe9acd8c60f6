"""Which files a batch narrates: the articles named on the command line, folders searched,
globs expanded."""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterable
from pathlib import Path

from narrate.errors import ArticleError

#: File name extensions a folder argument is searched for.
ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".json"})
#: Files a folder holds beside its articles that are not articles: read-me and licence
#: files, and the JSON files narrate itself writes (chapters, the episode index).
NOT_AN_ARTICLE = re.compile(
    r"^(readme|changelog|changes|history|license|licence|copying|notice|authors|contributing)"
    r"(\..*)?$|\.chapters\.json$|^episodes\.json$",
    re.IGNORECASE,
)
_GLOB_CHARS = re.compile(r"[*?\[]")

def _is_article(path: Path) -> bool:
    return (
        path.suffix.lower() in ARTICLE_SUFFIXES
        and not NOT_AN_ARTICLE.search(path.name)
        and not any(part.startswith(".") for part in path.parts if part not in (".", ".."))
    )


def _folder(folder: Path, exclude: Path | None) -> list[Path]:
    """Articles anywhere under ``folder``, sorted; hidden entries and ``exclude`` left out."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        dirs[:] = sorted(
            d for d in dirs
            if not d.startswith(".")
            and (exclude is None or (here / d).resolve() != exclude)
        )
        found.extend(here / f for f in sorted(files) if _is_article(Path(f)))
    return found


def expand_sources(args: Iterable[str], *, exclude: Path | None = None) -> list[str]:
    """The articles named by ``args``: files as given, every article under a folder, the
    matches of a glob (``*``, ``?``, ``[…]``, ``**``), URLs and ``-`` as they are.

    Folders (and folders a glob matches) are searched recursively for ``.txt``, ``.md``,
    ``.markdown``, ``.html``, ``.htm`` and ``.json`` files, leaving out hidden files,
    read-me and licence files and narrate's own outputs (``*.chapters.json``,
    ``episodes.json``, anything under ``exclude``, the output folder). A file named
    explicitly or matched by a glob is always taken. Duplicates are dropped; the order
    is the order of the arguments. A folder or glob that yields nothing, like a file that
    is not there, is an :class:`~narrate.errors.ArticleError` (exit code 1: what was
    named holds nothing to narrate; exit code 2 is for a command that is wrong as
    typed). A missing file among others fails as that article, with the reader's
    message; when no file named is there, the first is the error at once, before any
    engine is asked whether it answers.
    """
    out_dir = exclude.resolve() if exclude is not None else None
    seen: set[str] = set()
    sources: list[str] = []

    def add(source: str) -> None:
        key = source if source == "-" or "://" in source else str(Path(source).resolve())
        if key not in seen:
            seen.add(key)
            sources.append(source)

    for arg in args:
        path = Path(arg)
        if arg == "-" or re.match(r"^https?://", arg):
            add(arg)
        elif path.is_dir():
            found = _folder(path, out_dir)
            if not found:
                raise ArticleError(arg, "a folder with no article in it (no .txt, .md, .html "
                                   "or .json file)")
            for f in found:
                add(str(f))
        elif not path.exists() and _GLOB_CHARS.search(arg):
            # Path.glob cannot take an absolute pattern; glob.glob takes what a shell would.
            matches = sorted(glob.glob(arg, recursive=True))  # noqa: PTH207
            if not matches:
                raise ArticleError(arg, "no file matches")
            for match in matches:
                m = Path(match)
                for f in _folder(m, out_dir) if m.is_dir() else [m]:
                    add(str(f))
        else:
            add(arg)  # a missing file fails as that article, with the reader's message
    local = [s for s in sources if s != "-" and not re.match(r"^https?://", s)]
    if local and len(local) == len(sources) and not any(Path(s).exists() for s in local):
        raise ArticleError(local[0], "no such file")
    return sources
