"""Answers, checks and summaries as Markdown, with text from documents and models escaped."""

from __future__ import annotations

import re
from collections.abc import Sequence

from kit.findings import Agreement
from kit.report.common import FLAG, VERDICT, change_note, counts_line, name, one_line, place, size, themes_of, visible
from kit.results import Answer, CheckResult, Topic, TopicSummary
from kit.text import plural
from kit.types import (
    Citation,
    Claim,
    Provenance,
)

# `md` turns `<` and `>` into entities (no raw HTML, no autolink), backslash-escapes `[`, `]` and `\` (no
# link, image or reference definition can form) and backticks (no code span, which would show an entity
# as typed); file names sit in code spans fenced with more backticks than they hold.
_MD_SPECIAL = re.compile(r"[\\\[\]`<>]|&(?=#?\w+;)")
_MD_ENTITY = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def md(text: str) -> str:
    """`text` as literal Markdown: shown as written, never rendered as HTML, a link or an image."""
    return _MD_SPECIAL.sub(lambda m: _MD_ENTITY.get(m.group(), "\\" + m.group()), visible(text))


def _code(path: str) -> str:
    """A file name as a Markdown code span that no backtick in it can close."""
    text = name(path)
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _md_claim(claim: Claim) -> str:
    """A claim with its markers and, unless supported, a visible flag (`flagged`, in Markdown)."""
    flag = FLAG.get(claim.support)
    markers = "".join(f"[{k}]" for k in claim.keys)
    return f"{md(claim.text)} {markers}".strip() + (f" ({flag}: {md('; '.join(claim.reasons))})" if flag else "")


def _md_citation(c: Citation) -> str:
    support = f", {c.support.value}" if c.support else ""
    url = f" from <{c.url}>" if c.url and not re.search(r"[\s<>]", c.url) else ""
    return (f"- <a id=\"c{c.key}\"></a>[{c.key}] {_code(c.path)}{url}{place(c)} [{c.start}:{c.end}] "
            f"({md(c.section)}, quote {c.check.value}{support}): \"{md(one_line(c.quote, 400))}\"")


def _md_unsupported(claims: list[Claim], heading: str = "Not supported by the sources") -> list[str]:
    if not claims:
        return []
    return [f"**{heading} ({len(claims)}):**", ""] + [
        f"- \"{md(one_line(c.text))}\" — {md('; '.join(c.reasons))}" for c in claims] + [""]


def answer_markdown(answer: Answer) -> str:
    body = " ".join(_md_claim(c) for c in answer.shown) if answer.shown else f"> {answer.NOT_FOUND}"
    lines = [f"**Q:** {md(answer.question)}", "", body, "", f"_{md(answer.disclaimer)}_"]
    lines += [f"_Note: {md(n)}_" for n in answer.notes] + [""]
    if answer.citations:
        lines += ["**Sources:**", ""] + [_md_citation(c) for c in answer.citations] + [""]
    lines += _md_unsupported(answer.listed_apart)
    lines += _md_unsupported(answer.off_question, "Supported, but not an answer to the question")
    return "\n".join([*lines, f"_{counts_line(answer.claims, answer.failed)}_"])


def check_markdown(result: CheckResult, title: str = "Check") -> str:
    """A checked text: each sentence with its verdict, score and markers, then the citations."""
    lines = [f"# {md(title)}", "", *_md_header(result.provenance), f"_{md(result.disclaimer)}_", ""]
    for n, c in enumerate(result.claims, 1):
        lines.append(f"{n}. **{VERDICT[c.support]}** (score {c.score:.2f}): {md(c.text)} "
                     + "".join(f"[{k}]" for k in c.keys))
        lines += [f"   - why: {md('; '.join(c.reasons))}"] if c.reasons else []
    lines += [""] + [f"_Note: {md(n)}_" for n in result.notes]
    if result.citations:
        lines += ["", "**Sources:**", ""] + [_md_citation(c) for c in result.citations]
    return "\n".join([*lines, "", f"_{counts_line(list(result.claims), result.failed)}_", ""])


def summary_markdown(summary: TopicSummary) -> str:
    t = summary.topic
    lines = [f"## Topic {t.number}: {md(t.title)}{change_note(t)}", ""]
    if t.theme is not None:
        lines += [f"_Theme {t.theme.number}: {md(t.theme.label)}_", ""]
    if t.chunks:  # a named topic no passage is about has neither
        lines += [f"_Keywords: {md(', '.join(t.keywords))}_  ",
                  f"_Sources ({size(t)}): "
                  + ", ".join(f"{_code(p)} ({plural(n, 'chunk')})" for p, n in t.coverage.items())
                  + "_", ""]
    shown = summary.found and summary.shown
    lines += [" ".join(_md_claim(c) for c in summary.shown) if shown else f"> {md(summary.empty)}", ""]
    lines += [f"_{md(summary.disclaimer)}_"] + [f"_Note: {md(n)}_" for n in summary.notes] + [""]
    if summary.citations:
        lines += ["### Citations", ""] + [_md_citation(c) for c in summary.citations] + [""]
    lines += _md_unsupported(summary.listed_apart)
    if summary.agreements:
        lines += ["### Sources agree", ""] + [_md_agreement(a) for a in summary.agreements] + [""]
    if summary.differences:
        lines += ["### Sources differ", ""] + [
            f"- {md(d.subject)}: " + "; ".join(f"{md(text)} ({_code(c.path)} [{c.start}:{c.end}])"
                                           for text, c in d.versions)
            for d in summary.differences] + [""]
    return "\n".join([*lines, f"_{counts_line(summary.claims)}_", ""])


def _md_agreement(a: Agreement) -> str:
    """A shared figure with each source's own sentence (each may say more than the other); a
    statement the sources make near-identically, with the sources."""
    if a.fact is not None:
        return f"- {md(a.fact)}: " + "; ".join(f"\"{md(one_line(c.quote, 200))}\" ({_code(c.path)} [{c.start}:{c.end}])"
                                              for c in a.citations)
    return (f"- \"{md(one_line(a.statement, 240))}\": stated by "
            + "; ".join(f"{_code(c.path)} [{c.start}:{c.end}]" for c in a.citations))


def report_markdown(summaries: list[TopicSummary], provenance: Provenance | None = None,
                    title: str = "Topic report") -> str:
    intro = (f"{plural(len(summaries), 'topic')}. Every claim cites a source file, character span and quote; "
             "each quote was checked to be at its span in the file and each claim checked against its quotes.")
    themes = themes_overview([s.topic for s in summaries])
    head = [f"# {md(title)}", "", *_md_header(provenance), intro, ""] + (["Themes:", "", *themes, ""] if themes else [])
    return "\n".join(head) + "\n".join(summary_markdown(s) for s in summaries)


def _md_header(p: Provenance | None) -> list[str]:
    if p is None:
        return []
    settings = md(", ".join(f"{k}={v}" for k, v in p.settings.items()))
    return [f"- Corpus: {', '.join(_code(s) for s in p.sources) or '(unknown)'}", f"- Created: {md(p.created)}",
            f"- kit {md(p.kit_version)}", f"- Settings: {settings}", ""]




def topics_markdown(topics: Sequence[Topic], title: str = "Topics") -> str:
    """A numbered list of topics: title, size, keywords and the files each draws on; on a corpus
    with themes, a section per theme holding its stories, then the stories on their own."""
    themes = themes_of(topics)
    if not themes:
        return "\n".join([f"# {md(title)}", "", *[_md_topic(t) for t in topics], ""])
    lines = [f"# {md(title)}", ""]
    for theme, stories in themes:
        lines += [f"## Theme {theme.number}: {md(theme.label)} ({theme.size})", "",
                  f"_Keywords: {md(', '.join(theme.keywords))}_", "", *[_md_topic(t) for t in stories], ""]
    alone = [t for t in topics if t.theme is None]
    if alone:
        lines += ["## Stories on their own", "", *[_md_topic(t) for t in alone], ""]
    return "\n".join(lines)


def _md_topic(t: Topic) -> str:
    return (f"{t.number}. **{md(t.title)}**{change_note(t)} ({size(t)})  \n"
            f"   _Keywords: {md(', '.join(t.keywords))}_  \n"
            f"   _Sources: {', '.join(f'{_code(p)} ({n})' for p, n in t.coverage.items())}_")


def themes_overview(topics: Sequence[Topic]) -> list[str]:
    """For a report: each theme and the numbers of its stories, or nothing on a corpus without themes."""
    themes = themes_of(topics)
    alone = [str(t.number) for t in topics if t.theme is None]
    return [f"- Theme {th.number}: {md(th.label)} ({th.size}): topics " + ", ".join(str(t.number) for t in stories)
            for th, stories in themes] + ([f"- On their own: topics {', '.join(alone)}"] if themes and alone else [])


def text_markdown(title: str, text: str) -> str:
    """A plain-text view (a file list, a store check, an evaluation) as Markdown: under a heading, in a
    fenced block no backtick run in the text can close, so nothing in it renders."""
    fence = "`" * max(3, max(map(len, re.findall("`+", text)), default=0) + 1)
    return f"# {md(title)}\n\n{fence}text\n{text}\n{fence}\n"
