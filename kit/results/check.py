"""A text checked against the store (`kit check`): each sentence a claim with its best quote."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kit.results.claims import ClaimsResult, all_citations, claim_from_dict
from kit.text import plural
from kit.types import CheckedClaim, Citation, Mode, Provenance, support_counts


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
