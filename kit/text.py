"""Small text tools shared by retrieval, answers and summaries: keyword tokens and sentences.

Plain regular expressions, no downloads (NLTK's punkt data cannot be fetched here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it
its itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them themselves
then there these they this those through to too under until up very was we were what when
where which while who whom why will with would you your yours yourself yourselves said says
say according one two
""".split())

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) and whitespace,
# unless the word before the period is a short abbreviation or an initial ("U.S.", "Col.").
_SENT_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)|\n\s*\n|\n(?=[A-Z“\"•\-])")
_ABBREV = re.compile(r"(?:\b[A-Z][a-z]{0,3}|\b(?:[A-Za-z]\.)+[A-Za-z]?|\b(?:vs|etc|approx|No|St|Mt))\.$")


def stem(word: str) -> str:
    """A very light English stemmer: plural and possessive endings only."""
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_KEYS: dict[str, str] = {}  # word as written -> its keyword ("" for a stop word)
_KEYS_MAX = 500_000  # a million-chunk corpus has a few hundred thousand spellings; about 60 MB at most


def keywords(text: str) -> list[str]:
    """Lower-cased, stemmed content words of `text`."""
    out = []
    for word in _WORD.findall(text):
        key = _KEYS.get(word)
        if key is None:
            # Lower-case each match, not the text: lowering first can split a word ("İ" -> "i" + U+0307).
            lowered = word.lower()
            key = "" if lowered in STOPWORDS else stem(lowered)
            if len(_KEYS) >= _KEYS_MAX:
                _KEYS.clear()
            _KEYS[word] = key
        if key:
            out.append(key)
    return out


@dataclass(frozen=True)
class Sentence:
    """A sentence with offsets relative to the text it came from."""

    start: int
    end: int
    text: str


def sentences(text: str) -> list[Sentence]:
    """Split `text` into sentences; each `text[start:end]` is the sentence, stripped."""
    out: list[Sentence] = []
    begin = 0
    for m in _SENT_END.finditer(text):
        if text[m.start()] == "." and _ABBREV.search(text[max(0, m.start() - 12):m.start() + 1]):
            continue
        _append(out, text, begin, m.end())
        begin = m.end()
    _append(out, text, begin, len(text))
    return out


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if sum(ch.isalnum() for ch in stripped) >= 2:
        lead = len(piece) - len(piece.lstrip())
        out.append(Sentence(start + lead, start + lead + len(stripped), stripped))
