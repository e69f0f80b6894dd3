"""Repair a model's quote that misses its passage by a copying slip, and say what was repaired.

Small models copy quotes imperfectly: ‘colluded’ for “colluded”, a closing quotation mark
left out, a capital letter lowered, one word skipped. A quote that differs from a stretch of its
passage only by whitespace, letter case, quotation marks (any of ‘ ’ “ ” ' " ` ´ „, or one left
out) or one word the model dropped is located at that stretch; the citation then quotes the
passage as it stands, so it is verified and judged like any other, with a note saying what was
repaired. A dropped word that is a negation or a number is never restored: "would not
continue" quoted as "would continue" says the opposite, so that quote stays failed.
Anything else (a paraphrase, two words changed) is not a copying slip and is not repaired.
This module does not judge support and never picks a sentence the model did not quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_QUOTE_MARKS = "'\"‘’“”„‚`´«»"
_WORD = re.compile(r"\S+")
# Dropping one of these changes what a sentence says, not how it was copied.
_MEANINGFUL = frozenset({"not", "no", "never", "nor", "neither", "none", "nothing", "nobody", "without",
                         "cannot", "can't", "won't", "don't", "didn't", "isn't", "wasn't", "aren't", "weren't",
                         "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                         "dozen", "hundred", "thousand", "million", "billion", "percent"})
_EDGE = ".,;:!?()[]"
# A quote of fewer words, one word short, matches too many stretches to say which one was meant.
MIN_WORDS_FOR_A_DROPPED_WORD = 5


@dataclass(frozen=True)
class Repair:
    """Where the quote stands in the passage (character offsets) and what differed."""

    start: int
    end: int
    what: str  # e.g. "quotation marks or letter case", "one word the model left out ('the')"


@dataclass(frozen=True)
class _Word:
    key: str  # lower case, quotation marks removed
    start: int
    end: int


def _words(text: str) -> list[_Word]:
    out = []
    for m in _WORD.finditer(text):
        key = m.group().lower().translate({ord(c): None for c in _QUOTE_MARKS}).replace("–", "-").replace("—", "-")
        if key:  # a word that was only a quotation mark: the model may have left it out
            out.append(_Word(key, m.start(), m.end()))
    return out


def repair_quote(passage: str, quote: str) -> Repair | None:
    """The stretch of `passage` that `quote` copies with a slip, or None (no such stretch)."""
    want = [w.key for w in _words(quote)]
    have = _words(passage)
    if not want:
        return None
    for i in range(len(have) - len(want) + 1):
        if _same(want, have[i:i + len(want)]):
            return Repair(have[i].start, have[i + len(want) - 1].end, "quotation marks, letter case or spacing")
    if len(want) < MIN_WORDS_FOR_A_DROPPED_WORD:
        return None
    for i in range(len(have) - len(want)):
        window = have[i:i + len(want) + 1]
        for gap in range(1, len(window) - 1):  # an inner word: a missing first or last word is just a shorter quote
            dropped = window[gap]
            if _meaningful(dropped.key) or not _same(want, window[:gap] + window[gap + 1:]):
                continue
            left_out = passage[dropped.start:dropped.end]
            return Repair(window[0].start, window[-1].end, f"one word the model left out ({left_out!r})")
    return None


def _same(want: list[str], have: list[_Word]) -> bool:
    """Word for word equal, except for punctuation at the quote's two ends (a quote may stop
    before a sentence's full stop: 'continue' for 'continue.')."""
    if len(want) != len(have):
        return False
    ends = {0, len(want) - 1}
    return all(w == h.key or (n in ends and w.strip(_EDGE) == h.key.strip(_EDGE))
               for n, (w, h) in enumerate(zip(want, have, strict=True)))


def _meaningful(key: str) -> bool:
    word = key.strip(_EDGE)
    return word in _MEANINGFUL or any(ch.isdigit() for ch in word)
