"""Commands that read the store to answer: search, ask, check, evaluate and verify (a file, or the history)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kit.cli.common import FILTERS, LLM_OPTIONS, PROGRESS, Command, format_from, open_kit, positive, show_progress
from kit.errors import InputError
from kit.terminal import say
from kit.text import plural


def search(args: argparse.Namespace) -> int:
    from kit.report.text import search_text

    hits = open_kit(args).search(args.query, k=args.k, files=args.files, sections=args.sections)
    if args.json:
        say(json.dumps([h.to_dict() for h in hits], indent=2, ensure_ascii=False))
    else:
        say(search_text(hits, args.files, args.sections))
    return 0


def ask(args: argparse.Namespace) -> int:
    from kit.report.text import answer_text

    answer = open_kit(args).ask(args.question, k=args.k, files=args.files, sections=args.sections,
                                progress=show_progress(args))
    say(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False) if args.json else answer_text(answer))
    return 0


def check(args: argparse.Namespace) -> int:
    from kit.grounding.check import read_draft
    from kit.report.common import counts_line
    from kit.report.html import check_page
    from kit.report.markdown import check_markdown
    from kit.report.text import check_text

    if (args.text is None) == (args.from_file is None):
        raise InputError('give the text to check or --from FILE, one of them: kit check "..." | --from draft.md')
    text = args.text if args.from_file is None else read_draft(Path(args.from_file))
    fmt = format_from(args.out) if args.out else "md"  # a bad --out fails before any work
    k = open_kit(args)
    result = k.check(text, files=args.files)
    data = json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
    if args.out:
        out = Path(args.out)
        page = check_page(result, links=k.file_links(out)) if fmt == "html" else check_markdown(result)
        out.write_text(data if fmt == "json" else page, encoding="utf-8")
    sentences = plural(len(result.claims), "sentence")
    wrote = f"wrote {args.out}: {sentences}; {counts_line(list(result.claims), result.failed)}"
    say(data if args.json else wrote if args.out else check_text(result))
    return 0


def evaluate(args: argparse.Namespace) -> int:
    report = open_kit(args).evaluate(args.qa_file, k=args.k, limit=args.limit)
    say(json.dumps(report.to_dict(), indent=2) if args.json else str(report))
    return 0


def verify(args: argparse.Namespace) -> int:
    from kit.config import Settings
    from kit.embeddings import get_embedder
    from kit.grounding.saved import load_saved
    from kit.grounding.support import Judge
    from kit.grounding.verify import confined_reader, sources_root, verify_saved

    if args.history == bool(args.saved):
        raise InputError("give a saved answer or report (FILE.json) or --history, one of them: "
                         "kit verify answer.json | kit verify --history")
    if args.history:
        return verify_history(args)
    data = load_saved(Path(args.saved))
    root = sources_root(data, args.saved)
    settings = Settings.load(embedder=getattr(args, "embedder", None) or None)
    reader = confined_reader(root, settings.fallback_encoding, settings.max_bytes)
    result = verify_saved(data, reader, Judge(get_embedder(settings)))
    if args.json:
        say(json.dumps(result.to_dict(), indent=2))
    else:
        state = "all checks pass" if result.ok else plural(len(result.problems), "problem")
        counted = f"{plural(result.claims, 'claim')}, {plural(result.citations, 'citation')}"
        say(f"{args.saved}: {counted} re-checked: {state}")
        say("\n".join(f"  {p}" for p in result.problems))
    return 0 if result.ok else 1


def verify_history(args: argparse.Namespace) -> int:
    from kit.grounding.support import Judge
    from kit.grounding.verify import verify_runs
    from kit.report.text import history_check_text

    k = open_kit(args)
    found = verify_runs(k.history.results(), Judge(k.embedder), k.settings.fallback_encoding, k.settings.max_bytes)
    say(json.dumps(found.to_dict(), indent=2, ensure_ascii=False) if args.json
        else history_check_text(found.runs, found.broken, str(k.history.path)))
    return 0 if found.ok else 1


COMMANDS = {
    "search": Command("hybrid search over the ingested chunks", search, [
        (("query",), {"help": "what to look for"}),
        (("-k",), {"type": positive, "default": None, "help": "number of hits (default 5, KIT_TOP_K)"}),
        *FILTERS,
    ], 'kit search "cruise missiles" -k 3\n  kit search "oil revenue" --file "002_*" --section article --json'),
    "ask": Command("answer a question with verified citations", ask, [
        (("question",), {"help": "the question"}),
        (("-k",), {"type": positive, "default": None, "help": "passages to read (default 5, KIT_TOP_K)"}),
        *FILTERS, *LLM_OPTIONS, PROGRESS,
    ], 'kit ask "How many cruise missiles did Russia launch on Friday?"\n'
       '  kit ask "Who ordered the strikes?" --llm openai --model gpt-4o-mini --json\n'
       '  kit ask "Who ordered the strikes?" --base-url http://127.0.0.1:11434/v1 --model llama3.1'),
    "check": Command("check each sentence of a text against the documents", check, [
        (("text",), {"nargs": "?", "help": "the text to check (or --from FILE)"}),
        (("--from",), {"dest": "from_file", "metavar": "FILE", "help": "read the text to check from this file"}),
        FILTERS[0], (("--out",), {"help": "write the result to this file: .md, .html or .json"}),
    ], 'kit check "Russia fired 18 cruise missiles on Friday."\n'
       '  kit check --from draft.md --file seeds/002_0f7b4c98e858c67a.txt --out check.html'),
    "evaluate": Command("score answers on a QA JSONL file", evaluate, [
        (("qa_file",), {"help": "JSON lines: question, gold_sources, answers, answerable"}),
        (("-k",), {"type": positive, "default": None, "help": "passages to read (default 5)"}),
        (("--limit",), {"type": positive, "default": None, "help": "only the first N questions"}), *LLM_OPTIONS,
    ], "kit evaluate tests/data/seeds_qa.jsonl --limit 10", aliases=("eval",)),
    "verify": Command("re-check a saved answer or report against the files as they are now", verify, [
        (("saved",), {"metavar": "FILE.json", "nargs": "?",
                      "help": "output of `kit ask --json` or `kit summarize --out X.json`"}),
        (("--history",), {"action": "store_true", "help": "re-check every run in the store's history instead, "
                          "listing the ones a source change broke (exit 1 if any)"}),
    ], "kit ask \"Who fired the missiles?\" --json > answer.json && kit verify answer.json\n  kit verify --history"),
}
