"""A state file pieced together again when the one on disk is damaged (`kit doctor --repair`).

The state names the store's sources, its generation and the Chroma data folder in use; all three
can be read back from the store folder: the sources from the last file list (each file records
its source), the generation from the newest keyword index, the data folder from the newest
Chroma folder that is not a damaged copy kept aside. The state is saved marked as an interrupted
repair, so the write that follows rebuilds the keyword index and the file list from the chunks in
Chroma rather than trusting what the damaged state described. This module writes only the state.
"""

from __future__ import annotations

import time

from kit.errors import StoreDamagedError
from kit.store.chroma import local_data_ok
from kit.store.manifest import read_manifest
from kit.store.state import Source, StoreState, Writing, holder_id, write_state
from kit.store.store import Store


def restored_state(store: Store) -> StoreState:
    """Write and return a state rebuilt from the store folder (the caller holds the write lock)."""
    folders = sorted((d for d in store.dir.glob("chroma*") if ".damaged-" not in d.name and local_data_ok(d)),
                     key=lambda d: d.stat().st_mtime)
    if not folders:
        raise StoreDamagedError(f"the state file of the store in {store.dir} is damaged and no Chroma data is "
                                "left to rebuild it from; rebuild with `kit ingest FOLDER --rebuild`")
    generations = [int(d.name) for d in (store.cache / "keyword").glob("*") if d.name.isdigit()]
    manifest = read_manifest(store.cache)
    names = sorted({f.source for f in manifest.files.values() if f.source}) if manifest else []
    now = time.time()
    sources = tuple(Source(n, "file" if store.location.path_of(n).is_file() else "folder", now) for n in names)
    state = StoreState(collection=store.name, facts=dict(store.facts), generation=max(generations, default=0),
                       sources=sources, chroma=folders[-1].name,
                       writing=Writing("repair", "all sources", holder_id(), now))
    write_state(store.dir, state)
    return state
