"""Notebook support: tables, a topic map and source views that notebooks show in one call.

It reads a folder the way ingest does (`kit.corpus.files`) and reports what the cleaner kept and
removed, how the chunks are sized, which topics there are, and where the topics sit in a 2-D
projection (PCA) of the chunk embeddings, drawn with matplotlib's Agg canvas into a PNG. It
also shows a citation's span read straight from its source file. Results are small objects
that render as HTML or PNG in Jupyter and hold plain rows (`Table.records()`) elsewhere.
It does not ingest, embed, cluster or change a store, needs no pandas, and never touches
pyplot's global state, so it works the same in a kernel, a test or a headless CI job. `ask_box`
is the one interactive piece: a question box whose answers show as `Answer` HTML (ipywidgets).
"""

from __future__ import annotations

import html
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from kit.config import Settings
from kit.corpus.chunking import chunk_document
from kit.corpus.files import UnreadableFile, read_document, scan
from kit.corpus.sources import SourceReader
from kit.errors import KitError, MissingExtraError
from kit.results import Topic, TopicSummary
from kit.text import plural
from kit.types import SECTIONS, Chunk, Citation, Document, support_counts

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from kit.api import Kit

_NO_TOPIC = 0  # topic number of chunks no topic holds (too short to cluster)


@dataclass(frozen=True)
class Table:
    """Rows of plain values under named columns; an HTML table in Jupyter, text in print()."""

    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    caption: str = ""

    def __len__(self) -> int:
        return len(self.rows)

    def records(self) -> list[dict[str, object]]:
        """The rows as dicts keyed by column name."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def column(self, name: str) -> list[object]:
        i = self.columns.index(name)
        return [row[i] for row in self.rows]

    def _repr_html_(self) -> str:
        head = "".join(f"<th style='text-align:left'>{html.escape(c)}</th>" for c in self.columns)
        body = "".join("<tr>" + "".join(f"<td style='text-align:left'>{html.escape(_cell(v))}</td>" for v in row)
                       + "</tr>" for row in self.rows)
        caption = f"<caption style='text-align:left'>{html.escape(self.caption)}</caption>" if self.caption else ""
        return f"<table class='kit-table'>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def __str__(self) -> str:
        cells = [list(self.columns)] + [[_cell(v) for v in row] for row in self.rows]
        widths = [max(len(r[i]) for r in cells) for i in range(len(self.columns))]
        lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
        return "\n".join(([self.caption] if self.caption else []) + lines)


def _cell(value: object) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class Html:
    """A piece of HTML that Jupyter renders as is."""

    html: str

    def _repr_html_(self) -> str:
        return self.html


def _read_all(folder: str | Path, settings: Settings) -> list[tuple[str, Document | None, str]]:
    """(file, document or None, note) for every file ingest would look at, in ingest order."""
    found = scan(Path(folder), settings)
    out: list[tuple[str, Document | None, str]] = [(i.path, None, i.reason) for i in found.issues]
    for cand in found.candidates:
        try:
            doc, notes = read_document(cand, settings)
            out.append((cand.rel, doc, "; ".join(notes)))
        except UnreadableFile as exc:
            out.append((cand.rel, None, str(exc)))
    return sorted(out, key=lambda r: r[0])


def documents_table(folder: str | Path, settings: Settings | None = None) -> Table:
    """Per file: raw and kept characters, removed lines, kept lines per section, chunks."""
    settings = settings or Settings.load()
    rows = []
    for rel, doc, note in _read_all(folder, settings):
        if doc is None:
            rows.append((rel, "", 0, 0, 0.0, 0, "", 0, note))
            continue
        kept = sum(s.end - s.start for s in doc.spans)
        sections = Counter(s.section for s in doc.spans)
        chunks = chunk_document(doc, settings.chunk_size, settings.chunk_overlap)
        rows.append((rel, doc.encoding, len(doc.raw_text), kept, 100.0 * kept / max(len(doc.raw_text), 1),
                     len(doc.removed), ", ".join(f"{s} {sections[s]}" for s in SECTIONS if sections[s]),
                     len(chunks), note))
    columns = ("file", "encoding", "raw chars", "kept chars", "kept %", "removed lines", "kept lines by section",
               "chunks", "note")
    return Table(columns, tuple(rows), f"{plural(len(rows), 'file')} in {folder}")


def removed_table(folder: str | Path, settings: Settings | None = None, width: int = 100) -> Table:
    """Every line the cleaner removed: file, raw span, reason, and the line (cut to `width`)."""
    settings = settings or Settings.load()
    rows = [(rel, "[{}:{}]".format(*doc.raw_span(r.start, r.end)), r.reason, _shorten(r.text, width))
            for rel, doc, _ in _read_all(folder, settings) if doc is not None for r in doc.removed]
    return Table(("file", "span", "reason", "removed text"), tuple(rows), f"{len(rows)} lines removed by cleaning")


def removal_reasons(folder: str | Path, settings: Settings | None = None, width: int = 80) -> Table:
    """Removed lines grouped by reason: how many, in how many files, and one example."""
    settings = settings or Settings.load()
    by_reason: dict[str, list[tuple[str, str]]] = {}
    for rel, doc, _ in _read_all(folder, settings):
        for r in doc.removed if doc is not None else ():
            by_reason.setdefault(r.reason, []).append((rel, r.text))
    rows = [(reason, len(hits), len({f for f, _ in hits}), _shorten(hits[0][1], width))
            for reason, hits in sorted(by_reason.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    return Table(("reason", "lines", "files", "example"), tuple(rows), "what cleaning removed, by reason")


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def chunk_stats(chunks: Sequence[Chunk]) -> Table:
    """Chunk counts and lengths (characters) per file and over all files, with sections."""
    by_file: dict[str, list[Chunk]] = {}
    for c in chunks:
        by_file.setdefault(c.path, []).append(c)
    rows = [_stats_row(path, group) for path, group in sorted(by_file.items())]
    if chunks:
        rows.append(_stats_row("(all files)", list(chunks)))
    columns = ("file", "chunks", "min chars", "median chars", "max chars", "total chars", *SECTIONS)
    return Table(columns, tuple(rows), f"{plural(len(chunks), 'chunk')} in {plural(len(by_file), 'file')}")


def _stats_row(name: str, group: list[Chunk]) -> tuple[object, ...]:
    sizes = [len(c.text) for c in group]
    sections = Counter(c.section for c in group)
    return (name, len(group), min(sizes), int(statistics.median(sizes)), max(sizes), sum(sizes),
            *(sections[s] for s in SECTIONS))


def topics_table(topics: Sequence[Topic]) -> Table:
    """One row per topic: number, label, size, keywords and the files it draws on."""
    rows = [(t.number, t.title, len(t.documents or t.coverage), len(t.chunks), ", ".join(t.keywords),
             ", ".join(f"{p} ({n})" for p, n in t.coverage.items())) for t in topics]
    return Table(("topic", "title", "documents", "chunks", "keywords", "sources (chunks)"), tuple(rows),
                 f"{plural(len(rows), 'topic')}")


def summaries_table(summaries: Sequence[TopicSummary]) -> Table:
    """One row per topic summary: claims by verdict, citations, files cited of files covered,
    agreements, differences."""
    rows = []
    for s in summaries:
        cited = {c.path for c in s.citations}
        n = support_counts(s.claims)
        rows.append((s.topic.number, s.topic.title, n["supported"], n["partial"], n["unsupported"], len(s.citations),
                     f"{len(cited)} of {len(s.topic.coverage)}", len(s.agreements), len(s.differences), s.mode.value))
    columns = ("topic", "title", "supported", "partial", "not supported", "citations", "files cited", "agreements",
               "differences", "mode")
    return Table(columns, tuple(rows), plural(len(rows), "topic summary"))


def pca_2d(vectors: np.ndarray) -> tuple[np.ndarray, tuple[float, float]]:
    """Rows projected on their first two principal components, and the variance share of each."""
    x = np.asarray(vectors, dtype=np.float64).reshape(len(vectors), -1)
    points = np.zeros((len(x), 2))
    if len(x) < 2:
        return points, (0.0, 0.0)
    centred = x - x.mean(axis=0)
    u, s, _ = np.linalg.svd(centred, full_matrices=False)
    n = min(2, len(s))
    points[:, :n] = u[:, :n] * s[:n]
    total = float((s**2).sum()) or 1.0
    shares = [float(v**2) / total for v in s[:n]] + [0.0] * (2 - n)
    return points, (shares[0], shares[1])


@dataclass(frozen=True, eq=False)
class TopicMap:
    """A 2-D map of the chunks coloured by topic, saved as a PNG; shows as that PNG in Jupyter."""

    path: Path
    points: np.ndarray = field(repr=False)
    topic_numbers: tuple[int, ...] = field(repr=False)  # per chunk; 0 = in no topic
    explained: tuple[float, float]

    def _repr_png_(self) -> bytes:
        return self.path.read_bytes()


def topic_map(chunks: Sequence[Chunk], vectors: np.ndarray, topics: Sequence[Topic], path: str | Path,
              title: str = "Chunks by topic") -> TopicMap:
    """Project the chunk embeddings to 2-D (PCA), colour each chunk by its topic, save a PNG at `path`."""
    points, explained = pca_2d(vectors)
    topic_of = {c.id: t.number for t in topics for c in t.chunks}
    numbers = tuple(topic_of.get(c.id, _NO_TOPIC) for c in chunks)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    _draw(points, numbers, topics, explained, title).savefig(out, format="png")
    return TopicMap(out, points, numbers, explained)


def _draw(points: np.ndarray, numbers: tuple[int, ...], topics: Sequence[Topic],
          explained: tuple[float, float], title: str) -> Figure:
    # The Agg canvas directly, not pyplot: no backend selection, no global figure to close.
    try:
        from matplotlib import colormaps
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise MissingExtraError.needs("the topic map", "notebook") from None

    fig = Figure(figsize=(8, 5.5), dpi=110, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    colours = colormaps["tab10"]
    marks = np.array(numbers, dtype=int)
    for i, t in enumerate(topics):
        xy = points[marks == t.number]
        ax.scatter(xy[:, 0], xy[:, 1], s=46, color=colours(i % 10), alpha=0.8, edgecolors="white",
                   label=f"{t.number}: {_shorten(t.title, 40)} ({len(xy)})")
        if len(xy):
            cx, cy = xy.mean(axis=0)
            ax.annotate(str(t.number), (cx, cy), fontsize=13, weight="bold", ha="center", va="center",
                        bbox={"boxstyle": "circle", "fc": "white", "ec": colours(i % 10)})
    rest = points[marks == _NO_TOPIC]
    if len(rest):
        ax.scatter(rest[:, 0], rest[:, 1], s=30, color="grey", marker="x", label=f"no topic ({len(rest)})")
    ax.set_title(f"{title}: {plural(len(points), 'chunk')}, {plural(len(topics), 'topic')}")
    ax.set_xlabel(f"PC 1 ({explained[0]:.0%} of variance)")
    ax.set_ylabel(f"PC 2 ({explained[1]:.0%} of variance)")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, title="topic (chunks)")
    return fig


def in_source(citations: Sequence[Citation], reader: SourceReader, width: int = 200) -> Html:
    """Each citation's span read from its source file, highlighted inside `width` chars either side.

    Shows that spans point into the raw file: the marked text is `raw[start:end]` (for HTML, the
    page's text there: its markup with tags stripped and references decoded), not the quote.
    """
    items = []
    for c in citations:
        found = reader.context(c.path, c.start, c.end, width)
        head = (f"<b>[{c.key}]</b> <span class='kit-src'>{html.escape(c.path)} [{c.start}:{c.end}] "
                f"{html.escape(c.section)}, quote {html.escape(c.check.value)}</span>")
        if found is None:
            why = "source file not readable" if reader.text(c.path) is None else "the span starts or ends in markup"
            items.append(f"<li>{head}<div>({why})</div></li>")
            continue
        before, span, after = found
        same = "file text at the span equals the quote" if span == c.quote else "file text differs from the quote"
        body = f"…{html.escape(before)}<mark>{html.escape(span)}</mark>{html.escape(after)}…"
        items.append(f"<li>{head} <i>({same})</i><div class='kit-q' style='white-space:pre-wrap'>{body}</div></li>")
    return Html(f"<ol class='kit-in-source' style='list-style:none'>{''.join(items)}</ol>")


def framed(page: str, height: int = 600) -> Html:
    """A whole HTML page inside an iframe, so its page-wide styles leave the notebook alone."""
    return Html(f"<iframe srcdoc=\"{html.escape(page, quote=True)}\" style='width:100%;height:{height}px;"
                f"border:1px solid #ccc'></iframe>")


def ask_box(k: Kit, placeholder: str = "Ask the documents a question") -> Any:
    """A question box for a notebook: a text field and an Ask button over an output area where each
    answer shows as `Answer` HTML (cited claims, hoverable markers) or a mistake as one `kit: error:`
    line. Needs ipywidgets (`pip install 'kit[notebook]'`); returns the widget (a VBox) to display."""
    try:
        import ipywidgets as widgets
    except ImportError:
        raise MissingExtraError.needs("the ask box", "notebook") from None
    question = widgets.Text(placeholder=placeholder, layout=widgets.Layout(width="70%"))
    button = widgets.Button(description="Ask", button_style="primary")
    out = widgets.Output()

    def ask(_button: object = None) -> None:
        try:
            answer = k.ask(question.value)
            data = {"text/html": answer.to_html(), "text/plain": str(answer)}
        except KitError as exc:  # a user's mistake (an empty question, no store): one line, as the CLI says it
            line = f"kit: error: {exc}"
            data = {"text/html": f"<pre class='kit-error'>{html.escape(line)}</pre>", "text/plain": line}
        # The Output widget's own message format, so the answer shows in a kernel and reads back in a test alike.
        out.outputs = ({"output_type": "display_data", "data": data, "metadata": {}},)

    button.on_click(ask)
    return widgets.VBox([widgets.HBox([question, button]), out])
