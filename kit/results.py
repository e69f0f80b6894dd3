"""What kit's commands return: answers, checked texts, topics and topic summaries, each a list of claims.

One contract flows from here to every surface: claims with verdicts and judged citations, the
shown ones apart from those listed under "not supported by the sources". Text and HTML rendering
live in `kit.report`, the one renderer; the building blocks (Citation, Claim, ...) in `kit.types`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kit.findings import Agreement, Difference, TopicChange
from kit.text import plural
from kit.theme import Theme
from kit.types import (
    CheckedClaim,
    Chunk,
    Citation,
    Claim,
    Hit,
    Mode,
    Provenance,
    Saved,
    Support,
    claim_text,
    support_counts,
)


def all_citations(claims: list[Claim]) -> list[Citation]:
    seen: dict[int, Citation] = {}
    for c in (c for claim in claims for c in claim.citations):
        seen.setdefault(c.key, c)
    return sorted(seen.values(), key=lambda c: c.key)


def claim_from_dict(d: dict[str, Any], by_key: dict[int, Citation]) -> Claim:
    """A claim back from its `to_dict()`, its citation keys looked up in `by_key`."""
    return Claim(d["text"], tuple(by_key[k] for k in d["citations"] if k in by_key), Support(d["support"]),
                 tuple(d["reasons"]))


class ClaimsResult(Saved):
    """What answers and summaries share: their claims, which of them are displayed, and which are
    listed apart under "not supported by the sources"."""

    claims: Sequence[Claim]  # each result holds a list (a checked text's claims carry a score)
    show_unsupported: bool
    mode: Mode
    backend: str
    traces: list[dict[str, object]]  # each chat model call: prompt, model, tokens, seconds
    _KIND = ""  # "answer", "summary"
    _METHOD = ""  # how a model wrote it, e.g. " (map-reduce)"

    @property
    def citations(self) -> list[Citation]:
        """Every verified citation of the shown claims, by key."""
        return all_citations(self.shown)

    def tokens(self) -> dict[str, int]:
        total = {"prompt_tokens": 0, "completion_tokens": 0}
        for t in self.traces:
            for key in total:
                total[key] += int(t.get(key) or 0)  # type: ignore[call-overload]  # int | None
        return total

    @property
    def disclaimer(self) -> str:
        if self.mode is Mode.EXTRACTIVE:
            return f"Extractive {self._KIND}: sentences quoted from the sources, no language model."
        return (f"Written by {self.backend}{self._METHOD}; every quote checked against its source file and every "
                "claim checked against its quotes.")

    def _displayed(self) -> list[Claim]:
        return [c for c in self.claims if c.shown or self.show_unsupported]

    @property
    def shown(self) -> list[Claim]:
        """The claims displayed as the answer or summary (unsupported ones only when asked for, flagged)."""
        return self._displayed()

    @property
    def unsupported(self) -> list[Claim]:
        return [c for c in self.claims if c.support is Support.UNSUPPORTED]

    @property
    def listed_apart(self) -> list[Claim]:
        """Unsupported claims not displayed: listed under "not supported by the sources"."""
        return [c for c in self.unsupported if c not in self.shown]


@dataclass
class Answer(ClaimsResult):
    """Claims that answer a question, each with verified and judged citations, or an honest
    abstention. Unsupported claims are kept apart (`unsupported`) and not shown as the answer
    unless `show_unsupported` is set, in which case they are shown flagged."""

    question: str
    claims: list[Claim]
    mode: Mode
    backend: str
    score: float = 0.0  # retrieval support score of the best passage sentence (extractive mode)
    failed: list[Citation] = field(default_factory=list)  # citations that did not check out, with why
    traces: list[dict[str, object]] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    show_unsupported: bool = False
    _KIND = "answer"
    _TITLE = "Answer"
    provenance: Provenance | None = None
    # Claims the sources support that do not answer the question asked (a model's true aside): listed apart
    off_question: list[Claim] = field(default_factory=list)
    # A chat turn's follow-up: what was typed, and the standalone question or carried terms it was read with
    follow_up: dict[str, object] | None = None
    # A page written to a path -> links from it to the source files (`Kit.file_links`; a PDF's at its page)
    file_links: Callable[[Path | None], Callable[[str], str | None]] | None = field(default=None, repr=False,
                                                                                   compare=False)

    NOT_FOUND = "Not in the documents: the ingested sources do not support an answer to this question."

    @property
    def shown(self) -> list[Claim]:
        """The claims that make up the answer as displayed (none when it abstains)."""
        return [] if self.abstained else self._displayed()

    @property
    def abstained(self) -> bool:
        """No claim is supported, even partly, by the sources: the answer is "not in the documents".
        Partly supported claims are shown, flagged, rather than hidden behind an abstention."""
        return not any(c.shown for c in self.claims)

    @property
    def text(self) -> str:
        """The answer as plain text with [n] markers, or the "not in the documents" sentence."""
        if self.abstained:
            return self.NOT_FOUND
        return " ".join(claim_text(c) for c in self.shown)

    def to_dict(self) -> dict[str, object]:
        return {
            "question": self.question, "text": self.text, "abstained": self.abstained, "mode": self.mode,
            "backend": self.backend, "disclaimer": self.disclaimer, "score": round(self.score, 4),
            "claims": [c.to_dict() for c in self.claims],
            "citations": [c.to_dict() for c in all_citations([*self.claims, *self.off_question])],
            "counts": support_counts(self.claims, self.failed),
            "failed": [c.to_dict() for c in self.failed],
            "off_question": [c.to_dict() for c in self.off_question],
            "notes": self.notes, "tokens": self.tokens(), "traces": self.traces,
            "provenance": self.provenance.to_dict() if self.provenance else None,
            **({"follow_up": self.follow_up} if self.follow_up else {}),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Answer:
        """An answer back from its `to_dict()` (a saved or recorded one), to render it again."""
        by_key = {c["key"]: Citation.from_dict(c) for c in d["citations"]}
        claims = [claim_from_dict(c, by_key) for c in d["claims"]]
        return cls(d["question"], claims, Mode(d["mode"]), d["backend"], d["score"],
                   [Citation.from_dict(c) for c in d["failed"]], d["traces"], notes=list(d["notes"]),
                   show_unsupported=bool(((d.get("provenance") or {}).get("settings") or {}).get("show_unsupported")),
                   off_question=[claim_from_dict(c, by_key) for c in d.get("off_question", [])],
                   follow_up=d.get("follow_up"))

    def to_markdown(self) -> str:
        from kit.report.markdown import answer_markdown

        return answer_markdown(self)

    def __str__(self) -> str:
        from kit.report.text import answer_text

        return answer_text(self)

    def __repr__(self) -> str:
        counts = support_counts(self.claims, self.failed)
        state = "abstained" if self.abstained else f"{plural(len(self.shown), 'claim')} shown"
        return (f"Answer({self.question!r}: {state}, {counts['supported']} supported, {counts['partial']} partial, "
                f"{counts['unsupported']} unsupported, {plural(len(self.citations), 'citation')}, "
                f"mode={self.mode.value})")

    def page(self, out: Path | None = None) -> str:
        """A self-contained page headed by the provenance, each source linked relative to `out`."""
        from kit.report.html import answer_html, page

        links = self.file_links(out) if self.file_links else None
        return page(self._TITLE, self.provenance, answer_html(self, links=links))

    def _repr_html_(self) -> str:
        from kit.report.html import answer_html

        return answer_html(self)


@dataclass
class CheckResult(ClaimsResult):
    """A text checked against the store (`kit check`): each sentence a claim with the verified
    quote that backs it best, its verdict and its score. Every claim is displayed, unsupported
    ones flagged: the text is the user's, nothing of it is listed apart."""

    text: str
    claims: list[CheckedClaim]
    files: list[str] = field(default_factory=list)  # the stored files evidence came from (empty: all)
    failed: list[Citation] = field(default_factory=list)  # citations that did not check out, with why
    notes: list[str] = field(default_factory=list)
    provenance: Provenance | None = None
    traces: list[dict[str, object]] = field(default_factory=list)
    judged_by: str = ""  # the chat model that also checked the shown sentences (setting `judge`); "": none
    mode: Mode = Mode.EXTRACTIVE
    backend: str = "check"
    show_unsupported: bool = True
    _TITLE = "Check"

    @property
    def disclaimer(self) -> str:
        within = f" (only {len(self.files)} file{'s' if len(self.files) > 1 else ''})" if self.files else ""
        model = f"{self.judged_by} also judged the supported sentences" if self.judged_by else "no language model"
        return (f"Checked against the ingested sources{within}: each sentence with its best passage sentence, "
                f"the quote verified at its span in the file; {model}.")

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text, "files": self.files, "disclaimer": self.disclaimer,
            "claims": [c.to_dict() for c in self.claims],
            "citations": [c.to_dict() for c in all_citations(list(self.claims))],
            "counts": support_counts(list(self.claims), self.failed),
            "failed": [c.to_dict() for c in self.failed], "notes": self.notes, "judged_by": self.judged_by,
            "tokens": self.tokens(), "traces": self.traces,
            "provenance": self.provenance.to_dict() if self.provenance else None,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CheckResult:
        """A checked text back from its `to_dict()` (a saved or recorded one), to render it again."""
        by_key = {c["key"]: Citation.from_dict(c) for c in d["citations"]}
        claims = [CheckedClaim(**vars(claim_from_dict(c, by_key)), score=float(c["score"])) for c in d["claims"]]
        return cls(d["text"], claims, list(d["files"]), [Citation.from_dict(c) for c in d["failed"]], list(d["notes"]),
                   traces=list(d.get("traces", [])), judged_by=str(d.get("judged_by", "")))

    def to_markdown(self) -> str:
        from kit.report.markdown import check_markdown

        return check_markdown(self)

    def __str__(self) -> str:
        from kit.report.text import check_text

        return check_text(self)

    def __repr__(self) -> str:
        n = support_counts(list(self.claims), self.failed)
        return (f"CheckResult({plural(len(self.claims), 'sentence')}: {n['supported']} supported, "
                f"{n['partial']} partial, "
                f"{n['unsupported']} unsupported, {plural(len(self.citations), 'citation')})")

    def _repr_html_(self) -> str:
        from kit.report.html import check_html

        return check_html(self)


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
