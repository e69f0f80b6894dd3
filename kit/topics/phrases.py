"""Labels from what a topic's documents share: the phrase most of them use and the rest of the
corpus does not.

A candidate is a run of one to four words inside a clause (no sentence or comma break in it)
that starts and ends on a content word; a stop word may sit inside ("Tour de France", "Bank of
England"). Each candidate is scored like class-based TF-IDF, but over documents: the share of
the topic's documents that contain it, times log(1 + documents / documents containing it
anywhere). Only candidates in at least half of the topic's documents (and at least three) count,
so the label describes the whole topic rather than one article. The best one is then made more
specific while enough documents still share the longer phrase ("Ghraib" becomes "Abu Ghraib",
"Tour" becomes "Tour de France"). Casing is the documents' own most common spelling. Only each
document's first `PHRASE_CHARS` characters are read. This module does not cluster and reads no
model; a topic whose documents share no phrase gets None, and the caller falls back to a
headline. A shared phrase can be generic ("Bombings") where a headline was specific.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence

from kit.text import STOPWORDS

MAX_WORDS = 4  # a longer shared run is a quoted sentence, not a name
MIN_SHARE = 0.5  # of the topic's documents that must contain the label
# Two documents share many words by chance ("city"); a topic that small keeps its central headline.
MIN_DOCS = 3
# Of each document, read for phrases: a story names itself in its headline and first paragraphs,
# and the cap bounds the cost (about 1.5 s per million characters) on long documents.
PHRASE_CHARS = 3000
_WORD = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*\.?", re.UNICODE)
# Clause breaks a phrase may not cross: sentence ends, commas, colons, brackets, quotes, lines.
_INITIALS = re.compile(r"(?:\w\.)+")  # "U.S." keeps its last period
_POSSESSIVE = re.compile(r"['’]s$")  # "Haiti's earthquake" and "Haiti earthquake" are one phrase
_BREAK = re.compile(r"[.!?]+(?=\s|$)|[,;:()\[\]\"“”|–—]|\s-\s|\n")


def clause_words(text: str) -> list[list[str]]:
    """The words of each clause of `text`, as written."""
    out = []
    for clause in _BREAK.split(text):
        words = [_POSSESSIVE.sub("", w if _INITIALS.fullmatch(w) else w.rstrip(".")) for w in _WORD.findall(clause)]
        if words:
            out.append(words)
    return out


def _content(word: str) -> bool:
    return len(word) > 1 and word not in STOPWORDS and any(ch.isalpha() for ch in word)


def _runs(words: list[str]) -> Iterator[tuple[int, int]]:
    """(start, length) of each candidate run in a clause of lower-cased words."""
    for i, first in enumerate(words):
        if not _content(first):
            continue
        for n in range(1, min(MAX_WORDS, len(words) - i) + 1):
            if _content(words[i + n - 1]) and len(set(words[i:i + n])) == n:
                yield i, n


def candidates(text: str) -> Counter[str]:
    """Each candidate phrase of a document, lower-cased, and how often it occurs."""
    found: Counter[str] = Counter()
    for clause in clause_words(text[:PHRASE_CHARS]):
        words = [w.lower() for w in clause]
        found.update(" ".join(words[i:i + n]) for i, n in _runs(words))
    return found


def spelling(phrase: str, texts: Sequence[str]) -> str:
    """`phrase` as `texts` most often write it."""
    size = len(phrase.split())
    seen: Counter[str] = Counter()
    for text in texts:
        for clause in clause_words(text[:PHRASE_CHARS]):
            low = [w.lower() for w in clause]
            seen.update(" ".join(clause[i:i + size]) for i in range(len(clause) - size + 1)
                        if " ".join(low[i:i + size]) == phrase)
    return max(seen, key=lambda w: (seen[w], w)) if seen else phrase


def shared_label(topic_docs: Sequence[str], phrases: Mapping[str, Counter[str]],
                 df: Mapping[str, int], texts: Mapping[str, str]) -> str | None:
    """The label of a topic whose documents are `topic_docs` (paths); `phrases` holds each
    document's `candidates`, `df` how many documents of the corpus contain each phrase, `texts`
    each document's text."""
    docs = [d for d in dict.fromkeys(topic_docs) if d in phrases]
    need = max(MIN_DOCS, math.ceil(MIN_SHARE * len(docs)))
    if len(docs) < need:
        return None
    inside: Counter[str] = Counter()
    uses: Counter[str] = Counter()
    for d in docs:
        inside.update(phrases[d].keys())
        uses.update(phrases[d])
    shared = {p: n for p, n in inside.items() if n >= need}
    if not shared:
        return None

    def score(p: str) -> tuple[float, int, int]:
        idf = math.log(1 + len(phrases) / max(df.get(p, 0), shared[p]))
        # Ties (common in a small corpus) go to the longer phrase, then the one used more often.
        return shared[p] / len(docs) * idf, len(p.split()), uses[p]

    best = named(sorted(shared, key=score, reverse=True), shared, [texts[d] for d in docs])
    if best is None:
        return None
    label = spelling(best, [texts[d] for d in docs])
    return label[:1].upper() + label[1:]


# Shared phrases tried, best scored first, for one that names something.
NAMES_TRIED = 8


def named(ranked: Sequence[str], shared: Mapping[str, float], texts: Sequence[str]) -> str | None:
    """The first of `ranked` that names a thing where the texts use it, made `specific` when the
    longer phrase names one; None when none of the first NAMES_TRIED does."""
    for phrase in ranked[:NAMES_TRIED]:
        longer = specific(phrase, shared)  # "Olympic" names nothing; "Olympic Games" does
        if longer != phrase and names_a_thing(longer, texts):
            return longer
        if names_a_thing(phrase, texts):
            return phrase
    return None


def names_a_thing(phrase: str, texts: Sequence[str]) -> bool:
    """Whether `phrase`, in the first sentence of `texts` that uses it, is a noun phrase: no verb in
    it and a noun or a name last ("Abu Ghraib prison", "Bombings"; not "Donated", "Early" or the
    "price oil" of "they would price oil")."""
    from kit.grounding.structure.parser import parse

    pattern = re.compile(r"(?<![\w-])" + r"\W+".join(map(re.escape, phrase.split())) + r"(?![\w-])", re.IGNORECASE)
    for text in texts:
        m = pattern.search(text)
        if m is None:
            continue
        start = max(text.rfind(".", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
        end = min(x for x in (text.find(".", m.end()), text.find("\n", m.end()), len(text)) if x >= 0)
        doc = parse(text[start:end + 1].strip())
        offset = start + (len(text[start:end + 1]) - len(text[start:end + 1].lstrip()))
        span = [t for t in doc if m.start() <= offset + t.idx < m.end()]
        return bool(span) and span[-1].pos_ in ("NOUN", "PROPN") and not any(t.pos_ in ("VERB", "AUX") for t in span)
    return True  # not found as written: nothing says otherwise


def specific(best: str, shared: Mapping[str, float]) -> str:
    """The longest phrase containing `best` that is still shared by enough documents (the most
    shared one at each step, then the better scored)."""
    while True:
        longer = [p for p in shared if len(p.split()) > len(best.split()) and f" {best} " in f" {p} "]
        if not longer:
            return best
        best = max(longer, key=lambda p: (shared[p], -len(p.split()), p))


def document_phrases(texts: Mapping[str, str]) -> tuple[dict[str, Counter[str]], Counter[str]]:
    """Each document's candidates, and in how many documents each phrase occurs."""
    phrases = {path: candidates(text) for path, text in texts.items()}
    df: Counter[str] = Counter()
    for found in phrases.values():
        df.update(found.keys())
    return phrases, df
