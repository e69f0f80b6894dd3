"""Labelled claim pairs for the support judge: claims written by models and people, read and labelled.

    from bench.claims_data import load
    pairs = load()                       # every set; fragments left out
    pairs = load(["seeds-llm"], exclude={"fragment", "echo"})

The pairs live in bench/data/claims/*.jsonl (described in its README.md). A pair names its
document by key, resolved here to the full text:
- `seeds/NNN_....txt`: a file of the repository's seeds/ folder;
- `squad:<title>:<j>`: paragraph j of that article of the SQuAD 2.0 dev half (../shared/data);
- `multiling:<doc_id>`: an article of MultiLing 2011 (../shared/data).
Human MultiLing claims are not stored: a row holds `ref` (topic, annotator, sentence index) and
the sentence is read from the reference summary at run time, split by `split_sentences`.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from kit.text import sentences

ROOT = Path(__file__).resolve().parents[1]
CLAIMS = ROOT / "bench" / "data" / "claims"
# ../shared/data beside the checkout, found as bench/pool.py finds it (a worktree may sit deeper)
DATA: Path | None = next((p / "shared" / "data" for p in ROOT.parents if (p / "shared" / "data").is_dir()), None)

SETS = ("seeds-llm", "squad-restated", "multiling-human", "multiling-model", "qwen-seeds", "multiling-qwen",
        "squad-llm", "news-llm", "seeds-llm2", "squad-llm2", "multiling-abs", "multiling-pred", "multiling-modal",
        "multiling-qwen2")
FLAGS = ("echo", "fragment", "borderline", "duplicate")
DEFAULT_EXCLUDE = frozenset({"fragment"})
SPLITS = ("dev", "test")
_MIN_SOURCE_SENTENCE = 20  # shorter "sentences" ("U.S.", "Dec.") are no source of their own


@dataclass(frozen=True)
class Evidence:
    """A quote and the document it is taken from."""

    doc: str  # the document's key
    quote: str
    document: str  # the document's full text


@dataclass(frozen=True)
class ClaimPair:
    """One labelled (claim, quote) pair with its document resolved."""

    id: str
    set: str
    claim: str
    doc: str
    document: str
    quote: str  # "" when no sentence of the document bears on the claim
    label: bool  # True: supported
    kind: str
    author: str
    split: str
    flags: frozenset[str]  # echo, fragment, borderline, duplicate
    extra: tuple[Evidence, ...] = ()  # further quotes a merged claim relies on
    question: str = ""
    note: str = ""
    referenced: bool = False  # the claim is read from ../shared/data at run time, never stored

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        """The quote and every further quote, each with its document."""
        return (Evidence(self.doc, self.quote, self.document), *self.extra)

    @property
    def borderline(self) -> bool:
        return "borderline" in self.flags

    @property
    def echo(self) -> bool:
        return "echo" in self.flags

    @property
    def fragment(self) -> bool:
        return "fragment" in self.flags


def split_sentences(text: str) -> list[str]:
    """The sentence splitter the MultiLing human rows were indexed with (kept exactly)."""
    parts = re.split(r'(?<=[.!?])["\u201d\u2019]?\s+(?=[A-Z0-9"\u201c])', text.strip())
    return [p.strip() for p in parts if p.strip()]


def normalize(text: str) -> str:
    """Whitespace collapsed to single spaces (U+00A0 counts as a space), ends stripped."""
    return " ".join(text.replace("\u00a0", " ").split())


def locate(document: str, quote: str) -> tuple[int, int] | None:
    """Span of `quote` in `document`, compared with whitespace collapsed; None if absent or empty."""
    target = normalize(quote)
    if not target:
        return None
    at = document.find(quote)
    if at >= 0:
        return at, at + len(quote)
    chars, index = _collapsed(document)
    i = chars.find(target)
    return None if i < 0 else (index[i], index[i + len(target) - 1] + 1)


def _collapsed(text: str) -> tuple[str, list[int]]:
    """`normalize(text)` and, for each of its characters, its offset in `text`."""
    out: list[str] = []
    index: list[int] = []
    for m in re.finditer(r"[^\s\u00a0]+", text):
        if out:
            out.append(" ")
            index.append(m.start() - 1)
        out.append(m.group())
        index.extend(range(m.start(), m.end()))
    return "".join(out), index


class Library:
    """Documents by key, and the human MultiLing sentences by reference."""

    def __init__(self, root: Path = ROOT, data: Path | None = DATA) -> None:
        self.root = root
        self.data = data

    def _data(self, *parts: str) -> Path:
        if self.data is None:
            raise FileNotFoundError("no shared/data folder among the repository's parents")
        return self.data.joinpath(*parts)

    @cached_property
    def squad(self) -> dict[str, list[str]]:
        raw = json.loads(self._data("squad2_dev_half", "dev-v2.0.json").read_text(encoding="utf-8"))
        return {a["title"]: [p["context"] for p in a["paragraphs"]] for a in raw["data"]}

    @cached_property
    def multiling(self) -> dict[str, dict[str, str]]:
        lines = self._data("multiling2011_en", "docs.jsonl").read_text(encoding="utf-8").splitlines()
        return {d["doc_id"]: d for d in map(json.loads, lines)}

    @cached_property
    def topics(self) -> dict[str, dict[str, Any]]:
        lines = self._data("multiling2011_en", "topics.jsonl").read_text(encoding="utf-8").splitlines()
        return {t["topic_id"]: t for t in map(json.loads, lines)}

    def text(self, doc: str) -> str:
        """The full text of the document named `doc`."""
        if doc.startswith("squad:"):
            title, j = doc.removeprefix("squad:").rsplit(":", 1)
            return self.squad[title][int(j)]
        if doc.startswith("multiling:"):
            return self.multiling[doc.removeprefix("multiling:")]["text"]
        return (self.root / doc).read_text(encoding="utf-8")

    def human_claim(self, ref: dict[str, Any]) -> str:
        """The sentence `ref` points at in a MultiLing reference summary."""
        summaries = self.topics[ref["topic_id"]]["reference_summaries"]
        summary = next(s["summary"] for s in summaries if s["annotator"] == ref["annotator"])
        return split_sentences(summary)[ref["sentence"]]

    def corpus(self, docs: Iterable[str]) -> list[str]:
        """The paragraphs of the collection the documents `docs` belong to, as a store would hold
        it: the seeds folder, every paragraph of each cited SQuAD article, every article of each
        cited MultiLing topic."""
        texts: dict[str, None] = {}
        for doc in docs:
            for text in self._collection(doc):
                texts.setdefault(text, None)
        return [p for text in texts for p in paragraphs(text)]

    def _collection(self, doc: str) -> list[str]:
        if doc.startswith("squad:"):
            return self.squad[doc.removeprefix("squad:").rsplit(":", 1)[0]]
        if doc.startswith("multiling:"):
            topic = self.multiling[doc.removeprefix("multiling:")]["topic_id"]
            return [d["text"] for d in self.multiling.values() if d["topic_id"] == topic]
        return [p.read_text(encoding="utf-8") for p in sorted((self.root / doc).parent.glob("*.txt"))]


def paragraphs(text: str) -> list[str]:
    """The blank-line separated paragraphs of `text`, stripped, empty ones dropped."""
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def rows(name: str, folder: Path = CLAIMS) -> list[dict[str, Any]]:
    """The raw JSONL rows of one set."""
    path = folder / f"{name.replace('-', '_')}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def flags_of(row: dict[str, Any]) -> frozenset[str]:
    """A row's flags, whether listed (`flags`) or set as booleans (`fragment: true`)."""
    return frozenset(row.get("flags", [])) | {f for f in FLAGS if row.get(f) is True}


def pair(row: dict[str, Any], library: Library) -> ClaimPair:
    """A row with its claim and documents resolved."""
    claim = row["claim"] or (library.human_claim(row["ref"]) if "ref" in row else "")
    extra = tuple(Evidence(e["doc"], e["quote"], library.text(e["doc"])) for e in row.get("extra_evidence", []))
    return ClaimPair(row["id"], row["set"], claim, row["doc"], library.text(row["doc"]), row["quote"],
                     row["label"] == "supported", row["kind"], row["author"], row["split"], flags_of(row),
                     extra, row.get("question", ""), row.get("note", ""), "ref" in row)


def load(sets: Sequence[str] = SETS, exclude: Iterable[str] = DEFAULT_EXCLUDE,
         library: Library | None = None) -> list[ClaimPair]:
    """The pairs of `sets`, leaving out rows flagged with any of `exclude` (by default the
    fragments: sentences cut after an abbreviation, which assert nothing)."""
    library = library or Library()
    leave_out = frozenset(exclude)
    return [pair(r, library) for name in sets for r in rows(name) if not flags_of(r) & leave_out]


def sources(p: ClaimPair) -> set[tuple[str, str]]:
    """The source sentences a pair is built on: (document key, sentence) for every sentence of
    its quotes, whitespace collapsed."""
    out = set()
    for e in p.evidence:
        for s in sentences(normalize(e.quote)):
            if len(s.text) >= _MIN_SOURCE_SENTENCE:
                out.add((e.doc, s.text))
    return out


def straddling(pairs: Sequence[ClaimPair]) -> dict[tuple[str, str], set[str]]:
    """Source sentences used by pairs of both splits, with those pairs' ids."""
    splits: dict[tuple[str, str], set[str]] = defaultdict(set)
    ids: dict[tuple[str, str], set[str]] = defaultdict(set)
    for p in pairs:
        for key in sources(p):
            splits[key].add(p.split)
            ids[key].add(p.id)
    return {key: ids[key] for key, s in splits.items() if len(s) > 1}


def tuning(pairs: Sequence[ClaimPair]) -> list[ClaimPair]:
    """The dev pairs that share no source sentence with a test pair: what thresholds may be fitted on.

    Each set is split by source sentence, article or topic, but two sets over the same documents
    (seeds-llm and qwen-seeds) may use one sentence in different splits."""
    seen_in_test = {key for p in pairs if p.split == "test" for key in sources(p)}
    return [p for p in pairs if p.split == "dev" and not sources(p) & seen_in_test]
