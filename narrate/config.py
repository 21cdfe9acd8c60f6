"""``narrate.toml``: the podcast's settings (title, owner, base URL, artwork, …).

The file lives in the working folder (or is named with ``--config FILE``) and has a
``[podcast]`` table and, optionally, a ``[build]`` table of defaults for ``narrate build``'s
options (:func:`read_table`; the command line checks them as it checks its flags, and a flag
given overrides them). :data:`STARTER` is what ``narrate init`` writes. Every value is checked
when the file is read, and a wrong one is reported in one line naming the key and what is
expected (``narrate.toml: podcast.owner_email: expected an e-mail address …``).

Command-line options override the file (:func:`load_config`'s ``overrides``). Relative
paths (the artwork) are relative to the folder of the file that names them.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from narrate.errors import UsageError

#: The file looked for in the working folder when no ``--config`` is given.
CONFIG_NAME = "narrate.toml"

#: Apple Podcasts' top-level categories (https://podcasters.apple.com/support/1691).
CATEGORIES = frozenset(
    {
        "Arts", "Business", "Comedy", "Education", "Fiction", "Government", "History",
        "Health & Fitness", "Kids & Family", "Leisure", "Music", "News",
        "Religion & Spirituality", "Science", "Society & Culture", "Sports", "Technology",
        "True Crime", "TV & Film",
    }
)

_EXAMPLE_URL = "https://example.com/"
_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")

STARTER = """\
# narrate.toml: the podcast that `narrate build` and `narrate feed` publish.
# Every key is read from the [podcast] table; command-line options override them
# (for example `narrate feed --base-url https://…`).

[podcast]
# The show's name and a sentence or two about it, as podcast apps show them.
title = "हमारी ख़बरें"
description = "दिन की प्रमुख ख़बरें, सुनने के लिए।"

# Who makes it (shown as the artist) and who owns the feed (apps and directories may
# write to this address; it is also the owner of podcast:locked).
author = "समाचार डेस्क"
owner_name = "समाचार डेस्क"
owner_email = "podcast@example.com"

# The show's language (ISO 639-1) and its Apple Podcasts category; a subcategory is optional.
language = "hi"
category = "News"
# subcategory = "Daily News"

# true only if episodes contain explicit content.
explicit = false

# Where the output folder (audio/ by default) will be served, ending in /. The feed is
# written only when this is set: enclosure URLs must be absolute.
# base_url = "https://example.com/podcast/"

# The show's web page (defaults to base_url).
# link = "https://example.com/"

# Square artwork, 1400 to 3000 pixels, JPEG or PNG, RGB; relative to this file.
artwork = "artwork.jpg"

# true asks other platforms not to import the feed without the consent of owner_email
# (podcast:locked): set it once owner_email is an address you read.
locked = false

# How to say names and terms in every episode (the pronunciation file; see the README);
# relative to this file. --lexicon overrides it.
# pronunciation = "pronunciation.tsv"

# Defaults for `narrate build`'s options, by the option's name (`narrate build --help`);
# an option given on the command line overrides its default here. Paths are relative to
# this file.
[build]
# engine = "kokoro"
# voice = "hf_alpha"
# out = "audio"
# workers = 2
# pause = ["sentence=600", "section=2000"]
"""


class ConfigError(UsageError):
    """A setting in ``narrate.toml`` (or an option overriding it) is missing or wrong."""


@dataclass(frozen=True)
class PodcastConfig:
    """The podcast's settings, checked. ``artwork`` is an absolute path or an http(s) URL."""

    title: str
    description: str
    author: str
    owner_name: str
    owner_email: str
    language: str = "hi"
    category: str = "News"
    subcategory: str | None = None
    explicit: bool = False
    base_url: str | None = None
    link: str | None = None
    artwork: str | None = None
    locked: bool = True
    #: The podcast's pronunciation file (see narrate.text.lexicon), an absolute path.
    pronunciation: str | None = None
    source: str = CONFIG_NAME

    @property
    def feed_url(self) -> str | None:
        return None if self.base_url is None else self.base_url + "feed.xml"


_REQUIRED = ("title", "description", "author", "owner_name", "owner_email")
_TEXT = (*_REQUIRED, "language", "category", "subcategory", "base_url", "link", "artwork",
         "pronunciation")
_BOOL = ("explicit", "locked")
KEYS = frozenset(_TEXT + _BOOL)


def _fail(source: str, key: str, expected: str, value: object = None) -> ConfigError:
    got = "" if value is None else f", got {value!r}"
    return ConfigError(f"{source}: podcast.{key}: expected {expected}{got}")


def normalize_base_url(url: str, *, source: str = "--base-url", key: str = "base_url") -> str:
    """An absolute http(s) URL ending in ``/`` (so file names can be appended)."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise _fail(source, key, f"an absolute http(s) URL such as {_EXAMPLE_URL}podcast/", url)
    path = quote(parts.path, safe="/%:@!$&'()*+,;=-._~")  # UTF-8 percent-encoded, once
    if not path.endswith("/"):
        path += "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _check_text(source: str, key: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(source, key, "a non-empty string", value)
    return value.strip()


def _check_values(raw: Mapping[str, object], source: str, folder: Path) -> dict[str, object]:
    values: dict[str, object] = {}
    for key, value in raw.items():
        if key not in KEYS:
            known = ", ".join(sorted(KEYS))
            raise ConfigError(f"{source}: podcast.{key}: unknown key (known keys: {known})")
        if key in _BOOL:
            if not isinstance(value, bool):
                raise _fail(source, key, "true or false", value)
            values[key] = value
            continue
        text = _check_text(source, key, value)
        if key == "owner_email" and not _EMAIL.match(text):
            raise _fail(source, key, "an e-mail address such as podcast@example.com", text)
        if key == "language" and not _LANGUAGE.match(text):
            raise _fail(source, key, "a language code such as hi", text)
        if key == "category" and text not in CATEGORIES:
            raise _fail(source, key, "an Apple Podcasts category such as News", text)
        if key == "base_url":
            text = normalize_base_url(text, source=source, key=key)
        if key == "link":
            parts = urlsplit(text)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise _fail(source, key, f"an absolute http(s) URL such as {_EXAMPLE_URL}", text)
        if key == "pronunciation":
            text = str((folder / Path(text).expanduser()).resolve())
        if key == "artwork" and urlsplit(text).scheme not in ("http", "https"):
            text = str((folder / Path(text).expanduser()).resolve())
        values[key] = text
    return values


def parse_config(
    data: Mapping[str, object], *, source: str = CONFIG_NAME, folder: Path | None = None
) -> PodcastConfig:
    """Check the parsed TOML ``data`` (with its ``[podcast]`` table) and build the config."""
    table = data.get("podcast")
    if not isinstance(table, Mapping):
        raise ConfigError(f"{source}: expected a [podcast] table. Probable cause: run narrate init")
    values = _check_values(table, source, folder or Path.cwd())
    for key in _REQUIRED:
        if key not in values:
            raise ConfigError(f"{source}: podcast.{key} is missing: expected a non-empty string")
    return PodcastConfig(**values, source=source)  # type: ignore[arg-type]


def _load(path: Path) -> dict[str, object]:
    """The settings file at ``path`` as TOML, or ConfigError saying why it cannot be."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise ConfigError(f"{path}: no such settings file. Probable cause: run narrate init") from e
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot be read ({e})") from e
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML ({e})") from e


def read_config(path: Path) -> PodcastConfig:
    """Read and check the settings file at ``path``."""
    return parse_config(_load(path), source=str(path), folder=path.resolve().parent)


def apply_overrides(config: PodcastConfig, overrides: Mapping[str, object | None]) -> PodcastConfig:
    """``config`` with the command line's values (``None`` means "not given") in place."""
    given = {key: value for key, value in overrides.items() if value is not None}
    if not given:
        return config
    names = {f.name for f in fields(PodcastConfig)}
    checked = _check_values(given, "command line", Path.cwd())
    return replace(config, **{k: v for k, v in checked.items() if k in names})  # type: ignore[arg-type]


def load_config(
    path: Path | None = None,
    *,
    overrides: Mapping[str, object | None] | None = None,
    cwd: Path | None = None,
) -> PodcastConfig | None:
    """The podcast settings: ``path`` if given (it must exist), else ``narrate.toml`` in
    ``cwd`` if there is one, else None; then ``overrides`` from the command line."""
    if path is None:
        candidate = (cwd or Path.cwd()) / CONFIG_NAME
        if not candidate.is_file():
            return None
        path = candidate
    config = read_config(path)
    return apply_overrides(config, overrides or {})


#: Domains reserved for examples and tests (RFC 2606, RFC 6761): no one reads mail there.
_PLACEHOLDER_DOMAINS = ("example.com", "example.org", "example.net")
_PLACEHOLDER_TLDS = (".example", ".invalid", ".test", ".localhost")


def _placeholder(email: str) -> bool:
    domain = email.rpartition("@")[2].lower().rstrip(".")
    return domain in _PLACEHOLDER_DOMAINS or domain.endswith(
        tuple("." + d for d in _PLACEHOLDER_DOMAINS) + _PLACEHOLDER_TLDS)


def _local_host(host: str) -> bool:
    """A host only this machine or its own network reaches (a preview, not a publication)."""
    import ipaddress

    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith((".localhost", ".local")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local


def feed_concerns(config: PodcastConfig) -> list[str]:
    """What a careful publisher would not publish a feed with, one line each: an owner
    e-mail at an example domain (podcast directories write to it; a locked feed is locked
    to it), and a base URL over plain http (the Podcasting 2.0 namespace and Apple ask
    for https; a preview on this machine or its network is fine)."""
    concerns = []
    if _placeholder(config.owner_email):
        said = (f"{config.source}: podcast.owner_email {config.owner_email} is a placeholder: "
                "podcast directories write to this address")
        if config.locked:
            said += ", and podcast:locked names it as the feed's owner"
        concerns.append(f"{said}; set your own")
    if config.base_url:
        parts = urlsplit(config.base_url)
        if parts.scheme == "http" and not _local_host(parts.hostname or ""):
            concerns.append(f"base_url {config.base_url} is plain http: podcast apps and "
                            "directories expect https; serve the folder over https")
    return concerns


def write_starter(path: Path, *, force: bool = False) -> None:
    """Write :data:`STARTER` to ``path``; an existing file is kept unless ``force``."""
    from narrate.fsutil import atomic_write_text

    if path.exists() and not force:
        raise ConfigError(f"{path} already exists; pass --force to replace it")
    try:
        atomic_write_text(path, STARTER)
    except OSError as e:
        raise ConfigError(f"cannot write {path} ({e.strerror or e})") from e


@dataclass(frozen=True)
class Table:
    """A table of ``narrate.toml`` other than ``[podcast]``: its ``values`` as written, the
    file it came from (``source``, for messages) and that file's ``folder`` (relative paths
    are relative to it)."""

    name: str
    values: Mapping[str, object]
    source: str
    folder: Path


def read_table(name: str, path: Path | None = None, *, cwd: Path | None = None
               ) -> Table | None:
    """The table ``[name]`` of the settings file (``path``, else ``narrate.toml`` in ``cwd``
    when there is one); None without a file or without that table."""
    if path is None:
        path = (cwd or Path.cwd()) / CONFIG_NAME
        if not path.is_file():
            return None
    table = _load(path).get(name)
    if table is None:
        return None
    if not isinstance(table, Mapping):
        raise ConfigError(f"{path}: {name} is not a table: expected [{name}] with keys under it")
    return Table(name, dict(table), str(path), path.resolve().parent)
