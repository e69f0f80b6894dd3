"""kit: cited question answering and topic summaries over a folder of documents.

    import kit
    k = kit.open()                  # settings from KIT_* env vars and keywords
    k.ingest("seeds")               # clean, chunk, embed (offline), store in Chroma
    k.search("cruise missiles")     # hybrid dense + BM25 hits with exact spans
"""

from typing import Any

from kit import offline

offline.apply()

from kit.api import Kit  # noqa: E402
from kit.config import Settings  # noqa: E402
from kit.errors import KitError  # noqa: E402
from kit.types import (  # noqa: E402
    Answer,
    Chunk,
    Citation,
    Claim,
    Document,
    FileIssue,
    Hit,
    IngestReport,
    Support,
    Topic,
    TopicSummary,
)

__version__ = "0.1.0"


def open(**settings: Any) -> Kit:
    """Open a kit; keywords override settings (e.g. store_dir=".kit", embedder="minilm")."""
    return Kit(**settings)


__all__ = ["Answer", "Chunk", "Citation", "Claim", "Document", "FileIssue", "Hit", "IngestReport", "Kit", "KitError",
           "Settings", "Support", "Topic", "TopicSummary", "open"]
