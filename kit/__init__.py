"""kit: cited question answering and topic summaries over a folder of documents.

    import kit
    k = kit.open()                  # the nearest .kit store (or KIT_STORE_DIR); settings from KIT_* and keywords
    k.ingest("seeds")               # clean, chunk, embed (offline), store in Chroma
    k.search("cruise missiles")     # hybrid dense + BM25 hits with exact spans

Names below load on first use: `import kit` (and the `kit` command's start) stays fast.
"""

from typing import TYPE_CHECKING, Any

from kit import offline
from kit.version import __version__

offline.apply()

_TYPES = ("Answer", "CheckResult", "Chunk", "Citation", "Claim", "Document", "FileIssue", "Hit", "IngestReport",
          "IssueKind", "SourceStatus", "Support", "Summaries", "Topic", "Topics", "TopicSummary")
_RESULTS = ("Answer", "CheckResult", "Summaries", "Topic", "Topics", "TopicSummary")
_LAZY = ({"Kit": "kit.api", "Settings": "kit.config", "KitError": "kit.errors"}
         | {name: "kit.results" if name in _RESULTS else "kit.types" for name in _TYPES})

if TYPE_CHECKING:
    from kit.api import Kit
    from kit.config import Settings
    from kit.errors import KitError
    from kit.results import Answer, CheckResult, Summaries, Topic, Topics, TopicSummary
    from kit.types import (
        Chunk,
        Citation,
        Claim,
        Document,
        FileIssue,
        Hit,
        IngestReport,
        IssueKind,
        SourceStatus,
        Support,
    )


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kit' has no attribute {name!r}")


def open(**settings: Any) -> "Kit":
    """Open a kit; keywords override settings (e.g. store_dir=".kit", embedder="minilm")."""
    from kit.api import Kit

    return Kit(**settings)


__all__ = [
    "Answer",
    "CheckResult",
    "Chunk",
    "Citation",
    "Claim",
    "Document",
    "FileIssue",
    "Hit",
    "IngestReport",
    "IssueKind",
    "Kit",
    "KitError",
    "Settings",
    "SourceStatus",
    "Summaries",
    "Support",
    "Topic",
    "TopicSummary",
    "Topics",
    "__version__",
    "open",
]
