"""Commands over the corpus as a whole: topics and per-topic summaries."""

from __future__ import annotations

import argparse
import json

from kit.cli.common import LLM_OPTIONS, PROGRESS, Command, format_from, open_kit, positive, show_progress
from kit.findings import TopicChange
from kit.results import TopicSummary
from kit.terminal import say
from kit.text import plural


def topics(args: argparse.Namespace) -> int:
    found = open_kit(args).topics(k=args.n_topics, progress=show_progress(args))
    say(json.dumps(found.to_dict(), indent=2, ensure_ascii=False) if args.json else str(found))
    return 0


def summarize(args: argparse.Namespace) -> int:
    fmt = format_from(args.out, args.format or ("json" if args.json else None))  # a bad --out fails before any work
    names = None if args.topics in (None, ["auto"]) else args.topics
    # `Kit.report` is this summarize and save; the summaries are kept here for the line that says what was written.
    summaries = open_kit(args).summarize(names, max_sentences=args.sentences, progress=show_progress(args))
    if args.out is None:
        say(summaries.page() if fmt == "html" else summaries.to_markdown() if fmt == "md"
            else json.dumps(summaries.to_dict(), indent=2, ensure_ascii=False))
        return 0
    say(f"wrote {summaries.save(args.out, fmt)}: " + written(summaries))
    return 0


def written(summaries: list[TopicSummary]) -> str:
    """What a written report holds, in one line."""
    claims = sum(len(s.shown) for s in summaries if s.found)
    unsupported = sum(len(s.unsupported) for s in summaries)
    missing = [s.topic.title for s in summaries if not s.found]
    unchecked = [str(s.topic.number) for s in summaries if s.found and not s.shown]
    changed = [str(s.topic.number) for s in summaries if s.topic.change in (TopicChange.NEW, TopicChange.CHANGED)]
    compared = any(s.topic.change is not None for s in summaries)
    return (f"{plural(len(summaries), 'topic')}, {plural(claims, 'cited claim')} shown, {unsupported} not supported"
            + (f"; not in the documents: {', '.join(missing)}" if missing else "")
            + (f"; no checked claim for topic {', '.join(unchecked)} (see its notes)" if unchecked else "")
            + (f"; changed since the last run: {', '.join(changed) or 'none'}" if compared else ""))


COMMANDS = {
    "topics": Command("list the topics of the corpus", topics, [
        (("-k",), {"type": positive, "default": None, "dest": "n_topics",
                   "help": "number of topics (default: chosen from the data)"}),
        *LLM_OPTIONS[:3],
        PROGRESS,
    ], "kit topics\n  kit topics -k 3 --json"),
    "summarize": Command("write a cited summary per topic", summarize, [
        (("--topics",), {"nargs": "+", "action": "extend", "default": None,
                          "help": "'auto' or topic names to retrieve (may be given more than once)"}),
        (("--out",), {"default": None, "help": "write the report to this file (default: print)"}),
        (("--format",), {"choices": ["md", "html", "json"], "default": None, "help": "default: from --out suffix"}),
        (("--sentences",), {"type": positive, "default": 6, "help": "sentences per extractive summary"}),
        *LLM_OPTIONS,
        PROGRESS,
    ], 'kit summarize --out report.html\n  kit summarize --topics "ISIS oil revenue" "Kalibr strikes" --out r.md'),
}
