"""A theme: stories of a large corpus that belong under one heading ("natural disasters" above
"Haiti earthquake" and "Chile earthquake"). Plain data with its JSON form; found by
`kit.topics.themes`, carried by each of its stories (`kit.results.Topic.theme`), rendered by
`kit.report`. A story that shares no theme with another has none; this module computes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from kit.text import plural


@dataclass(frozen=True)
class Theme:
    """Two or more stories (by topic number) under a label their documents share, with its size in
    documents (what a reader counts) and its keywords as the texts write them."""

    number: int
    label: str
    keywords: tuple[str, ...]
    stories: tuple[int, ...]  # topic numbers, largest story first
    documents: int

    @property
    def size(self) -> str:
        return f"{plural(len(self.stories), 'story', 'stories')}, {plural(self.documents, 'document')}"

    def to_dict(self) -> dict[str, object]:
        return {"number": self.number, "label": self.label, "keywords": list(self.keywords),
                "stories": list(self.stories), "documents": self.documents}
