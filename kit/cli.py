"""The `kit` command: a thin shell over the API that parses arguments and prints.

User mistakes (a `KitError`) print one line and exit with code 1, never a traceback. The API and
everything heavy behind it (chromadb, the embedding model) are imported by the commands that
need them, so `kit --help`, `kit --version` and `kit files` start at once.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kit.errors import KitError, NothingToIngestError
from kit.location import shown
from kit.types import IngestReport, IssueKind

if TYPE_CHECKING:
    from kit.api import Kit
    from kit.listing import Listing
    from kit.types import Answer, Hit, TopicSummary

VERSION = "0.1.0"


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except NothingToIngestError as exc:
        report = exc.report
        if isinstance(report, IngestReport):
            print(json.dumps(report.to_dict(), indent=2) if args.json else format_report(report))
        print(f"kit: error: {exc}", file=sys.stderr)
        return 1
    except KitError as exc:
        print(f"kit: error: {exc}", file=sys.stderr)
        return 1
    except FileNotFoundError as exc:
        print(f"kit: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and cut off: not an error of ours
        sys.stderr.close()
        return 0
    except OSError as exc:  # the OS refused a file kit needed (full disk, permissions): one line, no traceback
        where = f": {exc.filename}" if exc.filename else ""
        print(f"kit: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kit", description="Cited answers and summaries over a folder of documents.")
    parser.add_argument("--version", action="version", version=f"kit {VERSION}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--store", dest="store_dir", help="store folder (default: the nearest .kit in this folder or "
                        "its parents, as git finds its repository; or KIT_STORE_DIR)")
    common.add_argument("--embedder", help="minilm-int8 (default) | minilm | minilm-torch | openai | hash")
    common.add_argument("--json", action="store_true", help="print JSON instead of text")
    sub = parser.add_subparsers(metavar="COMMAND")
    _add(sub, "ingest", "add a folder (or file) to the store, or sync it again", _ingest, common, [
        (("folder",), {"nargs": "?", "default": "seeds", "help": "folder or file of documents (default: seeds)"}),
        (("--wait",), {"type": float, "default": 0.0, "help": "seconds to wait if another process is writing"}),
        (("--no-progress",), {"action": "store_true", "help": "no progress bar"}),
        (("--rebuild",), {"action": "store_true", "help": "drop the store first (to change embedder or chunking)"}),
    ])
    _add(sub, "search", "hybrid search over the ingested chunks", _search, common, [
        (("query",), {"help": "what to look for"}),
        (("-k",), {"type": int, "default": None, "help": "number of hits (default 5)"}),
        (("--file",), {"action": "append", "dest": "files", "help": "only this file (repeatable)"}),
        (("--section",), {"action": "append", "dest": "sections", "choices": ["article", "comments", "sidebar"]}),
    ])
    llm_options: list[tuple[tuple[str, ...], dict[str, Any]]] = [
        (("--llm",), {"choices": ["extractive", "openai"], "help": "answer backend (default extractive, offline)"}),
        (("--model",), {"dest": "llm_model", "help": "chat model for --llm openai"}),
        (("--base-url",), {"dest": "llm_base_url", "help": "OpenAI-compatible server, e.g. http://127.0.0.1:11434/v1"}),
        (("-k",), {"type": int, "default": None, "help": "passages to read (default 5)"}),
    ]
    _add(sub, "ask", "answer a question with verified citations", _ask, common, [
        (("question",), {"help": "the question"}), *llm_options,
    ])
    _add(sub, "eval", "score answers on a QA JSONL file", _eval, common, [
        (("qa_file",), {"help": "JSON lines: question, gold_sources, answers, answerable"}),
        (("--limit",), {"type": int, "default": None, "help": "only the first N questions"}), *llm_options,
    ])
    _add(sub, "topics", "list the topics of the corpus", _topics, common, [
        (("--k",), {"type": int, "default": None, "dest": "n_topics", "help": "number of topics (default: chosen)"}),
        *llm_options[:3],
    ])
    _add(sub, "summarize", "write a cited summary per topic", _summarize, common, [
        (("--topics",), {"nargs": "+", "default": ["auto"], "help": "'auto' or topic names to retrieve"}),
        (("--out",), {"default": None, "help": "write the report to this file (default: print)"}),
        (("--format",), {"choices": ["md", "html", "json"], "default": None, "help": "default: from --out suffix"}),
        (("--sentences",), {"type": int, "default": 6, "help": "sentences per extractive summary"}),
        *llm_options[:3],
    ])
    _add(sub, "doctor", "check the store against its sources (and --repair it)", _doctor, common, [
        (("--repair",), {"action": "store_true", "help": "rebuild a damaged store aside, or sync an incomplete "
                         "one; nothing is deleted"}),
        (("--wait",), {"type": float, "default": 0.0, "help": "seconds to wait if another process is writing"}),
    ])
    _add(sub, "files", "list the store's sources and files", _files, common, [])
    _add(sub, "rm", "remove a file or folder from the store (not from disk)", _rm, common, [
        (("path",), {"help": "a stored file or folder, or a whole source"}),
        (("--wait",), {"type": float, "default": 0.0, "help": "seconds to wait if another process is writing"}),
    ])
    _add(sub, "prepare", "prepare the embedding model now (done once; `make install` runs it)", _prepare,
         common, [])
    return parser


def _add(sub: Any, name: str, help_text: str, func: Callable[[argparse.Namespace], int],
         common: argparse.ArgumentParser, arguments: list[tuple[tuple[str, ...], dict[str, Any]]]) -> None:
    cmd = sub.add_parser(name, help=help_text, parents=[common])
    for flags, options in arguments:
        cmd.add_argument(*flags, **options)
    cmd.set_defaults(func=func)


def _kit(args: argparse.Namespace) -> Kit:
    from kit.api import Kit

    return Kit(**_options(args))


def _options(args: argparse.Namespace) -> dict[str, Any]:
    names = ("store_dir", "embedder", "llm", "llm_model", "llm_base_url")
    return {name: getattr(args, name, None) for name in names}


def _ingest(args: argparse.Namespace) -> int:
    progress = not args.no_progress and not args.json and sys.stderr.isatty()
    report = _kit(args).ingest(args.folder, progress=progress, wait=args.wait, rebuild=args.rebuild)
    print(json.dumps(report.to_dict(), indent=2) if args.json else format_report(report))
    return 0


def format_report(report: IngestReport) -> str:
    lines = [
        f"files {report.files}  chunks {report.chunks}  added {report.added}  "
        f"unchanged files {report.unchanged_files}  removed {report.removed}  "
        f"errors {report.count(IssueKind.ERROR)}  skipped {report.count(IssueKind.SKIPPED)}  "
        f"notes {report.count(IssueKind.NOTE)}  ({report.seconds:.1f} s)"
    ]
    lines += [f"  {issue.kind.value}: {shown(issue.path)}: {shown(issue.reason)}" for issue in report.issues]
    return "\n".join(lines)


def _files(args: argparse.Namespace) -> int:
    from kit.config import Settings
    from kit.listing import list_files

    listing = list_files(Settings.load(**_options(args)))
    print(json.dumps(listing.to_dict(), indent=2, ensure_ascii=False) if args.json else format_listing(listing))
    return 0


def format_listing(listing: Listing) -> str:
    groups = listing.by_source()
    kinds = {s.name: s.kind for s in listing.sources}
    lines = [f"store {shown(listing.store)}  generation {listing.generation}  sources {len(listing.sources)}  "
             f"files {len(listing.files)}  chunks {sum(f.chunks for f in listing.files)}"]
    lines += [f"note: {n}" for n in listing.notes]
    for source, files in groups.items():
        lines.append(f"{shown(source)}{'/' if kinds.get(source) == 'folder' else ''}  ({len(files)} files, "
                     f"{sum(f.chunks for f in files)} chunks)")
        for f in files:
            when = f.to_dict()["ingested"]
            lines.append(f"  {shown(f.path)}  {f.chunks} chunks  sha256 {f.sha256[:12]}  {when}")
    return "\n".join(lines)


def _rm(args: argparse.Namespace) -> int:
    removal = _kit(args).remove(args.path, wait=args.wait)
    if args.json:
        print(json.dumps(removal.to_dict(), indent=2, ensure_ascii=False))
        return 0
    print(f"removed {shown(removal.path)}: {len(removal.files)} files, {removal.chunks} chunks"
          + (f"; source records dropped: {', '.join(shown(s) for s in removal.sources)}" if removal.sources else ""))
    if removal.still_covered_by:
        print(f"note: still on disk under source {shown(removal.still_covered_by)}: the next "
              f"`kit ingest {shown(removal.still_covered_by)}` adds it again")
    return 0


def _prepare(args: argparse.Namespace) -> int:
    from kit.config import Settings
    from kit.embeddings import prepare

    graph = prepare(Settings.load(**_options(args)))
    print(f"embedding model ready: {graph}" if graph else "nothing to prepare for this embedder")
    return 0


def _search(args: argparse.Namespace) -> int:
    hits = _kit(args).search(args.query, k=args.k, files=args.files, sections=args.sections)
    if args.json:
        print(json.dumps([h.to_dict() for h in hits], indent=2, ensure_ascii=False))
    else:
        print("\n\n".join(format_hit(n, h) for n, h in enumerate(hits, 1)))
    return 0


def format_hit(n: int, hit: Hit) -> str:
    c = hit.chunk
    text = " ".join(c.text.split())
    return f"[{n}] {shown(c.path)} [{c.start}:{c.end}] {c.section}  score {hit.score:.4f}\n    {text[:300]}"


def _ask(args: argparse.Namespace) -> int:
    answer = _kit(args).ask(args.question, k=args.k)
    print(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False) if args.json else format_answer(answer))
    return 0


def format_answer(answer: Answer) -> str:
    lines = [answer.text, "", f"({answer.label})"]
    lines += [f"Note: {n}" for n in answer.notes]
    for c in answer.citations:
        quote = " ".join(c.quote.split())
        lines.append(f"[{c.key}] {c.path} [{c.start}:{c.end}] {c.section}, quote {c.check}: \"{quote}\"")
    tokens = answer.tokens()
    if any(tokens.values()):
        lines.append(f"tokens: {tokens['prompt_tokens']} prompt + {tokens['completion_tokens']} completion")
    if answer.failed or answer.dropped_keys:
        lines.append(f"dropped: {len(answer.failed)} unverified quotes, {len(answer.dropped_keys)} invented keys")
    return "\n".join(lines)


def _eval(args: argparse.Namespace) -> int:
    report = _kit(args).evaluate(args.qa_file, k=args.k, limit=args.limit)
    data = report.to_dict()
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        print("\n".join(f"{key:26} {value}" for key, value in data.items()))
    return 0


def _topics(args: argparse.Namespace) -> int:
    topics = _kit(args).topics(k=args.n_topics)
    if args.json:
        print(json.dumps([t.to_dict() for t in topics], indent=2, ensure_ascii=False))
        return 0
    for t in topics:
        files = ", ".join(f"{p} ({n})" for p, n in t.coverage.items())
        print(f"{t.number:2}. {t.title}  [{len(t.chunks)} chunks]\n    keywords: {', '.join(t.keywords)}\n"
              f"    sources: {files}")
    return 0


def _summarize(args: argparse.Namespace) -> int:
    from kit.report import report_html, report_markdown
    from kit.summarize import json_dump

    names = None if args.topics == ["auto"] else args.topics
    summaries = _kit(args).summarize(names, max_sentences=args.sentences)
    fmt = args.format or ("json" if args.json else _format_from(args.out))
    writers: dict[str, Callable[[list[TopicSummary]], str]] = {
        "md": report_markdown, "html": report_html, "json": json_dump}
    text = writers[fmt](summaries)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        cited = sum(len(s.sentences) for s in summaries)
        print(f"wrote {args.out}: {len(summaries)} topics, {cited} cited sentences")
    else:
        print(text)
    return 0


def _format_from(out: str | None) -> str:
    if out and out.lower().endswith((".html", ".htm")):
        return "html"
    return "json" if out and out.lower().endswith(".json") else "md"


def _doctor(args: argparse.Namespace) -> int:
    result = _kit(args).doctor(repair=args.repair, wait=args.wait)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print("store is healthy" if result.ok else f"store is {result.verdict.value}")
        for key, value in result.facts.items():
            print(f"  {key}: {value}")
        for source, counts in result.sources.items():
            print(f"  source {shown(source)}: " + ", ".join(f"{n} {status}" for status, n in counts.items()))
        lines = [f"  problem: {shown(p.text)}" for p in result.problems] + [
            f"  fixed: {shown(p.text)}" for p in result.fixed] + [f"  done: {shown(a)}" for a in result.actions]
        for line in lines:
            print(line)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
