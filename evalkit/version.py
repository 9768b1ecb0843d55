"""The installed evalkit version (a module of its own, so any layer can read it)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("evalkit")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"
