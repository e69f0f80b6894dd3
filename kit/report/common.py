"""What every format of the renderer shares: visible text, file names, verdict words, citation lines."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

from kit.location import shown
from kit.results import Topic
from kit.types import (
    Citation,
    Claim,
    Support,
    claim_text,
    support_counts,
)

Links = Callable[[str], str | None]  # a source path -> an href for it (None: no link)

VERDICT = {Support.SUPPORTED: "supported", Support.PARTIAL: "partial", Support.UNSUPPORTED: "NOT SUPPORTED"}
FLAG = {Support.PARTIAL: "partly supported", Support.UNSUPPORTED: "NOT SUPPORTED"}


def visible(text: str, keep: str = "\n\t") -> str:
    """`text` with control and bidi-override characters escaped as a file name is (`\\u202e`): a
    quote must not reorder or hide what is printed around it. Characters in `keep` stay as they are."""
    return "".join(shown(ch) if _hidden(ch, keep) else ch for ch in text)


def size(t: Topic) -> str:
    """A topic's size in documents (what a reader counts) and in chunks."""
    docs = len(t.documents or t.coverage)
    return f"{docs} document{'s' * (docs != 1)}, {len(t.chunks)} chunks"


def name(path: str) -> str:
    """A file name for display, on one line: control, format and separator characters escaped."""
    return shown(path)


def _hidden(ch: str, keep: str) -> bool:
    return ch not in keep and unicodedata.category(ch) in ("Cc", "Cf") and ch != "\u00ad"


def one_line(text: str, limit: int | None = None) -> str:
    text = visible(" ".join(text.split()))
    return text if limit is None or len(text) <= limit else text[:limit - 1] + "…"


def flagged(claim: Claim) -> str:
    """A claim with its markers and, unless supported, a visible flag."""
    flag = FLAG.get(claim.support)
    return f"{visible(claim_text(claim))}" + (f" ({flag}: {'; '.join(claim.reasons)})" if flag else "")


def counts_line(claims: list[Claim], failed: Sequence[Citation] = ()) -> str:
    n = support_counts(claims, list(failed))
    line = f"claims: {n['supported']} supported, {n['partial']} partial, {n['unsupported']} not supported"
    return line + (f"; {n['failed_citations']} citations failed their check" if failed else "")


def place(c: Citation) -> str:
    """Where a citation's quote starts beyond its span: " page 3" (PDF), " paragraph 12" (DOCX), or ""."""
    return f" page {c.page}" if c.page else f" paragraph {c.paragraph}" if c.paragraph else ""


def fragment(c: Citation) -> str:
    """What a link to the cited file ends with: "#page=3" opens a PDF at its page (PDF open parameters)."""
    return f"#page={c.page}" if c.page else ""


def fetched(url: str | None) -> str:
    """" from https://..." after a web page snapshot's name, or "" for any other file."""
    return f" from {shown(url)}" if url else ""


def citation_line(c: Citation) -> str:
    support = f", {c.support.value}" if c.support else ""
    return (f"[{c.key}] {name(c.path)}{fetched(c.url)}{place(c)} [{c.start}:{c.end}] {c.section}, "
            f"quote {c.check.value}{support}: "
            f"\"{one_line(c.quote)}\"")


def change_note(t: Topic) -> str:
    """" (new since the last run)" and the like, or "" when there was no last run to compare with."""
    return f" ({t.change.value} since the last run)" if t.change is not None else ""
