"""Claims that name a passage sentence by number: when the number points elsewhere, find the
sentence the claim's words come from, and say so.

Answer prompt version 3 numbers each passage's sentences; a claim names one, and its quote is
kit's copy of that sentence. Small models copy the words right and the number wrong: the 1.5B
Qwen model answered "The statement continued," citing sentence 4 of passage 3 when those words
are sentence 6 of passage 1. A claim whose named sentence does not state it takes the sentence
(or pair of neighbouring sentences) that does, in the passage named first, then in the others,
with a note in its reasons; with none, the named sentence stays and the claim is judged against
it like any other (so it is unsupported). The claim's text is never changed, and the support
judge still decides. This module does not locate free quotes (see `kit.grounding.repair`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from kit.grounding.claims import Draft
from kit.grounding.support import Judge
from kit.types import Chunk, Support


def repointed(drafts: Sequence[Draft], passages: Mapping[int, Chunk], judge: Judge) -> list[Draft]:
    """`drafts` with each numbered sentence that does not state its claim replaced by one that does."""
    return [_repoint(d, passages, judge) if d.pointed else d for d in drafts]


def _repoint(draft: Draft, passages: Mapping[int, Chunk], judge: Judge) -> Draft:
    named = [(k, q) for k, q in draft.quotes if k in passages]
    if named and all(judge.judge(draft.text, [q], [passages[k].text]).support is Support.SUPPORTED for k, q in named):
        return draft
    first = draft.keys[0] if draft.keys else None
    for key in sorted(passages, key=lambda k: k != first):  # the passage named, then the others in order
        span = judge.supporting_sentence(draft.text, passages[key].text)
        if span is None:
            continue
        quote = passages[key].text[span[0]:span[1]]
        where = "that passage" if key == first else f"passage {key}"
        note = (f"the model named a sentence of passage {first} that does not state it; the sentence of "
                f"{where} that does is cited")
        return replace(draft, keys=(key,), quotes=((key, quote),), note=note)
    return draft
