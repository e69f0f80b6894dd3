"""The one renderer: answers, checked texts, summaries, hits and topics as terminal text, Markdown and HTML.

One module per format (text, markdown, html) over what they share (common); this package
re-exports their public names, so `from kit.report import report_html` reads as before.

Every surface shows the same contract: claims with their support verdict, citations with
file, span, quote and both checks (quote at its span; quote supports the claim), unsupported
claims listed apart under "Not supported by the sources", and the counts of each. In HTML a
marker links to its quote and a quote links to its file (http, https or a relative path, nothing
else); reports open with a header naming the corpus, date, kit version and settings. Text from
documents and models is data: escaped in HTML and Markdown, control and bidi characters shown
escaped, never acted on. JSON is `to_dict()` on the types. This module computes nothing.
"""

from __future__ import annotations

from kit.report.common import (
    FLAG,
    VERDICT,
    Links,
    change_note,
    citation_line,
    counts_line,
    flagged,
    format_from,
    name,
    one_line,
    visible,
)
from kit.report.html import (
    answer_html,
    check_html,
    check_page,
    checkup_html,
    citation_html,
    eval_html,
    hit_html,
    ingest_html,
    listing_html,
    page,
    report_html,
    summaries_html,
    summary_html,
    topic_html,
    topics_html,
)
from kit.report.markdown import (
    answer_markdown,
    check_markdown,
    md,
    report_markdown,
    summary_markdown,
    text_markdown,
    topics_markdown,
)
from kit.report.text import (
    answer_text,
    check_text,
    checkup_text,
    eval_text,
    hit_text,
    ingest_text,
    listing_text,
    search_text,
    summary_text,
    topic_text,
    unsupported_text,
)

__all__ = [
    "FLAG",
    "VERDICT",
    "Links",
    "answer_html",
    "answer_markdown",
    "answer_text",
    "change_note",
    "check_html",
    "check_markdown",
    "check_page",
    "check_text",
    "checkup_html",
    "checkup_text",
    "citation_html",
    "citation_line",
    "counts_line",
    "eval_html",
    "eval_text",
    "flagged",
    "format_from",
    "hit_html",
    "hit_text",
    "ingest_html",
    "ingest_text",
    "listing_html",
    "listing_text",
    "md",
    "name",
    "one_line",
    "page",
    "report_html",
    "report_markdown",
    "search_text",
    "summaries_html",
    "summary_html",
    "summary_markdown",
    "summary_text",
    "text_markdown",
    "topic_html",
    "topic_text",
    "topics_html",
    "topics_markdown",
    "unsupported_text",
    "visible",
]
