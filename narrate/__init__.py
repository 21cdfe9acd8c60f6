"""narrate: turn a Hindi news article into a podcast-style MP3 with chapters."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("narrate-hindi")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"
