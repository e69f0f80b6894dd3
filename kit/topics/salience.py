"""What a topic's sentences say and how much of it matters: candidates, concepts, position.

For the chunks of one topic this module rebuilds each document's passages (overlapping chunks
merged, so no sentence is cut at a chunk edge), splits them into sentences and keeps the ones
a summary may quote: statements, not headlines, datelines, bylines, captions, menus, links or
questions. A leading dateline ("Meadow Lake, Saskatchewan – ") or picture note ("Click to
Enlarge") is trimmed off the quote, which stays a verbatim span of the file.

Each candidate gets its concepts (stemmed content words and word bigrams without stopword-only
pairs, after Gillick & Favre 2009) and its rank among its document's statements. A concept's weight is the
probability that a reader's summary states it, from a logistic model over what the topic shows
of it (how many of its articles state it, how early, how often, how central the sentences saying
it are), in the spirit of Li, Qian & Liu 2013; the model ships in `kit/calibration/salience.json`.
This module does not choose sentences (`kit.topics.selection`) or check citations.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import numpy as np

from kit import calibration
from kit.corpus.chunking import joined
from kit.text import STOPWORDS, is_statement, match_stem, sentences
from kit.types import Chunk

MIN_WORDS = 8  # shorter sentences are mostly fragments, attributions and captions
MAX_WORDS = 60  # longer ones are run-on lists or several sentences the splitter could not part

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_URL = re.compile(r"https?://|www\.\w|\w\.(?:com|org|net)/", re.IGNORECASE)
# "Meadow Lake, Saskatchewan – ", "WASHINGTON (AP) — ", "LONDON: ": a place in capitals or a
# short capitalised place list, then a dash or colon, at the start of a sentence.
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Za-z.'’-]+(?:[ ,]+[A-Z][A-Za-z.'’-]+){0,4}(?:\s*\([A-Za-z. ]{1,20}\))?\s*[–—-]{1,2}\s+"
    r"|[A-Z]{3,}(?:[ ,]+[A-Z]{3,}){0,3}\s*(?:\([A-Za-z. ]{1,20}\))?\s*[:–—-]\s+)")
_NUMERIC_OR_WRITTEN_DATE = re.compile(
    r"\b(?:19|20)\d\d[/-]\d{1,2}[/-]\d{1,2}\b|^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.IGNORECASE)
# "Tuesday, January 18, 2005" opening a sentence (pages that lost the line break after it).
_DATE_OPENING = re.compile(
    r"^(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+)?(?:january|february|march|april|may|"
    r"june|july|august|september|october|november|december)\s+\d{1,2},?\s+(?:19|20)\d\d\s*[–—:-]?\s*",
    re.IGNORECASE)
_FIELD = re.compile(r"^[\w-]+:\s")  # "Metadata-Version: 2.1", "Author-email: ..."
# Picture notes scraped into the text: "Click to Enlarge", "ILLUSTRATIVE IMAGE", "(Photo: ...)".
_PICTURE_NOTE = re.compile(r"^(?:click to enlarge|illustrative image|photo|image|video)\b[:.]?\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    """A sentence a summary may quote: where it is and what it says."""

    passage: Chunk  # the merged passage that holds it (its text is a raw span of the file)
    start: int  # offsets inside passage.text
    end: int
    text: str
    rank: int  # 0 for the document's first statement, 1 for the next...
    concepts: frozenset[str]

    @property
    def path(self) -> str:
        return self.passage.path

    @property
    def words(self) -> int:
        return len(self.text.split())


def passages(chunks: Sequence[Chunk]) -> list[Chunk]:
    """Each document's chunks merged where they overlap or touch (same section), in file order.

    Chunks are exact raw spans, so two that overlap join into the raw span they cover (`joined`)."""
    out: list[Chunk] = []
    for c in sorted(dict.fromkeys(chunks), key=lambda c: (c.path, c.start, c.end)):
        prev = out[-1] if out else None
        if prev and prev.path == c.path and prev.section == c.section and c.start <= prev.end:
            if c.end > prev.end:
                out[-1] = joined(prev, c)
            continue
        out.append(c)
    return out


def candidates(chunks: Sequence[Chunk], min_words: int = MIN_WORDS) -> list[Candidate]:
    """The quotable sentences of a topic, in file order, with their concepts."""
    out: list[Candidate] = []
    ranks: Counter[str] = Counter()
    for passage in passages(chunks):
        for s in sentences(passage.text):
            start = s.start + _lead_trim(s.text)
            text = passage.text[start:s.end]
            if not quotable(text):
                continue
            rank = ranks[passage.path]
            ranks[passage.path] += 1
            if min_words <= len(text.split()) <= MAX_WORDS:
                out.append(Candidate(passage, start, s.end, text, rank, concepts(text)))
    return out


def headlines(chunks: Sequence[Chunk]) -> dict[str, str]:
    """Each document's headline: among the first three lines of its first passage, the first that
    reads like one (see `_looks_like_headline`)."""
    firsts: dict[str, Chunk] = {}
    for p in passages(chunks):
        if p.offset < 400 and p.path not in firsts:
            firsts[p.path] = p
    out = {}
    for path, p in firsts.items():
        # Only lines the file ends with a line break: a line cut at the passage's end may be
        # half a sentence.
        for line in [ln.strip() for ln in p.text.split("\n")[:-1] if ln.strip()][:3]:
            if _looks_like_headline(line):
                out[path] = line
                break
    return out


def _looks_like_headline(line: str) -> bool:
    """4 to 20 words, mostly letters, no full stop at the end, no link, not a date line and not
    a header field ("Metadata-Version: 2.1")."""
    words = _WORD.findall(line)
    letters = sum(ch.isalpha() for ch in line) / max(1, sum(not ch.isspace() for ch in line))
    return (4 <= len(words) <= 20 and letters >= 0.6 and not line.rstrip("\"'”’)").endswith((".", "!", "?"))
            and not _URL.search(line) and not _NUMERIC_OR_WRITTEN_DATE.search(line) and not _FIELD.match(line))


def quotable(text: str) -> bool:
    """A statement that is not a question, a link or a line the reader would skip, and that
    ends like a sentence."""
    flat = " ".join(text.split())
    return (is_statement(flat) and not flat.endswith(("?", "?”", '?"', ":")) and not _URL.search(flat)
            and sum(ch.isalpha() for ch in flat) >= 0.6 * len(flat) and ends_a_sentence(flat))


def ends_a_sentence(text: str) -> bool:
    """Whether `text` ends with a full stop (or ! or …) or a closing quotation mark, after any
    reference marks ("[citation needed]", "[3]", ":212–219"). A summary sentence must: the
    lines that do not are headlines ("Airbus offers funding to search for black boxes"), links to
    other stories, captions, list lead-ins and text a page cut off ("residents of Mosul, which
    was re"), which `is_statement` lets through when they keep their function words."""
    return bool(_SENTENCE_END.search(_REFERENCE_TAIL.sub("", text)))


_REFERENCE_TAIL = re.compile(r"(?:\s*\[[^\]]{1,40}\]|:\s?\d[\d,–—-]*(?::\d[\d,–—-]*)*)+$")
_SENTENCE_END = re.compile(r"(?:[.!…][\"'”’)\]]*|[\"”’])$")


def _lead_trim(text: str) -> int:
    """Characters of dateline or picture note at the start of `text` (0 if none)."""
    m = _PICTURE_NOTE.match(text) or _DATE_OPENING.match(text) or _DATELINE.match(text)
    if m is None or len(text) - m.end() < 40:  # what is left must still be a sentence
        return 0
    return m.end()


def tokens(text: str) -> list[str]:
    """Lower-cased stems of the words of `text` (stopwords kept, for bigrams). kit's own suffix
    stemmer, not Porter's: importing nltk for it cost 1 to 5 s of every cold `kit summarize`."""
    return [_stem(w.lower()) for w in _WORD.findall(text)]


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return word if word in STOPWORDS else match_stem(word)


def concepts(text: str) -> frozenset[str]:
    """Stemmed content words and word bigrams (a bigram of two stopwords is no concept)."""
    words = tokens(text)
    return frozenset([w for w in words if not _weak(w)]
                     + [f"{a} {b}" for a, b in pairwise(words) if not (_weak(a) and _weak(b))])


def _weak(word: str) -> bool:
    return word in STOPWORDS or len(word) < 2


FEATURES = ("bias", "unigram", "doc_share", "log_count", "lead", "lead_docs", "stopword", "number", "central",
            "headline")
CALIBRATION = "salience"  # kit/calibration/salience.json


def concept_features(cands: Sequence[Candidate], central: np.ndarray, titles: Sequence[str] = (), lead: int = 3
                     ) -> dict[str, np.ndarray]:
    """Features of each concept of a topic (see FEATURES): whether it is one word, the share of the topic's documents
    that state it, how often it is said (log), how early (1 / (1 + rank) at its best), the share
    of documents stating it among their first `lead` statements, whether one of its two words is
    a stopword or it holds a number, and the best cosine to the topic's centroid of a sentence
    saying it (`central`, per candidate), and the share of the documents' headlines (`titles`)
    that say it."""
    in_titles = Counter(x for t in titles for x in concepts(t))
    n_docs = len({c.path for c in cands}) or 1
    stats: dict[str, list[float]] = {}  # count, best lead, best centrality
    docs: dict[str, set[str]] = {}
    early: dict[str, set[str]] = {}
    for c, cen in zip(cands, central, strict=True):
        for x in c.concepts:
            row = stats.setdefault(x, [0.0, 0.0, -1.0])
            row[0] += 1
            row[1] = max(row[1], 1.0 / (1 + c.rank))
            row[2] = max(row[2], float(cen))
            docs.setdefault(x, set()).add(c.path)
            if c.rank < lead:
                early.setdefault(x, set()).add(c.path)
    out = {}
    for x, (count, best_lead, best_central) in stats.items():
        words = x.split(" ")
        out[x] = np.array([1.0, float(len(words) == 1), len(docs[x]) / n_docs, np.log1p(count), best_lead,
                           len(early.get(x, ())) / n_docs, float(any(_weak(w) for w in words)),
                           float(any(ch.isdigit() for ch in x)), best_central, in_titles[x] / n_docs])
    return out


def centrality(vectors: np.ndarray) -> np.ndarray:
    """Each candidate's cosine to the topic's centroid, clipped at 0 (`concept_features`' `central`)."""
    centroid = vectors.mean(axis=0)
    centroid /= float(np.linalg.norm(centroid)) or 1.0
    return np.clip(vectors @ centroid, 0, None)


@dataclass(frozen=True)
class ConceptModel:
    """Logistic weights over FEATURES: a concept's weight is the probability that a reader's
    summary of the topic states it. Fitted on MultiLing topics (bench/fit_salience.py)."""

    weights: tuple[float, ...]

    @classmethod
    def load(cls, name: str = CALIBRATION) -> ConceptModel:
        data = calibration.load(name)
        return cls(tuple(float(data["weights"][name]) for name in FEATURES))

    def weigh(self, features: dict[str, np.ndarray]) -> dict[str, float]:
        if not features:
            return {}
        names = list(features)
        z = np.stack([features[x] for x in names]) @ np.asarray(self.weights)
        return dict(zip(names, (1.0 / (1.0 + np.exp(-z))).tolist(), strict=True))

    def bigram_weights(self, features: dict[str, np.ndarray]) -> dict[str, float]:
        """The weights of the bigram concepts, what a summary is chosen by. Single words weighed
        in as well (x0.1, 0.25, 0.5) lost ROUGE-1 and ROUGE-2 at 100 words on the fit topics (R2
        0.102 -> 0.092, 0.086, 0.077); they still mark near-copies."""
        return {x: w for x, w in self.weigh(features).items() if " " in x}
