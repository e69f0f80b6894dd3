"""Provenance: what an answer, check or report was made from (the store's sources, each cited
file's hash and reader, kit's version, the settings that shape results, when, and the folder the
stored names are relative to), so `kit verify` can re-check it later and a reader can trust it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from kit.config import RESULT_SETTINGS, Settings
from kit.corpus.readers import extractor
from kit.types import Citation, Provenance
from kit.version import __version__


def provenance(citations: Sequence[Citation], sources: Sequence[str], settings: Settings, base: Path) -> Provenance:
    """The provenance of a result citing `citations`, from a store holding `sources`."""
    chosen = {k: v for k, v in settings.public_dump().items() if k in RESULT_SETTINGS}
    files = {c.path: c.doc_sha256 for c in citations}
    created = datetime.now(UTC).replace(microsecond=0).isoformat()
    readers = {path: name for path in sorted(files) if (name := extractor(path))}
    return Provenance(tuple(sources), dict(sorted(files.items())), __version__, chosen, created, str(base), readers)
