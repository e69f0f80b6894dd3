"""Topics and their summaries: what `Kit.topics` and `Kit.summarize` return."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from kit.findings import Agreement, Difference, TopicChange
from kit.results.claims import ClaimsResult, all_citations
from kit.text import plural
from kit.theme import Theme
from kit.types import Chunk, Claim, Mode, Provenance, Saved, claim_text, support_counts


@dataclass(frozen=True)
class Topic:
    """A group of chunks about one subject, with a readable label, keywords, its documents
    (most representative first) and, for discovered topics, its change since the last run."""

    number: int
    label: str
    keywords: tuple[str, ...]
    chunks: tuple[Chunk, ...]
    llm_label: str | None = None
    documents: tuple[str, ...] = ()
    change: TopicChange | None = None
    theme: Theme | None = None  # the theme it shares with other stories, on a corpus that has them

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
        return {"number": self.number, "title": self.title, "label": self.label, "llm_label": self.llm_label,
                "keywords": list(self.keywords), "documents": list(self.documents), "chunks": len(self.chunks),
                "coverage": self.coverage, "sections": dict(Counter(c.section for c in self.chunks)),
                "change": self.change, "theme": self.theme.to_dict() if self.theme else None}

    def __repr__(self) -> str:
        return (f"Topic({self.number}: {self.title!r}, {plural(len(self.chunks), 'chunk')}, "
                f"{plural(len(self.coverage), 'file')})")

    def _repr_html_(self) -> str:
        from kit.report.html import topic_html

        return topic_html(self)


@dataclass
class TopicSummary(ClaimsResult):
    """A summary of one topic as claims, each cited and judged like an answer's, with where the
    sources agree and differ. `found` is False for a named topic no passage is about."""

    topic: Topic
    claims: list[Claim]
    mode: Mode
    backend: str
    agreements: list[Agreement] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    traces: list[dict[str, object]] = field(default_factory=list)
    found: bool = True
    show_unsupported: bool = False
    _KIND = "summary"
    _METHOD = " (map-reduce)"
    _TITLE = "Topic summary"

    NOT_FOUND = "Not in the documents: no ingested passage is about this topic."
    NO_CLAIMS = "Not in the documents: no sentence of this topic's sources could be cited and checked (see the notes)."

    @property
    def empty(self) -> str:
        """What stands in for the summary when no claim is shown: no passage is about the topic,
        or none of its sentences survived the checks (e.g. its source files changed)."""
        return self.NOT_FOUND if not self.found else self.NO_CLAIMS

    @property
    def text(self) -> str:
        if not self.found or not self.shown:
            return self.empty
        return " ".join(claim_text(c) for c in self.shown)

    def to_dict(self) -> dict[str, object]:
        return {
            "topic": self.topic.to_dict(), "found": self.found, "text": self.text, "mode": self.mode,
            "backend": self.backend, "disclaimer": self.disclaimer,
            "claims": [c.to_dict() for c in self.claims],
            "citations": [c.to_dict() for c in all_citations(self.claims)],
            "counts": support_counts(self.claims),
            "agreements": [a.to_dict() for a in self.agreements],
            "differences": [d.to_dict() for d in self.differences],
            "notes": self.notes, "traces": self.traces,
        }

    def to_markdown(self) -> str:
        from kit.report.markdown import summary_markdown

        return summary_markdown(self)

    def __str__(self) -> str:
        from kit.report.text import summary_text

        return summary_text(self)

    def __repr__(self) -> str:
        counts = support_counts(self.claims)
        return (f"TopicSummary({self.topic.title!r}: {plural(len(self.shown), 'claim')} shown, "
                f"{counts['supported']} supported, "
                f"{counts['partial']} partial, {counts['unsupported']} unsupported, mode={self.mode.value})")

    def _repr_html_(self) -> str:
        from kit.report.html import summary_html

        return summary_html(self)


class Topics(list[Topic], Saved):
    """The topics `Kit.topics` found: a list, shown as a table (number, title, chunks, keywords, sources)."""

    _TITLE = "Topics"

    def to_dict(self) -> list[dict[str, object]]:  # a list, as `kit topics --json`
        return [t.to_dict() for t in self]

    @property
    def themes(self) -> list[Theme]:
        """The themes its stories carry, by number (none on a small corpus or for named topics)."""
        return sorted({t.theme for t in self if t.theme is not None}, key=lambda th: th.number)

    def to_markdown(self) -> str:
        from kit.report.markdown import topics_markdown

        return topics_markdown(self)

    def __str__(self) -> str:
        from kit.report.text import topics_text

        return topics_text(self)

    def __repr__(self) -> str:
        return f"Topics({len(self)}: " + "; ".join(f"{t.number} {t.title!r}" for t in self) + ")"

    def _repr_html_(self) -> str:
        from kit.report.html import topics_html

        return topics_html(self)


class Summaries(list[TopicSummary], Saved):
    """A summary per topic, as `Kit.summarize` returns them: a list that renders as the topic report
    (`kit summarize --out`), with what it was made from and links to the source files."""

    _TITLE = "Topic report"

    def __init__(self, summaries: Iterable[TopicSummary] = (), provenance: Provenance | None = None,
                 file_links: Callable[[Path | None], Callable[[str], str | None]] | None = None) -> None:
        super().__init__(summaries)
        self.provenance = provenance
        self.file_links = file_links  # a report written to a path -> links from it to the source files

    def to_dict(self) -> dict[str, object]:
        return {"provenance": self.provenance.to_dict() if self.provenance else None,
                "summaries": [s.to_dict() for s in self]}

    def to_markdown(self) -> str:
        from kit.report.markdown import report_markdown

        return report_markdown(self, self.provenance)

    def page(self, out: Path | None = None) -> str:
        from kit.report.html import report_html

        return report_html(self, self.provenance, links=self.file_links(out) if self.file_links else None)

    def __str__(self) -> str:
        from kit.report.text import summary_text

        return "\n\n".join(summary_text(s) for s in self)

    def __repr__(self) -> str:
        n = support_counts([c for s in self for c in s.claims])
        shown = plural(sum(len(s.shown) for s in self), "claim")
        return (f"Summaries({plural(len(self), 'topic')}: {shown} shown, {n['supported']} "
                f"supported, {n['partial']} partial, {n['unsupported']} unsupported)")

    def _repr_html_(self) -> str:
        from kit.report.html import summaries_html

        return summaries_html(self)
