"""Rendering: answers, hits and summaries as Markdown and self-contained HTML.

HTML shows each citation marker with its quote and source span on hover and in a list below,
with the quote highlighted in its surrounding text. This module does not compute anything.
"""

from __future__ import annotations

import html
import re

from kit.types import Answer, Citation

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
