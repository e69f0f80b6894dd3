"""The kit's own types: what crosses its public surface.

Plain frozen dataclasses; no chromadb, langchain or openai object ever appears here.
Spans are character offsets into the raw (decoded) file text: `raw_text[start:end]`.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Literal

Section = Literal["article", "comments", "sidebar"]
SECTIONS: tuple[Section, ...] = ("article", "comments", "sidebar")


@dataclass(frozen=True)
class Span:
    """A kept piece of a document: raw offsets and the section it belongs to."""

    start: int
    end: int
    section: Section


@dataclass(frozen=True)
class Removal:
    """A piece of boilerplate the cleaner removed, and why."""

    start: int
    end: int
    reason: str
    text: str


@dataclass(frozen=True)
class OffsetMap:
    """Maps offsets in the cleaned text back to offsets in the raw text.

    `pieces` holds (clean_start, raw_start, length) runs where both texts are identical.
    """

    pieces: tuple[tuple[int, int, int], ...]

    def to_raw(self, clean_offset: int) -> int:
        """Raw offset of a clean offset (a piece end maps to the raw end of that piece)."""
        for clean_start, raw_start, length in self.pieces:
            if clean_start <= clean_offset <= clean_start + length:
                return raw_start + (clean_offset - clean_start)
        raise ValueError(f"offset {clean_offset} falls between kept pieces of the cleaned text")


@dataclass(frozen=True)
class Document:
    """A decoded, cleaned source file."""

    path: str  # relative to the corpus folder, POSIX separators
    raw_text: str
    clean_text: str
    offset_map: OffsetMap
    spans: tuple[Span, ...]
    removed: tuple[Removal, ...]
    sha256: str
    encoding: str


@dataclass(frozen=True)
class Chunk:
    """A retrievable piece of a document; `text == raw_text[start:end]` always."""

    id: str
    path: str
    start: int
    end: int
    section: Section
    text: str
    doc_sha256: str


@dataclass(frozen=True)
class Hit:
    """A chunk found by search, with its fused score and the ranks that produced it."""

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    keyword_rank: int | None = None

    def to_dict(self) -> dict[str, object]:
        c = self.chunk
        return {
            "id": c.id, "source": c.path, "start": c.start, "end": c.end, "section": c.section,
            "score": round(self.score, 6), "dense_rank": self.dense_rank,
            "keyword_rank": self.keyword_rank, "text": c.text,
        }

    def _repr_html_(self) -> str:
        c = self.chunk
        head = f"<b>{html.escape(c.path)}</b> [{c.start}:{c.end}] <i>{c.section}</i> score {self.score:.4f}"
        return f"<div style='margin:4px 0'>{head}<blockquote>{html.escape(c.text)}</blockquote></div>"


class IssueKind(StrEnum):
    """How serious a `FileIssue` is; text and JSON summaries count by this, never by the wording."""

    ERROR = "error"  # the file should have been ingested and could not be (unreadable, undecodable, vanished)
    SKIPPED = "skipped"  # not ingested by design (other file type, hidden, symlink, empty, duplicate, too large)
    NOTE = "note"  # ingested, with something worth knowing (e.g. the encoding it was decoded with)


@dataclass(frozen=True)
class FileIssue:
    """A file that was skipped or only partly ingested, and why."""

    path: str
    reason: str
    kind: IssueKind = IssueKind.ERROR

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "reason": self.reason, "kind": self.kind.value}


class SourceStatus(StrEnum):
    """A stored file compared with the file on disk now (see `citations.SourceReader.status`)."""

    OK = "ok"  # same content as when it was ingested
    CHANGED = "changed"  # readable, but its content differs from what was ingested
    MISSING = "missing"  # no file at its path any more
    OUTSIDE = "outside"  # its path now leads out of its folder through a symlink; never read
    UNREADABLE = "unreadable"  # there, but cannot be read or decoded


@dataclass
class IngestReport:
    """What one ingest did."""

    files: int = 0
    chunks: int = 0
    added: int = 0
    embedded: int = 0
    unchanged_files: int = 0
    removed: int = 0
    seconds: float = 0.0
    issues: list[FileIssue] = field(default_factory=list)
    source: str = ""  # the folder or file synced, as the store names it

    def count(self, kind: IssueKind) -> int:
        return sum(issue.kind is kind for issue in self.issues)

    def to_dict(self) -> dict[str, object]:
        return {
            "source": self.source, "files": self.files, "chunks": self.chunks, "added": self.added,
            "embedded": self.embedded, "unchanged_files": self.unchanged_files, "removed": self.removed,
            "errors": self.count(IssueKind.ERROR), "skipped": self.count(IssueKind.SKIPPED),
            "notes": self.count(IssueKind.NOTE), "seconds": round(self.seconds, 3),
            "issues": [i.to_dict() for i in self.issues],
        }


@dataclass(frozen=True)
class Citation:
    """A quote backing a claim: marker key, file, raw span, and how the quote checked out."""

    key: int
    path: str
    start: int
    end: int
    section: Section
    quote: str
    check: str  # "exact" | "normalized" | "failed: <why>"
    doc_sha256: str = ""

    @property
    def verified(self) -> bool:
        return self.check in ("exact", "normalized")

    def with_check(self, check: str) -> Citation:
        return replace(self, check=check)

    def to_dict(self) -> dict[str, object]:
        return {"key": self.key, "source": self.path, "start": self.start, "end": self.end,
                "section": self.section, "quote": self.quote, "check": self.check}


@dataclass
class Answer:
    """An answer with verified citations, or an honest abstention."""

    question: str
    text: str
    citations: list[Citation]
    abstained: bool
    mode: str  # "extractive" or "llm"
    backend: str
    support: float = 0.0
    failed: list[Citation] = field(default_factory=list)
    dropped_keys: list[int] = field(default_factory=list)
    traces: list[dict[str, object]] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    NOT_FOUND = "Not in the documents: the ingested sources do not support an answer to this question."

    @property
    def label(self) -> str:
        if self.mode == "extractive":
            return "Extractive answer: sentences quoted from the sources, no language model."
        return f"Generated by {self.backend}; every citation checked against its source file."

    def tokens(self) -> dict[str, int]:
        total = {"prompt_tokens": 0, "completion_tokens": 0}
        for t in self.traces:
            for key in total:
                total[key] += int(t.get(key) or 0)  # type: ignore[call-overload]  # int | None
        return total

    def to_dict(self) -> dict[str, object]:
        return {
            "question": self.question, "answer": self.text, "abstained": self.abstained,
            "mode": self.mode, "backend": self.backend, "label": self.label, "support": round(self.support, 4),
            "citations": [c.to_dict() for c in self.citations],
            "verification": {"verified": len(self.citations), "failed": len(self.failed),
                             "dropped_invented_keys": len(self.dropped_keys)},
            "failed_citations": [c.to_dict() for c in self.failed],
            "tokens": self.tokens(), "traces": self.traces, "notes": self.notes,
        }

    def to_markdown(self) -> str:
        lines = [f"**Q:** {self.question}", "", self.text, "", f"_{self.label}_"]
        lines += [f"_Note: {n}_" for n in self.notes]
        if self.citations:
            lines.append("")
        for c in self.citations:
            quote = " ".join(c.quote.split())
            lines.append(f"- [{c.key}] `{c.path}` [{c.start}:{c.end}] ({c.section}, {c.check}): \"{quote}\"")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from kit.report import answer_html

        return answer_html(self)


@dataclass(frozen=True)
class Topic:
    """A group of chunks about one subject, with keyword and (optionally) LLM labels."""

    number: int
    label: str
    keywords: tuple[str, ...]
    chunks: tuple[Chunk, ...]
    llm_label: str | None = None

    @property
    def title(self) -> str:
        return self.llm_label or self.label

    @property
    def coverage(self) -> dict[str, int]:
        """Chunks per source file, most first."""
        counts: dict[str, int] = {}
        for c in self.chunks:
            counts[c.path] = counts.get(c.path, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def with_llm_label(self, label: str) -> Topic:
        return replace(self, llm_label=label)

    def to_dict(self) -> dict[str, object]:
        return {"topic": self.number, "label": self.title, "keywords": list(self.keywords),
                "chunks": len(self.chunks), "coverage": self.coverage,
                "sections": dict(Counter(c.section for c in self.chunks))}

    def _repr_html_(self) -> str:
        files = ", ".join(f"{html.escape(p)} ({n})" for p, n in self.coverage.items())
        return (f"<div><b>Topic {self.number}: {html.escape(self.title)}</b> — {len(self.chunks)} chunks"
                f"<br><i>{html.escape(', '.join(self.keywords))}</i><br>sources: {files}</div>")


@dataclass(frozen=True)
class Agreement:
    """Two or more sources stating the same fact, each with its verified quote."""

    fact: str
    citations: tuple[Citation, ...]

    def to_dict(self) -> dict[str, object]:
        return {"fact": self.fact, "citations": [c.to_dict() for c in self.citations]}


@dataclass(frozen=True)
class Difference:
    """Sources giving different figures for the same thing."""

    subject: str
    versions: tuple[tuple[str, Citation], ...]

    def to_dict(self) -> dict[str, object]:
        return {"subject": self.subject,
                "versions": [{"says": text, **c.to_dict()} for text, c in self.versions]}


@dataclass(frozen=True)
class SummarySentence:
    """One sentence of a summary with the citations that back it."""

    text: str
    citations: tuple[Citation, ...]


@dataclass
class TopicSummary:
    """A cited summary of one topic, with agreement, difference and source coverage."""

    topic: Topic
    sentences: list[SummarySentence]
    mode: str  # "extractive" or "llm"
    backend: str
    agreements: list[Agreement] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    traces: list[dict[str, object]] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.mode == "extractive":
            return "Extractive summary: central sentences quoted from the sources, no language model."
        return f"Generated by {self.backend} (map-reduce); every citation checked against its source file."

    @property
    def citations(self) -> list[Citation]:
        return [c for s in self.sentences for c in s.citations]

    @property
    def text(self) -> str:
        return " ".join(f"{s.text} {''.join(f'[{c.key}]' for c in s.citations)}" for s in self.sentences)

    def to_dict(self) -> dict[str, object]:
        return {
            "topic": self.topic.to_dict(), "mode": self.mode, "backend": self.backend, "label": self.label,
            "summary": [{"sentence": s.text, "citations": [c.to_dict() for c in s.citations]} for s in self.sentences],
            "agreements": [a.to_dict() for a in self.agreements],
            "differences": [d.to_dict() for d in self.differences],
            "coverage": self.topic.coverage, "notes": self.notes, "traces": self.traces,
        }

    def _repr_html_(self) -> str:
        from kit.report import summary_html

        return summary_html(self)
