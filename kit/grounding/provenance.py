"""Provenance: what an answer, check or report was made from (the store's sources, each cited
file's hash and reader, kit's version, the settings that shape results, when, and the folder the
stored names are relative to), so `kit verify` can re-check it later and a reader can trust it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from kit.config import MODEL_SETTING, RESULT_SETTINGS, Settings
from kit.corpus.readers import extractor
from kit.types import Citation, Provenance
from kit.version import __version__


def provenance(citations: Sequence[Citation], sources: Sequence[str], settings: Settings, base: Path) -> Provenance:
    """The provenance of a result citing `citations`, from a store holding `sources`."""
    chosen = result_settings(settings)
    files = {c.path: c.doc_sha256 for c in citations}
    created = datetime.now(UTC).replace(microsecond=0).isoformat()
    readers = {path: name for path in sorted(files) if (name := extractor(path))}
    return Provenance(tuple(sources), dict(sorted(files.items())), __version__, chosen, created, str(base), readers)


def result_settings(settings: Settings) -> dict[str, object]:
    """The settings that shape a result, as plain data: a chat model's name only for the backend
    that reads it (an extractive report names no model)."""
    from kit.llm.gguf_file import BUNDLED_FILE

    unread = set(MODEL_SETTING.values()) - {MODEL_SETTING.get(settings.llm, "")}
    chosen = {k: v for k, v in settings.public_dump().items() if k in RESULT_SETTINGS - unread}
    if "gguf_model" in chosen and chosen["gguf_model"] is None:  # the model kit runs when none is set
        chosen["gguf_model"] = BUNDLED_FILE
    return chosen
