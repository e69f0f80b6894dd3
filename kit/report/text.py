"""Answers, checks, summaries, hits and topics as terminal text."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kit.report.common import (
    VERDICT,
    by_source,
    change_note,
    citation_line,
    counts_line,
    eval_totals,
    facts,
    fetched,
    flagged,
    gold_rank,
    mark,
    name,
    one_line,
    size,
    themes_of,
    visible,
)
from kit.results import Answer, CheckResult, Topic, TopicSummary
from kit.text import plural
from kit.types import (
    Citation,
    Claim,
    Hit,
    IngestReport,
    IssueKind,
)

if TYPE_CHECKING:
    from kit.store.history import Run


def hit_text(hit: Hit, n: int | None = None) -> str:
    c = hit.chunk
    head = f"[{n}] " if n is not None else ""
    where = f" page {hit.page}" if hit.page else f" paragraph {hit.paragraph}" if hit.paragraph else ""
    return (f"{head}{name(c.path)}{fetched(hit.url)}{where} [{c.start}:{c.end}] {c.section}  score {hit.score:.4f}\n"
            f"    {one_line(c.text, 300)}")


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
    lines += [f"  {i.kind.value}: {name(i.path)}: {one_line(i.reason)}" for i in report.issues]
    return "\n".join(lines)


def answer_text(answer: Answer) -> str:
    lines = [" ".join(flagged(c) for c in answer.shown) if answer.shown else answer.NOT_FOUND, "",
             f"({answer.disclaimer})"]
    lines += [f"Note: {n}" for n in answer.notes]
    lines += ["", "Sources:"] + [f"  {citation_line(c)}" for c in answer.citations] if answer.citations else []
    lines += unsupported_text(answer.listed_apart)
    lines += apart_text(answer.off_question, "Supported, but not an answer to the question")
    lines += ["", counts_line(answer.claims, answer.failed)]
    tokens = answer.tokens()
    if any(tokens.values()):
        lines.append(f"tokens: {tokens['prompt_tokens']} prompt + {tokens['completion_tokens']} completion")
    return "\n".join(lines)


def check_text(result: CheckResult) -> str:
    """Each sentence with its verdict, score, quote and file:span, then the totals."""
    lines: list[str] = []
    for n, c in enumerate(result.claims, 1):
        lines.append(f"{n}. {VERDICT[c.support]} (score {c.score:.2f}): \"{one_line(c.text)}\"")
        lines += [f"   {citation_line(cite)}" for cite in c.citations]
        lines += [f"   why: {visible('; '.join(c.reasons))}"] if c.reasons else []
    lines += ["", f"({result.disclaimer})"] + [f"Note: {n}" for n in result.notes]
    counted = f"{plural(len(result.claims), 'sentence')}; {counts_line(list(result.claims), result.failed)}"
    return "\n".join([*lines, "", counted])


def unsupported_text(claims: list[Claim]) -> list[str]:
    return apart_text(claims, "Not supported by the sources")


def apart_text(claims: list[Claim], heading: str) -> list[str]:
    """Claims listed apart from the answer under `heading`, each with its reasons."""
    if not claims:
        return []
    return ["", f"{heading} ({len(claims)}):"] + [
        f"  - \"{one_line(c.text)}\": {'; '.join(c.reasons) or 'no reason given'}" for c in claims]


def summary_text(summary: TopicSummary) -> str:
    t = summary.topic
    lines = [f"Topic {t.number}: {visible(t.title)}{change_note(t)}", ""]
    lines.append(" ".join(flagged(c) for c in summary.shown) if summary.found and summary.shown
                 else summary.empty)
    lines += ["", f"({summary.disclaimer})"] + [f"Note: {n}" for n in summary.notes]
    if summary.citations:
        lines += ["", "Sources:"] + [f"  {citation_line(c)}" for c in summary.citations]
    lines += unsupported_text(summary.listed_apart)
    return "\n".join([*lines, "", counts_line(summary.claims)])


def topic_text(t: Topic) -> str:
    files = ", ".join(f"{name(p)} ({n})" for p, n in t.coverage.items())
    return (f"{t.number:2}. {visible(t.title)}  [{size(t)}]{change_note(t)}\n"
            f"    keywords: {', '.join(t.keywords)}\n    sources: {files}")


def topics_text(topics: Sequence[Topic]) -> str:
    """Each theme, its stories indented beneath it, then the stories in no theme; a corpus
    without themes lists its stories as they are."""
    themes = themes_of(topics)
    if not themes:
        return "\n".join(topic_text(t) for t in topics)
    lines = []
    for theme, stories in themes:
        lines += [f"Theme {theme.number}: {visible(theme.label)}  [{theme.size}]",
                  f"    keywords: {', '.join(theme.keywords)}"]
        lines += [textwrap.indent(topic_text(t), "    ") for t in stories]
    alone = [t for t in topics if t.theme is None]
    if alone:
        lines += [f"On their own: {plural(len(alone), 'story', 'stories')}"]
        lines += [textwrap.indent(topic_text(t), "    ") for t in alone]
    return "\n".join(lines)


def config_text(values: dict[str, Any], origins: dict[str, str], about: dict[str, str]) -> str:
    """Each setting on one line, value and where it came from, its description indented below."""
    width = max(map(len, values))
    return "\n".join(f"{name:<{width}}  {json.dumps(value)}  ({origins[name]})\n{'':<{width}}  {about[name]}"
                     for name, value in values.items())


def eval_text(report: dict[str, Any]) -> str:
    """A row per question (gold rank, right, cites gold, abstained; n/a where the QA file gives
    nothing to judge by), then the totals, rounded; from `QAReport.to_dict()`."""
    lines = [f"{'#':>3}  {'gold rank':>9}  {'right':>5}  {'cites gold':>10}  {'abstained':>9}  question"]
    for n, q in enumerate(report["questions"], 1):
        lines.append(f"{n:>3}  {gold_rank(q):>9}  {mark(q['correct']):>5}  {mark(q['cites_gold']):>10}  "
                     f"{mark(q['abstained']):>9}  {one_line(q['question'], 70)}")
    lines += [""] + [f"{key:26} {value}" for key, value in eval_totals(report).items()]
    return "\n".join(lines)


def _rounded(value: object) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def run_line(run: Run) -> str:
    """One recorded run: id, time, kind, counts, who wrote it, its input."""
    who = run.model or run.llm
    session = f"  [chat {run.session}]" if run.session else ""
    return (f"{run.id:>4}  {run.time[:16].replace('T', ' ')}  {run.kind.value:<9}  {run.shown} shown, "
            f"{run.supported} supported, {run.unsupported} not supported  ({who})  {one_line(run.input, 70)}{session}")


def history_text(runs: list[Run], where: str, recording: bool = True) -> str:
    """The runs, newest first, one a line; with none, where the history is (and whether it records)."""
    off = " (recording is off: the history setting is false)" if not recording else ""
    if not runs:
        return f"no run recorded in {where}{off}"
    return "\n".join([f"{'id':>4}  {'time (UTC)':<16}  {'kind':<9}  counts", *map(run_line, runs)]) + (
        f"\n{off.strip()}" if off else "")


def run_text(run: Run) -> str:
    """A recorded run as its command printed it (a report: each topic's summary as text)."""
    from kit.results import Answer, CheckResult

    head = f"run {run.id}, {run.kind.value} at {run.time}" + (f", chat session {run.session}" if run.session else "")
    if "summaries" in run.result:
        body = "\n\n".join(_stored_summary(s) for s in run.result["summaries"])
    elif "question" in run.result:
        body = f"Q: {one_line(run.result['question'])}\n\n" + answer_text(Answer.from_dict(run.result))
    else:
        body = check_text(CheckResult.from_dict(run.result))
    return f"({head})\n\n{body}"


def _stored_summary(s: dict[str, Any]) -> str:
    lines = [f"Topic {s['topic']['number']}: {visible(s['topic']['title'])}", "", s["text"], "",
             f"({s['disclaimer']})"] + [f"Note: {n}" for n in s["notes"]]
    cited = [Citation.from_dict(c) for c in s["citations"]]
    return "\n".join(lines + (["", "Sources:"] + [f"  {citation_line(c)}" for c in cited] if cited else []))


def history_check_text(runs: int, broken: list[tuple[Run, list[str]]], where: str) -> str:
    """What `kit verify --history` found: a line for the whole, then each broken run and why."""
    if not broken:
        return f"{where}: {plural(runs, 'run')} re-checked against the files now: all checks pass"
    lines = [f"{where}: {plural(runs, 'run')} re-checked against the files now: "
             f"{len(broken)} broken by a source change"]
    for run, problems in broken:
        lines += ["", run_line(run)] + [f"      {one_line(p, 200)}" for p in problems]
    return "\n".join(lines)
def listing_text(listing: dict[str, Any]) -> str:
    """A store's sources and files (`kit files`), from `Listing.to_dict()`: a line per file with its
    chunks, the start of its sha256 and when it was ingested."""
    files = listing["files"]
    lines = [f"store {name(listing['store'])}  generation {listing['generation']}  sources {len(listing['sources'])}  "
             f"files {len(files)}  chunks {sum(f['chunks'] for f in files)}"]
    lines += [f"note: {n}" for n in listing["notes"]]
    urls = {s["name"]: s["url"] for s in listing["sources"] if s.get("url")}
    for source, kind, stored in by_source(listing):
        label = f"{name(urls[source])} (saved as {name(source)})" if source in urls else name(source)
        lines.append(f"{label}{'/' if kind == 'folder' else ''}  ({plural(len(stored), 'file')}, "
                     f"{plural(sum(f['chunks'] for f in stored), 'chunk')})")
        lines += [f"  {name(f['path'])}  {plural(f['chunks'], 'chunk')}  sha256 {f['sha256'][:12]}  {f['ingested']}"
                  for f in stored]
    return "\n".join(lines)


def checkup_text(checkup: dict[str, Any], repaired: bool = False) -> str:
    """What `kit doctor` found, from `Checkup.to_dict()`: the verdict, the facts, each source's files
    by status, then every problem, what a repair fixed and what it did."""
    nothing = "; nothing to repair" if repaired and checkup["ok"] and not checkup["actions"] else ""
    lines = [f"store is {checkup['verdict']}{nothing}"] + [f"  {k}: {name(str(v))}" for k, v in facts(checkup).items()]
    lines += [f"  source {name(source)}: " + ", ".join(f"{n} {status}" for status, n in counts.items())
              for source, counts in checkup["sources"].items()]
    lines += [f"  problem: {name(p['text'])}" for p in checkup["problems"]]
    lines += [f"  fixed: {name(p['text'])}" for p in checkup["fixed"]]
    return "\n".join(lines + [f"  done: {name(a)}" for a in checkup["actions"]])
