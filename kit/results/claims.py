"""What answers, checked texts and summaries share: a list of claims, which of them are displayed,
and which are listed apart under "not supported by the sources"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kit.types import Citation, Claim, Mode, Saved, Support


def all_citations(claims: list[Claim]) -> list[Citation]:
    """The citations of `claims`, one per key, by key."""
    seen: dict[int, Citation] = {}
    for claim in claims:
        for c in claim.citations:
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
