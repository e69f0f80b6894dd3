"""What the topics stage finds beside a summary: how a topic changed since the last run, and where
sources agree or give different figures. Plain data with its JSON form; rendered by `kit.report`
as part of a topic summary (`kit.results.TopicSummary`)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kit.types import Citation


class TopicChange(StrEnum):
    """How a discovered topic compares with the previous run on the same store."""

    NEW = "new"  # no topic of the last run had these documents
    CHANGED = "changed"  # documents were added, removed or edited since the last run
    UNCHANGED = "unchanged"  # the same documents with the same content


@dataclass(frozen=True)
class Agreement:
    """Two or more sources stating the same thing, each with its verified quote. `fact`: the figure
    they share ("18 cruise missiles", as the first source words it) when that is all they agree on;
    the sentences around it may each say more. None when the sentences themselves are near-identical,
    and `statement` is what they state."""

    statement: str
    citations: tuple[Citation, ...]
    fact: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {"statement": self.statement, "fact": self.fact, "citations": [c.to_dict() for c in self.citations]}


@dataclass(frozen=True)
class Difference:
    """Sources giving different figures for the same subject."""

    subject: str
    versions: tuple[tuple[str, Citation], ...]

    def to_dict(self) -> dict[str, object]:
        return {"subject": self.subject,
                "versions": [{"says": text, "citation": c.to_dict()} for text, c in self.versions]}
