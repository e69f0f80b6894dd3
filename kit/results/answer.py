"""An answer to a question: claims with verified and judged citations, or an honest abstention."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kit.results.claims import ClaimsResult, all_citations, claim_from_dict
from kit.text import plural
from kit.types import Citation, Claim, Hit, Mode, Provenance, claim_text, support_counts


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
