"""The one renderer: answers, checked texts, summaries, hits and topics as terminal text, Markdown and HTML.

Every surface shows the same contract: claims with their support verdict, citations with
file, span, quote and both checks (quote at its span; quote supports the claim), unsupported
claims listed apart under "Not supported by the sources", and the counts of each. In HTML a
marker links to its quote and a quote links to its file; reports open with a header naming
the corpus, date, kit version and the settings that change results. Control and bidi
characters in quotes and file names are shown escaped, never acted on. JSON is `to_dict()`
on the types. This module computes nothing.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Sequence

from kit.location import shown
from kit.results import Answer, CheckResult, Topic, TopicSummary
from kit.types import (
    CheckedClaim,
    Citation,
    Claim,
    Hit,
    IngestReport,
    IssueKind,
    Provenance,
    Support,
    claim_text,
    support_counts,
)

Links = Callable[[str], str | None]  # a source path -> an href for it (None: no link)

_STYLE = ("<style>.kit-cite{background:#eef;border-radius:3px;padding:0 2px;text-decoration:none}"
          ".kit-src{color:#555;font-size:90%}.kit-q mark{background:#ffeb99}"
          ".kit-label{color:#666;font-style:italic}.kit-partial{color:#8a5a00}.kit-unsupported{color:#a00}"
          ".kit-cites{list-style:none;padding-left:0;border-top:1px solid #ddd;margin-top:1em}"
          ".kit-section{margin-top:1.2em}.kit-abstain{border-left:4px solid #bbb;padding-left:.6em}</style>")
# A checked text shows every sentence, coloured by its verdict.
_CHECK_STYLE = ("<style>.kit-check .kit-supported{background:#e3f4e6}.kit-check .kit-partial{background:#fff1c2}"
                ".kit-check .kit-unsupported{background:#fbdcdc}.kit-check span[title]{cursor:help}</style>")
_VERDICT = {Support.SUPPORTED: "supported", Support.PARTIAL: "partial", Support.UNSUPPORTED: "NOT SUPPORTED"}
_FLAG = {Support.PARTIAL: "partly supported", Support.UNSUPPORTED: "NOT SUPPORTED"}


def visible(text: str, keep: str = "\n\t") -> str:
    """`text` with control and bidi-override characters escaped as a file name is (`\\u202e`): a
    quote must not reorder or hide what is printed around it. Characters in `keep` stay as they are."""
    return "".join(shown(ch) if _hidden(ch, keep) else ch for ch in text)


def name(path: str) -> str:
    """A file name for display, on one line: control, format and separator characters escaped."""
    return shown(path)


def _hidden(ch: str, keep: str) -> bool:
    return ch not in keep and unicodedata.category(ch) in ("Cc", "Cf") and ch != "\u00ad"


def _one_line(text: str, limit: int | None = None) -> str:
    text = visible(" ".join(text.split()))
    return text if limit is None or len(text) <= limit else text[:limit - 1] + "…"


def _flagged(claim: Claim) -> str:
    """A claim with its markers and, unless supported, a visible flag."""
    flag = _FLAG.get(claim.support)
    return f"{visible(claim_text(claim))}" + (f" ({flag}: {'; '.join(claim.reasons)})" if flag else "")


def counts_line(claims: list[Claim], failed: Sequence[Citation] = ()) -> str:
    n = support_counts(claims, list(failed))
    line = f"claims: {n['supported']} supported, {n['partial']} partial, {n['unsupported']} not supported"
    return line + (f"; {n['failed_citations']} citations failed their check" if failed else "")


def citation_line(c: Citation) -> str:
    support = f", {c.support.value}" if c.support else ""
    return (f"[{c.key}] {name(c.path)} [{c.start}:{c.end}] {c.section}, quote {c.check.value}{support}: "
            f"\"{_one_line(c.quote)}\"")


# -- terminal text ------------------------------------------------------------------------

def hit_text(hit: Hit, n: int | None = None) -> str:
    c = hit.chunk
    head = f"[{n}] " if n is not None else ""
    return (f"{head}{name(c.path)} [{c.start}:{c.end}] {c.section}  score {hit.score:.4f}\n"
            f"    {_one_line(c.text, 300)}")


def search_text(hits: list[Hit], files: list[str] | None = None, sections: list[str] | None = None) -> str:
    """The hits, numbered; with none, a line saying so and which filters narrowed the search."""
    if hits:
        return "\n\n".join(hit_text(h, n) for n, h in enumerate(hits, 1))
    narrowed = [f"file {', '.join(name(f) for f in files)}" if files else "",
                f"section {', '.join(sections)}" if sections else ""]
    where = " and ".join(n for n in narrowed if n)
    return "no passage found" + (f" in {where}" if where else "") + (
        "; drop a filter to search more widely" if where else "; the store holds no chunk")


def ingest_text(report: IngestReport) -> str:
    """What an ingest did, on one line, then one line per skipped file, error or note."""
    lines = [f"{name(report.source) or 'ingest'}: files {report.files}  chunks {report.chunks}  added {report.added}  "
             f"unchanged files {report.unchanged_files}  removed {report.removed}  "
             f"errors {report.count(IssueKind.ERROR)}  skipped {report.count(IssueKind.SKIPPED)}  "
             f"notes {report.count(IssueKind.NOTE)}  ({report.seconds:.1f} s)"]
    lines += [f"  {i.kind.value}: {name(i.path)}: {_one_line(i.reason)}" for i in report.issues]
    return "\n".join(lines)


def answer_text(answer: Answer) -> str:
    lines = [" ".join(_flagged(c) for c in answer.shown) if answer.shown else answer.NOT_FOUND, "",
             f"({answer.disclaimer})"]
    lines += [f"Note: {n}" for n in answer.notes]
    lines += ["", "Sources:"] + [f"  {citation_line(c)}" for c in answer.citations] if answer.citations else []
    lines += _unsupported_text(answer.listed_apart)
    lines += ["", counts_line(answer.claims, answer.failed)]
    tokens = answer.tokens()
    if any(tokens.values()):
        lines.append(f"tokens: {tokens['prompt_tokens']} prompt + {tokens['completion_tokens']} completion")
    return "\n".join(lines)


def check_text(result: CheckResult) -> str:
    """Each sentence with its verdict, score, quote and file:span, then the totals."""
    lines: list[str] = []
    for n, c in enumerate(result.claims, 1):
        lines.append(f"{n}. {_VERDICT[c.support]} (score {c.score:.2f}): \"{_one_line(c.text)}\"")
        lines += [f"   {citation_line(cite)}" for cite in c.citations]
        lines += [f"   why: {visible('; '.join(c.reasons))}"] if c.reasons else []
    lines += ["", f"({result.disclaimer})"] + [f"Note: {n}" for n in result.notes]
    return "\n".join([*lines, "", f"{len(result.claims)} sentences; {counts_line(list(result.claims), result.failed)}"])


def _unsupported_text(claims: list[Claim]) -> list[str]:
    if not claims:
        return []
    return ["", f"Not supported by the sources ({len(claims)}):"] + [
        f"  - \"{_one_line(c.text)}\": {'; '.join(c.reasons) or 'no reason given'}" for c in claims]


def change_note(t: Topic) -> str:
    """" (new since the last run)" and the like, or "" when there was no last run to compare with."""
    return f" ({t.change.value} since the last run)" if t.change is not None else ""


def summary_text(summary: TopicSummary) -> str:
    t = summary.topic
    lines = [f"Topic {t.number}: {visible(t.title)}{change_note(t)}", ""]
    lines.append(" ".join(_flagged(c) for c in summary.shown) if summary.found and summary.shown
                 else summary.empty)
    lines += ["", f"({summary.disclaimer})"] + [f"Note: {n}" for n in summary.notes]
    if summary.citations:
        lines += ["", "Sources:"] + [f"  {citation_line(c)}" for c in summary.citations]
    lines += _unsupported_text(summary.listed_apart)
    return "\n".join([*lines, "", counts_line(summary.claims)])


def topic_text(t: Topic) -> str:
    files = ", ".join(f"{name(p)} ({n})" for p, n in t.coverage.items())
    return (f"{t.number:2}. {visible(t.title)}  [{len(t.chunks)} chunks]{change_note(t)}\n"
            f"    keywords: {', '.join(t.keywords)}\n    sources: {files}")


# -- Markdown -------------------------------------------------------------------------------

def _md_citation(c: Citation) -> str:
    support = f", {c.support.value}" if c.support else ""
    return (f"- <a id=\"c{c.key}\"></a>[{c.key}] `{name(c.path)}` [{c.start}:{c.end}] "
            f"({c.section}, quote {c.check.value}{support}): \"{_one_line(c.quote, 400)}\"")


def _md_unsupported(claims: list[Claim]) -> list[str]:
    if not claims:
        return []
    return [f"**Not supported by the sources ({len(claims)}):**", ""] + [
        f"- \"{_one_line(c.text)}\" — {'; '.join(c.reasons)}" for c in claims] + [""]


def answer_markdown(answer: Answer) -> str:
    body = " ".join(_flagged(c) for c in answer.shown) if answer.shown else f"> {answer.NOT_FOUND}"
    lines = [f"**Q:** {visible(answer.question)}", "", body, "", f"_{answer.disclaimer}_"]
    lines += [f"_Note: {n}_" for n in answer.notes] + [""]
    if answer.citations:
        lines += ["**Sources:**", ""] + [_md_citation(c) for c in answer.citations] + [""]
    lines += _md_unsupported(answer.listed_apart)
    return "\n".join([*lines, f"_{counts_line(answer.claims, answer.failed)}_"])


def check_markdown(result: CheckResult, title: str = "Check") -> str:
    """A checked text: each sentence with its verdict, score and markers, then the citations."""
    lines = [f"# {title}", "", *_header_lines(result.provenance), f"_{result.disclaimer}_", ""]
    for n, c in enumerate(result.claims, 1):
        lines.append(f"{n}. **{_VERDICT[c.support]}** (score {c.score:.2f}): {visible(claim_text(c))}")
        lines += [f"   - why: {visible('; '.join(c.reasons))}"] if c.reasons else []
    lines += [""] + [f"_Note: {n}_" for n in result.notes]
    if result.citations:
        lines += ["", "**Sources:**", ""] + [_md_citation(c) for c in result.citations]
    return "\n".join([*lines, "", f"_{counts_line(list(result.claims), result.failed)}_", ""])


def summary_markdown(summary: TopicSummary) -> str:
    t = summary.topic
    lines = [f"## Topic {t.number}: {visible(t.title)}{change_note(t)}", "", f"_Keywords: {', '.join(t.keywords)}_  ",
             "_Sources: " + ", ".join(f"`{name(p)}` ({n} chunks)" for p, n in t.coverage.items()) + "_", ""]
    shown = summary.found and summary.shown
    lines += [" ".join(_flagged(c) for c in summary.shown) if shown else f"> {summary.empty}", ""]
    lines += [f"_{summary.disclaimer}_"] + [f"_Note: {n}_" for n in summary.notes] + [""]
    if summary.citations:
        lines += ["### Citations", ""] + [_md_citation(c) for c in summary.citations] + [""]
    lines += _md_unsupported(summary.listed_apart)
    if summary.agreements:
        lines += ["### Sources agree", ""] + [
            f"- \"{_one_line(a.statement, 240)}\": stated by "
            + "; ".join(f"`{name(c.path)}` [{c.start}:{c.end}]" for c in a.citations)
            for a in summary.agreements] + [""]
    if summary.differences:
        lines += ["### Sources differ", ""] + [
            f"- {d.subject}: " + "; ".join(f"{text} (`{name(c.path)}` [{c.start}:{c.end}])"
                                           for text, c in d.versions)
            for d in summary.differences] + [""]
    return "\n".join([*lines, f"_{counts_line(summary.claims)}_", ""])


def report_markdown(summaries: list[TopicSummary], provenance: Provenance | None = None,
                    title: str = "Topic report") -> str:
    intro = (f"{len(summaries)} topics. Every claim cites a source file, character span and quote; each quote "
             "was checked to be at its span in the file and each claim checked against its quotes.")
    head = [f"# {title}", "", *_header_lines(provenance), intro, ""]
    return "\n".join(head) + "\n".join(summary_markdown(s) for s in summaries)


def _header_lines(p: Provenance | None) -> list[str]:
    if p is None:
        return []
    settings = ", ".join(f"{k}={v}" for k, v in p.settings.items())
    return [f"- Corpus: {', '.join(f'`{name(s)}`' for s in p.sources) or '(unknown)'}",
            f"- Created: {p.created}", f"- kit {p.kit_version}", f"- Settings: {settings}", ""]


# -- HTML -------------------------------------------------------------------------------------

def _e(text: str) -> str:
    return html.escape(visible(text))


def _n(path: str) -> str:
    return html.escape(name(path))


def _marker(c: Citation, prefix: str) -> str:
    tip = _e(f'{c.path} [{c.start}:{c.end}]: "{" ".join(c.quote.split())}"')
    return f"<a class='kit-cite' href='#{prefix}c{c.key}' title=\"{tip}\">[{c.key}]</a>"


def _claim_html(claim: Claim, prefix: str) -> str:
    flag = _FLAG.get(claim.support)
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
    href = links(c.path) if links else None
    source = f"<a href='{html.escape(href, quote=True)}'>{_n(c.path)}</a>" if href else _n(c.path)
    support = f", {c.support.value}" if c.support else ""
    return (f"<li id='{prefix}c{c.key}'><b>[{c.key}]</b> <span class='kit-src'>{source} [{c.start}:{c.end}] "
            f"{c.section}, quote {c.check.value}{support}</span><div class='kit-q'>{body}</div></li>")


def _unsupported_html(claims: list[Claim]) -> str:
    if not claims:
        return ""
    items = "".join(f"<li>“{_e(c.text)}” — {_e('; '.join(c.reasons))}</li>" for c in claims)
    return f"<div class='kit-section'><h4>Not supported by the sources ({len(claims)})</h4><ul>{items}</ul></div>"


def hit_html(hit: Hit) -> str:
    c = hit.chunk
    head = f"<b>{_n(c.path)}</b> [{c.start}:{c.end}] <i>{c.section}</i> score {hit.score:.4f}"
    return f"<div style='margin:4px 0'>{head}<blockquote>{_e(c.text)}</blockquote></div>"


def ingest_html(report: IngestReport) -> str:
    """An ingest's counts as a small table, then its skipped files, errors and notes."""
    counts = {"files": report.files, "chunks": report.chunks, "added": report.added,
              "unchanged files": report.unchanged_files, "removed": report.removed,
              **{k.value: report.count(k) for k in IssueKind}}
    head = "".join(f"<th style='text-align:right'>{_e(k)}</th>" for k in counts)
    row = "".join(f"<td style='text-align:right'>{v}</td>" for v in counts.values())
    issues = "".join(f"<li><b>{_e(i.kind.value)}</b> {_n(i.path)}: {_e(_one_line(i.reason))}</li>"
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
    tip = "; ".join([f"{_VERDICT[claim.support]}, score {claim.score:.2f}", *evidence, *claim.reasons])
    return (f"<span class='kit-{claim.support.value}' title=\"{_e(tip)}\">{_e(claim.text)}</span>"
            + "".join(_marker(c, prefix) for c in claim.citations))


def check_page(result: CheckResult, title: str = "Check", links: Links | None = None) -> str:
    """A checked text as a self-contained page, headed by what it was checked against."""
    return _page(title, result.provenance, check_html(result, links))


def _context(c: Citation, chunks: Sequence[object]) -> str | None:
    for ch in chunks:
        if getattr(ch, "path", None) == c.path and ch.start <= c.start < ch.end:  # type: ignore[attr-defined]
            return str(ch.text)  # type: ignore[attr-defined]
    return None


def topic_html(t: Topic) -> str:
    files = ", ".join(f"{_n(p)} ({n})" for p, n in t.coverage.items())
    return (f"<div><b>Topic {t.number}: {_e(t.title)}</b> — {len(t.chunks)} chunks"
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
    coverage = ", ".join(f"{_n(p)} ({n} chunks)" for p, n in t.coverage.items())
    items = "".join(citation_html(c, prefix, links=links) for c in summary.citations)
    notes = "".join(f"<p class='kit-label'>Note: {_e(n)}</p>" for n in summary.notes)
    return (f"{_STYLE}<section><h3 id='topic-{t.number}'>Topic {t.number}: {_e(t.title)}{_e(change_note(t))}</h3>"
            f"<p class='kit-src'>keywords: {_e(', '.join(t.keywords))}<br>sources: {coverage}</p>"
            f"{body}<p class='kit-label'>{_e(summary.disclaimer)}</p>{notes}"
            + (f"<div class='kit-section'><h4>Citations</h4><ol class='kit-cites'>{items}</ol></div>" if items else "")
            + _unsupported_html(summary.listed_apart)
            + _agreements_html(summary, links) + _differences_html(summary, links)
            + f"<p class='kit-label'>{_e(counts_line(summary.claims))}</p></section>")


def _source_html(c: Citation, links: Links | None) -> str:
    href = links(c.path) if links else None
    label = f"{_n(c.path)} [{c.start}:{c.end}]"
    return f"<a class='kit-src' href='{html.escape(href, quote=True)}'>{label}</a>" if href else \
        f"<span class='kit-src'>{label}</span>"


def _agreements_html(summary: TopicSummary, links: Links | None) -> str:
    if not summary.agreements:
        return ""
    items = "".join(f"<li>“{_e(a.statement)}” — stated by " + "; ".join(_source_html(c, links) for c in a.citations)
                    + "</li>" for a in summary.agreements)
    return f"<div class='kit-section'><h4>Sources agree</h4><ul>{items}</ul></div>"


def _differences_html(summary: TopicSummary, links: Links | None) -> str:
    if not summary.differences:
        return ""
    items = "".join("<li>" + _e(d.subject) + ": " + "; ".join(
        f"{_e(text)} ({_source_html(c, links)})" for text, c in d.versions) + "</li>" for d in summary.differences)
    return f"<div class='kit-section'><h4>Sources differ</h4><ul>{items}</ul></div>"


def report_html(summaries: list[TopicSummary], provenance: Provenance | None = None,
                title: str = "Topic report", links: Links | None = None) -> str:
    """A self-contained page: no external scripts, styles or fonts."""
    toc = "".join(f"<li><a href='#topic-{s.topic.number}'>{_e(s.topic.title)}</a></li>" for s in summaries)
    return _page(title, provenance, f"<ol>{toc}</ol>" + "".join(summary_html(s, links) for s in summaries))


def _page(title: str, provenance: Provenance | None, body: str) -> str:
    """A self-contained page (no external scripts, styles or fonts) headed by its provenance."""
    header = "".join(f"<li>{_e(line[2:])}</li>" for line in _header_lines(provenance) if line.startswith("- "))
    header = re.sub(r"`([^`]*)`", r"<code>\1</code>", header)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{_e(title)}</title>"
            f"<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.45}}"
            f"section{{border-top:2px solid #ccc;margin-top:2em}}</style>"
            f"</head><body><h1>{_e(title)}</h1><ul class='kit-src'>{header}</ul>{body}</body></html>")
