"""Answers, checks, summaries, hits and topics as HTML, and self-contained report pages."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from kit.findings import Agreement
from kit.report.common import (
    FLAG,
    VERDICT,
    Links,
    by_source,
    change_note,
    counts_line,
    eval_totals,
    facts,
    fetched,
    fragment,
    gold_rank,
    mark,
    name,
    one_line,
    place,
    size,
    themes_of,
    visible,
)
from kit.results import Answer, CheckResult, Topic, TopicSummary
from kit.text import plural
from kit.types import (
    CheckedClaim,
    Citation,
    Claim,
    Hit,
    IngestReport,
    IssueKind,
    Provenance,
)

_STYLE = ("<style>.kit-cite{background:#eef;border-radius:3px;padding:0 2px;text-decoration:none}"
          ".kit-src{color:#555;font-size:90%}.kit-q mark{background:#ffeb99}"
          ".kit-label{color:#666;font-style:italic}.kit-partial{color:#8a5a00}.kit-unsupported{color:#a00}"
          ".kit-cites{list-style:none;padding-left:0;border-top:1px solid #ddd;margin-top:1em}"
          ".kit-section{margin-top:1.2em}.kit-abstain{border-left:4px solid #bbb;padding-left:.6em}</style>")
# A checked text shows every sentence, coloured by its verdict.
_CHECK_STYLE = ("<style>.kit-check .kit-supported{background:#e3f4e6}.kit-check .kit-partial{background:#fff1c2}"
                ".kit-check .kit-unsupported{background:#fbdcdc}.kit-check span[title]{cursor:help}</style>")

def _e(text: str) -> str:
    return html.escape(visible(text))


def _n(path: str) -> str:
    return html.escape(name(path))


def _href(path: str, links: Links | None) -> str | None:
    """The escaped link to a source file, or None: only http, https, a relative path (`Kit.file_links`
    percent-encodes names, so a file named "javascript:..." is a path) or a file:/// URL of this machine
    (`report_links = "absolute"`), as a browser would read it. A file URL with a host is no link: on Windows
    it opens a network share, sending the reader's credentials."""
    href = (links(path) if links else None) or ""
    probe = re.sub(r"[\t\n\r]", "", href).lstrip("".join(map(chr, range(33))))  # what browsers skip
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", probe)
    safe = not scheme or scheme[1].lower() in ("http", "https") or re.match(r"file:///(?![/\\])", probe, re.I)
    return html.escape(href, quote=True) if href and safe else None


def _marker(c: Citation, prefix: str) -> str:
    tip = _e(f'{c.path} [{c.start}:{c.end}]: "{" ".join(c.quote.split())}"')
    return f"<a class='kit-cite' href='#{prefix}c{c.key}' title=\"{tip}\">[{c.key}]</a>"


def _claim_html(claim: Claim, prefix: str) -> str:
    flag = FLAG.get(claim.support)
    css = f" class='kit-{claim.support.value}'" if flag else ""
    note = f" <small>({flag}: {_e('; '.join(claim.reasons))})</small>" if flag else ""
    return f"<span{css}>{_e(claim.text)}</span> " + "".join(_marker(c, prefix) for c in claim.citations) + note


def citation_html(c: Citation, prefix: str = "", context: str | None = None, links: Links | None = None) -> str:
    """One citation: its anchor, source (linked to the file when possible), span, both checks,
    and the quote highlighted inside its context."""
    quote = _e(c.quote)
    body = f"<mark>{quote}</mark>"
    if context is not None and c.quote in context:
        before, _, after = context.partition(c.quote)
        body = f"…{_e(before[-200:])}<mark>{quote}</mark>{_e(after[:200])}…"
    href = _href(c.path, links)
    source = f"<a href='{href}{fragment(c)}'>{_n(c.path)}</a>" if href else _n(c.path)
    source += f" from <a href='{_e(c.url)}'>{_e(c.url)}</a>" if c.url and _web(c.url) else ""
    support = f", {c.support.value}" if c.support else ""
    return (f"<li id='{prefix}c{c.key}'><b>[{c.key}]</b> <span class='kit-src'>{source}{_e(place(c))} "
            f"[{c.start}:{c.end}] "
            f"{_e(c.section)}, quote {c.check.value}{support}</span><div class='kit-q'>{body}</div></li>")


def _unsupported_html(claims: list[Claim], heading: str = "Not supported by the sources") -> str:
    if not claims:
        return ""
    items = "".join(f"<li>“{_e(c.text)}” — {_e('; '.join(c.reasons))}</li>" for c in claims)
    return f"<div class='kit-section'><h4>{_e(heading)} ({len(claims)})</h4><ul>{items}</ul></div>"


def _web(url: str) -> bool:
    """Only an http(s) URL becomes a link (a saved answer could carry "javascript:..." as its url)."""
    return url.lower().startswith(("http://", "https://"))


def hit_html(hit: Hit) -> str:
    c = hit.chunk
    head = f"<b>{_n(c.path)}</b>{_e(fetched(hit.url))} [{c.start}:{c.end}] <i>{_e(c.section)}</i> score {hit.score:.4f}"
    return f"<div style='margin:4px 0'>{head}<blockquote>{_e(c.text)}</blockquote></div>"


def ingest_html(report: IngestReport) -> str:
    """An ingest's counts as a small table, then its skipped files, errors and notes."""
    counts = {"files": report.files, "chunks": report.chunks, "added": report.added,
              "unchanged files": report.unchanged_files, "removed": report.removed,
              **{k.value: report.count(k) for k in IssueKind}}
    head = "".join(f"<th style='text-align:right'>{_e(k)}</th>" for k in counts)
    row = "".join(f"<td style='text-align:right'>{v}</td>" for v in counts.values())
    issues = "".join(f"<li><b>{_e(i.kind.value)}</b> {_n(i.path)}: {_e(one_line(i.reason))}</li>"
                     for i in report.issues)
    return (f"<div><b>ingest {_n(report.source)}</b> ({report.seconds:.1f} s)<table><tr>{head}</tr><tr>{row}</tr>"
            f"</table>{f'<ul>{issues}</ul>' if issues else ''}</div>")


def answer_html(answer: Answer, links: Links | None = None) -> str:
    prefix = "a-"
    if answer.shown:
        body = "<p>" + " ".join(_claim_html(c, prefix) for c in answer.shown) + "</p>"
    else:
        body = f"<p class='kit-abstain'><b>{_e(answer.NOT_FOUND)}</b></p>"
    chunks = [h.chunk for h in answer.hits]
    items = "".join(citation_html(c, prefix, _context(c, chunks), links) for c in answer.citations)
    notes = "".join(f"<p class='kit-label'>Note: {_e(n)}</p>" for n in answer.notes)
    cites = f"<h4>Sources</h4><ol class='kit-cites'>{items}</ol>" if items else ""
    return (f"{_STYLE}<div><p><b>Q:</b> {_e(answer.question)}</p>{body}"
            f"<p class='kit-label'>{_e(answer.disclaimer)}</p>{notes}{cites}"
            f"{_unsupported_html(answer.listed_apart)}"
            f"{_unsupported_html(answer.off_question, 'Supported, but not an answer to the question')}"
            f"<p class='kit-label'>{_e(counts_line(answer.claims, answer.failed))}</p></div>")


def check_html(result: CheckResult, links: Links | None = None) -> str:
    """A checked text: every sentence highlighted by its verdict, its score, quote and source on
    hover, markers linking to the citation list; then the counts."""
    prefix = "k-"
    body = " ".join(_checked_html(c, prefix) for c in result.claims)
    items = "".join(citation_html(c, prefix, links=links) for c in result.citations)
    notes = "".join(f"<p class='kit-label'>Note: {_e(n)}</p>" for n in result.notes)
    cites = f"<div class='kit-section'><h4>Sources</h4><ol class='kit-cites'>{items}</ol></div>" if items else ""
    return (f"{_STYLE}{_CHECK_STYLE}<div class='kit-check'><p>{body}</p>"
            f"<p class='kit-label'>{_e(result.disclaimer)}</p>{notes}{cites}"
            f"<p class='kit-label'>{_e(counts_line(list(result.claims), result.failed))}</p></div>")


def _checked_html(claim: CheckedClaim, prefix: str) -> str:
    evidence = [f'{c.path} [{c.start}:{c.end}]: "{" ".join(c.quote.split())}"' for c in claim.citations]
    tip = "; ".join([f"{VERDICT[claim.support]}, score {claim.score:.2f}", *evidence, *claim.reasons])
    return (f"<span class='kit-{claim.support.value}' title=\"{_e(tip)}\">{_e(claim.text)}</span>"
            + "".join(_marker(c, prefix) for c in claim.citations))


def check_page(result: CheckResult, title: str = "Check", links: Links | None = None) -> str:
    """A checked text as a self-contained page, headed by what it was checked against."""
    return page(title, result.provenance, check_html(result, links))


def _context(c: Citation, chunks: Sequence[object]) -> str | None:
    for ch in chunks:
        if getattr(ch, "path", None) == c.path and ch.start <= c.start < ch.end:  # type: ignore[attr-defined]
            return str(ch.text)  # type: ignore[attr-defined]
    return None


def topic_html(t: Topic) -> str:
    files = ", ".join(f"{_n(p)} ({n})" for p, n in t.coverage.items())
    return (f"<div><b>Topic {t.number}: {_e(t.title)}</b> — {_e(size(t))}"
            f"<br><i>{_e(', '.join(t.keywords))}</i><br>sources: {files}</div>")


def summary_html(summary: TopicSummary, links: Links | None = None) -> str:
    """A topic summary: claims with linked markers, then the citation list, what the sources
    agree and differ on, and unsupported claims, each in its own section."""
    t = summary.topic
    prefix = f"t{t.number}-"
    if summary.found and summary.shown:
        body = "<p>" + " ".join(_claim_html(c, prefix) for c in summary.shown) + "</p>"
    else:
        body = f"<p class='kit-abstain'><b>{_e(summary.empty)}</b></p>"
    coverage = ", ".join(f"{_n(p)} ({plural(n, 'chunk')})" for p, n in t.coverage.items())
    about = (f"<p class='kit-src'>keywords: {_e(', '.join(t.keywords))}<br>sources: {coverage}</p>"
             if t.chunks else "")  # a named topic no passage is about has neither
    items = "".join(citation_html(c, prefix, links=links) for c in summary.citations)
    notes = "".join(f"<p class='kit-label'>Note: {_e(n)}</p>" for n in summary.notes)
    theme = f"<p class='kit-label'>Theme {t.theme.number}: {_e(t.theme.label)}</p>" if t.theme else ""
    return (f"{_STYLE}<section><h3 id='topic-{t.number}'>Topic {t.number}: {_e(t.title)}{_e(change_note(t))}</h3>"
            f"{theme}{about}{body}<p class='kit-label'>{_e(summary.disclaimer)}</p>{notes}"
            + (f"<div class='kit-section'><h4>Citations</h4><ol class='kit-cites'>{items}</ol></div>" if items else "")
            + _unsupported_html(summary.listed_apart)
            + _agreements_html(summary, links) + _differences_html(summary, links)
            + f"<p class='kit-label'>{_e(counts_line(summary.claims))}</p></section>")


def _source_html(c: Citation, links: Links | None) -> str:
    href = _href(c.path, links)
    label = f"{_n(c.path)}{_e(place(c))} [{c.start}:{c.end}]"
    return f"<a class='kit-src' href='{href}{fragment(c)}'>{label}</a>" if href else \
        f"<span class='kit-src'>{label}</span>"


def _agreements_html(summary: TopicSummary, links: Links | None) -> str:
    if not summary.agreements:
        return ""
    items = "".join(_agreement_html(a, links) for a in summary.agreements)
    return f"<div class='kit-section'><h4>Sources agree</h4><ul>{items}</ul></div>"


def _agreement_html(a: Agreement, links: Links | None) -> str:
    """As in Markdown: a shared figure with each source's own sentence, or a near-identical statement."""
    if a.fact is not None:
        return f"<li>{_e(a.fact)}: " + "; ".join(f"“{_e(c.quote)}” ({_source_html(c, links)})" for c in a.citations) \
            + "</li>"
    return f"<li>“{_e(a.statement)}” — stated by " + "; ".join(_source_html(c, links) for c in a.citations) + "</li>"


def _differences_html(summary: TopicSummary, links: Links | None) -> str:
    if not summary.differences:
        return ""
    items = "".join("<li>" + _e(d.subject) + ": " + "; ".join(
        f"{_e(text)} ({_source_html(c, links)})" for text, c in d.versions) + "</li>" for d in summary.differences)
    return f"<div class='kit-section'><h4>Sources differ</h4><ul>{items}</ul></div>"


def report_html(summaries: list[TopicSummary], provenance: Provenance | None = None,
                title: str = "Topic report", links: Links | None = None) -> str:
    """A self-contained page: no external scripts, styles or fonts."""
    return page(title, provenance, _toc(summaries) + "".join(summary_html(s, links) for s in summaries))


def _toc(summaries: Sequence[TopicSummary]) -> str:
    """The topics, linked; on a corpus with themes, nested under their themes."""
    def item(t: Topic) -> str:
        return f"<li><a href='#topic-{t.number}'>{_e(t.title)}</a></li>"

    topics = [s.topic for s in summaries]
    themes = themes_of(topics)
    nested = "".join(f"<li>Theme {th.number}: {_e(th.label)} ({_e(th.size)})<ol>{''.join(map(item, stories))}</ol></li>"
                     for th, stories in themes)
    return f"<ol>{nested}{''.join(item(t) for t in topics if t.theme is None or not themes)}</ol>"


def page(title: str, provenance: Provenance | None, body: str) -> str:
    """A self-contained page (no external scripts, styles or fonts) headed by its provenance."""
    p = provenance
    items = [f"Corpus: {', '.join(f'<code>{_n(s)}</code>' for s in p.sources) or '(unknown)'}",
             f"Created: {_e(p.created)}", f"kit {_e(p.kit_version)}",
             "Settings: " + _e(", ".join(f"{k}={v}" for k, v in p.settings.items()))] if p else []
    header = "".join(f"<li>{item}</li>" for item in items)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{_e(title)}</title>"
            f"<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.45}}"
            f"section{{border-top:2px solid #ccc;margin-top:2em}}</style>"
            f"</head><body><h1>{_e(title)}</h1><ul class='kit-src'>{header}</ul>{body}</body></html>")


def _table(columns: Sequence[str], rows: Sequence[Sequence[str]], caption: str = "") -> str:
    """A table of cells already escaped (or markup made here), under escaped column names."""
    head = "".join(f"<th style='text-align:left'>{_e(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td style='text-align:left'>{cell}</td>" for cell in row) + "</tr>"
                   for row in rows)
    cap = f"<caption style='text-align:left'>{caption}</caption>" if caption else ""
    return f"<table class='kit-table'>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def topics_html(topics: Sequence[Topic]) -> str:
    """One row per topic: number, title (and its change since the last run), size, keywords,
    sources; on a corpus with themes, a table per theme under its label, then the stories alone."""
    themes = themes_of(topics)
    if not themes:
        return _topic_table(topics, plural(len(topics), "topic"))
    alone = [t for t in topics if t.theme is None]
    return "".join(f"<h4>Theme {th.number}: {_e(th.label)} ({_e(th.size)})</h4>"
                   f"<p class='kit-src'>{_e(', '.join(th.keywords))}</p>" + _topic_table(stories, "")
                   for th, stories in themes) + (
        f"<h4>On their own</h4>{_topic_table(alone, plural(len(alone), 'story', 'stories'))}" if alone else "")


def _topic_table(topics: Sequence[Topic], caption: str) -> str:
    rows = [(str(t.number), _e(t.title + change_note(t)), _e(size(t)), _e(", ".join(t.keywords)),
             ", ".join(f"{_n(p)} ({n})" for p, n in t.coverage.items())) for t in topics]
    return _table(("topic", "title", "size", "keywords", "sources (chunks)"), rows, caption)


def summaries_html(summaries: Sequence[TopicSummary]) -> str:
    """A row per summary (claims by verdict, citations, mode), then each summary as `summary_html` shows it."""
    rows = []
    for s in summaries:
        n = {v: sum(c.support.value == v for c in s.claims) for v in ("supported", "partial", "unsupported")}
        title = f"<a href='#topic-{s.topic.number}'>{_e(s.topic.title)}</a>"
        rows.append((str(s.topic.number), title, str(len(s.shown)), str(n["supported"]), str(n["partial"]),
                     str(n["unsupported"]), str(len(s.citations)), _e(s.mode.value)))
    columns = ("topic", "title", "shown", "supported", "partial", "not supported", "citations", "mode")
    table = _table(columns, rows, plural(len(rows), "topic summary"))
    return f"<div>{table}{''.join(summary_html(s) for s in summaries)}</div>"


def listing_html(listing: dict[str, Any]) -> str:
    """A store's sources and files (`kit files`), from `Listing.to_dict()`: a table per source, a row
    per file with its chunks, the start of its sha256 and when it was ingested."""
    files = listing["files"]
    head = (f"<p><b>store</b> <code>{_n(listing['store'])}</code>: generation {listing['generation']}, "
            f"{plural(len(listing['sources']), 'source')}, {plural(len(files), 'file')}, "
            f"{plural(sum(f['chunks'] for f in files), 'chunk')}</p>")
    notes = "".join(f"<p class='kit-label'>Note: {_e(n)}</p>" for n in listing["notes"])
    tables = []
    urls = {s["name"]: s["url"] for s in listing["sources"] if s.get("url")}
    for source, kind, stored in by_source(listing):
        label = f"{_e(urls[source])} (saved as {_n(source)})" if source in urls else _n(source)
        rows = [(_n(f["path"]), str(f["chunks"]), f"<code title='{_e(f['sha256'])}'>{_e(f['sha256'][:12])}</code>",
                 _e(f["ingested"])) for f in stored]
        caption = (f"<b>{label}{'/' if kind == 'folder' else ''}</b> ({plural(len(stored), 'file')}, "
                   f"{plural(sum(f['chunks'] for f in stored), 'chunk')})")
        tables.append(_table(("file", "chunks", "sha256", "ingested"), rows, caption))
    return f"{_STYLE}<div class='kit-files'>{head}{notes}{''.join(tables)}</div>"


_VERDICT_COLOUR = {"healthy": "#1a7f37", "stale": "#8a5a00"}  # the others (incomplete, damaged, unchecked): red


def checkup_html(checkup: dict[str, Any]) -> str:
    """What `kit doctor` found, from `Checkup.to_dict()`: the verdict, facts, each source's files by
    status, problems, what a repair fixed and what it did."""
    verdict = checkup["verdict"]
    colour = _VERDICT_COLOUR.get(verdict, "#a00")
    rows = [(_e(k), _e(str(v))) for k, v in facts(checkup).items()] + [
        (f"source {_n(source)}", _e(", ".join(f"{n} {status}" for status, n in counts.items())))
        for source, counts in checkup["sources"].items()]
    lists = "".join(
        f"<h4>{label} ({len(items)})</h4><ul>" + "".join(f"<li>{_e(text)}</li>" for text in items) + "</ul>"
        for label, items in (("Problems", [p["text"] for p in checkup["problems"]]),
                             ("Fixed", [p["text"] for p in checkup["fixed"]]), ("Done", checkup["actions"]))
        if items)
    return (f"<div class='kit-doctor'><p><b>store is <span style='color:{colour}'>{_e(verdict)}</span></b></p>"
            f"{_table(('fact', 'value'), rows)}{lists}</div>")


def eval_html(report: dict[str, Any]) -> str:
    """An evaluation, from `QAReport.to_dict()`: a row per question (gold rank, right, cites gold,
    abstained; n/a where the QA file gives nothing to judge by), then the totals."""
    rows = [(str(n), gold_rank(q), mark(q["correct"]), mark(q["cites_gold"]), mark(q["abstained"]),
             _e(one_line(q["question"], 120))) for n, q in enumerate(report["questions"], 1)]
    questions = _table(("#", "gold rank", "right", "cites gold", "abstained", "question"), rows,
                       f"{plural(len(rows), 'question')}")
    totals = _table(("measure", "value"), [(_e(k), _e(v)) for k, v in eval_totals(report).items()])
    return f"<div class='kit-eval'>{questions}{totals}</div>"
