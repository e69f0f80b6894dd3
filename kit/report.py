"""Rendering: answers, hits and summaries as Markdown and self-contained HTML.

HTML shows each citation marker with its quote and source span on hover and in a list below,
with the quote highlighted in its surrounding text. This module does not compute anything.
"""

from __future__ import annotations

import html
import re

from kit.types import Answer, Citation, TopicSummary

_STYLE = ("<style>.kit-cite{background:#eef;border-radius:3px;padding:0 2px;cursor:help}"
          ".kit-src{color:#555;font-size:90%}.kit-q mark{background:#ffeb99}"
          ".kit-label{color:#666;font-style:italic}</style>")


def _marker_html(text: str, citations: list[Citation]) -> str:
    by_key = {c.key: c for c in citations}

    def repl(m: re.Match[str]) -> str:
        c = by_key.get(int(m.group(1)))
        if c is None:
            return html.escape(m.group(0))
        tip = html.escape(f'{c.path} [{c.start}:{c.end}] ({c.section}): "{c.quote}"')
        return f"<span class='kit-cite' title=\"{tip}\">[{c.key}]</span>"

    parts = re.split(r"(\[\d{1,3}\])", text)
    return "".join(repl(re.match(r"\[(\d{1,3})\]", p)) if re.fullmatch(r"\[\d{1,3}\]", p)  # type: ignore[arg-type]
                   else html.escape(p) for p in parts)


def citation_html(c: Citation, context: str | None = None) -> str:
    """One citation: source, span, check, and the quote highlighted inside its context."""
    quote = html.escape(c.quote)
    body = f"<mark>{quote}</mark>"
    if context is not None and c.quote in context:
        before, _, after = context.partition(c.quote)
        body = f"…{html.escape(before[-200:])}<mark>{quote}</mark>{html.escape(after[:200])}…"
    return (f"<li><b>[{c.key}]</b> <span class='kit-src'>{html.escape(c.path)} [{c.start}:{c.end}] "
            f"{c.section}, quote {html.escape(c.check)}</span><div class='kit-q'>{body}</div></li>")


def answer_html(answer: Answer) -> str:
    contexts = {h.chunk.path + str(h.chunk.start): h.chunk for h in answer.hits}
    items = []
    for c in answer.citations:
        chunk = next((ch for ch in contexts.values() if ch.path == c.path and ch.start <= c.start < ch.end), None)
        items.append(citation_html(c, chunk.text if chunk else None))
    notes = "".join(f"<p class='kit-label'>Note: {html.escape(n)}</p>" for n in answer.notes)
    return (f"{_STYLE}<div><p><b>Q:</b> {html.escape(answer.question)}</p>"
            f"<p>{_marker_html(answer.text, answer.citations)}</p>"
            f"<p class='kit-label'>{html.escape(answer.label)}</p>{notes}<ol style='list-style:none'>"
            f"{''.join(items)}</ol></div>")


def summary_html(summary: TopicSummary) -> str:
    """A topic summary: sentences with hoverable markers, coverage, agreement and difference."""
    t = summary.topic
    body = " ".join(f"{html.escape(s.text)} " + "".join(_cite_span(c) for c in s.citations) for s in summary.sentences)
    coverage = ", ".join(f"{html.escape(p)} ({n} chunks)" for p, n in t.coverage.items())
    agree = "".join(f"<li>{html.escape(a.fact)}: " + "; ".join(_source(c) for c in a.citations) + "</li>"
                    for a in summary.agreements)
    differ = "".join("<li>" + html.escape(d.subject) + ": " + "; ".join(
        f"{html.escape(text)} ({_source(c)})" for text, c in d.versions) + "</li>" for d in summary.differences)
    items = "".join(citation_html(c) for c in summary.citations)
    notes = "".join(f"<p class='kit-label'>Note: {html.escape(n)}</p>" for n in summary.notes)
    return (f"{_STYLE}<div><h3>Topic {t.number}: {html.escape(t.title)}</h3>"
            f"<p class='kit-src'>keywords: {html.escape(', '.join(t.keywords))}<br>sources: {coverage}</p>"
            f"<p>{body}</p><p class='kit-label'>{html.escape(summary.label)}</p>{notes}"
            + (f"<h4>Sources agree</h4><ul>{agree}</ul>" if agree else "")
            + (f"<h4>Sources differ</h4><ul>{differ}</ul>" if differ else "")
            + f"<ol style='list-style:none'>{items}</ol></div>")


def _cite_span(c: Citation) -> str:
    tip = html.escape(f'{c.path} [{c.start}:{c.end}] ({c.section}): "{c.quote}"')
    return f"<span class='kit-cite' title=\"{tip}\">[{c.key}]</span>"


def _source(c: Citation) -> str:
    return f"<span class='kit-src'>{html.escape(c.path)} [{c.start}:{c.end}]</span>"


def summary_markdown(summary: TopicSummary) -> str:
    t = summary.topic
    lines = [f"## Topic {t.number}: {t.title}", "", f"_Keywords: {', '.join(t.keywords)}_  ",
             "_Sources: " + ", ".join(f"`{p}` ({n} chunks)" for p, n in t.coverage.items()) + "_", ""]
    lines += [" ".join(f"{s.text} {''.join(f'[{c.key}]' for c in s.citations)}" for s in summary.sentences), ""]
    lines += [f"_{summary.label}_"] + [f"_Note: {n}_" for n in summary.notes] + [""]
    if summary.agreements:
        lines += ["**Sources agree:**"] + [
            f"- {a.fact}: " + "; ".join(f"`{c.path}` [{c.start}:{c.end}] \"{_short(c.quote)}\"" for c in a.citations)
            for a in summary.agreements] + [""]
    if summary.differences:
        lines += ["**Sources differ:**"] + [
            f"- {d.subject}: " + "; ".join(f"{text} (`{c.path}` [{c.start}:{c.end}])" for text, c in d.versions)
            for d in summary.differences] + [""]
    lines += ["**Citations:**"] + [
        f"- [{c.key}] `{c.path}` [{c.start}:{c.end}] ({c.section}, quote {c.check}): \"{_short(c.quote, 400)}\""
        for c in summary.citations]
    return "\n".join(lines) + "\n"


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def report_markdown(summaries: list[TopicSummary], title: str = "Topic report") -> str:
    head = [f"# {title}", "", f"{len(summaries)} topics. Every sentence cites the source file, character span "
            "and a quote checked against the file.", ""]
    return "\n".join(head) + "\n".join(summary_markdown(s) for s in summaries)


def report_html(summaries: list[TopicSummary], title: str = "Topic report") -> str:
    """A self-contained page: no external scripts, styles or fonts."""
    body = "".join(summary_html(s) for s in summaries)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.45}}</style>"
            f"</head><body><h1>{html.escape(title)}</h1>{body}</body></html>")
