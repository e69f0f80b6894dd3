"""The kit's own types: what crosses its public surface.

Plain dataclasses and enums; no chromadb, langchain or openai object ever appears here.
Spans are character offsets into the raw (decoded) file text: `raw_text[start:end]`; for HTML,
the markup, whose tags stripped and references decoded read as the span's text (see `RawMap`).
`to_dict()` uses the Python names, so JSON output and code read the same (the schema is
`schema/kit.schema.json`). Text and HTML rendering live in `kit.report`, the one renderer.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

Section = Literal["article", "comments", "sidebar"]
SECTIONS: tuple[Section, ...] = ("article", "comments", "sidebar")


class Saved:
    """What every result type shares: `to_html()` (what a notebook shows) and `save(path)`, in the
    format its suffix names. A subclass gives `to_dict`, `to_markdown`, `_repr_html_` and `_TITLE`."""

    _TITLE = "kit"
    to_dict: Callable[[], Any]
    to_markdown: Callable[[], str]
    _repr_html_: Callable[[], str]

    def to_html(self) -> str:
        """This result as an HTML fragment with its own styles, as a notebook shows it."""
        return self._repr_html_()

    def page(self, out: Path | None = None) -> str:
        """A self-contained HTML page, headed by the provenance when there is one (links relative to `out`)."""
        from kit.report.html import page

        return page(self._TITLE, getattr(self, "provenance", None), self.to_html())

    def save(self, path: str | Path, format: str | None = None) -> Path:  # `format`: named as the CLI's --format
        """Write to `path` as .html (a self-contained page), .md or .json, by its suffix unless `format`
        says; another suffix is an `InputError` naming it, and nothing is written."""
        from kit.report.common import format_from

        out = Path(path)
        fmt = format or format_from(out)
        text = (self.page(out) if fmt == "html" else self.to_markdown() if fmt == "md"
                else json.dumps(self.to_dict(), indent=2, ensure_ascii=False))
        out.write_text(text, encoding="utf-8")
        return out


@dataclass(frozen=True)
class Span:
    """A kept piece of a document: raw offsets and the section it belongs to."""

    start: int
    end: int
    section: Section


@dataclass(frozen=True)
class RemovedSpan:
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
class RawMap:
    """Where each character of a text view (an HTML page's text) lies in the raw file.

    `runs` holds (text_start, raw_start, text_length, raw_length) in text order. A run as long in
    both is copied character for character; any other (a decoded `&amp;`, a collapsed run of
    whitespace, a line break a tag made) maps each of its characters to its whole raw range."""

    runs: tuple[tuple[int, int, int, int], ...]
    origin: int = 0  # where text offset 0 is in the whole document's text (a chunk's map is cut from it)

    def _run(self, i: int) -> tuple[int, int, int, int]:
        k = bisect_right(self.runs, i, key=lambda r: r[0]) - 1
        if k < 0 or i >= self.runs[k][0] + self.runs[k][2]:
            raise ValueError(f"text offset {i} is outside the mapped text")
        return self.runs[k]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The raw span of text[start:end] (end > start)."""
        ts, rs, tl, rl = self._run(start)
        first = rs + (start - ts) if tl == rl else rs
        ts, rs, tl, rl = self._run(end - 1)
        return first, (rs + (end - ts) if tl == rl else rs + rl)

    def cut(self, start: int, end: int) -> RawMap:
        """The map of text[start:end], its offsets counted from `start`."""
        out = []
        for ts, rs, tl, rl in self.runs[max(0, bisect_right(self.runs, start, key=lambda r: r[0]) - 1):]:
            if ts >= end:
                break
            a, b = max(ts, start), min(ts + tl, end)
            if a < b:
                out.append((a - start, rs + (a - ts), b - a, b - a) if tl == rl else (a - start, rs, b - a, rl))
        return RawMap(tuple(out), self.origin + start)


@dataclass(frozen=True)
class Document:
    """A decoded, cleaned source file.

    `raw_text` is the file as decoded; cleaning reads `text`, its text view: the raw text itself,
    or for HTML the page's text with `raw_map` back to the markup. `spans`, `removed` and
    `offset_map` count in `text`."""

    path: str  # relative to the corpus folder, POSIX separators
    raw_text: str
    clean_text: str
    offset_map: OffsetMap
    spans: tuple[Span, ...]
    removed: tuple[RemovedSpan, ...]
    sha256: str
    encoding: str
    view: str | None = None  # HTML: the page's text (None: the raw text is read as it is)
    raw_map: RawMap | None = None  # HTML: where each character of `view` is in `raw_text`
    breaks: tuple[int, ...] = ()  # HTML: offsets in `view` no chunk spans (markup left out sat there)

    @property
    def text(self) -> str:
        return self.raw_text if self.view is None else self.view

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The span in the raw file of text[start:end]."""
        return (start, end) if self.raw_map is None else self.raw_map.span(start, end)


@dataclass(frozen=True)
class Chunk:
    """A retrievable piece of a document. `start`, `end`: its span in the raw file, where
    `text == raw_text[start:end]`; for HTML `text` is the page's text there (tags stripped,
    references decoded) and `raw_map` places each of its characters in the markup."""

    id: str
    path: str
    start: int
    end: int
    section: Section
    text: str
    doc_sha256: str
    raw_map: RawMap | None = None

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The span in the raw file of text[start:end]."""
        if self.raw_map is None:
            return self.start + start, self.start + end
        return self.raw_map.span(start, end)

    @property
    def offset(self) -> int:
        """Where the chunk starts in its document's text (for HTML, the page's text, not the markup):
        how far into the document it is, as a reader counts."""
        return self.start if self.raw_map is None else self.raw_map.origin

    def head(self, n: int) -> Chunk:
        """The chunk of text[:n] (n > 0), its span still that of its text in the raw file."""
        return replace(self, text=self.text[:n], end=self.raw_span(0, n)[1],
                       raw_map=self.raw_map.cut(0, n) if self.raw_map else None)


@dataclass(frozen=True)
class Hit:
    """A chunk found by search, with its fused score and the ranks that produced it."""

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    keyword_rank: int | None = None
    page: int | None = None  # PDF: the page the chunk is on (`Kit.search` sets it, as a citation's)
    paragraph: int | None = None  # DOCX: the paragraph the chunk starts in
    url: str | None = None  # a web page's snapshot: the URL it was fetched from

    def to_dict(self) -> dict[str, object]:
        c = self.chunk
        return {
            "id": c.id, "path": c.path, "start": c.start, "end": c.end, "section": c.section,
            "score": round(self.score, 6), "dense_rank": self.dense_rank,
            "keyword_rank": self.keyword_rank, "text": c.text,
            **{k: v for k, v in (("page", self.page), ("paragraph", self.paragraph), ("url", self.url))
               if v is not None},
        }

    def __str__(self) -> str:
        from kit.report.text import hit_text

        return hit_text(self)

    def __repr__(self) -> str:
        c = self.chunk
        return f"Hit({c.path!r} [{c.start}:{c.end}] {c.section}, score={self.score:.4f})"

    def _repr_html_(self) -> str:
        from kit.report.html import hit_html

        return hit_html(self)


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
    """A stored file compared with the file on disk now (see `kit.corpus.sources.SourceReader.status`)."""

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

    def __str__(self) -> str:
        from kit.report.text import ingest_text

        return ingest_text(self)

    def __repr__(self) -> str:
        return f"IngestReport({str(self).splitlines()[0]})"

    def _repr_html_(self) -> str:
        from kit.report.html import ingest_html

        return ingest_html(self)


class Support(StrEnum):
    """How far the quoted evidence backs a claim."""

    SUPPORTED = "supported"  # every number, name and statement of the claim is in its quotes
    PARTIAL = "partial"  # the cited passage backs it, but the quote alone does not say all of it
    UNSUPPORTED = "unsupported"  # something the claim says is in neither the quote nor the passage

    @property
    def strength(self) -> int:
        """2 supported, 1 partial, 0 unsupported: which of two verdicts backs a claim better."""
        return {Support.SUPPORTED: 2, Support.PARTIAL: 1}.get(self, 0)


class QuoteCheck(StrEnum):
    """Whether a quote stands at its span in the source file."""

    EXACT = "exact"  # character for character
    NORMALIZED = "normalized"  # the same after collapsing whitespace and typographic quotes
    FAILED = "failed"  # see `Citation.problem`


class CitationProblem(StrEnum):
    """Why a citation was not kept."""

    INVENTED_KEY = "invented_key"  # the model cited a passage it was not given
    NOT_IN_PASSAGE = "not_in_passage"  # the model's quote is not in the passage it names
    SOURCE_MISSING = "source_missing"  # the source file is gone or unreadable
    SOURCE_CHANGED = "source_changed"  # the source file changed since ingest
    SOURCE_OUTSIDE = "source_outside"  # its path now leads out of its folder through a symlink; never read
    NOT_AT_SPAN = "not_at_span"  # the file no longer holds the quote at its span


@dataclass(frozen=True)
class Citation:
    """A quote backing a claim: its number in the answer, file, raw span, and two verdicts:
    `check` (is the quote at its span in the file?) and `support` (does it back the claim?)."""

    key: int
    path: str
    start: int
    end: int
    section: Section
    quote: str
    check: QuoteCheck = QuoteCheck.EXACT
    problem: CitationProblem | None = None
    doc_sha256: str = ""
    support: Support | None = None  # None until judged against its claim
    reasons: tuple[str, ...] = ()
    # Where the span starts, 1-based, derived from the file's text view when the quote is checked:
    # the page of a PDF, the paragraph of a DOCX (None for other formats).
    page: int | None = None
    paragraph: int | None = None
    url: str | None = None  # the file is a web page's snapshot, fetched from this URL

    @property
    def verified(self) -> bool:
        """The quote is at its span in the file as it is now."""
        return self.check is not QuoteCheck.FAILED

    def failed(self, problem: CitationProblem) -> Citation:
        return replace(self, check=QuoteCheck.FAILED, problem=problem)

    def to_dict(self) -> dict[str, object]:
        return {"key": self.key, "path": self.path, "start": self.start, "end": self.end,
                "section": self.section, "quote": self.quote, "check": self.check,
                "problem": self.problem, "support": self.support, "reasons": list(self.reasons),
                "doc_sha256": self.doc_sha256,
                **{k: v for k, v in (("page", self.page), ("paragraph", self.paragraph), ("url", self.url))
                   if v is not None}}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Citation:
        return cls(int(d["key"]), str(d["path"]), int(d["start"]), int(d["end"]), d["section"], str(d["quote"]),
                   QuoteCheck(d.get("check", "exact")), CitationProblem(d["problem"]) if d.get("problem") else None,
                   str(d.get("doc_sha256", "")), Support(d["support"]) if d.get("support") else None,
                   tuple(d.get("reasons", ())), _number(d.get("page")), _number(d.get("paragraph")),
                   str(d["url"]) if d.get("url") else None)


def _number(value: Any) -> int | None:
    return None if value is None else int(value)


@dataclass(frozen=True)
class Claim:
    """One sentence kit asserts (an answer sentence or a summary sentence), the verified
    citations backing it, and the verdict of the support check with its reasons."""

    text: str  # without citation markers; markers are rendered from `citations`
    citations: tuple[Citation, ...]
    support: Support
    reasons: tuple[str, ...] = ()

    @property
    def keys(self) -> list[int]:
        return [c.key for c in self.citations]

    @property
    def shown(self) -> bool:
        """Shown as part of an answer or summary by default (unsupported claims are listed apart)."""
        return self.support is not Support.UNSUPPORTED

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "support": self.support, "citations": self.keys, "reasons": list(self.reasons)}


@dataclass(frozen=True)
class CheckedClaim(Claim):
    """A sentence of a text given to `kit check`, as a claim with the score of its best evidence:
    0 to 1, higher is better backed (see `kit.grounding.check.score_of`); 0 without evidence."""

    score: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "score": self.score}


@dataclass(frozen=True)
class Provenance:
    """What a saved answer or report was made from, so `kit verify` can re-check it later."""

    sources: tuple[str, ...]  # the folders (or files) ingested into the store, named as files are
    files: dict[str, str]  # sha256 of every cited file, by path
    kit_version: str
    settings: dict[str, object]  # the settings that change results
    created: str  # ISO 8601, UTC
    base: str = ""  # the absolute folder that stored names (sources, files, citation paths) are relative to
    readers: dict[str, str] = field(default_factory=dict)  # cited PDF and DOCX files: what extracted their text

    def to_dict(self) -> dict[str, object]:
        return {"sources": list(self.sources), "base": self.base, "files": dict(self.files),
                "kit_version": self.kit_version, "settings": dict(self.settings), "created": self.created,
                **({"readers": dict(self.readers)} if self.readers else {})}


class Mode(StrEnum):
    """Who wrote the text: sentences quoted by kit itself, or a language model."""

    EXTRACTIVE = "extractive"
    LLM = "llm"


def claim_text(claim: Claim) -> str:
    """A claim with its citation markers, e.g. "Russia fired 18 missiles. [1][2]"."""
    return f"{claim.text} {''.join(f'[{k}]' for k in claim.keys)}".strip()


def support_counts(claims: list[Claim], failed: list[Citation] | None = None) -> dict[str, int]:
    """Claims per verdict, and citations that failed the quote check: the numbers every surface prints."""
    counts = {s.value: sum(c.support is s for c in claims) for s in Support}
    counts["failed_citations"] = len(failed or [])
    return counts
