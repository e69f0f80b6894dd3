"""What every format of the renderer shares: visible text, file names, verdict words, citation lines."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kit.errors import InputError
from kit.location import shown
from kit.results import Topic
from kit.text import plural
from kit.theme import Theme
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
    return f"{plural(docs, 'document')}, {plural(len(t.chunks), 'chunk')}"


def themes_of(topics: Sequence[Topic]) -> list[tuple[Theme, list[Topic]]]:
    """Each theme the topics carry, by number, with its stories in the theme's order (largest
    first); empty on a corpus without themes (a few stories, or named topics)."""
    by_number = {t.theme.number: t.theme for t in topics if t.theme is not None}
    stories = {t.number: t for t in topics}
    return [(theme, [stories[n] for n in theme.stories if n in stories])
            for _, theme in sorted(by_number.items())]


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
    return line + (f"; {plural(n['failed_citations'], 'citation')} failed their check" if failed else "")


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


FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".json": "json"}


def format_from(path: str | Path, option: str = "") -> str:
    """The format a file name asks for by its suffix ("md", "html", "json"); for any other an
    `InputError` naming the file, its suffix and the ones kit writes (`option`: the CLI option that gave it)."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        hint = " (or give --format)" if option else ""
        raise InputError(f"{option + ' ' if option else ''}{path}: kit writes .md, .html or .json, not "
                         f"{suffix or 'a file without a suffix'}; name the file with one of these suffixes{hint}")
    return FORMATS[suffix]


def by_source(listing: dict[str, Any]) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """(source, kind, its files) from `Listing.to_dict()`: the sources in order, then any file's
    source the store no longer records."""
    groups: dict[str, list[dict[str, Any]]] = {s["name"]: [] for s in listing["sources"]}
    for f in listing["files"]:
        groups.setdefault(f["source"], []).append(f)
    kinds = {s["name"]: s["kind"] for s in listing["sources"]}
    return [(source, kinds.get(source, ""), files) for source, files in groups.items()]


def facts(checkup: dict[str, Any]) -> dict[str, Any]:
    """The facts of `Checkup.to_dict()` (store, generation, chunks, files...): what is not its verdict or lists."""
    return {k: v for k, v in checkup.items() if k not in ("ok", "verdict", "sources", "problems", "fixed", "actions")}


def mark(value: bool | int | None) -> str:
    """An evaluation cell: yes, no, a number, or n/a where the QA file gives nothing to judge by."""
    return "n/a" if value is None else ("yes" if value is True else "no" if value is False else str(value))


def rounded(value: object) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def eval_totals(report: dict[str, Any]) -> dict[str, str]:
    """An evaluation's totals from `QAReport.to_dict()`, rounded, recall as one line."""
    totals = {key: value for key, value in report.items() if key != "questions"}
    totals["recall_at"] = ", ".join(f"{k} {rounded(v)}" for k, v in totals["recall_at"].items())
    return {key: rounded(value) for key, value in totals.items()}


def gold_rank(q: dict[str, Any]) -> str:
    return "n/a" if q["gold_rank"] is None else (str(q["gold_rank"]) if q["gold_rank"] else "-")
