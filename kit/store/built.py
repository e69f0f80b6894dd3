"""How a store was built, as settings: later commands use it for whatever they are not told.

A store records the facts that decide its vectors (embedder, chunking; see `store.fingerprint`).
A command that names none of them, by option, `KIT_*` variable or keyword, takes the store's, so
a store built with `--embedder hash` is searched with it without repeating the flag. One that
names another value keeps it: opening the store then fails naming both (or, for
`kit ingest --rebuild`, rebuilds it so). This module reads the state file only; it opens no Chroma.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from kit.config import Settings
from kit.location import Location
from kit.store.state import peek_state

# The state's fact for each setting that shapes chunks; the embedder is read back by name.
_CHUNKING = {"chunk_size": "kit_chunk_size", "chunk_overlap": "kit_chunk_overlap"}


def as_built(settings: Settings, location: Location, given: Collection[str] | None = None) -> Settings:
    """`settings` with the store's embedder and chunking for each one not `given` (default: the
    fields the settings were given, `model_fields_set`); unchanged when there is no store yet."""
    state = peek_state(location.dir)
    if state is None or not state.facts:
        return settings
    given = settings.model_fields_set if given is None else given
    recorded = recorded_settings(state.facts)
    update = {k: v for k, v in recorded.items() if k not in given and getattr(settings, k) != v}
    if "embedder" in given:  # the embedder's model name goes with the embedder named
        update.pop("openai_embedding_model", None)
    return settings.model_copy(update=update) if update else settings


def recorded_settings(facts: dict[str, Any]) -> dict[str, Any]:
    """The settings a store's facts record (those kit knows how to read back)."""
    from kit.embeddings import built_with  # imported here: `kit files` reads a state without numpy

    out: dict[str, Any] = dict(built_with(str(facts.get("kit_embedder", ""))) or {})
    out.update({name: int(facts[fact]) for name, fact in _CHUNKING.items() if fact in facts})
    return out
