"""Where the store is, and what a file is called in it.

As git finds its repository: a store folder named by `KIT_STORE_DIR` / `--store` wins; otherwise
the nearest `.kit` folder in the current folder or its parents. A stored file is named by its path
relative to the store's base (the folder that holds the store folder), with POSIX separators, so
moving the whole project keeps every name, and every citation, valid; a file outside the base
keeps its absolute path. This module reads no store contents and imports nothing heavy.
"""

from __future__ import annotations

import os
import unicodedata
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from kit.errors import NoStoreError

STORE_NAME = ".kit"
STATE_FILE = "kit-store.json"
TOPICS_CACHE = "topics-cache.json"  # the last run's topics and summaries (kit.topics.cache)


@dataclass(frozen=True)
class Location:
    """A store folder (absolute), whether it was found, and how it names files."""

    dir: Path
    found: bool
    named: bool = False  # given by --store / KIT_STORE_DIR rather than looked for

    @property
    def base(self) -> Path:
        return self.dir.parent

    @property
    def exists(self) -> bool:
        """True once an ingest has written the store's state file (whatever is there now: a state
        file swapped for a FIFO or a link is a damaged store for doctor to name, not no store)."""
        return os.path.lexists(self.dir / STATE_FILE)

    def name_of(self, path: Path) -> str:
        """The store's name for `path` (absolute): base-relative POSIX, else absolute."""
        base = _real(self.base)
        if path == base:
            return "."
        return utf8_name(path.relative_to(base).as_posix() if path.is_relative_to(base) else path.as_posix())

    def path_of(self, name: str) -> Path:
        """The file a stored name points to now (not resolved: symlinks are checked by `inside`)."""
        return Path(name) if PurePosixPath(name).is_absolute() else self.base / name

    def inside(self, name: str) -> Path | None:
        return resolve_stored(self.base, name)


def resolve_stored(base: Path, name: str) -> Path | None:
    """The file a stored name points to, or None when a symlink on the way leads somewhere else.

    Ingest only ever stores regular files reached without a symlink, so a stored name that now
    resolves elsewhere was swapped for a link after ingest and must not be read.
    """
    absolute = PurePosixPath(name).is_absolute()
    path = Path(name) if absolute else base / name
    expected = Path(os.path.normpath(path if absolute else _real(base) / name))
    try:
        real = Path(os.path.realpath(path))
    except OSError:  # a symlink loop
        return None
    return real if real == expected else None


def utf8_name(name: str) -> str:
    """`name` with bytes that are not UTF-8 (kept by the OS as surrogates) shown as U+FFFD; ingest
    refuses such names, since no one could type them back."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return name


def is_url(text: str) -> bool:
    """Whether `text` is an http(s) URL: a web page `kit ingest` fetches, never a path on disk."""
    return text[:8].lower().startswith(("http://", "https://"))


def under(name: str, scope: str) -> bool:
    """Whether the stored name `name` is `scope` itself or lies under it."""
    if scope == ".":
        return not PurePosixPath(name).is_absolute()
    return name == scope or name.startswith(scope.rstrip("/") + "/")


def locate(store_dir: Path | None, cwd: Path | None = None) -> Location:
    """The store named by `store_dir`, else the nearest `.kit` from `cwd` upwards, else `.kit` in `cwd`."""
    here = Path(os.path.abspath(cwd or Path.cwd()))
    if store_dir is not None:
        path = Path(os.path.abspath(here / store_dir))
        return Location(path, path.is_dir(), named=True)
    for folder in (here, *here.parents):
        if (folder / STORE_NAME).is_dir():
            return Location(folder / STORE_NAME, True)
    return Location(here / STORE_NAME, False)


def require(location: Location, cwd: Path | None = None) -> Location:
    """The location if a store is there; else one line saying where kit looked and what to run."""
    if location.exists:
        return location
    if location.found:
        where = f"{shown(str(location.dir))} holds no kit store"
    elif location.named:
        where = f"no kit store at {shown(str(location.dir))}: there is no such folder"
    else:
        here = Path(os.path.abspath(cwd or Path.cwd()))
        where = f"no kit store in {shown(str(here))} or its parents"
    raise NoStoreError(f"{where}; run `kit ingest FOLDER` first (or name a store with --store / KIT_STORE_DIR)")


def shown(text: str) -> str:
    """`text` safe for one line of a terminal: control, format and separator characters escaped
    (a file name may hold a newline, an escape sequence or a bidi override)."""
    if all(unicodedata.category(ch)[0] not in "CZ" or ch == " " for ch in text):
        return text
    return "".join(ch if unicodedata.category(ch)[0] not in "CZ" or ch == " " else _escape(ch) for ch in text)


def _escape(ch: str) -> str:
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if ch in named:
        return named[ch]
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def cache_dir() -> Path:
    """Where exported model graphs are kept (KIT_CACHE_DIR, else XDG cache)."""
    base = os.environ.get("KIT_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "kit")
    return Path(base)


def stores_in(folder: Path) -> list[Path]:
    """The store folders `folder` is the base of: its folders that hold a kit state file."""
    try:
        return [child for child in folder.iterdir() if child.is_dir() and (child / STATE_FILE).is_file()]
    except OSError:
        return []


def links_from(root: Path | None, out: Path | None, absolute: bool = False) -> Callable[[str], str | None]:
    """Links from a report written to `out` (None: into the current folder) to the files under
    `root`, relative to the report, or `absolute` file:// URLs of the files; none when `root` is unknown."""
    if root is None:
        return lambda _path: None
    if absolute:
        # Percent-encoded after the fixed file:// scheme, so a name never adds a scheme or a host.
        return lambda path: "file://" + urllib.parse.quote((root / path).resolve().as_posix(), safe="/")
    base = (out.parent if out else Path.cwd()).resolve()
    # Percent-encoded, so a file named "javascript:..." is a relative path, never a URL scheme.
    return lambda path: urllib.parse.quote(Path(os.path.relpath((root / path).resolve(), base)).as_posix(), safe="/")
